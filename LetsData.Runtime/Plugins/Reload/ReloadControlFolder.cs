using System.Diagnostics;
using System.Globalization;

namespace LetsData.Runtime.Plugins.Reload;

/// <summary>
/// The files through which <c>letsdata plugins reload</c> reaches a running <c>letsdata run</c> of the same dataset:
/// <c>worker.pid</c> in the dataset's state folder (written by the worker while it runs), <c>reload.request</c> (a request id,
/// written by the command) and <c>reload.result</c> (the id and the outcome, written by the worker). Plain files,
/// replaced atomically, work the same on every OS and need no port or socket; one worker per dataset and state folder.
/// </summary>
public sealed class ReloadControlFolder
{
    internal const string RequestFileName = "reload.request";
    private const string PidFileName = "worker.pid";
    private const string ResultFileName = "reload.result";

    /// <summary>The control files of <paramref name="datasetName"/>: in its state folder, next to its task records.</summary>
    /// <param name="stateDirectory">The dataset's state folder (<c>--state</c>); null: the default of <see cref="State.TaskStateDirectory"/>.</param>
    /// <param name="datasetName">The dataset's name: one control folder per dataset.</param>
    public ReloadControlFolder(string? stateDirectory, string datasetName)
    {
        Folder = State.TaskStateDirectory.Resolve(stateDirectory, datasetName);
    }

    /// <summary>The folder holding the control files.</summary>
    public string Folder { get; }

    internal string RequestFile => Path.Combine(Folder, RequestFileName);

    private string PidFile => Path.Combine(Folder, PidFileName);

    private string ResultFile => Path.Combine(Folder, ResultFileName);

    /// <summary>Worker side: records this process as the dataset's running worker and clears requests left from an earlier run.</summary>
    public void ClaimForWorker()
    {
        Directory.CreateDirectory(Folder);
        DeleteIfExists(RequestFile);
        DeleteIfExists(ResultFile);
        WriteAtomically(PidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Worker side: removes the pid file when the run ends.</summary>
    public void ReleaseWorker() => DeleteIfExists(PidFile);

    /// <summary>Worker side: the pending request id, or null; the request file is consumed.</summary>
    internal string? TakeRequest()
    {
        try
        {
            var id = File.ReadAllText(RequestFile).Trim();
            File.Delete(RequestFile);
            return id.Length == 0 ? null : id;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Worker side: answers request <paramref name="requestId"/>.</summary>
    internal void WriteResult(string requestId, PluginReloadResult result) =>
        WriteAtomically(ResultFile, $"{requestId}\t{(result.Succeeded ? "ok" : "failed")}\t{result.Message.ReplaceLineEndings(" ")}");

    /// <summary>Command side: the running worker's process id, or null with the reason when no worker is running.</summary>
    public int? FindRunningWorker(out string? reason)
    {
        reason = null;
        string text;
        try
        {
            text = File.ReadAllText(PidFile).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            reason = $"no running 'letsdata run' for this dataset ({PidFile} does not exist)";
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || !State.LocalProcesses.IsRunning(pid))
        {
            reason = $"no running 'letsdata run' for this dataset ({PidFile} names process {text}, which is not running)";
            return null;
        }

        return pid;
    }

    /// <summary>Command side: writes a request and returns its id.</summary>
    public string RequestReload()
    {
        var id = Guid.NewGuid().ToString("N");
        WriteAtomically(RequestFile, id);
        return id;
    }

    /// <summary>Command side: the worker's answer to <paramref name="requestId"/> (succeeded, message), or null when none came within <paramref name="timeout"/>.</summary>
    public async Task<(bool Succeeded, string Message)?> WaitForResultAsync(string requestId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            try
            {
                var parts = (await File.ReadAllTextAsync(ResultFile, cancellationToken).ConfigureAwait(false)).Split('\t', 3);
                if (parts.Length == 3 && parts[0] == requestId)
                {
                    return (parts[1] == "ok", parts[2]);
                }
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Not answered yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    // Write-then-rename, so a reader never sees a half-written file.
    private static void WriteAtomically(string path, string content)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    private static void DeleteIfExists(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing to delete.
        }
    }
}
