using LetsData.Interfaces.Documents;

namespace LetsData.Interfaces.Readers;

/// <summary>The result of parsing one record (file record, stream record, queue message or table item).</summary>
/// <param name="NextRecordType">
/// For state-machine parsers, the record type expected after this record; the runtime tracks the state
/// machine from this value, never from the document's <see cref="IDocument.RecordType"/>.
/// <see langword="null"/> for other readers.
/// </param>
/// <param name="Document">
/// The document: the parsed document for <see cref="ParseDocumentResultStatus.Success"/>, an
/// <see cref="IErrorDoc"/> for <see cref="ParseDocumentResultStatus.Error"/>, an <see cref="ISkipDoc"/>
/// for <see cref="ParseDocumentResultStatus.Skip"/>.
/// </param>
/// <param name="Status">What the runtime does with the document.</param>
public sealed record ParseDocumentResult(string? NextRecordType, IDocument? Document,
                                         ParseDocumentResultStatus Status);
