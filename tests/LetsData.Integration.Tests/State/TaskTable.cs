using Amazon.DynamoDBv2;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Runtime.State.DynamoDB;

namespace LetsData.Integration.Tests.State;

/// <summary>
/// One task table in dynalite for every test of this folder, made by <see cref="DynamoDBTaskStore.EnsureTableAsync"/>
/// as the worker makes it; tests keep apart by using datasets of their own (the partition key).
/// </summary>
[SetUpFixture]
public sealed class TaskTable
{
    private static AmazonDynamoDBClient? _client;
    private static string? _name;

    public static AmazonDynamoDBClient Client => _client ?? throw new InvalidOperationException("the task table is not set up");

    public static string Name => _name ?? throw new InvalidOperationException("the task table is not set up");

    [OneTimeSetUp]
    public async Task Create()
    {
        _client = DynamoDBTestTables.NewClient();
        _name = "letsdata-tasks-" + Guid.NewGuid().ToString("N")[..12];
        await DynamoDBTaskStore.EnsureTableAsync(_client, _name);
    }

    [OneTimeTearDown]
    public async Task Delete()
    {
        await Client.DeleteTableAsync(Name);
        _client?.Dispose();
    }
}
