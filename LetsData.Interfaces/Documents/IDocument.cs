namespace LetsData.Interfaces.Documents;

/// <summary>
/// A document produced by a parser or reader: what the runtime writes to the write destination
/// (or, for error documents, to the error destination). The port of the Java <c>DocumentInterface</c>.
/// </summary>
/// <remarks>Every member may return <see langword="null"/>; documents are read-only.</remarks>
public interface IDocument
{
    /// <summary>The document's identifier, or <see langword="null"/> when it has none.</summary>
    string? DocumentId { get; }

    /// <summary>The record type the document was built from (e.g. <c>"response"</c>), or <see langword="null"/>.</summary>
    string? RecordType { get; }

    /// <summary>
    /// The key that picks the destination partition / shard (e.g. the Kinesis partition key), or
    /// <see langword="null"/>.
    /// </summary>
    string? PartitionKey { get; }

    /// <summary>Optional metadata about the document, or <see langword="null"/>.</summary>
    /// <remarks>
    /// Build the dictionary with a nullable value type argument:
    /// <code language="csharp">
    /// IReadOnlyDictionary&lt;string, object?&gt; metadata = new Dictionary&lt;string, object?&gt;
    /// {
    ///     ["source"] = "s3",
    ///     ["contentLength"] = 1234L,
    /// };
    /// </code>
    /// A <c>new Dictionary&lt;string, object&gt;</c> (non-nullable values) gives warning CS8619 or
    /// CS8620 (nullability mismatch) where it is used as an
    /// <c>IReadOnlyDictionary&lt;string, object?&gt;</c>, and a plugin built with warnings as errors
    /// turns those warnings into build errors.
    /// </remarks>
    IReadOnlyDictionary<string, object?>? DocumentMetadata { get; }

    /// <summary>Serializes the document: the string written to the write destination.</summary>
    /// <returns>The serialized document, or <see langword="null"/> when there is nothing to write.</returns>
    string? Serialize();
}
