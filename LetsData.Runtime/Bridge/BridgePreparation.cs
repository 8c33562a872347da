using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// Makes a project ready to run, where its code may run (a data-task process, or the worker with
/// <c>--in-process</c>): a host is started and must load the interfaces, each per-file function must answer, and the
/// binding hands every task a parser served by the project's host pool.
/// </summary>
public sealed class BridgePreparation : IDisposable
{
    private readonly IBridgeChannel? _pool;

    private BridgePreparation(IBridgeChannel? pool, ReaderBinding binding, IReadOnlyList<string> report)
    {
        _pool = pool;
        Binding = binding;
        Report = report;
    }

    /// <summary>The binding tasks get their parser from.</summary>
    public ReaderBinding Binding { get; }

    /// <summary>What was checked, as <c>validate</c>'s "ok" lines.</summary>
    public IReadOnlyList<string> Report { get; }

    /// <summary>The project's name in messages (its folder's name).</summary>
    public static string NameOf(BridgeProject project) => Path.GetFileName(project.Folder);

    /// <summary>The preparation of a dataset's project: its reader type, its vectorization stage and its endpoint, if any.</summary>
    /// <param name="project">The project folder and language.</param>
    /// <param name="relay">Receives each line the hosts write to standard error.</param>
    /// <param name="problems">Receives every problem found.</param>
    /// <param name="dataset">The dataset.</param>
    public static BridgePreparation? TryPrepare(BridgeProject project, Action<string>? relay, List<string> problems, Datasets.Dataset dataset) =>
        TryPrepare(project with { Endpoint = dataset.Bridge?.Endpoint }, relay, problems, dataset.ReaderType, dataset.Vectorization is not null,
            dataset.Name, dataset.Limits.CallTimeout);

    /// <summary>The preparation, or null with the problems (each names the file and the function).</summary>
    /// <param name="project">The project folder and language (and its endpoint, if any).</param>
    /// <param name="relay">Receives each line the hosts write to standard error.</param>
    /// <param name="problems">Receives every problem found.</param>
    /// <param name="readerType">The dataset's reader type: which interface the project must have.</param>
    /// <param name="vectorize">The dataset vectorizes (<c>LAMBDA_AND_SAGEMAKER</c>): the project must have <c>SagemakerVectorsInterface</c> too.</param>
    /// <param name="datasetName">The dataset's name (an endpoint's envelope carries it).</param>
    /// <param name="callTimeout">The dataset's call timeout (an endpoint's calls give up before it).</param>
    public static BridgePreparation? TryPrepare(BridgeProject project, Action<string>? relay, List<string> problems,
        Datasets.ReaderType readerType = Datasets.ReaderType.SingleFileReader, bool vectorize = false, string datasetName = "",
        TimeSpan? callTimeout = null)
    {
        var contract = ContractOf(readerType);
        List<BridgeInterface> interfaces = vectorize ? [contract, BridgeVectorizer.Contract] : [contract];
        var report = new List<string>();
        IBridgeChannel channel;
        if (project.Endpoint is { } endpoint)
        {
            var remote = new Remote.BridgeEndpointChannel(endpoint, Remote.BridgeAuth.ForDataset(datasetName), EndpointTimeout(callTimeout));
            channel = remote;
            if (contract != BridgeInterface.SingleFileParser && remote.Probe() is { } unreachable)
            {
                problems.Add($"readConnector.bridgeEndpoint: {unreachable}");
                remote.Dispose();
                return null;
            }

            report.Add($"ok   {project.Language.Name()} project {project.Folder} served by the bridge endpoint {endpoint} ({string.Join(", ", interfaces.Select(i => i.Name))}; LetsData's envelope, one call per request)");
        }
        else
        {
            var pool = new BridgeHostPool(project, interfaces, relay);
            channel = pool;
            try
            {
                var hello = pool.Hello();
                if (hello.FirstProblem() is { } problem)
                {
                    problems.Add($"readConnector.artifactFile: {problem}");
                    pool.Dispose();
                    return null;
                }

                report.Add($"ok   {project.Language.Name()} project {project.Folder} loaded by the bridge host ({hello.Language} {hello.Version}); {string.Join(", ", hello.Interfaces.Select(i => i.Interface))} found");
            }
            catch (BridgeHostException e)
            {
                problems.Add($"readConnector.artifactFile: {e.Message}");
                pool.Dispose();
                return null;
            }
        }

        ReaderBinding binding;
        try
        {
            binding = Bind(project, channel, contract, report);
        }
        catch (Exception e) when (e is BridgeHostException or BridgeCallFailure or PluginContractException or FormatException
            or InvalidOperationException or KeyNotFoundException or System.Text.Json.JsonException)
        {
            problems.Add($"{(project.Endpoint is null ? "readConnector.artifactFile" : "readConnector.bridgeEndpoint")}: {e.Message}");
            channel.Dispose();
            return null;
        }

        return new BridgePreparation(channel, vectorize ? binding with { Vectorizer = () => new BridgeVectorizer(channel) } : binding, report);
    }

    private static BridgeInterface ContractOf(Datasets.ReaderType readerType) => readerType switch
    {
        Datasets.ReaderType.KinesisRecordReader => BridgeKinesisRecordReader.Contract,
        Datasets.ReaderType.DynamoDBTableItemReader => BridgeDynamoDBTableItemReader.Contract,
        Datasets.ReaderType.DynamoDBStreamsRecordReader => BridgeDynamoDBStreamsRecordReader.Contract,
        Datasets.ReaderType.SqsQueueReader => BridgeQueueMessageReader.Contract,
        _ => BridgeInterface.SingleFileParser,
    };

    // A stream, table or queue reader has no per-file function to ask: its one function is called per record.
    private static ReaderBinding Bind(BridgeProject project, IBridgeChannel channel, BridgeInterface contract, List<string> report)
    {
        var name = NameOf(project);
        if (contract == BridgeKinesisRecordReader.Contract)
        {
            return new KinesisRecordReaderBinding(name, () => new BridgeKinesisRecordReader(channel));
        }

        if (contract == BridgeDynamoDBTableItemReader.Contract)
        {
            return new DynamoDBTableItemReaderBinding(name, () => new BridgeDynamoDBTableItemReader(channel));
        }

        if (contract == BridgeDynamoDBStreamsRecordReader.Contract)
        {
            return new DynamoDBStreamsRecordReaderBinding(name, () => new BridgeDynamoDBStreamsRecordReader(channel));
        }

        if (contract == BridgeQueueMessageReader.Contract)
        {
            return new SqsQueueReaderBinding(name, () => new BridgeQueueMessageReader(channel));
        }

        var parser = new BridgeSingleFileParser(channel);
        var fileType = parser.S3FileType;
        var start = parser.GetRecordStartPattern(fileType);
        var end = parser.GetRecordEndPattern(fileType);
        report.Add($"ok   {contract.Name}: getS3FileType = {fileType}; getRecordStartPattern = {Describe(start)}; getRecordEndPattern = {Describe(end)}");
        return new SingleFileReaderBinding(name, () => new BridgeSingleFileParser(channel));
    }

    /// <summary>An endpoint call gives up a little before the engine's own call timeout would end the process.</summary>
    internal static TimeSpan EndpointTimeout(TimeSpan? callTimeout) =>
        callTimeout is { } limit ? TimeSpan.FromTicks(Math.Max(limit.Ticks * 9 / 10, TimeSpan.FromSeconds(1).Ticks)) : TimeSpan.FromMinutes(5);

    /// <summary>A JavaScript project on V8 (<c>"javascriptEngine": "v8"</c>): no host; each task gets an isolate.</summary>
    /// <param name="project">The project folder.</param>
    /// <param name="dataset">The dataset (its call timeout and heap limit).</param>
    /// <param name="problems">Receives every problem found.</param>
    public static BridgePreparation? TryPrepareOnV8(BridgeProject project, Datasets.Dataset dataset, List<string> problems) =>
        V8.V8Preparation.TryPrepare(project, dataset, problems) is { } prepared ? new BridgePreparation(null, prepared.Binding, prepared.Report) : null;

    internal static string Describe(Interfaces.Readers.RecordParseHint hint) =>
        hint.HintType == Interfaces.Readers.RecordHintType.Pattern
            ? $"pattern \"{hint.Pattern.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\""
            : $"offset {hint.Offset}";

    /// <summary>Stops every host of the project.</summary>
    public void Dispose() => _pool?.Dispose();
}
