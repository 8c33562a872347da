using System.Buffers;
using System.Text;
using System.Text.Json;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// The vectorization hooks (<c>LAMBDA_AND_SAGEMAKER</c>), answered by a project's <c>SagemakerVectorsInterface</c>
/// (spec §3.2: <c>extractDocumentElementsForVectorization(document)</c>, <c>constructVectorDoc(documentInterface,
/// vectorsMap)</c>). A document goes as the JSON object the write connector would write for it (a key-value document
/// flattened with documentId, recordType, partitionKey and documentMetadata, spec §3.3): what LetsData's examples read.
/// An exception in either function becomes an error record for that document naming the function, as in the readers;
/// the task goes on. One instance per task, used on the task's thread only.
/// </summary>
internal sealed class BridgeVectorizer(IBridgeChannel pool) : ISagemakerVectorsInterface
{
    public static readonly BridgeInterface Contract = new("SagemakerVectorsInterface", "sagemaker");

    private const string Extract = "extractDocumentElementsForVectorization";
    private const string Construct = "constructVectorDoc";

    // The stage calls construct for every document it took, so an extraction that failed is answered there, as an
    // error record in the document's place (the stage's error path for an IErrorDoc result).
    private readonly Dictionary<IDocument, string> _failedExtractions = new(ReferenceEqualityComparer.Instance);
    private readonly ArrayBufferWriter<byte> _json = new();

    public IReadOnlyDictionary<string, string> ExtractDocumentElementsForVectorization(IDocument document)
    {
        var json = Json(document);
        var result = pool.Call(Contract, Extract, w =>
        {
            w.WritePropertyName("document");
            w.WriteRawValue(json, skipInputValidation: true);
        });
        var function = $"{Contract.Name}.{Extract}";
        if (BridgeCallFailure.IsFailure(result, function, pool.FileOf(Contract), out var failure))
        {
            _failedExtractions[document] = failure!.Message;
            return new Dictionary<string, string>();
        }

        var data = result.GetProperty("data");
        if (data.ValueKind != JsonValueKind.Object)
        {
            _failedExtractions[document] = $"{function} returned {data.ValueKind.ToString().ToLowerInvariant()}, not a map of name to text ({pool.FileOf(Contract)})";
            return new Dictionary<string, string>();
        }

        var elements = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in data.EnumerateObject())
        {
            // A number or a list is vectorized as its JSON text: the endpoint takes strings.
            elements[element.Name] = element.Value.ValueKind == JsonValueKind.String ? element.Value.GetString()! : element.Value.GetRawText();
        }

        return elements;
    }

    public IDocument ConstructVectorDoc(IDocument document, IReadOnlyDictionary<string, double[]> vectors)
    {
        if (_failedExtractions.Remove(document, out var extractFailure))
        {
            return Error(document, extractFailure);
        }

        var json = Json(document);
        var result = pool.Call(Contract, Construct, w =>
        {
            w.WritePropertyName("documentInterface");
            w.WriteRawValue(json, skipInputValidation: true);
            w.WriteStartObject("vectorsMap");
            foreach (var (name, vector) in vectors)
            {
                w.WriteStartArray(name);
                foreach (var value in vector)
                {
                    w.WriteNumberValue(value);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        });
        var function = $"{Contract.Name}.{Construct}";
        if (BridgeCallFailure.IsFailure(result, function, pool.FileOf(Contract), out var failure))
        {
            return Error(document, failure!.Message);
        }

        var data = result.GetProperty("data");
        return data.ValueKind == JsonValueKind.Object
            ? BridgeDocuments.Document(data)
            : Error(document, $"{function} returned {data.ValueKind.ToString().ToLowerInvariant()}, not a document ({pool.FileOf(Contract)})");
    }

    // No offsets: the stage puts where the reader found the document.
    private static ErrorDoc Error(IDocument document, string message) =>
        new(null, null, message, document.DocumentId, document.RecordType, partitionKey: document.PartitionKey);

    private byte[] Json(IDocument document)
    {
        _json.ResetWrittenCount();
        if (document is IUtf8SerializableDocument utf8 && utf8.TrySerializeUtf8(_json))
        {
            return _json.WrittenSpan.ToArray();
        }

        return Encoding.UTF8.GetBytes(document.Serialize() ?? "{}");
    }
}
