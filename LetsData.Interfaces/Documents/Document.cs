using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LetsData.Interfaces.Documents;

/// <summary>
/// The default key-value document (as in the Python and JavaScript interface packages): an id, a record
/// type, a partition key, optional metadata and a map of values, serialized as one flat JSON object.
/// Most plugins never need to write a document class of their own.
/// </summary>
/// <remarks>
/// Build the dictionaries with nullable value type arguments:
/// <code language="csharp">
/// var doc = new Document(
///     documentId: url,
///     recordType: "Content",
///     partitionKey: url,
///     keyValues: new Dictionary&lt;string, object?&gt;
///     {
///         ["url"] = url,
///         ["docText"] = text,
///         ["contentLength"] = length,
///         ["language"] = null,
///     },
///     documentMetadata: new Dictionary&lt;string, object?&gt; { ["crawl"] = "CC-MAIN-2024-10" });
/// </code>
/// A <c>new Dictionary&lt;string, object&gt;</c> (non-nullable values) gives warning CS8619 or CS8620
/// (nullability mismatch) where an <c>IReadOnlyDictionary&lt;string, object?&gt;</c> is expected, and a
/// plugin built with warnings as errors turns those warnings into build errors.
/// <para>
/// The dictionaries are kept, not copied: do not change them after constructing the document.
/// </para>
/// </remarks>
public class Document : ISingleDoc
{
    private const string DocumentIdField = "documentId";
    private const string RecordTypeField = "recordType";
    private const string PartitionKeyField = "partitionKey";
    private const string DocumentMetadataField = "documentMetadata";

    // Serialize runs once per record on the hot path: reuse one buffer and writer per thread rather
    // than allocating them per call. Taken out of the slot while in use so a re-entrant Serialize
    // (e.g. from a custom JSON converter) gets a fresh pair instead of corrupting this one.
    [ThreadStatic]
    private static SerializationBuffer? _cachedBuffer;

    // Output is data, not HTML: keep non-ASCII text readable instead of \uXXXX-escaping it.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates a key-value document.</summary>
    /// <param name="documentId">The document id (<c>"documentId"</c> in the JSON), or <see langword="null"/>.</param>
    /// <param name="recordType">The record type (<c>"recordType"</c> in the JSON), or <see langword="null"/>.</param>
    /// <param name="partitionKey">The destination partition key (<c>"partitionKey"</c> in the JSON), or <see langword="null"/>.</param>
    /// <param name="keyValues">
    /// The document's values, written flattened at the top level of the JSON. Values may be any
    /// JSON-serializable object: strings, numbers, booleans, <see langword="null"/>, arrays, lists and
    /// nested <c>Dictionary&lt;string, object?&gt;</c>.
    /// </param>
    /// <param name="documentMetadata">Optional metadata (<c>"documentMetadata"</c> in the JSON; <c>{}</c> when <see langword="null"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyValues"/> is <see langword="null"/>.</exception>
    public Document(string? documentId, string? recordType, string? partitionKey,
                    IReadOnlyDictionary<string, object?> keyValues,
                    IReadOnlyDictionary<string, object?>? documentMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(keyValues);
        DocumentId = documentId;
        RecordType = recordType;
        PartitionKey = partitionKey;
        KeyValues = keyValues;
        DocumentMetadata = documentMetadata;
    }

    /// <summary>The kind of document: always <see cref="Documents.DocumentType.Document"/>.</summary>
    public DocumentType DocumentType => DocumentType.Document;

    /// <inheritdoc/>
    public string? DocumentId { get; }

    /// <inheritdoc/>
    public string? RecordType { get; }

    /// <inheritdoc/>
    public string? PartitionKey { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?>? DocumentMetadata { get; }

    /// <summary>The document's values, written flattened at the top level of the serialized JSON.</summary>
    public IReadOnlyDictionary<string, object?> KeyValues { get; }

    /// <summary>Always <see langword="true"/>: a key-value document is a single document.</summary>
    public bool IsSingleDoc => true;

    /// <summary>
    /// Serializes the document as one JSON object: every key-value pair at the top level, then
    /// <c>"documentId"</c>, <c>"recordType"</c>, <c>"partitionKey"</c> and <c>"documentMetadata"</c>
    /// (the persisted shape of the Python/JavaScript documents; there is no <c>"documentType"</c>).
    /// </summary>
    /// <remarks>
    /// On a clash the four reserved fields, taken from the properties, win: a key-value pair named
    /// like one of them is not written. A <see langword="null"/> <see cref="DocumentMetadata"/> is
    /// written as <c>{}</c>, <see langword="null"/> strings as JSON <c>null</c>. Values are written
    /// with <see cref="JsonSerializer"/> using their runtime type. Override to write another shape.
    /// </remarks>
    /// <returns>The JSON text.</returns>
    /// <exception cref="NotSupportedException">A value cannot be serialized to JSON.</exception>
    public virtual string Serialize()
    {
        var buffer = _cachedBuffer ?? new SerializationBuffer();
        _cachedBuffer = null;
        try
        {
            var writer = buffer.Start();
            writer.WriteStartObject();
            foreach (var (key, value) in KeyValues)
            {
                if (IsReservedField(key))
                {
                    continue;
                }
                writer.WritePropertyName(key);
                WriteValue(writer, value);
            }
            writer.WriteString(DocumentIdField, DocumentId);
            writer.WriteString(RecordTypeField, RecordType);
            writer.WriteString(PartitionKeyField, PartitionKey);
            writer.WritePropertyName(DocumentMetadataField);
            if (DocumentMetadata is null)
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                JsonSerializer.Serialize(writer, DocumentMetadata, JsonOptions);
            }
            writer.WriteEndObject();
            writer.Flush();
            var json = Encoding.UTF8.GetString(buffer.WrittenSpan);
            _cachedBuffer = buffer.TryRecycle() ? buffer : null;
            return json;
        }
        catch
        {
            // A half-written writer is not reusable; let the next call start from a fresh pair.
            _cachedBuffer = null;
            throw;
        }
    }

    /// <summary>A short description for diagnostics (not the JSON: values can be large, and may not serialize).</summary>
    /// <returns>The id, record type, partition key and number of key-value pairs.</returns>
    public override string ToString() =>
        $"Document {{ DocumentId = {DocumentId}, RecordType = {RecordType}, PartitionKey = {PartitionKey}, KeyValues = {KeyValues.Count} }}";

    /// <summary>
    /// Writes the common value types directly: the reflection-based serializer is needed only for other types,
    /// and its first use costs a noticeable part of a worker's start-up.
    /// </summary>
    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string text: writer.WriteStringValue(text); break;
            case bool flag: writer.WriteBooleanValue(flag); break;
            case int number: writer.WriteNumberValue(number); break;
            case long number: writer.WriteNumberValue(number); break;
            case double number when double.IsFinite(number): writer.WriteNumberValue(number); break;
            case decimal number: writer.WriteNumberValue(number); break;
            default: JsonSerializer.Serialize(writer, value, value.GetType(), JsonOptions); break;
        }
    }

    private static bool IsReservedField(string key) =>
        key is DocumentIdField or RecordTypeField or PartitionKeyField or DocumentMetadataField;

    private sealed class SerializationBuffer
    {
        // Do not keep a buffer grown by one huge document alive for the rest of the thread's life.
        private const int MaxRetainedBytes = 1024 * 1024;

        private readonly ArrayBufferWriter<byte> _output = new(4096);
        private Utf8JsonWriter? _writer;

        public ReadOnlySpan<byte> WrittenSpan => _output.WrittenSpan;

        public Utf8JsonWriter Start()
        {
            _output.ResetWrittenCount();
            if (_writer is null)
            {
                _writer = new Utf8JsonWriter(_output, WriterOptions);
            }
            else
            {
                _writer.Reset(_output);
            }
            return _writer;
        }

        public bool TryRecycle() => _output.Capacity <= MaxRetainedBytes;
    }
}
