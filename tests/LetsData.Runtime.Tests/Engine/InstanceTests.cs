using System.Collections.Concurrent;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Engine;

/// <summary>Stateful plugin classes: one instance per task, used by that task only.</summary>
public class InstanceTests
{
    [Test]
    public async Task TheFactoryIsCalledOncePerTaskAndEachInstanceSeesExactlyItsOwnTasksRecords()
    {
        var names = Enumerable.Range(1, 6).Select(i => $"file{i}.log").ToArray();
        var files = new InMemoryFileSource();
        var expected = new Dictionary<string, List<string>>();
        foreach (var name in names)
        {
            var records = Enumerable.Range(0, 2000).Select(r => $"<r>{name} record {r}").ToList();
            expected[name] = records;
            files.Add(name, TestData.Utf8(string.Join(";", records) + ";"));
        }

        var instances = new ConcurrentBag<RecordingParser>();
        var binding = new SingleFileReaderBinding("Stateful", () =>
        {
            var parser = new RecordingParser("LOG", "<r>", ";");
            instances.Add(parser);
            return parser;
        });

        var run = await EngineRun.RunAsync(binding, files, EngineRun.OneTaskPerFile(names), new EngineOptions { Concurrency = 2 });

        Assert.That(run.Summary.Completed, Is.EqualTo(names.Length));
        Assert.That(instances, Has.Count.EqualTo(names.Length), "one instance per task");
        var seenFiles = new List<string>();
        foreach (var parser in instances)
        {
            var file = parser.Seen[0].FileName;
            seenFiles.Add(file);
            Assert.That(parser.Seen.Select(s => s.FileName), Is.All.EqualTo(file), "an instance reads one task's file only");
            Assert.That(parser.Seen.Select(s => s.Text), Is.EqualTo(expected[file]), $"the instance of {file}");
        }

        Assert.That(seenFiles, Is.EquivalentTo(names));
    }
}
