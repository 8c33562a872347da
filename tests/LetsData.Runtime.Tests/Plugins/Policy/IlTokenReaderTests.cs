using System.Reflection;
using System.Reflection.Emit;
using LetsData.Runtime.Plugins.Policy;

namespace LetsData.Runtime.Tests.Plugins.Policy;

public class IlTokenReaderTests
{
    // 0xF8-0xFF are the reserved prefix opcodes (prefix1..prefixref): never in an assembly's IL.
    private static IEnumerable<OpCode> AllOpCodes() => typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .Where(opCode => unchecked((ushort)opCode.Value) is < 0xF8 or > 0xFF);

    [Test]
    public void TheOperandTableAgreesWithTheRuntimesOpCodes()
    {
        Assert.Multiple(() =>
        {
            foreach (var opCode in AllOpCodes())
            {
                var value = unchecked((ushort)opCode.Value);
                var actual = value > 0xFF ? IlTokenReader.TwoByteOperand(value & 0xFF) : IlTokenReader.OneByteOperand(value);
                Assert.That(actual, Is.EqualTo(Expected(opCode.OperandType)), opCode.Name);
            }
        });
    }

    private static int Expected(OperandType operand) => operand switch
    {
        OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok or OperandType.InlineSig => -1,
        OperandType.InlineSwitch => -2,
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
