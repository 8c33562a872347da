using LetsData.Runtime.Datasets;
using LetsData.Runtime.DataTasks;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// How a dataset's data-task processes are started: the folders they may write exist before they start (a confined
/// process can only be given folders that exist), and each gets a managed-heap limit so that a plugin that allocates
/// without bound ends its own process rather than the machine's memory.
/// </summary>
internal static class DataTaskLaunchPlan
{
    /// <summary>The launch, or null with a problem (an output folder that cannot be created).</summary>
    public static DataTaskLaunch? TryCreate(Dataset dataset, int slots, ILogger logger, List<string> problems)
    {
        foreach (var folder in LocalOutputFolders(dataset))
        {
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{folder}: the output folder cannot be created: {e.Message}");
            }
        }

        if (problems.Count > 0)
        {
            return null;
        }

        var heap = HeapLimit(dataset, slots);
        logger.LogInformation("data-task processes: managed heap limit {Megabytes} MB each{Source}", heap / (1024 * 1024),
            dataset.Limits.MemoryLimitBytes is null ? " (the machine's memory shared by the slots; computeEngine.memoryLimitInMegabytes sets it)" : "");
        return new DataTaskLaunch(heap, []);
    }

    /// <summary><c>validate</c>'s one process: it writes nothing (its smoke run discards what it makes).</summary>
    public static DataTaskLaunch ForValidate(Dataset dataset) => new(HeapLimit(dataset, 1), []);

    /// <summary>The local folders the dataset's processes write: documents and errors of <c>LocalFiles</c> connectors.</summary>
    public static IReadOnlyList<string> LocalOutputFolders(Dataset dataset)
    {
        var folders = new List<string>();
        if (dataset is { S3Output: null, KinesisOutput: null, DynamoDBOutput: null })
        {
            folders.Add(Path.GetFullPath(dataset.OutputPath));
        }

        if (dataset.S3ErrorOutput is null)
        {
            folders.Add(Path.GetFullPath(dataset.ErrorOutputPath));
        }

        return folders;
    }

    private static long HeapLimit(Dataset dataset, int slots)
    {
        if (dataset.Limits.MemoryLimitBytes is { } configured)
        {
            return configured;
        }

        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return Math.Max(256L * 1024 * 1024, available / (Math.Max(1, slots) + 1));
    }
}
