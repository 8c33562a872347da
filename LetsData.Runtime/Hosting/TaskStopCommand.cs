using LetsData.Runtime.Datasets;
using LetsData.Runtime.Operations;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// <c>letsdata tasks stop</c>: asks the running <c>letsdata run</c> of a dataset to stop one task at its next checkpoint
/// (it ends RERUN; the next run continues it), through the dataset's state folder (see <see cref="TaskStopRequests"/>).
/// </summary>
internal static class TaskStopCommand
{
    /// <summary>How long the command waits for the run's answer (it looks for requests twice a second).</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> ExecuteAsync(CommandLine commandLine, Dataset dataset, TextWriter output, TextWriter errors,
        CancellationToken cancellationToken)
    {
        var taskId = commandLine.TaskOptions.TaskId!;
        var requests = new TaskStopRequests(commandLine.StateDirectory, dataset.Name);
        requests.Request(taskId);
        var answer = await requests.WaitForAnswerAsync(taskId, AnswerTimeout, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        if (answer is not { } result)
        {
            errors.WriteLine($"letsdata: no running 'letsdata run' of dataset {dataset.Name} answered within {AnswerTimeout.TotalSeconds:F0} s ({requests.Folder})");
            return ExitCodes.Failed;
        }

        (result.Stopping ? output : errors).WriteLine(result.Message);
        return result.Stopping ? ExitCodes.Success : ExitCodes.Failed;
    }
}
