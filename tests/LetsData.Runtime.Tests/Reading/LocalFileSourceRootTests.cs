using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Reading;

/// <summary>A LocalFiles source reads nothing outside its root: not by "..", not by an absolute name, not through a link.</summary>
[Platform(Exclude = "Win", Reason = "symbolic links need privileges on Windows")]
public class LocalFileSourceRootTests
{
    private string _folder = "";
    private string _root = "";
    private string _outside = "";

    [SetUp]
    public void CreateFolders()
    {
        _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "letsdata-root-tests-" + Guid.NewGuid().ToString("N"))).FullName;
        _root = Directory.CreateDirectory(Path.Combine(_folder, "root")).FullName;
        _outside = Path.Combine(_folder, "secret.txt");
        File.WriteAllText(_outside, "not for the plugin");
        File.WriteAllText(Path.Combine(_root, "inside.txt"), "for the plugin");
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
    }

    [TearDown]
    public void DeleteFolders() => Directory.Delete(_folder, recursive: true);

    [TestCase("../secret.txt")]
    [TestCase("sub/../../secret.txt")]
    public void ANameLeadingOutOfTheRoot_IsRefusedNamingWhereItLeads(string name)
    {
        var source = new LocalFileSource(_root);

        Assert.That(source.Refusal(name), Is.EqualTo($"'{name}' resolves to {_outside}, outside readConnector.rootPath {_root}"));
        var thrown = Assert.ThrowsAsync<InputOutsideRootException>(async () => await source.OpenReadAsync(name, CancellationToken.None))!;
        Assert.That(thrown.Message, Does.Contain(_outside));
    }

    [Test]
    public void AnAbsoluteNameOutsideTheRoot_IsRefused()
    {
        Assert.That(new LocalFileSource(_root).Refusal(_outside), Does.Contain("outside readConnector.rootPath"));
        Assert.That(new LocalFileSource(_root).Refusal("/etc/passwd"), Does.Contain("resolves to /etc/passwd, outside"));
    }

    [Test]
    public void ALinkInsideTheRootToAFileOutside_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "link.txt"), _outside);
        Directory.CreateSymbolicLink(Path.Combine(_root, "linkdir"), _folder);
        var source = new LocalFileSource(_root);

        Assert.That(source.Refusal("link.txt"), Does.Contain($"resolves to {_outside}"));
        Assert.That(source.Refusal("linkdir/secret.txt"), Does.Contain($"resolves to {_outside}"));
        Assert.ThrowsAsync<InputOutsideRootException>(async () => await source.OpenReadAsync("linkdir/secret.txt", CancellationToken.None));
    }

    [Test]
    public async Task NamesThatStayInside_AreRead_AbsoluteOrThroughALinkOrARootThatIsALink()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "sub", "alias.txt"), Path.Combine(_root, "inside.txt"));
        var rootLink = Path.Combine(_folder, "root-link");
        Directory.CreateSymbolicLink(rootLink, _root);

        foreach (var (root, name) in new[] { (_root, "inside.txt"), (_root, "sub/../inside.txt"), (_root, Path.Combine(_root, "inside.txt")),
                     (_root, "sub/alias.txt"), (rootLink, "inside.txt") })
        {
            var source = new LocalFileSource(root);
            Assert.That(source.Refusal(name), Is.Null, name);
            await using var stream = await source.OpenReadAsync(name, CancellationToken.None);
            Assert.That(await new StreamReader(stream).ReadToEndAsync(), Is.EqualTo("for the plugin"), name);
        }
    }

    [Test]
    public async Task AnEscapingName_FailsOnlyItsTask()
    {
        File.Copy(TestData.PathOf("whirlwind.warc.gz"), Path.Combine(_root, "good.warc.gz"));
        var parser = new RecordingParser("WARC", "WARC/1.0\r\n", "WARC/1.0\r\n");

        var run = await EngineRun.RunAsync(new SingleFileReaderBinding("local", () => parser), new LocalFileSource(_root),
            EngineRun.OneTaskPerFile("good.warc.gz", "../secret.txt"));

        Assert.That(run.Task("task-0001").Status, Is.EqualTo(DataTaskStatus.Completed));
        Assert.That(run.Task("task-0002").Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(run.Task("task-0002").ErrorMessage, Does.Contain("outside readConnector.rootPath"));
        Assert.That(run.Task("task-0002").Counters.BytesRead, Is.Zero);
    }
}
