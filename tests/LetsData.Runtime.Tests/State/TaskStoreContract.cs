using System.Text;
using System.Text.Json;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.State;

/// <summary>
/// What every <see cref="ITaskStore"/> must do, whatever it stores in: create-if-absent, compare-and-set by version,
/// ordered listing, every field (the opaque checkpoint above all) coming back as written, datasets kept apart, and
/// <see cref="TaskLeases"/> claims that exactly one of many concurrent workers wins. A store is tested by deriving a
/// fixture that says how to open it; this file is compiled into the unit and the integration test projects.
/// </summary>
public abstract partial class TaskStoreContract
{
    private static readonly DateTimeOffset T0 = TestTaskRecords.T0;

    /// <summary>A dataset name of this test's own, so tests sharing a table or folder never meet.</summary>
    protected string Dataset { get; private set; } = "";

    [SetUp]
    public void NameDataset() => Dataset = "Contract" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// A store over <paramref name="dataset"/>'s records. Each call opens another instance over the same records, as a
    /// second worker would.
    /// </summary>
    protected abstract ITaskStore OpenStore(string dataset);

    private ITaskStore OpenStore() => OpenStore(Dataset);

    private TaskRecord NewRecord(string taskId = "task-0001", string file = "a.warc.gz", string? dataset = null) =>
        TestTaskRecords.New(taskId, file, dataset ?? Dataset);

    [Test]
    public async Task CreateIfAbsent_StoresVersion1_AndEveryFieldComesBackFromAnotherInstance()
    {
        using var checkpoint = JsonDocument.Parse("""{"offsets":{"WARC":"1234","WAT":"99"},"state":[1,2.5,true,null]}""");
        var record = NewRecord() with
        {
            Reader = new TaskReaderDefinition("Multiple File State Machine Reader",
                new Dictionary<string, string> { ["WARC"] = "a.warc.gz", ["WAT"] = "a.wat.gz" }, null, "WARC:a.warc.gz|WAT:a.wat.gz"),
            Status = TaskRecordStatus.Errored,
            Attempts = 2,
            LastError = new TaskLastError("boom (file a, type WARC, offset 7)", "WARC", "a", "offset", "7"),
            WorkerId = "host:42",
            LeaseExpiresAt = new DateTimeOffset(2026, 1, 2, 7, 8, 9, TimeSpan.FromHours(2)).AddTicks(1234567),
            LeaseCounter = 12_345_678_901,
            StartedAt = T0.AddSeconds(1).AddTicks(1),
            EndedAt = T0.AddSeconds(2),
            Counters = new TaskRecordCounters(10, 9, 1, 3, 5_000_000_000, long.MaxValue),
            Checkpoint = checkpoint.RootElement.Clone(),
            Version = 77,
        };

        var created = await OpenStore().CreateIfAbsentAsync(record);
        var read = await OpenStore().GetAsync("task-0001");

        Assert.That(created.Version, Is.EqualTo(1), "the store numbers versions, not the caller");
        Assert.That(read, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(read!.Dataset, Is.EqualTo(Dataset));
            Assert.That(read.TaskId, Is.EqualTo("task-0001"));
            Assert.That(read.Status, Is.EqualTo(TaskRecordStatus.Errored));
            Assert.That(read.Attempts, Is.EqualTo(2));
            Assert.That(read.LastError, Is.EqualTo(record.LastError));
            Assert.That(read.WorkerId, Is.EqualTo("host:42"));
            Assert.That(read.LeaseExpiresAt, Is.EqualTo(record.LeaseExpiresAt), "the same instant, to the tick");
            Assert.That(read.LeaseCounter, Is.EqualTo(record.LeaseCounter));
            Assert.That(read.CreatedAt, Is.EqualTo(T0));
            Assert.That(read.StartedAt, Is.EqualTo(record.StartedAt));
            Assert.That(read.EndedAt, Is.EqualTo(record.EndedAt));
            Assert.That(read.Counters, Is.EqualTo(record.Counters));
            Assert.That(read.Reader.SameAs(record.Reader), Is.True, "reader definition");
            Assert.That(read.Reader.Partition, Is.Null);
            Assert.That(read.Checkpoint is { } kept && JsonElement.DeepEquals(kept, checkpoint.RootElement), Is.True, "checkpoint");
            Assert.That(read.Version, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Warnings_ComeBackInOrder_AndARecordWithoutThemReadsNone()
    {
        var store = OpenStore();
        var created = await store.CreateIfAbsentAsync(NewRecord());
        Assert.That(created.Warnings, Is.Null);
        string[] warnings = ["file a.warc.gz: 10 bytes when opened, but only 4 could be read: it shrank while it was read", "second, with ünïcode"];

        await store.UpdateAsync(created with { Status = TaskRecordStatus.Completed, Warnings = warnings });
        var read = await OpenStore().GetAsync("task-0001");
        await OpenStore().UpdateAsync(read! with { Warnings = null });
        var cleared = await OpenStore().GetAsync("task-0001");

        Assert.That(read!.Warnings, Is.EqualTo(warnings));
        Assert.That(cleared!.Warnings, Is.Null);
        Assert.That((await OpenStore().GetAsync("task-0001"))!.Version, Is.EqualTo(3));
    }

    [Test]
    public async Task AStreamTaskRecord_WithAPartitionAndNoFiles_RoundTrips()
    {
        var reader = new TaskReaderDefinition("Kinesis Stream Reader", new Dictionary<string, string>(),
            new TaskPartition("KinesisShard", "arn:aws:kinesis:us-east-1:123456789012:stream/s", "shardId-000000000003"), "shardId-000000000003");
        await OpenStore().CreateIfAbsentAsync(NewRecord("shardId-000000000003") with { Reader = reader });

        var read = await OpenStore().GetAsync("shardId-000000000003");

        Assert.That(read!.Reader.SameAs(reader), Is.True);
        Assert.That(read.Reader.Partition, Is.EqualTo(reader.Partition));
        Assert.That(read.Reader.Files, Is.Empty);
        Assert.That(read.LastError, Is.Null);
        Assert.That(read.WorkerId, Is.Null);
        Assert.That(read.LeaseExpiresAt, Is.Null);
        Assert.That(read.Checkpoint, Is.Null);
    }

    [Test]
    public async Task CreateIfAbsent_Twice_ReturnsTheFirstRecord()
    {
        var store = OpenStore();
        var first = await store.CreateIfAbsentAsync(NewRecord(file: "first.gz"));
        var updated = await store.UpdateAsync(first with { Status = TaskRecordStatus.Completed, Attempts = 1 });

        var again = await OpenStore().CreateIfAbsentAsync(NewRecord(file: "second.gz") with { Attempts = 5 });

        Assert.That(again.Reader.ManifestLine, Is.EqualTo("first.gz"));
        Assert.That(again.Status, Is.EqualTo(TaskRecordStatus.Completed));
        Assert.That(again.Attempts, Is.EqualTo(1));
        Assert.That(again.Version, Is.EqualTo(updated.Version));
        Assert.That((await store.GetAsync("task-0001"))!.Reader.ManifestLine, Is.EqualTo("first.gz"), "the stored record is untouched");
    }

    [Test]
    public async Task CreateIfAbsent_FromManyWorkersAtOnce_AllGetTheOneStoredRecord()
    {
        const int workers = 8;
        var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(i =>
            Task.Run(() => OpenStore().CreateIfAbsentAsync(NewRecord(file: $"from-worker-{i}.gz")))));

        var stored = await OpenStore().GetAsync("task-0001");
        Assert.That(results.Select(r => r.Reader.ManifestLine).Distinct(), Is.EqualTo(new[] { stored!.Reader.ManifestLine }));
        Assert.That(results.Select(r => r.Version), Is.All.EqualTo(1));
    }

    [Test]
    public async Task Update_WithTheStoredVersion_IncrementsIt()
    {
        var store = OpenStore();
        var v1 = await store.CreateIfAbsentAsync(NewRecord());

        var v2 = await store.UpdateAsync(v1 with { Attempts = 1 });
        var v3 = await OpenStore().UpdateAsync(v2 with { Attempts = 2 });

        Assert.That(new[] { v1.Version, v2.Version, v3.Version }, Is.EqualTo(new long[] { 1, 2, 3 }));
        var read = await store.GetAsync("task-0001");
        Assert.That(read!.Version, Is.EqualTo(3));
        Assert.That(read.Attempts, Is.EqualTo(2));
    }

    [Test]
    public async Task Update_WithAStaleVersion_ConflictsAndLeavesTheRecordAlone()
    {
        var store = OpenStore();
        var v1 = await store.CreateIfAbsentAsync(NewRecord());
        await store.UpdateAsync(v1 with { WorkerId = "first" });

        var conflict = Assert.ThrowsAsync<TaskConflictException>(() => OpenStore().UpdateAsync(v1 with { WorkerId = "second" }));

        Assert.That(conflict!.TaskId, Is.EqualTo("task-0001"));
        Assert.That(conflict.ExpectedVersion, Is.EqualTo(1));
        Assert.That(conflict.StoredVersion, Is.EqualTo(2));
        Assert.That(conflict.Message, Does.Contain("stored version 2 is not the expected 1"));
        var read = await store.GetAsync("task-0001");
        Assert.That(read!.WorkerId, Is.EqualTo("first"));
        Assert.That(read.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Update_OfATaskWithNoRecord_Conflicts()
    {
        var conflict = Assert.ThrowsAsync<TaskConflictException>(() => OpenStore().UpdateAsync(NewRecord() with { Version = 1 }));

        Assert.That(conflict!.StoredVersion, Is.Null);
        Assert.That(await OpenStore().GetAsync("task-0001"), Is.Null, "a failed update creates nothing");
    }

    [Test]
    public async Task Update_ClearsOptionalFields_ThatTheRecordNoLongerHas()
    {
        var store = OpenStore();
        using var checkpoint = JsonDocument.Parse("""{"offset":5}""");
        var v1 = await store.CreateIfAbsentAsync(NewRecord() with
        {
            Status = TaskRecordStatus.Processing, WorkerId = "w", LeaseExpiresAt = T0.AddMinutes(2), StartedAt = T0,
            EndedAt = T0, Checkpoint = checkpoint.RootElement.Clone(), LastError = new TaskLastError("x", null, null, null, null),
        });

        await store.UpdateAsync(v1 with { WorkerId = null, LeaseExpiresAt = null, StartedAt = null, EndedAt = null, Checkpoint = null, LastError = null });

        var read = await OpenStore().GetAsync("task-0001");
        Assert.Multiple(() =>
        {
            Assert.That(read!.WorkerId, Is.Null);
            Assert.That(read.LeaseExpiresAt, Is.Null);
            Assert.That(read.StartedAt, Is.Null);
            Assert.That(read.EndedAt, Is.Null);
            Assert.That(read.Checkpoint, Is.Null);
            Assert.That(read.LastError, Is.Null);
        });
    }

    [Test]
    public async Task Get_OfAnUnknownTask_IsNull() => Assert.That(await OpenStore().GetAsync("task-9999"), Is.Null);

    [Test]
    public async Task List_OfAnEmptyDataset_IsEmpty() => Assert.That(await OpenStore().ListAsync(), Is.Empty);

    [Test]
    public async Task List_HoldsEveryRecord_OrderedByTaskId()
    {
        // Checkpoints of 40 KB make the records together exceed one DynamoDB query page (1 MB): listing must page.
        var padding = new string('x', 40 * 1024);
        var ids = Enumerable.Range(0, 30).Select(i => $"task-{i:D4}").ToList();
        var store = OpenStore();
        foreach (var id in ids.OrderBy(id => id.GetHashCode(StringComparison.Ordinal)))
        {
            using var checkpoint = JsonDocument.Parse(JsonSerializer.Serialize(new { id, padding }));
            await store.CreateIfAbsentAsync(NewRecord(id) with { Checkpoint = checkpoint.RootElement.Clone() });
        }

        var listed = await OpenStore().ListAsync();

        Assert.That(listed.Select(r => r.TaskId), Is.EqualTo(ids));
        Assert.That(listed.Select(r => r.Checkpoint!.Value.GetProperty("id").GetString()), Is.EqualTo(ids), "each record is its own");
        Assert.That(listed.Select(r => r.Dataset), Is.All.EqualTo(Dataset));
    }

    [Test]
    public async Task Datasets_AreKeptApart()
    {
        var other = Dataset + "Other";
        await OpenStore().CreateIfAbsentAsync(NewRecord("task-0001", "mine.gz"));
        await OpenStore(other).CreateIfAbsentAsync(NewRecord("task-0001", "theirs.gz", other));
        await OpenStore(other).CreateIfAbsentAsync(NewRecord("task-0002", "theirs.gz", other));

        var mine = await OpenStore().ListAsync();

        Assert.That(mine.Select(r => r.TaskId), Is.EqualTo(new[] { "task-0001" }));
        Assert.That(mine[0].Reader.ManifestLine, Is.EqualTo("mine.gz"));
        Assert.That(await OpenStore().GetAsync("task-0002"), Is.Null);
        Assert.That((await OpenStore(other).GetAsync("task-0001"))!.Reader.ManifestLine, Is.EqualTo("theirs.gz"));
    }

    [TestCase("""{"text":"naïve café 日本語 😀 \u0000 \"quoted\" \\ back\nslash\t","empty":"","ws":"  "}""", TestName = "{m}(unicode and escapes)")]
    [TestCase("""{"a":{"b":{"c":{"d":[1,[2,[3,{"e":null}]]]}}},"z":{},"y":[]}""", TestName = "{m}(nested)")]
    [TestCase("""{"big":123456789012345678901234567890123456789012,"small":-0.000000000000000000000000000001,"exp":1.5E+300,"neg":-0,"f":0.1}""", TestName = "{m}(numbers beyond double)")]
    [TestCase("""[1,"two",{"three":3},[4],true,false,null]""", TestName = "{m}(top-level array)")]
    [TestCase("\"just a string\"", TestName = "{m}(top-level string)")]
    [TestCase("42", TestName = "{m}(top-level number)")]
    public async Task Checkpoint_ComesBackAsTheSameJson(string json)
    {
        using var checkpoint = JsonDocument.Parse(json);
        var store = OpenStore();
        var v1 = await store.CreateIfAbsentAsync(NewRecord() with { Checkpoint = checkpoint.RootElement.Clone() });
        await store.UpdateAsync(v1 with { Attempts = 1 });

        var read = await OpenStore().GetAsync("task-0001");

        Assert.That(read!.Checkpoint, Is.Not.Null);
        var kept = read.Checkpoint!.Value;
        Assert.That(JsonElement.DeepEquals(kept, checkpoint.RootElement), Is.True, $"stored {kept.GetRawText()}");
        Assert.That(Shape(kept), Is.EqualTo(Shape(checkpoint.RootElement)), "numbers keep their exact text, properties their order");
    }

    [Test]
    public async Task Checkpoint_OfTensOfKilobytes_ComesBackWhole()
    {
        var values = Enumerable.Range(0, 2000).Select(i => new { file = $"part-{i:D5}.gz", offset = i * 1_000_003L, state = "ü€" + i }).ToList();
        using var checkpoint = JsonDocument.Parse(JsonSerializer.Serialize(new { files = values }));
        Assert.That(Encoding.UTF8.GetByteCount(checkpoint.RootElement.GetRawText()), Is.GreaterThan(64 * 1024), "test set-up: a big checkpoint");

        await OpenStore().CreateIfAbsentAsync(NewRecord() with { Checkpoint = checkpoint.RootElement.Clone() });

        var read = await OpenStore().GetAsync("task-0001");
        Assert.That(JsonElement.DeepEquals(read!.Checkpoint!.Value, checkpoint.RootElement), Is.True);
    }

    [Test]
    public async Task ConcurrentClaims_OfOneVersion_ExactlyOneWorkerWins()
    {
        const int workers = 8;
        await OpenStore().CreateIfAbsentAsync(NewRecord());
        var clock = new ManualTimeProvider(T0);

        // Every worker reads the same version before any claims, so the claims race on the store's condition alone.
        var seen = await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => OpenStore().GetAsync("task-0001")));
        var claims = await Task.WhenAll(seen.Select((record, i) => Task.Run(() =>
            new TaskLeases(OpenStore(), $"worker-{i}", TimeSpan.FromMinutes(2), clock).TryClaimAsync(record!, includeCompleted: false))));

        var winners = claims.OfType<TaskRecord>().ToList();
        Assert.That(winners, Has.Count.EqualTo(1), "exactly one claim succeeds");
        var stored = await OpenStore().GetAsync("task-0001");
        Assert.That(stored!.WorkerId, Is.EqualTo(winners[0].WorkerId));
        Assert.That(stored.Status, Is.EqualTo(TaskRecordStatus.Processing));
        Assert.That(stored.LeaseExpiresAt, Is.EqualTo(T0.AddMinutes(2)));
        Assert.That(stored.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task ClaimsRacingOverManyTasks_GiveEachTaskOneOwner()
    {
        const int workers = 4, tasks = 12;
        var store = OpenStore();
        for (var t = 0; t < tasks; t++)
        {
            await store.CreateIfAbsentAsync(NewRecord($"task-{t:D4}"));
        }

        var clock = new ManualTimeProvider(T0);
        var claimedBy = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var worker = OpenStore();
            var leases = new TaskLeases(worker, $"worker-{w}", TimeSpan.FromMinutes(2), clock);
            var mine = new List<string>();
            foreach (var record in await worker.ListAsync())
            {
                if (await leases.TryClaimAsync(record, includeCompleted: false) is { } claimed)
                {
                    mine.Add(claimed.TaskId);
                }
            }

            return mine;
        })));

        var all = claimedBy.SelectMany(ids => ids).ToList();
        Assert.That(all, Is.Unique, "no task claimed twice");
        Assert.That(all, Has.Count.EqualTo(tasks), "every task claimed: each listed record was claimable when listed");
        var stored = await store.ListAsync();
        for (var w = 0; w < workers; w++)
        {
            Assert.That(stored.Where(r => r.WorkerId == $"worker-{w}").Select(r => r.TaskId), Is.EquivalentTo(claimedBy[w]));
        }
    }

    [Test]
    public async Task ALease_IsRenewed_AndTakenOverOnlyALeasePeriodAfterItsLastRenewalWasSeen()
    {
        var clock = new ManualTimeProvider(T0);
        var lease = TimeSpan.FromMinutes(2);
        var first = new TaskLeases(OpenStore(), "worker-a", lease, clock);
        var second = new TaskLeases(OpenStore(), "worker-b", lease, clock);
        var created = await OpenStore().CreateIfAbsentAsync(NewRecord());
        var claimed = await first.TryClaimAsync(created, includeCompleted: false);

        clock.Advance(TimeSpan.FromMinutes(1));
        var renewed = await first.TryRenewAsync(claimed!);
        clock.Advance(TimeSpan.FromMinutes(1.5));
        var tooEarly = await second.TryClaimAsync((await OpenStore().GetAsync("task-0001"))!, includeCompleted: false);
        clock.Advance(lease);
        var takenOver = await second.TryClaimAsync((await OpenStore().GetAsync("task-0001"))!, includeCompleted: false);
        var lateRenewal = await first.TryRenewAsync(renewed!);

        Assert.That(renewed!.LeaseExpiresAt, Is.EqualTo(T0.AddMinutes(3)), "renewal extends from the renewal time");
        Assert.That(renewed.Version, Is.EqualTo(3));
        Assert.That(renewed.LeaseCounter, Is.EqualTo(2));
        Assert.That(tooEarly, Is.Null, "the renewed lease is seen for the first time at 2.5 minutes");
        Assert.That(takenOver!.WorkerId, Is.EqualTo("worker-b"));
        Assert.That(takenOver.LeaseExpiresAt, Is.EqualTo(T0.AddMinutes(6.5)), "by the new holder's clock");
        Assert.That(takenOver.LeaseCounter, Is.EqualTo(3));
        Assert.That(lateRenewal, Is.Null, "the first worker lost the task");
        Assert.That((await OpenStore().GetAsync("task-0001"))!.WorkerId, Is.EqualTo("worker-b"));
    }

    /// <summary>Property names and number texts in document order.</summary>
    private static List<string> Shape(JsonElement element)
    {
        var numbers = new List<string>();
        Collect(element);
        return numbers;

        void Collect(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Number:
                    numbers.Add(e.GetRawText());
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Collect(item);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in e.EnumerateObject())
                    {
                        numbers.Add(property.Name);
                        Collect(property.Value);
                    }

                    break;
            }
        }
    }
}
