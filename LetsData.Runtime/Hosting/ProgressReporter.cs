using LetsData.Runtime.Engine;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// Shows a run's progress while it runs: a line Spectre.Console redraws in place on a terminal
/// (<see cref="TerminalOutput"/>), a log line every few seconds otherwise (redirected output stays readable in CI logs
/// and files).
/// </summary>
public sealed class ProgressReporter(ILogger<ProgressReporter> logger)
{
    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(5);

    public async Task ReportUntilAsync(RunProgress progress, Task run, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        var started = clock.GetTimestamp();
        if (TerminalOutput.RichConsoleFor(Console.Out) is { } console)
        {
            // AutoClear: the summary that follows replaces the progress line.
            await console.Live(new Text("")).AutoClear(true).StartAsync(async live =>
            {
                using var timer = new PeriodicTimer(TerminalInterval, clock);
                while (await Task.WhenAny(run, timer.WaitForNextTickAsync().AsTask()).ConfigureAwait(false) != run)
                {
                    live.UpdateTarget(new Text(Describe(progress, clock.GetElapsedTime(started))));
                }
            }).ConfigureAwait(false);
            return;
        }

        using var logTimer = new PeriodicTimer(LogInterval, clock);
        while (await Task.WhenAny(run, logTimer.WaitForNextTickAsync().AsTask()).ConfigureAwait(false) != run)
        {
            logger.LogInformation("progress: {Line}", Describe(progress, clock.GetElapsedTime(started)));
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
