using System.Text;
using System.Text.Json;

namespace LetsData.Runtime.Datasets;

/// <summary>
/// Checks of a dataset's JSON that the serializer makes badly or not at all: a field given twice (the serializer
/// silently keeps the last, so a typo'd override goes unnoticed) and nesting too deep (its message is its own
/// internals). Each problem names the path and line.
/// </summary>
internal static class DatasetJsonStructure
{
    /// <summary>Deeper than this is refused; a dataset needs about five levels.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The problems of <paramref name="text"/>, and whether it nests too deep to be read further; syntax errors are
    /// left to the deserializer's report.
    /// </summary>
    public static (List<string> Problems, bool TooDeep) Problems(string text)
    {
        var problems = new List<string>();
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = MaxDepth + 1, // one more, so that the depth is reported here, with its path, not by the reader
        });

        // One frame an open object or array: its path and, for objects, the names seen so far.
        var frames = new Stack<(string Path, HashSet<string>? Names, int Index)>();
        string? pendingName = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        var (path, names, _) = frames.Peek();
                        if (!names!.Add(name))
                        {
                            problems.Add($"{Join(path, name)}: given twice (line {Line(bytes, reader.TokenStartIndex)}); remove one");
                        }

                        pendingName = name;
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        var child = ChildPath(frames, ref pendingName);
                        if (frames.Count >= MaxDepth)
                        {
                            problems.Add($"{(child.Length == 0 ? "the top level" : child)}: nests deeper than {MaxDepth} levels (line {Line(bytes, reader.TokenStartIndex)})");
                            return (problems, true);
                        }

                        frames.Push((child, reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null, 0));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.Pop();
                        break;
                    default:
                        _ = ChildPath(frames, ref pendingName); // a value: advances an array's index
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed: the deserializer names the line and position of the first syntax error.
        }

        return (problems, false);
    }

    private static string ChildPath(Stack<(string Path, HashSet<string>? Names, int Index)> frames, ref string? pendingName)
    {
        if (frames.Count == 0)
        {
            return "";
        }

        var (path, names, index) = frames.Pop();
        frames.Push((path, names, names is null ? index + 1 : index));
        var child = names is null ? $"{path}[{index}]" : Join(path, pendingName!);
        pendingName = null;
        return child;
    }

    // Paths as the other dataset problems write them: readConnector.rootPath, outputs[1].type.
    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static int Line(byte[] bytes, long offset) => bytes.AsSpan(0, (int)offset).Count((byte)'\n') + 1;
}
