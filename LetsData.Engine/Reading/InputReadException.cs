namespace LetsData.Runtime.Reading;

/// <summary>
/// The input itself is unusable at a known place: corrupt or truncated compression, a record over the size ceiling,
/// hints that cannot advance. Fails the task with a message naming the file and the (decompressed) offset; the task's
/// error record carries the same offset.
/// </summary>
public sealed class InputReadException : Exception
{
    /// <summary>A problem met at <paramref name="offset"/>: the message is <c>FILE at offset N: REASON</c>.</summary>
    public InputReadException(string fileName, long offset, string reason, Exception? inner = null)
        : this(fileName, offset, reason, $"{fileName} at offset {offset}: {reason}", inner)
    {
    }

    private InputReadException(string fileName, long offset, string reason, string message, Exception? inner)
        : base(message, inner)
    {
        FileName = fileName;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The file, as the message names it.</summary>
    public string FileName { get; }

    /// <summary>Offset in the decompressed file where the problem was met.</summary>
    public long Offset { get; }

    /// <summary>What is wrong there.</summary>
    public string Reason { get; }

    /// <summary>
    /// The record starting at <paramref name="recordOffset"/> has no end within <paramref name="maxRecordBytes"/>: the
    /// message names the record's start, which is where the error record points too.
    /// </summary>
    public static InputReadException RecordTooLarge(string fileName, long recordOffset, int maxRecordBytes)
    {
        var reason = $"record at offset {recordOffset} is larger than maxRecordBytes {maxRecordBytes} (no end hint found within it)";
        return new InputReadException(fileName, recordOffset, reason, $"{fileName}: {reason}", inner: null);
    }
}
