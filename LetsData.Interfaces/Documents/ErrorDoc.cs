namespace LetsData.Interfaces.Documents;

/// <summary>
/// The default error document (the port of the Java <c>ErrorDoc</c>): a record that could not be
/// processed, written to the error destination.
/// </summary>
/// <remarks>
/// Constructor arguments are in the order of the Java <c>ErrorDoc</c>; <see cref="RecordOffsetDoc.Serialize"/> returns the
/// <c>serialized</c> argument as is. Offsets are strings keyed by file type (or another key for
/// non-file readers). Build the maps with the documented type arguments:
/// <code language="csharp">
/// var doc = new ErrorDoc(
///     errorStartOffsetMap: new Dictionary&lt;string, string&gt; { [fileType] = offsetBytes.ToString(CultureInfo.InvariantCulture) },
///     errorEndOffsetMap: new Dictionary&lt;string, string&gt; { [fileType] = (offsetBytes + record.Length).ToString(CultureInfo.InvariantCulture) },
///     errorMessage: "...",
///     documentId: url,
///     recordType: "response",
///     documentMetadata: new Dictionary&lt;string, object?&gt; { ["stage"] = "parse" });
/// </code>
/// A <c>new Dictionary&lt;string, object&gt;</c> (non-nullable values) for <c>documentMetadata</c> gives
/// warning CS8619 or CS8620 (nullability mismatch) where an <c>IReadOnlyDictionary&lt;string, object?&gt;</c>
/// is expected, and a plugin built with warnings as errors turns those warnings into build errors.
/// Equality, <see cref="RecordOffsetDoc.Serialize"/> and the shared fields come from <see cref="RecordOffsetDoc"/>.
/// </remarks>
public class ErrorDoc : RecordOffsetDoc, IErrorDoc, IEquatable<ErrorDoc>
{
    /// <summary>Creates an error document.</summary>
    /// <param name="errorStartOffsetMap">File type (or other key) to the offset where the record starts, or <see langword="null"/>.</param>
    /// <param name="errorEndOffsetMap">File type (or other key) to the offset where the record ends, or <see langword="null"/>.</param>
    /// <param name="errorMessage">What went wrong, or <see langword="null"/>.</param>
    /// <param name="documentId">The id of the document the record belonged to, or <see langword="null"/>.</param>
    /// <param name="recordType">The record type, or <see langword="null"/>.</param>
    /// <param name="documentMetadata">Optional metadata, or <see langword="null"/>.</param>
    /// <param name="serialized">What <see cref="RecordOffsetDoc.Serialize"/> returns (written to the destination), or <see langword="null"/>.</param>
    /// <param name="partitionKey">The destination partition key, or <see langword="null"/>.</param>
    public ErrorDoc(IReadOnlyDictionary<string, string>? errorStartOffsetMap,
                    IReadOnlyDictionary<string, string>? errorEndOffsetMap,
                    string? errorMessage, string? documentId = null, string? recordType = null,
                    IReadOnlyDictionary<string, object?>? documentMetadata = null,
                    string? serialized = null, string? partitionKey = null)
        : base(errorStartOffsetMap, errorEndOffsetMap, errorMessage, documentId, recordType, documentMetadata, serialized, partitionKey)
    {
    }

    /// <summary>The kind of document: always <see cref="Documents.DocumentType.ErrorDoc"/>.</summary>
    public override DocumentType DocumentType => DocumentType.ErrorDoc;

    /// <inheritdoc/>
    public string? ErrorMessage => Message;

    /// <summary>Whether <paramref name="other"/> is of the same type and has equal fields (dictionaries by content).</summary>
    /// <param name="other">The document to compare with.</param>
    /// <returns><see langword="true"/> when the documents are equal.</returns>
    public bool Equals(ErrorDoc? other) => FieldsEqual(other);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => FieldsEqual(obj as ErrorDoc);

    /// <inheritdoc/>
    public override int GetHashCode() => base.GetHashCode();

    /// <summary>A short description for diagnostics.</summary>
    /// <returns>The type, id, record type and message.</returns>
    public override string ToString() =>
        $"ErrorDoc {{ DocumentId = {DocumentId}, RecordType = {RecordType}, ErrorMessage = {ErrorMessage} }}";
}
