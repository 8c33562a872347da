using System.Reflection;
using System.Runtime.Versioning;
using System.Text.Json;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Plugins;

namespace LetsData.Runtime.Tests.Plugins.Reload;

/// <summary>
/// The builds the hot-update tests swap: VersionedParser V1, V2 and "Renamed" (the same assembly, each in its own
/// build folder) and LeakyParser; and the binding the tests' datasets would resolve.
/// </summary>
internal static class ReloadTestPlugins
{
    public const string VersionedParserClass = "LetsData.TestPlugins.VersionedParser.VersionedLineParser";
    public const string LeakyParserClass = "LetsData.TestPlugins.LeakyParser.SelfRegisteringParser";

    public static string VersionedParserBuild(string build) => BuildFolder(Path.Combine("VersionedParser", build), "VersionedParser");

    public static string LeakyParserBuild() => BuildFolder("LeakyParser", "LeakyParser");

    /// <summary>A LocalFiles dataset whose Single File Reader is VersionedParser (from the plugins folder's <c>VersionedParser/</c>).</summary>
    public static string VersionedParserDatasetJson(string datasetName, string data, string documents, string errors, int concurrency,
        string manifest) => JsonSerializer.Serialize(new
    {
        datasetName,
        readConnector = new
        {
            connectorDestination = "LocalFiles",
            artifactImplementationLanguage = "dotnet",
            artifactFile = "VersionedParser/VersionedParser.dll",
            rootPath = data,
            readerType = "Single File Reader",
            singleFileParserImplementationClassName = VersionedParserClass,
        },
        writeConnector = new { connectorDestination = "LocalFiles", outputPath = documents },
        errorConnector = new { connectorDestination = "LocalFiles", outputPath = errors },
        computeEngine = new { computeEngineType = "Local", concurrency },
        manifestFile = new { manifestType = "S3ReaderTextManifestFile", readerType = "SINGLEFILEREADER", fileContents = manifest },
    });

    /// <summary>Binds the Single File Reader to <paramref name="className"/>, as PluginReaderBinding does for a dataset.</summary>
    public static Func<LoadedPlugin, List<string>, ReaderBinding?> BindParser(string className) => (plugin, problems) =>
    {
        try
        {
            var factory = plugin.CreateFactory<ISingleFileParser>(className);
            return new SingleFileReaderBinding(plugin.Name, factory.CreateForTask);
        }
        catch (PluginLoadException e)
        {
            problems.Add($"readConnector.singleFileParserImplementationClassName: {e.Message}");
            return null;
        }
    };

    private static string BuildFolder(string projectFolder, string assemblyName)
    {
        var assembly = typeof(ReloadTestPlugins).Assembly;
        var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new FrameworkName(assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName);
        var tfm = $"net{framework.Version.Major}.{framework.Version.Minor}";
        var folder = Path.Combine(TestPluginsFolder(), projectFolder, "bin", configuration, tfm);
        if (!File.Exists(Path.Combine(folder, assemblyName + ".dll")))
        {
            Assert.Fail($"Test plugin build {projectFolder} is not at {folder}; build tests/LetsData.Runtime.Tests (it builds the test plugins).");
        }

        return folder;
    }

    private static string TestPluginsFolder()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "TestPlugins");
            if (File.Exists(Path.Combine(candidate, "Directory.Build.props")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/TestPlugins not found above {TestContext.CurrentContext.TestDirectory}");
    }
}
