using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;

namespace LetsData.Runtime.Testing;

/// <summary>
/// Runs a plugin author's parser or reader over in-memory files with the worker's engine (same record extraction,
/// state-machine bookkeeping, dispatch and error handling), no plugin loading and no disk output.
/// </summary>
/// <example>
/// <code>
/// var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => new MyParser(),
///     HarnessFile.FromText("LOG", "a.log", "BEGIN 1\nBEGIN 2\n"));
/// Assert.That(result.Documents, Has.Count.EqualTo(2));
/// </code>
/// </example>
public static class LetsDataTestHarness
{
    private const string DatasetName = "TestHarness";

    /// <summary>One task per file. <paramref name="createParser"/> is called once per task.</summary>
    public static Task<HarnessResult> RunSingleFileParserAsync(Func<ISingleFileParser> createParser, params HarnessFile[] files) =>
        RunAsync(new SingleFileReaderBinding("test harness", createParser), files, OneTaskPerFile(files));

    /// <summary>One task per file. <paramref name="createReader"/> is called once per task.</summary>
    public static Task<HarnessResult> RunSingleFileStateMachineReaderAsync(Func<ISingleFileStateMachineReader> createReader,
        params HarnessFile[] files) =>
        RunAsync(new SingleFileStateMachineReaderBinding("test harness", createReader), files, OneTaskPerFile(files));

    /// <summary>One task that reads one file per file type.</summary>
    public static Task<HarnessResult> RunMultipleFileStateMachineReaderAsync(Func<IMultipleFileStateMachineReader> createReader,
        params HarnessFile[] filesOfOneTask)
    {
        return RunAsync(new MultipleFileStateMachineReaderBinding("test harness", createReader), filesOfOneTask, [OneTaskOver(filesOfOneTask)]);
    }

    /// <summary>
    /// As <see cref="RunSingleFileParserAsync(Func{ISingleFileParser}, HarnessFile[])"/>, each document then vectorized:
    /// <see cref="ISagemakerVectorsInterface"/>'s hooks and the test's endpoint, and the vector documents written.
    /// </summary>
    public static Task<HarnessResult> RunSingleFileParserAsync(Func<ISingleFileParser> createParser, HarnessVectorization vectorization,
        params HarnessFile[] files) =>
        RunAsync(new SingleFileReaderBinding("test harness", createParser), files, OneTaskPerFile(files), vectorization);

    /// <summary>As <see cref="RunMultipleFileStateMachineReaderAsync(Func{IMultipleFileStateMachineReader}, HarnessFile[])"/>, each document then vectorized.</summary>
    public static Task<HarnessResult> RunMultipleFileStateMachineReaderAsync(Func<IMultipleFileStateMachineReader> createReader,
        HarnessVectorization vectorization, params HarnessFile[] filesOfOneTask) =>
        RunAsync(new MultipleFileStateMachineReaderBinding("test harness", createReader), filesOfOneTask, [OneTaskOver(filesOfOneTask)],
            vectorization);

    /// <summary>As <see cref="CheckSingleFileParserResumeAsync(Func{ISingleFileParser}, long, int, HarnessFile)"/>, each document then vectorized.</summary>
    public static Task<ResumeCheckResult> CheckSingleFileParserResumeAsync(Func<ISingleFileParser> createParser,
        HarnessVectorization vectorization, long everyRecords, int maxResumes, HarnessFile file)
    {
        var source = new InMemoryFileSource();
        source.Add(file.FileName, file.Content);
        return ResumeCheck.RunAsync(vectorization.Apply(new SingleFileReaderBinding("test harness", createParser)), new RecordSources(source),
            OneTaskPerFile([file])[0], everyRecords, maxResumes, vectorization);
    }

    /// <summary>One task per shard of <paramref name="stream"/>. <paramref name="createReader"/> is called once per task.</summary>
    public static async Task<HarnessResult> RunKinesisRecordReaderAsync(Func<IKinesisRecordReader> createReader,
        InMemoryKinesisStream stream)
    {
        var tasks = await PartitionTasks.ForKinesisAsync(stream, CancellationToken.None).ConfigureAwait(false);
        return await RunAsync(new KinesisRecordReaderBinding("test harness", createReader), new RecordSources(Kinesis: stream), tasks)
            .ConfigureAwait(false);
    }

    /// <summary>One task per scan segment of <paramref name="table"/>. <paramref name="createReader"/> is called once per task.</summary>
    public static Task<HarnessResult> RunDynamoDBTableItemReaderAsync(Func<IDynamoDBTableItemReader> createReader,
        InMemoryDynamoDBTable table) =>
        RunAsync(new DynamoDBTableItemReaderBinding("test harness", createReader), new RecordSources(DynamoDBTable: table),
            PartitionTasks.ForDynamoDBTable(table));

    /// <summary>
    /// One task per shard of <paramref name="stream"/>, a child shard's after its parent's. <paramref name="createReader"/>
    /// is called once per task.
    /// </summary>
    public static async Task<HarnessResult> RunDynamoDBStreamsRecordReaderAsync(Func<IDynamoDBStreamsRecordReader> createReader,
        InMemoryDynamoDBStream stream)
    {
        var tasks = await PartitionTasks.ForDynamoDBStreamAsync(stream, CancellationToken.None).ConfigureAwait(false);
        return await RunAsync(new DynamoDBStreamsRecordReaderBinding("test harness", createReader), new RecordSources(DynamoDBStream: stream), tasks)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// <paramref name="tasks"/> tasks share <paramref name="queue"/> until it is empty; each message is deleted once its
    /// task's checkpoint has its document. <paramref name="createReader"/> is called once per task.
    /// </summary>
    public static Task<HarnessResult> RunQueueMessageReaderAsync(Func<IQueueMessageReader> createReader, InMemorySqsQueue queue,
        int tasks = 1) =>
        RunAsync(new SqsQueueReaderBinding("test harness", createReader), new RecordSources { Sqs = queue },
            PartitionTasks.ForQueue(queue.QueueName, tasks));

    /// <summary>
    /// Checks that a reader resumes exactly from its checkpoints: runs the task once with a checkpoint every
    /// <paramref name="everyRecords"/> records, then from up to <paramref name="maxResumes"/> of those checkpoints with a
    /// new reader instance (as after a crash), and compares what each resumed run writes with what the undisturbed run
    /// wrote after the same point. A stateful reader that keeps state the checkpoint does not carry shows up here.
    /// </summary>
    public static Task<ResumeCheckResult> CheckMultipleFileStateMachineReaderResumeAsync(Func<IMultipleFileStateMachineReader> createReader,
        long everyRecords, int maxResumes, params HarnessFile[] filesOfOneTask) =>
        ResumeCheck.RunAsync(new MultipleFileStateMachineReaderBinding("test harness", createReader), filesOfOneTask,
            OneTaskOver(filesOfOneTask), everyRecords, maxResumes);

    /// <summary>As <see cref="CheckMultipleFileStateMachineReaderResumeAsync"/>, for a single-file state-machine reader over one file.</summary>
    public static Task<ResumeCheckResult> CheckSingleFileStateMachineReaderResumeAsync(Func<ISingleFileStateMachineReader> createReader,
        long everyRecords, int maxResumes, HarnessFile file) =>
        ResumeCheck.RunAsync(new SingleFileStateMachineReaderBinding("test harness", createReader), [file], OneTaskPerFile([file])[0],
            everyRecords, maxResumes);

    /// <summary>As <see cref="CheckMultipleFileStateMachineReaderResumeAsync"/>, for a single-file parser over one file.</summary>
    public static Task<ResumeCheckResult> CheckSingleFileParserResumeAsync(Func<ISingleFileParser> createParser, long everyRecords,
        int maxResumes, HarnessFile file) =>
        ResumeCheck.RunAsync(new SingleFileReaderBinding("test harness", createParser), [file], OneTaskPerFile([file])[0], everyRecords,
            maxResumes);

    /// <summary>As <see cref="CheckMultipleFileStateMachineReaderResumeAsync"/>, for a Kinesis reader over one shard of <paramref name="stream"/>.</summary>
    public static async Task<ResumeCheckResult> CheckKinesisRecordReaderResumeAsync(Func<IKinesisRecordReader> createReader,
        InMemoryKinesisStream stream, string shardId, long everyRecords, int maxResumes)
    {
        var tasks = await PartitionTasks.ForKinesisAsync(stream, CancellationToken.None).ConfigureAwait(false);
        return await ResumeCheck.RunAsync(new KinesisRecordReaderBinding("test harness", createReader), new RecordSources(Kinesis: stream),
            tasks.Single(t => t.TaskId == shardId), everyRecords, maxResumes).ConfigureAwait(false);
    }

    /// <summary>As <see cref="CheckMultipleFileStateMachineReaderResumeAsync"/>, for a table reader over one scan segment of <paramref name="table"/>.</summary>
    public static Task<ResumeCheckResult> CheckDynamoDBTableItemReaderResumeAsync(Func<IDynamoDBTableItemReader> createReader,
        InMemoryDynamoDBTable table, int segment, long everyRecords, int maxResumes) =>
        ResumeCheck.RunAsync(new DynamoDBTableItemReaderBinding("test harness", createReader), new RecordSources(DynamoDBTable: table),
            PartitionTasks.ForDynamoDBTable(table)[segment], everyRecords, maxResumes);

    /// <summary>As <see cref="CheckMultipleFileStateMachineReaderResumeAsync"/>, for a DynamoDB Streams reader over one shard of <paramref name="stream"/>.</summary>
    public static async Task<ResumeCheckResult> CheckDynamoDBStreamsRecordReaderResumeAsync(Func<IDynamoDBStreamsRecordReader> createReader,
        InMemoryDynamoDBStream stream, string shardId, long everyRecords, int maxResumes)
    {
        var tasks = await PartitionTasks.ForDynamoDBStreamAsync(stream, CancellationToken.None).ConfigureAwait(false);
        return await ResumeCheck.RunAsync(new DynamoDBStreamsRecordReaderBinding("test harness", createReader),
            new RecordSources(DynamoDBStream: stream), tasks.Single(t => t.TaskId == shardId), everyRecords, maxResumes).ConfigureAwait(false);
    }

    private static DataTaskDefinition OneTaskOver(HarnessFile[] filesOfOneTask) =>
        new("task-0001", 1, string.Join('|', filesOfOneTask.Select(f => $"{f.FileType}:{f.FileName}")),
            filesOfOneTask.Select(f => new ManifestFileRef(f.FileType, f.FileName)).ToList());

    private static List<DataTaskDefinition> OneTaskPerFile(HarnessFile[] files) =>
        files.Select((f, i) => new DataTaskDefinition($"task-{i + 1:D4}", i + 1, f.FileName,
            [new ManifestFileRef(f.FileType, f.FileName)])).ToList();

    private static Task<HarnessResult> RunAsync(ReaderBinding binding, HarnessFile[] files,
        IReadOnlyList<DataTaskDefinition> tasks, HarnessVectorization? vectorization = null)
    {
        var source = new InMemoryFileSource();
        foreach (var file in files)
        {
            source.Add(file.FileName, file.Content);
        }

        return RunAsync(binding, new RecordSources(source), tasks, vectorization);
    }

    private static async Task<HarnessResult> RunAsync(ReaderBinding binding, RecordSources sources,
        IReadOnlyList<DataTaskDefinition> tasks, HarnessVectorization? vectorization = null)
    {
        var sinks = new CapturingSinks();
        var engine = vectorization is null
            ? new DataTaskEngine(DatasetName, binding, sources, sinks, sinks)
            : new DataTaskEngine(DatasetName, vectorization.Apply(binding), sources, sinks, sinks, vectorization.Apply(new EngineOptions()));
        var summary = await engine.RunAsync(tasks).ConfigureAwait(false);
        var documents = sinks.Documents.ToList();
        return new HarnessResult(
            documents.Select(d => d.Document).ToList(),
            documents.Select(d => d.Serialized).ToList(),
            sinks.Errors.ToList(),
            summary.Skips,
            summary.Tasks.Select(t => new HarnessTaskResult(t.TaskId, t.Status == DataTaskStatus.Completed, t.ErrorMessage, t.PluginException)
            {
                Warnings = t.Warnings,
            }).ToList());
    }
}
