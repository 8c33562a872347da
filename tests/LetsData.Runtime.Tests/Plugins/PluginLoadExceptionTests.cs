using LetsData.Runtime.Plugins;

namespace LetsData.Runtime.Tests.Plugins;

[TestFixture]
public sealed class PluginLoadExceptionTests
{
    [Test]
    public void Message_NamesFileTypeAndReason()
    {
        var inner = new InvalidOperationException("boom");

        var error = new PluginLoadException("/plugins/P/P.dll", "P.Parser", "constructor threw: boom", inner);

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("/plugins/P/P.dll: P.Parser: constructor threw: boom"));
            Assert.That(error.PluginFile, Is.EqualTo("/plugins/P/P.dll"));
            Assert.That(error.TypeName, Is.EqualTo("P.Parser"));
            Assert.That(error.Reason, Is.EqualTo("constructor threw: boom"));
            Assert.That(error.InnerException, Is.SameAs(inner));
        });
    }

    [Test]
    public void Message_WithoutType_LeavesTheTypePartOut()
    {
        var error = new PluginLoadException("/plugins/P/P.dll", null, "P.deps.json is missing");

        Assert.That(error.Message, Is.EqualTo("/plugins/P/P.dll: P.deps.json is missing"));
    }
}
