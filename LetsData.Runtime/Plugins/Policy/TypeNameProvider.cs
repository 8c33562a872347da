using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace LetsData.Runtime.Plugins.Policy;

/// <summary>
/// Decodes signatures into readable type names (C# keywords for primitives, <c>+</c> for nested types) and remembers
/// every named type it met, so that a fenced type used only as a generic argument or parameter is still seen.
/// One instance per assembly: it is tied to one <see cref="MetadataReader"/>.
/// </summary>
internal sealed class TypeNameProvider(MetadataReader reader) : ISignatureTypeProvider<string, object?>
{
    /// <summary>The full names of the types named by the signatures decoded since the last <see cref="List{T}.Clear"/>.</summary>
    public List<string> NamedTypes { get; } = [];

    private readonly Dictionary<TypeReferenceHandle, string> _referenceNames = [];

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Boolean => "bool",
        PrimitiveTypeCode.Byte => "byte",
        PrimitiveTypeCode.SByte => "sbyte",
        PrimitiveTypeCode.Char => "char",
        PrimitiveTypeCode.Int16 => "short",
        PrimitiveTypeCode.UInt16 => "ushort",
        PrimitiveTypeCode.Int32 => "int",
        PrimitiveTypeCode.UInt32 => "uint",
        PrimitiveTypeCode.Int64 => "long",
        PrimitiveTypeCode.UInt64 => "ulong",
        PrimitiveTypeCode.Single => "float",
        PrimitiveTypeCode.Double => "double",
        PrimitiveTypeCode.IntPtr => "nint",
        PrimitiveTypeCode.UIntPtr => "nuint",
        PrimitiveTypeCode.Object => "object",
        PrimitiveTypeCode.String => "string",
        PrimitiveTypeCode.Void => "void",
        PrimitiveTypeCode.TypedReference => "System.TypedReference",
        _ => typeCode.ToString(),
    };

    public string GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) =>
        FullNameOf(handle);

    public string GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind)
    {
        var name = FullNameOf(handle);
        NamedTypes.Add(name);
        return name;
    }

    public string GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

    public string GetByReferenceType(string elementType) => elementType + "&";

    public string GetPointerType(string elementType) => elementType + "*";

    public string GetPinnedType(string elementType) => elementType;

    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
        genericType + "<" + string.Join(", ", typeArguments) + ">";

    public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

    public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

    public string GetFunctionPointerType(MethodSignature<string> signature) =>
        $"delegate* {signature.Header.CallingConvention}<{string.Join(", ", signature.ParameterTypes.Append(signature.ReturnType))}>";

    public string FullNameOf(TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = reader.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return FullNameOf(declaring) + "+" + name;
        }

        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public string FullNameOf(TypeReferenceHandle handle)
    {
        if (!_referenceNames.TryGetValue(handle, out var fullName))
        {
            fullName = ComputeFullName(handle);
            _referenceNames[handle] = fullName;
        }

        return fullName;
    }

    private string ComputeFullName(TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        var name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return FullNameOf((TypeReferenceHandle)type.ResolutionScope) + "+" + name;
        }

        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
