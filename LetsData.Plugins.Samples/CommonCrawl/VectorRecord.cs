using System.Buffers;
using System.Text.Json;
using LetsData.Interfaces.Documents;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// The vector document <see cref="CommonCrawlVectorizer"/> builds for an <see cref="IndexRecord"/>: its ids and the
/// vectors of its text and description (LetsData's Java example's VectorRecord). A vector that was not computed (no
/// text, no description) is null.
/// </summary>
public sealed class VectorRecord : IDocument, IUtf8SerializableDocument
{
    /// <summary>The record type of vector records.</summary>
    public const string RecordTypeName = "VECTOR";

    /// <summary>Creates the vector record of the page at <paramref name="url"/>.</summary>
    /// <param name="url">The crawled URL.</param>
    /// <param name="documentId">The index record's id (the URL, or its MD5 when long).</param>
    /// <param name="docTextVectors">The vector of the page text, or null.</param>
    /// <param name="docDescriptionVectors">The vector of the page description, or null.</param>
    public VectorRecord(string url, string? documentId, double[]? docTextVectors, double[]? docDescriptionVectors)
    {
        Url = url;
        DocumentId = documentId;
        DocTextVectors = docTextVectors;
        DocDescriptionVectors = docDescriptionVectors;
    }

    /// <summary>The crawled URL.</summary>
    public string Url { get; }

    /// <inheritdoc/>
    public string? DocumentId { get; }

    /// <summary>The vector of the page text.</summary>
    public double[]? DocTextVectors { get; }

    /// <summary>The vector of the page description.</summary>
    public double[]? DocDescriptionVectors { get; }

    /// <inheritdoc/>
    public string? RecordType => RecordTypeName;

    /// <inheritdoc/>
    public string? PartitionKey => DocumentId;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?>? DocumentMetadata => null;

    /// <inheritdoc/>
    public string? Serialize() => CommonCrawlJson.Write(this, WriteJson);

    /// <inheritdoc/>
    public bool TrySerializeUtf8(IBufferWriter<byte> output)
    {
        CommonCrawlJson.WriteUtf8(output, this, WriteJson);
        return true;
    }

    private static void WriteJson(Utf8JsonWriter writer, VectorRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("documentId", record.DocumentId);
        writer.WriteString("recordType", record.RecordType);
        writer.WriteString("url", record.Url);
        WriteVector(writer, "docTextVectors", record.DocTextVectors);
        WriteVector(writer, "docDescriptionVectors", record.DocDescriptionVectors);
        writer.WriteEndObject();
    }

    private static void WriteVector(Utf8JsonWriter writer, string name, double[]? vector)
    {
        if (vector is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in vector)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }
}
