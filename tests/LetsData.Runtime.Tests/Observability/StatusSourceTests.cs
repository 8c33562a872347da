using System.Text.Json.Nodes;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Observability.StatusPage;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.Observability;

/// <summary>What the status page's <c>status.json</c> says, from a real local task store and error folder.</summary>
public sealed class StatusSourceTests
{
    private string _folder = "";
    private LocalTaskStore _store = null!;
    private Dataset _dataset = null!;

    [SetUp]
    public void CreateStoreAndDataset()
    {
        _folder = Directory.CreateTempSubdirectory("letsdata-status-").FullName;
        _store = new LocalTaskStore(Path.Combine(_folder, "state"));
        _dataset = StatusPageDatasets.Local(_folder, "Logs");
    }

    [TearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task Snapshot_HasTheStoresTasks_TheLiveCountsOfRunningOnes_AndTheErrorRecords()
    {
        await Add("task-0002", TaskRecordStatus.Processing, records: 10);
        await Add("task-0001", TaskRecordStatus.Errored, records: 7, lastError: "bad gzip member");
        Directory.CreateDirectory(Path.Combine(_folder, "errors"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "errors", "task-0001.errored.jsonl"),
            """{"kind":"TaskError","taskId":"task-0001","fileNames":{"LOG":"a.log"},"errorStartOffsetMap":{"LOG":"4096"},"errorMessage":"bad gzip member"}""" + "\n"
            + "not json\n");
        await File.WriteAllTextAsync(Path.Combine(_folder, "errors", "task-0003.jsonl.part"), """{"taskId":"task-0003"}""" + "\n");
        var live = new RunProgress();
        live.Add(records: 25, documents: 20, errors: 1, skips: 4, bytesScanned: 0);
        var history = new ThroughputHistory(capacity: 10);
        history.Add(new ThroughputSample(DateTimeOffset.UnixEpoch, 12));
        var source = new StatusSource(_dataset, _store, history, TimeProvider.System, id => id == "task-0002" ? live : null);

        var json = JsonNode.Parse(await source.SnapshotJsonAsync(CancellationToken.None))!;

        Assert.That((string?)json["dataset"], Is.EqualTo("Logs"));
        Assert.That((string?)json["status"], Is.EqualTo("ERRORED"));
        Assert.That((string?)json["plugin"]!["name"], Is.EqualTo("P"));
        Assert.That(json["plugin"]!["version"], Is.Null, "no assembly there: no version");
        Assert.That((int)json["tasksByStatus"]!["ERRORED"]!, Is.EqualTo(1));
        var tasks = json["tasks"]!.AsArray();
        Assert.That(tasks.Select(t => (string?)t!["taskId"]), Is.EqualTo(new[] { "task-0001", "task-0002" }), "ordered by id");
        Assert.That((long)tasks[0]!["records"]!, Is.EqualTo(7), "an ended task shows its record's counts");
        Assert.That((string?)tasks[0]!["lastError"], Is.EqualTo("bad gzip member"));
        Assert.That((long)tasks[1]!["records"]!, Is.EqualTo(25), "a running task shows its live counts, newer than its checkpoint");
        Assert.That((long)tasks[1]!["skips"]!, Is.EqualTo(4));
        Assert.That((string?)tasks[1]!["input"], Is.EqualTo("task-0002.log"));
        Assert.That(json["throughput"]!.AsArray().Select(s => (long)s!["records"]!), Is.EqualTo(new[] { 12L }));
        var errors = json["errors"]!.AsArray();
        Assert.That(errors, Has.Count.EqualTo(1), "the bad line and the unfinished .part file are left out");
        Assert.That((string?)errors[0]!["files"], Is.EqualTo("LOG:a.log"));
        Assert.That((string?)errors[0]!["offsets"], Is.EqualTo("LOG:4096"));
        Assert.That((bool)json["moreErrors"]!, Is.False);
    }

    [Test]
    public async Task Snapshot_ListsAtMostFiftyErrors_AndSaysThereAreMore()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "errors"));
        var lines = Enumerable.Range(0, StatusSource.ErrorRows + 5)
            .Select(i => $$"""{"kind":"ErrorDoc","taskId":"task-0001","errorMessage":"bad {{i}}"}""");
        await File.WriteAllLinesAsync(Path.Combine(_folder, "errors", "task-0001.jsonl"), lines);
        var source = new StatusSource(_dataset, _store, new ThroughputHistory(1), TimeProvider.System);

        var json = JsonNode.Parse(await source.SnapshotJsonAsync(CancellationToken.None))!;

        Assert.That(json["errors"]!.AsArray(), Has.Count.EqualTo(StatusSource.ErrorRows));
        Assert.That((bool)json["moreErrors"]!, Is.True);
        Assert.That((string?)json["status"], Is.EqualTo("CREATED"), "no task records yet");
    }

    [Test]
    public async Task Records_AreTheLiveCountInARun_ElseTheStoresSum()
    {
        await Add("task-0001", TaskRecordStatus.Completed, records: 7);
        await Add("task-0002", TaskRecordStatus.Completed, records: 5);

        var fromStore = await new StatusSource(_dataset, _store, new ThroughputHistory(1), TimeProvider.System).RecordsAsync(CancellationToken.None);
        var live = await new StatusSource(_dataset, _store, new ThroughputHistory(1), TimeProvider.System, liveRecords: () => 99)
            .RecordsAsync(CancellationToken.None);

        Assert.That((fromStore, live), Is.EqualTo((12L, 99L)));
    }

    [Test]
    public void History_KeepsTheLatestSamples_OldestFirst()
    {
        var history = new ThroughputHistory(capacity: 3);
        for (var i = 1; i <= 5; i++)
        {
            history.Add(new ThroughputSample(DateTimeOffset.UnixEpoch.AddSeconds(i), i * 10));
        }

        Assert.That(history.Samples.Select(s => s.Records), Is.EqualTo(new[] { 30L, 40L, 50L }));
    }

    private Task<TaskRecord> Add(string taskId, TaskRecordStatus status, long records, string? lastError = null) =>
        _store.CreateIfAbsentAsync(new TaskRecord
        {
            Dataset = "Logs",
            TaskId = taskId,
            Reader = new TaskReaderDefinition("Single File Reader", new Dictionary<string, string> { ["file"] = taskId + ".log" }, null, taskId + ".log"),
            Status = status,
            Counters = TaskRecordCounters.Zero with { Records = records },
            LastError = lastError is null ? null : new TaskLastError(lastError, null, null, null, null),
        });
}
