using System.Text.Json;
using System.Text.Json.Nodes;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>
/// A fresh temp folder for one test: the worker's working directory, the home of the test's dataset copy, input
/// copies and outputs. Nothing a test does writes into the repository, and tests can run side by side.
/// </summary>
internal sealed class Workspace
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private Workspace(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>Where the datasets written by <see cref="SampleDataset"/> put documents and error records.</summary>
    public string DocumentsPath => Path.Combine(Directory, "out", "documents");

    public string ErrorsPath => Path.Combine(Directory, "out", "errors");

    /// <summary>A folder for input file copies, to be used as <c>readConnector.rootPath</c>.</summary>
    public string InputPath => System.IO.Directory.CreateDirectory(Path.Combine(Directory, "input")).FullName;

    public static Workspace Create(string testName)
    {
        var safeName = new string(testName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        // A space in every path: quoting mistakes anywhere between the test and the worker's file access show up.
        var directory = Path.Combine(Path.GetTempPath(), "letsdata e2e",
            $"{safeName[..Math.Min(safeName.Length, 60)]}-{Guid.NewGuid():N}");
        return new Workspace(System.IO.Directory.CreateDirectory(directory).FullName);
    }

    /// <summary>
    /// A sample dataset from <c>datasets/</c> with every path made absolute: the input folder is the repository's
    /// (read only), the outputs are this workspace's <see cref="DocumentsPath"/> and <see cref="ErrorsPath"/>.
    /// </summary>
    public JsonObject SampleDataset(string fileName)
    {
        var dataset = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.DatasetsDirectory, fileName)),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        var rootPath = (string)dataset["readConnector"]!["rootPath"]!;
        dataset["readConnector"]!["rootPath"] = Path.GetFullPath(rootPath, Repo.DatasetsDirectory);
        dataset["writeConnector"]!["outputPath"] = DocumentsPath;
        dataset["errorConnector"]!["outputPath"] = ErrorsPath;
        return dataset;
    }

    public string WriteDataset(JsonObject dataset, string fileName = "dataset.json") =>
        WriteText(fileName, dataset.ToJsonString(Indented));

    public string WriteText(string fileName, string text)
    {
        var path = Path.Combine(Directory, fileName);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Copies a file into <see cref="InputPath"/> under another name; returns the name.</summary>
    public string CopyInput(string source, string name)
    {
        File.Copy(source, Path.Combine(InputPath, name));
        return name;
    }

    /// <summary><c>letsdata ARGS</c> in this workspace.</summary>
    public ProcessResult Worker(params string[] arguments) => ChildProcess.Run(Repo.WorkerExe, arguments, Directory);

    /// <summary><c>letsdata ARGS</c> in this workspace, calling <paramref name="whileRunning"/> once it has started.</summary>
    public ProcessResult Worker(string[] arguments, Action<System.Diagnostics.Process> whileRunning) =>
        ChildProcess.Run(Repo.WorkerExe, arguments, Directory, whileRunning: whileRunning);

    /// <summary>
    /// <c>letsdata ARGS</c> in this workspace with changes to its environment (it inherits the test's otherwise). A run
    /// past <paramref name="timeout"/> is killed and comes back with <see cref="ProcessResult.TimedOut"/>; it does not fail the test by itself.
    /// </summary>
    public ProcessResult Worker(string[] arguments, Action<IDictionary<string, string?>> environment, TimeSpan timeout,
        Action<System.Diagnostics.Process>? whileRunning = null) =>
        ChildProcess.Run(Repo.WorkerExe, arguments, Directory, timeout, environment, whileRunning, failOnTimeout: false);

    /// <summary><c>letsdata run --dataset FILE --plugins &lt;repo&gt;/plugins [EXTRA]</c>.</summary>
    public ProcessResult Run(string datasetFile, params string[] extra) =>
        Worker(["run", "--dataset", datasetFile, "--plugins", Repo.PluginsDirectory, .. extra]);

    /// <summary>The target URI dataset over a.warc.gz, b.warc.gz (cut short when <paramref name="badSecond"/>) and c.warc.gz.</summary>
    public string ThreeFileDataset(bool badSecond)
    {
        CopyInput(Repo.WarcFile, "a.warc.gz");
        var bytes = File.ReadAllBytes(Repo.WarcFile);
        File.WriteAllBytes(Path.Combine(InputPath, "b.warc.gz"), badSecond ? bytes[..(bytes.Length * 3 / 4)] : bytes);
        CopyInput(Repo.WarcFile, "c.warc.gz");
        var dataset = SampleDataset("target-uris.json");
        dataset["readConnector"]!["rootPath"] = InputPath;
        dataset["manifestFile"]!["fileContents"] = "a.warc.gz\nb.warc.gz\nc.warc.gz";
        return WriteDataset(dataset);
    }

    /// <summary>The target URI dataset over <paramref name="files"/> copies of the bundled WARC file (f1.warc.gz, f2.warc.gz, ...).</summary>
    public string TargetUriDataset(int files)
    {
        var names = Enumerable.Range(1, files).Select(i => CopyInput(Repo.WarcFile, $"f{i}.warc.gz")).ToList();
        var dataset = SampleDataset("target-uris.json");
        dataset["readConnector"]!["rootPath"] = InputPath;
        dataset["manifestFile"]!["fileContents"] = string.Join('\n', names);
        return WriteDataset(dataset);
    }

    /// <summary><c>letsdata validate --dataset FILE --plugins &lt;repo&gt;/plugins</c>.</summary>
    public ProcessResult Validate(string datasetFile) =>
        Worker("validate", "--dataset", datasetFile, "--plugins", Repo.PluginsDirectory);

    /// <summary>The non-empty lines of a JSON Lines file, each parsed.</summary>
    public static IReadOnlyList<JsonObject> ReadJsonLines(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    public void Delete()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
