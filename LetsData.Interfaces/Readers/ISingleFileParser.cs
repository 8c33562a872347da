using LetsData.Interfaces.Documents;

namespace LetsData.Interfaces.Readers;

/// <summary>
/// The parser of the "Single File Reader": every file holds records of one type, with no state machine.
/// The runtime finds each record with the start and end hints and hands its bytes to
/// <see cref="ParseDocument"/>.
/// </summary>
/// <remarks>
/// The record is the bytes from the first byte of the start pattern up to, not including, the end
/// pattern (at the end of the file: up to the end). The end pattern is searched from just after the
/// start pattern, and the next search starts at the end pattern, which may be the next record's start.
/// </remarks>
public interface ISingleFileParser
{
    /// <summary>The (user-chosen) file type this parser reads, e.g. <c>"LOGFILE"</c>.</summary>
    string S3FileType { get; }

    /// <summary>Resolves a manifest file name to the file to read (e.g. prepends a path); usually the identity.</summary>
    /// <param name="s3FileType">The file type; implementations usually check it case-insensitively.</param>
    /// <param name="fileName">The file name from the manifest.</param>
    /// <returns>The resolved file name.</returns>
    string GetResolvedS3FileName(string s3FileType, string fileName);

    /// <summary>The hint that finds where each record starts.</summary>
    /// <param name="s3FileType">The file type.</param>
    /// <returns>The start hint; return the same instance each time.</returns>
    RecordParseHint GetRecordStartPattern(string s3FileType);

    /// <summary>The hint that finds where each record ends (the end is not part of the record).</summary>
    /// <param name="s3FileType">The file type.</param>
    /// <returns>The end hint; return the same instance each time.</returns>
    RecordParseHint GetRecordEndPattern(string s3FileType);

    /// <summary>Parses one record.</summary>
    /// <param name="s3FileType">The file type.</param>
    /// <param name="s3FileName">The (resolved) file name.</param>
    /// <param name="offsetBytes">The record's offset in the (decompressed) file.</param>
    /// <param name="record">The record's bytes; valid only during the call (copy what you keep).</param>
    /// <returns>
    /// The result with a <see langword="null"/> next record type: <see cref="ParseDocumentResultStatus.Success"/>
    /// with the document, <see cref="ParseDocumentResultStatus.Error"/> with an <see cref="IErrorDoc"/> or
    /// <see cref="ParseDocumentResultStatus.Skip"/> with an <see cref="ISkipDoc"/>.
    /// </returns>
    ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes,
                                      ReadOnlySpan<byte> record);
}
