using LetsData.Interfaces.Documents;

namespace LetsData.Interfaces.Readers;

/// <summary>
/// The result of a state-machine reader's <c>ParseDocument</c>: a composite document and the checkpoint
/// (offsets and record types per file type) after it.
/// </summary>
/// <remarks>
/// Build the record-type maps, whose values may be <see langword="null"/>, as
/// <c>new Dictionary&lt;string, string?&gt;</c>:
/// <code language="csharp">
/// return new ParseCompositeDocumentResult(
///     NextRecordTypes: new Dictionary&lt;string, string?&gt; { [fileType] = next },
///     Document: new CompositeDoc(doc),
///     LastProcessedRecordTypes: new Dictionary&lt;string, string?&gt; { [fileType] = fileReader.LastRecordType },
///     Offsets: new Dictionary&lt;string, string&gt; { [fileType] = fileReader.OffsetBytes },
///     ReaderState: SingleFileReaderState.Processing,
///     Status: ParseDocumentResultStatus.Success);
/// </code>
/// The non-nullable <c>Dictionary&lt;string, string&gt;</c> gives warning CS8619 or CS8620 (nullability
/// mismatch) where an <c>IReadOnlyDictionary&lt;string, string?&gt;</c> is expected, and a plugin built
/// with warnings as errors turns those warnings into build errors.
/// </remarks>
/// <param name="NextRecordTypes">File type to the record type expected next.</param>
/// <param name="Document">The composite document; <see langword="null"/> together with <see cref="SingleFileReaderState.Completed"/> means the input is done.</param>
/// <param name="LastProcessedRecordTypes">File type to the record type processed last.</param>
/// <param name="Offsets">File type to the offset of the next unread record (the checkpoint), as strings.</param>
/// <param name="ReaderState"><see cref="SingleFileReaderState.Processing"/> while records remain, <see cref="SingleFileReaderState.Completed"/> at the end.</param>
/// <param name="Status">What the runtime does with the document.</param>
public sealed record ParseCompositeDocumentResult(
    IReadOnlyDictionary<string, string?>? NextRecordTypes,
    ICompositeDoc? Document,
    IReadOnlyDictionary<string, string?>? LastProcessedRecordTypes,
    IReadOnlyDictionary<string, string>? Offsets,
    SingleFileReaderState ReaderState,
    ParseDocumentResultStatus Status);
