using Amazon.Runtime;

namespace LetsData.Runtime.Datasets;

/// <summary>
/// The fields of a LetsData dataset file that name LetsData's own service (its region, its resource locations, its
/// Lambda and Spark settings), so that a LetsData file loads as it is: each is read as this worker's equivalent, or
/// accepted with one notice saying why it is not used here, or — when the dataset cannot run without it (Spark, a
/// Java jar) — refused with a problem naming it.
/// </summary>
internal static class LetsDataOnlyFields
{
    /// <summary>
    /// <paramref name="config"/> with LetsData's aliases read (<c>artifactFileS3Link</c>, a Kinesis write connector's
    /// stream); a notice per ignored field, a problem per field that cannot run here.
    /// </summary>
    public static DatasetConfig Apply(DatasetConfig config, List<string> notices, List<string> problems)
    {
        if (config.Region is { } region)
        {
            notices.Add($"region: '{region}' is not applied; every AWS client of the dataset takes its region from AWS_REGION or the AWS profile ({CurrentRegion()})");
        }

        (string Name, object? Value)[] access =
        [
            ("customerAccountForAccess", config.CustomerAccountForAccess),
            ("customerAccessRoleArn", config.CustomerAccessRoleArn),
            ("createDatetime", config.CreateDatetime),
        ];
        var accessFields = access.Where(f => f.Value is not null).Select(f => f.Name).ToList();
        if (accessFields.Count > 0)
        {
            notices.Add($"{string.Join(", ", accessFields)}: ignored; they grant access to LetsData-owned resources, and here every resource is the dataset's own");
        }

        var locations = ResourceLocationFields(config).ToList();
        if (locations.Count > 0)
        {
            notices.Add($"{string.Join(", ", locations)}: ignored; every resource is reached with the dataset's credentials (accessGrantRoleArn, else the worker's)");
        }

        return config with
        {
            ReadConnector = config.ReadConnector is { } read ? ApplyRead(read, notices, problems) : null,
            WriteConnector = config.WriteConnector is { } write ? ApplyWrite("writeConnector", write, config.DatasetName, notices, problems) : null,
            ErrorConnector = config.ErrorConnector is { } errors ? ApplyWrite("errorConnector", errors, config.DatasetName, notices, problems) : null,
            ComputeEngine = config.ComputeEngine is { } engine ? ApplyComputeEngine(engine, notices, problems) : null,
            ManifestFile = config.ManifestFile is { } manifest ? ApplyManifest(manifest, notices) : null,
        };
    }

    /// <summary>Whether <paramref name="engineType"/> is LetsData's Lambda engine, which runs here as local data-task processes.</summary>
    public static bool IsLambdaEngine(string? engineType) => string.Equals(engineType, "Lambda", StringComparison.OrdinalIgnoreCase);

    private static string CurrentRegion()
    {
        try
        {
            return FallbackRegionFactory.GetRegionEndpoint() is { } current ? $"here '{current.SystemName}'" : "none is set here";
        }
        catch (AmazonClientException)
        {
            return "none is set here";
        }
    }

    private static IEnumerable<string> ResourceLocationFields(DatasetConfig config)
    {
        var read = config.ReadConnector;
        (string Field, string? Value)[] fields =
        [
            ("readConnector.artifactFileS3LinkResourceLocation", read?.ArtifactFileS3LinkResourceLocation),
            ("readConnector.bucketResourceLocation", read?.BucketResourceLocation),
            ("readConnector.interfaceECRImageResourceLocation", read?.InterfaceECRImageResourceLocation),
            ("readConnector.resourceLocation", read?.ResourceLocation),
            ("writeConnector.resourceLocation", config.WriteConnector?.ResourceLocation),
            ("errorConnector.resourceLocation", config.ErrorConnector?.ResourceLocation),
            ("manifestFile.readerManifestResourceLocation", config.ManifestFile?.ReaderManifestResourceLocation),
            ("computeEngine.endpoint.sagemakerEndpointResourceLocation", config.ComputeEngine?.Endpoint?.SagemakerEndpointResourceLocation),
        ];
        return fields.Where(f => f.Value is not null).Select(f => f.Field);
    }

    private static ReadConnectorConfig ApplyRead(ReadConnectorConfig read, List<string> notices, List<string> problems)
    {
        if (read.InterfaceECRImagePath is not null)
        {
            notices.Add("readConnector.interfaceECRImagePath: ignored; LetsData's container image is not run here, the project folder readConnector.artifactFile is");
        }

        if (read.SparkFileFormat is not null || read.SparkReadOptions is not null)
        {
            problems.Add($"readConnector.{(read.SparkFileFormat is not null ? "sparkFileFormat" : "sparkReadOptions")}: {NoSpark}");
        }

        if (read.ArtifactFileS3Link is not { } link)
        {
            return read;
        }

        if (read.ArtifactFile is not null)
        {
            problems.Add("readConnector.artifactFileS3Link: give it or artifactFile, not both (artifactFileS3Link is read as artifactFile)");
            return read;
        }

        if (link.EndsWith(".jar", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"readConnector.artifactFileS3Link: '{link}' is a Java jar; this worker loads .NET plugins (artifactFile: a DLL under the plugins folder, or an s3://bucket/key.zip plugin zip)");
            return read;
        }

        return read with { ArtifactFile = link };
    }

    private static WriteConnectorConfig ApplyWrite(string field, WriteConnectorConfig write, string? datasetName, List<string> notices, List<string> problems)
    {
        if (write.WriterType is not null || write.SparkFileFormat is not null || write.SparkWriteOptions is not null)
        {
            var name = write.WriterType is not null ? "writerType" : write.SparkFileFormat is not null ? "sparkFileFormat" : "sparkWriteOptions";
            problems.Add($"{field}.{name}: {NoSpark}");
        }

        // LetsData names the stream it creates for a dataset itself; its files give no stream name.
        if (string.Equals(write.ConnectorDestination, "Kinesis", StringComparison.OrdinalIgnoreCase) && write.StreamName is null
            && write.ResourceLocation is not null && !string.IsNullOrWhiteSpace(datasetName))
        {
            notices.Add($"{field}.streamName: not given (LetsData names the stream it makes); the stream '{datasetName}', the dataset's name, is used");
            return write with { StreamName = datasetName };
        }

        return write;
    }

    private static ComputeEngineConfig ApplyComputeEngine(ComputeEngineConfig engine, List<string> notices, List<string> problems)
    {
        if (IsLambdaEngine(engine.ComputeEngineType))
        {
            notices.Add($"computeEngine.computeEngineType: '{engine.ComputeEngineType}' runs here as local data-task processes, concurrency of them at once");
        }

        if ((engine.LogLevel ?? engine.Lambda?.LogLevel) is not null)
        {
            notices.Add($"computeEngine.{(engine.LogLevel is not null ? "logLevel" : "lambda.logLevel")}: ignored; the worker's logging configuration sets the level");
        }

        if (engine.Model is not null)
        {
            notices.Add("computeEngine.model: ignored; LetsData deploys the model, this worker calls the existing endpoint computeEngine.endpoint.sagemakerEndpointName");
        }

        if (engine.Endpoint is { } endpoint && (endpoint.SagemakerEndpointType is not null || endpoint.SagemakerServerless is not null))
        {
            notices.Add("computeEngine.endpoint.sagemakerEndpointType, sagemakerServerless: ignored; the endpoint exists already, sized as it was deployed");
        }

        if (engine.RunSparkInterfaces is not null)
        {
            problems.Add($"computeEngine.runSparkInterfaces: {NoSpark}");
        }

        return engine;
    }

    private static ManifestFileConfig ApplyManifest(ManifestFileConfig manifest, List<string> notices)
    {
        if (manifest.Region is { } region)
        {
            notices.Add($"manifestFile.region: '{region}' is not applied; the S3 client takes its region from AWS_REGION or the AWS profile ({CurrentRegion()})");
        }

        var frequency = manifest.KinesisReaderTaskContinuousPollFrequency is not null ? "kinesisReaderTaskContinuousPollFrequency"
            : manifest.DynamoDBReaderTaskContinuousPollFrequency is not null ? "dynamoDBReaderTaskContinuousPollFrequency" : null;
        if (frequency is not null)
        {
            notices.Add($"manifestFile.{frequency}: ignored; a continuous task here polls its shard at the reader's own interval");
        }

        return manifest;
    }

    private const string NoSpark = "LetsData's Spark compute engine and Spark readers and writers are not available here; this worker runs .NET (or Python, JavaScript) reader plugins";
}
