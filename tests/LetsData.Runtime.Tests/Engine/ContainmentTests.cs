using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Plugins;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Tests.Plugins;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Engine;

/// <summary>
/// A misbehaving plugin (tests/TestPlugins/AdversarialPlugins, loaded like any plugin) fails its own task with a
/// message naming plugin, method, file and offset; the other tasks of the run complete. A call that never returns is
/// abandoned after the call timeout, and too many of those stop the run.
/// </summary>
[NonParallelizable]
public class ContainmentTests
{
    private const string CommandParser = "LetsData.TestPlugins.AdversarialPlugins.CommandParser";
    private LoadedPlugin _plugin = null!;

    [OneTimeSetUp]
    public void Load() => _plugin = PluginLoader.Load(TestPluginBuilds.PathOf("AdversarialPlugins"));

    [OneTimeTearDown]
    public void ReleaseAndUnload()
    {
        // Let the spinning calls return, so their threads end instead of burning a core for the rest of the tests.
        _plugin.Assembly.GetType(CommandParser)!.GetMethod("ReleaseLoops")!.Invoke(null, null);
        _plugin.Dispose();
    }

    private int LoopsEntered => (int)_plugin.Assembly.GetType(CommandParser)!.GetProperty("LoopsEntered")!.GetValue(null)!;

    private (DataTaskEngine Engine, CapturingSinks Sinks) Engine(InMemoryFileSource files, EngineOptions options, string className = CommandParser)
    {
        var sinks = new CapturingSinks();
        return (Engine(files, options, sinks, sinks, className), sinks);
    }

    private DataTaskEngine Engine(InMemoryFileSource files, EngineOptions options, IDocumentSinkFactory documents, IErrorSinkFactory errors,
        string className = CommandParser)
    {
        var factory = _plugin.CreateFactory<ISingleFileParser>(className);
        return new DataTaskEngine("Adversarial", new SingleFileReaderBinding(_plugin.Name, factory.CreateForTask), files, documents, errors, options);
    }

    private static InMemoryFileSource Files(params (string Name, string Text)[] files)
    {
        var source = new InMemoryFileSource();
        foreach (var (name, text) in files)
        {
            source.Add(name, TestData.Utf8(text));
        }

        return source;
    }

    [TestCase("throw", "plugin AdversarialPlugins threw in ISingleFileParser.ParseDocument (file bad.cmd, type CMD, offset 4): InvalidOperationException: the parser gave up on this record")]
    [TestCase("null", "returned null instead of a ParseDocumentResult")]
    [TestCase("badstatus", "returned the unknown status 42")]
    public async Task APluginCallThatFailsErrorsItsTaskOnlyAndNamesTheCall(string command, string expected)
    {
        var (engine, sinks) = Engine(Files(("bad.cmd", $"#ok\n#{command}\n#ok\n"), ("good.cmd", "#ok\n#ok\n")), new EngineOptions { Concurrency = 2 });

        var summary = await engine.RunAsync(EngineRun.OneTaskPerFile("bad.cmd", "good.cmd"));

        Assert.That(summary.Tasks[0].Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(summary.Tasks[0].ErrorMessage, Does.Contain(expected));
        Assert.That(summary.Tasks[1].Status, Is.EqualTo(DataTaskStatus.Completed));
        Assert.That(sinks.Documents.Select(d => d.Document.DocumentId), Is.EquivalentTo(new[] { "bad.cmd@0", "good.cmd@0", "good.cmd@4" }));
        if (command == "throw")
        {
            // The plugin's author gets the exception with the frame in their code that threw.
            Assert.That(summary.Tasks[0].PluginException, Does.StartWith("System.InvalidOperationException: the parser gave up on this record")
                .And.Contain("at LetsData.TestPlugins.AdversarialPlugins.CommandParser.ParseDocument("));
        }
        else
        {
            Assert.That(summary.Tasks[0].PluginException, Is.Null, "a contract violation is the runtime's finding, not a plugin exception");
        }
    }

    [Test]
    public async Task AConstructorThatThrowsErrorsEveryTaskWithTheClassNamed()
    {
        var (engine, _) = Engine(Files(("a.cmd", "#ok\n")), new EngineOptions(), "LetsData.TestPlugins.AdversarialPlugins.ThrowingConstructorParser");

        var summary = await engine.RunAsync(EngineRun.OneTaskPerFile("a.cmd"));

        Assert.That(summary.Tasks.Single().ErrorMessage, Does.Contain("ThrowingConstructorParser").And.Contain("no configuration for this parser"));
    }

    [Test]
    public async Task ACallThatNeverReturnsIsAbandonedAfterTheTimeoutAndTheOtherTasksComplete()
    {
        var loopsBefore = LoopsEntered;
        var (engine, sinks) = Engine(Files(("stuck.cmd", "#ok\n#loop\n#ok\n"), ("a.cmd", "#ok\n"), ("b.cmd", "#ok\n#ok\n")),
            new EngineOptions { Concurrency = 2, PluginCallTimeout = TimeSpan.FromSeconds(2), MaxLeakedThreads = 3 });

        var summary = await engine.RunAsync(EngineRun.OneTaskPerFile("stuck.cmd", "a.cmd", "b.cmd")).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.That(LoopsEntered, Is.EqualTo(loopsBefore + 1));
        var stuck = summary.Tasks.Single(t => t.TaskId == "task-0001");
        Assert.That(stuck.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(stuck.ErrorMessage, Does.StartWith("plugin AdversarialPlugins: ISingleFileParser.ParseDocument (file stuck.cmd, type CMD, offset 4) did not return within 2 s (pluginCallTimeout)")
            .And.Contain("thread leaked (1 so far)"));
        Assert.That(summary.Tasks.Where(t => t.TaskId != "task-0001").Select(t => t.Status), Is.All.EqualTo(DataTaskStatus.Completed));
        Assert.That(summary.Tasks, Has.Count.EqualTo(3), "the abandoned task is in the summary once");
        Assert.That(summary.LeakedThreads, Is.EqualTo(1));
        Assert.That(summary.StoppedBecause, Is.Null);
        Assert.That(sinks.Documents.Select(d => d.Document.DocumentId), Is.SupersetOf(new[] { "a.cmd@0", "b.cmd@0", "b.cmd@4" }));
    }

    [Test]
    public async Task AfterAPluginCallThrew_OutputsSlowerToEndThanTheCallTimeout_AreNotTakenForAHungCall()
    {
        var sinks = new CapturingSinks();
        var slow = new EndingSinks(sinks, sinks) { CompleteDelay = TimeSpan.FromSeconds(1.5) };
        var engine = Engine(Files(("bad.cmd", "#ok\n#throw\n")), new EngineOptions { PluginCallTimeout = TimeSpan.FromMilliseconds(300) }, slow, slow);

        var summary = await engine.RunAsync(EngineRun.OneTaskPerFile("bad.cmd")).WaitAsync(TimeSpan.FromMinutes(1));

        var task = summary.Tasks.Single();
        Assert.That(task.ErrorMessage, Does.StartWith("plugin AdversarialPlugins threw in ISingleFileParser.ParseDocument (file bad.cmd, type CMD, offset 4)"));
        Assert.That(summary.LeakedThreads, Is.Zero, "the task's clean-up is not a plugin call");
        Assert.That(slow.Completed, Is.EqualTo(new[] { "errors: errored", "documents: errored" }), "both outputs were ended, as errored");
    }

    [Test]
    public async Task WhenTheErrorRecordsCannotBeEnded_TheDocumentsAreStillEndedAsErrored_AndBothFailuresAreReported()
    {
        var sinks = new CapturingSinks();
        var failing = new EndingSinks(sinks, sinks) { ErrorsCompleteFailure = "disk full" };
        var engine = Engine(Files(("a.cmd", "#ok\n#ok\n")), new EngineOptions(), failing, failing);

        var summary = await engine.RunAsync(EngineRun.OneTaskPerFile("a.cmd"));

        var task = summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain("writing the task's error records failed: disk full"));
        Assert.That(failing.Completed, Is.EqualTo(new[] { "errors: completed (failed)", "errors: errored (failed)", "documents: errored" }),
            "the documents are not named completed when the task errored");
    }

    [Test]
    public async Task WhenTheDocumentsOfAFailedTaskCannotBeEnded_TheErrorRecordsAreEndedAnyway()
    {
        var sinks = new CapturingSinks();
        var failing = new EndingSinks(sinks, sinks) { DocumentsCompleteFailure = "disk full" };
        var engine = Engine(Files(("bad.cmd", "#ok\n#throw\n")), new EngineOptions(), failing, failing);

        var summary = await engine.RunAsync(EngineRun.OneTaskPerFile("bad.cmd"));

        var task = summary.Tasks.Single();
        Assert.That(task.ErrorMessage, Does.StartWith("plugin AdversarialPlugins threw in").And.Contain("; then writing the task's output failed: disk full"));
        Assert.That(failing.Completed, Is.EqualTo(new[] { "errors: errored", "documents: errored (failed)" }));
        Assert.That(sinks.Errors.Select(e => e.ErrorMessage), Has.Some.StartsWith("plugin AdversarialPlugins threw in"), "the task's error record was written");
    }

    /// <summary>Outputs around capturing ones whose ending is slow or fails, recording each <c>Complete</c> call in order.</summary>
    private sealed class EndingSinks(IDocumentSinkFactory documents, IErrorSinkFactory errors) : IDocumentSinkFactory, IErrorSinkFactory
    {
        public string CheckpointId => "ending";

        private readonly List<string> _completed = [];

        public TimeSpan CompleteDelay { get; init; }
        public string? DocumentsCompleteFailure { get; init; }
        public string? ErrorsCompleteFailure { get; init; }

        public IReadOnlyList<string> Completed
        {
            get
            {
                lock (_completed)
                {
                    return _completed.ToList();
                }
            }
        }

        public IDocumentSink Open(TaskContext task) => new Documents(documents.Open(task), this);
        IErrorSink IErrorSinkFactory.Open(TaskContext task) => new Errors(errors.Open(task), this);

        private void Complete(string output, bool succeeded, string? failure, Action<bool> complete)
        {
            Thread.Sleep(CompleteDelay);
            lock (_completed)
            {
                _completed.Add($"{output}: {(succeeded ? "completed" : "errored")}{(failure is null ? "" : " (failed)")}");
            }

            if (failure is not null)
            {
                throw new IOException(failure);
            }

            complete(succeeded);
        }

        private sealed class Documents(IDocumentSink inner, EndingSinks owner) : IDocumentSink
        {
            public void Write(IDocument document, ReadOnlySpan<byte> serialized) => inner.Write(document, serialized);
            public void Complete(bool succeeded) => owner.Complete("documents", succeeded, owner.DocumentsCompleteFailure, inner.Complete);
            public void Dispose() => inner.Dispose();
        }

        private sealed class Errors(IErrorSink inner, EndingSinks owner) : IErrorSink
        {
            public void Write(ErrorRecord record) => inner.Write(record);
            public void Complete(bool succeeded) => owner.Complete("errors", succeeded, owner.ErrorsCompleteFailure, inner.Complete);
            public void Dispose() => inner.Dispose();
        }
    }

    [Test]
    public async Task TooManyLeakedThreadsStopTheRunWithAClearReason()
    {
        var (engine, _) = Engine(Files(("s1.cmd", "#loop\n"), ("s2.cmd", "#loop\n"), ("later.cmd", "#ok\n")),
            new EngineOptions { Concurrency = 2, PluginCallTimeout = TimeSpan.FromSeconds(2), MaxLeakedThreads = 1 });

        var summary = await engine.RunAsync(EngineRun.OneTaskPerFile("s1.cmd", "s2.cmd", "later.cmd")).WaitAsync(TimeSpan.FromMinutes(1));

        // The first leak stops the run; the other stuck task is still waited for (and abandoned) before it ends.
        Assert.That(summary.LeakedThreads, Is.EqualTo(2));
        Assert.That(summary.StoppedBecause, Does.Contain("thread(s) leaked").And.Contain("maxLeakedThreads 1").And.Contain("should be restarted"));
        Assert.That(summary.Tasks.Select(t => t.TaskId), Is.EqualTo(new[] { "task-0001", "task-0002" }), "the third task was never started");
    }

    [Test]
    public async Task ATaskThatAllocatesPastItsLimitFailsAndItsAllocationsAreReported()
    {
        var hoarding = string.Concat(Enumerable.Repeat("#alloc\n", 64));
        var (engine, _) = Engine(Files(("hoard.cmd", hoarding), ("light.cmd", "#ok\n#ok\n")),
            new EngineOptions { MaxTaskAllocatedBytes = 16 << 20 });

        var summary = await engine.RunAsync(EngineRun.OneTaskPerFile("hoard.cmd", "light.cmd"));

        var hoard = summary.Tasks[0];
        Assert.That(hoard.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(hoard.ErrorMessage, Does.Contain("over maxTaskAllocatedBytes 16,777,216").And.Contain("file hoard.cmd"));
        Assert.That(hoard.Counters.AllocatedBytes, Is.GreaterThan(16L << 20));
        Assert.That(summary.Tasks[1].Status, Is.EqualTo(DataTaskStatus.Completed));
        Assert.That(summary.Tasks[1].Counters.AllocatedBytes, Is.GreaterThan(0).And.LessThan(16L << 20));
    }
}
