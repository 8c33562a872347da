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
/// <remarks>
/// Prefer the factories: <see cref="Success"/>, <see cref="Error"/> and <see cref="Skip"/> take the document kind their
/// status needs, so a mismatch (an <see cref="ErrorDoc"/> returned as a success) does not compile instead of failing the
/// task at run time.
/// </remarks>
public sealed record ParseDocumentResult(string? NextRecordType, IDocument? Document,
                                         ParseDocumentResultStatus Status)
{
    /// <summary>A parsed document, written to the write destination.</summary>
    /// <param name="document">The document.</param>
    /// <param name="nextRecordType">For state-machine parsers, the record type expected next; <see langword="null"/> otherwise.</param>
    /// <returns>A result with <see cref="ParseDocumentResultStatus.Success"/>.</returns>
    public static ParseDocumentResult Success(IDocument document, string? nextRecordType = null) =>
        new(nextRecordType, document ?? throw new ArgumentNullException(nameof(document)), ParseDocumentResultStatus.Success);

    /// <summary>A record that could not be parsed; its error document goes to the error destination.</summary>
    /// <param name="error">The error document.</param>
    /// <param name="nextRecordType">For state-machine parsers, the record type expected next; <see langword="null"/> otherwise.</param>
    /// <returns>A result with <see cref="ParseDocumentResultStatus.Error"/>.</returns>
    public static ParseDocumentResult Error(IErrorDoc error, string? nextRecordType = null) =>
        new(nextRecordType, error ?? throw new ArgumentNullException(nameof(error)), ParseDocumentResultStatus.Error);

    /// <summary>A record that is not of interest; it is counted and dropped.</summary>
    /// <param name="skip">The skip document.</param>
    /// <param name="nextRecordType">For state-machine parsers, the record type expected next; <see langword="null"/> otherwise.</param>
    /// <returns>A result with <see cref="ParseDocumentResultStatus.Skip"/>.</returns>
    public static ParseDocumentResult Skip(ISkipDoc skip, string? nextRecordType = null) =>
        new(nextRecordType, skip ?? throw new ArgumentNullException(nameof(skip)), ParseDocumentResultStatus.Skip);
}
