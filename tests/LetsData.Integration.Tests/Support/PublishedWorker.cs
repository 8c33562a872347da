using LetsData.EndToEnd.Tests.Support;

namespace LetsData.Integration.Tests.Support;

/// <summary>
/// The published worker (<c>artifacts/letsdata/letsdata</c>) run as a child process against the emulators. The worker
/// and the sample plugin (<c>plugins/LetsData.Plugins.Samples/</c>) are published first when missing or older than
/// their sources, as <c>./build.sh --target=Publish</c> would, so these tests never run stale binaries.
/// </summary>
internal static class PublishedWorker
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    // Inherited from the `dotnet test` build that started this test host; a child build must find its own SDK.
    private static readonly string[] MsBuildVariables = ["MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly"];

    private static readonly Lazy<bool> Published = new(PublishWhenStale, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The published sample plugin's folder: what the tests zip and upload.</summary>
    public static string SamplesPluginFolder => Path.GetDirectoryName(Repo.SamplesPluginDll)!;

    /// <summary>Publishes the worker and the sample plugin once per test run when they are stale.</summary>
    public static void EnsurePublished() => _ = Published.Value;

    /// <summary>
    /// <c>letsdata ARGS</c> in <paramref name="workingDirectory"/> with this process's environment (the emulators'
    /// endpoint and credentials), path-style S3 requests, and <paramref name="environment"/> on top.
    /// </summary>
    public static ProcessResult Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Run(workingDirectory, environment, whileRunning: null, arguments);

    /// <summary>The same, calling <paramref name="whileRunning"/> once the worker has started (e.g. to kill it).</summary>
    public static ProcessResult Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, Action<System.Diagnostics.Process>? whileRunning,
        params string[] arguments)
    {
        EnsurePublished();
        return ChildProcess.Run(Repo.WorkerExe, arguments, workingDirectory, RunTimeout, variables =>
        {
            variables["LETSDATA_S3_FORCE_PATH_STYLE"] = "true";
            foreach (var (name, value) in environment)
            {
                variables[name] = value;
            }
        }, whileRunning);
    }

    private static bool PublishWhenStale()
    {
        PublishIfStale("LetsData.Runtime", Path.GetDirectoryName(Repo.WorkerExe)!, [Repo.WorkerExe, Repo.WorkerDll], ["LetsData.Runtime", "LetsData.Engine", "LetsData.Interfaces"]);
        PublishIfStale(Repo.SamplesPluginName, SamplesPluginFolder, [Repo.SamplesPluginDll], [Repo.SamplesPluginName, "LetsData.Interfaces"]);
        return true;
    }

    private static void PublishIfStale(string project, string outputDirectory, string[] outputs, string[] projectDirectories)
    {
        var newestSource = NewestSourceTime(projectDirectories);
        if (outputs.All(File.Exists) && outputs.Min(File.GetLastWriteTimeUtc) >= newestSource)
        {
            return;
        }

        TestContext.Progress.WriteLine($"published worker: publishing {project} to {outputDirectory} (missing or older than its sources)");
        string[] arguments = ["publish", project, "-c", "Release", "-o", outputDirectory, "--nologo", "-nodeReuse:false"];
        var result = Publish(arguments);
        if (result.ExitCode != 0)
        {
            // The end-to-end tests or an IDE may be publishing the same project right now: wait for them once.
            Thread.Sleep(RetryDelay);
            result = Publish(arguments);
        }

        Assert.That(result.ExitCode, Is.Zero, $"publishing {project} failed: {result}");
    }

    private static ProcessResult Publish(string[] arguments) =>
        ChildProcess.Run(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet",
            arguments, Repo.Root, PublishTimeout, variables =>
            {
                foreach (var name in MsBuildVariables)
                {
                    variables.Remove(name);
                }
            });

    /// <summary>The newest write time among the projects' files (bin/obj excepted) and the repository-wide build files.</summary>
    private static DateTime NewestSourceTime(string[] projectDirectories)
    {
        var buildFiles = new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" }
            .Select(name => Path.Combine(Repo.Root, name)).Where(File.Exists);
        var projectFiles = projectDirectories.SelectMany(project =>
        {
            var directory = Path.Combine(Repo.Root, project);
            return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Where(file =>
            {
                var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
                return !relative.StartsWith("bin/", StringComparison.Ordinal) && !relative.StartsWith("obj/", StringComparison.Ordinal);
            });
        });
        return buildFiles.Concat(projectFiles).Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MinValue).Max();
    }
}
