using System.Net;
using LetsData.Runtime.Aws.Kinesis;

namespace LetsData.Runtime.Tests.Kinesis;

public class KinesisListShardsTests
{
    [Test]
    public async Task ListShards_follows_NextToken_without_the_stream_name_which_the_API_refuses_with_a_token()
    {
        using var fake = new FakeKinesis
        {
            Respond = (request, index) => FakeKinesis.Json(HttpStatusCode.OK, index == 0
                ? """{"Shards":[{"ShardId":"shardId-0","SequenceNumberRange":{"StartingSequenceNumber":"1","EndingSequenceNumber":"5"}}],"NextToken":"page-2"}"""
                : """{"Shards":[{"ShardId":"shardId-1","ParentShardId":"shardId-0","SequenceNumberRange":{"StartingSequenceNumber":"6"}}]}"""),
        };
        using var client = fake.NewClient();

        var shards = await client.ListShardsAsync("in");

        Assert.That(shards, Is.EqualTo(new[]
        {
            new KinesisShard("shardId-0", null, null, "1", "5"),
            new KinesisShard("shardId-1", "shardId-0", null, "6", null),
        }));
        var bodies = fake.Requests.Select(r => r.Json.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}").ToArray()).ToList();
        Assert.That(bodies, Is.EqualTo(new[] { new[] { "StreamName=in" }, new[] { "NextToken=page-2" } }));
    }
}
