using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>
/// The <c>commoncrawl.json</c> sample set up in a workspace with outputs of its own (<c>&lt;name&gt;/documents</c>,
/// <c>&lt;name&gt;/errors</c>) and a task store (<see cref="Store"/>: a state folder <c>&lt;name&gt;/state</c> unless told).
/// </summary>
internal sealed record CommonCrawlRun(Workspace Work, string DatasetFile, string Documents, string Errors, IReadOnlyList<string> Store)
{
    /// <summary>
    /// Over <paramref name="input"/> in the workspace's input folder (null: the sample's own trio as shipped), with the
    /// task store options <paramref name="store"/> (<c>--task-table NAME</c>; none: <c>--state &lt;name&gt;/state</c>).
    /// </summary>
    public static CommonCrawlRun Create(Workspace work, string name, CrawlTrios? input, params string[] store)
    {
        var folder = Path.Combine(work.Directory, name);
        var dataset = work.SampleDataset("commoncrawl.json");
        if (input is not null)
        {
            dataset["readConnector"]!["rootPath"] = work.InputPath;
            dataset["manifestFile"]!["fileContents"] = input.Manifest;
        }

        dataset["writeConnector"]!["outputPath"] = Path.Combine(folder, "documents");
        dataset["errorConnector"]!["outputPath"] = Path.Combine(folder, "errors");
        return new CommonCrawlRun(work, work.WriteDataset(dataset, name + ".json"), Path.Combine(folder, "documents"),
            Path.Combine(folder, "errors"), store.Length > 0 ? store : ["--state", Path.Combine(folder, "state")]);
    }

    /// <summary>The state folder of the local task store.</summary>
    public string StateFolder => Store is ["--state", var folder] ? folder : throw new InvalidOperationException("the tasks are not in a state folder");

    /// <summary><c>letsdata run</c> of the dataset on its store, with <paramref name="extra"/> options.</summary>
    public ProcessResult Run(params string[] extra) => Run(_ => { }, extra);

    /// <summary>The same, calling <paramref name="whileRunning"/> once the worker has started.</summary>
    public ProcessResult Run(Action<Process> whileRunning, params string[] extra) =>
        Work.Worker(["run", "--dataset", DatasetFile, "--plugins", Repo.PluginsDirectory, .. Store, .. extra], whileRunning);

    /// <summary>The task records, as <c>letsdata tasks list --json</c> shows them.</summary>
    public IReadOnlyList<JsonNode> TasksList()
    {
        var result = Work.Worker(["tasks", "list", "--dataset", DatasetFile, .. Store, "--json"]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return JsonNode.Parse(result.Stdout)!.AsArray().Select(t => t!).ToList();
    }

    /// <summary>A listed task's counts over all its attempts, as one comparable line.</summary>
    public static string Counts(JsonNode task)
    {
        var counters = task["counters"]!;
        return string.Create(CultureInfo.InvariantCulture,
            $"{task["taskId"]}: records {counters["records"]}, documents {counters["documents"]}, errors {counters["errors"]}, skips {counters["skips"]}");
    }

    /// <summary>Asserts this run's outputs are byte for byte those of <paramref name="reference"/>, and so are its tasks' counts.</summary>
    public void AssertSameOutcome(CommonCrawlRun reference)
    {
        OutputFolders.AssertSame(reference.Documents, Documents, "documents");
        OutputFolders.AssertSame(reference.Errors, Errors, "error records");
        Assert.That(TasksList().Select(Counts), Is.EqualTo(reference.TasksList().Select(Counts)), "records, documents, errors and skips over all attempts");
    }
}
