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
}
