using System.Text.RegularExpressions;

namespace LetsData.Runtime.State;

/// <summary>
/// Reads the file (or shard / segment) and position out of a task error message as the engine writes them:
/// <c>plugin P threw in M (file F, type T, offset N): …</c>, <c>… (Kinesis shard S, sequence number Q)</c>,
/// <c>F at offset N: reason</c> and <c>F: record at offset N is larger …</c> (unusable input). The message itself is
/// always kept whole.
/// </summary>
public static partial class TaskErrorParser
{
    public static TaskLastError Parse(string message)
    {
        var where = WhereInParentheses().Match(message);
        if (where.Success)
        {
            return new TaskLastError(message, Group(where, "type"), where.Groups["name"].Value.Trim(), Group(where, "label"),
                Group(where, "position"));
        }

        var input = InputAtOffset().Match(message);
        return input.Success
            ? new TaskLastError(message, null, input.Groups["name"].Value, "offset", input.Groups["position"].Value)
            : new TaskLastError(message, null, null, null, null);
    }

    private static string? Group(Match match, string name) => match.Groups[name].Success ? match.Groups[name].Value.Trim() : null;

    [GeneratedRegex(@"\((?:file|Kinesis shard|DynamoDB scan segment) (?<name>[^,()]+?)(?:, type (?<type>[^,()]+))?(?:, (?<label>offset|sequence number|item) (?<position>[^,()]+))?\)")]
    private static partial Regex WhereInParentheses();

    [GeneratedRegex(@"^(?<name>.+?)(?: at offset (?<position>\d+): |: record at offset (?<position>\d+) )")]
    private static partial Regex InputAtOffset();
}
