using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3.Model;
using LetsData.Interfaces.Documents;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Aws.Kinesis;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading.S3;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Writing.DynamoDB;
using LetsData.Runtime.Writing.Kinesis;

namespace LetsData.Benchmarks.Connectors;

/// <summary>
/// Measurement 5 (<c>--only connectors</c>, not part of the default run: it needs the emulators): S3 → Kinesis and
/// S3 → DynamoDB through the real engine and write connectors, next to a bare client loop that sends the same
/// documents in full batches one call at a time — the emulator's own ceiling for one writer. Both in this run.
/// </summary>
internal static class ConnectorBenchmark
{
    private const double TargetRatio = 0.8;
    private const double TargetBatchFill = 0.95;
    private const int DataMb = 20;

    public static void Run(BenchArguments arguments, RepositoryLayout layout)
    {
        Console.Error.WriteLine("[connectors] S3 -> Kinesis, S3 -> DynamoDB through the emulators");
        using var emulators = BenchEmulators.Ensure(layout);
        var file = BenchDataGenerator.Plain(Path.Combine(layout.Root, "artifacts", "bench-data"), DataMb);
        var documents = ReadDocuments(file);
        using var s3 = S3Clients.Create(forcePathStyle: true);
        var bucket = $"bench-{Guid.NewGuid().ToString("N")[..8]}";
        s3.PutBucketAsync(bucket).GetAwaiter().GetResult();
        s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = file.FileName, FilePath = file.Path }).GetAwaiter().GetResult();
        using var source = new S3FileSource(s3, bucket);
        DataTaskDefinition[] tasks = [new("task-0001", 1, file.FileName, [new ManifestFileRef(null, file.FileName)])];
        var binding = new SingleFileReaderBinding("bench-numbered", () => NumberedRecordParser.Instance);

        Console.WriteLine($"5. Connectors — S3 (s3rver) → engine → Kinesis (kinesalite) / DynamoDB (dynalite), {documents.Count:N0} documents "
            + $"of {documents.Average(d => d.Serialized.Length):F0} B from {file.Describe(layout.Root)}");
        Console.WriteLine("   bare loop = the same documents sent by one client in full batches, one call at a time (the emulator's ceiling for one writer)");

        using var kinesis = KinesisClient.Create();
        var kinesisStatistics = new List<KinesisWriteStatistics>();
        var kinesisResult = SideBySide.Measure(arguments.Reps,
            "bare PutRecords loop (500 per call)", () => BareKinesisLoop(kinesis, documents),
            "engine + Kinesis write connector", () =>
            {
                var stream = NewStream(kinesis);
                using var sink = new KinesisDocumentSinkFactory(kinesis, stream, compressRecords: false, ownsClient: false);
                var throughput = RunEngine(binding, source, sink, tasks, documents.Count);
                kinesisStatistics.Add(sink.Statistics);
                return throughput;
            });
        ReportWriter.Comparison(kinesisResult, "connector / bare loop", byRecords: true);
        ReportWriter.Target($"≥ {TargetRatio:F1} of the bare loop", kinesisResult.RecordsRatio >= TargetRatio, $"{kinesisResult.RecordsRatio:F2}");
        var fill = kinesisStatistics.Average(s => s.RecordsSent / (double)Math.Max(1, s.PutRecordsCalls));
        Console.WriteLine($"  batch fill  {fill:F1} records per PutRecords call (calls per run: {string.Join(", ", kinesisStatistics.Select(s => s.PutRecordsCalls))})");
        ReportWriter.Target($"batch fill ≥ {TargetBatchFill:P0} of 500", fill >= TargetBatchFill * 500, $"{fill / 500:P1}");

        using var dynamo = DynamoDBClients.Create();
        var dynamoCounters = new List<DynamoDBWriteCounters>();
        var dynamoResult = SideBySide.Measure(arguments.Reps,
            "bare BatchWriteItem loop (25 per call)", () => BareDynamoDBLoop(dynamo, documents),
            "engine + DynamoDB write connector", () =>
            {
                var table = NewTable(dynamo);
                using var sink = new DynamoDBDocumentSinkFactory(dynamo, table, keyAttributeName: null, ownsClient: false);
                var throughput = RunEngine(binding, source, sink, tasks, documents.Count);
                dynamoCounters.Add(sink.Counters);
                return throughput;
            });
        ReportWriter.Comparison(dynamoResult, "connector / bare loop", byRecords: true);
        ReportWriter.Target($"≥ {TargetRatio:F1} of the bare loop", dynamoResult.RecordsRatio >= TargetRatio, $"{dynamoResult.RecordsRatio:F2}");
        var itemsPerCall = dynamoCounters.Average(c => c.ItemsWritten / (double)Math.Max(1, c.BatchWriteItemCalls));
        Console.WriteLine($"  batch fill  {itemsPerCall:F1} items per BatchWriteItem call");
        Console.WriteLine($"  load        {MachineLoad.Describe()} after the runs");
        Console.WriteLine();
    }

    private sealed record BenchDocument(IDocument Document, string Serialized);

    private static List<BenchDocument> ReadDocuments(BenchDataFile file)
    {
        var bytes = File.ReadAllBytes(file.Path);
        var documents = new List<BenchDocument>((int)file.Records);
        var pattern = System.Text.Encoding.ASCII.GetBytes(SyntheticRecords.StartPattern);
        var rest = bytes.AsSpan();
        while (!rest.IsEmpty)
        {
            var next = rest[pattern.Length..].IndexOf(pattern);
            var record = next < 0 ? rest : rest[..(next + pattern.Length)];
            var document = NumberedRecordParser.DocumentOf(record);
            documents.Add(new BenchDocument(document, document.Serialize()));
            rest = rest[record.Length..];
        }

        return documents;
    }

    private static Throughput RunEngine(SingleFileReaderBinding binding, S3FileSource source, IDocumentSinkFactory sink,
        DataTaskDefinition[] tasks, int expectedDocuments) =>
        SideBySide.Time(() =>
        {
            var engine = new DataTaskEngine("bench", binding, source, sink, DiscardingSinkFactory.Instance);
            var summary = engine.RunAsync(tasks).GetAwaiter().GetResult();
            if (summary.Errored != 0 || summary.Documents != expectedDocuments)
            {
                throw new InvalidOperationException(
                    $"connector run is wrong: {summary.Documents:N0} of {expectedDocuments:N0} documents, {summary.Errored} errored ({summary.Tasks[0].ErrorMessage})");
            }

            return (summary.Documents, summary.BytesScanned);
        });

    private static Throughput BareKinesisLoop(KinesisClient client, List<BenchDocument> documents)
    {
        var stream = NewStream(client);
        using var batch = new KinesisPutRecordsBatch();
        var utf8 = new byte[64 * 1024];
        long bytes = 0;
        return SideBySide.Time(() =>
        {
            foreach (var document in documents)
            {
                var length = System.Text.Encoding.UTF8.GetBytes(document.Serialized, utf8);
                bytes += length;
                if (!batch.TryAdd(utf8.AsSpan(0, length), document.Document.PartitionKey!))
                {
                    Send(client, stream, batch);
                    batch.TryAdd(utf8.AsSpan(0, length), document.Document.PartitionKey!);
                }
            }

            Send(client, stream, batch);
            return (documents.Count, bytes);
        });
    }

    private static void Send(KinesisClient client, string stream, KinesisPutRecordsBatch batch)
    {
        var result = client.PutRecordsAsync(stream, batch).GetAwaiter().GetResult();
        if (result.FailedRecordCount != 0)
        {
            throw new InvalidOperationException($"the bare loop's PutRecords failed for {result.FailedRecordCount} record(s)");
        }

        batch.Clear();
    }

    private static Throughput BareDynamoDBLoop(IAmazonDynamoDB client, List<BenchDocument> documents)
    {
        var table = NewTable(client);
        var items = documents.Select(d => new WriteRequest(new PutRequest(JsonItemParser.Parse(Encoding.UTF8.GetBytes(d.Serialized))))).ToList();
        long bytes = documents.Sum(d => (long)d.Serialized.Length);
        return SideBySide.Time(() =>
        {
            foreach (var chunk in items.Chunk(25))
            {
                var pending = new Dictionary<string, List<WriteRequest>> { [table] = [.. chunk] };
                while (pending.Count > 0)
                {
                    pending = client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }).GetAwaiter().GetResult()
                        .UnprocessedItems ?? [];
                }
            }

            return (documents.Count, bytes);
        });
    }

    private static string NewStream(KinesisClient client)
    {
        var name = $"bench-{Guid.NewGuid().ToString("N")[..10]}";
        client.CreateStreamAsync(name, shardCount: 2).GetAwaiter().GetResult();
        return name;
    }

    private static string NewTable(IAmazonDynamoDB client)
    {
        var name = $"bench-{Guid.NewGuid().ToString("N")[..10]}";
        client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            KeySchema = [new KeySchemaElement("documentId", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("documentId", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }).GetAwaiter().GetResult();
        while (client.DescribeTableAsync(name).GetAwaiter().GetResult().Table.TableStatus != TableStatus.ACTIVE)
        {
            Thread.Sleep(50);
        }

        return name;
    }
}
