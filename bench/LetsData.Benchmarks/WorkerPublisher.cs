using System.Diagnostics;

namespace LetsData.Benchmarks;

/// <summary>Publishes the worker and the sample plugins when they are missing, as the build script's Publish target would.</summary>
internal static class WorkerPublisher
{
    private const int Attempts = 3;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(20);

    public static void EnsurePublished(RepositoryLayout layout)
    {
        if (!File.Exists(layout.WorkerExecutable))
        {
            Publish(layout, "LetsData.Runtime", layout.WorkerDirectory);
        }

        if (!File.Exists(layout.SamplePluginAssembly))
        {
            Publish(layout, "LetsData.Plugins.Samples", layout.SamplePluginDirectory);
        }
    }

    private static void Publish(RepositoryLayout layout, string project, string outputDirectory)
    {
        // Other builds run in the same tree; a failure is most often a file they hold for a moment.
        for (var attempt = 1; ; attempt++)
        {
            Console.Error.WriteLine($"  publishing {project} to {Path.GetRelativePath(layout.Root, outputDirectory)} (attempt {attempt}) ...");
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                WorkingDirectory = layout.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "publish", project, "-c", "Release", "-o", outputDirectory, "--nologo" })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode == 0)
            {
                return;
            }

            var output = stdout.Result + stderr.Result;
            if (attempt == Attempts)
            {
                throw new InvalidOperationException($"dotnet publish {project} failed {Attempts} times; last output:\n{output}");
            }

            Console.Error.WriteLine($"  publish failed (exit {process.ExitCode}); retrying in {RetryDelay.TotalSeconds:F0} s:\n{output}");
            Thread.Sleep(RetryDelay);
        }
    }
}
