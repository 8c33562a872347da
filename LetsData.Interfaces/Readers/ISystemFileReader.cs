using LetsData.Interfaces.Documents;

namespace LetsData.Interfaces.Readers;

/// <summary>
/// One file's record reader, implemented by the runtime and handed to state-machine readers: it
/// extracts records with the file's <see cref="ISingleFileStateMachineParser"/> and returns their documents.
/// </summary>
public interface ISystemFileReader
{
    /// <summary>The file type.</summary>
    string FileType { get; }

    /// <summary>The (resolved) file name.</summary>
    string FileName { get; }

    /// <summary>The reader's state.</summary>
    SingleFileReaderState State { get; }

    /// <summary>The offset of the next unread record, as a string; <c>"0"</c> before the first record.</summary>
    string OffsetBytes { get; }

    /// <summary>
    /// The record type processed last, tracked from the parser's <see cref="ParseDocumentResult.NextRecordType"/>
    /// (never from a document's record type); <see langword="null"/> before the first record.
    /// </summary>
    string? LastRecordType { get; }

    /// <summary>Reads the next record.</summary>
    /// <param name="peek">
    /// <see langword="true"/> to parse and return the next record without consuming it: the following
    /// call returns the same document.
    /// </param>
    /// <returns>
    /// The parsed record's document (error and skip documents included), or <see langword="null"/> at the
    /// end of the file.
    /// </returns>
    IDocument? NextRecord(bool peek = false);
}
