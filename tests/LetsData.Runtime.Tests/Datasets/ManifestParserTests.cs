using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Tests.Datasets;

public class ManifestParserTests
{
    [Test]
    public void SingleTypeLinesAreFileNamesAndBlankAndCommentLinesAreSkipped()
    {
        var tasks = ManifestParser.Parse("a.warc.gz\n  b.warc.gz  \r\n\n   \n# a comment\n  # indented comment\nc.warc.gz",
            ReaderType.SingleFileReader, "manifest");

        Assert.That(tasks.Select(t => t.TaskId), Is.EqualTo(new[] { "task-0001", "task-0002", "task-0003" }));
        Assert.That(tasks.Select(t => t.LineNumber), Is.EqualTo(new[] { 1, 2, 7 }));
        Assert.That(tasks.Select(t => t.Files.Single()), Is.EqualTo(new[]
        {
            new ManifestFileRef(null, "a.warc.gz"), new ManifestFileRef(null, "b.warc.gz"), new ManifestFileRef(null, "c.warc.gz"),
        }));
        Assert.That(tasks[1].ManifestLine, Is.EqualTo("b.warc.gz"));
    }

    [Test]
    public void MultipleFileLinesAreTypeColonNamePairsWithSpacesTrimmed()
    {
        var tasks = ManifestParser.Parse("# trio\n warc : a.warc.gz | WAT:a.wat.gz|Wet :a.wet.gz \nWARC:b.warc.gz|WAT:b.wat.gz\n",
            ReaderType.MultipleFileStateMachineReader, "manifest");

        Assert.That(tasks, Has.Count.EqualTo(2));
        Assert.That(tasks[0].LineNumber, Is.EqualTo(2));
        Assert.That(tasks[0].Files, Is.EqualTo(new[]
        {
            new ManifestFileRef("warc", "a.warc.gz"), new ManifestFileRef("WAT", "a.wat.gz"), new ManifestFileRef("Wet", "a.wet.gz"),
        }));
        Assert.That(tasks[1].Files, Is.EqualTo(new[] { new ManifestFileRef("WARC", "b.warc.gz"), new ManifestFileRef("WAT", "b.wat.gz") }));
    }

    [Test]
    public void BadLinesAreProblemsNamingTheirLineNumbers()
    {
        var error = Assert.Throws<DatasetConfigException>(() => ManifestParser.Parse(
            "A:a.txt|B:b.txt\n\nno-colon-here\nA:x.txt|:y.txt\nA:1.txt|a:2.txt\nA:ok.txt|B:\n",
            ReaderType.MultipleFileStateMachineReader, "the manifest"))!;

        Assert.That(error.ConfigSource, Is.EqualTo("the manifest"));
        Assert.That(error.Problems, Has.Count.EqualTo(4));
        Assert.That(error.Problems[0], Does.StartWith("line 3:").And.Contain("no-colon-here"));
        Assert.That(error.Problems[1], Does.StartWith("line 4:").And.Contain(":y.txt"));
        Assert.That(error.Problems[2], Does.StartWith("line 5:").And.Contain("twice"));
        Assert.That(error.Problems[3], Does.StartWith("line 6:"));
    }

    [Test]
    public void AManifestWithoutTaskLinesIsAProblem()
    {
        var error = Assert.Throws<DatasetConfigException>(() => ManifestParser.Parse("\n# nothing\n  \n", ReaderType.SingleFileReader, "m"))!;

        Assert.That(error.Problems.Single(), Does.Contain("no task lines"));
    }
}
