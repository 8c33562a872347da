namespace LetsData.Runtime.State;

/// <summary>A conditional write lost: the task's stored version is not the one the update was based on (or the task is gone).</summary>
public sealed class TaskConflictException(string taskId, long expectedVersion, long? storedVersion)
    : Exception(storedVersion is null
        ? $"task {taskId}: no stored record to update (expected version {expectedVersion})"
        : $"task {taskId}: stored version {storedVersion} is not the expected {expectedVersion}; another writer changed it")
{
    public string TaskId { get; } = taskId;
    public long ExpectedVersion { get; } = expectedVersion;
    public long? StoredVersion { get; } = storedVersion;
}

/// <summary>The task store cannot be used: an unreadable (truncated, corrupted) record, an unusable folder.</summary>
public sealed class TaskStoreException(string message, Exception? inner = null) : Exception(message, inner);
