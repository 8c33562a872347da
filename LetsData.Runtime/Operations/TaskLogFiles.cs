using System.Text;

namespace LetsData.Runtime.Operations;

/// <summary>
/// Each task's log lines, one file per task in the dataset's state folder (<c>logs/&lt;taskId&gt;.log</c>), appended by the
/// supervisor (what a task's data-task process wrote, and what the supervisor did with the task) and read by
/// <c>letsdata logs</c>. Files outlive the run: a task run again appends to its file.
/// </summary>
public sealed class TaskLogFiles
{
    // No byte order mark: the files are read as plain lines, by people and by tools.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Lock _writing = new();

    /// <param name="stateDirectory">The dataset's state folder (<c>--state</c>); null: the default of <see cref="State.TaskStateDirectory"/>.</param>
    /// <param name="datasetName">The dataset's name.</param>
    public TaskLogFiles(string? stateDirectory, string datasetName)
    {
        Folder = Path.Combine(State.TaskStateDirectory.Resolve(stateDirectory, datasetName), "logs");
    }

    /// <summary>The folder holding the log files.</summary>
    public string Folder { get; }

    /// <summary>The log file of <paramref name="taskId"/>.</summary>
    public string PathOf(string taskId) => Path.Combine(Folder, $"{SafeFileName(taskId)}.log");

    /// <summary>Appends <paramref name="line"/> to the task's file; a log that cannot be written never stops the run.</summary>
    public void Append(string taskId, string line)
    {
        lock (_writing)
        {
            try
            {
                Directory.CreateDirectory(Folder);
                File.AppendAllText(PathOf(taskId), line + "\n", Utf8);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The line still went to the worker's standard error.
            }
        }
    }

    /// <summary>The task's lines, or null when it has none.</summary>
    public IReadOnlyList<string>? Read(string taskId)
    {
        try
        {
            return File.ReadAllLines(PathOf(taskId));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A task id as a file name: ids come from manifests and shard ids, and a separator must not lead out of the folder.</summary>
    internal static string SafeFileName(string taskId) =>
        string.Concat(taskId.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c is '/' or '\\' ? '_' : c));
}
