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
    /// <summary>Each data-task process's managed heap limit when <c>computeEngine.memoryLimitInMegabytes</c> is not set.</summary>
    public const long DefaultHeapLimitBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>The launch, or null with a problem (an output folder that cannot be created).</summary>
    public static DataTaskLaunch? TryCreate(string datasetFile, Dataset dataset, int slots, ILogger logger, List<string> problems)
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
            dataset.Limits.MemoryLimitBytes is null ? " (default: 2 GiB, or the machine's memory shared by the slots when less; computeEngine.memoryLimitInMegabytes sets it)" : "");
        var plan = new DataTaskConfinementPlan(datasetFile, dataset, writesOutputs: true);
        return new DataTaskLaunch(heap, (folder, plugin) => plan.For(folder, plugin)) { Bridge = dataset.Bridge?.HostLanguage };
    }

    /// <summary><c>validate</c>'s one process: it writes nothing (its smoke run discards what it makes).</summary>
    public static DataTaskLaunch ForValidate(string datasetFile, Dataset dataset) =>
        new(HeapLimit(dataset, 1), (folder, plugin) => new DataTaskConfinementPlan(datasetFile, dataset, writesOutputs: false).For(folder, plugin))
        {
            Bridge = dataset.Bridge?.HostLanguage,
        };

    /// <summary>The local folders the dataset's processes write: documents and errors of <c>LocalFiles</c> connectors.</summary>
    public static IReadOnlyList<string> LocalOutputFolders(Dataset dataset)
    {
        var folders = new List<string>();
        if (dataset.Write.LocalFolder is { } documents)
        {
            folders.Add(Path.GetFullPath(documents));
        }

        if (dataset.Errors.LocalFolder is { } errors)
        {
            folders.Add(Path.GetFullPath(errors));
        }

        return folders;
    }

    private static long HeapLimit(Dataset dataset, int slots)
    {
        if (dataset.Limits.MemoryLimitBytes is { } configured)
        {
            return configured;
        }

        // LetsData's Lambda functions had a fixed memory size too; 2 GiB unless the machine's share is smaller.
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return Math.Clamp(available / (Math.Max(1, slots) + 1), 256L * 1024 * 1024, DefaultHeapLimitBytes);
    }
}
