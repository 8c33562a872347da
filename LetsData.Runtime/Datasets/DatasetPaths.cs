namespace LetsData.Runtime.Datasets;

/// <summary>
/// The one rule for relative paths in a dataset file: they resolve against the file's own folder, so a dataset names
/// the same files whichever folder the worker is started from. The local paths are <c>readConnector.rootPath</c>, a
/// <c>LocalFiles</c> connector's <c>outputPath</c> and <c>manifestFile.manifestFilePath</c>; <c>artifactFile</c> is
/// relative to the plugins folder instead (see <see cref="Plugins.PluginsFolder"/>).
/// </summary>
public static class DatasetPaths
{
    /// <summary>The folder a dataset file's relative paths resolve against: its own, as a full path.</summary>
    public static string FolderOf(string datasetFile) => Path.GetDirectoryName(Path.GetFullPath(datasetFile))!;

    /// <summary>
    /// <paramref name="config"/> with its local paths made absolute against <paramref name="folder"/> (absolute ones
    /// stay, <c>..</c> is applied), once, before the connectors read them: the worker and its data-task processes then
    /// work only with full paths.
    /// </summary>
    public static DatasetConfig Anchor(DatasetConfig config, string folder)
    {
        string? Resolve(string? path) => string.IsNullOrWhiteSpace(path) ? path : Path.GetFullPath(path, folder);
        return config with
        {
            ReadConnector = config.ReadConnector is { } read ? read with { RootPath = Resolve(read.RootPath) } : null,
            WriteConnector = config.WriteConnector is { } write ? write with { OutputPath = Resolve(write.OutputPath) } : null,
            ErrorConnector = config.ErrorConnector is { } errors ? errors with { OutputPath = Resolve(errors.OutputPath) } : null,
            ManifestFile = config.ManifestFile is { } manifest ? manifest with { ManifestFilePath = Resolve(manifest.ManifestFilePath) } : null,
        };
    }
}
