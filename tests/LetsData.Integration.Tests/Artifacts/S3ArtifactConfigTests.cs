using LetsData.Runtime.Aws;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Hosting;
using LetsData.Runtime.Plugins.Artifacts;

namespace LetsData.Integration.Tests.Artifacts;

/// <summary>
/// The dataset and command-line side of S3 plugins and S3 link manifests: what the loader accepts and refuses, without
/// touching S3 (it never resolves them; <c>PreparedDataset</c> does).
/// </summary>
public class S3ArtifactConfigTests
{
    private static DatasetConfig Config(string artifactFile, ManifestFileConfig manifest) => new()
    {
        DatasetName = "S3Artifacts",
        ReadConnector = new ReadConnectorConfig
        {
            ConnectorDestination = "S3", BucketName = "input", ArtifactFile = artifactFile, ReaderType = "Single File Reader",
        },
        WriteConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/docs" },
        ErrorConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/errors" },
        ManifestFile = manifest,
    };

    private static readonly ManifestFileConfig InlineManifest = new() { ManifestType = "S3ReaderTextManifestFile", FileContents = "a.gz" };

    [Test]
    public void AnS3ArtifactIsKeptAsItIsNotResolvedAgainstThePluginsFolder()
    {
        var dataset = DatasetLoader.Validate(Config("s3://plugins/team/parser.zip#Parser.dll", InlineManifest), "test", "/some/plugins");

        Assert.That(dataset.ArtifactFile, Is.EqualTo("s3://plugins/team/parser.zip#Parser.dll"));
        Assert.That(dataset.PluginArtifact, Is.EqualTo(new PluginArtifactLocation(new S3ObjectUri("plugins", "team/parser.zip"), "Parser.dll")));
    }

    [Test]
    public void ALocalArtifactHasNoS3Location()
    {
        var dataset = DatasetLoader.Validate(Config("P/P.dll", InlineManifest), "test", "/some/plugins");

        Assert.That(dataset.PluginArtifact, Is.Null);
        Assert.That(dataset.ArtifactFile, Is.EqualTo(Path.GetFullPath("/some/plugins/P/P.dll")));
    }

    [Test]
    public void AMalformedS3ArtifactIsAProblemOfItsField()
    {
        var e = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Validate(Config("s3://plugins", InlineManifest), "test", "plugins"));

        Assert.That(e!.Problems, Has.One.StartsWith("readConnector.artifactFile: 's3://plugins' names no object key"));
    }

    [Test]
    public void ALinkManifestIsReadLaterFromItsUri()
    {
        var manifest = new ManifestFileConfig { ManifestType = "S3ReaderS3LinkManifestFile", ManifestFileS3Uri = "s3://manifests/run/1.txt" };

        var dataset = DatasetLoader.Validate(Config("P/P.dll", manifest), "test", "plugins");

        Assert.That(dataset.ManifestS3Object, Is.EqualTo(new S3ObjectUri("manifests", "run/1.txt")));
        Assert.That(dataset.ManifestSource, Is.EqualTo("s3://manifests/run/1.txt"));
        Assert.That(dataset.ManifestText, Is.Empty);
    }

    [TestCase(null, "manifestFile.manifestFileS3Uri: required for S3ReaderS3LinkManifestFile")]
    [TestCase("s3://manifests/", "manifestFile.manifestFileS3Uri: 's3://manifests/' names no object key")]
    [TestCase("manifests/run.txt", "manifestFile.manifestFileS3Uri: 'manifests/run.txt' is not an s3://bucket/key URI")]
    public void ALinkManifestNeedsAnS3Uri(string? uri, string problem)
    {
        var manifest = new ManifestFileConfig { ManifestType = "S3ReaderS3LinkManifestFile", ManifestFileS3Uri = uri };

        var e = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Validate(Config("P/P.dll", manifest), "test", "plugins"));

        Assert.That(e!.Problems, Has.One.StartsWith(problem));
    }

    [Test]
    public void AnUnknownManifestTypeListsTheLinkManifest()
    {
        var e = Assert.Throws<DatasetConfigException>(() =>
            DatasetLoader.Validate(Config("P/P.dll", new ManifestFileConfig { ManifestType = "Nope" }), "test", "plugins"));

        Assert.That(e!.Problems, Has.One.Contains("\"S3ReaderS3LinkManifestFile\""));
    }

    [Test]
    public void ThePluginCacheOptionIsParsedForRunAndValidate()
    {
        var run = CommandLine.TryParse(["run", "--dataset", "d.json", "--plugin-cache", "/tmp/cache"], out var runError);
        var validate = CommandLine.TryParse(["validate", "--dataset", "d.json", "--plugin-cache", "/tmp/cache"], out _);
        var without = CommandLine.TryParse(["run", "--dataset", "d.json"], out _);

        Assert.That(runError, Is.Null);
        Assert.That(run!.PluginCacheDirectory, Is.EqualTo("/tmp/cache"));
        Assert.That(validate!.PluginCacheDirectory, Is.EqualTo("/tmp/cache"));
        Assert.That(without!.PluginCacheDirectory, Is.Null);
    }
}
