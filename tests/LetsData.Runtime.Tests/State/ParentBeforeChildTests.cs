using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading.DynamoDBStreams;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.State;

/// <summary>
/// Tasks with <see cref="DataTaskDefinition.After"/> (a DynamoDB stream's child shards): the ledgers hand one out only
/// once its prerequisites completed, and never when one of them errored.
/// </summary>
public class ParentBeforeChildTests : StateFolderTest
{
    private static readonly DataTaskDefinition Parent = new("shard-parent", 2, "parent", []);
    private static readonly DataTaskDefinition Child = new("shard-child", 1, "child", []) { After = ["shard-parent"] };

    private static Task<StoreTaskLedger> OpenAsync(ITaskStore store, params DataTaskDefinition[] tasks)
    {
        var clock = new ManualTimeProvider(T0);
        return StoreTaskLedger.OpenAsync(store, new TaskLeases(store, "a:1", TimeSpan.FromMinutes(2), clock), "Demo",
            "DynamoDB Streams Record Reader", tasks, new StoreTaskLedgerOptions(), clock);
    }

    [Test]
    public async Task TheStoreLedger_ListedChildFirst_HandsOutTheParent_ThenTheChildOnceTheParentCompleted()
    {
        var store = new LocalTaskStore(Folder);
        await using var ledger = await OpenAsync(store, Child, Parent);

        var first = ledger.TakeNext(CancellationToken.None)!;
        Assert.That(first.Task.TaskId, Is.EqualTo("shard-parent"));
        Assert.That((await store.GetAsync("shard-child"))!.Status, Is.EqualTo(TaskRecordStatus.Created), "not claimed while its parent runs");

        ledger.End(first, Completed("shard-parent"));
        var second = ledger.TakeNext(CancellationToken.None)!;
        Assert.That(second.Task.TaskId, Is.EqualTo("shard-child"));
        ledger.End(second, Completed("shard-child"));
        Assert.That(ledger.TakeNext(CancellationToken.None), Is.Null);
        Assert.That(ledger.TakeOvers, Is.Zero, "a child waited for is no take-over");
        Assert.That(ledger.ExpectedTasks, Is.EqualTo(2));
    }

    [Test]
    public async Task TheStoreLedger_LeavesTheChildOfAnErroredParent_ForALaterRun()
    {
        var store = new LocalTaskStore(Folder);
        await using (var ledger = await OpenAsync(store, Parent, Child))
        {
            var parent = ledger.TakeNext(CancellationToken.None)!;
            ledger.End(parent, Errored("shard-parent", "boom"));

            Assert.That(ledger.TakeNext(CancellationToken.None), Is.Null, "does not wait for a parent that cannot complete");
        }

        Assert.That((await store.GetAsync("shard-child"))!.Status, Is.EqualTo(TaskRecordStatus.Created));
    }

    [Test]
    public void TheFixedLedger_MakesASecondThreadWait_UntilTheParentCompleted()
    {
        var ledger = new FixedTaskLedger([Child, Parent]);
        var parent = ledger.TakeNext(CancellationToken.None)!;
        Assert.That(parent.Task.TaskId, Is.EqualTo("shard-parent"));

        var waiting = Task.Run(() => ledger.TakeNext(CancellationToken.None));
        Assert.That(waiting.Wait(TimeSpan.FromMilliseconds(200)), Is.False, "the child waits while its parent runs");

        ledger.End(parent, Completed("shard-parent"));
        Assert.That(waiting.Result!.Task.TaskId, Is.EqualTo("shard-child"));
    }

    [Test]
    public void TheFixedLedger_DoesNotRunTheChildOfAnErroredParent()
    {
        var ledger = new FixedTaskLedger([Parent, Child]);
        var parent = ledger.TakeNext(CancellationToken.None)!;
        ledger.End(parent, Errored("shard-parent", "boom"));

        Assert.That(ledger.TakeNext(CancellationToken.None), Is.Null);
    }

    [Test]
    public void TheFixedLedger_RunsAChildAlone_WhenItsParentIsNotInTheList()
    {
        var ledger = new FixedTaskLedger([Child]);

        Assert.That(ledger.TakeNext(CancellationToken.None)?.Task.TaskId, Is.EqualTo("shard-child"));
    }

    [Test]
    public async Task StreamTasks_ListParentsBeforeChildren_EachChildAfterItsParent_AndAnUnlistedParentIsNoPrerequisite()
    {
        var source = new ListedShards(new DynamoDBStreamDescription("arn:aws:dynamodb:us-east-1:1:table/t/stream/x", "ENABLED", "NEW_IMAGE", "t",
        [
            new DynamoDBStreamShard("c", "b", "30", null),
            new DynamoDBStreamShard("b", "a", "20", "29"),
            new DynamoDBStreamShard("a", "trimmed", "10", "19"),
        ]));

        var tasks = await PartitionTasks.ForDynamoDBStreamAsync(source, CancellationToken.None);

        Assert.That(tasks.Select(t => t.TaskId), Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(tasks.Select(t => string.Join(",", t.After)), Is.EqualTo(new[] { "", "a", "b" }));
        Assert.That(tasks.Select(t => t.Partition), Has.All.Property("Kind").EqualTo(SourcePartitionKind.DynamoDBStreamShard));
    }

    private sealed class ListedShards(DynamoDBStreamDescription description) : IDynamoDBStreamSource
    {
        public string Describe() => "listed shards";

        public Task<DynamoDBStreamDescription> DescribeAsync(CancellationToken cancellationToken) => Task.FromResult(description);

        public IDynamoDBStreamShardReader OpenShard(string shardId, string? afterSequenceNumber = null) => throw new NotSupportedException();
    }
}
