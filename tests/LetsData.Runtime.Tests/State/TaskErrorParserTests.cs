using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.State;

/// <summary>File and position read out of the engine's task error messages; the message is always kept.</summary>
public class TaskErrorParserTests
{
    [Test]
    public void APluginThrow_NamesFileTypeAndOffset()
    {
        const string Message = "plugin P threw in IMultipleFileStateMachineReader.ParseDocument (file x y.wat.gz, type WAT, offset 99): Exception: (nested) text";

        Assert.That(TaskErrorParser.Parse(Message), Is.EqualTo(new TaskLastError(Message, "WAT", "x y.wat.gz", "offset", "99")));
    }

    [Test]
    public void UnusableInput_NamesFileAndOffset()
    {
        const string Message = "/data/in put/bad.warc.gz at offset 4096: corrupt or truncated compressed data: unexpected end";

        Assert.That(TaskErrorParser.Parse(Message), Is.EqualTo(new TaskLastError(Message, null, "/data/in put/bad.warc.gz", "offset", "4096")));
    }

    [Test]
    public void ARecordOverTheCeiling_NamesFileAndTheRecordsStart()
    {
        const string Message = "/data/a.warc: record at offset 817 is larger than maxRecordBytes 100 (no end hint found within it)";

        Assert.That(TaskErrorParser.Parse(Message), Is.EqualTo(new TaskLastError(Message, null, "/data/a.warc", "offset", "817")));
    }

    [Test]
    public void AKinesisRecord_NamesShardAndSequenceNumber()
    {
        const string Message = "plugin P threw in IKinesisRecordReader.ParseMessage (Kinesis shard shardId-000000000001, sequence number 4962): X: y";

        Assert.That(TaskErrorParser.Parse(Message),
            Is.EqualTo(new TaskLastError(Message, null, "shardId-000000000001", "sequence number", "4962")));
    }

    [Test]
    public void AMessageWithoutAPlace_IsKeptAlone()
    {
        const string Message = "cancelled before it finished";

        Assert.That(TaskErrorParser.Parse(Message), Is.EqualTo(new TaskLastError(Message, null, null, null, null)));
    }
}
