using System.Runtime.InteropServices;

namespace LetsData.Tests.ConfinementProbe;

/// <summary>libc calls the probe makes directly, so each action reports the kernel's own errno.</summary>
internal static unsafe partial class ProbeNative
{
    public const int AfUnix = 1;
    public const int AfInet = 2;
    public const int AfNetlink = 16;
    public const int SockStream = 1;
    public const int SockRaw = 3;
    public const int ORdOnly = 0;
    public const int OWrOnly = 1;
    public const int OCreat = 0x40;
    public const int OTrunc = 0x200;
    public const int ODirectory = 0x10000;

    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrIn
    {
        public ushort Family;
        public ushort PortBigEndian;
        public uint AddressBigEndian;
        public ulong Zero;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int fd, SockaddrIn* address, int length);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "process_vm_readv", SetLastError = true)]
    public static partial nint ProcessVmReadv(int pid, IoVec* local, ulong localCount, IoVec* remote, ulong remoteCount, ulong flags);

    [LibraryImport("libc", EntryPoint = "ptrace", SetLastError = true)]
    public static partial long Ptrace(long request, int pid, nint address, nint data);
}
