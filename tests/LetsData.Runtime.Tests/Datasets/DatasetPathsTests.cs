using System.Text.Json;
using LetsData.Runtime.Connectors.LocalFiles;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Plugins;

namespace LetsData.Runtime.Tests.Datasets;

/// <summary>
/// Relative paths in a dataset file resolve against the file's folder, never the worker's current directory (the
/// tests' current directory is their output folder, far from the temporary dataset folders).
/// </summary>
public class DatasetPathsTests
{
    private string _root = "";
    private string _datasets = "";

    [SetUp]
    public void CreateFolders()
    {
        _root = Directory.CreateTempSubdirectory("letsdata-dataset-paths-").FullName;
        _datasets = Directory.CreateDirectory(Path.Combine(_root, "project", "datasets")).FullName;
    }

    [TearDown]
    public void DeleteFolders() => Directory.Delete(_root, recursive: true);

    private string Write(string rootPath, string documents, string errors, string manifest)
    {
        var path = Path.Combine(_datasets, "dataset.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            datasetName = "Paths",
            readConnector = new
            {
                connectorDestination = "LocalFiles",
                artifactFile = "P/P.dll",
                rootPath,
                readerType = "Single File Reader",
                singleFileParserImplementationClassName = "P.Parser",
            },
            writeConnector = new { connectorDestination = "LocalFiles", outputPath = documents },
            errorConnector = new { connectorDestination = "LocalFiles", outputPath = errors },
            manifestFile = new { manifestType = "LocalManifestFile", readerType = "SINGLEFILEREADER", manifestFilePath = manifest },
        }));
        return path;
    }

    [Test]
    public void RelativePaths_ResolveAgainstTheDatasetFilesFolder()
    {
        Directory.CreateDirectory(Path.Combine(_datasets, "input"));
        File.WriteAllText(Directory.CreateDirectory(Path.Combine(_datasets, "lists")).FullName + "/manifest.txt", "a.log\n");

        var dataset = DatasetLoader.Load(Write("input", "out/documents", "out/errors", "lists/manifest.txt"), Path.Combine(_root, "plugins"));

        Assert.That(Environment.CurrentDirectory, Is.Not.EqualTo(_datasets));
        Assert.That(dataset.PathsFolder, Is.EqualTo(_datasets));
        Assert.That(dataset.Read, Is.EqualTo(new LocalFilesInput(Path.Combine(_datasets, "input"))));
        Assert.That(dataset.OutputPath, Is.EqualTo(Path.Combine(_datasets, "out", "documents")));
        Assert.That(dataset.ErrorOutputPath, Is.EqualTo(Path.Combine(_datasets, "out", "errors")));
        Assert.That(dataset.ManifestSource, Is.EqualTo(Path.Combine(_datasets, "lists", "manifest.txt")));
        Assert.That(dataset.ManifestText, Is.EqualTo("a.log\n"));
    }

    [Test]
    public void DotDot_LeavesTheDatasetFilesFolder()
    {
        Directory.CreateDirectory(Path.Combine(_root, "project", "data"));
        File.WriteAllText(Path.Combine(_root, "project", "manifest.txt"), "a.log\n");

        var dataset = DatasetLoader.Load(Write("../data", "../out/documents", "./../out/errors", "../manifest.txt"), Path.Combine(_root, "plugins"));

        var project = Path.Combine(_root, "project");
        Assert.That(dataset.Read, Is.EqualTo(new LocalFilesInput(Path.Combine(project, "data"))));
        Assert.That(dataset.OutputPath, Is.EqualTo(Path.Combine(project, "out", "documents")));
        Assert.That(dataset.ErrorOutputPath, Is.EqualTo(Path.Combine(project, "out", "errors")));
        Assert.That(dataset.ManifestSource, Is.EqualTo(Path.Combine(project, "manifest.txt")));
    }

    [Test]
    public void AbsolutePaths_StayAsTheyAre()
    {
        var input = Directory.CreateDirectory(Path.Combine(_root, "elsewhere", "input")).FullName;
        var manifest = Path.Combine(_root, "elsewhere", "manifest.txt");
        File.WriteAllText(manifest, "a.log\n");

        var dataset = DatasetLoader.Load(Write(input, Path.Combine(_root, "docs"), Path.Combine(_root, "errs"), manifest), Path.Combine(_root, "plugins"));

        Assert.That(dataset.Read, Is.EqualTo(new LocalFilesInput(input)));
        Assert.That(dataset.OutputPath, Is.EqualTo(Path.Combine(_root, "docs")));
        Assert.That(dataset.ErrorOutputPath, Is.EqualTo(Path.Combine(_root, "errs")));
        Assert.That(dataset.ManifestSource, Is.EqualTo(manifest));
    }

    [Test]
    public void AMissingRelativeRootPath_IsNamedByItsFullPathUnderTheDatasetFolder()
    {
        File.WriteAllText(Path.Combine(_datasets, "m.txt"), "a.log\n");

        var problems = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(Write("nope", "out/d", "out/e", "m.txt"), _root))!.Problems;

        Assert.That(problems, Has.One.EqualTo($"readConnector.rootPath: the folder {Path.Combine(_datasets, "nope")} does not exist"));
    }

    [Test]
    public void PluginsFolder_GivenOption_IsUsedAgainstTheCurrentDirectory()
    {
        var chosen = PluginsFolder.Choose("build/plugins", Path.Combine(_datasets, "dataset.json"), _root);

        Assert.That(chosen, Is.EqualTo(new PluginsFolder(Path.Combine(_root, "build", "plugins"), "--plugins")));
    }

    [Test]
    public void PluginsFolder_Default_IsDotPluginsWhenItExists()
    {
        Directory.CreateDirectory(Path.Combine(_root, "plugins"));
        Directory.CreateDirectory(Path.Combine(_datasets, "plugins"));

        var chosen = PluginsFolder.Choose(PluginsFolder.DefaultOption, Path.Combine(_datasets, "dataset.json"), _root);

        Assert.That(chosen, Is.EqualTo(new PluginsFolder(Path.Combine(_root, "plugins"), "./plugins")));
    }

    [Test]
    public void PluginsFolder_Default_IsTheDatasetFoldersPluginsWithoutDotPlugins([Values] bool relativeDatasetFile)
    {
        var datasetFile = relativeDatasetFile ? Path.Combine("project", "datasets", "dataset.json") : Path.Combine(_datasets, "dataset.json");

        var chosen = PluginsFolder.Choose(null, datasetFile, _root);

        Assert.That(chosen.Path, Is.EqualTo(Path.Combine(_datasets, "plugins")));
        Assert.That(chosen.Why, Does.Contain("dataset file's folder"));
    }

    [Test]
    public void ArtifactFile_ResolvesAgainstTheChosenPluginsFolder()
    {
        Directory.CreateDirectory(Path.Combine(_datasets, "input"));
        File.WriteAllText(Path.Combine(_datasets, "m.txt"), "a.log\n");
        var file = Write("input", "out/d", "out/e", "m.txt");

        var given = DatasetLoader.Load(file, Path.Combine(_root, "mine"));

        Assert.That(given.ArtifactFile, Is.EqualTo(Path.Combine(_root, "mine", "P", "P.dll")));
        Assert.That(given.Plugins, Is.EqualTo(new PluginsFolder(Path.Combine(_root, "mine"), "--plugins")));
    }
}
