using System.Diagnostics;
using System.Text.Json;

namespace LetsData.Runtime.State;

/// <summary>
/// The embedded task store: one JSON file per task, <c>&lt;directory&gt;/tasks/&lt;taskId&gt;.json</c>. One file per
/// task (not one per dataset) so that workers updating different tasks never wait on each other or rewrite each
/// other's records, and a damaged file costs one task, not the dataset; it is also the shape of a DynamoDB item.
/// <para>
/// A write goes to a temporary file that is flushed to disk and renamed over the record (rename is atomic), so a
/// reader sees the old or the new record, never half of one; a temporary file a crash left behind is ignored and
/// removed by the next write of that task. Each conditional write runs under an exclusive lock on
/// <c>&lt;taskId&gt;.lock</c> (an OS file lock, released by the OS when a process dies), which makes read-compare-write
/// atomic between processes on this machine.
/// </para>
/// </summary>
public sealed class LocalTaskStore : ITaskStore
{
    private const string RecordSuffix = ".json";
    private const string TempSuffix = ".tmp";
    private const string LockSuffix = ".lock";
    private static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(10);

    private readonly string _tasksDirectory;
    private readonly TimeSpan _lockTimeout;

    /// <summary>A store under <paramref name="directory"/> (created on the first write).</summary>
    /// <param name="directory">The dataset's state folder.</param>
    /// <param name="lockTimeout">How long a write waits for another writer of the same task; default 10 s.</param>
    public LocalTaskStore(string directory, TimeSpan? lockTimeout = null)
    {
        Directory = Path.GetFullPath(directory);
        _tasksDirectory = Path.Combine(Directory, "tasks");
        _lockTimeout = lockTimeout ?? DefaultLockTimeout;
    }

    /// <summary>The dataset's state folder.</summary>
    public string Directory { get; }

    public string Location => Directory;

    /// <summary>The file holding a task's record.</summary>
    public string RecordPath(string taskId) => Path.Combine(_tasksDirectory, SafeFileName(taskId) + RecordSuffix);

    public Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(RecordPath(taskId)));

    public Task<IReadOnlyList<TaskRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (!System.IO.Directory.Exists(_tasksDirectory))
        {
            return Task.FromResult<IReadOnlyList<TaskRecord>>([]);
        }

        // Only finished records: temporary files end in .tmp and are never read.
        var records = System.IO.Directory.EnumerateFiles(_tasksDirectory)
            .Where(path => path.EndsWith(RecordSuffix, StringComparison.Ordinal))
            .Select(Read)
            .OfType<TaskRecord>()
            .OrderBy(r => r.TaskId, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<IReadOnlyList<TaskRecord>>(records);
    }

    public Task<TaskRecord> CreateIfAbsentAsync(TaskRecord record, CancellationToken cancellationToken = default)
    {
        var path = RecordPath(record.TaskId);
        using var taskLock = Lock(record.TaskId);
        if (Read(path) is { } existing)
        {
            return Task.FromResult(existing);
        }

        var created = record with { Version = 1 };
        Write(path, created);
        return Task.FromResult(created);
    }

    public Task<TaskRecord> UpdateAsync(TaskRecord record, CancellationToken cancellationToken = default)
    {
        var path = RecordPath(record.TaskId);
        using var taskLock = Lock(record.TaskId);
        var stored = Read(path);
        if (stored is null || stored.Version != record.Version)
        {
            throw new TaskConflictException(record.TaskId, record.Version, stored?.Version);
        }

        var updated = record with { Version = record.Version + 1 };
        Write(path, updated);
        return Task.FromResult(updated);
    }

    private static TaskRecord? Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, TaskStoreJsonContext.Default.TaskRecord)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            // Never treated as "no record": that would rerun or forget a task silently.
            throw new TaskStoreException($"task state file {path} is unreadable (truncated or corrupted): {e.Message}; " +
                "fix or delete it (deleting it makes the task new again)", e);
        }
    }

    private void Write(string path, TaskRecord record)
    {
        RemoveLeftoverTempFiles(path);
        var temp = $"{path}.{Guid.NewGuid():N}{TempSuffix}";
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, record, TaskStoreJsonContext.Default.TaskRecord);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    // Called under the task's lock: no other writer of this task can be between its write and its rename.
    private static void RemoveLeftoverTempFiles(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        foreach (var leftover in System.IO.Directory.EnumerateFiles(directory, Path.GetFileName(path) + ".*" + TempSuffix))
        {
            File.Delete(leftover);
        }
    }

    private FileStream Lock(string taskId)
    {
        System.IO.Directory.CreateDirectory(_tasksDirectory);
        var path = Path.Combine(_tasksDirectory, SafeFileName(taskId) + LockSuffix);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive OS lock (flock on Unix) held until the stream is disposed. The lock
                // file itself stays: deleting it would let two writers lock two different files of the same name.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (stopwatch.Elapsed < _lockTimeout)
            {
                Thread.Sleep(5);
            }
            catch (IOException e)
            {
                throw new TaskStoreException($"task {taskId}: the lock {path} stayed taken for {_lockTimeout.TotalSeconds:F0} s", e);
            }
        }
    }

    // Task ids are manifest positions, shard ids and segment names; anything else must not reach the file system.
    private static string SafeFileName(string taskId) =>
        taskId.Length > 0 && taskId.Length <= 200 && taskId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            && taskId[0] != '.'
            ? taskId
            : throw new ArgumentException($"task id '{taskId}' cannot name a state file", nameof(taskId));
}
