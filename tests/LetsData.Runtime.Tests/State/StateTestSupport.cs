using LetsData.Runtime.Engine;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.State;

/// <summary>A temp state folder per test and records to put in it.</summary>
public abstract class StateFolderTest
{
    internal static readonly DateTimeOffset T0 = TestTaskRecords.T0;

    protected string Folder { get; private set; } = "";

    [SetUp]
    public void CreateFolder() =>
        Folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "letsdata-state-tests-" + Guid.NewGuid().ToString("N"))).FullName;

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    internal static TaskRecord NewRecord(string taskId = "task-0001", string file = "a.warc.gz") => TestTaskRecords.New(taskId, file);

    internal static DataTaskDefinition Definition(int line, string file) =>
        new($"task-{line:D4}", line, file, [new ManifestFileRef(null, file)]);

    internal static TaskResult Completed(string taskId, long documents = 3) =>
        new(taskId, DataTaskStatus.Completed, null, Counters(documents), TimeSpan.FromSeconds(1));

    internal static TaskResult Errored(string taskId, string message) =>
        new(taskId, DataTaskStatus.Errored, message, Counters(1), TimeSpan.FromSeconds(1));

    private static TaskCounters Counters(long documents) => new() { Records = documents + 1, Documents = documents, Errors = 1, BytesRead = 100 };
}
