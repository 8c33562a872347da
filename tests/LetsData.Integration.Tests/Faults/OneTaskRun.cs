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

    public static void AssertCompleted(RunSummary summary) =>
        Assert.That(summary.Tasks.Select(t => (t.TaskId, t.Status, t.ErrorMessage)),
            Is.EqualTo(new[] { ("task-0001", DataTaskStatus.Completed, (string?)null) }));

    public static string Describe(RunSummary summary) =>
        string.Join("; ", summary.Tasks.Select(t => $"{t.TaskId} {t.Status} {t.ErrorMessage}"));
}
