using LetsData.Runtime.Plugins.Reload;

namespace LetsData.Runtime.Tests.Plugins.Reload;

[TestFixture]
public sealed class OrphanedShadowCopiesTests
{
    [Test]
    public void Remove_DeletesTheFoldersOfProcessesThatAreGone_AndKeepsTheRest()
    {
        var parent = Path.Combine(Path.GetTempPath(), "letsdata-reload-tests", Guid.NewGuid().ToString("N"));
        // Above the default pid_max of Linux (4194304) and any Windows pid in practice: no such process.
        var gone = Directory.CreateDirectory(Path.Combine(parent, "2147483000-deadbeef", "Plugin-v1-0000")).Parent!.FullName;
        var mine = Directory.CreateDirectory(Path.Combine(parent, $"{Environment.ProcessId}-cafebabe")).FullName;
        var notOurs = Directory.CreateDirectory(Path.Combine(parent, "something-else")).FullName;
        try
        {
            OrphanedShadowCopies.Remove(parent);

            Assert.Multiple(() =>
            {
                Assert.That(gone, Does.Not.Exist);
                Assert.That(mine, Does.Exist, "a running worker's copies stay");
                Assert.That(notOurs, Does.Exist, "a folder not named <pid>-... is left alone");
            });
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
