using LetsData.Runtime.Datasets;
using LetsData.Runtime.Observability.StatusPage;
using LetsData.Runtime.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// <c>letsdata ui</c>: the status page over a dataset's task records, without a run in this process (a run elsewhere
/// writes the store; the page shows what its checkpoints and outcomes recorded). Serves until stopped (Ctrl+C).
/// </summary>
internal static class StatusPageCommand
{
    public static async Task<int> ExecuteAsync(Dataset dataset, ITaskStore store, int port, TextWriter output, TextWriter errors,
        CancellationToken stopping)
    {
        var problems = new List<string>();
        await using var page = StatusPageServer.TryStart(port, history => new StatusSource(dataset, store, history, TimeProvider.System),
            TimeProvider.System, NullLogger.Instance, problems);
        if (page is null)
        {
            foreach (var problem in problems)
            {
                errors.WriteLine($"letsdata: {problem}");
            }

            return ExitCodes.UnusableInput;
        }

        output.WriteLine($"status page of dataset {dataset.Name}: {page.Address} (Ctrl+C stops it)");
        await output.FlushAsync(stopping).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        return ExitCodes.Success;
    }
}
