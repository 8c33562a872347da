using LetsData.Runtime.Engine;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// Shows a run's progress while it runs: one line redrawn in place on a terminal, a log line every few seconds
/// otherwise (redirected output stays readable in CI logs and files).
/// </summary>
public sealed class ProgressReporter(ILogger<ProgressReporter> logger)
{
    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(5);

    public async Task ReportUntilAsync(RunProgress progress, Task run, TimeProvider? time = null)
    {
        var onTerminal = !Console.IsOutputRedirected;
        var started = (time ?? TimeProvider.System).GetTimestamp();
        using var timer = new PeriodicTimer(onTerminal ? TerminalInterval : LogInterval);
        while (await Task.WhenAny(run, timer.WaitForNextTickAsync().AsTask()).ConfigureAwait(false) != run)
        {
            var elapsed = (time ?? TimeProvider.System).GetElapsedTime(started);
            var line = Describe(progress, elapsed);
            if (onTerminal)
            {
                Console.Write($"\r{line}\u001b[K");
            }
            else
            {
                logger.LogInformation("progress: {Line}", line);
            }
        }

        if (onTerminal)
        {
            Console.Write("\r\u001b[K");
        }
    }

    private static string Describe(RunProgress progress, TimeSpan elapsed)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        return $"tasks {progress.TasksDone}/{progress.TasksTotal} ({progress.TasksErrored} errored) | " +
               $"records {progress.Records:N0} | documents {progress.Documents:N0} | errors {progress.Errors:N0} | " +
               $"skips {progress.Skips:N0} | {progress.BytesScanned / seconds / 1e6:F1} MB/s";
    }
}
