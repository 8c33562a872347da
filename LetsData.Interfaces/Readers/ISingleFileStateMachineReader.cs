using LetsData.Interfaces.Documents;

namespace LetsData.Interfaces.Readers;

/// <summary>
/// Combines the records of one state-machine file into composite documents, pulling them from an
/// <see cref="ISystemFileReader"/>.
/// </summary>
public interface ISingleFileStateMachineReader
{
    /// <summary>The (user-chosen) file type this reader reads.</summary>
    string S3FileType { get; }

    /// <summary>Resolves a manifest file name to the file to read; usually the identity.</summary>
    /// <param name="s3FileType">The file type.</param>
    /// <param name="fileName">The file name from the manifest.</param>
    /// <returns>The resolved file name.</returns>
    string GetResolvedS3FileName(string s3FileType, string fileName);

    /// <summary>The parser of the file type; create it once and return the same instance.</summary>
    /// <param name="s3FileType">The file type.</param>
    /// <returns>The parser.</returns>
    ISingleFileStateMachineParser GetParser(string s3FileType);

    /// <summary>The record type expected after <paramref name="lastProcessedRecordType"/>; usually defers to the parser.</summary>
    /// <param name="s3FileType">The file type.</param>
    /// <param name="lastProcessedRecordType">The type processed last; <see langword="null"/> at the start.</param>
    /// <returns>The next expected type.</returns>
    string GetNextExpectedRecordType(string s3FileType, string? lastProcessedRecordType);

    /// <summary>Reads records from <paramref name="fileReader"/> and combines them into one composite document.</summary>
    /// <param name="s3FileType">The file type.</param>
    /// <param name="lastProcessedRecordType">The type processed last, or <see langword="null"/>.</param>
    /// <param name="lastProcessedDoc">The document returned last, or <see langword="null"/>.</param>
    /// <param name="fileReader">The file's record reader.</param>
    /// <returns>
    /// The composite document with the offsets and record types after it; at the end of the file a
    /// <see langword="null"/> document and <see cref="SingleFileReaderState.Completed"/>.
    /// </returns>
    ParseCompositeDocumentResult ParseDocument(string s3FileType, string? lastProcessedRecordType,
                                               IDocument? lastProcessedDoc, ISystemFileReader fileReader);
}
