namespace LetsData.Interfaces.Documents;

/// <summary>
/// The default composite document: the single document a state-machine reader wants persisted plus the
/// per-record errors met while building it. Id, record type, partition key, metadata and
/// <see cref="Serialize"/> come from the kept document (<see langword="null"/> when there is none).
/// </summary>
/// <remarks>
/// <code language="csharp">
/// // all records parsed: persist the combined document
/// var ok = new CompositeDoc(new Document(id, "CommonCrawl", id, new Dictionary&lt;string, object?&gt; { ["url"] = url }));
/// // a record failed: no document, one error
/// var failed = new CompositeDoc(null, new List&lt;IErrorDoc&gt; { errorDoc });
/// </code>
/// Use <c>new Dictionary&lt;string, object?&gt;</c> for key-value maps: the non-nullable
/// <c>Dictionary&lt;string, object&gt;</c> gives warning CS8619 or CS8620, which a plugin built with
/// warnings as errors turns into build errors.
/// </remarks>
public class CompositeDoc : ICompositeDoc
{
    private readonly ISingleDoc? _document;

    /// <summary>Creates a composite document.</summary>
    /// <param name="document">The document to persist, or <see langword="null"/> when there is none.</param>
    /// <param name="errors">The per-record errors met while building it; <see langword="null"/> means none.</param>
    public CompositeDoc(ISingleDoc? document, IReadOnlyList<IErrorDoc>? errors = null)
    {
        _document = document;
        DocumentList = new KeyValuePair<ISingleDoc?, IReadOnlyList<IErrorDoc>>(document, errors ?? []);
    }

    /// <inheritdoc/>
    public KeyValuePair<ISingleDoc?, IReadOnlyList<IErrorDoc>> DocumentList { get; }

    /// <summary>The kept document's id, or <see langword="null"/> when there is no kept document.</summary>
    public string? DocumentId => _document?.DocumentId;

    /// <summary>The kept document's record type, or <see langword="null"/> when there is no kept document.</summary>
    public string? RecordType => _document?.RecordType;

    /// <summary>The kept document's partition key, or <see langword="null"/> when there is no kept document.</summary>
    public string? PartitionKey => _document?.PartitionKey;

    /// <summary>The kept document's metadata, or <see langword="null"/> when there is no kept document.</summary>
    public IReadOnlyDictionary<string, object?>? DocumentMetadata => _document?.DocumentMetadata;

    /// <summary>Serializes the kept document.</summary>
    /// <returns>The kept document's <see cref="IDocument.Serialize"/>, or <see langword="null"/> when there is no kept document.</returns>
    public virtual string? Serialize() => _document?.Serialize();
}
