using System.Reflection.Metadata;

namespace LetsData.Runtime.Plugins.Policy;

/// <summary>
/// Walks a method body's IL and returns the metadata tokens it uses (call, callvirt, newobj, ldftn, ldvirtftn,
/// ldtoken, ldfld, castclass, calli signatures, ...): every member or type a method can reach is one of them.
/// </summary>
internal static class IlTokenReader
{
    private const int Token = -1;
    private const int Switch = -2;

    /// <exception cref="BadImageFormatException">The IL stream is malformed.</exception>
    public static List<int> TokensOf(MethodBodyBlock body)
    {
        var tokens = new List<int>();
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            int code = il.ReadByte();
            var operand = code == 0xFE ? TwoByteOperand(il.ReadByte()) : OneByteOperand(code);
            switch (operand)
            {
                case Token:
                    tokens.Add(il.ReadInt32());
                    break;
                case Switch:
                    // Read the count before taking the offset: `il.Offset += il.ReadInt32() * 4` would lose the count's 4 bytes.
                    var targets = il.ReadInt32();
                    il.Offset += checked(targets * 4);
                    break;
                default:
                    il.Offset += operand;
                    break;
            }
        }

        return tokens;
    }

    // Operand sizes from ECMA-335 partition III; a test checks this table against the runtime's OpCodes.
    internal static int OneByteOperand(int code) => code switch
    {
        >= 0x0E and <= 0x13 => 1, // ldarg.s .. stloc.s
        0x1F => 1, // ldc.i4.s
        0x20 or 0x22 => 4, // ldc.i4, ldc.r4
        0x21 or 0x23 => 8, // ldc.i8, ldc.r8
        0x27 or 0x28 or 0x29 => Token, // jmp, call, calli
        >= 0x2B and <= 0x37 => 1, // short branches
        >= 0x38 and <= 0x44 => 4, // branches
        0x45 => Switch,
        0x6F or 0x70 or 0x71 or 0x73 or 0x74 or 0x75 or 0x79 => Token, // callvirt, cpobj, ldobj, newobj, castclass, isinst, unbox
        0x72 => 4, // ldstr (a user string, never a member)
        >= 0x7B and <= 0x81 => Token, // ldfld .. stsfld, stobj
        0x8C or 0x8D or 0x8F => Token, // box, newarr, ldelema
        0xA3 or 0xA4 or 0xA5 or 0xC2 or 0xC6 or 0xD0 => Token, // ldelem, stelem, unbox.any, refanyval, mkrefany, ldtoken
        0xDD => 4, // leave
        0xDE => 1, // leave.s
        0xFE => throw new BadImageFormatException("two-byte opcode prefix handled by the caller"),
        <= 0xE0 => 0,
        _ => throw new BadImageFormatException($"unknown IL opcode 0x{code:X2}"),
    };

    internal static int TwoByteOperand(int code) => code switch
    {
        0x06 or 0x07 => Token, // ldftn, ldvirtftn
        >= 0x09 and <= 0x0E => 2, // ldarg .. stloc
        0x12 or 0x19 => 1, // unaligned., no.
        0x15 or 0x16 or 0x1C => Token, // initobj, constrained., sizeof
        <= 0x1E => 0,
        _ => throw new BadImageFormatException($"unknown IL opcode 0xFE{code:X2}"),
    };
}
