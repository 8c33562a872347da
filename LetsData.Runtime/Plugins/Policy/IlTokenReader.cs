using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;

namespace LetsData.Runtime.Plugins.Policy;

/// <summary>
/// Walks a method body's IL and returns the metadata tokens it uses (call, callvirt, newobj, ldftn, ldvirtftn,
/// ldtoken, ldfld, castclass, calli signatures, ...): every member or type a method can reach is one of them.
/// </summary>
internal static class IlTokenReader
{
    // The runtime's own opcode table gives each opcode's operand size; only its metadata is read (nothing is emitted).
    private static readonly Dictionary<ushort, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(opCode => unchecked((ushort)opCode.Value), opCode => opCode.OperandType);

    /// <exception cref="BadImageFormatException">The IL stream is malformed.</exception>
    public static List<int> TokensOf(MethodBodyBlock body)
    {
        var tokens = new List<int>();
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            ushort code = il.ReadByte();
            if (code == 0xFE)
            {
                code = (ushort)(0xFE00 | il.ReadByte());
            }

            if (!OperandTypes.TryGetValue(code, out var operand))
            {
                throw new BadImageFormatException($"unknown IL opcode 0x{code:X2} at offset {il.Offset}");
            }

            switch (operand)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType
                    or OperandType.InlineTok or OperandType.InlineSig:
                    tokens.Add(il.ReadInt32());
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    il.Offset += checked(targets * 4);
                    break;
                default:
                    il.Offset += OperandSize(operand);
                    break;
            }
        }

        return tokens;
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
