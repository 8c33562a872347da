using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Connectors.LocalFiles;

/// <summary>
/// Checks, before anything runs, that the dataset's <c>LocalFiles</c> output folders can be written: otherwise every
/// task would fail one by one on the same cause.
/// </summary>
public static class LocalOutputFolders
{
    /// <summary>One problem per unusable folder, naming the connector's field.</summary>
    public static List<string> Problems(Dataset dataset)
    {
        var problems = new List<string>();
        if (dataset.Write.LocalFolder is { } documents)
        {
            Check("writeConnector", documents, problems);
        }

        if (dataset.Errors.LocalFolder is { } errors && !string.Equals(errors, dataset.Write.LocalFolder, StringComparison.Ordinal))
        {
            Check("errorConnector", errors, problems);
        }

        return problems;
    }

    private static void Check(string field, string folder, List<string> problems)
    {
        if (File.Exists(folder))
        {
            problems.Add($"{field}: {folder} is a file; the output must be a folder");
            return;
        }

        // The folder, or the nearest existing folder above it (run creates the rest).
        var existing = Path.GetFullPath(folder);
        while (!Directory.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                problems.Add($"{field}: {folder} cannot be created: no part of its path exists");
                return;
            }

            if (File.Exists(parent))
            {
                problems.Add($"{field}: {folder} cannot be created: {parent} is a file");
                return;
            }

            existing = parent;
        }

        // Trying is the only exact answer (modes, ACLs, read-only mounts, root): a file made and removed at once.
        var probe = Path.Combine(existing, $".letsdata-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is UnauthorizedAccessException ? "permission denied" : e.Message;
            problems.Add(existing == Path.GetFullPath(folder)
                ? $"{field}: the folder {folder} cannot be written: {reason}"
                : $"{field}: {folder} cannot be created in {existing}: {reason}");
        }
    }
}
