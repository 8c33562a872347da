using System.Globalization;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// The contract's file parser, answered by a project's <c>SingleFileParser</c> class through its host. A failure in
/// the user's code in the per-file calls fails the task (as a throwing .NET parser does); in <c>parseDocument</c> it
/// becomes an error document spanning the record, naming the function, the file and the line, and the task goes on.
/// </summary>
internal sealed class BridgeSingleFileParser(IBridgeChannel pool) : ISingleFileParser, IBatchingSingleFileParser
{
    private static readonly BridgeInterface Contract = BridgeInterface.SingleFileParser;
    private readonly string _file = pool.FileOf(Contract);
    private string? _fileType;
    private RecordParseHint? _start;
    private RecordParseHint? _end;

    public string S3FileType => _fileType ??= Text("getS3FileType", _ => { });

    public string GetResolvedS3FileName(string s3FileType, string fileName) => Text("getResolvedS3FileName", w =>
    {
        w.WriteString("s3FileType", s3FileType);
        w.WriteString("fileName", fileName);
    });

    public RecordParseHint GetRecordStartPattern(string s3FileType) => _start ??= Hint("getRecordStartPattern", s3FileType);

    public RecordParseHint GetRecordEndPattern(string s3FileType) => _end ??= Hint("getRecordEndPattern", s3FileType);

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        var content = Convert.ToBase64String(record);
        var result = pool.Call(Contract, "parseDocument", w =>
        {
            w.WriteString("s3FileType", s3FileType);
            w.WriteString("fileName", s3FileName);
            w.WriteNumber("offsetBytes", offsetBytes);
            w.WriteString("content", content);
        });
        return ToResult(result, _file, s3FileType, offsetBytes, record.Length);
    }

    // 256 records or 4 MB per round trip: the per-call cost (~70 µs through Python) is spread; a batch stays small
    // enough that the call timeout still means something.
    public int BatchRecords => 256;

    public int BatchBytes => 4 * 1024 * 1024;

    public IReadOnlyList<ParseDocumentResult> ParseDocuments(string fileType, string fileName, IReadOnlyList<BatchedRecord> records)
    {
        var request = BridgeRequests.Calls(Contract, "parseDocument", records.Count, (w, i) =>
        {
            w.WriteString("s3FileType", fileType);
            w.WriteString("fileName", fileName);
            w.WriteNumber("offsetBytes", records[i].Offset);
            w.WriteBase64String("content", records[i].Bytes.Span);
        });
        var results = pool.CallMany(request, $"{Contract.Name}.parseDocument");
        var converted = new List<ParseDocumentResult>(records.Count);
        var index = 0;
        foreach (var result in results.EnumerateArray())
        {
            var record = index < records.Count ? records[index++] : default;
            converted.Add(ToResult(result, _file, fileType, record.Offset, record.Bytes.Length));
        }

        return converted;
    }

    /// <summary>
    /// A <c>parseDocument</c> result as the contract's; an exception becomes an error document over the record. Shared
    /// with V8 (<see cref="V8.V8SingleFileParser"/>): both paths write the same documents and error records.
    /// </summary>
    internal static ParseDocumentResult ToResult(System.Text.Json.JsonElement result, string file, string fileType, long offset, int length)
    {
        if (BridgeCallFailure.IsFailure(result, $"{Contract.Name}.parseDocument", file, out var failure))
        {
            var start = new Dictionary<string, string> { [fileType] = offset.ToString(CultureInfo.InvariantCulture) };
            var end = new Dictionary<string, string> { [fileType] = (offset + length).ToString(CultureInfo.InvariantCulture) };
            return new ParseDocumentResult(null, new ErrorDoc(start, end, failure!.Message), ParseDocumentResultStatus.Error);
        }

        return BridgeDocuments.Result(result.GetProperty("data"));
    }

    private RecordParseHint Hint(string function, string s3FileType) =>
        BridgeDocuments.Hint(Data(function, w => w.WriteString("s3FileType", s3FileType)));

    private string Text(string function, Action<System.Text.Json.Utf8JsonWriter> writeData) =>
        TextOf(Data(function, writeData), function, _file);

    private System.Text.Json.JsonElement Data(string function, Action<System.Text.Json.Utf8JsonWriter> writeData) =>
        DataOf(pool.Call(Contract, function, writeData), function, _file);

    /// <summary>A per-file function's string (a file type, a file name).</summary>
    internal static string TextOf(System.Text.Json.JsonElement data, string function, string file) =>
        data.GetString() ?? throw new Engine.PluginContractException($"{Contract.Name}.{function} returned no string ({file})");

    /// <summary>A per-file function's value; an exception in it fails the task.</summary>
    internal static System.Text.Json.JsonElement DataOf(System.Text.Json.JsonElement result, string function, string file) =>
        BridgeCallFailure.IsFailure(result, $"{Contract.Name}.{function}", file, out var failure)
            ? throw failure!
            : result.GetProperty("data");
}
