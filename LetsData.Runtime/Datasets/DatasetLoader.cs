using System.Text.Json;
using System.Text.Json.Nodes;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Connectors;
using LetsData.Runtime.Plugins;
using LetsData.Runtime.Plugins.Artifacts;
using LetsData.Runtime.Reading;

namespace LetsData.Runtime.Datasets;

/// <summary>
/// Reads a dataset file and checks it, collecting every problem (each naming its field) instead of stopping at the
/// first. Relative paths are resolved against the dataset file's folder (<see cref="DatasetPaths"/>); <c>artifactFile</c>
/// against the plugins folder (<see cref="PluginsFolder"/>).
/// </summary>
public static class DatasetLoader
{
    private const int MaxConcurrency = 256;

    /// <summary>
    /// Builds System.Text.Json's metadata for dataset files on a pool thread, so that the first <see cref="Load"/> finds
    /// it ready: built cold it took ~35 ms of a 0.3 s start-up (<c>run --timings</c>), and the worker can build it on
    /// its second core while it parses its command line and starts its first data-task process.
    /// </summary>
    public static void StartWarmUp() =>
        ThreadPool.UnsafeQueueUserWorkItem(static _ =>
        {
            DatasetJsonStructure.Problems("{}");
            JsonSerializer.Deserialize("{}", DatasetJsonContext.Default.DatasetConfig);
        }, null);

    /// <param name="datasetFile">The dataset file.</param>
    /// <param name="pluginsDirectory"><c>--plugins</c> as given (<see cref="PluginsFolder.DefaultOption"/> when it was not).</param>
    public static Dataset Load(string datasetFile, string pluginsDirectory)
    {
        if (ConfigFileText.TryRead(datasetFile, "the dataset file", ConfigFileText.MaxDatasetBytes, out var unreadable) is not { } text)
        {
            throw new DatasetConfigException(datasetFile, [unreadable!]);
        }

        // Fields given twice are listed with every other problem; JSON nested too deep is read no further.
        var (structure, tooDeep) = DatasetJsonStructure.Problems(text);
        if (tooDeep)
        {
            throw new DatasetConfigException(datasetFile, structure);
        }

        DatasetConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(text, DatasetJsonContext.Default.DatasetConfig);
        }
        catch (JsonException e)
        {
            // The serializer stops at the first problem and names the .NET type it was filling: when the JSON itself is
            // well-formed, list every unknown field and wrong kind of value by its path instead.
            var problems = WellFormed(text) is { } json ? ShapeProblems(json) : [];
            throw new DatasetConfigException(datasetFile, [.. structure, .. problems.Count > 0 ? problems : [$"{e.Path ?? "$"}: {e.Message}"]]);
        }

        try
        {
            var plugins = PluginsFolder.Choose(pluginsDirectory, datasetFile);
            var dataset = Validate(config ?? new DatasetConfig(), datasetFile, plugins.Path, DatasetPaths.FolderOf(datasetFile)) with { Plugins = plugins };
            return structure.Count == 0 ? dataset : throw new DatasetConfigException(datasetFile, structure);
        }
        catch (DatasetConfigException e) when (structure.Count > 0 && e.Problems != structure)
        {
            throw new DatasetConfigException(datasetFile, [.. structure, .. e.Problems]);
        }
    }

    private static List<string> ShapeProblems(JsonNode json)
    {
        try
        {
            return DatasetJsonShape.Problems(json, DatasetJsonContext.Default.DatasetConfig);
        }
        catch (ArgumentException)
        {
            return []; // a field given twice: JsonObject refuses it when enumerated; the serializer's message stands
        }
    }

    private static JsonNode? WellFormed(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Checks a dataset's configuration (as <see cref="Load"/> does with a file's), collecting every problem.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="source">Where it came from, for messages.</param>
    /// <param name="pluginsDirectory">The folder a relative <c>artifactFile</c> is resolved against.</param>
    /// <param name="pathsFolder">The folder the other relative paths are resolved against; null: the current directory.</param>
    public static Dataset Validate(DatasetConfig config, string source, string pluginsDirectory, string? pathsFolder = null)
    {
        var problems = new List<string>();
        var notices = new List<string>();
        pathsFolder = Path.GetFullPath(pathsFolder ?? Environment.CurrentDirectory);
        config = DatasetPaths.Anchor(LetsDataOnlyFields.Apply(config, notices, problems), pathsFolder);
        var name = config.DatasetName;
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add("datasetName: required");
        }
        else if (!name.All(char.IsAsciiLetterOrDigit))
        {
            problems.Add($"datasetName: '{name}' must be letters and digits only (it names tasks, files and tables)");
        }

        var accessGrant = AccessGrant.TryCreate(config, name, problems);

        var read = config.ReadConnector;
        var readerType = default(ReaderType);
        string artifact = "";
        var readConnector = ConnectorRegistry.DefaultRead;
        ReadConnectorSettings? readSettings = null;
        PluginArtifactLocation? pluginArtifact = null;
        Bridge.BridgeProject? bridge = null;
        if (read is null)
        {
            problems.Add("readConnector: required");
        }
        else
        {
            readConnector = FindReadConnector(read.ConnectorDestination, problems);
            if (read.ArtifactImplementationLanguage is { } language && !language.Equals("dotnet", StringComparison.OrdinalIgnoreCase)
                && !Bridge.BridgeLanguages.TryParse(language, out _))
            {
                problems.Add($"readConnector.artifactImplementationLanguage: '{language}' is not supported; this worker runs \"dotnet\", \"python\" or \"javascript\" plugins");
            }

            if (string.IsNullOrWhiteSpace(read.ArtifactFile))
            {
                problems.Add("readConnector.artifactFile: required (the plugin DLL, relative to the plugins folder)");
            }
            else if (S3ObjectUri.IsS3Uri(read.ArtifactFile))
            {
                // A plugin zip in S3: fetched into the plugin cache when the dataset is prepared, never under --plugins.
                artifact = read.ArtifactFile;
                pluginArtifact = PluginArtifactLocation.TryParse(read.ArtifactFile, out var artifactProblem);
                if (artifactProblem is not null)
                {
                    problems.Add($"readConnector.artifactFile: {artifactProblem}");
                }
            }
            else
            {
                artifact = Path.GetFullPath(Path.Combine(pluginsDirectory, read.ArtifactFile));
            }

            // Bridge (python, javascript): the project folder's checks; the artifact becomes its letsdata_interfaces folder.
            bridge = Bridge.BridgeLanguages.TryParse(read.ArtifactImplementationLanguage, out var bridgeLanguage)
                ? Bridge.BridgeDatasetRules.Check(bridgeLanguage, read, artifact, problems) : null;
            artifact = bridge is null || pluginArtifact is not null ? artifact : Path.Combine(bridge.Folder, Bridge.BridgeProject.InterfacesFolder);
            if (bridge is null && read.BridgeEndpoint is not null && !Bridge.BridgeLanguages.TryParse(read.ArtifactImplementationLanguage, out _))
            {
                problems.Add("readConnector.bridgeEndpoint: only for \"artifactImplementationLanguage\": \"python\" or \"javascript\" (a LetsData image)");
            }


            readSettings = readConnector.ValidateSection(read, problems);
            if (!ReaderTypes.TryParse(read.ReaderType, out readerType))
            {
                problems.Add($"readConnector.readerType: {(read.ReaderType is null ? "required" : $"unknown value '{read.ReaderType}'")}; expected one of {string.Join(", ", ReaderTypes.DisplayNames.Select(n => $"\"{n}\""))}");
            }

            if (read.MaxRecordBytes is < 1)
            {
                problems.Add("readConnector.maxRecordBytes: must be at least 1");
            }

            CheckReaderTypeFitsConnector(read, readConnector, problems);
        }

        var output = ValidateWriteConnector("writeConnector", config.WriteConnector, problems, forErrors: false);
        var errorOutput = ValidateWriteConnector("errorConnector", config.ErrorConnector, problems, forErrors: true);
        if (output is not null && errorOutput is not null && output.CollisionWith(errorOutput) is { } collision)
        {
            problems.Add(collision);
        }

        var concurrency = config.ComputeEngine?.Concurrency ?? config.ComputeEngine?.Lambda?.LambdaConcurrency ?? 1;
        if (concurrency is < 1 or > MaxConcurrency)
        {
            problems.Add($"computeEngine.concurrency: {concurrency} is out of range 1..{MaxConcurrency}");
        }

        var limits = ValidateLimits(config.ComputeEngine, problems);
        var timeBox = ValidateTimeBox(config.ComputeEngine, problems);
        if (config.ComputeEngine?.ComputeEngineType is { } engineType && !engineType.Equals("Local", StringComparison.OrdinalIgnoreCase)
            && !LetsDataOnlyFields.IsLambdaEngine(engineType) && !SagemakerVectorization.IsSagemakerEngine(engineType))
        {
            problems.Add($"computeEngine.computeEngineType: '{engineType}' is not supported; this worker runs \"Local\", \"Lambda\" (as local processes) or \"{SagemakerVectorization.ComputeEngineType}\"");
        }

        var vectorization = SagemakerVectorization.TryCreate(config, problems);

        var (manifestText, manifestSource) = ("", "");
        if (read is not null)
        {
            readSettings = readConnector.ValidateTasks(readSettings, read, config.ManifestFile, concurrency, problems);
        }

        if (readConnector.ReadsFiles)
        {
            (manifestText, manifestSource) = ReadManifest(config.ManifestFile, readerType, read is not null, problems);
        }

        if (problems.Count > 0)
        {
            throw new DatasetConfigException(source, problems);
        }

        return new Dataset(config, name!, readerType, artifact, readSettings!, output!, errorOutput!, concurrency,
            read!.MaxRecordBytes ?? RecordScanner.DefaultMaxRecordBytes, manifestText, manifestSource)
        {
            PluginArtifact = pluginArtifact,
            Bridge = bridge,
            ManifestS3Object = config.ManifestFile?.ManifestType == S3LinkManifestType
                ? S3ObjectUri.TryParse(config.ManifestFile.ManifestFileS3Uri ?? "", out _)
                : null,
            Limits = limits,
            AccessGrant = accessGrant,
            Vectorization = vectorization,
            TaskTimeBox = timeBox,
            Notices = notices,
            PathsFolder = pathsFolder,
            Plugins = new PluginsFolder(Path.GetFullPath(pluginsDirectory), "--plugins"),
        };
    }

    // LetsData's Lambda timeout: a task runs at most this long per go, then ends and resumes from its checkpoint.
    private static TimeSpan? ValidateTimeBox(ComputeEngineConfig? engine, List<string> problems)
    {
        var (field, seconds) = engine?.TimeoutInSeconds is { } own ? ("timeoutInSeconds", (int?)own)
            : ("lambda.lambdaTimeoutInSeconds", engine?.Lambda?.LambdaTimeoutInSeconds);
        if (seconds is < 1)
        {
            problems.Add($"computeEngine.{field}: {seconds} must be at least 1");
            return null;
        }

        return seconds is { } box ? TimeSpan.FromSeconds(box) : null;
    }

    private const string S3LinkManifestType = "S3ReaderS3LinkManifestFile";

    private static PluginCallLimits ValidateLimits(ComputeEngineConfig? engine, List<string> problems)
    {
        var defaults = PluginCallLimits.Default;
        var timeout = defaults.CallTimeout;
        if (engine?.PluginCallTimeoutSeconds is { } seconds)
        {
            if (seconds < 0 || double.IsNaN(seconds) || seconds > TimeSpan.FromDays(1).TotalSeconds)
            {
                problems.Add($"computeEngine.pluginCallTimeoutSeconds: {seconds} is out of range 0..86400 (0 = no limit)");
            }
            else
            {
                timeout = seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
            }
        }

        var leaked = engine?.MaxLeakedThreads ?? defaults.MaxLeakedThreads;
        if (leaked < 1)
        {
            problems.Add($"computeEngine.maxLeakedThreads: {leaked} must be at least 1");
        }

        if (engine?.MaxTaskAllocatedBytes is < 1)
        {
            problems.Add($"computeEngine.maxTaskAllocatedBytes: {engine.MaxTaskAllocatedBytes} must be at least 1");
        }

        var (memoryField, memory) = engine?.MemoryLimitInMegabytes is { } own ? ("memoryLimitInMegabytes", (int?)own)
            : ("lambda.lambdaMemoryLimitInMegabytes", engine?.Lambda?.LambdaMemoryLimitInMegabytes);
        if (memory is < 64)
        {
            problems.Add($"computeEngine.{memoryField}: {memory} must be at least 64");
        }

        return new PluginCallLimits(timeout, leaked, engine?.MaxTaskAllocatedBytes)
        {
            MemoryLimitBytes = memory is >= 64 and var megabytes ? megabytes * 1024L * 1024 : null,
        };
    }

    private static IReadConnector FindReadConnector(string? destination, List<string> problems)
    {
        if (destination is null)
        {
            problems.Add($"readConnector.connectorDestination: required ({ConnectorRegistry.ReadDestinationNames})");
            return ConnectorRegistry.DefaultRead;
        }

        if (ConnectorRegistry.FindRead(destination) is { } connector)
        {
            return connector;
        }

        problems.Add($"readConnector.connectorDestination: '{destination}' is not supported; use {ConnectorRegistry.ReadDestinationNames}");
        return ConnectorRegistry.DefaultRead;
    }

    /// <summary>
    /// A write or error connector's settings, validated by the connector its destination names (streams and tables
    /// take documents only); null with problems when it is unusable.
    /// </summary>
    private static WriteConnectorSettings? ValidateWriteConnector(string field, WriteConnectorConfig? connector, List<string> problems, bool forErrors)
    {
        var destinations = ConnectorRegistry.WriteDestinationNames(forErrors);
        if (connector is null)
        {
            problems.Add($"{field}: required");
            return null;
        }

        var destination = connector.ConnectorDestination;
        if (destination is null)
        {
            problems.Add($"{field}.connectorDestination: required ({destinations})");
            return null;
        }

        if (ConnectorRegistry.FindWrite(destination, forErrors) is { } found)
        {
            return found.Validate(field, connector, problems);
        }

        // The fields no file destination uses are named too, as for a file destination.
        ConfigFields.Forbid(field, destination, problems, ("streamName", connector.StreamName), ("compressRecords", connector.CompressRecords),
            ("tableName", connector.TableName), ("keyAttributeName", connector.KeyAttributeName));
        ConfigFields.Forbid(field, destination, problems, ConfigFields.QueueFields(connector));
        problems.Add($"{field}.connectorDestination: '{destination}' is not supported; use {destinations}");
        return null;
    }

    private static void CheckReaderTypeFitsConnector(ReadConnectorConfig read, IReadConnector connector, List<string> problems)
    {
        if (!ReaderTypes.TryParse(read.ReaderType, out var readerType))
        {
            return;
        }

        if (connector.RequiredReaderType is { } needed && readerType != needed)
        {
            problems.Add($"readConnector.readerType: a {connector.Destination} read connector needs \"{needed.DisplayName()}\", not \"{readerType.DisplayName()}\"");
        }
        else if (connector.ReadsFiles && !readerType.ReadsFiles())
        {
            var reads = ConnectorRegistry.Reads.FirstOrDefault(c => c.RequiredReaderType == readerType);
            problems.Add($"readConnector.readerType: \"{readerType.DisplayName()}\" reads {(reads is null ? "no files" : reads.ReadsWhat)}; set connectorDestination to match");
        }
    }

    private static (string Text, string Source) ReadManifest(ManifestFileConfig? manifest, ReaderType readerType,
        bool readerTypeKnown, List<string> problems)
    {
        if (manifest is null)
        {
            problems.Add("manifestFile: required");
            return ("", "");
        }

        if (manifest.ReaderType is { } manifestReaderType)
        {
            if (!ReaderTypes.TryParse(manifestReaderType, out var parsed))
            {
                problems.Add($"manifestFile.readerType: unknown value '{manifestReaderType}'");
            }
            else if (readerTypeKnown && parsed != readerType)
            {
                problems.Add($"manifestFile.readerType: '{manifestReaderType}' does not match readConnector.readerType");
            }
        }

        switch (manifest.ManifestType)
        {
            case "S3ReaderTextManifestFile":
                if (string.IsNullOrWhiteSpace(manifest.FileContents))
                {
                    problems.Add("manifestFile.fileContents: required for S3ReaderTextManifestFile (one task per line)");
                }

                return (manifest.FileContents ?? "", "manifestFile.fileContents");
            case "LocalManifestFile":
                if (string.IsNullOrWhiteSpace(manifest.ManifestFilePath))
                {
                    problems.Add("manifestFile.manifestFilePath: required for LocalManifestFile");
                    return ("", "");
                }

                var path = manifest.ManifestFilePath; // made absolute by DatasetPaths.Anchor
                if (ConfigFileText.TryRead(path, "the file", ConfigFileText.MaxManifestBytes, out var unreadable) is not { } text)
                {
                    problems.Add($"manifestFile.manifestFilePath: {unreadable}");
                    return ("", path);
                }

                return (text, path);
            case S3LinkManifestType:
                // Only checked here: the object is read when the dataset is prepared (PreparedDataset), keeping this loader off the network.
                if (string.IsNullOrWhiteSpace(manifest.ManifestFileS3Uri))
                {
                    problems.Add($"{S3LinkManifestReader.Field}: required for {S3LinkManifestType} (s3://bucket/key of the manifest object)");
                    return ("", "");
                }

                if (S3ObjectUri.TryParse(manifest.ManifestFileS3Uri, out var uriProblem) is null)
                {
                    problems.Add($"{S3LinkManifestReader.Field}: {uriProblem}");
                }

                return ("", manifest.ManifestFileS3Uri);
            default:
                problems.Add($"manifestFile.manifestType: {(manifest.ManifestType is null ? "required" : $"unknown value '{manifest.ManifestType}'")}; expected \"S3ReaderTextManifestFile\", \"S3ReaderS3LinkManifestFile\" or \"LocalManifestFile\"");
                return ("", "");
        }
    }
}
