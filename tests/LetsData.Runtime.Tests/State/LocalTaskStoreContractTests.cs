using System.Text.Json.Nodes;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.State;

/// <summary><see cref="LocalTaskStore"/> against the store contract: one dataset folder per dataset under a temp folder.</summary>
public sealed class LocalTaskStoreContractTests : TaskStoreContract
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() =>
        _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "letsdata-store-contract-" + Guid.NewGuid().ToString("N"))).FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    protected override ITaskStore OpenStore(string dataset) => new LocalTaskStore(Path.Combine(_folder, dataset));

    protected override Task RemoveStoredLeaseCounterAsync(string dataset, string taskId)
    {
        var path = new LocalTaskStore(Path.Combine(_folder, dataset)).RecordPath(taskId);
        var record = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.That(record.Remove("leaseCounter"), Is.True, "test set-up: the file had a lease counter to take out");
        File.WriteAllText(path, record.ToJsonString());
        return Task.CompletedTask;
    }
}
