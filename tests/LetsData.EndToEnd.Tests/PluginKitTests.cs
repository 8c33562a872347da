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
        var acme = Path.Combine(workspace.Directory, "acme");
        WriteOfflineNuGetConfig(workspace.Directory);

        Step(Repo.Root, PackTimeout, "bash", "build.sh", "--target=Pack");
        var template = Directory.GetFiles(packages, "LetsData.Templates.*.nupkg").Single();

        Dotnet(workspace.Directory, "new", "install", template);
        Dotnet(workspace.Directory, "new", "letsdata-plugin", "-n", "Acme.Parser", "-o", "acme", "--package-source", packages);
        Assert.That(File.ReadAllText(Path.Combine(acme, "nuget.config")), Does.Not.Contain(Path.Combine(Repo.Root, "LetsData")),
            "the generated plugin must restore from packages, never from this repository's sources");

        var test = Dotnet(acme, "test");
        Assert.That(test.Stdout, Does.Contain("Passed!").And.Contain("Failed:     0"), test.ToString());

        Dotnet(acme, "publish", "Acme.Parser", "-c", "Release", "-o", Path.Combine("plugins", "Acme.Parser"));
        var published = Path.Combine(acme, "plugins", "Acme.Parser");
        Assert.That(Path.Combine(published, "Acme.Parser.dll"), Does.Exist);
        Assert.That(Directory.GetFiles(published, "LetsData.Interfaces.dll", SearchOption.AllDirectories), Is.Empty,
            "the contract package is compile-only: the worker provides LetsData.Interfaces.dll");

        // From the plugin's folder: its nuget.config names the package folder (--add-source cannot be combined with
        // this check's package source mapping).
        Dotnet(acme, "tool", "install", "--tool-path", tools, "letsdata");
        var letsdata = Path.Combine(tools, OperatingSystem.IsWindows() ? "letsdata.exe" : "letsdata");

        var validate = Step(acme, StepTimeout, letsdata, "validate", "--dataset", "dataset.json", "--plugins", "plugins");
        Assert.That(validate.Stdout, Does.Contain("3 document(s), 1 error(s)"), validate.ToString());
        Step(acme, StepTimeout, letsdata, "run", "--dataset", "dataset.json", "--plugins", "plugins");

        var documents = JsonLines(Path.Combine(acme, "out", "documents"));
        var errors = JsonLines(Path.Combine(acme, "out", "errors"));
        Assert.That(documents, Has.Count.EqualTo(3));
        Assert.That(documents[0], Does.Contain("\"action\":\"login\""));
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.Contain("\"kind\":\"ErrorDoc\"").And.Contain("yesterday-ish"));

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
