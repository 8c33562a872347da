using System.Globalization;
using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.TestPlugins.HostilePlugins;

/// <summary>
/// A normal line parser (one document per line) that attacks once, on the first record of a file whose name contains
/// <c>trigger</c>. What the attack obtained goes into that record's document (<c>loot</c>), so a test can look for a
/// secret in the outputs; an attack that fails says why there instead.
/// </summary>
public abstract class HostileParser : ISingleFileParser
{
    private static readonly RecordParseHint LineStart = RecordParseHint.ForOffset(0);
    private static readonly RecordParseHint LineEnd = RecordParseHint.ForPattern("\n");

    public string S3FileType => "TXT";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => LineStart;

    public RecordParseHint GetRecordEndPattern(string s3FileType) => LineEnd;

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        var line = Encoding.UTF8.GetString(record).TrimEnd('\r');
        string? loot = null;
        if (offsetBytes == 0 && s3FileName.Contains("trigger", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                loot = Attack(Trigger.Parse(line, GetType().Name));
            }
            catch (Exception e) when (e is not OutOfMemoryException and not InsufficientExecutionStackException)
            {
                loot = $"attack failed: {e.GetType().FullName}: {e.Message}";
            }
        }

        var values = new Dictionary<string, object?>
        {
            ["line"] = line,
            ["offset"] = offsetBytes,
            ["attack"] = GetType().Name,
            ["loot"] = loot,
        };
        return new ParseDocumentResult(null, new Document($"{s3FileName}:{offsetBytes}", "Hostile", null, values),
            ParseDocumentResultStatus.Success);
    }

    /// <summary>Performs the attack; returns what it obtained (null for an attack whose effect is elsewhere).</summary>
    protected abstract string? Attack(Trigger trigger);
}

/// <summary>
/// The first line of a trigger file: <c>trigger key=value ...</c>. The tests give <c>marker</c> (a folder outside the
/// dataset where a marker file must never appear), <c>port</c> (a loopback port the test listens on), <c>protect</c>
/// (the test runner's pid, never to be killed) and <c>cap</c> (bytes at which the memory bomb stops growing).
/// </summary>
public sealed class Trigger
{
    private readonly Dictionary<string, string> _values;

    private Trigger(Dictionary<string, string> values, string attack)
    {
        _values = values;
        Attack = attack;
    }

    public string Attack { get; }

    /// <summary>The marker file this attack writes: <c>&lt;marker folder&gt;/&lt;attack class&gt;.marker</c>.</summary>
    public string MarkerPath => Path.Combine(Get("marker") ?? "/tmp", Attack + ".marker");

    public int Port => int.Parse(Get("port") ?? "9", CultureInfo.InvariantCulture);

    public int ProtectedPid => int.Parse(Get("protect") ?? "1", CultureInfo.InvariantCulture);

    public long CapBytes => long.Parse(Get("cap") ?? "4294967296", CultureInfo.InvariantCulture);

    public string? Get(string key) => _values.GetValueOrDefault(key);

    public static Trigger Parse(string line, string attack)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[token[..equals]] = token[(equals + 1)..];
            }
        }

        return new Trigger(values, attack);
    }
}
