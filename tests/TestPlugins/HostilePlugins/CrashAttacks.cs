using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LetsData.TestPlugins.HostilePlugins;

/// <summary><c>Environment.FailFast</c>, found by name: the process ends at once, no handler runs.</summary>
public sealed class FailFastParser : HostileParser
{
    protected override string? Attack(Trigger trigger)
    {
        Late.CallStatic(typeof(Environment), "FailFast", [typeof(string)], "a hostile plugin fails fast");
        return "FailFast returned";
    }
}

/// <summary>Unbounded recursion: a stack overflow ends the process; it cannot be caught.</summary>
public sealed class StackOverflowParser : HostileParser
{
    protected override string? Attack(Trigger trigger) => $"recursion returned {Recurse(0)}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Recurse(int depth)
    {
        Span<byte> frame = stackalloc byte[256];
        frame[depth & 255] = (byte)depth;
        return Recurse(depth + 1) + frame[(depth * 7) & 255];
    }
}

/// <summary>
/// An exception thrown by a <c>System.Threading.Timer</c> callback (the timer made by name): an unhandled exception on
/// a thread no task owns ends the process. The call waits for it, so it happens while ParseDocument runs.
/// </summary>
public sealed class TimerExceptionParser : HostileParser
{
    private static object? _timer;

    protected override string? Attack(Trigger trigger)
    {
        var timerType = Late.CoreType("System.Threading.Timer");
        var constructor = timerType.GetConstructor([typeof(TimerCallback), typeof(object), typeof(int), typeof(int)])!;
        TimerCallback callback = _ => throw new InvalidOperationException("a hostile plugin's timer callback throws");
        _timer = Late.New(constructor, callback, null, 0, Timeout.Infinite);
        Thread.Sleep(2000);
        return "the timer's exception did not end the process";
    }
}

/// <summary>
/// Allocates and holds 64 MB arrays (each written to, so the memory is committed) until OutOfMemoryException, or until
/// the input line's <c>cap</c> — a bound for test machines without a heap limit, reported as held without a limit.
/// </summary>
public sealed class MemoryBombParser : HostileParser
{
    private const int Chunk = 64 << 20;
    private static readonly List<byte[]> Hoard = [];

    protected override string? Attack(Trigger trigger)
    {
        long held = 0;
        while (held < trigger.CapBytes)
        {
            var chunk = new byte[Chunk];
            Array.Fill(chunk, (byte)0x5A);
            lock (Hoard)
            {
                Hoard.Add(chunk);
            }

            held += Chunk;
        }

        return $"HOSTILE-EFFECT memory bomb held {held >> 20} MB without hitting a memory limit";
    }
}

/// <summary>Never returns from ParseDocument, spinning on a core.</summary>
public sealed class InfiniteLoopParser : HostileParser
{
    private static long _spins;

    protected override string? Attack(Trigger trigger)
    {
        while (Interlocked.Increment(ref _spins) != 0)
        {
        }

        return "the loop ended";
    }
}

/// <summary>Adds a ProcessExit handler that never returns, then parses normally: the process that runs it cannot exit by itself.</summary>
public sealed class ProcessExitHangParser : HostileParser
{
    protected override string? Attack(Trigger trigger)
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Thread.Sleep(Timeout.Infinite);
        return "ProcessExit handler added";
    }
}

/// <summary>
/// Takes the locks of <c>Console.Out</c> and <c>Console.Error</c> forever on another thread (a long-running
/// continuation: no Thread or Task.Run named), then logs: every later console write of the process blocks.
/// </summary>
public sealed class ConsoleLockParser : HostileParser
{
    private static Task? _holder;

    protected override string? Attack(Trigger trigger)
    {
        using var locked = new ManualResetEventSlim();
        _holder = Task.CompletedTask.ContinueWith(_ =>
        {
            Monitor.Enter(Console.Out);
            Monitor.Enter(Console.Error);
            locked.Set();
            Thread.Sleep(Timeout.Infinite);
        }, CancellationToken.None, TaskContinuationOptions.LongRunning, TaskScheduler.Default);
        locked.Wait();
        Console.Out.WriteLine("a hostile plugin logs while the console is locked");
        return "logged";
    }
}

/// <summary>
/// Registers a SIGTERM (and SIGINT) handler that cancels the signal's default and blocks the signal-dispatch thread,
/// then blocks ParseDocument: a stop request must still end the run.
/// </summary>
public sealed class SigtermIgnoringParser : HostileParser
{
    private static readonly List<PosixSignalRegistration> Registrations = [];

    protected override string? Attack(Trigger trigger)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
        {
            Registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Thread.Sleep(Timeout.Infinite);
            }));
        }

        Thread.Sleep(Timeout.Infinite);
        return "woke up";
    }
}
