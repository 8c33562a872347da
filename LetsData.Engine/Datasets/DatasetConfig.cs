namespace LetsData.Runtime.Datasets;

/// <summary>A dataset: what to read, with which plugin code, where to write documents and errors, how to run. LetsData's field names.</summary>
public sealed record DatasetConfig
{
    public string? DatasetName { get; init; }
    public ReadConnectorConfig? ReadConnector { get; init; }
    public WriteConnectorConfig? WriteConnector { get; init; }
    public WriteConnectorConfig? ErrorConnector { get; init; }
    public ComputeEngineConfig? ComputeEngine { get; init; }
    public ManifestFileConfig? ManifestFile { get; init; }

    /// <summary>Optional: widens the default plugin policy for reviewed third-party assemblies (see <c>PluginPolicy</c>).</summary>
    public PluginPolicyConfig? PluginPolicy { get; init; }

    /// <summary>
    /// Optional: the IAM role the connectors act as (<c>arn:aws:iam::123456789012:role/name</c>); the worker assumes it
    /// with STS and signs every connector, plugin-zip and manifest request with its temporary credentials.
    /// </summary>
    public string? AccessGrantRoleArn { get; init; }

    /// <summary>Optional, with <see cref="AccessGrantRoleArn"/>: the external id the role's trust policy requires.</summary>
    public string? AccessGrantExternalId { get; init; }

    /// <summary>LetsData's region of the dataset: accepted, not applied (the clients take AWS_REGION); see <c>LetsDataOnlyFields</c>.</summary>
    public string? Region { get; init; }

    /// <summary>LetsData's account granted access to LetsData-located resources: accepted, not used.</summary>
    public string? CustomerAccountForAccess { get; init; }

    /// <summary>Added by LetsData on create (the role the customer assumes): accepted, not used.</summary>
    public string? CustomerAccessRoleArn { get; init; }

    /// <summary>Added by LetsData on create (epoch ms; its STS external id): accepted, not used.</summary>
    public long? CreateDatetime { get; init; }
}

public sealed record ReadConnectorConfig
{
    public string? ConnectorDestination { get; init; }
    public string? ArtifactImplementationLanguage { get; init; }

    /// <summary>JavaScript projects: <c>"node"</c> (default, the Node bridge host) or <c>"v8"</c> (in-process, docs/bridge.md).</summary>
    public string? JavascriptEngine { get; init; }

    /// <summary>With <c>"javascriptEngine": "v8"</c>: the heap limit of each task's V8 isolate, in megabytes (default 512).</summary>
    public int? JavascriptHeapMegabytes { get; init; }

    /// <summary>Python and JavaScript projects: a running LetsData image to call by URL instead of a local host (docs/bridge.md).</summary>
    public string? BridgeEndpoint { get; init; }

    /// <summary>The plugin DLL: relative to the plugins folder, or absolute; or a plugin zip, <c>s3://bucket/key.zip[#Name.dll]</c>.</summary>
    public string? ArtifactFile { get; init; }

    /// <summary>LocalFiles: the folder the manifest's file names are relative to.</summary>
    public string? RootPath { get; init; }

    /// <summary>S3: the bucket holding the input objects.</summary>
    public string? BucketName { get; init; }

    /// <summary>S3, optional: prepended to each manifest file name to give the object key (e.g. <c>crawl/2024/</c>).</summary>
    public string? Prefix { get; init; }

    /// <summary>
    /// S3, optional: path-style requests (<c>endpoint/bucket/key</c>) instead of virtual-hosted ones, for S3-compatible
    /// endpoints such as the local emulator. Unset: the <c>LETSDATA_S3_FORCE_PATH_STYLE</c> environment variable, else false.
    /// </summary>
    public bool? ForcePathStyle { get; init; }

    public string? ReaderType { get; init; }
    public string? SingleFileParserImplementationClassName { get; init; }
    public string? SingleFileStateMachineParserImplementationClassName { get; init; }
    public string? SingleFileStateMachineReaderImplementationClassName { get; init; }
    public Dictionary<string, string>? SingleFileStateMachineParserImplementationClassNameMap { get; init; }
    public string? MultipleFileStateMachineReaderClassName { get; init; }

    /// <summary>Kinesis Record Reader: the <c>IKinesisRecordReader</c> class (may be left out when the plugin has one).</summary>
    public string? KinesisRecordReaderClassName { get; init; }

    /// <summary>DynamoDB Table Item Reader: the <c>IDynamoDBTableItemReader</c> class (may be left out when the plugin has one).</summary>
    public string? DynamoDBTableItemReaderClassName { get; init; }

    /// <summary>DynamoDB Streams Record Reader: the <c>IDynamoDBStreamsRecordReader</c> class (may be left out when the plugin has one).</summary>
    public string? DynamoDBStreamsRecordReaderClassName { get; init; }

    /// <summary>Kinesis: the stream to read (one task per shard).</summary>
    public string? StreamName { get; init; }

    /// <summary>
    /// DynamoDBStreams: the stream to read (one task per shard); or <see cref="TableName"/>, whose latest stream is read.
    /// Kinesis: the stream by ARN, as LetsData names it (instead of <see cref="StreamName"/>).
    /// </summary>
    public string? StreamArn { get; init; }

    /// <summary>DynamoDB: the table to scan; DynamoDBStreams: the table whose stream (DescribeTable's LatestStreamArn) is read.</summary>
    public string? TableName { get; init; }

    /// <summary>DynamoDB, optional: parallel scan segments (= tasks); default <c>computeEngine.concurrency</c>.</summary>
    public int? TotalSegments { get; init; }

    /// <summary>Ceiling for one record in bytes; a larger record fails its task with a clear error.</summary>
    public int? MaxRecordBytes { get; init; }

    /// <summary>
    /// With <c>computeEngine.computeEngineType</c> <c>LAMBDA_AND_SAGEMAKER</c>: the <c>ISagemakerVectorsInterface</c>
    /// class that picks each document's texts and builds its vector document (may be left out when the plugin has
    /// one). Not a LetsData field: LetsData packages the class with the reader; here it is named like the others.
    /// </summary>
    public string? SagemakerVectorsInterfaceClassName { get; init; }

    /// <summary>SQS Queue Reader: the <c>IQueueMessageReader</c> class (may be left out when the plugin has one).</summary>
    public string? QueueMessageReaderClassName { get; init; }

    /// <summary>SQS: the queue to read, by name (its URL is looked up); or give <see cref="QueueUrl"/>.</summary>
    public string? QueueName { get; init; }

    /// <summary>SQS: the queue to read, by URL (instead of <see cref="QueueName"/>).</summary>
    public string? QueueUrl { get; init; }

    /// <summary>LetsData's plugin link: read as <see cref="ArtifactFile"/> when that is not given (a Java jar is refused).</summary>
    public string? ArtifactFileS3Link { get; init; }

    /// <summary>LetsData's <c>Customer</c> or <c>LetsData</c>: accepted, not used (every resource here is the dataset's own).</summary>
    public string? ArtifactFileS3LinkResourceLocation { get; init; }

    /// <inheritdoc cref="ArtifactFileS3LinkResourceLocation"/>
    public string? BucketResourceLocation { get; init; }

    /// <inheritdoc cref="ArtifactFileS3LinkResourceLocation"/>
    public string? InterfaceECRImageResourceLocation { get; init; }

    /// <summary>LetsData's container image of a Python or JavaScript reader: not run here (<see cref="ArtifactFile"/> names the project folder).</summary>
    public string? InterfaceECRImagePath { get; init; }

    /// <inheritdoc cref="ArtifactFileS3LinkResourceLocation"/>
    public string? ResourceLocation { get; init; }

    /// <summary>LetsData's Spark reader: refused (this worker has no Spark compute engine).</summary>
    public string? SparkFileFormat { get; init; }

    /// <summary>LetsData's Spark reader's options: refused with <see cref="SparkFileFormat"/>.</summary>
    public System.Text.Json.JsonElement? SparkReadOptions { get; init; }
}

public sealed record WriteConnectorConfig
{
    public string? ConnectorDestination { get; init; }

    /// <summary>LocalFiles: the folder of the per-task JSON Lines files.</summary>
    public string? OutputPath { get; init; }

    /// <summary>S3: the bucket of the per-task JSON Lines objects.</summary>
    public string? BucketName { get; init; }

    /// <summary>S3, optional: prepended to a task's <c>prepended to <c>&lt;taskId&gt;.jsonl</c> to givelt;taskIdprepended to <c>&lt;taskId&gt;.jsonl</c> to givegt;.prepended to <c>&lt;taskId&gt;.jsonl</c> to givelt;input stemprepended to <c>&lt;taskId&gt;.jsonl</c> to givegt;.jsonl</c> to give each object's key (e.g. <c>out/docs/</c>).</summary>
    public string? Prefix { get; init; }

    /// <summary>S3, optional: <c>"gzip"</c> writes <c>.jsonl.gz</c> objects.</summary>
    public string? Compress { get; init; }

    /// <summary>S3, optional: path-style requests, as for the S3 read connector.</summary>
    public bool? ForcePathStyle { get; init; }

    /// <summary>Kinesis: the stream the documents are put to.</summary>
    public string? StreamName { get; init; }

    /// <summary>Kinesis, optional: gzip each record's payload, as LetsData does (consumers gunzip).</summary>
    public bool? CompressRecords { get; init; }

    /// <summary>DynamoDB: the table the documents are written to, one item per document.</summary>
    public string? TableName { get; init; }

    /// <summary>
    /// DynamoDB, optional: the attribute that receives the document id when the document has no attribute of that
    /// name; default: the table's partition key.
    /// </summary>
    public string? KeyAttributeName { get; init; }

    /// <summary>SQS: the queue the documents are sent to, by name (a FIFO queue's ends with <c>.fifo</c>); or give <see cref="QueueUrl"/>.</summary>
    public string? QueueName { get; init; }

    /// <summary>SQS: the queue the documents are sent to, by URL (instead of <see cref="QueueName"/>).</summary>
    public string? QueueUrl { get; init; }

    /// <summary>SQS, optional: the message attribute (a String) each message carries the document id in.</summary>
    public string? MessageIdAttributeName { get; init; }

    /// <summary>LetsData's <c>Customer</c> or <c>LetsData</c>: accepted, not used (every destination here is the dataset's own).</summary>
    public string? ResourceLocation { get; init; }

    /// <summary>Kinesis: the shards of a stream that <c>letsdata run --create-destinations</c> creates (default 1).</summary>
    public int? KinesisShardCount { get; init; }

    /// <summary>LetsData's Spark writer (<c>"Spark"</c>): refused (this worker has no Spark compute engine).</summary>
    public string? WriterType { get; init; }

    /// <summary>LetsData's Spark writer's file format: refused with <see cref="WriterType"/>.</summary>
    public string? SparkFileFormat { get; init; }

    /// <summary>LetsData's Spark writer's options: refused with <see cref="WriterType"/>.</summary>
    public System.Text.Json.JsonElement? SparkWriteOptions { get; init; }
}

public sealed record ComputeEngineConfig
{
    public string? ComputeEngineType { get; init; }
    public int? Concurrency { get; init; }

    /// <summary>A plugin call running longer fails its task and its thread is abandoned (default 30; 0 = no limit).</summary>
    public double? PluginCallTimeoutSeconds { get; init; }

    /// <summary>Abandoned threads after which the worker stops taking tasks and exits (default 4).</summary>
    public int? MaxLeakedThreads { get; init; }

    /// <summary>A task whose thread allocates more bytes fails (default: no limit; allocations are reported either way).</summary>
    public long? MaxTaskAllocatedBytes { get; init; }

    /// <summary>
    /// LetsData's Lambda memory setting: here, the managed heap limit of each data-task process (a plugin that allocates
    /// more ends its process, not the worker). Default: the machine's memory shared by the concurrency slots.
    /// </summary>
    public int? MemoryLimitInMegabytes { get; init; }

    /// <summary>
    /// LetsData's Lambda time box (<c>computeEngineType</c> <c>Lambda</c>): here the task time box
    /// (<c>--max-task-seconds</c>) when that option is not given; a longer task ends and resumes from its checkpoint.
    /// </summary>
    public int? TimeoutInSeconds { get; init; }

    /// <summary>LetsData's Lambda log level: accepted, not used (the worker's logging configuration applies).</summary>
    public string? LogLevel { get; init; }

    /// <summary>LetsData's Spark compute engine's mapper/reducer choice: refused (no Spark here).</summary>
    public string? RunSparkInterfaces { get; init; }

    /// <summary>LAMBDA_AND_SAGEMAKER: LetsData's task settings; <c>lambdaConcurrency</c> and <c>lambdaMemoryLimitInMegabytes</c> apply.</summary>
    public LambdaComputeConfig? Lambda { get; init; }

    /// <summary>LAMBDA_AND_SAGEMAKER: LetsData's model deployment; accepted and not used (this worker calls an existing endpoint).</summary>
    public SagemakerModelConfig? Model { get; init; }

    /// <summary>LAMBDA_AND_SAGEMAKER: the SageMaker endpoint that vectorizes each document's texts.</summary>
    public SagemakerEndpointConfig? Endpoint { get; init; }
}

/// <summary>The <c>lambda</c> section of a LAMBDA_AND_SAGEMAKER compute engine (LetsData's field names).</summary>
public sealed record LambdaComputeConfig
{
    /// <summary>Task threads when <c>computeEngine.concurrency</c> is not given.</summary>
    public int? LambdaConcurrency { get; init; }

    /// <summary>Each data-task process's heap limit when <c>computeEngine.memoryLimitInMegabytes</c> is not given.</summary>
    public int? LambdaMemoryLimitInMegabytes { get; init; }

    /// <summary>The task time box when <c>computeEngine.timeoutInSeconds</c> and <c>--max-task-seconds</c> are not given.</summary>
    public int? LambdaTimeoutInSeconds { get; init; }

    /// <summary>Accepted, not used (one notice): the worker's log level applies.</summary>
    public string? LogLevel { get; init; }
}

/// <summary>The <c>model</c> section of a LAMBDA_AND_SAGEMAKER compute engine: accepted so LetsData's files load; not used.</summary>
public sealed record SagemakerModelConfig
{
    public string? ModelResourceLocation { get; init; }
    public string? ModelUrl { get; init; }
    public string? ModelUrlResourceLocation { get; init; }
    public Dictionary<string, string>? ModelEnvironmentVariables { get; init; }
    public string? ModelContainerImageName { get; init; }
}

/// <summary>The <c>endpoint</c> section of a LAMBDA_AND_SAGEMAKER compute engine: LetsData's fields and the ones a run needs.</summary>
public sealed record SagemakerEndpointConfig
{
    /// <summary>LetsData's endpoint kind (<c>"Serverless"</c>); informational here.</summary>
    public string? SagemakerEndpointType { get; init; }

    /// <summary>LetsData's <c>"Customer"</c> or <c>"LetsData"</c>; informational here (the endpoint is called with the dataset's credentials).</summary>
    public string? SagemakerEndpointResourceLocation { get; init; }

    /// <summary>LetsData's serverless sizing; accepted, not used.</summary>
    public SagemakerServerlessConfig? SagemakerServerless { get; init; }

    /// <summary>The endpoint to call (InvokeEndpoint's <c>EndpointName</c>). Required.</summary>
    public string? SagemakerEndpointName { get; init; }

    /// <summary>Texts in one InvokeEndpoint request, from one or many documents (default 32).</summary>
    public int? SagemakerBatchSize { get; init; }

    /// <summary>The most UTF-8 bytes of text in one request (default 1 MiB; SageMaker refuses bodies over 6 MB).</summary>
    public int? SagemakerBatchMaxBytes { get; init; }
}

/// <summary>LetsData's <c>sagemakerServerless</c> sizing.</summary>
public sealed record SagemakerServerlessConfig
{
    public int? SagemakerEndpointConcurrency { get; init; }
    public int? SagemakerMemoryLimitInMegabytes { get; init; }
}

public sealed record ManifestFileConfig
{
    /// <summary><c>S3ReaderTextManifestFile</c> (inline <c>fileContents</c>), <c>S3ReaderS3LinkManifestFile</c> (<c>manifestFileS3Uri</c>) or <c>LocalManifestFile</c> (<c>manifestFilePath</c>).</summary>
    public string? ManifestType { get; init; }

    public string? ReaderType { get; init; }
    public string? FileContents { get; init; }
    public string? ManifestFilePath { get; init; }

    /// <summary>S3ReaderS3LinkManifestFile: the manifest object, <c>s3://bucket/key</c>.</summary>
    public string? ManifestFileS3Uri { get; init; }

    /// <summary>KinesisStreamReaderManifest: <c>"Earliest"</c> (default), <c>"Latest"</c> or <c>"AtSequenceNumber"</c>.</summary>
    public string? KinesisReaderTaskStartFromCondition { get; init; }

    /// <summary>KinesisStreamReaderManifest with AtSequenceNumber: shard id → the sequence number to start at.</summary>
    public Dictionary<string, string>? KinesisReaderTaskStartSequenceNumbers { get; init; }

    /// <summary>KinesisStreamReaderManifest: <c>"CaughtUp"</c> (default: stop when a shard has no newer records) or <c>"Continuous"</c>.</summary>
    public string? KinesisReaderTaskStopCondition { get; init; }

    /// <summary>DynamoDBStreamReaderManifest: <c>"Earliest"</c> (default) or <c>"Latest"</c>.</summary>
    public string? DynamoDBReaderTaskStartFromCondition { get; init; }

    /// <summary>DynamoDBStreamReaderManifest: <c>"CaughtUp"</c> (default: stop when a shard has no newer records) or <c>"Continuous"</c>.</summary>
    public string? DynamoDBReaderTaskStopCondition { get; init; }

    /// <summary>SQS Queue Reader: <c>"DrainQueues"</c> (default: a task stops after consecutive empty receives) or <c>"Continuous"</c>.</summary>
    public string? SqsReaderTaskStopCondition { get; init; }

    /// <summary>SQS Queue Reader with DrainQueues: the empty receives in a row that end a task (default 10).</summary>
    public int? SqsReaderTaskStopAfterConsecutiveEmptyReceives { get; init; }

    /// <summary>LetsData's region of an S3 text manifest: accepted, not applied (the clients take AWS_REGION).</summary>
    public string? Region { get; init; }

    /// <summary>LetsData's <c>Customer</c> or <c>LetsData</c> for the manifest object: accepted, not used.</summary>
    public string? ReaderManifestResourceLocation { get; init; }

    /// <summary>LetsData's poll frequency of a continuous Kinesis task: accepted, not used (this worker's polling backs off by itself).</summary>
    public string? KinesisReaderTaskContinuousPollFrequency { get; init; }

    /// <summary>LetsData's poll frequency of a continuous DynamoDB Streams task: accepted, not used.</summary>
    public string? DynamoDBReaderTaskContinuousPollFrequency { get; init; }
}

/// <summary>The dataset's <c>pluginPolicy</c>: the assemblies of the plugin folder allowed to use fenced APIs.</summary>
public sealed record PluginPolicyConfig
{
    public List<PluginPolicyAllowConfig>? Allow { get; init; }
}

/// <summary>
/// One reviewed assembly that may use fenced APIs: pinned by name <em>and</em> the SHA-256 of its file, so a changed
/// file under the same name is refused until it is reviewed again.
/// </summary>
public sealed record PluginPolicyAllowConfig
{
    /// <summary>The assembly's simple name (e.g. <c>Newtonsoft.Json</c>).</summary>
    public string? Assembly { get; init; }

    /// <summary>The SHA-256 of the assembly file, hexadecimal.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Why the assembly is allowed: for the reviewer, not read by the worker.</summary>
    public string? Reason { get; init; }
}
