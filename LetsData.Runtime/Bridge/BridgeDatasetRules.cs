using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// The read connector of a Python or JavaScript dataset: <c>artifactFile</c> names the project folder (under
/// <c>--plugins</c>, or absolute), no class names (the project layout fixes them), and a reader type the bridge drives.
/// </summary>
public static class BridgeDatasetRules
{
    /// <summary>The project, or null with the problems added; <paramref name="artifact"/> is the resolved <c>artifactFile</c>.</summary>
    public static BridgeProject? Check(BridgeLanguage language, ReadConnectorConfig read, string artifact, List<string> problems)
    {
        var count = problems.Count;
        if (Aws.S3ObjectUri.IsS3Uri(read.ArtifactFile ?? ""))
        {
            // A zip of the project: the supervisor unpacks it into the plugin cache (ProjectZipLayout); checked there.
            if (read.ArtifactFile!.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"readConnector.artifactFile: a {language.Name()} project zip has no '#Name.dll' selector ('{read.ArtifactFile}')");
            }
        }
        else if (!Directory.Exists(Path.Combine(artifact, BridgeProject.InterfacesFolder)))
        {
            problems.Add($"readConnector.artifactFile: {artifact} is not a {language.Name()} project in LetsData's layout (no {BridgeProject.InterfacesFolder}/ folder in it)");
        }

        foreach (var (field, value) in ClassNameFields(read))
        {
            if (value is not null)
            {
                problems.Add($"readConnector.{field}: not used for {language.Name()}: the project layout fixes the class (remove the field)");
            }
        }

        // An unknown reader type is the loader's own problem; a known other one is the bridge's.
        var knownType = ReaderTypes.TryParse(read.ReaderType, out var readerType);
        if (knownType
            && readerType is not (ReaderType.SingleFileReader or ReaderType.KinesisRecordReader or ReaderType.DynamoDBTableItemReader
                or ReaderType.DynamoDBStreamsRecordReader or ReaderType.SqsQueueReader))
        {
            problems.Add($"readConnector.readerType: {language.Name()} projects run as the Single File Reader, Kinesis Record Reader, DynamoDB Table Item Reader, DynamoDB Streams Record Reader or SQS Queue Reader (LetsData's stateless interfaces)");
        }

        var onV8 = V8.V8Preparation.Check(language, read, knownType ? readerType : null, problems);
        var endpoint = EndpointOf(read, onV8, problems);
        return problems.Count > count ? null : new BridgeProject(language, artifact) { OnV8 = onV8, Endpoint = endpoint };
    }

    /// <summary>
    /// <c>bridgeEndpoint</c>: an absolute http(s) URL of a running LetsData image (the Lambda runtime interface
    /// emulator's invocation path), or null when the field is not set.
    /// </summary>
    private static Uri? EndpointOf(ReadConnectorConfig read, bool onV8, List<string> problems)
    {
        if (read.BridgeEndpoint is not { } text)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https") || endpoint.Host.Length == 0)
        {
            problems.Add($"readConnector.bridgeEndpoint: '{text}' is not an http:// or https:// URL (e.g. http://127.0.0.1:9000/2015-03-31/functions/function/invocations)");
            return null;
        }

        if (onV8)
        {
            problems.Add("readConnector.bridgeEndpoint: not with \"javascriptEngine\": \"v8\" (the code runs either in the image or in-process)");
            return null;
        }

        return endpoint;
    }

    private static IEnumerable<(string, object?)> ClassNameFields(ReadConnectorConfig read) =>
    [
        ("singleFileParserImplementationClassName", read.SingleFileParserImplementationClassName),
        ("singleFileStateMachineParserImplementationClassName", read.SingleFileStateMachineParserImplementationClassName),
        ("singleFileStateMachineReaderImplementationClassName", read.SingleFileStateMachineReaderImplementationClassName),
        ("singleFileStateMachineParserImplementationClassNameMap", read.SingleFileStateMachineParserImplementationClassNameMap),
        ("multipleFileStateMachineReaderClassName", read.MultipleFileStateMachineReaderClassName),
        ("kinesisRecordReaderClassName", read.KinesisRecordReaderClassName),
        ("dynamoDBTableItemReaderClassName", read.DynamoDBTableItemReaderClassName),
        ("dynamoDBStreamsRecordReaderClassName", read.DynamoDBStreamsRecordReaderClassName),
        ("queueMessageReaderClassName", read.QueueMessageReaderClassName),
        ("sagemakerVectorsInterfaceClassName", read.SagemakerVectorsInterfaceClassName),
    ];
}
