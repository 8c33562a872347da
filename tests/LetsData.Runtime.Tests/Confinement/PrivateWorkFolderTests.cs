using LetsData.Runtime.Confinement;

namespace LetsData.Runtime.Tests.Confinement;

/// <summary>The working folder for plugin copies is this user's alone, or it is not used.</summary>
[Platform(Exclude = "Win", Reason = "Unix owners and modes")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PrivateWorkFolderTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private string _parent = "";

    [SetUp]
    public void CreateParent() =>
        _parent = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "letsdata-private-tests-" + Guid.NewGuid().ToString("N"))).FullName;

    [TearDown]
    public void DeleteParent() => Directory.Delete(_parent, recursive: true);

    [Test]
    public void ANewFolder_IsCreatedOwnerOnly()
    {
        var folder = PrivateWorkFolder.Open(Path.Combine(_parent, "work"));

        Assert.That(File.GetUnixFileMode(folder), Is.EqualTo(OwnerOnly));
        Assert.That(FileSystemFacts.OwnerOf(folder), Is.EqualTo(FileSystemFacts.EffectiveUserId));
    }

    [Test]
    public void AFolderOthersCanUse_IsRefused_NotRepaired()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_parent, "shared")).FullName;
        File.SetUnixFileMode(folder, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var refused = Assert.Throws<IOException>(() => PrivateWorkFolder.Open(folder))!;

        Assert.That(refused.Message, Does.Contain($"the working folder {folder} can be used by other users (mode 755, 700 expected)"));
    }

    [Test]
    public void ALinkToAPrivateFolder_IsRefused()
    {
        var target = PrivateWorkFolder.Open(Path.Combine(_parent, "target"));
        var link = Directory.CreateSymbolicLink(Path.Combine(_parent, "link"), target).FullName;

        Assert.That(Assert.Throws<IOException>(() => PrivateWorkFolder.Open(link))!.Message, Does.Contain("is a symbolic link"));
    }

    [Test]
    public void AFolderAnotherUserCreatedFirst_IsRefused_EvenWithMode700()
    {
        Assume.That(FileSystemFacts.EffectiveUserId, Is.EqualTo(0u), "only root can give a folder to another user; as any other user the owner check is covered by the mode test's owner assertion");
        var folder = PrivateWorkFolder.Open(Path.Combine(_parent, "theirs"));
        File.SetUnixFileMode(folder, OwnerOnly);
        Chown(folder, 65534);

        Assert.That(Assert.Throws<IOException>(() => PrivateWorkFolder.Open(folder))!.Message,
            Does.Contain("belongs to user id 65534, not to this user (0)"));
    }

    [Test]
    public void TheDefaultRoot_IsPrivate() =>
        Assert.That(PrivateWorkFolder.Refusal(PrivateWorkFolder.Root), Is.Null);

    [Test]
    public void IsUnder_ComparesWholePathComponents()
    {
        Assert.That(FileSystemFacts.IsUnder("/data/in/a.warc", "/data/in"), Is.True);
        Assert.That(FileSystemFacts.IsUnder("/data/in", "/data/in/"), Is.True);
        Assert.That(FileSystemFacts.IsUnder("/data/input/a.warc", "/data/in"), Is.False);
        Assert.That(FileSystemFacts.IsUnder("/etc/passwd", "/"), Is.True);
    }

    private static void Chown(string path, int uid)
    {
        using var chown = System.Diagnostics.Process.Start("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path])!;
        chown.WaitForExit();
        Assert.That(chown.ExitCode, Is.Zero, "chown");
    }
}
