namespace LetsData.Runtime.Engine;

/// <summary>Recording a task's outcome, the same for the engine's threads and a supervisor serving data-task processes.</summary>
internal static class TaskOutcomes
{
    /// <summary>
    /// Records <paramref name="result"/> in <paramref name="ledger"/> (<see cref="ITaskLedger.Lost"/> for a task another
    /// worker took over). A ledger that cannot take it leaves the task to its lease; the returned result says so.
    /// </summary>
    public static TaskResult RecordIn(this ITaskLedger ledger, TaskAssignment assignment, TaskResult result)
    {
        try
        {
            if (result.OwnershipLost)
            {
                ledger.Lost(assignment, result);
            }
            else
            {
                ledger.End(assignment, result);
            }
        }
        catch (Exception e)
        {
            // The outcome is in the summary either way.
            result = result with { ErrorMessage = $"{result.ErrorMessage ?? "ended"}; recording the outcome failed: {e.Message}" };
        }

        return result;
    }
}
