using System.Globalization;
using System.Runtime.InteropServices;

namespace LetsData.Runtime.Confinement;

/// <summary>
/// no_new_privs and capability dropping for the calling thread (both are per thread and inherited by an execve).
/// </summary>
internal static unsafe class Capabilities
{
    private const uint LinuxCapabilityVersion3 = 0x20080522;

    /// <summary>struct __user_cap_header_struct.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    /// <summary>struct __user_cap_data_struct; version 3 takes two of them (capabilities 0..31 and 32..63).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    /// <summary>Sets no_new_privs: no execve from here on can gain privileges (setuid bits and file capabilities are
    /// ignored), and unprivileged Landlock and seccomp become possible.</summary>
    public static void SetNoNewPrivs()
    {
        if (LinuxSyscalls.Prctl(LinuxSyscalls.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        {
            throw new InvalidOperationException($"prctl(PR_SET_NO_NEW_PRIVS) failed: {LinuxSyscalls.Describe(LinuxSyscalls.LastErrno)}");
        }
    }

    /// <summary>
    /// Drops every capability of the calling thread: the bounding set (needs CAP_SETPCAP, so it goes first), the
    /// ambient set, then effective, permitted and inheritable. With no_new_privs and an empty bounding set, even a root
    /// process keeps no capability across execve. Adds what it did (or could not do) to the report lists.
    /// </summary>
    public static void DropAll(List<string> applied, List<string> missing)
    {
        var lastCap = LastCap();
        var boundingCleared = true;
        for (var cap = 0; cap <= lastCap; cap++)
        {
            if (LinuxSyscalls.Prctl(LinuxSyscalls.PR_CAPBSET_DROP, (ulong)cap, 0, 0, 0) == 0)
            {
                continue;
            }

            var errno = LinuxSyscalls.LastErrno;
            if (errno == LinuxSyscalls.EINVAL && cap > 0)
            {
                break; // past the last capability this kernel knows
            }

            if (errno == LinuxSyscalls.EPERM)
            {
                // Not holding CAP_SETPCAP (not root): with no_new_privs an execve cannot use the bounding set anyway.
                boundingCleared = false;
                break;
            }

            throw new InvalidOperationException($"prctl(PR_CAPBSET_DROP, {cap}) failed: {LinuxSyscalls.Describe(errno)}");
        }

        if (boundingCleared)
        {
            applied.Add($"capability bounding set cleared (0..{lastCap})");
        }
        else
        {
            missing.Add("capability bounding set not cleared (no CAP_SETPCAP); no_new_privs still keeps execve from gaining capabilities");
        }

        // EINVAL means a kernel without ambient capabilities (before 4.3): there is nothing to clear.
        if (LinuxSyscalls.Prctl(LinuxSyscalls.PR_CAP_AMBIENT, LinuxSyscalls.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0
            && LinuxSyscalls.LastErrno != LinuxSyscalls.EINVAL)
        {
            throw new InvalidOperationException($"prctl(PR_CAP_AMBIENT_CLEAR_ALL) failed: {LinuxSyscalls.Describe(LinuxSyscalls.LastErrno)}");
        }

        var header = new CapHeader { Version = LinuxCapabilityVersion3, Pid = 0 };
        var data = stackalloc CapData[2];
        data[0] = default;
        data[1] = default;
        if (LinuxSyscalls.Capset(&header, data) != 0)
        {
            throw new InvalidOperationException($"capset(all zero) failed: {LinuxSyscalls.Describe(LinuxSyscalls.LastErrno)}");
        }

        applied.Add("capabilities dropped (ambient, effective, permitted, inheritable)");
    }

    /// <summary>The highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap; 40 on 5.9 and later).</summary>
    private static int LastCap()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 63;
        }
        catch (UnauthorizedAccessException)
        {
            return 63;
        }
    }
}
