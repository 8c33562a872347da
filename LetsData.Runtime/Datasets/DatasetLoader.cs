using System.Text.Json;
using LetsData.Runtime.Aws;
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

    public static Dataset Load(string datasetFile, string pluginsDirectory)
    {
        if (!File.Exists(datasetFile))
        {
            throw new DatasetConfigException(datasetFile, ["the dataset file does not exist"]);
        }

        DatasetConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(File.ReadAllText(datasetFile), DatasetJsonContext.Default.DatasetConfig);
        }
        catch (JsonException e)
        {
            throw new DatasetConfigException(datasetFile, [$"{e.Path ?? "$"}: {e.Message}"]);
        }

        return Validate(config ?? new DatasetConfig(), datasetFile, pluginsDirectory);
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

        var read = config.ReadConnector;
        var readerType = default(ReaderType);
        string artifact = "", rootPath = "";
        var readDestination = ReadDestination.LocalFiles;
        S3InputLocation? s3Input = null;
        PluginArtifactLocation? pluginArtifact = null;
        if (read is null)
        {
            problems.Add("readConnector: required");
        }
        else
        {
            readDestination = ParseReadDestination(read.ConnectorDestination, problems);
            if (read.ArtifactImplementationLanguage is { } language && !language.Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"readConnector.artifactImplementationLanguage: '{language}' is not supported; this worker runs \"dotnet\" plugins");
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

            if (readDestination == ReadDestination.S3)
            {
                s3Input = ValidateS3Input(read, problems);
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
        }

        var (output, s3Output) = ResolveOutput("writeConnector", config.WriteConnector, problems);
        var (errorOutput, s3ErrorOutput) = ResolveOutput("errorConnector", config.ErrorConnector, problems);
        var pathComparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (s3Output is not null && s3ErrorOutput is not null)
        {
            if (s3Output.BucketName == s3ErrorOutput.BucketName && s3Output.Prefix == s3ErrorOutput.Prefix)
            {
                // Both connectors name a task's object <prefix><taskId>.jsonl: under one prefix they would overwrite each other.
                problems.Add("errorConnector.prefix: must differ from writeConnector.prefix in the same bucket (both write <taskId>.jsonl objects)");
            }
        }
        else if (s3Output is null && s3ErrorOutput is null && output.Length > 0
            && string.Equals(Path.TrimEndingDirectorySeparator(output), Path.TrimEndingDirectorySeparator(errorOutput), pathComparison))
        {
            // Both connectors name a task's file <taskId>.jsonl: in one folder they would overwrite each other.
            problems.Add("errorConnector.outputPath: must differ from writeConnector.outputPath (both write <taskId>.jsonl files)");
        }

        var concurrency = config.ComputeEngine?.Concurrency ?? 1;
        if (concurrency is < 1 or > MaxConcurrency)
        {
            problems.Add($"computeEngine.concurrency: {concurrency} is out of range 1..{MaxConcurrency}");
        }

        if (config.ComputeEngine?.ComputeEngineType is { } engineType && !engineType.Equals("Local", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"computeEngine.computeEngineType: '{engineType}' is not supported; this worker runs \"Local\"");
        }

        var (manifestText, manifestSource) = ReadManifest(config.ManifestFile, readerType, read is not null, problems);
        if (problems.Count > 0)
        {
            throw new DatasetConfigException(source, problems);
        }

        return new Dataset(config, name!, readerType, artifact, rootPath, output, errorOutput, concurrency,
            read!.MaxRecordBytes ?? RecordScanner.DefaultMaxRecordBytes, manifestText, manifestSource)
        {
            PluginArtifact = pluginArtifact,
            ManifestS3Object = config.ManifestFile?.ManifestType == S3LinkManifestType
                ? S3ObjectUri.TryParse(config.ManifestFile.ManifestFileS3Uri ?? "", out _)
                : null,
            ReadDestination = readDestination,
            S3Input = s3Input,
            S3Output = s3Output,
            S3ErrorOutput = s3ErrorOutput,
        };
    }

    private const string S3LinkManifestType = "S3ReaderS3LinkManifestFile";

    private static ReadDestination ParseReadDestination(string? destination, List<string> problems)
    {
        if (destination is null)
        {
            problems.Add("readConnector.connectorDestination: required (\"LocalFiles\" or \"S3\")");
            return ReadDestination.LocalFiles;
        }

        if (destination.Equals("LocalFiles", StringComparison.OrdinalIgnoreCase))
        {
            return ReadDestination.LocalFiles;
        }

        if (destination.Equals("S3", StringComparison.OrdinalIgnoreCase))
        {
            return ReadDestination.S3;
        }

        problems.Add($"readConnector.connectorDestination: '{destination}' is not supported yet; use \"LocalFiles\" or \"S3\"");
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
    /// A write or error connector's destination: a <c>LocalFiles</c> folder (full path, no S3 location) or an
    /// <c>S3</c> location (its <c>s3://bucket/prefix</c> form as the path).
    /// </summary>
    private static (string Path, S3OutputLocation? S3) ResolveOutput(string field, WriteConnectorConfig? connector, List<string> problems)
    {
        if (connector is null)
        {
            problems.Add($"{field}: required");
            return ("", null);
        }

        var destination = connector.ConnectorDestination;
        if (destination is null)
        {
            problems.Add($"{field}.connectorDestination: required (\"LocalFiles\" or \"S3\")");
            return ("", null);
        }

        if (destination.Equals("S3", StringComparison.OrdinalIgnoreCase))
        {
            var s3 = ValidateS3Output(field, connector, problems);
            return (s3?.ToString() ?? "", s3);
        }

        if (!destination.Equals("LocalFiles", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{field}.connectorDestination: '{destination}' is not supported yet; use \"LocalFiles\" or \"S3\"");
            return ("", null);
        }

        foreach (var (name, value) in new[] { ("bucketName", connector.BucketName), ("prefix", connector.Prefix), ("compress", connector.Compress) })
        {
            if (value is not null)
            {
                problems.Add($"{field}.{name}: only for S3; a LocalFiles connector names \"outputPath\"");
            }
        }

        if (string.IsNullOrWhiteSpace(connector.OutputPath))
        {
            problems.Add($"{field}.outputPath: required for LocalFiles");
            return ("", null);
        }

        return (Path.GetFullPath(connector.OutputPath), null);
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
                if (!File.Exists(path))
                {
                    problems.Add($"manifestFile.manifestFilePath: the file {path} does not exist");
                    return ("", path);
                }

                return (File.ReadAllText(path), path);
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
