using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.State;

/// <summary>Static sharding: one owner per task for any shard count, stable values, rough balance, and where the shard comes from.</summary>
public class TaskShardTests
{
    private static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

    private static readonly string[] Ids = Enumerable.Range(0, 10_000).Select(i => $"task-{i:D5}").ToArray();

    [Test]
    public void EveryTask_IsOwnedByExactlyOneShard_ForOneToEightShards()
    {
        for (var count = 1; count <= 8; count++)
        {
            var shards = Enumerable.Range(0, count).Select(i => new TaskShard(i, count)).ToList();
            foreach (var id in Ids)
            {
                var owners = shards.Count(s => s.Owns(id));
                Assert.That(owners, Is.EqualTo(1), $"{id} over {count} shards");
            }
        }
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(8)]
    [TestCase(16)]
    public void Shards_AreRoughlyBalanced(int count)
    {
        var perShard = Ids.GroupBy(id => TaskShard.ShardOf(id, count)).ToDictionary(g => g.Key, g => g.Count());

        var mean = Ids.Length / (double)count;
        Assert.That(perShard.Keys, Is.EquivalentTo(Enumerable.Range(0, count)));
        Assert.That(perShard.Values, Is.All.InRange((int)(mean * 0.9), (int)(mean * 1.1)), string.Join(", ", perShard.OrderBy(p => p.Key)));
    }

    [Test]
    public void TheHash_IsFixed_SoWorkersOfAnyBuildAgree()
    {
        // Values from an independent implementation of the same definition (FNV-1a 64 over UTF-8, MurmurHash3 fmix64).
        // A change here reassigns tasks between workers of different versions: that must be deliberate.
        Assert.That(TaskShard.StableHash(""), Is.EqualTo(0xefd01f60ba992926UL));
        Assert.That(TaskShard.StableHash("task-0001"), Is.EqualTo(0x596052b89c966b06UL));
        Assert.That(TaskShard.StableHash("ü"), Is.EqualTo(0x9a8fa3aaaa09fd21UL), "hashed as UTF-8");
        Assert.That(Enumerable.Range(0, 8).Select(i => TaskShard.ShardOf($"task-{i:D4}", 4)), Is.EqualTo(new[] { 1, 2, 1, 3, 3, 3, 1, 2 }));
    }

    [Test]
    public void Owning_DependsOnTheIdOnly_NotOnOrder()
    {
        var shard = new TaskShard(1, 3);
        var forward = Ids.Where(shard.Owns).ToHashSet();
        var backward = Ids.Reverse().Where(new TaskShard(1, 3).Owns).ToHashSet();

        Assert.That(backward.SetEquals(forward), Is.True);
    }

    [TestCase(0, 0)]
    [TestCase(-1, 2)]
    [TestCase(2, 2)]
    public void AnImpossibleShard_CannotBeMade(int index, int count) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TaskShard(index, count));

    [Test]
    public void NothingGiven_IsNotSharded()
    {
        var problems = new List<string>();

        Assert.That(TaskShard.Resolve(null, null, NoEnvironment, problems), Is.Null);
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void ExplicitOptions_Win_OverTheEnvironment()
    {
        var problems = new List<string>();
        var environment = Env(("JOB_COMPLETION_INDEX", "5"), ("AWS_BATCH_JOB_ARRAY_INDEX", "6"), ("LETSDATA_SHARD_COUNT", "9"));

        var shard = TaskShard.Resolve(1, 3, environment, problems);

        Assert.That(problems, Is.Empty);
        Assert.That(shard, Is.EqualTo(new TaskShard(1, 3)));
    }

    [Test]
    public void AKubernetesIndexedJob_GivesTheIndex_TheOptionTheCount()
    {
        var problems = new List<string>();

        var shard = TaskShard.Resolve(null, 4, Env(("JOB_COMPLETION_INDEX", "3"), ("AWS_BATCH_JOB_ARRAY_INDEX", "1")), problems);

        Assert.That(problems, Is.Empty);
        Assert.That(shard, Is.EqualTo(new TaskShard(3, 4)), "JOB_COMPLETION_INDEX comes first");
    }

    [Test]
    public void AnAwsBatchArrayJob_GivesTheIndex_TheVariableTheCount()
    {
        var problems = new List<string>();

        var shard = TaskShard.Resolve(null, null, Env(("AWS_BATCH_JOB_ARRAY_INDEX", "2"), ("LETSDATA_SHARD_COUNT", "5")), problems);

        Assert.That(problems, Is.Empty);
        Assert.That(shard, Is.EqualTo(new TaskShard(2, 5)));
        Assert.That(shard!.ToString(), Is.EqualTo("shard 2 of 5"));
    }

    [Test]
    public void AnEmptyVariable_CountsAsNotSet()
    {
        var problems = new List<string>();

        var shard = TaskShard.Resolve(null, 2, Env(("JOB_COMPLETION_INDEX", ""), ("AWS_BATCH_JOB_ARRAY_INDEX", "1")), problems);

        Assert.That(problems, Is.Empty);
        Assert.That(shard, Is.EqualTo(new TaskShard(1, 2)));
    }

    [TestCase(2, null, new string[0], "--shard-index 2 gives a shard index but no shard count")]
    [TestCase(null, null, new[] { "JOB_COMPLETION_INDEX", "4" }, "JOB_COMPLETION_INDEX=4 gives a shard index but no shard count")]
    [TestCase(null, null, new[] { "AWS_BATCH_JOB_ARRAY_INDEX", "7" }, "AWS_BATCH_JOB_ARRAY_INDEX=7 gives a shard index but no shard count")]
    [TestCase(null, 4, new string[0], "--shard-count 4 gives a shard count but no shard index")]
    [TestCase(null, null, new[] { "LETSDATA_SHARD_COUNT", "4" }, "LETSDATA_SHARD_COUNT=4 gives a shard count but no shard index")]
    [TestCase(0, 0, new string[0], "--shard-count 0: the shard count must be at least 1")]
    [TestCase(null, null, new[] { "JOB_COMPLETION_INDEX", "0", "LETSDATA_SHARD_COUNT", "-2" }, "LETSDATA_SHARD_COUNT=-2: the shard count must be at least 1")]
    [TestCase(3, 3, new string[0], "--shard-index 3: the shard index must be from 0 to 2")]
    [TestCase(-1, 3, new string[0], "--shard-index -1: the shard index must be from 0 to 2")]
    [TestCase(null, 2, new[] { "AWS_BATCH_JOB_ARRAY_INDEX", "2" }, "AWS_BATCH_JOB_ARRAY_INDEX=2: the shard index must be from 0 to 1 (shard count 2 from --shard-count)")]
    [TestCase(null, 2, new[] { "JOB_COMPLETION_INDEX", "one" }, "JOB_COMPLETION_INDEX=one: not a whole number")]
    [TestCase(1, null, new[] { "LETSDATA_SHARD_COUNT", "4x" }, "LETSDATA_SHARD_COUNT=4x: not a whole number")]
    public void AnUnusableShard_IsOneProblem_NamingWhereItCameFrom(int? index, int? count, string[] variables, string expected)
    {
        var problems = new List<string> { "an earlier problem" };
        var environment = Env(variables.Chunk(2).Select(pair => (pair[0], (string?)pair[1])).ToArray());

        var shard = TaskShard.Resolve(index, count, environment, problems);

        Assert.That(shard, Is.Null);
        Assert.That(problems, Has.Count.EqualTo(2));
        Assert.That(problems[1], Does.StartWith(expected));
    }

    private static Dictionary<string, string?> Env(params (string Name, string? Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);
}
