using LetsData.Runtime.Datasets;
using LetsData.Runtime.Hosting;
using LetsData.Runtime.Tests.Plugins;
using LetsData.Runtime.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LetsData.Runtime.Tests.Hosting;

/// <summary>
/// The initialization test's smoke run is remembered per plugin build and dataset in the state folder: a second run of
/// the same build on the same dataset skips it, a changed build, dataset file or first input runs it, and
/// <c>--revalidate</c> always runs it.
/// </summary>
[TestFixture]
public sealed class SmokeRunCacheTests
{
    private const string ParserClass = "LetsData.TestPlugins.GoodParser.CountingParser";
    private string _root = "";
    private string _plugin = "";
    private string _dataset = "";
    private string _state = "";

    [SetUp]
    public void CreateFolder()
    {
        _root = Directory.CreateTempSubdirectory("letsdata-smoke-cache-").FullName;
        // A private copy of the plugin's folder: the tests rebuild it by changing a file.
        var pluginFolder = Path.Combine(_root, "plugins", "GoodParser");
        Directory.CreateDirectory(pluginFolder);
        foreach (var file in Directory.EnumerateFiles(TestPluginBuilds.FolderOf("GoodParser")))
        {
            File.Copy(file, Path.Combine(pluginFolder, Path.GetFileName(file)));
        }

        _plugin = Path.Combine(pluginFolder, "GoodParser.dll");
        Directory.CreateDirectory(Path.Combine(_root, "input"));
        File.WriteAllText(Path.Combine(_root, "input", "a.txt"), "one\ntwo\nthree\n");
        _dataset = WriteDataset(concurrency: 1);
        _state = Path.Combine(_root, "state");
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_root, recursive: true);

    [Test]
    public void NothingRemembered_IsAMiss()
    {
        var pass = new SmokeRunCache(_state).Find(KeyNow(), out var reason);

        Assert.That(pass, Is.Null);
        Assert.That(reason, Is.EqualTo("no pass remembered"));
    }

    [Test]
    public void ThePassOfTheSameBuildAndDataset_IsFound()
    {
        var passedAt = new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero);
        new SmokeRunCache(_state).Record(KeyNow(), passedAt, "3 record(s) -> 3 document(s)");

        var pass = new SmokeRunCache(_state).Find(KeyNow(), out _);

        Assert.That(pass, Is.EqualTo(new SmokeRunPass(passedAt, "3 record(s) -> 3 document(s)")));
    }

    [Test]
    public void ARebuiltPlugin_IsAMiss()
    {
        new SmokeRunCache(_state).Record(KeyNow(), DateTimeOffset.UtcNow, "passed");
        // Same size, one byte different: the hash is over contents, not sizes or times.
        var deps = Path.Combine(Path.GetDirectoryName(_plugin)!, "GoodParser.deps.json");
        var text = File.ReadAllText(deps);
        File.WriteAllText(deps, text[..^1] + (text[^1] == ' ' ? "\n" : " "));

        var pass = new SmokeRunCache(_state).Find(KeyNow(), out var reason);

        Assert.That(pass, Is.Null);
        Assert.That(reason, Is.EqualTo("plugin build changed since the last pass"));
    }

    [Test]
    public void AChangedDatasetFile_IsAMiss()
    {
        new SmokeRunCache(_state).Record(KeyNow(), DateTimeOffset.UtcNow, "passed");
        WriteDataset(concurrency: 2);

        var pass = new SmokeRunCache(_state).Find(KeyNow(), out var reason);

        Assert.That(pass, Is.Null);
        Assert.That(reason, Is.EqualTo("dataset changed since the last pass"));
    }

    [Test]
    public void AChangedFirstInputFile_IsAMiss()
    {
        new SmokeRunCache(_state).Record(KeyNow(), DateTimeOffset.UtcNow, "passed");
        File.AppendAllText(Path.Combine(_root, "input", "a.txt"), "four\n");

        var pass = new SmokeRunCache(_state).Find(KeyNow(), out var reason);

        Assert.That(pass, Is.Null);
        Assert.That(reason, Is.EqualTo("dataset changed since the last pass"));
    }

    [Test]
    public void AnUnreadableEntry_IsAMissThatSaysWhy()
    {
        Directory.CreateDirectory(_state);
        File.WriteAllText(Path.Combine(_state, SmokeRunCache.FileName), "half a line");

        var pass = new SmokeRunCache(_state).Find(KeyNow(), out var reason);

        Assert.That(pass, Is.Null);
        Assert.That(reason, Does.StartWith("the remembered pass (").And.Contain("is unreadable"));
    }

    // The run command end to end, in-process and with data-task processes: the first run smoke-runs and remembers, the
    // second skips and says so, --revalidate runs it again, and a rebuilt plugin runs it again.
    [TestCase(true)]
    [TestCase(false)]
    public async Task Run_RemembersThePass_SkipsItNextTime_RevalidateAndARebuildRunItAgain(bool inProcess)
    {
        var first = await RunAsync(revalidate: false, inProcess);
        var second = await RunAsync(revalidate: false, inProcess);
        var forced = await RunAsync(revalidate: true, inProcess);
        File.AppendAllText(Path.Combine(Path.GetDirectoryName(_plugin)!, "GoodParser.deps.json"), " ");
        var rebuilt = await RunAsync(revalidate: false, inProcess);

        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.EqualTo(ExitCodes.Success), first.Log);
            Assert.That(first.Log, Does.Contain("initialization test: smoke run due (no pass remembered)"));
            Assert.That(Path.Combine(_state, SmokeRunCache.FileName), Does.Exist);
            Assert.That(second.ExitCode, Is.EqualTo(ExitCodes.Success), second.Log);
            Assert.That(second.Log, Does.Contain("initialization test: smoke run skipped: plugin build ").And.Contain("--revalidate runs it again"));
            Assert.That(forced.Log, Does.Contain("initialization test: smoke run due (--revalidate)"));
            Assert.That(rebuilt.Log, Does.Contain("initialization test: smoke run due (plugin build changed since the last pass)"));
            Assert.That(File.ReadAllLines(Path.Combine(_root, "documents", "task-0001.a.jsonl")), Has.Length.EqualTo(3), "the run itself is unchanged");
        });
    }

    private SmokeRunKey KeyNow()
    {
        var dataset = DatasetLoader.Load(_dataset, _root);
        var tasks = ManifestParser.Parse(dataset.ManifestText, dataset.ReaderType, dataset.ManifestSource);
        return SmokeRunKey.Of(_plugin, _dataset, dataset, tasks);
    }

    private async Task<(int ExitCode, string Log)> RunAsync(bool revalidate, bool inProcess)
    {
        var logger = new LinesLogger();
        var run = new CommandLine("run", _dataset, _root, Concurrency: null)
        {
            InProcess = inProcess, StateDirectory = _state, Revalidate = revalidate, RerunCompleted = true,
        };
        var exitCode = await new RunCommand(new ProgressReporter(NullLogger<ProgressReporter>.Instance), logger)
            .ExecuteAsync(run, TextWriter.Null, CancellationToken.None);
        return (exitCode, logger.Text);
    }

    private string WriteDataset(int concurrency) =>
        LocalFilesDataset.Write(_root, "SmokeCache", _plugin, ParserClass, "a.txt", concurrency);

    /// <summary>Keeps every formatted log line.</summary>
    private sealed class LinesLogger : ILogger<RunCommand>
    {
        private readonly List<string> _lines = [];

        public string Text
        {
            get
            {
                lock (_lines)
                {
                    return string.Join('\n', _lines);
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception));
            }
        }
    }
}
