namespace LetsData.Interfaces.Documents;

/// <summary>
/// A document describing a record that could not be processed; the runtime writes it to the error
/// destination.
/// </summary>
/// <remarks>
/// Offsets are strings (byte offsets, Kinesis sequence numbers, DynamoDB keys as JSON). Single-file
/// readers put one entry <c>{fileType: offset}</c> in each map, multi-file readers one entry per file
/// type; non-file readers use the maps freely (e.g. <c>{"sequenceNumber": seq}</c>).
/// </remarks>
public interface IErrorDoc : ISingleDoc
{
    /// <summary>File type (or other key) to the offset where the erroneous record starts.</summary>
    IReadOnlyDictionary<string, string>? ErrorStartOffsetMap { get; }

    /// <summary>File type (or other key) to the offset where the erroneous record ends.</summary>
    IReadOnlyDictionary<string, string>? ErrorEndOffsetMap { get; }

    /// <summary>What went wrong, or <see langword="null"/>.</summary>
    string? ErrorMessage { get; }
}
