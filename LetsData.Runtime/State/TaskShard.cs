using System.Globalization;
using System.Text;

namespace LetsData.Runtime.State;

/// <summary>
/// Static sharding of a dataset's tasks over <see cref="Count"/> workers: this worker runs the tasks it
/// <see cref="Owns"/>. The owner of a task depends only on its id and the shard count (a fixed hash of the id's UTF-8
/// bytes, modulo the count), never on the order tasks are listed in, the machine or the .NET version, so workers started
/// independently (a Kubernetes Indexed Job, an AWS Batch array job) split the tasks without talking to each other,
/// and every task has exactly one owner.
/// </summary>
public sealed record TaskShard
{
    /// <summary>The Kubernetes Indexed Job variable holding the pod's completion index.</summary>
    public const string KubernetesIndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>The AWS Batch array job variable holding the child job's index.</summary>
    public const string AwsBatchIndexVariable = "AWS_BATCH_JOB_ARRAY_INDEX";

    /// <summary>The variable that gives the shard count when <c>--shard-count</c> is not passed.</summary>
    public const string CountVariable = "LETSDATA_SHARD_COUNT";

    private const string IndexOption = "--shard-index";
    private const string CountOption = "--shard-count";

    /// <param name="index">This worker's shard, 0 to <paramref name="count"/> − 1.</param>
    /// <param name="count">How many shards the tasks are split into; at least 1.</param>
    public TaskShard(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        Index = index;
        Count = count;
    }

    public int Index { get; }

    public int Count { get; }

    /// <summary>True when the task with <paramref name="taskId"/> belongs to this shard.</summary>
    public bool Owns(string taskId) => ShardOf(taskId, Count) == Index;

    /// <summary>The shard (0 to <paramref name="count"/> − 1) that owns <paramref name="taskId"/>.</summary>
    public static int ShardOf(string taskId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return (int)(StableHash(taskId) % (uint)count);
    }

    /// <summary>
    /// 64-bit FNV-1a over the id's UTF-8 bytes, then the MurmurHash3 finalizer. FNV-1a alone is stable but its low bits
    /// (all a small modulus looks at) mix poorly over ids that differ in one digit; the finalizer spreads every input
    /// bit over them. Part of the on-the-wire contract between workers: changing it reassigns tasks.
    /// </summary>
    public static ulong StableHash(string taskId)
    {
        const ulong offsetBasis = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(taskId))
        {
            hash = (hash ^ b) * prime;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccd;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53;
        hash ^= hash >> 33;
        return hash;
    }

    /// <summary>
    /// The shard this worker runs, or null when the run is not sharded. The index comes from <c>--shard-index</c>
    /// (<paramref name="index"/>), else <c>JOB_COMPLETION_INDEX</c>, else <c>AWS_BATCH_JOB_ARRAY_INDEX</c>; the count
    /// from <c>--shard-count</c> (<paramref name="count"/>), else <c>LETSDATA_SHARD_COUNT</c>. An index without a
    /// count, a count without an index, a count below 1, an index outside 0 to count − 1 or an unparsable variable is
    /// added to <paramref name="problems"/> (naming the option or variable and its value) and null is returned.
    /// </summary>
    /// <param name="index">The value of <c>--shard-index</c>, if given.</param>
    /// <param name="count">The value of <c>--shard-count</c>, if given.</param>
    /// <param name="environment">The process environment (variables that are absent or empty count as not set).</param>
    /// <param name="problems">Where problems are added.</param>
    public static TaskShard? Resolve(int? index, int? count, IReadOnlyDictionary<string, string?> environment, List<string> problems)
    {
        var before = problems.Count;
        var (indexValue, indexSource) = index is not null ? (index, IndexOption)
            : FromEnvironment(environment, problems, KubernetesIndexVariable, AwsBatchIndexVariable);
        var (countValue, countSource) = count is not null ? (count, CountOption) : FromEnvironment(environment, problems, CountVariable);
        if (problems.Count > before)
        {
            return null;
        }

        if (indexValue is null && countValue is null)
        {
            return null;
        }

        if (countValue is not { } shards)
        {
            problems.Add($"{Show(indexSource!, indexValue!.Value)} gives a shard index but no shard count: pass {CountOption} N " +
                $"(the number of workers) or set {CountVariable}");
            return null;
        }

        if (shards < 1)
        {
            problems.Add($"{Show(countSource!, shards)}: the shard count must be at least 1");
            return null;
        }

        if (indexValue is not { } shard)
        {
            problems.Add($"{Show(countSource!, shards)} gives a shard count but no shard index: pass {IndexOption} I, or run as " +
                $"a Kubernetes Indexed Job ({KubernetesIndexVariable}) or an AWS Batch array job ({AwsBatchIndexVariable})");
            return null;
        }

        if (shard < 0 || shard >= shards)
        {
            problems.Add($"{Show(indexSource!, shard)}: the shard index must be from 0 to {shards - 1} (shard count {shards} from {countSource})");
            return null;
        }

        return new TaskShard(shard, shards);
    }

    /// <summary><c>shard I of N</c>, for logs and summaries.</summary>
    public override string ToString() => $"shard {Index.ToString(CultureInfo.InvariantCulture)} of {Count.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The first of <paramref name="variables"/> that is set, with its name.</summary>
    private static (int? Value, string? Source) FromEnvironment(IReadOnlyDictionary<string, string?> environment, List<string> problems,
        params string[] variables)
    {
        foreach (var variable in variables)
        {
            if (!environment.TryGetValue(variable, out var text) || string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return (value, variable);
            }

            problems.Add($"{variable}={text}: not a whole number");
            return (null, variable);
        }

        return (null, null);
    }

    private static string Show(string source, int value) =>
        source.StartsWith("--", StringComparison.Ordinal)
            ? $"{source} {value.ToString(CultureInfo.InvariantCulture)}"
            : $"{source}={value.ToString(CultureInfo.InvariantCulture)}";
}
