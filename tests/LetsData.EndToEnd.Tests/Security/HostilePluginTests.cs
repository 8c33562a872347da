using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests.Security;

/// <summary>
/// The plugin fence, end to end: each hostile plugin (tests/TestPlugins/HostilePlugins) runs through the published
/// worker over a.txt, trigger.txt and b.txt, with secrets in the worker's environment and in <c>$HOME/.aws/credentials</c>.
/// Its attack must have no effect (no secret in any output or at the test's loopback listener, no marker file outside
/// the dataset, no <c>/etc/passwd</c> in the outputs), the worker must survive it (exit 0 or 1 by itself), and the other
/// tasks must complete; the trigger task completes without the effect or errors naming the plugin and the file.
/// <c>validate</c> (whose smoke run reads trigger.txt first) gets the same checks.
/// </summary>
[Platform(Include = "Linux", Reason = "the attacks and the confinement are Linux's")]
public sealed class HostilePluginTests : WorkerTest
{
    private const string Project = "HostilePlugins";
    private const string Namespace = "LetsData.TestPlugins.HostilePlugins";

    /// <summary>A hang guard, never a time assertion: a worker still running after it has hung.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(120);

    /// <summary>Where the memory bomb stops when nothing stops it first (the data-task heap limit is assumed below it).</summary>
    private const long MemoryBombCapBytes = 3L << 30;

    private static readonly string[] LinesA = ["alpha 1", "alpha 2", "alpha 3"];
    private static readonly string[] LinesB = ["beta 1", "beta 2", "beta 3", "beta 4"];

    [OneTimeSetUp]
    public static void PublishHostilePlugins() => TestPluginArtifacts.Publish(Project, "HostileHelperDll", "HostileHelperExe");

    public static IEnumerable<TestCaseData> Attacks()
    {
        // Secrets.
        yield return Case("EnvironmentByReflectionParser");
        yield return Case("ProcSelfEnvironParser");
        yield return Case("AwsCredentialsFileViaXmlParser");
        yield return Case("StaticFieldSecretsParser");
        yield return Case("AwsSdkCredentialsParser");

        // I/O outside the dataset.
        yield return Case("MarkerFileViaXmlWriterParser");
        yield return Case("EtcPasswdViaXmlResolverParser");
        yield return Case("ProcOneListingParser");
        yield return Case("HttpExfiltrationParser");

        // Processes.
        yield return Case("ProcessStartByReflectionParser");
        yield return Case("LibcSystemParser");

        // Dependencies the scan does not list.
        yield return Case("UpperCaseDllDependencyParser");
        yield return Case("ExeDependencyParser");

        // Crashes and hangs.
        yield return Case("FailFastParser", inCall: true);
        yield return Case("StackOverflowParser", inCall: true);
        yield return Case("TimerExceptionParser", inCall: true);
        yield return Case("MemoryBombParser", inCall: true);
        yield return Case("InfiniteLoopParser", inCall: true, callTimeoutSeconds: 3);
        yield return Case("ProcessExitHangParser", callTimeoutSeconds: 3);
        yield return Case("ConsoleLockParser", inCall: true, callTimeoutSeconds: 3);
        yield return Case("KillParentParser", inCall: true);

        // A stop request while the plugin ignores SIGTERM and blocks: no call timeout, the signal must end the run.
        yield return Case("SigtermIgnoringParser", callTimeoutSeconds: 0, sigterm: true);
    }

    [TestCaseSource(nameof(Attacks))]
    public void HostilePlugin_HasNoEffect_WorkerAndOtherTasksSurvive(HostileAttack attack)
    {
        using var listener = new LoopbackListener();
        var secrets = new Secrets(Work.Directory);
        var outside = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"letsdata-hostile-{Guid.NewGuid():N}")).FullName;
        try
        {
            WriteInputs(outside, listener.Port);
            var runDataset = WriteDataset(attack, "run.json", "a.txt\ntrigger.txt\nb.txt");
            var validateDataset = WriteDataset(attack, "validate.json", "trigger.txt\na.txt\nb.txt");

            var validate = Work.Worker(["validate", "--dataset", validateDataset, "--plugins", TestPluginArtifacts.PluginsDirectory],
                secrets.Apply, HangGuard);
            var validateEffects = Effects(secrets, outside, listener, validate);
            ResetEffects(outside, listener);

            var run = Work.Worker(["run", "--dataset", runDataset, "--plugins", TestPluginArtifacts.PluginsDirectory],
                secrets.Apply, HangGuard, attack.Sigterm ? SignalOnceTheOtherTasksEnded : null);
            var runEffects = Effects(secrets, outside, listener, run);
            var (tasks, tasksProblem) = TasksJson(runDataset);
            TestContext.Out.WriteLine($"{attack}: validate {Outcome(validate)}; run {Outcome(run)}");

            Assert.Multiple(() =>
            {
                AssertSurvived("validate", validate);
                Assert.That(validateEffects, Is.Empty, $"effects during validate:{Environment.NewLine}{validate}");
                AssertSurvived("run", run);
                Assert.That(runEffects, Is.Empty, $"effects during run:{Environment.NewLine}{run}");
                AssertTasks(attack, tasks, tasksProblem, run);
            });
        }
        finally
        {
            TryDelete(outside);
        }
    }

    // The default call timeout leaves slow attacks (the memory bomb filling 3 GB, the static field walk) time to finish
    // on a loaded machine, so that what they obtain shows; the hang cases set a short one.
    private static TestCaseData Case(string className, bool inCall = false, int callTimeoutSeconds = 90, bool sigterm = false) =>
        new TestCaseData(new HostileAttack(className, inCall, callTimeoutSeconds, sigterm)).SetArgDisplayNames(className);

    private void WriteInputs(string outside, int port)
    {
        _ = Work.InputPath; // created
        Work.WriteText(Path.Combine("input", "a.txt"), string.Join('\n', LinesA) + "\n");
        Work.WriteText(Path.Combine("input", "b.txt"), string.Join('\n', LinesB) + "\n");
        // The first line tells the attack where to aim: a folder outside the dataset, the listener's port, the test
        // runner's pid (never to be killed) and the memory bomb's bound.
        Work.WriteText(Path.Combine("input", "trigger.txt"),
            $"trigger marker={outside} port={port} protect={Environment.ProcessId} cap={MemoryBombCapBytes}\ngamma 2\ngamma 3\n");
    }

    private string WriteDataset(HostileAttack attack, string fileName, string manifest)
    {
        var dataset = new JsonObject
        {
            ["datasetName"] = "Hostile" + attack.ClassName,
            ["readConnector"] = new JsonObject
            {
                ["connectorDestination"] = "LocalFiles",
                ["artifactImplementationLanguage"] = "dotnet",
                ["artifactFile"] = TestPluginArtifacts.ArtifactFile(Project),
                ["rootPath"] = Work.InputPath,
                ["readerType"] = "Single File Reader",
                ["singleFileParserImplementationClassName"] = $"{Namespace}.{attack.ClassName}",
            },
            ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Work.DocumentsPath },
            ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Work.ErrorsPath },
            ["computeEngine"] = new JsonObject
            {
                ["computeEngineType"] = "Local",
                ["concurrency"] = 2,
                ["pluginCallTimeoutSeconds"] = attack.CallTimeoutSeconds,
            },
            ["manifestFile"] = new JsonObject
            {
                ["manifestType"] = "S3ReaderTextManifestFile",
                ["readerType"] = "SINGLEFILEREADER",
                ["fileContents"] = manifest,
            },
            // Every assembly of the plugin's folder is allowed past the metadata scan (pinned by hash, as a reviewer
            // would): these cases prove the operating-system fence on its own. Without this the scan refuses them all
            // before anything runs (tests/LetsData.Runtime.Tests/Plugins/Policy).
            ["pluginPolicy"] = new JsonObject { ["allow"] = AllowEveryAssemblyOfThePlugin() },
        };
        return Work.WriteDataset(dataset, fileName);
    }

    private static JsonArray AllowEveryAssemblyOfThePlugin()
    {
        var folder = Path.GetDirectoryName(Path.Combine(TestPluginArtifacts.PluginsDirectory, TestPluginArtifacts.ArtifactFile(Project)))!;
        var allow = new JsonArray();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string name;
            try
            {
                name = System.Reflection.AssemblyName.GetAssemblyName(file).Name!;
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException)
            {
                continue;
            }

            allow.Add(new JsonObject
            {
                ["assembly"] = name,
                ["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))),
                ["reason"] = "hostile on purpose: the test proves the operating-system fence without the scan",
            });
        }

        return allow;
    }

    /// <summary>SIGTERM once a.txt's and b.txt's tasks have their outputs (the trigger task is then blocked), or after 60 s.</summary>
    private void SignalOnceTheOtherTasksEnded(Process worker)
    {
        var outputs = new[] { "task-0001.a.jsonl", "task-0003.b.jsonl" }.Select(f => Path.Combine(Work.DocumentsPath, f)).ToArray();
        var waited = Stopwatch.StartNew();
        while (!outputs.All(File.Exists) && !worker.HasExited && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(50);
        }

        Thread.Sleep(500);
        if (!worker.HasExited)
        {
            Posix.Signal(worker.Id, Posix.SigTerm);
        }
    }

    /// <summary>Every trace of an attack that worked: what it obtained where the test can see it, and what it left outside.</summary>
    private List<string> Effects(Secrets secrets, string outside, LoopbackListener listener, ProcessResult result)
    {
        var effects = new List<string>();
        var home = secrets.Home + Path.DirectorySeparatorChar;
        foreach (var file in Directory.EnumerateFiles(Work.Directory, "*", SearchOption.AllDirectories))
        {
            if (file.StartsWith(home, StringComparison.Ordinal))
            {
                continue; // the credentials file itself
            }

            if (file.EndsWith(".marker", StringComparison.Ordinal))
            {
                effects.Add($"marker file {file}");
            }

            var text = ReadShared(file);
            effects.AddRange(secrets.FoundIn(text).Select(s => $"{s} in {Path.GetRelativePath(Work.Directory, file)}"));
        }

        effects.AddRange(Directory.EnumerateFileSystemEntries(outside, "*", SearchOption.AllDirectories).Select(f => $"written outside: {f}"));
        effects.AddRange(listener.Received.Select(r => $"the loopback listener got a connection: {Shorten(r)}"));
        effects.AddRange(secrets.FoundIn(result.Stdout + result.Stderr).Select(s => $"{s} in the worker's console output"));
        return effects;
    }

    private static void ResetEffects(string outside, LoopbackListener listener)
    {
        foreach (var entry in Directory.EnumerateFiles(outside, "*", SearchOption.AllDirectories))
        {
            File.Delete(entry);
        }

        listener.Clear();
    }

    /// <summary>
    /// The worker ended by itself with 0, 1 or 3 (3: stopped with tasks left, e.g. after the test's SIGTERM) — no crash,
    /// no death by signal, not killed by the hang guard — and reported no unhandled exception of its own.
    /// </summary>
    private static void AssertSurvived(string command, ProcessResult result)
    {
        Assert.That(result.TimedOut, Is.False, $"{command}: the worker was still running after {HangGuard.TotalSeconds:F0} s (hung):{Environment.NewLine}{result}");
        if (!result.TimedOut)
        {
            Assert.That(result.ExitCode, Is.AnyOf(0, 1, 3), $"{command}: the worker did not end by itself with 0, 1 or 3 (a crash or a signal):{Environment.NewLine}{result}");
        }

        Assert.That(WorkerUnhandledExceptions(result.Stderr), Is.Empty, $"{command}: an unhandled exception of the worker:{Environment.NewLine}{result}");
    }

    private void AssertTasks(HostileAttack attack, List<JsonObject>? tasks, string? tasksProblem, ProcessResult run)
    {
        if (tasks is null)
        {
            Assert.Fail($"the task states could not be read: {tasksProblem}");
            return;
        }

        var byId = tasks.ToDictionary(t => (string)t["taskId"]!);
        AssertCompleted(byId, "task-0001", "a.txt", LinesA.Length);
        AssertCompleted(byId, "task-0003", "b.txt", LinesB.Length);
        if (attack.Sigterm)
        {
            return; // stopped while its plugin blocked: neither completed nor errored
        }

        if (!byId.TryGetValue("task-0002", out var trigger))
        {
            Assert.Fail($"no task-0002 (trigger.txt) in the task states:{Environment.NewLine}{run}");
            return;
        }

        var status = (string?)trigger["status"];
        Assert.That(status, Is.AnyOf("COMPLETED", "ERRORED"), $"the trigger task: {trigger.ToJsonString()}");
        if (status == "ERRORED")
        {
            // The plugin by its class or its assembly (as the worker's messages say "plugin HostilePlugins: ..."); for
            // an attack inside the call, the method and the offset as well.
            var message = (string?)trigger["lastError"]?["message"] ?? "";
            Assert.That(message, Does.Contain("trigger.txt").And.Contain(attack.ClassName).Or.Contain("trigger.txt").And.Contain(Project),
                $"the trigger task's error names the file and the plugin: {trigger.ToJsonString()}");
            if (attack.InCall)
            {
                Assert.That(message, Does.Contain("ParseDocument").And.Contain("offset"),
                    $"the trigger task's error names the plugin method and the offset: {trigger.ToJsonString()}");
            }
        }
    }

    private void AssertCompleted(Dictionary<string, JsonObject> tasks, string taskId, string file, int lines)
    {
        if (!tasks.TryGetValue(taskId, out var task))
        {
            Assert.Fail($"no {taskId} ({file}) in the task states");
            return;
        }

        Assert.That((string?)task["status"], Is.EqualTo("COMPLETED"), $"{taskId} ({file}): {task.ToJsonString()}");
        Assert.That((long?)task["counters"]?["documents"], Is.EqualTo(lines), $"{taskId} ({file}) documents: {task.ToJsonString()}");
        var output = Path.Combine(Work.DocumentsPath, $"{taskId}.{Path.GetFileNameWithoutExtension(file)}.jsonl");
        Assert.That(File.Exists(output) ? Workspace.ReadJsonLines(output).Select(d => (string?)d["line"]) : [],
            Is.EqualTo(file == "a.txt" ? LinesA : LinesB), $"{taskId} ({file}): its documents in {output}");
    }

    private (List<JsonObject>? Tasks, string? Problem) TasksJson(string datasetFile)
    {
        var result = Work.Worker(["tasks", "list", "--dataset", datasetFile, "--json"], _ => { }, TimeSpan.FromSeconds(60));
        return result.ExitCode == 0
            ? (JsonNode.Parse(result.Stdout)!.AsArray().Select(t => t!.AsObject()).ToList(), null)
            : (null, result.ToString());
    }

    /// <summary>
    /// The "Unhandled exception." reports in <paramref name="stderr"/> that are the worker's own: a report whose text
    /// names the hostile plugin is a data task's death relayed by the supervisor, which is allowed.
    /// </summary>
    private static List<string> WorkerUnhandledExceptions(string stderr)
    {
        var reports = new List<string>();
        // The supervisor relays a data-task process's lines with the task it runs in front: "[task-0002] ...".
        var lines = stderr.Split('\n').Select(l => l.StartsWith('[') && l.IndexOf("] ", StringComparison.Ordinal) is > 0 and var end ? l[(end + 2)..] : l)
            .ToArray();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].Contains("Unhandled exception.", StringComparison.Ordinal))
            {
                continue;
            }

            var report = new StringBuilder(lines[i]);
            for (var j = i + 1; j < lines.Length && lines[j].Length > 0 && char.IsWhiteSpace(lines[j][0]); j++)
            {
                report.Append('\n').Append(lines[j]);
            }

            if (!report.ToString().Contains(Namespace, StringComparison.Ordinal))
            {
                reports.Add(report.ToString());
            }
        }

        return reports;
    }

    private static string Outcome(ProcessResult result) =>
        result.TimedOut ? $"hung (killed after {result.Elapsed.TotalSeconds:F0} s)" : $"exit {result.ExitCode} after {result.Elapsed.TotalSeconds:F1} s";

    private static string ReadShared(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>One hostile plugin class and what its test expects.</summary>
    /// <param name="ClassName">The class in HostilePlugins.</param>
    /// <param name="InCall">The attack crashes or blocks inside ParseDocument: an error must name that method and the offset.</param>
    /// <param name="CallTimeoutSeconds">The dataset's computeEngine.pluginCallTimeoutSeconds (0: no limit).</param>
    /// <param name="Sigterm">The run gets SIGTERM once the other tasks ended.</param>
    public sealed record HostileAttack(string ClassName, bool InCall, int CallTimeoutSeconds, bool Sigterm)
    {
        public override string ToString() => ClassName;
    }

    /// <summary>
    /// The secrets of one test: AWS keys and a test variable in the worker's environment, other AWS keys in
    /// <c>$HOME/.aws/credentials</c> (HOME is a folder of the workspace, skipped when the outputs are searched).
    /// </summary>
    private sealed class Secrets
    {
        private const string PasswdRootLine = "root:x:0:0";
        private const string ProcOneEntry = "/proc/1/environ";
        private const string EffectMarker = "HOSTILE-EFFECT";

        public Secrets(string workspace)
        {
            Home = Directory.CreateDirectory(Path.Combine(workspace, "home")).FullName;
            var aws = Directory.CreateDirectory(Path.Combine(Home, ".aws")).FullName;
            File.WriteAllText(Path.Combine(aws, "credentials"),
                $"[default]\naws_access_key_id = AKIALETSDATAFILE0000\naws_secret_access_key = {CredentialsFileSecret}\n");
        }

        public string Home { get; }

        public string EnvironmentSecret { get; } = $"letsdata-test-secret-{Guid.NewGuid():N}";

        public string TestVariable { get; } = Guid.NewGuid().ToString("N");

        public string CredentialsFileSecret { get; } = $"letsdata-test-credentials-{Guid.NewGuid():N}";

        /// <summary>The worker's environment: the test's, with the secrets and HOME, and nothing that points the AWS SDK elsewhere.</summary>
        public void Apply(IDictionary<string, string?> environment)
        {
            foreach (var name in new[] { "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_SESSION_TOKEN" })
            {
                environment.Remove(name);
            }

            environment["AWS_ACCESS_KEY_ID"] = "AKIALETSDATAENV00000";
            environment["AWS_SECRET_ACCESS_KEY"] = EnvironmentSecret;
            environment["LETSDATA_TEST_SECRET"] = TestVariable;
            environment["HOME"] = Home;
        }

        /// <summary>Which secrets (or traces of a working attack) <paramref name="text"/> holds.</summary>
        public IEnumerable<string> FoundIn(string text)
        {
            var found = new (string Value, string Name)[]
            {
                (EnvironmentSecret, "AWS_SECRET_ACCESS_KEY"),
                (TestVariable, "LETSDATA_TEST_SECRET"),
                (CredentialsFileSecret, "the credentials file's secret key"),
                (PasswdRootLine, "/etc/passwd's root line"),
                (ProcOneEntry, "a listing of /proc/1"),
                (EffectMarker, "a HOSTILE-EFFECT report"),
            };
            return found.Where(f => text.Contains(f.Value, StringComparison.Ordinal)).Select(f => f.Name);
        }
    }
}
