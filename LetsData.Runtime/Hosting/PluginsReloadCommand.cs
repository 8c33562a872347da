using LetsData.Runtime.Datasets;
using LetsData.Runtime.Plugins.Reload;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// <c>letsdata plugins reload</c>: asks the running <c>letsdata run</c> of a dataset to load its plugin's new build,
/// through the dataset's control folder (see <see cref="ReloadControlFolder"/>), and prints the worker's answer.
/// </summary>
public sealed class PluginsReloadCommand(ILogger<PluginsReloadCommand> logger)
{
    /// <summary>How long the command waits for the worker's answer (a reload copies and loads the plugin: well under a second usually).</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);

    public async Task<int> ExecuteAsync(CommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        Dataset dataset;
        try
        {
            dataset = DatasetLoader.Load(commandLine.DatasetFile, commandLine.PluginsDirectory);
        }
        catch (DatasetConfigException e)
        {
            foreach (var problem in e.Problems)
            {
                logger.LogError("{File}: {Problem}", commandLine.DatasetFile, problem);
            }

            return ExitCodes.UnusableInput;
        }

        var control = new ReloadControlFolder(commandLine.StateDirectory, dataset.Name);
        if (control.FindRunningWorker(out var reason) is not { } pid)
        {
            logger.LogError("dataset {Dataset}: {Reason}", dataset.Name, reason);
            return ExitCodes.Failed;
        }

        var requestId = control.RequestReload();
        (bool Succeeded, string Message)? answer;
        try
        {
            answer = await control.WaitForResultAsync(requestId, AnswerTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Failed;
        }

        if (answer is not { } result)
        {
            logger.LogError("dataset {Dataset}: the worker (process {Pid}) did not answer the reload request within {Seconds:F0} s",
                dataset.Name, pid, AnswerTimeout.TotalSeconds);
            return ExitCodes.Failed;
        }

        output.WriteLine(result.Message);
        return result.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
    }
}
