using System.Text;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing;

/// <summary>
/// The one rule for naming a task's output files and objects (<c>LocalFiles</c>, <c>S3</c>): the task id, then the stem
/// of the task's input file (its first, for a multiple-file task) — <c>task-0001.whirlwind.warc.jsonl</c> for
/// <c>whirlwind.warc.gz</c> — so an output can be traced to its input at a glance. The task id keeps it unique and comes
/// first so that a task's files share the prefix <c>&lt;taskId&gt;.</c> (listed by that prefix in S3). Both come from
/// the manifest line, so a resumed task finds the same name. Stream, table and queue tasks have no input file: the task
/// id alone.
/// </summary>
internal static class TaskOutputName
{
    private const int MaxStemLength = 80;

    public static string Of(DataTaskDefinition task) =>
        task.Partition is null && task.Files.Count > 0 && Stem(task.Files[0].FileName) is { Length: > 0 } stem
            ? $"{task.TaskId}.{stem}"
            : task.TaskId;

    /// <summary>The file's name without folder and last extension, as characters safe in any file name and S3 key.</summary>
    internal static string Stem(string fileName)
    {
        var name = Path.GetFileNameWithoutExtension(fileName.Replace('\\', '/').Split('/')[^1]);
        var stem = new StringBuilder(Math.Min(name.Length, MaxStemLength));
        foreach (var c in name.AsSpan(0, Math.Min(name.Length, MaxStemLength)))
        {
            stem.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return stem.ToString().Trim('.');
    }
}
