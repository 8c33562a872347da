using LetsData.Runtime.Plugins.Artifacts;

namespace LetsData.Integration.Tests.Artifacts;

/// <summary>Which assembly in an unpacked zip is the plugin. No emulator involved.</summary>
public class PluginFolderLayoutTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("letsdata-layout-tests-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestCase("")]
    [TestCase("MyPlugin/")]
    public void TheDepsJsonOwnerAtTheRootOrInTheOneTopFolderIsThePlugin(string folder)
    {
        Unpack(TestZips.FakePlugin("MyPlugin", folder));

        var main = PluginFolderLayout.FindMainAssembly(_directory, null);

        Assert.That(main, Is.EqualTo(Path.Combine(_directory, folder, "MyPlugin.dll")));
    }

    [Test]
    public void TheNamedAssemblyWinsOverTheDepsJsonRule()
    {
        Unpack([.. TestZips.FakePlugin("One"), .. TestZips.FakePlugin("Two")]);

        Assert.That(PluginFolderLayout.FindMainAssembly(_directory, "Two.dll"), Is.EqualTo(Path.Combine(_directory, "Two.dll")));
    }

    [Test]
    public void SeveralDepsJsonOwnersAskForTheName()
    {
        Unpack([.. TestZips.FakePlugin("One"), .. TestZips.FakePlugin("Two")]);

        var e = Assert.Throws<NoPluginException>(() => PluginFolderLayout.FindMainAssembly(_directory, null));

        Assert.That(e!.Message, Does.Contain("One.dll, Two.dll").And.Contain("#Name.dll"));
    }

    [Test]
    public void NoDepsJsonOwnerIsNoPlugin()
    {
        Unpack(("Lonely.dll", "dll"), ("readme.txt", "hi"));

        var e = Assert.Throws<NoPluginException>(() => PluginFolderLayout.FindMainAssembly(_directory, null));

        Assert.That(e!.Message, Does.StartWith("no plugin DLL inside").And.Contain("Lonely.dll, readme.txt"));
    }

    [Test]
    public void ANamedAssemblyThatIsNotThereIsNoPlugin()
    {
        Unpack(TestZips.FakePlugin("One"));

        var e = Assert.Throws<NoPluginException>(() => PluginFolderLayout.FindMainAssembly(_directory, "Other.dll"));

        Assert.That(e!.Message, Does.Contain("Other.dll is not in the zip"));
    }

    [Test]
    public void TwoTopFoldersAreNotOnePluginFolder()
    {
        Unpack([.. TestZips.FakePlugin("One", "a/"), .. TestZips.FakePlugin("Two", "b/")]);

        Assert.That(PluginFolderLayout.PluginFolder(_directory), Is.EqualTo(_directory));
        Assert.Throws<NoPluginException>(() => PluginFolderLayout.FindMainAssembly(_directory, null));
    }

    private void Unpack(params (string Name, string Text)[] entries)
    {
        var zip = TestZips.Write(Path.Combine(Path.GetTempPath(), $"letsdata-layout-{Guid.NewGuid():N}.zip"), entries);
        try
        {
            PluginZipExtractor.Extract(zip, _directory, PluginZipLimits.Default);
        }
        finally
        {
            File.Delete(zip);
        }
    }
}
