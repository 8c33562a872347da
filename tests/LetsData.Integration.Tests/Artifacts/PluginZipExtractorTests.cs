using LetsData.Runtime.Plugins.Artifacts;

namespace LetsData.Integration.Tests.Artifacts;

/// <summary>Unpacking plugin zips: what lands where, and what is refused. No emulator involved.</summary>
public class PluginZipExtractorTests
{
    private string _directory = "";

    private string Destination => Path.Combine(_directory, "unpacked");

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("letsdata-zip-tests-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void UnpacksFilesAndSubfolders()
    {
        var zip = TestZips.Write(Path.Combine(_directory, "p.zip"), ("P.dll", "dll"), ("runtimes/linux/native.so", "so"));

        PluginZipExtractor.Extract(zip, Destination, PluginZipLimits.Default);

        Assert.That(File.ReadAllText(Path.Combine(Destination, "P.dll")), Is.EqualTo("dll"));
        Assert.That(File.ReadAllText(Path.Combine(Destination, "runtimes", "linux", "native.so")), Is.EqualTo("so"));
    }

    [TestCase("../evil")]
    [TestCase("plugin/../../evil")]
    [TestCase("/tmp/evil")]
    [TestCase("..\\evil")]
    [TestCase("C:/evil")]
    public void RefusesAnEntryThatEscapesTheFolder(string entryName)
    {
        var zip = TestZips.Write(Path.Combine(_directory, "evil.zip"), ("P.dll", "dll"), (entryName, "evil"));

        var e = Assert.Throws<UnsafePluginZipException>(() => PluginZipExtractor.Extract(zip, Destination, PluginZipLimits.Default));

        Assert.That(e!.Message, Does.Contain(entryName).And.Contain("outside the plugin folder"));
        Assert.That(File.Exists(Path.Combine(_directory, "evil")), Is.False);
        Assert.That(Directory.EnumerateFileSystemEntries(Destination), Is.Empty, "nothing is written before every name is checked");
    }

    [Test]
    public void RefusesMoreEntriesThanTheLimit()
    {
        var zip = TestZips.Write(Path.Combine(_directory, "many.zip"), Enumerable.Range(0, 4).Select(i => ($"f{i}.txt", "x")).ToArray());

        var e = Assert.Throws<UnsafePluginZipException>(() => PluginZipExtractor.Extract(zip, Destination, new PluginZipLimits { MaxEntries = 3 }));

        Assert.That(e!.Message, Does.Contain("4 entries").And.Contain("limit of 3"));
    }

    [Test]
    public void RefusesMoreBytesThanTheLimit()
    {
        var zip = TestZips.Write(Path.Combine(_directory, "big.zip"), ("a.txt", new string('a', 600)), ("b.txt", new string('b', 600)));

        var e = Assert.Throws<UnsafePluginZipException>(() => PluginZipExtractor.Extract(zip, Destination, new PluginZipLimits { MaxUncompressedBytes = 1000 }));

        Assert.That(e!.Message, Does.Contain("limit of 1,000 bytes"));
    }

    [Test]
    public void AcceptsExactlyTheLimits()
    {
        var zip = TestZips.Write(Path.Combine(_directory, "fits.zip"), ("a.txt", new string('a', 500)), ("b.txt", new string('b', 500)));

        PluginZipExtractor.Extract(zip, Destination, new PluginZipLimits { MaxEntries = 2, MaxUncompressedBytes = 1000 });

        Assert.That(Directory.GetFiles(Destination), Has.Length.EqualTo(2));
    }

    [Test]
    public void RefusesAFileThatIsInTheZipTwice()
    {
        var zip = TestZips.Write(Path.Combine(_directory, "twice.zip"), ("P.dll", "one"), ("./P.dll", "two"));

        var e = Assert.Throws<UnsafePluginZipException>(() => PluginZipExtractor.Extract(zip, Destination, PluginZipLimits.Default));

        Assert.That(e!.Message, Does.Contain("more than once"));
    }

    [Test]
    public void AFileThatIsNotAZipIsInvalidData()
    {
        var notZip = Path.Combine(_directory, "plugin.zip");
        File.WriteAllText(notZip, "this is a text file, not a zip archive");

        Assert.Throws<InvalidDataException>(() => PluginZipExtractor.Extract(notZip, Destination, PluginZipLimits.Default));
    }
}
