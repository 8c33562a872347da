using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace LetsData.Runtime.Plugins.Policy;

/// <summary>
/// Finds the fenced APIs one assembly uses, from its metadata only: every member, type and calli signature its method
/// bodies reference, its P/Invoke declarations, and (as a safety net) fenced type and member references that no method
/// body uses, such as field types and attribute constructors.
/// </summary>
internal sealed class AssemblyApiScanner
{
    private const string OutsideMethodBodies = "<signatures, fields or attributes>";

    private readonly MetadataReader _reader;
    private readonly FenceIndex _fence;
    private readonly string _assembly;
    private readonly TypeNameProvider _names;
    private readonly List<PolicyViolation> _violations = [];
    private readonly HashSet<(string Type, string? Method, string Member)> _reported = [];
    private readonly HashSet<EntityHandle> _seenInBodies = [];
    private readonly HashSet<string> _typesSeenInBodies = [];
    private readonly Dictionary<MemberReferenceHandle, MemberUse> _members = [];
    private readonly Dictionary<EntityHandle, string[]> _specifications = [];

    private AssemblyApiScanner(MetadataReader reader, IReadOnlyList<FencedApi> fence, string assembly)
    {
        _reader = reader;
        _fence = new FenceIndex(fence);
        _assembly = assembly;
        _names = new TypeNameProvider(reader);
    }

    /// <exception cref="BadImageFormatException">The metadata or a method body is malformed.</exception>
    public static IReadOnlyList<PolicyViolation> Scan(PEReader pe, MetadataReader reader,
        IReadOnlyList<FencedApi> fence, string assembly)
    {
        var scanner = new AssemblyApiScanner(reader, fence, assembly);
        scanner.ScanTypes(pe);
        scanner.ScanUnusedReferences();
        return scanner._violations;
    }

    private void ScanTypes(PEReader pe)
    {
        foreach (var typeHandle in _reader.TypeDefinitions)
        {
            var typeName = _names.FullNameOf(typeHandle);
            foreach (var methodHandle in _reader.GetTypeDefinition(typeHandle).GetMethods())
            {
                var method = _reader.GetMethodDefinition(methodHandle);
                var methodName = _reader.GetString(method.Name);
                if ((method.Attributes & MethodAttributes.PinvokeImpl) != 0)
                {
                    var import = method.GetImport();
                    var module = import.Module.IsNil ? "?" : _reader.GetString(_reader.GetModuleReference(import.Module).Name);
                    Report(typeName, methodName, $"extern {module}!{_reader.GetString(import.Name)} (P/Invoke)", PolicyRules.NativeCode);
                }

                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                foreach (var token in IlTokenReader.TokensOf(pe.GetMethodBody(method.RelativeVirtualAddress)))
                {
                    CheckToken(token, typeName, methodName);
                }
            }
        }
    }

    private void CheckToken(int token, string usingType, string? usingMethod)
    {
        var handle = MetadataTokens.EntityHandle(token);
        _seenInBodies.Add(handle);
        switch (handle.Kind)
        {
            case HandleKind.MemberReference:
                CheckMemberReference((MemberReferenceHandle)handle, usingType, usingMethod);
                break;
            case HandleKind.MethodSpecification:
                CheckNamedTypes(NamedTypesOf(handle), usingType, usingMethod);
                var method = _reader.GetMethodSpecification((MethodSpecificationHandle)handle).Method;
                CheckToken(MetadataTokens.GetToken(method), usingType, usingMethod);
                break;
            case HandleKind.TypeReference:
                CheckType(_names.FullNameOf((TypeReferenceHandle)handle), usingType, usingMethod);
                break;
            case HandleKind.TypeSpecification:
                CheckNamedTypes(NamedTypesOf(handle), usingType, usingMethod);
                break;
            case HandleKind.StandaloneSignature:
                CheckCalliSignature((StandaloneSignatureHandle)handle, usingType, usingMethod);
                break;
        }

        // Definitions in this assembly are its own code, scanned in their own right.
    }

    private void CheckMemberReference(MemberReferenceHandle handle, string usingType, string? usingMethod)
    {
        var use = DescribeMember(handle);
        if (use.Rule is not null)
        {
            Report(usingType, usingMethod, use.Display, use.Rule.Rule);

            // The reported member names its type and signature already: one line per use, not one per type in it.
            if (usingMethod is not null)
            {
                _typesSeenInBodies.UnionWith(use.NamedTypes);
            }

            return;
        }

        CheckNamedTypes(use.NamedTypes, usingType, usingMethod);
    }

    // A member is used many times but decoded once.
    private MemberUse DescribeMember(MemberReferenceHandle handle)
    {
        if (_members.TryGetValue(handle, out var cached))
        {
            return cached;
        }

        var member = _reader.GetMemberReference(handle);
        var name = _reader.GetString(member.Name);
        _names.NamedTypes.Clear();
        var declaringType = DeclaringTypeOf(member);
        IReadOnlyList<string> parameters = [];
        var display = $"{declaringType}.{name}";
        if (member.GetKind() == MemberReferenceKind.Method)
        {
            var signature = member.DecodeMethodSignature(_names, null);
            parameters = signature.ParameterTypes;
            display += "(" + string.Join(", ", parameters) + ")";
        }
        else
        {
            member.DecodeFieldSignature(_names, null);
        }

        var genericDefinition = declaringType.Split('<')[0];
        var use = new MemberUse(display, _fence.MatchMember(genericDefinition, name, parameters), [.. _names.NamedTypes]);
        _members[handle] = use;
        return use;
    }

    private string[] NamedTypesOf(EntityHandle handle)
    {
        if (!_specifications.TryGetValue(handle, out var named))
        {
            _names.NamedTypes.Clear();
            if (handle.Kind == HandleKind.MethodSpecification)
            {
                _reader.GetMethodSpecification((MethodSpecificationHandle)handle).DecodeSignature(_names, null);
            }
            else
            {
                _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_names, null);
            }

            named = [.. _names.NamedTypes];
            _specifications[handle] = named;
        }

        return named;
    }

    private string DeclaringTypeOf(MemberReference member) => member.Parent.Kind switch
    {
        HandleKind.TypeReference => _names.GetTypeFromReference(_reader, (TypeReferenceHandle)member.Parent, 0),
        HandleKind.TypeDefinition => _names.FullNameOf((TypeDefinitionHandle)member.Parent),
        HandleKind.TypeSpecification => _names.GetTypeFromSpecification(_reader, null, (TypeSpecificationHandle)member.Parent, 0),
        HandleKind.MethodDefinition => _names.FullNameOf(_reader.GetMethodDefinition((MethodDefinitionHandle)member.Parent).GetDeclaringType()),
        _ => "<module>",
    };

    // A signature's named types include fenced ones used only as generic arguments (Activator.CreateInstance<Process>).
    private void CheckNamedTypes(string[] namedTypes, string usingType, string? usingMethod)
    {
        foreach (var type in namedTypes)
        {
            CheckType(type, usingType, usingMethod);
        }
    }

    private void CheckType(string typeFullName, string usingType, string? usingMethod)
    {
        var rule = _fence.MatchType(typeFullName);
        if (rule is null)
        {
            return;
        }

        // Fenced types used in method bodies are reported there; the safety net only reports the others.
        if (usingMethod is not null)
        {
            _typesSeenInBodies.Add(typeFullName);
        }
        else if (_typesSeenInBodies.Contains(typeFullName))
        {
            return;
        }

        Report(usingType, usingMethod, typeFullName, rule.Rule);
    }

    private void CheckCalliSignature(StandaloneSignatureHandle handle, string usingType, string? usingMethod)
    {
        var signature = _reader.GetStandaloneSignature(handle);
        if (signature.GetKind() != StandaloneSignatureKind.Method)
        {
            return;
        }

        var blob = _reader.GetBlobReader(signature.Signature);
        var convention = blob.ReadSignatureHeader().CallingConvention;
        if (convention is not (SignatureCallingConvention.Default or SignatureCallingConvention.VarArgs))
        {
            Report(usingType, usingMethod, $"calli with the unmanaged calling convention {convention} (function pointer to native code)",
                PolicyRules.NativeCode);
        }
    }

    // The safety net: fenced references no method body uses still count (an attribute's constructor runs when the
    // attribute is read; a field of a fenced type is a reference to it).
    private void ScanUnusedReferences()
    {
        foreach (var handle in _reader.MemberReferences)
        {
            if (!_seenInBodies.Contains(handle))
            {
                CheckMemberReference(handle, OutsideMethodBodies, null);
            }
        }

        foreach (var handle in _reader.TypeReferences)
        {
            if (!_seenInBodies.Contains(handle))
            {
                CheckType(_names.FullNameOf(handle), OutsideMethodBodies, null);
            }
        }
    }

    private void Report(string usingType, string? usingMethod, string fencedMember, string rule)
    {
        if (_reported.Add((usingType, usingMethod, fencedMember)))
        {
            _violations.Add(new PolicyViolation(_assembly, usingType, usingMethod, fencedMember, rule));
        }
    }

    private sealed record MemberUse(string Display, FencedApi? Rule, string[] NamedTypes);
}
