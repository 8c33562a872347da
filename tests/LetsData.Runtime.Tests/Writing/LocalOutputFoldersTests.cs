using LetsData.Runtime.Datasets;
using LetsData.Runtime.Connectors.LocalFiles;

namespace LetsData.Runtime.Tests.Writing;

/// <summary>Output folders that cannot be written are found before the first task, not by each task in turn.</summary>
public class LocalOutputFoldersTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() =>
        _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "letsdata-outputs-tests-" + Guid.NewGuid().ToString("N"))).FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private Dataset WithOutputs(string documents, string errors) =>
        new(new DatasetConfig(), "D", ReaderType.SingleFileReader, "", new LocalFilesInput(_folder), new LocalFilesOutput(documents),
            new LocalFilesOutput(errors), 1, 1024, "", "");

    [Test]
    public void FoldersThatExistOrCanBeCreated_AreFine_AndNothingIsLeftBehind()
    {
        var problems = LocalOutputFolders.Problems(WithOutputs(_folder, Path.Combine(_folder, "new", "errors")));

        Assert.That(problems, Is.Empty);
        Assert.That(Directory.EnumerateFileSystemEntries(_folder), Is.Empty, "the write check removed its file and created no folder");
    }

    [Test]
    public void AnOutputThatIsAFile_OrUnderAFile_IsAProblemOfItsConnector()
    {
        var file = Path.Combine(_folder, "out.jsonl");
        File.WriteAllText(file, "");

        var problems = LocalOutputFolders.Problems(WithOutputs(file, Path.Combine(file, "errors")));

        Assert.That(problems, Is.EqualTo(new[]
        {
            $"writeConnector: {file} is a file; the output must be a folder",
            $"errorConnector: {Path.Combine(file, "errors")} cannot be created: {file} is a file",
        }));
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Unix modes")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void AFolderThatCannotBeWritten_IsAProblem()
    {
        Assume.That(Environment.UserName, Is.Not.EqualTo("root"), "root writes into any folder; the end-to-end tests run this case as another user");
        var readOnly = Directory.CreateDirectory(Path.Combine(_folder, "ro")).FullName;
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var problems = LocalOutputFolders.Problems(WithOutputs(readOnly, Path.Combine(readOnly, "errors")));

        Assert.That(problems, Is.EqualTo(new[]
        {
            $"writeConnector: the folder {readOnly} cannot be written: permission denied",
            $"errorConnector: {Path.Combine(readOnly, "errors")} cannot be created in {readOnly}: permission denied",
        }));
    }
}
