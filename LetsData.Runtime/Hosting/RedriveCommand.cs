using LetsData.Runtime.State;

namespace LetsData.Runtime.Hosting;

/// <summary><c>redrive</c>: ERRORED tasks (or the one <c>--task</c>) back to CREATED, attempts and last error kept.</summary>
internal static class RedriveCommand
{
    private const int ConflictRetries = 3;

    public static async Task<int> ExecuteAsync(ITaskStore store, TaskCommandOptions options, TextWriter output, TextWriter errors,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<TaskRecord> candidates;
        if (options.TaskId is { } taskId)
        {
            if (await store.GetAsync(taskId, cancellationToken).ConfigureAwait(false) is not { } record)
            {
                errors.WriteLine($"letsdata: task {taskId} not found in {store.Location}");
                return TaskStateCommands.TaskNotFound;
            }

            candidates = [record];
        }
        else
        {
            candidates = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        }

        var changed = 0;
        foreach (var candidate in candidates)
        {
            var record = candidate;
            for (var attempt = 0; ; attempt++)
            {
                if (record.Status != TaskRecordStatus.Errored)
                {
                    if (options.TaskId is not null)
                    {
                        output.WriteLine($"{record.TaskId}: {record.Status.Name()}, not ERRORED: unchanged");
                    }

                    break;
                }

                try
                {
                    var redriven = await store.UpdateAsync(TaskTransitions.Redriven(record), cancellationToken).ConfigureAwait(false);
                    output.WriteLine($"{record.TaskId}: ERRORED -> CREATED (attempts {redriven.Attempts}; last error: {record.LastError?.Message ?? "-"})");
                    changed++;
                    break;
                }
                catch (TaskConflictException) when (attempt < ConflictRetries)
                {
                    // Changed since it was read (a worker claimed or finished it): judge the fresh record.
                    record = await store.GetAsync(record.TaskId, cancellationToken).ConfigureAwait(false) ?? record;
                }
            }
        }

        output.WriteLine($"{changed} task(s) redriven");
        return ExitCodes.Success;
    }
}
