using Amazon.DynamoDBv2.Model;
using LetsData.Runtime.State;
using LetsData.Runtime.State.DynamoDB;
using LetsData.Runtime.Tests.State;

namespace LetsData.Integration.Tests.State;

/// <summary><see cref="DynamoDBTaskStore"/> against the store contract, in dynalite, on the folder's <see cref="TaskTable"/>.</summary>
public sealed class DynamoDBTaskStoreContractTests : TaskStoreContract
{
    protected override ITaskStore OpenStore(string dataset) => new DynamoDBTaskStore(TaskTable.Client, TaskTable.Name, dataset);

    protected override async Task RemoveStoredLeaseCounterAsync(string dataset, string taskId)
    {
        var key = new Dictionary<string, AttributeValue>
        {
            [DynamoDBTaskStore.PartitionKey] = new() { S = dataset },
            [DynamoDBTaskStore.SortKey] = new() { S = taskId },
        };
        var item = (await TaskTable.Client.GetItemAsync(new GetItemRequest { TableName = TaskTable.Name, Key = key, ConsistentRead = true })).Item;
        Assert.That(item.Remove("leaseCounter"), Is.True, "test set-up: the item had a lease counter to take out");
        await TaskTable.Client.PutItemAsync(new PutItemRequest { TableName = TaskTable.Name, Item = item });
    }
}
