using Amazon.Runtime;
using Amazon.S3;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;

namespace LetsData.Runtime.Connectors.LocalFiles;

/// <summary>The <c>LocalFiles</c> read connector's settings: the folder the manifest's file names are relative to.</summary>
public sealed record LocalFilesInput(string RootPath) : ReadConnectorSettings
{
    public override string? LocalFolder => RootPath;
    public override bool UsesAws => false;
    internal override IReadConnector Connector => LocalFilesReadConnector.Instance;
}

/// <summary>The <c>LocalFiles</c> read connector: the manifest's files under <c>rootPath</c>.</summary>
internal sealed class LocalFilesReadConnector : IFileReadConnector
{
    public static LocalFilesReadConnector Instance { get; } = new();

    public string Destination => "LocalFiles";
    public string ReadsWhat => "files in a folder";
    public bool ReadsFiles => true;
    public ReaderType? RequiredReaderType => null;

    public ReadConnectorSettings? ValidateSection(ReadConnectorConfig read, List<string> problems)
    {
        ConfigFields.Forbid("readConnector", Destination, problems,
            ("streamName", read.StreamName), ("tableName", read.TableName), ("totalSegments", read.TotalSegments));
        ConfigFields.Forbid("readConnector", Destination, problems, ConfigFields.QueueFields(read));
        if (string.IsNullOrWhiteSpace(read.RootPath))
        {
            problems.Add("readConnector.rootPath: required for LocalFiles (the folder of the input files)");
            return null;
        }

        var rootPath = Path.GetFullPath(read.RootPath);
        if (!Directory.Exists(rootPath))
        {
            problems.Add($"readConnector.rootPath: the folder {rootPath} does not exist");
        }

        return new LocalFilesInput(rootPath);
    }

    public ReadConnectorSettings? ValidateTasks(ReadConnectorSettings? section, ReadConnectorConfig read, ManifestFileConfig? manifest,
        int concurrency, List<string> problems) => section;

    public IFileSource? TryCreateFiles(ReadConnectorSettings settings, List<string> problems, Action<AmazonS3Config>? configureS3,
        AWSCredentials? credentials) => new LocalFileSource(((LocalFilesInput)settings).RootPath);

    public Task<ConnectorInputs?> TryOpenAsync(ReadConnectorSettings settings, InputRequest request) =>
        Task.FromResult<ConnectorInputs?>(new ConnectorInputs(new RecordSources(TryCreateFiles(settings, request.Problems, null, null)),
            request.ManifestTasks, null));
}
