using LetsData.Runtime.Engine;

namespace LetsData.Runtime.State;

/// <summary>Registers a dataset's tasks in its store: new ones CREATED, existing ones kept as they are.</summary>
public static class TaskRegistry
{
    /// <summary>
    /// The stored record of every task in <paramref name="tasks"/>, in the same order, creating the missing ones.
    /// </summary>
    /// <param name="store">The dataset's store.</param>
    /// <param name="datasetName">The dataset the tasks belong to.</param>
    /// <param name="readerType">The reader type's display name.</param>
    /// <param name="tasks">The run's tasks.</param>
    /// <param name="now">The creation time of new records.</param>
    /// <param name="cancellationToken">Stops the registration.</param>
    /// <exception cref="TaskStoreException">
    /// A stored task belongs to another dataset or reads something else (the manifest changed under the same task id):
    /// running on would mix two datasets' states.
    /// </exception>
    public static async Task<IReadOnlyList<TaskRecord>> RegisterAsync(ITaskStore store, string datasetName, string readerType,
        IReadOnlyList<DataTaskDefinition> tasks, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var records = new List<TaskRecord>(tasks.Count);
        foreach (var task in tasks)
        {
            var definition = DefinitionOf(task, readerType);
            var stored = await store.CreateIfAbsentAsync(new TaskRecord
            {
                Dataset = datasetName,
                TaskId = task.TaskId,
                Reader = definition,
                CreatedAt = now,
            }, cancellationToken).ConfigureAwait(false);
            if (stored.Dataset != datasetName)
            {
                throw new TaskStoreException($"the task state in {store.Location} belongs to dataset {stored.Dataset}, not {datasetName}; use another --state folder");
            }

            if (!stored.Reader.SameAs(definition))
            {
                throw new TaskStoreException($"task {task.TaskId} in {store.Location} reads '{stored.Reader.ManifestLine}', the manifest now says " +
                    $"'{definition.ManifestLine}': the manifest changed since the tasks were registered; use another --state folder or delete this one");
            }

            records.Add(stored);
        }

        return records;
    }

    public static TaskReaderDefinition DefinitionOf(DataTaskDefinition task, string readerType)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in task.Files)
        {
            files.TryAdd(file.FileType ?? "file", file.FileName);
        }

        var partition = task.Partition is { } p ? new TaskPartition(p.Kind.ToString(), p.Source, p.Id) : null;
        return new TaskReaderDefinition(readerType, files, partition, task.ManifestLine);
    }
}
