using System.Text.Json;
using System.Text.Json.Nodes;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Plugins.Artifacts;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Writing.S3;

namespace LetsData.Runtime.Datasets;

/// <summary>
/// Reads a dataset file and checks it, collecting every problem (each naming its field) instead of stopping at the
/// first. Relative paths are resolved against the current directory; <c>artifactFile</c> against the plugins folder.
/// </summary>
public static class DatasetLoader
{
    private const int MaxConcurrency = 256;

    // DynamoDB's own limit for Scan's TotalSegments.
    private const int MaxScanSegments = 1_000_000;

    private static readonly string ReadDestinationNames =
        string.Join(", ", Enum.GetNames<ReadDestination>().Select(n => $"\"{n}\""));

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
            var dataset = Validate(config ?? new DatasetConfig(), datasetFile, pluginsDirectory);
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

    public static Dataset Validate(DatasetConfig config, string source, string pluginsDirectory)
    {
        var problems = new List<string>();
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
        string artifact = "", rootPath = "";
        var readDestination = ReadDestination.LocalFiles;
        S3InputLocation? s3Input = null;
        PluginArtifactLocation? pluginArtifact = null;
        Bridge.BridgeProject? bridge = null;
        if (read is null)
        {
            problems.Add("readConnector: required");
        }
        else
        {
            readDestination = ParseReadDestination(read.ConnectorDestination, problems);
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
            artifact = bridge is null ? artifact : Path.Combine(bridge.Folder, Bridge.BridgeProject.InterfacesFolder);

            if (readDestination is ReadDestination.LocalFiles or ReadDestination.S3)
            {
                ForbidFields("readConnector", readDestination.ToString(), problems,
                    ("streamName", read.StreamName), ("tableName", read.TableName), ("totalSegments", read.TotalSegments));
            }

            if (readDestination == ReadDestination.S3)
            {
                s3Input = ValidateS3Input(read, problems);
            }
            else if (readDestination is ReadDestination.Kinesis or ReadDestination.DynamoDB)
            {
                ForbidFields("readConnector", readDestination.ToString(), problems,
                    ("rootPath", read.RootPath), ("bucketName", read.BucketName), ("prefix", read.Prefix));
            }
            else if (string.IsNullOrWhiteSpace(read.RootPath))
            {
                problems.Add("readConnector.rootPath: required for LocalFiles (the folder of the input files)");
            }
            else
            {
                rootPath = Path.GetFullPath(read.RootPath);
                if (!Directory.Exists(rootPath))
                {
                    problems.Add($"readConnector.rootPath: the folder {rootPath} does not exist");
                }
            }

            if (!ReaderTypes.TryParse(read.ReaderType, out readerType))
            {
                problems.Add($"readConnector.readerType: {(read.ReaderType is null ? "required" : $"unknown value '{read.ReaderType}'")}; expected one of {string.Join(", ", ReaderTypes.DisplayNames.Select(n => $"\"{n}\""))}");
            }

            if (read.MaxRecordBytes is < 1)
            {
                problems.Add("readConnector.maxRecordBytes: must be at least 1");
            }

            CheckReaderTypeFitsDestination(read, readDestination, problems);
        }

        var output = ResolveOutput("writeConnector", config.WriteConnector, problems, streamsAllowed: true);
        var errorOutput = ResolveOutput("errorConnector", config.ErrorConnector, problems, streamsAllowed: false);
        var (s3Output, s3ErrorOutput) = (output.S3, errorOutput.S3);
        var pathComparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (s3Output is not null && s3ErrorOutput is not null)
        {
            if (s3Output.BucketName == s3ErrorOutput.BucketName && s3Output.Prefix == s3ErrorOutput.Prefix)
            {
                // Both connectors name a task's object <prefix><taskId>.jsonl: under one prefix they would overwrite each other.
                problems.Add("errorConnector.prefix: must differ from writeConnector.prefix in the same bucket (both write <taskId>.jsonl objects)");
            }
        }
        else if (output.IsLocal && errorOutput.IsLocal && output.Path.Length > 0
            && string.Equals(Path.TrimEndingDirectorySeparator(output.Path), Path.TrimEndingDirectorySeparator(errorOutput.Path), pathComparison))
        {
            // Both connectors name a task's file <taskId>.jsonl: in one folder they would overwrite each other.
            problems.Add("errorConnector.outputPath: must differ from writeConnector.outputPath (both write <taskId>.jsonl files)");
        }

        var concurrency = config.ComputeEngine?.Concurrency ?? 1;
        if (concurrency is < 1 or > MaxConcurrency)
        {
            problems.Add($"computeEngine.concurrency: {concurrency} is out of range 1..{MaxConcurrency}");
        }

        var limits = ValidateLimits(config.ComputeEngine, problems);
        if (config.ComputeEngine?.ComputeEngineType is { } engineType && !engineType.Equals("Local", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"computeEngine.computeEngineType: '{engineType}' is not supported; this worker runs \"Local\"");
        }

        KinesisInput? kinesisInput = null;
        DynamoDBInput? dynamoDBInput = null;
        var (manifestText, manifestSource) = ("", "");
        if (readDestination == ReadDestination.Kinesis && read is not null)
        {
            kinesisInput = ValidateKinesisInput(read, config.ManifestFile, problems);
        }
        else if (readDestination == ReadDestination.DynamoDB && read is not null)
        {
            dynamoDBInput = ValidateDynamoDBInput(read, config.ManifestFile, concurrency, problems);
        }
        else
        {
            (manifestText, manifestSource) = ReadManifest(config.ManifestFile, readerType, read is not null, problems);
        }

        if (problems.Count > 0)
        {
            throw new DatasetConfigException(source, problems);
        }

        return new Dataset(config, name!, readerType, artifact, rootPath, output.Path, errorOutput.Path, concurrency,
            read!.MaxRecordBytes ?? RecordScanner.DefaultMaxRecordBytes, manifestText, manifestSource)
        {
            PluginArtifact = pluginArtifact,
            Bridge = bridge,
            ManifestS3Object = config.ManifestFile?.ManifestType == S3LinkManifestType
                ? S3ObjectUri.TryParse(config.ManifestFile.ManifestFileS3Uri ?? "", out _)
                : null,
            ReadDestination = readDestination,
            S3Input = s3Input,
            S3Output = s3Output,
            S3ErrorOutput = s3ErrorOutput,
            KinesisInput = kinesisInput,
            DynamoDBInput = dynamoDBInput,
            Limits = limits,
            KinesisOutput = output.Kinesis,
            DynamoDBOutput = output.DynamoDB,
            AccessGrant = accessGrant,
        };
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

        if (engine?.MemoryLimitInMegabytes is < 64)
        {
            problems.Add($"computeEngine.memoryLimitInMegabytes: {engine.MemoryLimitInMegabytes} must be at least 64");
        }

        return new PluginCallLimits(timeout, leaked, engine?.MaxTaskAllocatedBytes)
        {
            MemoryLimitBytes = engine?.MemoryLimitInMegabytes is >= 64 and var megabytes ? megabytes * 1024L * 1024 : null,
        };
    }

    private static ReadDestination ParseReadDestination(string? destination, List<string> problems)
    {
        if (destination is null)
        {
            problems.Add($"readConnector.connectorDestination: required ({ReadDestinationNames})");
            return ReadDestination.LocalFiles;
        }

        if (destination.Equals("LocalFiles", StringComparison.OrdinalIgnoreCase))
        {
            return ReadDestination.LocalFiles;
        }

        foreach (var supported in Enum.GetValues<ReadDestination>())
        {
            if (destination.Equals(supported.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return supported;
            }
        }

        problems.Add($"readConnector.connectorDestination: '{destination}' is not supported; use {ReadDestinationNames}");
        return ReadDestination.LocalFiles;
    }

    private static S3InputLocation? ValidateS3Input(ReadConnectorConfig read, List<string> problems)
    {
        if (!string.IsNullOrWhiteSpace(read.RootPath))
        {
            problems.Add("readConnector.rootPath: only for LocalFiles; an S3 read connector names \"bucketName\" (and optionally \"prefix\")");
        }

        var bucket = read.BucketName;
        if (string.IsNullOrWhiteSpace(bucket))
        {
            problems.Add("readConnector.bucketName: required for S3 (the bucket of the input objects)");
            return null;
        }

        if (!IsValidBucketName(bucket))
        {
            problems.Add($"readConnector.bucketName: '{bucket}' is not a valid S3 bucket name (3-63 characters: lower-case letters, digits, '.' and '-', starting and ending with a letter or digit)");
            return null;
        }

        return new S3InputLocation(bucket, read.Prefix ?? "", read.ForcePathStyle);
    }

    private static bool IsValidBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);

    /// <summary>
    /// A write or error connector's destination: a <c>LocalFiles</c> folder (full path), an <c>S3</c> location, a
    /// <c>Kinesis</c> stream or a <c>DynamoDB</c> table (the last two for documents only); <see cref="ResolvedOutput.Path"/>
    /// names it in messages (<c>s3://bucket/prefix</c>, <c>kinesis://stream</c>, <c>dynamodb://table</c>).
    /// </summary>
    private static ResolvedOutput ResolveOutput(string field, WriteConnectorConfig? connector, List<string> problems, bool streamsAllowed)
    {
        var destinations = streamsAllowed ? "\"LocalFiles\", \"S3\", \"Kinesis\" or \"DynamoDB\"" : "\"LocalFiles\" or \"S3\"";
        if (connector is null)
        {
            problems.Add($"{field}: required");
            return new ResolvedOutput("");
        }

        var destination = connector.ConnectorDestination;
        if (destination is null)
        {
            problems.Add($"{field}.connectorDestination: required ({destinations})");
            return new ResolvedOutput("");
        }

        if (streamsAllowed && destination.Equals("Kinesis", StringComparison.OrdinalIgnoreCase))
        {
            ForbidFields(field, "Kinesis", problems, ("outputPath", connector.OutputPath), ("bucketName", connector.BucketName),
                ("prefix", connector.Prefix), ("compress", connector.Compress), ("tableName", connector.TableName),
                ("keyAttributeName", connector.KeyAttributeName));
            if (!StreamName.IsValid(connector.StreamName))
            {
                problems.Add($"{field}.streamName: {StreamName.Problem(connector.StreamName)}");
                return new ResolvedOutput("");
            }

            return new ResolvedOutput($"kinesis://{connector.StreamName}",
                Kinesis: new KinesisOutput(connector.StreamName!, connector.CompressRecords ?? false));
        }

        if (streamsAllowed && destination.Equals("DynamoDB", StringComparison.OrdinalIgnoreCase))
        {
            ForbidFields(field, "DynamoDB", problems, ("outputPath", connector.OutputPath), ("bucketName", connector.BucketName),
                ("prefix", connector.Prefix), ("compress", connector.Compress), ("streamName", connector.StreamName),
                ("compressRecords", connector.CompressRecords));
            if (!TableName.IsValid(connector.TableName))
            {
                problems.Add($"{field}.tableName: {TableName.Problem(connector.TableName)}");
                return new ResolvedOutput("");
            }

            return new ResolvedOutput($"dynamodb://{connector.TableName}",
                DynamoDB: new DynamoDBOutput(connector.TableName!, connector.KeyAttributeName));
        }

        ForbidFields(field, destination, problems, ("streamName", connector.StreamName), ("compressRecords", connector.CompressRecords),
            ("tableName", connector.TableName), ("keyAttributeName", connector.KeyAttributeName));
        if (destination.Equals("S3", StringComparison.OrdinalIgnoreCase))
        {
            var s3 = ValidateS3Output(field, connector, problems);
            return new ResolvedOutput(s3?.ToString() ?? "", S3: s3);
        }

        if (!destination.Equals("LocalFiles", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{field}.connectorDestination: '{destination}' is not supported; use {destinations}");
            return new ResolvedOutput("");
        }

        ForbidFields(field, "LocalFiles", problems, ("bucketName", connector.BucketName), ("prefix", connector.Prefix),
            ("compress", connector.Compress));
        if (string.IsNullOrWhiteSpace(connector.OutputPath))
        {
            problems.Add($"{field}.outputPath: required for LocalFiles");
            return new ResolvedOutput("");
        }

        return new ResolvedOutput(Path.GetFullPath(connector.OutputPath));
    }

    private sealed record ResolvedOutput(string Path, S3OutputLocation? S3 = null, KinesisOutput? Kinesis = null, DynamoDBOutput? DynamoDB = null)
    {
        public bool IsLocal => S3 is null && Kinesis is null && DynamoDB is null;
    }

    /// <summary>Adds a problem for each field that is set but has no meaning for the connector's destination.</summary>
    private static void ForbidFields(string field, string destination, List<string> problems, params (string Name, object? Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                problems.Add($"{field}.{name}: not used by a {destination} connector; remove it");
            }
        }
    }

    /// <summary>AWS's rules for a name of letters, digits, '_', '.', '-' within a length range.</summary>
    private sealed record AwsNameRule(string What, int MinLength, int MaxLength)
    {
        public bool IsValid(string? name) =>
            name is not null && name.Length >= MinLength && name.Length <= MaxLength
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

        public string Problem(string? name) =>
            string.IsNullOrWhiteSpace(name)
                ? $"required (the {What} name)"
                : $"'{name}' is not a valid {What} name ({MinLength}-{MaxLength} characters: letters, digits, '_', '.', '-')";
    }

    private static readonly AwsNameRule StreamName = new("Kinesis stream", 1, 128);
    private static readonly AwsNameRule TableName = new("DynamoDB table", 3, 255);

    private static void CheckReaderTypeFitsDestination(ReadConnectorConfig read, ReadDestination destination, List<string> problems)
    {
        if (!ReaderTypes.TryParse(read.ReaderType, out var readerType))
        {
            return;
        }

        var expected = destination switch
        {
            ReadDestination.Kinesis => ReaderType.KinesisRecordReader,
            ReadDestination.DynamoDB => ReaderType.DynamoDBTableItemReader,
            _ => (ReaderType?)null,
        };
        if (expected is { } needed && readerType != needed)
        {
            problems.Add($"readConnector.readerType: a {destination} read connector needs \"{needed.DisplayName()}\", not \"{readerType.DisplayName()}\"");
        }
        else if (expected is null && !readerType.ReadsFiles())
        {
            problems.Add($"readConnector.readerType: \"{readerType.DisplayName()}\" reads {(readerType == ReaderType.KinesisRecordReader ? "a Kinesis stream" : "a DynamoDB table")}; set connectorDestination to match");
        }
    }

    private static KinesisInput? ValidateKinesisInput(ReadConnectorConfig read, ManifestFileConfig? manifest, List<string> problems)
    {
        ForbidFields("readConnector", "Kinesis", problems, ("tableName", read.TableName), ("totalSegments", read.TotalSegments));
        var startFrom = KinesisStartFrom.Earliest;
        var continuous = false;
        IReadOnlyDictionary<string, string> sequenceNumbers = new Dictionary<string, string>();
        if (manifest is not null)
        {
            if (manifest.ManifestType is { } type && type != "KinesisStreamReaderManifest")
            {
                problems.Add($"manifestFile.manifestType: '{type}' does not fit a Kinesis read connector; use \"KinesisStreamReaderManifest\" or leave manifestFile out");
            }

            ForbidFields("manifestFile", "Kinesis", problems, ("fileContents", manifest.FileContents),
                ("manifestFilePath", manifest.ManifestFilePath), ("manifestFileS3Uri", manifest.ManifestFileS3Uri));
            if (manifest.KinesisReaderTaskStartFromCondition is { } start && !Enum.TryParse(start, ignoreCase: true, out startFrom))
            {
                problems.Add($"manifestFile.kinesisReaderTaskStartFromCondition: unknown value '{start}'; expected \"Earliest\", \"Latest\" or \"AtSequenceNumber\"");
            }

            switch (manifest.KinesisReaderTaskStopCondition)
            {
                case null:
                case var stop when stop.Equals("CaughtUp", StringComparison.OrdinalIgnoreCase):
                    break;
                case var stop when stop.Equals("Continuous", StringComparison.OrdinalIgnoreCase):
                    continuous = true;
                    break;
                case var stop:
                    problems.Add($"manifestFile.kinesisReaderTaskStopCondition: unknown value '{stop}'; expected \"CaughtUp\" or \"Continuous\"");
                    break;
            }

            sequenceNumbers = manifest.KinesisReaderTaskStartSequenceNumbers ?? [];
        }

        if (startFrom == KinesisStartFrom.AtSequenceNumber && sequenceNumbers.Count == 0)
        {
            problems.Add("manifestFile.kinesisReaderTaskStartSequenceNumbers: required for AtSequenceNumber (shard id -> sequence number)");
        }
        else if (startFrom != KinesisStartFrom.AtSequenceNumber && sequenceNumbers.Count > 0)
        {
            problems.Add("manifestFile.kinesisReaderTaskStartSequenceNumbers: only for kinesisReaderTaskStartFromCondition \"AtSequenceNumber\"");
        }

        if (!StreamName.IsValid(read.StreamName))
        {
            problems.Add($"readConnector.streamName: {StreamName.Problem(read.StreamName)}");
            return null;
        }

        return new KinesisInput(read.StreamName!, startFrom, sequenceNumbers, continuous);
    }

    private static DynamoDBInput? ValidateDynamoDBInput(ReadConnectorConfig read, ManifestFileConfig? manifest, int concurrency,
        List<string> problems)
    {
        ForbidFields("readConnector", "DynamoDB", problems, ("streamName", read.StreamName));
        if (manifest is not null)
        {
            problems.Add("manifestFile: not used by a DynamoDB read connector (its tasks are the scan segments, readConnector.totalSegments); remove it");
        }

        var segments = read.TotalSegments ?? Math.Max(1, concurrency);
        if (segments is < 1 or > MaxScanSegments)
        {
            problems.Add($"readConnector.totalSegments: {segments} is out of range 1..{MaxScanSegments}");
        }

        if (!TableName.IsValid(read.TableName))
        {
            problems.Add($"readConnector.tableName: {TableName.Problem(read.TableName)}");
            return null;
        }

        return new DynamoDBInput(read.TableName!, segments);
    }

    private static S3OutputLocation? ValidateS3Output(string field, WriteConnectorConfig connector, List<string> problems)
    {
        if (!string.IsNullOrWhiteSpace(connector.OutputPath))
        {
            problems.Add($"{field}.outputPath: only for LocalFiles; an S3 connector names \"bucketName\" (and optionally \"prefix\")");
        }

        var gzip = false;
        if (connector.Compress is { } compress)
        {
            if (compress.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                gzip = true;
            }
            else
            {
                problems.Add($"{field}.compress: '{compress}' is not supported; use \"gzip\" or leave it out");
            }
        }

        var prefix = connector.Prefix ?? "";
        if (prefix.StartsWith('/'))
        {
            problems.Add($"{field}.prefix: '{prefix}' must not start with '/' (it is the start of an object key)");
        }

        var bucket = connector.BucketName;
        if (string.IsNullOrWhiteSpace(bucket))
        {
            problems.Add($"{field}.bucketName: required for S3 (the bucket of the output objects)");
            return null;
        }

        if (!IsValidBucketName(bucket))
        {
            problems.Add($"{field}.bucketName: '{bucket}' is not a valid S3 bucket name (3-63 characters: lower-case letters, digits, '.' and '-', starting and ending with a letter or digit)");
            return null;
        }

        return new S3OutputLocation(bucket, prefix, gzip, connector.ForcePathStyle);
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

                var path = Path.GetFullPath(manifest.ManifestFilePath);
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
