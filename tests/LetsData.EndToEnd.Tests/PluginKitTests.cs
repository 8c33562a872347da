using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// The plugin author's path from packages alone, as a new user takes it: pack, install the template, create a
/// plugin, run its tests, publish it, install the worker tool from the packages, validate and run the dataset.
/// The template hive, tools and NuGet package folder are a temp folder's (DOTNET_CLI_HOME, NUGET_PACKAGES), so
/// neither the user's template list nor their NuGet caches or configuration change.
/// </summary>
public sealed class PluginKitTests
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);

    // Inherited from the `dotnet test` build that started this test host; a child build must find its own SDK.
    private static readonly string[] MsBuildVariables = ["MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly"];

    [Test]
    public void A_plugin_made_from_the_template_is_tested_published_and_run_from_packages_alone()
    {
        var workspace = Workspace.Create(nameof(PluginKitTests));
        var packages = Path.Combine(Repo.Root, "artifacts", "packages");
        var home = Directory.CreateDirectory(Path.Combine(workspace.Directory, "home")).FullName;
        var nugetPackages = Directory.CreateDirectory(Path.Combine(workspace.Directory, "nuget-packages")).FullName;
        var tools = Path.Combine(workspace.Directory, "tools");
        WriteOfflineNuGetConfig(workspace.Directory);

        lock (TestPluginArtifacts.Gate) // packing builds the contract, as publishing a test plugin does
        {
            Step(Repo.Root, PackTimeout, "bash", "build.sh", "--target=Pack");
        }

        var template = Directory.GetFiles(packages, "LetsData.Templates.*.nupkg").Single();
        Dotnet(workspace.Directory, "new", "install", template);

        // The default reader type (Single File Reader): one document per line.
        var acme = CreateTestAndPublish("Acme.Parser", "acme");
        Assert.That(File.ReadAllText(Path.Combine(acme, "nuget.config")), Does.Not.Contain(Path.Combine(Repo.Root, "LetsData")),
            "the generated plugin must restore from packages, never from this repository's sources");

        // From the plugin's folder: its nuget.config names the package folder (--add-source cannot be combined with
        // this check's package source mapping).
        Dotnet(acme, "tool", "install", "--tool-path", tools, "letsdata");
        var letsdata = Path.Combine(tools, OperatingSystem.IsWindows() ? "letsdata.exe" : "letsdata");

        var (documents, errors) = ValidateAndRun(acme, "4 record(s) -> 3 document(s), 1 error(s)");
        Assert.That(documents, Has.Count.EqualTo(3));
        Assert.That(documents[0], Does.Contain("\"action\":\"login\""));
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.Contain("\"kind\":\"ErrorDoc\"").And.Contain("yesterday-ish"));

        // --reader single-file-state-machine: one session document per run of events up to a logout.
        var sessions = CreateTestAndPublish("Acme.Sessions", "sessions", "--reader", "single-file-state-machine");
        (documents, errors) = ValidateAndRun(sessions, "4 record(s) -> 1 document(s), 1 error(s)");
        Assert.That(documents, Has.Count.EqualTo(1));
        Assert.That(documents[0], Does.Contain("\"recordType\":\"Session\"").And.Contain("\"action\":\"logout\""));
        Assert.That(errors, Has.Count.EqualTo(1));

        // --reader sqs and --reader kinesis: their tests read an in-memory queue and stream; a run needs the queue or
        // the stream (AWS or the emulators), so here the dataset is checked for the reader it names.
        foreach (var (name, folder, reader, readerType) in new[]
                 {
                     ("Acme.Queue", "queue", "sqs", "\"SQS Queue Reader\""),
                     ("Acme.Stream", "stream", "kinesis", "\"Kinesis Record Reader\""),
                 })
        {
            var directory = CreateTestAndPublish(name, folder, "--reader", reader);
            Assert.That(File.ReadAllText(Path.Combine(directory, "dataset.json")), Does.Contain(readerType).And.Contain(name + "."));
        }

        // dotnet new, dotnet test (the generated tests pass), dotnet publish (no contract in the plugin's folder).
        string CreateTestAndPublish(string name, string folder, params string[] options)
        {
            Dotnet(workspace.Directory, ["new", "letsdata-plugin", "-n", name, "-o", folder, "--package-source", packages, .. options]);
            var directory = Path.Combine(workspace.Directory, folder);

            var test = Dotnet(directory, "test");
            Assert.That(test.Stdout, Does.Contain("Passed!").And.Contain("Failed:     0"), test.ToString());

            Dotnet(directory, "publish", name, "-c", "Release", "-o", Path.Combine("plugins", name));
            var published = Path.Combine(directory, "plugins", name);
            Assert.That(Path.Combine(published, name + ".dll"), Does.Exist);
            Assert.That(Directory.GetFiles(published, "LetsData.Interfaces.dll", SearchOption.AllDirectories), Is.Empty,
                "the contract package is compile-only: the worker provides LetsData.Interfaces.dll");
            return directory;
        }

        (List<string> Documents, List<string> Errors) ValidateAndRun(string directory, string smokeRun)
        {
            var validate = Step(directory, StepTimeout, letsdata, "validate", "--dataset", "dataset.json", "--plugins", "plugins");
            Assert.That(validate.Stdout, Does.Contain(smokeRun), validate.ToString());
            Step(directory, StepTimeout, letsdata, "run", "--dataset", "dataset.json", "--plugins", "plugins");
            return (JsonLines(Path.Combine(directory, "out", "documents")), JsonLines(Path.Combine(directory, "out", "errors")));
        }

        ProcessResult Dotnet(string workingDirectory, params string[] arguments) =>
            Step(workingDirectory, StepTimeout, DotnetHost(), arguments);

        ProcessResult Step(string workingDirectory, TimeSpan timeout, string fileName, params string[] arguments)
        {
            var result = ChildProcess.Run(fileName, arguments, workingDirectory, timeout, environment =>
            {
                foreach (var name in MsBuildVariables)
                {
                    environment.Remove(name);
                }

                environment["DOTNET_CLI_HOME"] = home;
                environment["NUGET_PACKAGES"] = nugetPackages;
                environment["DOTNET_NOLOGO"] = "1";
                environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
                environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
                // No MSBuild nodes or compiler server left running after the test.
                environment["MSBUILDDISABLENODEREUSE"] = "1";
                environment["UseSharedCompilation"] = "false";
            });
            TestContext.Progress.WriteLine($"plugin kit: {fileName} {string.Join(' ', arguments)}: exit code {result.ExitCode} after {result.Elapsed.TotalSeconds:F0} s");
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            return result;
        }
    }

    /// <summary>
    /// NUGET_PACKAGES is empty, so every package is restored again: from the machine's own package folder, as a
    /// local source (a parent folder's NuGet.Config), so the check needs no network. The LetsData packages come only
    /// from the generated nuget.config's "letsdata" source: an older LetsData package of the same version in the
    /// machine's folder must not stand in for the one just packed.
    /// </summary>
    private static void WriteOfflineNuGetConfig(string directory)
    {
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(directory, "NuGet.Config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="machine-packages" value="{machinePackages}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="machine-packages">
                  <package pattern="*" />
                </packageSource>
                <packageSource key="letsdata">
                  <package pattern="LetsData.*" />
                  <package pattern="letsdata" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet";

    private static List<string> JsonLines(string directory) =>
        Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal)
            .SelectMany(File.ReadAllLines).Where(line => line.Length > 0).ToList();
}
