namespace LetsData.Runtime.State;

/// <summary>Where a dataset's task state lives: <c>--state DIR</c>, else <c>.letsdata/state/&lt;datasetName&gt;/</c> under the current directory.</summary>
public static class TaskStateDirectory
{
    public static string Resolve(string? option, string datasetName) =>
        Path.GetFullPath(option ?? Path.Combine(".letsdata", "state", datasetName));
}
