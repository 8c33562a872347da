using System.Text.Json;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.State;

/// <summary>The file-backed store: round trips, compare-and-set by version, crash-safe writes, unreadable files.</summary>
public class LocalTaskStoreTests : StateFolderTest
{
    [Test]
    public async Task CreateIfAbsent_StoresVersion1_AndEveryFieldRoundTrips()
    {
        var store = new LocalTaskStore(Folder);
        using var checkpoint = JsonDocument.Parse("""{"offsets":{"WARC":"1234"}}""");
        var record = NewRecord() with
        {
            Status = TaskRecordStatus.Errored,
            Attempts = 2,
            LastError = new TaskLastError("boom (file a, offset 7)", "WARC", "a", "offset", "7"),
            WorkerId = "host:42",
            LeaseExpiresAt = T0.AddMinutes(2),
            StartedAt = T0.AddSeconds(1),
            EndedAt = T0.AddSeconds(2),
            Counters = new TaskRecordCounters(10, 9, 1, 0, 1000, 4000),
            Checkpoint = checkpoint.RootElement.Clone(),
            Version = 77,
        };

        var created = await store.CreateIfAbsentAsync(record);
        var read = await new LocalTaskStore(Folder).GetAsync("task-0001");

        Assert.That(created.Version, Is.EqualTo(1), "the store numbers versions, not the caller");
        Assert.That(read, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(read!.Status, Is.EqualTo(TaskRecordStatus.Errored));
            Assert.That(read.Attempts, Is.EqualTo(2));
            Assert.That(read.LastError, Is.EqualTo(record.LastError));
            Assert.That(read.WorkerId, Is.EqualTo("host:42"));
            Assert.That(read.LeaseExpiresAt, Is.EqualTo(T0.AddMinutes(2)));
            Assert.That(read.Counters, Is.EqualTo(record.Counters));
            Assert.That(read.Reader.SameAs(record.Reader), Is.True);
            Assert.That(read.Checkpoint is { } kept && JsonElement.DeepEquals(kept, checkpoint.RootElement), Is.True, "the checkpoint is kept as it is");
            Assert.That(read.Version, Is.EqualTo(1));
        });
        Assert.That(File.ReadAllText(store.RecordPath("task-0001")), Does.Contain("\"status\": \"ERRORED\""), "statuses are stored by name");
    }

    [Test]
    public async Task ARecordWrittenBeforeWarnings_Loads_AndOneWithoutWarningsWritesNoWarningsField()
    {
        var store = new LocalTaskStore(Folder);
        var path = store.RecordPath("task-0001");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // The shape of a record as the worker wrote it before tasks had warnings.
        File.WriteAllText(path, """
            {
              "dataset": "Demo",
              "taskId": "task-0001",
              "reader": { "readerType": "Single File Reader", "files": { "file": "a.warc.gz" }, "partition": null, "manifestLine": "a.warc.gz" },
              "status": "COMPLETED",
              "attempts": 1,
              "createdAt": "2026-01-02T03:04:05+00:00",
              "counters": { "records": 3, "documents": 3, "errors": 0, "skips": 0, "bytesRead": 10, "bytesScanned": 10 },
              "version": 4
            }
            """);

        var old = await store.GetAsync("task-0001");
        await store.UpdateAsync(old! with { Attempts = 2 });

        Assert.That(old!.Status, Is.EqualTo(TaskRecordStatus.Completed));
        Assert.That(old.Warnings, Is.Null);
        Assert.That(File.ReadAllText(path), Does.Not.Contain("warnings"), "no field for what a task does not have");
    }

    [Test]
    public async Task CreateIfAbsent_KeepsAnExistingRecord()
    {
        var store = new LocalTaskStore(Folder);
        var first = await store.CreateIfAbsentAsync(NewRecord());
        await store.UpdateAsync(first with { Status = TaskRecordStatus.Completed });

        var again = await store.CreateIfAbsentAsync(NewRecord());

        Assert.That(again.Status, Is.EqualTo(TaskRecordStatus.Completed));
        Assert.That(again.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task Update_WithTheStoredVersion_WritesAndIncrements()
    {
        var store = new LocalTaskStore(Folder);
        var v1 = await store.CreateIfAbsentAsync(NewRecord());

        var v2 = await store.UpdateAsync(v1 with { Attempts = 1 });

        Assert.That(v2.Version, Is.EqualTo(2));
        Assert.That((await store.GetAsync("task-0001"))!.Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task Update_WithAStaleVersion_ConflictsAndLeavesTheRecordAlone()
    {
        var store = new LocalTaskStore(Folder);
        var v1 = await store.CreateIfAbsentAsync(NewRecord());
        await store.UpdateAsync(v1 with { WorkerId = "first:1" });

        var conflict = Assert.ThrowsAsync<TaskConflictException>(() => store.UpdateAsync(v1 with { WorkerId = "second:2" }));

        Assert.That(conflict!.StoredVersion, Is.EqualTo(2));
        Assert.That(conflict.ExpectedVersion, Is.EqualTo(1));
        Assert.That((await store.GetAsync("task-0001"))!.WorkerId, Is.EqualTo("first:1"), "the second writer did not overwrite");
    }

    [Test]
    public void Update_OfAMissingRecord_Conflicts()
    {
        var store = new LocalTaskStore(Folder);

        Assert.ThrowsAsync<TaskConflictException>(() => store.UpdateAsync(NewRecord() with { Version = 1 }));
    }

    [Test]
    public async Task ConcurrentUpdates_FromTheSameVersion_ExactlyOneWins()
    {
        var store = new LocalTaskStore(Folder);
        var v1 = await store.CreateIfAbsentAsync(NewRecord());

        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            // Separate store objects: as separate processes would, they share only the files.
            try
            {
                await new LocalTaskStore(Folder).UpdateAsync(v1 with { WorkerId = $"w:{i}" });
                return true;
            }
            catch (TaskConflictException)
            {
                return false;
            }
        })).ToList();
        var wins = (await Task.WhenAll(attempts)).Count(won => won);

        Assert.That(wins, Is.EqualTo(1));
        Assert.That((await store.GetAsync("task-0001"))!.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task ALeftoverTempFile_IsIgnored_ThePreviousRecordIsIntact_AndTheNextWriteRemovesIt()
    {
        var store = new LocalTaskStore(Folder);
        var v1 = await store.CreateIfAbsentAsync(NewRecord());
        // What a crash between writing the temp file and renaming it leaves: half a record under a temp name.
        var full = File.ReadAllText(store.RecordPath("task-0001"));
        var leftover = store.RecordPath("task-0001") + ".0123456789abcdef.tmp";
        File.WriteAllText(leftover, full[..(full.Length / 2)]);

        var listed = await store.ListAsync();
        var read = await store.GetAsync("task-0001");

        Assert.That(listed.Select(r => r.TaskId), Is.EqualTo(new[] { "task-0001" }));
        Assert.That(read!.Version, Is.EqualTo(1));
        Assert.That(read.Reader.SameAs(v1.Reader), Is.True);

        await store.UpdateAsync(read with { Attempts = 1 });
        Assert.That(File.Exists(leftover), Is.False, "the next write of the task cleans up");
        Assert.That((await store.GetAsync("task-0001"))!.Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task ATruncatedRecord_IsAClearErrorNamingTheFile_NeverNoRecord()
    {
        var store = new LocalTaskStore(Folder);
        await store.CreateIfAbsentAsync(NewRecord());
        var path = store.RecordPath("task-0001");
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..(text.Length / 2)]);

        var error = Assert.ThrowsAsync<TaskStoreException>(() => store.GetAsync("task-0001"));
        Assert.That(error!.Message, Does.Contain(path).And.Contain("truncated or corrupted"));
        Assert.ThrowsAsync<TaskStoreException>(() => store.CreateIfAbsentAsync(NewRecord()), "registration does not overwrite it either");
        Assert.ThrowsAsync<TaskStoreException>(() => store.ListAsync());
    }

    [Test]
    public async Task AWriterHoldingTheTaskLock_MakesTheOtherWaitThenFail()
    {
        var store = new LocalTaskStore(Folder, lockTimeout: TimeSpan.FromMilliseconds(50));
        var v1 = await store.CreateIfAbsentAsync(NewRecord());
        var lockPath = Path.Combine(Folder, "tasks", "task-0001.lock");

        using (new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var error = Assert.ThrowsAsync<TaskStoreException>(() => store.UpdateAsync(v1 with { Attempts = 1 }));
            Assert.That(error!.Message, Does.Contain(lockPath));
        }

        Assert.That((await store.UpdateAsync(v1 with { Attempts = 1 })).Version, Is.EqualTo(2), "free again once released");
    }

    [TestCase("../escape")]
    [TestCase("a/b")]
    [TestCase("")]
    [TestCase(".hidden")]
    public void TaskIdsThatCannotNameAFile_AreRefused(string taskId)
    {
        var store = new LocalTaskStore(Folder);

        Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync(taskId));
    }

    [Test]
    public async Task List_IsOrderedByTaskId_AndEmptyWithoutAFolder()
    {
        Assert.That(await new LocalTaskStore(Path.Combine(Folder, "none")).ListAsync(), Is.Empty);
        var store = new LocalTaskStore(Folder);
        await store.CreateIfAbsentAsync(NewRecord("task-0002"));
        await store.CreateIfAbsentAsync(NewRecord("task-0001"));

        Assert.That((await store.ListAsync()).Select(r => r.TaskId), Is.EqualTo(new[] { "task-0001", "task-0002" }));
    }
}
