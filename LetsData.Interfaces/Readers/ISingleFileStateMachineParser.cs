using LetsData.Interfaces.Documents;

namespace LetsData.Interfaces.Readers;

/// <summary>
/// The parser of a file that holds several record types in a fixed cycle (e.g. WARC
/// request → response → metadata). The runtime keeps the expected record type, asks for its hints,
/// extracts the record and calls <see cref="ParseDocument"/>, which returns the next expected type.
/// </summary>
/// <remarks>
/// The record is the bytes from the first byte of the start pattern up to, not including, the end
/// pattern (at the end of the file: up to the end). The end pattern is searched from just after the
/// start pattern, and the next search starts at the end pattern, which may be the next record's start.
/// Even single-type files read by an <see cref="IMultipleFileStateMachineReader"/> use this interface,
/// as a one-state machine.
/// </remarks>
public interface ISingleFileStateMachineParser
{
    /// <summary>The (user-chosen) file type this parser reads, e.g. <c>"WARC"</c>.</summary>
    string S3FileType { get; }

    /// <summary>Resolves a manifest file name to the file to read; usually the identity.</summary>
    /// <param name="s3FileType">The file type.</param>
    /// <param name="fileName">The file name from the manifest.</param>
    /// <returns>The resolved file name.</returns>
    string GetResolvedS3FileName(string s3FileType, string fileName);

    /// <summary>The record type expected after <paramref name="lastProcessedRecordType"/>.</summary>
    /// <param name="s3FileType">The file type.</param>
    /// <param name="lastProcessedRecordType">The type processed last; <see langword="null"/> at the start of the file.</param>
    /// <returns>The next expected type; the first type of the cycle for <see langword="null"/>.</returns>
    string GetNextExpectedRecordType(string s3FileType, string? lastProcessedRecordType);

    /// <summary>The hint that finds where the next record (of the expected type) starts.</summary>
    /// <param name="s3FileType">The file type.</param>
    /// <param name="nextExpectedRecordType">The expected record type.</param>
    /// <param name="lastProcessedDoc">The document parsed last, or <see langword="null"/>.</param>
    /// <returns>The start hint.</returns>
    RecordParseHint GetNextRecordStartPattern(string s3FileType, string nextExpectedRecordType,
                                              IDocument? lastProcessedDoc);

    /// <summary>The hint that finds where the next record ends (the end is not part of the record).</summary>
    /// <param name="s3FileType">The file type.</param>
    /// <param name="nextExpectedRecordType">The expected record type.</param>
    /// <param name="lastProcessedDoc">The document parsed last, or <see langword="null"/>.</param>
    /// <returns>The end hint.</returns>
    RecordParseHint GetNextRecordEndPattern(string s3FileType, string nextExpectedRecordType,
                                            IDocument? lastProcessedDoc);

    /// <summary>Parses one record of the expected type.</summary>
    /// <param name="s3FileType">The file type.</param>
    /// <param name="s3FileName">The (resolved) file name.</param>
    /// <param name="offsetBytes">The record's offset in the (decompressed) file.</param>
    /// <param name="lastProcessedRecordType">The type processed last (tracked by the runtime), or <see langword="null"/>.</param>
    /// <param name="lastProcessedDoc">The document parsed last, or <see langword="null"/>.</param>
    /// <param name="record">The record's bytes; valid only during the call (copy what you keep).</param>
    /// <returns>
    /// The result, whose <see cref="ParseDocumentResult.NextRecordType"/> is the type expected next; return it
    /// for errors too, so the state machine keeps going.
    /// </returns>
    ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes,
                                      string? lastProcessedRecordType, IDocument? lastProcessedDoc,
                                      ReadOnlySpan<byte> record);
}
