using LetsData.Runtime.Aws;
using LetsData.Runtime.Plugins.Artifacts;

namespace LetsData.Integration.Tests.Artifacts;

/// <summary>The plugin cache's folder layout and its atomic commit. No emulator involved.</summary>
public class PluginArtifactCacheTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("letsdata-cache-tests-").FullName;

    [TearDown]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    [Test]
    public void AnEntryIsBucketThenKeyThenETag()
    {
        var cache = new PluginArtifactCache(_root);

        var entry = cache.EntryFolder(new S3ObjectUri("plugins", "team/parser.zip"), "\"0123abcd\"");

        Assert.That(Path.GetFileName(entry), Is.EqualTo("0123abcd"));
        var keyFolder = Path.GetDirectoryName(entry)!;
        Assert.That(Path.GetFileName(keyFolder), Does.StartWith("team_parser.zip-"));
        Assert.That(Path.GetDirectoryName(keyFolder), Is.EqualTo(Path.Combine(_root, "plugins")));
    }

    [Test]
    public void KeysThatSanitiseAlikeGetDifferentFolders()
    {
        var cache = new PluginArtifactCache(_root);

        var slash = cache.EntryFolder(new S3ObjectUri("plugins", "a/b.zip"), "e");
        var underscore = cache.EntryFolder(new S3ObjectUri("plugins", "a_b.zip"), "e");

        Assert.That(slash, Is.Not.EqualTo(underscore));
    }

    [Test]
    public void AnotherETagIsAnotherFolder()
    {
        var cache = new PluginArtifactCache(_root);
        var uri = new S3ObjectUri("plugins", "parser.zip");

        Assert.That(cache.EntryFolder(uri, "one"), Is.Not.EqualTo(cache.EntryFolder(uri, "two")));
    }

    [Test]
    public void AWorkingFolderNeverHasAnEntryName()
    {
        var cache = new PluginArtifactCache(_root);
        var uri = new S3ObjectUri("plugins", "parser.zip");

        var working = cache.CreateWorkingFolder(uri);

        Assert.That(Path.GetDirectoryName(working), Is.EqualTo(Path.GetDirectoryName(cache.EntryFolder(uri, "e"))), "same parent: the rename is atomic");
        Assert.That(Path.GetFileName(working), Does.StartWith(".tmp-"), "an ETag folder name never starts with '.'");
        Assert.That(Path.GetFileName(cache.EntryFolder(uri, ".tmp-x")), Does.Not.StartWith("."));
    }

    [Test]
    public void CommitMovesTheWorkingFolderIntoPlace()
    {
        var cache = new PluginArtifactCache(_root);
        var uri = new S3ObjectUri("plugins", "parser.zip");
        var working = cache.CreateWorkingFolder(uri);
        File.WriteAllText(Path.Combine(working, "P.dll"), "ours");
        var entry = cache.EntryFolder(uri, "e");

        PluginArtifactCache.Commit(working, entry);

        Assert.That(File.ReadAllText(Path.Combine(entry, "P.dll")), Is.EqualTo("ours"));
        Assert.That(Directory.Exists(working), Is.False);
    }

    [Test]
    public void CommitKeepsAnEntryAnotherWorkerFinishedFirst()
    {
        var cache = new PluginArtifactCache(_root);
        var uri = new S3ObjectUri("plugins", "parser.zip");
        var entry = Directory.CreateDirectory(cache.EntryFolder(uri, "e")).FullName;
        File.WriteAllText(Path.Combine(entry, "P.dll"), "theirs");
        var working = cache.CreateWorkingFolder(uri);
        File.WriteAllText(Path.Combine(working, "P.dll"), "ours");

        PluginArtifactCache.Commit(working, entry);

        Assert.That(File.ReadAllText(Path.Combine(entry, "P.dll")), Is.EqualTo("theirs"));
        Assert.That(Directory.Exists(working), Is.False);
    }

    [Test]
    public void TheCommandLineRootWinsOverTheEnvironmentWhichWinsOverTheDefault()
    {
        var before = Environment.GetEnvironmentVariable(PluginArtifactCache.RootVariable);
        var fromEnvironment = Path.Combine(_root, "from-env");
        try
        {
            Environment.SetEnvironmentVariable(PluginArtifactCache.RootVariable, fromEnvironment);
            Assert.That(PluginArtifactCache.Resolve(_root).RootDirectory, Is.EqualTo(_root));
            Assert.That(PluginArtifactCache.Resolve(null).RootDirectory, Is.EqualTo(fromEnvironment));

            Environment.SetEnvironmentVariable(PluginArtifactCache.RootVariable, null);
            Assert.That(PluginArtifactCache.Resolve(null).RootDirectory, Does.EndWith(Path.Combine("letsdata", "plugins")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(PluginArtifactCache.RootVariable, before);
        }
    }
}
