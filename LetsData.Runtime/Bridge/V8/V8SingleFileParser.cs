using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Bridge.V8;

/// <summary>
/// The contract's file parser answered by a JavaScript project's <c>SingleFileParser</c> on V8, inside this process:
/// one isolate and one instance of the class per task (so the class may keep state between records), loaded on the
/// first call. Results go through the bridge's conversion: the same documents and error records as the Node host.
/// </summary>
internal sealed class V8SingleFileParser(BridgeProject project, V8Settings settings) : ISingleFileParser, IBatchingSingleFileParser, ITaskScopedParser
{
    private static readonly BridgeInterface Contract = BridgeInterface.SingleFileParser;
    private V8Isolate? _isolate;
    private string? _fileType;
    private RecordParseHint? _start;
    private RecordParseHint? _end;

    private V8Isolate Isolate
    {
        get
        {
            if (_isolate is null)
            {
                var isolate = new V8Isolate(project, Contract, settings);
                try
                {
                    isolate.Load();
                }
                catch
                {
                    isolate.Dispose();
                    throw;
                }

                _isolate = isolate;
            }

            return _isolate;
        }
    }

    public string S3FileType => _fileType ??= Text("getS3FileType");

    public string GetResolvedS3FileName(string s3FileType, string fileName) => Text("getResolvedS3FileName", s3FileType, fileName);

    public RecordParseHint GetRecordStartPattern(string s3FileType) => _start ??= Hint("getRecordStartPattern", s3FileType);

    public RecordParseHint GetRecordEndPattern(string s3FileType) => _end ??= Hint("getRecordEndPattern", s3FileType);

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        var isolate = Isolate;
        return BridgeSingleFileParser.ToResult(isolate.ParseDocument(s3FileType, s3FileName, offsetBytes, record), isolate.File,
            s3FileType, offsetBytes, record.Length);
    }

    // As the Node bridge's batches: a crossing costs a few microseconds (the JSON result, the interop call), spread
    // over up to 256 records; the call timeout then bounds a batch.
    public int BatchRecords => 256;

    public int BatchBytes => 4 * 1024 * 1024;

    public IReadOnlyList<ParseDocumentResult> ParseDocuments(string fileType, string fileName, IReadOnlyList<BatchedRecord> records)
    {
        var isolate = Isolate;
        var results = isolate.ParseDocuments(fileType, fileName, records);
        var converted = new List<ParseDocumentResult>(records.Count);
        foreach (var result in results.EnumerateArray())
        {
            var record = records[converted.Count];
            converted.Add(BridgeSingleFileParser.ToResult(result, isolate.File, fileType, record.Offset, record.Bytes.Length));
        }

        return converted;
    }

    private RecordParseHint Hint(string function, string s3FileType) => BridgeDocuments.Hint(Data(function, s3FileType));

    private string Text(string function, params object?[] arguments) =>
        BridgeSingleFileParser.TextOf(Data(function, arguments), function, Isolate.File);

    private System.Text.Json.JsonElement Data(string function, params object?[] arguments) =>
        BridgeSingleFileParser.DataOf(Isolate.Call(function, arguments), function, Isolate.File);

    public void Dispose() => _isolate?.Dispose();
}
