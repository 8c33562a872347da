using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// Makes a project ready to run, where its code may run (a data-task process, or the worker with
/// <c>--in-process</c>): a host is started and must load the interfaces, each per-file function must answer, and the
/// binding hands every task a parser served by the project's host pool.
/// </summary>
public sealed class BridgePreparation : IDisposable
{
    private readonly BridgeHostPool? _pool;

    private BridgePreparation(BridgeHostPool? pool, ReaderBinding binding, IReadOnlyList<string> report)
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

    /// <summary>The preparation, or null with the problems (each names the file and the function).</summary>
    /// <param name="project">The project folder and language.</param>
    /// <param name="relay">Receives each line the hosts write to standard error.</param>
    /// <param name="problems">Receives every problem found.</param>
    /// <param name="readerType">The dataset's reader type: which interface the project must have.</param>
    public static BridgePreparation? TryPrepare(BridgeProject project, Action<string>? relay, List<string> problems,
        Datasets.ReaderType readerType = Datasets.ReaderType.SingleFileReader)
    {
        var contract = readerType switch
        {
            Datasets.ReaderType.KinesisRecordReader => BridgeKinesisRecordReader.Contract,
            Datasets.ReaderType.DynamoDBTableItemReader => BridgeDynamoDBTableItemReader.Contract,
            _ => BridgeInterface.SingleFileParser,
        };
        var pool = new BridgeHostPool(project, [contract], relay);
        var report = new List<string>();
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
            if (contract != BridgeInterface.SingleFileParser)
            {
                // A stream or table reader has no per-file function to ask: its one function is called per record.
                ReaderBinding reader = contract == BridgeKinesisRecordReader.Contract
                    ? new KinesisRecordReaderBinding(NameOf(project), () => new BridgeKinesisRecordReader(pool))
                    : new DynamoDBTableItemReaderBinding(NameOf(project), () => new BridgeDynamoDBTableItemReader(pool));
                return new BridgePreparation(pool, reader, report);
            }

            var parser = new BridgeSingleFileParser(pool);
            var fileType = parser.S3FileType;
            var start = parser.GetRecordStartPattern(fileType);
            var end = parser.GetRecordEndPattern(fileType);
            report.Add($"ok   {contract.Name}: getS3FileType = {fileType}; getRecordStartPattern = {Describe(start)}; getRecordEndPattern = {Describe(end)}");
        }
        catch (Exception e) when (e is BridgeHostException or BridgeCallFailure or PluginContractException or FormatException
            or InvalidOperationException or KeyNotFoundException or System.Text.Json.JsonException)
        {
            problems.Add($"readConnector.artifactFile: {e.Message}");
            pool.Dispose();
            return null;
        }

        var binding = new SingleFileReaderBinding(NameOf(project), () => new BridgeSingleFileParser(pool));
        return new BridgePreparation(pool, binding, report);
    }

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
