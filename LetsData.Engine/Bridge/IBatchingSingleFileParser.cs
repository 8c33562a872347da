using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// A file parser that answers many records in one call: the bridge's parser, for which every call is a round trip to
/// another process. The task loop reads a batch ahead and dispatches the results in record order.
/// </summary>
internal interface IBatchingSingleFileParser
{
    /// <summary>At most this many records per call.</summary>
    int BatchRecords { get; }

    /// <summary>A batch closes once its records hold this many bytes.</summary>
    int BatchBytes { get; }

    /// <summary>One result per record, in order.</summary>
    /// <param name="fileType">The file type.</param>
    /// <param name="fileName">The resolved file name.</param>
    /// <param name="records">Each record's offset in the (decompressed) file and its bytes.</param>
    IReadOnlyList<ParseDocumentResult> ParseDocuments(string fileType, string fileName, IReadOnlyList<BatchedRecord> records);
}

/// <summary>A record read ahead: its offset, its bytes (a copy) and where the scan stood after it.</summary>
internal readonly record struct BatchedRecord(long Offset, ReadOnlyMemory<byte> Bytes, long End, long BlankRecordsBefore);
