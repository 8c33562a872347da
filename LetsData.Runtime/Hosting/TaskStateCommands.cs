using LetsData.Runtime.Datasets;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// <c>tasks list</c>, <c>tasks show</c>, <c>tasks stop</c>, <c>status</c>, <c>ui</c>, <c>logs</c>, <c>errors list</c> and <c>redrive</c>:
/// read the dataset file (no plugin is loaded, nothing is read from the inputs) and work on its task store, state
/// folder and error destination.
/// </summary>
public sealed class TaskStateCommands
{
    /// <summary>Exit code of a <c>--task</c> that names no task of the dataset.</summary>
    public const int TaskNotFound = 1;

    public async Task<int> ExecuteAsync(CommandLine commandLine, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
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
                errors.WriteLine($"letsdata: {commandLine.DatasetFile}: {problem}");
            }

            return ExitCodes.UnusableInput;
        }

        // These two work on the state folder only (what a running run left or looks for there).
        if (commandLine.Command == CommandLine.Logs)
        {
            return TaskLogsCommand.Execute(commandLine, dataset, output, errors);
        }

        if (commandLine.Command == CommandLine.TasksStop)
        {
            return await TaskStopCommand.ExecuteAsync(commandLine, dataset, output, errors, cancellationToken).ConfigureAwait(false);
        }

        var problems = new List<string>();
        using var stores = await TaskStores.TryOpenAsync(commandLine, dataset, createTable: false, problems, cancellationToken).ConfigureAwait(false);
        if (stores is null)
        {
            foreach (var problem in problems)
            {
                errors.WriteLine($"letsdata: {problem}");
            }

            return ExitCodes.UnusableInput;
        }

        var store = stores.Store;
        var options = commandLine.TaskOptions;
        try
        {
            return commandLine.Command switch
            {
                "tasks list" => await TasksCommand.ListAsync(store, options, output, cancellationToken).ConfigureAwait(false),
                CommandLine.Status => await DatasetStatusCommand.ExecuteAsync(dataset.Name, store, options, output, cancellationToken).ConfigureAwait(false),
                CommandLine.Ui => await StatusPageCommand.ExecuteAsync(dataset, store, commandLine.UiPort ?? CommandLine.DefaultUiPort, output, errors,
                    cancellationToken).ConfigureAwait(false),
                "tasks show" => await TasksCommand.ShowAsync(store, options, output, errors, cancellationToken).ConfigureAwait(false),
                "errors list" => await ErrorsListCommand.ExecuteAsync(dataset, store, options, output, errors, cancellationToken).ConfigureAwait(false),
                "redrive" => await RedriveCommand.ExecuteAsync(store, options, output, errors, cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"not a task state command: {commandLine.Command}"),
            };
        }
        catch (TaskStoreException e)
        {
            errors.WriteLine($"letsdata: {e.Message}");
            return ExitCodes.UnusableInput;
        }
        catch (TaskConflictException e)
        {
            // Workers kept changing the task while this command tried to; nothing was overwritten.
            errors.WriteLine($"letsdata: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
