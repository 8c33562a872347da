using System.Reflection;
using System.Text.Json;
using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.Tests.Support;
using LetsData.Plugins.Samples.WetText;

namespace LetsData.Plugins.Samples.Tests;

/// <summary>The runnable dataset configs in datasets/ point at parsers and data that exist.</summary>
public class DatasetConfigTests
{
    private static readonly Assembly Samples = typeof(WetTextParser).Assembly;

    [TestCase("target-uris.json", "TargetUris", "LetsData.Plugins.Samples.TargetUris.TargetUriExtractor", "whirlwind.warc.gz", "WARC")]
    [TestCase("wet-text.json", "WetText", "LetsData.Plugins.Samples.WetText.WetTextParser", "whirlwind.warc.wet.gz", "WET")]
    public void ConfigNamesASampleParserAndAnExistingFile(string configFile, string datasetName, string className,
                                                           string manifestFile, string fileType)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(TestData.Dataset(configFile)));
        var root = config.RootElement;
        var read = root.GetProperty("readConnector");
        var parserType = Samples.GetType(read.GetProperty("singleFileParserImplementationClassName").GetString()!);

        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("datasetName").GetString(), Is.EqualTo(datasetName));
            Assert.That(read.GetProperty("readerType").GetString(), Is.EqualTo("Single File Reader"));
            Assert.That(read.GetProperty("artifactImplementationLanguage").GetString(), Is.EqualTo("dotnet"));
            Assert.That(read.GetProperty("artifactFile").GetString(),
                        Is.EqualTo($"{Samples.GetName().Name}/{Samples.GetName().Name}.dll"));
            Assert.That(read.GetProperty("rootPath").GetString(), Is.EqualTo("commoncrawl"), "relative to the dataset file's folder");
            Assert.That(parserType, Is.Not.Null);
            Assert.That(parserType!.FullName, Is.EqualTo(className));
            Assert.That(parserType.IsPublic, Is.True);
            Assert.That(typeof(ISingleFileParser).IsAssignableFrom(parserType), Is.True);
            Assert.That(parserType.GetConstructor(Type.EmptyTypes), Is.Not.Null);
            Assert.That(((ISingleFileParser)Activator.CreateInstance(parserType)!).S3FileType, Is.EqualTo(fileType));
            Assert.That(root.GetProperty("manifestFile").GetProperty("readerType").GetString(), Is.EqualTo("SINGLEFILEREADER"));
            Assert.That(root.GetProperty("manifestFile").GetProperty("fileContents").GetString(), Is.EqualTo(manifestFile));
            // datasets/commoncrawl is linked into the test output as Data/commoncrawl.
            Assert.That(File.Exists(TestData.PathOf("commoncrawl", manifestFile)), Is.True);
            Assert.That(root.GetProperty("writeConnector").GetProperty("outputPath").GetString(), Does.StartWith("../out/"));
            Assert.That(root.GetProperty("errorConnector").GetProperty("outputPath").GetString(), Does.StartWith("../out/"));
        });
    }
}
