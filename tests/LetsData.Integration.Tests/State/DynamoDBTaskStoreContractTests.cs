using Amazon.DynamoDBv2;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Runtime.State;
using LetsData.Runtime.State.DynamoDB;
using LetsData.Runtime.Tests.State;

namespace LetsData.Integration.Tests.State;

/// <summary>
/// <see cref="DynamoDBTaskStore"/> against the store contract, in dynalite: one table for the fixture (made by
/// <see cref="DynamoDBTaskStore.EnsureTableAsync"/>, as the worker makes it), a dataset of its own per test.
/// </summary>
public sealed class DynamoDBTaskStoreContractTests : TaskStoreContract
{
    private AmazonDynamoDBClient _client = null!;
    private string _table = "";

    [OneTimeSetUp]
    public async Task CreateTable()
    {
        _client = DynamoDBTestTables.NewClient();
        _table = "letsdata-tasks-" + Guid.NewGuid().ToString("N")[..12];
        await DynamoDBTaskStore.EnsureTableAsync(_client, _table);
    }

    [OneTimeTearDown]
    public async Task DeleteTable()
    {
        await _client.DeleteTableAsync(_table);
        _client.Dispose();
    }

    protected override ITaskStore OpenStore(string dataset) => new DynamoDBTaskStore(_client, _table, dataset);
}
