using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Datasets;

/// <summary>
/// Turns a manifest into tasks, one per non-blank line ('#' starts a comment line). Single-type readers: a line is a
/// file name. Multiple-file readers: <c>TYPE:name|TYPE:name</c>, spaces trimmed, types matched case-insensitively later.
/// </summary>
public static class ManifestParser
{
    public static IReadOnlyList<DataTaskDefinition> Parse(string manifestText, ReaderType readerType, string source)
    {
        var tasks = new List<DataTaskDefinition>();
        var problems = new List<string>();
        var lineNumber = 0;
        foreach (var rawLine in manifestText.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var files = readerType == ReaderType.MultipleFileStateMachineReader
                ? ParseMultipleFileLine(line, lineNumber, problems)
                : [new ManifestFileRef(null, line)];
            tasks.Add(new DataTaskDefinition($"task-{tasks.Count + 1:D4}", lineNumber, line, files));
        }

        if (tasks.Count == 0)
        {
            problems.Add("the manifest has no task lines");
        }

        if (problems.Count > 0)
        {
            throw new DatasetConfigException(source, problems);
        }

        return tasks;
    }

    private static List<ManifestFileRef> ParseMultipleFileLine(string line, int lineNumber, List<string> problems)
    {
        var files = new List<ManifestFileRef>();
        foreach (var part in line.Split('|'))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var type = colon < 0 ? "" : part[..colon].Trim();
            var name = colon < 0 ? "" : part[(colon + 1)..].Trim();
            if (type.Length == 0 || name.Length == 0)
            {
                problems.Add($"line {lineNumber}: '{part.Trim()}' is not TYPE:fileName (multiple-file lines are TYPE:name|TYPE:name)");
                continue;
            }

            if (files.Any(f => string.Equals(f.FileType, type, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"line {lineNumber}: file type {type} appears twice");
                continue;
            }

            files.Add(new ManifestFileRef(type, name));
        }

        return files;
    }
}
