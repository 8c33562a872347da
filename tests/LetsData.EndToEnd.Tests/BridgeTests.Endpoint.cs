using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// <c>bridgeEndpoint</c> through the published worker: the python-warc project behind a fake Lambda runtime interface
/// emulator (tests/TestPlugins/Bridge/fake-rie, which checks LetsData's envelope and answers through our own host)
/// writes exactly what the local host writes — from a local-files dataset, whose data-task processes may open a TCP
/// connection only to the endpoint's port. An endpoint nobody listens on fails validate and the run, naming it.
/// </summary>
public sealed partial class BridgeTests
{
    [Test]
    public void Endpoint_WritesExactlyWhatTheLocalHostWrites_ThroughTheDataTaskFence()
    {
        using var rie = StartFakeRie("python", Project("python-warc"));
        var local = Dataset("local");
        var remote = Dataset("remote");
        foreach (var dataset in new[] { local, remote })
        {
            var read = dataset["readConnector"]!.AsObject();
            read["artifactImplementationLanguage"] = "python";
            read["artifactFile"] = Project("python-warc");
            read.Remove("singleFileParserImplementationClassName");
        }

        remote["readConnector"]!["bridgeEndpoint"] = rie.Endpoint;

        var expected = Work.Run(Work.WriteDataset(local, "local.json"), "--state", Path.Combine(Work.Directory, "state-local"));
        var validated = Work.Validate(Work.WriteDataset(remote, "remote.json"));
        var actual = Work.Run(Path.Combine(Work.Directory, "remote.json"), "--state", Path.Combine(Work.Directory, "state-remote"));

        Assert.That(expected.ExitCode, Is.Zero, expected.ToString());
        Assert.That(validated.ExitCode, Is.Zero, validated.ToString());
        Assert.That(validated.StdoutLines, Has.Some.StartsWith($"ok   python project {Project("python-warc")} served by the bridge endpoint {rie.Endpoint}"),
            validated.ToString());
        Assert.That(actual.ExitCode, Is.Zero, actual.ToString());
        Assert.That(actual.Stdout, Does.Contain("2 task(s) completed, 0 errored"), actual.ToString());
        Assert.That(actual.ToString(), Does.Not.Contain("bridge host, started before"), "no host in the data-task processes");
        OutputFolders.AssertSame(Out("local", "documents"), Out("remote", "documents"), "documents through the endpoint");
        OutputFolders.AssertSame(Out("local", "errors"), Out("remote", "errors"), "error records through the endpoint");
    }

    [Test]
    public void EndpointNobodyListensOn_FailsValidateAndTheRun_NamingIt()
    {
        var endpoint = $"http://127.0.0.1:{FreePort()}/2015-03-31/functions/function/invocations";
        var dataset = Dataset("down");
        var read = dataset["readConnector"]!.AsObject();
        read["artifactImplementationLanguage"] = "python";
        read["artifactFile"] = Project("python-warc");
        read["bridgeEndpoint"] = endpoint;
        read.Remove("singleFileParserImplementationClassName");

        var validated = Work.Validate(Work.WriteDataset(dataset));
        var run = Work.Run(Path.Combine(Work.Directory, "dataset.json"));

        Assert.That(validated.ExitCode, Is.EqualTo(1), validated.ToString());
        Assert.That(validated.StdoutLines, Has.Some.StartsWith($"FAIL readConnector.bridgeEndpoint: the bridge endpoint {endpoint} cannot be reached"),
            validated.ToString());
        Assert.That(run.ExitCode, Is.Not.Zero, run.ToString());
        Assert.That(run.ToString(), Does.Contain($"the bridge endpoint {endpoint} cannot be reached"), run.ToString());
    }

    [Test]
    public void EndpointThatGoesAwayMidRun_FailsTheTasksItCannotServe_NamingIt_TheNextRunFinishesThem()
    {
        // python-crash ends its host at "CRASH", and the fake emulator ends with its host: the endpoint is gone.
        using var rie = StartFakeRie("python", Project("python-crash"));
        File.WriteAllText(Path.Combine(Work.InputPath, "a.txt"), "REC 1\nREC 2\n");
        File.WriteAllText(Path.Combine(Work.InputPath, "b.txt"), "REC 1\nREC CRASH\nREC 3\n");
        File.WriteAllText(Path.Combine(Work.InputPath, "c.txt"), "REC 1\n");
        var dataset = LinesDataset("a.txt\nb.txt\nc.txt");
        dataset["readConnector"]!["bridgeEndpoint"] = rie.Endpoint;

        var result = Work.Run(Work.WriteDataset(dataset), "--skip-validation");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Does.Contain("1 task(s) completed, 2 errored"), result.ToString());
        Assert.That(result.ToString(), Does.Contain($"the bridge endpoint {rie.Endpoint} cannot be reached for SingleFileParser.parseDocument"), result.ToString());
        Assert.That(Workspace.ReadJsonLines(Path.Combine(Work.DocumentsPath, "task-0001.a.jsonl")).Select(d => (string?)d["text"]),
            Is.EqualTo(new[] { "REC 1", "REC 2" }), "the task before the endpoint went away");

        // The endpoint is back (an image that no longer crashes): the next run runs the errored tasks, not the completed one.
        var fixedProject = Path.Combine(Work.Directory, "python-fixed");
        CopyFolder(Project("python-crash"), fixedProject);
        var parser = Path.Combine(fixedProject, "letsdata_interfaces", "readers", "parsers", "SingleFileParser.py");
        File.WriteAllText(parser, File.ReadAllText(parser).Replace("os._exit(3)", "pass", StringComparison.Ordinal));
        using var back = StartFakeRie("python", fixedProject);
        dataset["readConnector"]!["bridgeEndpoint"] = back.Endpoint;

        var next = Work.Run(Work.WriteDataset(dataset), "--skip-validation");

        Assert.That(next.ExitCode, Is.Zero, next.ToString());
        Assert.That(next.Stdout, Does.Contain("2 task(s) completed, 0 errored"), next.ToString());
        Assert.That(Workspace.ReadJsonLines(Path.Combine(Work.DocumentsPath, "task-0002.b.jsonl")).Select(d => (string?)d["text"]),
            Is.EqualTo(new[] { "REC 1", "REC CRASH", "REC 3" }));
        Assert.That(Workspace.ReadJsonLines(Path.Combine(Work.DocumentsPath, "task-0003.c.jsonl")).Select(d => (string?)d["text"]),
            Is.EqualTo(new[] { "REC 1" }));
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static FakeRieProcess StartFakeRie(string language, string project)
    {
        var start = new ProcessStartInfo(File.Exists("/usr/bin/node") ? "/usr/bin/node" : "node") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Repo.Root, "tests", "TestPlugins", "Bridge", "fake-rie", "fake_rie.mjs"));
        start.ArgumentList.Add(language);
        start.ArgumentList.Add(project);
        start.ArgumentList.Add(Path.Combine(Repo.Root, "LetsData.Runtime", "Bridge", "Hosts", language == "python" ? "python" : "node",
            language == "python" ? "letsdata_bridge_host.py" : "letsdata_bridge_host.mjs"));
        var process = Process.Start(start)!;
        var port = (process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the fake RIE did not start"))["listening ".Length..];
        return new FakeRieProcess(process, $"http://127.0.0.1:{port}/2015-03-31/functions/function/invocations");
    }

    private sealed class FakeRieProcess(Process process, string endpoint) : IDisposable
    {
        public string Endpoint { get; } = endpoint;

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.WaitForExit();
            process.Dispose();
        }
    }
}
