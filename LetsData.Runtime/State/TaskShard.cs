namespace LetsData.Runtime.State;

/// <summary>Placeholder until the static sharding lands: shard <see cref="Index"/> of <see cref="Count"/>.</summary>
public sealed record TaskShard(int Index, int Count)
{
    public bool Owns(string taskId) => true;
}
