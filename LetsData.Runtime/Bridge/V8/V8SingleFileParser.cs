using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Bridge.V8;

/// <summary>
/// The contract's file parser answered by a JavaScript project's <c>SingleFileParser</c> on V8, inside this process:
/// one isolate and one instance of the class per task (so the class may keep state between records), loaded on the
/// first call. Results go through the bridge's conversion: the same documents and error records as the Node host.
/// </summary>
internal sealed class V8SingleFileParser(BridgeProject project, V8Settings settings) : ISingleFileParser, ITaskScopedParser
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

    private RecordParseHint Hint(string function, string s3FileType) => BridgeDocuments.Hint(Data(function, s3FileType));

    private string Text(string function, params object?[] arguments) =>
        BridgeSingleFileParser.TextOf(Data(function, arguments), function, Isolate.File);

    private System.Text.Json.JsonElement Data(string function, params object?[] arguments) =>
        BridgeSingleFileParser.DataOf(Isolate.Call(function, arguments), function, Isolate.File);

    public void Dispose() => _isolate?.Dispose();
}
