using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Bridge.V8;

/// <summary>
/// <c>"javascriptEngine": "v8"</c>: the dataset rules of the field, and the preparation of a JavaScript project run
/// inside the data-task process (no host): the module must load and the per-file functions answer, in an isolate of
/// its own; each task then gets a new isolate.
/// </summary>
internal static class V8Preparation
{
    /// <summary>True when the dataset asks for V8; problems added for a misuse of the field.</summary>
    public static bool Check(BridgeLanguage language, ReadConnectorConfig read, ReaderType? readerType, List<string> problems)
    {
        var engine = read.JavascriptEngine;
        var onV8 = string.Equals(engine, "v8", StringComparison.OrdinalIgnoreCase);
        if (engine is not null && !onV8 && !string.Equals(engine, "node", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"readConnector.javascriptEngine: unknown value '{engine}'; expected \"node\" (the bridge host, default) or \"v8\" (in-process)");
        }
        else if (engine is not null && language != BridgeLanguage.JavaScript)
        {
            problems.Add($"readConnector.javascriptEngine: only for \"artifactImplementationLanguage\": \"javascript\" (not {language.Name()})");
        }
        else if (onV8 && readerType is not (null or ReaderType.SingleFileReader))
        {
            problems.Add("readConnector.javascriptEngine: \"v8\" runs the Single File Reader only so far (use \"node\" for the stream and table readers)");
        }

        if (read.JavascriptHeapMegabytes is { } megabytes && (!onV8 || megabytes is < 16 or > 16384))
        {
            problems.Add(onV8 ? $"readConnector.javascriptHeapMegabytes: {megabytes} is out of range 16..16384"
                : "readConnector.javascriptHeapMegabytes: only with \"javascriptEngine\": \"v8\"");
        }

        return onV8 && language == BridgeLanguage.JavaScript;
    }

    /// <summary>The binding (a new isolate per task) and validate's report, or null with the problems added.</summary>
    public static (ReaderBinding Binding, IReadOnlyList<string> Report)? TryPrepare(BridgeProject project, Dataset dataset, List<string> problems)
    {
        if (dataset.Vectorization is not null)
        {
            // The vectorizer would need calls the V8 path does not make yet: LAMBDA_AND_SAGEMAKER stays on the Node host.
            problems.Add($"readConnector.javascriptEngine: \"v8\" does not run SagemakerVectorsInterface yet (use \"node\" with computeEngineType \"{SagemakerVectorization.ComputeEngineType}\")");
            return null;
        }

        var settings = new V8Settings((long)(dataset.ReadConnector.JavascriptHeapMegabytes ?? V8Settings.DefaultHeapMegabytes) * 1024 * 1024,
            dataset.Limits.CallTimeout);
        var report = new List<string>();
        try
        {
            using var parser = new V8SingleFileParser(project, settings);
            var fileType = parser.S3FileType;
            report.Add($"ok   javascript project {project.Folder} loaded in-process on V8 (heap limit {settings.HeapBytes / (1024 * 1024)} MB); SingleFileParser found");
            var start = parser.GetRecordStartPattern(fileType);
            var end = parser.GetRecordEndPattern(fileType);
            report.Add($"ok   SingleFileParser: getS3FileType = {fileType}; getRecordStartPattern = {BridgePreparation.Describe(start)}; getRecordEndPattern = {BridgePreparation.Describe(end)}");
        }
        catch (Exception e) when (e is V8LoadException or V8CallStoppedException or BridgeCallFailure or PluginContractException
            or FormatException or InvalidOperationException or KeyNotFoundException or System.Text.Json.JsonException)
        {
            problems.Add($"readConnector.artifactFile: {e.Message}");
            return null;
        }

        return (new SingleFileReaderBinding(BridgePreparation.NameOf(project), () => new V8SingleFileParser(project, settings)), report);
    }
}
