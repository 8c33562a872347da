namespace LetsData.Interfaces.Documents;

/// <summary>
/// The default skip document (the port of the Java <c>SkipDoc</c>): a record that is not of interest
/// and is not written to the write destination.
/// </summary>
/// <remarks>
/// Constructor arguments are in the order of the Java <c>SkipDoc</c>; <see cref="Serialize"/> returns the
/// <c>serialized</c> argument as is. Offsets are strings keyed by file type (or another key for
/// non-file readers). Build the maps with the documented type arguments:
/// <code language="csharp">
/// var doc = new SkipDoc(
///     errorStartOffsetMap: new Dictionary&lt;string, string&gt; { [fileType] = offsetBytes.ToString(CultureInfo.InvariantCulture) },
///     errorEndOffsetMap: new Dictionary&lt;string, string&gt; { [fileType] = (offsetBytes + record.Length).ToString(CultureInfo.InvariantCulture) },
///     skipMessage: "...",
///     documentId: url,
///     recordType: "response",
///     documentMetadata: new Dictionary&lt;string, object?&gt; { ["stage"] = "parse" });
/// </code>
/// A <c>new Dictionary&lt;string, object&gt;</c> (non-nullable values) for <c>documentMetadata</c> gives
/// warning CS8619 or CS8620 (nullability mismatch) where an <c>IReadOnlyDictionary&lt;string, object?&gt;</c>
/// is expected, and a plugin built with warnings as errors turns those warnings into build errors.
/// Two instances are equal when all their fields are, comparing the dictionaries by content.
/// The dictionaries are kept, not copied: do not change them after constructing the document.
/// </remarks>
public class SkipDoc : ISkipDoc, IEquatable<SkipDoc>
{
    private readonly string? _serialized;

    /// <summary>Creates a skip document.</summary>
    /// <param name="errorStartOffsetMap">File type (or other key) to the offset where the record starts, or <see langword="null"/>.</param>
    /// <param name="errorEndOffsetMap">File type (or other key) to the offset where the record ends, or <see langword="null"/>.</param>
    /// <param name="skipMessage">Why the record is skipped, or <see langword="null"/>.</param>
    /// <param name="documentId">The id of the document the record belonged to, or <see langword="null"/>.</param>
    /// <param name="recordType">The record type, or <see langword="null"/>.</param>
    /// <param name="documentMetadata">Optional metadata, or <see langword="null"/>.</param>
    /// <param name="serialized">What <see cref="Serialize"/> returns (written to the destination), or <see langword="null"/>.</param>
    /// <param name="partitionKey">The destination partition key, or <see langword="null"/>.</param>
    public SkipDoc(IReadOnlyDictionary<string, string>? errorStartOffsetMap,
                   IReadOnlyDictionary<string, string>? errorEndOffsetMap,
                   string? skipMessage, string? documentId = null, string? recordType = null,
                   IReadOnlyDictionary<string, object?>? documentMetadata = null,
                   string? serialized = null, string? partitionKey = null)
    {
        ErrorStartOffsetMap = errorStartOffsetMap;
        ErrorEndOffsetMap = errorEndOffsetMap;
        SkipMessage = skipMessage;
        DocumentId = documentId;
        RecordType = recordType;
        DocumentMetadata = documentMetadata;
        _serialized = serialized;
        PartitionKey = partitionKey;
    }

    /// <summary>The kind of document: always <see cref="Documents.DocumentType.SkipDoc"/>.</summary>
    public DocumentType DocumentType => DocumentType.SkipDoc;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string>? ErrorStartOffsetMap { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string>? ErrorEndOffsetMap { get; }

    /// <inheritdoc/>
    public string? SkipMessage { get; }

    /// <inheritdoc/>
    public string? DocumentId { get; }

    /// <inheritdoc/>
    public string? RecordType { get; }

    /// <inheritdoc/>
    public string? PartitionKey { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?>? DocumentMetadata { get; }

    /// <summary>Always <see langword="true"/>.</summary>
    public bool IsSingleDoc => true;

    /// <summary>Returns the <c>serialized</c> constructor argument.</summary>
    /// <returns>The <c>serialized</c> constructor argument, possibly <see langword="null"/>.</returns>
    public virtual string? Serialize() => _serialized;

    /// <summary>Whether <paramref name="other"/> is of the same type and has equal fields (dictionaries by content).</summary>
    /// <param name="other">The document to compare with.</param>
    /// <returns><see langword="true"/> when the documents are equal.</returns>
    public bool Equals(SkipDoc? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (GetType() == other.GetType()
                && SkipMessage == other.SkipMessage
                && DocumentId == other.DocumentId
                && RecordType == other.RecordType
                && PartitionKey == other.PartitionKey
                && _serialized == other._serialized
                && DocumentEquality.DictionariesEqual(ErrorStartOffsetMap, other.ErrorStartOffsetMap)
                && DocumentEquality.DictionariesEqual(ErrorEndOffsetMap, other.ErrorEndOffsetMap)
                && DocumentEquality.DictionariesEqual(DocumentMetadata, other.DocumentMetadata)));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SkipDoc);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(
        SkipMessage, DocumentId, RecordType, PartitionKey, _serialized,
        DocumentEquality.DictionaryHashCode(ErrorStartOffsetMap),
        DocumentEquality.DictionaryHashCode(ErrorEndOffsetMap),
        DocumentEquality.DictionaryHashCode(DocumentMetadata));

    /// <summary>A short description for diagnostics.</summary>
    /// <returns>The type, id, record type and message.</returns>
    public override string ToString() =>
        $"SkipDoc {{ DocumentId = {DocumentId}, RecordType = {RecordType}, SkipMessage = {SkipMessage} }}";
}
