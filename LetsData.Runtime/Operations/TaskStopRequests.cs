namespace LetsData.Runtime.Operations;

/// <summary>
/// How <c>letsdata tasks stop</c> reaches a running <c>letsdata run</c>, as <c>plugins reload</c> does: plain files in the
/// dataset's state folder. The command writes <c>stop/&lt;taskId&gt;.request</c>; the run takes it and answers in
/// <c>stop/&lt;taskId&gt;.result</c> (<c>ok</c> or <c>failed</c>, a tab, a sentence).
/// </summary>
public sealed class TaskStopRequests
{
    private const string RequestSuffix = ".request";
    private const string ResultSuffix = ".result";

    /// <param name="stateDirectory">The dataset's state folder (<c>--state</c>); null: the default of <see cref="State.TaskStateDirectory"/>.</param>
    /// <param name="datasetName">The dataset's name.</param>
    public TaskStopRequests(string? stateDirectory, string datasetName)
    {
        Folder = Path.Combine(State.TaskStateDirectory.Resolve(stateDirectory, datasetName), "stop");
    }

    /// <summary>The folder of the request and result files.</summary>
    public string Folder { get; }

    /// <summary>Worker side: clears requests and results left from an earlier run.</summary>
    public void Clear()
    {
        if (Directory.Exists(Folder))
        {
            foreach (var file in Directory.EnumerateFiles(Folder))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Worker side: the task ids asked to stop since the last call; their request files are consumed.</summary>
    public IReadOnlyList<string> Take()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        var taken = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*" + RequestSuffix))
        {
            try
            {
                var taskId = File.ReadAllText(file).Trim();
                File.Delete(file);
                if (taskId.Length > 0)
                {
                    taken.Add(taskId);
                }
            }
            catch (Exception e) when (e is FileNotFoundException or IOException)
            {
                // Being replaced, or taken already: the next look finds it or its result.
            }
        }

        return taken;
    }

    /// <summary>Worker side: answers the request for <paramref name="taskId"/>.</summary>
    public void Answer(string taskId, bool stopping, string message) =>
        WriteAtomically(FileOf(taskId, ResultSuffix), $"{(stopping ? "ok" : "failed")}\t{message.ReplaceLineEndings(" ")}");

    /// <summary>Command side: asks the run to stop <paramref name="taskId"/> (a result of an earlier request is removed).</summary>
    public void Request(string taskId)
    {
        Directory.CreateDirectory(Folder);
        File.Delete(FileOf(taskId, ResultSuffix));
        // The id is the content, so that the run needs no way back from a file name to the task.
        WriteAtomically(FileOf(taskId, RequestSuffix), taskId);
    }

    /// <summary>Command side: the run's answer, or null when none came within <paramref name="timeout"/>.</summary>
    public async Task<(bool Stopping, string Message)?> WaitForAnswerAsync(string taskId, TimeSpan timeout, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < timeout)
        {
            try
            {
                var parts = (await File.ReadAllTextAsync(FileOf(taskId, ResultSuffix), cancellationToken).ConfigureAwait(false)).Split('\t', 2);
                if (parts.Length == 2)
                {
                    return (parts[0] == "ok", parts[1]);
                }
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Not answered yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private string FileOf(string taskId, string suffix) =>
        Path.Combine(Folder, TaskLogFiles.SafeFileName(taskId) + suffix);

    // Write-then-rename, so a reader never sees a half-written file.
    private static void WriteAtomically(string path, string content)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
