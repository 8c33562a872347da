using LetsData.Runtime.Aws.Kinesis;
using LetsData.Runtime.Reading.Kinesis;

namespace LetsData.Integration.Tests.Kinesis;

/// <summary>Test helpers over kinesalite: fresh streams, and reading a whole stream back.</summary>
internal static class KinesisStreams
{
    /// <summary>A client from the standard chain: the emulator fixture has put endpoint, region and keys in the environment.</summary>
    public static KinesisClient NewClient() => KinesisClient.Create();

    public static async Task<string> CreateAsync(KinesisClient client, int shards)
    {
        var name = $"letsdata-{Guid.NewGuid().ToString("N")[..12]}";
        await client.CreateStreamAsync(name, shards);
        return name;
    }

    /// <summary>Every record of every shard, from the oldest, shard by shard.</summary>
    public static async Task<List<KinesisRecord>> ReadAllAsync(KinesisClient client, string stream)
    {
        var source = new KinesisRecordSource(client, stream, KinesisStartPosition.Earliest, continuous: false);
        var all = new List<KinesisRecord>();
        foreach (var shard in (await source.ListShardsAsync(CancellationToken.None)).ShardIds)
        {
            all.AddRange(await ReadShardAsync(source.OpenShard(shard)));
        }

        return all;
    }

    /// <summary>Reads a shard until its reader says it is done (bounded, so a reader that never stops fails the test).</summary>
    public static async Task<List<KinesisRecord>> ReadShardAsync(IKinesisShardReader reader)
    {
        await using (reader)
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var records = new List<KinesisRecord>();
            while (await reader.ReadAsync(records, guard.Token))
            {
            }

            return records;
        }
    }
}
