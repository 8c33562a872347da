using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// Makes sure the published worker and sample plugin exist and are not older than their sources, publishing them
/// when they are (as <c>./build.sh --target=Publish</c> would), so that a plain <c>dotnet test</c> works from a clean
/// clone and never tests stale binaries.
/// </summary>
[SetUpFixture]
public sealed class PublishedArtifactsSetup
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(20);

    // Inherited from the `dotnet test` build that started this test host; a child build must find its own SDK.
    private static readonly string[] MsBuildVariables = ["MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly"];

    [OneTimeSetUp]
    public void PublishWhenStale()
    {
        PublishIfStale("LetsData.Runtime", Path.Combine("artifacts", "letsdata"), [Repo.WorkerExe, Repo.WorkerDll],
            ["LetsData.Runtime", "LetsData.Engine", "LetsData.Interfaces"]);
        PublishIfStale(Repo.SamplesPluginName, Path.Combine("plugins", Repo.SamplesPluginName), [Repo.SamplesPluginDll],
            [Repo.SamplesPluginName, "LetsData.Interfaces"]);
    }

    /// <summary>
    /// Publishes <paramref name="project"/> (a path relative to the repository root) to <paramref name="outputDirectory"/>
    /// unless each of <paramref name="outputs"/> exists and is newer than every file of <paramref name="sourceDirectories"/>.
    /// </summary>
    internal static void PublishIfStale(string project, string outputDirectory, string[] outputs, string[] sourceDirectories)
    {
        var reason = StaleReason(outputs, sourceDirectories);
        if (reason is null)
        {
            TestContext.Progress.WriteLine($"end-to-end: {project} is published and up to date");
            return;
        }

        TestContext.Progress.WriteLine($"end-to-end: publishing {project} to {outputDirectory} ({reason})");
        string[] arguments = ["publish", project, "-c", "Release", "-o", outputDirectory, "--nologo", "-nodeReuse:false"];
        var result = Publish(arguments);
        if (result.ExitCode != 0)
        {
            // Another build (an IDE, ./build.sh) may hold or be rewriting a file this one needs: wait for it once.
            TestContext.Progress.WriteLine($"end-to-end: publishing {project} failed; retrying in {RetryDelay.TotalSeconds:F0} s");
            Thread.Sleep(RetryDelay);
            result = Publish(arguments);
        }

        Assert.That(result.ExitCode, Is.Zero, $"publishing {project} failed: {result}");
        foreach (var output in outputs)
        {
            Assert.That(output, Does.Exist, $"publishing {project} did not produce {output}: {result}");
        }
    }

    private static ProcessResult Publish(string[] arguments) =>
        ChildProcess.Run(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet",
            arguments, Repo.Root, PublishTimeout, environment =>
            {
                foreach (var name in MsBuildVariables)
                {
                    environment.Remove(name);
                }
            });

    /// <summary>Why the outputs must be (re)published, or null when each exists and is newer than every source file.</summary>
    private static string? StaleReason(string[] outputs, string[] sourceDirectories)
    {
        var missing = outputs.FirstOrDefault(o => !File.Exists(o));
        if (missing is not null)
        {
            return $"{Path.GetRelativePath(Repo.Root, missing)} does not exist";
        }

        var oldestOutput = outputs.Min(File.GetLastWriteTimeUtc);
        var newestSource = SourceFiles(sourceDirectories).MaxBy(File.GetLastWriteTimeUtc);
        return newestSource is not null && File.GetLastWriteTimeUtc(newestSource) > oldestOutput
            ? $"{Path.GetRelativePath(Repo.Root, newestSource)} is newer than the published output"
            : null;
    }

    /// <summary>Every file that goes into a project's build: its folder except bin/obj, and the repository-wide build files.</summary>
    private static IEnumerable<string> SourceFiles(string[] projectDirectories)
    {
        foreach (var name in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            var path = Path.Combine(Repo.Root, name);
            if (File.Exists(path))
            {
                yield return path;
            }
        }

        foreach (var project in projectDirectories)
        {
            var directory = Path.Combine(Repo.Root, project);
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
                if (!relative.StartsWith("bin/", StringComparison.Ordinal) && !relative.StartsWith("obj/", StringComparison.Ordinal))
                {
                    yield return file;
                }
            }
        }
    }
}
