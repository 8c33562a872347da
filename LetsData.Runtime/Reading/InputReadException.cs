namespace LetsData.Runtime.Reading;

/// <summary>
/// The input itself is unusable at a known place: corrupt or truncated compression, a record over the size ceiling,
/// hints that cannot advance. Fails the task with a message naming the file and the (decompressed) offset.
/// </summary>
public sealed class InputReadException(string fileName, long offset, string reason, Exception? inner = null)
    : Exception($"{fileName} at offset {offset}: {reason}", inner)
{
    public string FileName { get; } = fileName;

    /// <summary>Offset in the decompressed file where the problem was met.</summary>
    public long Offset { get; } = offset;

    public string Reason { get; } = reason;
}
