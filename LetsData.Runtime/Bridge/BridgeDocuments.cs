using System.Globalization;
using System.Text.Json;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// Turns the hosts' return values (LetsData's wire shapes, spec §3.3) into the contract's types: a key-value
/// <c>Document</c> is persisted as its map flattened together with documentId, recordType, partitionKey and
/// documentMetadata (<see cref="Document"/> writes exactly that); error and skip documents keep their offset maps
/// (<c>errorStartoffsetMap</c> / <c>errorEndoffsetMap</c> on the wire).
/// </summary>
internal static class BridgeDocuments
{
    public static RecordParseHint Hint(JsonElement hint)
    {
        var type = hint.TryGetProperty("recordHintType", out var t) ? t.GetString() : null;
        if (string.Equals(type, "OFFSET", StringComparison.OrdinalIgnoreCase))
        {
            return RecordParseHint.ForOffset(hint.GetProperty("offset").GetInt32());
        }

        return hint.TryGetProperty("pattern", out var pattern) && pattern.GetString() is { Length: > 0 } text
            ? RecordParseHint.ForPattern(text)
            : throw new FormatException($"a record hint without a pattern: {hint.GetRawText()}");
    }

    public static ParseDocumentResult Result(JsonElement result)
    {
        var document = result.TryGetProperty("document", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var status = result.TryGetProperty("status", out var s) && s.GetString() is { } text ? text.ToUpperInvariant() : null;
        var documentType = document.ValueKind == JsonValueKind.Object && document.TryGetProperty("documentType", out var dt) ? dt.GetString() : null;
        status ??= documentType switch { "ErrorDoc" => "ERROR", "SkipDoc" => "SKIP", _ => "SUCCESS" };
        var nextRecordType = result.TryGetProperty("nextRecordType", out var n) ? n.GetString() : null;
        IDocument? converted = document.ValueKind != JsonValueKind.Object ? null
            : documentType == "ErrorDoc" || (documentType is null && status == "ERROR") ? Error(document)
            : documentType == "SkipDoc" || (documentType is null && status == "SKIP") ? Skip(document)
            : KeyValue(document);
        return new ParseDocumentResult(nextRecordType, converted, status switch
        {
            "ERROR" => ParseDocumentResultStatus.Error,
            "SKIP" => ParseDocumentResultStatus.Skip,
            "SUCCESS" => ParseDocumentResultStatus.Success,
            _ => throw new FormatException($"unknown status '{status}'"),
        });
    }

    /// <summary>
    /// A document returned on its own (<c>constructVectorDoc</c>): a <c>Document</c>, <c>ErrorDoc</c> or <c>SkipDoc</c>
    /// in the wire shape; a plain object without <c>documentKeyValuesMap</c> (LetsData's "VECTOR doc" examples) is
    /// taken as the key-value map itself, its documentId, recordType and partitionKey kept.
    /// </summary>
    public static IDocument Document(JsonElement document)
    {
        var documentType = document.TryGetProperty("documentType", out var dt) ? dt.GetString() : null;
        return documentType switch
        {
            "ErrorDoc" => Error(document),
            "SkipDoc" => Skip(document),
            _ when document.TryGetProperty("documentKeyValuesMap", out _) => KeyValue(document),
            _ => new Document(Text(document, "documentId"), Text(document, "recordType"), Text(document, "partitionKey"),
                document.EnumerateObject().Where(p => p.Name is not ("documentId" or "recordType" or "partitionKey" or "documentMetadata" or "documentType"))
                    .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : (object?)p.Value),
                Map(document, "documentMetadata")),
        };
    }

    private static Document KeyValue(JsonElement document) => new(
        Text(document, "documentId"), Text(document, "recordType"), Text(document, "partitionKey"),
        Map(document, "documentKeyValuesMap") ?? new Dictionary<string, object?>(), Map(document, "documentMetadata"));

    private static ErrorDoc Error(JsonElement document) => new(
        Offsets(document, "errorStartoffsetMap"), Offsets(document, "errorEndoffsetMap"), Text(document, "errorMessage"),
        Text(document, "documentId"), Text(document, "recordType"), Map(document, "documentMetadata"), null, Text(document, "partitionKey"));

    private static SkipDoc Skip(JsonElement document) => new(
        Offsets(document, "errorStartoffsetMap"), Offsets(document, "errorEndoffsetMap"), Text(document, "skipMessage"),
        Text(document, "documentId"), Text(document, "recordType"), Map(document, "documentMetadata"), null, Text(document, "partitionKey"));

    private static string? Text(JsonElement document, string name) =>
        document.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        } : null;

    // Values stay JSON elements: the document writes them back as they came.
    private static Dictionary<string, object?>? Map(JsonElement document, string name) =>
        document.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : (object?)p.Value)
            : null;

    // Offsets are strings in LetsData (sequence numbers fit); a number sent by a user's code is taken as its digits.
    private static Dictionary<string, string>? Offsets(JsonElement document, string name)
    {
        var value = document.TryGetProperty(name, out var v) ? v : document.TryGetProperty(name.Replace("offset", "Offset", StringComparison.Ordinal), out var w) ? w : default;
        return value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String
                ? p.Value.GetString()!
                : p.Value.GetRawText().ToString(CultureInfo.InvariantCulture))
            : null;
    }
}
