using LetsData.Runtime.Aws;
using LetsData.Runtime.Plugins.Artifacts;

namespace LetsData.Integration.Tests.Artifacts;

/// <summary>Parsing <c>artifactFile</c> values that name an S3 plugin zip. No emulator involved.</summary>
public class PluginArtifactLocationTests
{
    [Test]
    public void AZipWithoutAssemblyName()
    {
        var location = PluginArtifactLocation.TryParse("s3://plugins/team/parser.zip", out var problem);

        Assert.That(problem, Is.Null);
        Assert.That(location, Is.EqualTo(new PluginArtifactLocation(new S3ObjectUri("plugins", "team/parser.zip"), null)));
    }

    [Test]
    public void AZipWithAssemblyName()
    {
        var location = PluginArtifactLocation.TryParse("s3://plugins/parser.zip#My.Parser.dll", out _);

        Assert.That(location, Is.EqualTo(new PluginArtifactLocation(new S3ObjectUri("plugins", "parser.zip"), "My.Parser.dll")));
        Assert.That(location!.ToString(), Is.EqualTo("s3://plugins/parser.zip#My.Parser.dll"));
    }

    [Test]
    public void AHashInsideTheKeyStaysInTheKey()
    {
        var location = PluginArtifactLocation.TryParse("s3://plugins/v#2/parser.zip", out _);

        Assert.That(location, Is.EqualTo(new PluginArtifactLocation(new S3ObjectUri("plugins", "v#2/parser.zip"), null)));
    }

    [TestCase("s3://", "names no bucket")]
    [TestCase("s3:///key.zip", "names no bucket")]
    [TestCase("s3://bucket", "names no object key")]
    [TestCase("s3://bucket/folder/", "names no object key")]
    [TestCase("s3://bucket/p.zip#.dll", "is not a plugin assembly file name")]
    public void MalformedLocationsSayWhy(string value, string reason)
    {
        var location = PluginArtifactLocation.TryParse(value, out var problem);

        Assert.That(location, Is.Null);
        Assert.That(problem, Does.Contain(reason));
    }
}
