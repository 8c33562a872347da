using LetsData.Runtime.Operations;

namespace LetsData.Runtime.Tests.Operations;

/// <summary>Which keys under an S3 error prefix <c>errors list</c> reads.</summary>
public sealed class S3ErrorRecordsTests
{
    [TestCase("errors/task-0001.jsonl", true)]
    [TestCase("errors/task-0001.errored.jsonl", true)]
    [TestCase("errors/task-0001.jsonl.gz", true)]
    [TestCase("errors/task-0001.errored.jsonl.gz", true)]
    [TestCase("errors/task-0001.jsonl.inprogress-1a2b3c4d-0", false)]
    [TestCase("errors/old/task-0001.jsonl", false)]
    [TestCase("errors/.jsonl", false)]
    [TestCase("errors/task-0001.json", false)]
    [TestCase("other/task-0001.jsonl", false)]
    public void OnlyFinishedTaskObjectsDirectlyUnderThePrefix(string key, bool read) =>
        Assert.That(S3ErrorRecords.IsTaskObject("errors/", key), Is.EqualTo(read));
}
