using System.Text;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.Writing;

/// <summary>A task's outputs carry its id and its input file's stem; stream tasks keep the id; a resume finds the same file.</summary>
public class TaskOutputNameTests
{
    private string _directory = "";

    [SetUp]
    public void CreateFolder() => _directory = Directory.CreateTempSubdirectory("letsdata-output-name-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_directory, recursive: true);

    private static DataTaskDefinition FileTask(string id, params ManifestFileRef[] files) => new(id, 1, "line", files);

    [TestCase("events.log", ExpectedResult = "task-0001.events")]
    [TestCase("whirlwind.warc.gz", ExpectedResult = "task-0001.whirlwind.warc")]
    [TestCase("2024/01/part-7.jsonl", ExpectedResult = "task-0001.part-7")]
    [TestCase(@"logs\a.log", ExpectedResult = "task-0001.a")]
    [TestCase("wéird name?.log", ExpectedResult = "task-0001.w_ird_name_")]
    [TestCase(".hidden", ExpectedResult = "task-0001")]
    [TestCase("noextension", ExpectedResult = "task-0001.noextension")]
    public string AFileTask_IsNamedByItsIdAndItsInputFilesStem(string fileName) =>
        TaskOutputName.Of(FileTask("task-0001", new ManifestFileRef(null, fileName)));

    [Test]
    public void AMultipleFileTask_IsNamedByItsFirstFile() =>
        Assert.That(TaskOutputName.Of(FileTask("task-0002", new ManifestFileRef("WARC", "a.warc.gz"), new ManifestFileRef("WAT", "a.warc.wat.gz"))),
            Is.EqualTo("task-0002.a.warc"));

    [Test]
    public void AVeryLongFileName_GivesAStemOf80Characters() =>
        Assert.That(TaskOutputName.Of(FileTask("task-0001", new ManifestFileRef(null, new string('x', 300) + ".log"))),
            Is.EqualTo("task-0001." + new string('x', 80)));

    [TestCase(SourcePartitionKind.KinesisShard)]
    [TestCase(SourcePartitionKind.ScanSegment)]
    [TestCase(SourcePartitionKind.QueueReader)]
    public void AStreamTableOrQueueTask_KeepsItsId(SourcePartitionKind kind) =>
        Assert.That(TaskOutputName.Of(new DataTaskDefinition("shardId-000000000001", 0, "", []) { Partition = new SourcePartition(kind, "source", "1") }),
            Is.EqualTo("shardId-000000000001"));

    [Test]
    public void AResumedTask_ContinuesTheSameFile()
    {
        var name = TaskOutputName.Of(FileTask("task-0001", new ManifestFileRef(null, "events.log")));
        string position;
        using (var first = new JsonLinesFile(_directory, name))
        {
            first.WriteLine("{\"n\":1}"u8);
            first.TryCheckpoint(out var checkpoint);
            position = checkpoint!;
            first.WriteLine("{\"n\":2,\"after\":\"the checkpoint\"}"u8);
        }

        var again = TaskOutputName.Of(FileTask("task-0001", new ManifestFileRef(null, "events.log")));
        using (var resumed = new JsonLinesFile(_directory, again, position, formerName: "task-0001"))
        {
            resumed.WriteLine("{\"n\":2}"u8);
            resumed.Complete(succeeded: true);
        }

        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EqualTo(new[] { "task-0001.events.jsonl" }));
        Assert.That(File.ReadAllText(Path.Combine(_directory, "task-0001.events.jsonl")), Is.EqualTo("{\"n\":1}\n{\"n\":2}\n"));
    }

    [TestCase(".jsonl.inprogress")]
    [TestCase(".errored.jsonl")]
    public void ACheckpointOfAnOlderWorker_ContinuesItsTaskIdFile_UnderTheNewName(string olderSuffix)
    {
        const string beforeCheckpoint = "{\"n\":1}\n";
        File.WriteAllText(Path.Combine(_directory, "task-0001" + olderSuffix), beforeCheckpoint + "{\"stale\":true}\n");

        using (var resumed = new JsonLinesFile(_directory, "task-0001.events", Encoding.UTF8.GetByteCount(beforeCheckpoint).ToString(), formerName: "task-0001"))
        {
            resumed.WriteLine("{\"n\":2}"u8);
            resumed.Complete(succeeded: true);
        }

        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EqualTo(new[] { "task-0001.events.jsonl" }));
        Assert.That(File.ReadAllText(Path.Combine(_directory, "task-0001.events.jsonl")), Is.EqualTo(beforeCheckpoint + "{\"n\":2}\n"));
    }

    [Test]
    public void ARerun_ReplacesAnOlderWorkersOutputOfTheTask()
    {
        File.WriteAllText(Path.Combine(_directory, "task-0001.jsonl"), "{\"old\":true}\n");
        File.WriteAllText(Path.Combine(_directory, "task-00010.jsonl"), "{\"another task\":true}\n");

        using (var rerun = new JsonLinesFile(_directory, "task-0001.events", formerName: "task-0001"))
        {
            rerun.WriteLine("{\"n\":1}"u8);
            rerun.Complete(succeeded: true);
        }

        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "task-0001.events.jsonl", "task-00010.jsonl" }));
    }
}
