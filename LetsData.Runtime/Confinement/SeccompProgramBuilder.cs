using System.Runtime.InteropServices;

namespace LetsData.Runtime.Confinement;

/// <summary>One classic BPF instruction: struct sock_filter.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct SockFilter(ushort Code, byte JumpTrue, byte JumpFalse, uint K);

/// <summary>
/// Builds a classic BPF program for seccomp with named jump targets. Jumps in classic BPF are forward-only and
/// relative (0..255 instructions skipped); the builder records each jump's label and fills in the offsets when the
/// program is built, so the filter reads top to bottom like the decision it makes.
/// </summary>
internal sealed class SeccompProgramBuilder
{
    // Instruction classes and fields (linux/bpf_common.h).
    public const ushort BpfLd = 0x00;
    public const ushort BpfJmp = 0x05;
    public const ushort BpfRet = 0x06;
    public const ushort BpfW = 0x00;
    public const ushort BpfAbs = 0x20;
    public const ushort BpfJeq = 0x10;
    public const ushort BpfJge = 0x30;
    public const ushort BpfJset = 0x40;
    public const ushort BpfK = 0x00;

    // struct seccomp_data offsets: int nr; u32 arch; u64 instruction_pointer; u64 args[6] (little endian here).
    public const uint OffsetNr = 0;
    public const uint OffsetArch = 4;

    /// <summary>Offset of the low 32 bits of syscall argument <paramref name="index"/> (x86_64 and arm64 are little endian).</summary>
    public static uint OffsetArgLow(int index) => 16 + (8 * (uint)index);

    /// <summary>Where execution goes next when a condition does not hold: the following instruction.</summary>
    public const string Next = "";

    private readonly List<(ushort Code, string JumpTrue, string JumpFalse, uint K)> _instructions = [];
    private readonly Dictionary<string, int> _labels = [];

    public int Count => _instructions.Count;

    /// <summary>Loads the 32-bit word at a seccomp_data offset into the accumulator.</summary>
    public SeccompProgramBuilder Load(uint offset) => Add((ushort)(BpfLd | BpfW | BpfAbs), Next, Next, offset);

    /// <summary>If accumulator == k go to <paramref name="ifTrue"/>, else to <paramref name="ifFalse"/>.</summary>
    public SeccompProgramBuilder JumpIfEqual(uint k, string ifTrue, string ifFalse = Next) => Add((ushort)(BpfJmp | BpfJeq | BpfK), ifTrue, ifFalse, k);

    /// <summary>If accumulator &gt;= k (unsigned) go to <paramref name="ifTrue"/>, else to <paramref name="ifFalse"/>.</summary>
    public SeccompProgramBuilder JumpIfAtLeast(uint k, string ifTrue, string ifFalse = Next) => Add((ushort)(BpfJmp | BpfJge | BpfK), ifTrue, ifFalse, k);

    /// <summary>If accumulator &amp; k is not zero go to <paramref name="ifTrue"/>, else to <paramref name="ifFalse"/>.</summary>
    public SeccompProgramBuilder JumpIfAnyBit(uint k, string ifTrue, string ifFalse = Next) => Add((ushort)(BpfJmp | BpfJset | BpfK), ifTrue, ifFalse, k);

    /// <summary>Ends the program with a seccomp action (SECCOMP_RET_*).</summary>
    public SeccompProgramBuilder Return(uint action) => Add((ushort)(BpfRet | BpfK), Next, Next, action);

    /// <summary>Names the next instruction added, as a jump target.</summary>
    public SeccompProgramBuilder Label(string name)
    {
        if (name.Length == 0 || !_labels.TryAdd(name, _instructions.Count))
        {
            throw new InvalidOperationException($"Label '{name}' is empty or defined twice.");
        }

        return this;
    }

    /// <summary>The instructions with jump offsets resolved; fails on a missing label, a backward or too long jump.</summary>
    public SockFilter[] Build()
    {
        var program = new SockFilter[_instructions.Count];
        for (var i = 0; i < program.Length; i++)
        {
            var (code, jumpTrue, jumpFalse, k) = _instructions[i];
            program[i] = new SockFilter(code, Offset(i, jumpTrue), Offset(i, jumpFalse), k);
        }

        return program;
    }

    private SeccompProgramBuilder Add(ushort code, string jumpTrue, string jumpFalse, uint k)
    {
        _instructions.Add((code, jumpTrue, jumpFalse, k));
        return this;
    }

    private byte Offset(int from, string label)
    {
        if (label.Length == 0)
        {
            return 0;
        }

        if (!_labels.TryGetValue(label, out var target))
        {
            throw new InvalidOperationException($"Jump to undefined label '{label}'.");
        }

        var offset = target - from - 1;
        if (offset is < 0 or > byte.MaxValue)
        {
            throw new InvalidOperationException($"Jump from {from} to '{label}' ({target}) is backward or longer than 255.");
        }

        return (byte)offset;
    }
}
