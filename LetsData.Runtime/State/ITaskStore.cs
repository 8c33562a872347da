namespace LetsData.Runtime.State;

/// <summary>
/// Where a dataset's task records live. Two conditional operations are all the claim, lease and outcome logic
/// (<see cref="TaskLeases"/>, <see cref="TaskTransitions"/>) needs, so that a DynamoDB table can implement it with
/// <c>attribute_not_exists</c> and a condition on the version attribute.
/// </summary>
public interface ITaskStore
{
    /// <summary>Where the records are, for messages.</summary>
    string Location { get; }

    /// <summary>The task's record, or null when it has none.</summary>
    /// <exception cref="TaskStoreException">The stored record is unreadable.</exception>
    Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>Every record of the dataset, ordered by task id.</summary>
    Task<IReadOnlyList<TaskRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="record"/> (as version 1) unless the task already has a record; returns what is stored
    /// afterwards either way, so that concurrent registrations agree.
    /// </summary>
    Task<TaskRecord> CreateIfAbsentAsync(TaskRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the stored record when its version is <paramref name="record"/>'s <see cref="TaskRecord.Version"/>;
    /// returns the stored record (version + 1).
    /// </summary>
    /// <exception cref="TaskConflictException">The stored version differs, or there is no record.</exception>
    Task<TaskRecord> UpdateAsync(TaskRecord record, CancellationToken cancellationToken = default);
}
