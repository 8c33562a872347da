namespace LetsData.Interfaces.Documents;

/// <summary>
/// What <see cref="ErrorDoc"/> and <see cref="SkipDoc"/> share: a document about one record, located by its start and
/// end offsets, with a message, the record's id and type, metadata and the text written for it.
/// </summary>
/// <remarks>
/// Two instances are equal when they are of the same type and all their fields are, comparing the dictionaries by
/// content. The dictionaries are kept, not copied: do not change them after constructing the document.
/// </remarks>
public abstract class RecordOffsetDoc : ISingleDoc
{
    private readonly string? _serialized;

    /// <summary>Sets the fields every record document has.</summary>
    /// <param name="startOffsetMap">File type (or other key) to the offset where the record starts, or <see langword="null"/>.</param>
    /// <param name="endOffsetMap">File type (or other key) to the offset where the record ends, or <see langword="null"/>.</param>
    /// <param name="message">Why the document was made (an error, a skip), or <see langword="null"/>.</param>
    /// <param name="documentId">The id of the document the record belonged to, or <see langword="null"/>.</param>
    /// <param name="recordType">The record type, or <see langword="null"/>.</param>
    /// <param name="documentMetadata">Optional metadata, or <see langword="null"/>.</param>
    /// <param name="serialized">What <see cref="Serialize"/> returns, or <see langword="null"/>.</param>
    /// <param name="partitionKey">The destination partition key, or <see langword="null"/>.</param>
    private protected RecordOffsetDoc(IReadOnlyDictionary<string, string>? startOffsetMap, IReadOnlyDictionary<string, string>? endOffsetMap,
        string? message, string? documentId, string? recordType, IReadOnlyDictionary<string, object?>? documentMetadata,
        string? serialized, string? partitionKey)
    {
        ErrorStartOffsetMap = startOffsetMap;
        ErrorEndOffsetMap = endOffsetMap;
        Message = message;
        DocumentId = documentId;
        RecordType = recordType;
        DocumentMetadata = documentMetadata;
        _serialized = serialized;
        PartitionKey = partitionKey;
    }

    /// <summary>The kind of document.</summary>
    public abstract DocumentType DocumentType { get; }

    /// <summary>File type (or other key) to the offset where the record starts (the Java name, for errors and skips alike).</summary>
    public IReadOnlyDictionary<string, string>? ErrorStartOffsetMap { get; }

    /// <summary>File type (or other key) to the offset where the record ends (the Java name, for errors and skips alike).</summary>
    public IReadOnlyDictionary<string, string>? ErrorEndOffsetMap { get; }

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

    /// <summary>The message: <see cref="ErrorDoc.ErrorMessage"/> or <see cref="SkipDoc.SkipMessage"/>.</summary>
    private protected string? Message { get; }

    /// <summary>Returns the <c>serialized</c> constructor argument.</summary>
    /// <returns>The <c>serialized</c> constructor argument, possibly <see langword="null"/>.</returns>
    public virtual string? Serialize() => _serialized;

    /// <summary>Whether <paramref name="other"/> is of the same type and has equal fields (dictionaries by content).</summary>
    /// <param name="other">The document to compare with.</param>
    /// <returns><see langword="true"/> when the documents are equal.</returns>
    private protected bool FieldsEqual(RecordOffsetDoc? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (GetType() == other.GetType()
                && Message == other.Message
                && DocumentId == other.DocumentId
                && RecordType == other.RecordType
                && PartitionKey == other.PartitionKey
                && _serialized == other._serialized
                && DocumentEquality.DictionariesEqual(ErrorStartOffsetMap, other.ErrorStartOffsetMap)
                && DocumentEquality.DictionariesEqual(ErrorEndOffsetMap, other.ErrorEndOffsetMap)
                && DocumentEquality.DictionariesEqual(DocumentMetadata, other.DocumentMetadata)));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => FieldsEqual(obj as RecordOffsetDoc);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(
        Message, DocumentId, RecordType, PartitionKey, _serialized,
        DocumentEquality.DictionaryHashCode(ErrorStartOffsetMap),
        DocumentEquality.DictionaryHashCode(ErrorEndOffsetMap),
        DocumentEquality.DictionaryHashCode(DocumentMetadata));

    /// <summary>A short description for diagnostics.</summary>
    /// <returns>The type, id, record type and message.</returns>
    public override string ToString() =>
        $"{GetType().Name} {{ DocumentId = {DocumentId}, RecordType = {RecordType}, Message = {Message} }}";
}
