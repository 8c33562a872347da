using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Plugins;

/// <summary>
/// The folder a relative <c>artifactFile</c> is resolved against. <c>--plugins</c> when given; without it
/// <c>./plugins</c> when that exists (started from the project's folder), else the <c>plugins/</c> folder next to the
/// dataset file (started from anywhere else).
/// </summary>
/// <param name="Path">The folder, as a full path.</param>
/// <param name="Why">How it was chosen, for <c>validate</c> and <c>run</c> to say.</param>
public sealed record PluginsFolder(string Path, string Why)
{
    /// <summary>
    /// The command line's value when <c>--plugins</c> is not given. It reads as "not given" here: an explicit
    /// <c>--plugins plugins</c> means the same folder whenever it exists, and names nothing usable when it does not.
    /// </summary>
    public const string DefaultOption = "plugins";

    /// <summary>The folder for <c>--plugins</c> <paramref name="option"/> (null or <see cref="DefaultOption"/>: not given).</summary>
    public static PluginsFolder Choose(string? option, string datasetFile) =>
        Choose(option, datasetFile, Environment.CurrentDirectory);

    internal static PluginsFolder Choose(string? option, string datasetFile, string currentDirectory)
    {
        if (option is not null and not DefaultOption)
        {
            return new PluginsFolder(System.IO.Path.GetFullPath(option, currentDirectory), "--plugins");
        }

        var here = System.IO.Path.Combine(currentDirectory, DefaultOption);
        return Directory.Exists(here)
            ? new PluginsFolder(here, "./plugins")
            : new PluginsFolder(System.IO.Path.Combine(DatasetPaths.FolderOf(System.IO.Path.GetFullPath(datasetFile, currentDirectory)), DefaultOption),
                "the dataset file's folder; there is no ./plugins here");
    }

    /// <summary>For messages: <c>/abs/plugins (./plugins)</c>.</summary>
    public override string ToString() => $"{Path} ({Why})";
}
