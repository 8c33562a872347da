using LetsData.Integration.Tests.Support;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Writing;

namespace LetsData.Integration.Tests.Faults;

/// <summary>One task of the real engine over one file, started in the background so the test can break things while it runs.</summary>
internal static class OneTaskRun
{
    public const string FileName = "lines.txt";

    /// <summary>Generous: an emulator restart takes about a second; only a hang gets near this.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromMinutes(3);

    /// <summary>Runs on the thread pool: the parser may block at its gate, which must not block the test.</summary>
    public static Task<RunSummary> Start(IFileSource files, Func<ISingleFileParser> parser, IDocumentSinkFactory documents, IErrorSinkFactory errors)
    {
        var engine = new DataTaskEngine("Faults", new SingleFileReaderBinding("faults", parser), files, documents, errors, new EngineOptions());
        return Task.Run(() => engine.RunAsync([new DataTaskDefinition("task-0001", 1, FileName, [new ManifestFileRef(null, FileName)])]));
    }

    /// <summary>The serialized documents of a run over <paramref name="content"/> with nothing going wrong.</summary>
    public static async Task<IReadOnlyList<string>> UndisturbedDocumentsAsync(byte[] content)
    {
        var sinks = new CapturingSinks();
        var summary = await Start(new InMemoryFileSource().Add(FileName, content), () => new GatedLineParser(), sinks, sinks).WaitAsync(Guard);
        AssertCompleted(summary);
        return sinks.Serialized;
    }

    /// <summary>Waits until the parser is held at the gate; fails at once if the run ended before getting there.</summary>
    public static async Task WaitAtGateAsync(RecordGate gate, Task<RunSummary> run)
    {
        var first = await Task.WhenAny(gate.Reached, run).WaitAsync(Guard);
        if (first != gate.Reached)
        {
            Assert.Fail($"the run ended before reaching the gate: {Describe(await run)}");
        }
    }

    /// <summary>
    /// The scenario every emulator fault test shares: starts the run with its parser held at record
    /// <paramref name="holdAt"/>, does <paramref name="fault"/> to the emulator while it is held there (so the damage
    /// lands mid-run at a known point instead of racing the engine), releases the gate and returns the run's summary.
    /// </summary>
    /// <remarks>
    /// <c>failureSeen</c> (for <see cref="EmulatorFault.KillThenRestart"/> and <see cref="EmulatorFault.FreezeThenThaw"/>)
    /// turns true once the client has surely met the broken emulator. Only then does it come back, so the retry path has
    /// surely run.
    /// </remarks>
    public static async Task<RunSummary> BreakAtGateAsync(
        IFileSource files, int holdAt, IDocumentSinkFactory documents, IErrorSinkFactory errors,
        RestartableEmulator emulator, EmulatorFault fault, Func<bool>? failureSeen = null)
    {
        var gate = new RecordGate();
        var run = Start(files, () => new GatedLineParser(gate, holdAt), documents, errors);
        await WaitAtGateAsync(gate, run);
        switch (fault)
        {
            case EmulatorFault.KillThenRestart:
                emulator.Kill();
                gate.Release();
                await WaitForAsync(FailureSeen(failureSeen, fault), run);

                // Give the client a few more failed attempts against the dead port before the emulator is back.
                await Task.Delay(TimeSpan.FromMilliseconds(300));
                await emulator.StartAsync();
                break;
            case EmulatorFault.KillForGood:
                emulator.Kill();
                gate.Release();
                break;
            case EmulatorFault.FreezeThenThaw:
                emulator.Freeze();
                try
                {
                    gate.Release();
                    await WaitForAsync(FailureSeen(failureSeen, fault), run);
                }
                finally
                {
                    // Also when the wait fails, so the test's cleanup meets a running process.
                    emulator.Thaw();
                }

                break;
            case EmulatorFault.FreezeForGood:
                emulator.Freeze();
                try
                {
                    gate.Release();
                    return await run.WaitAsync(Guard);
                }
                finally
                {
                    emulator.Thaw();
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }

        return await run.WaitAsync(Guard);
    }

    /// <summary>Polls <paramref name="condition"/>; fails at once if the run ends first, since then it never will be met.</summary>
    private static async Task WaitForAsync(Func<bool> condition, Task run)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (!condition())
        {
            Assert.That(run.IsCompleted, Is.False, "the run ended before the condition was met");
            await Task.Delay(10, guard.Token);
        }
    }

    private static Func<bool> FailureSeen(Func<bool>? failureSeen, EmulatorFault fault) =>
        failureSeen ?? throw new ArgumentNullException(nameof(failureSeen), $"{fault} waits for the client to meet the fault");

    public static void AssertCompleted(RunSummary summary) =>
        Assert.That(summary.Tasks.Select(t => (t.TaskId, t.Status, t.ErrorMessage)),
            Is.EqualTo(new[] { ("task-0001", DataTaskStatus.Completed, (string?)null) }));

    public static string Describe(RunSummary summary) =>
        string.Join("; ", summary.Tasks.Select(t => $"{t.TaskId} {t.Status} {t.ErrorMessage}"));
}
