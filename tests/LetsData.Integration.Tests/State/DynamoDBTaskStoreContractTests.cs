using LetsData.Runtime.State;
using LetsData.Runtime.State.DynamoDB;
using LetsData.Runtime.Tests.State;

namespace LetsData.Integration.Tests.State;

/// <summary><see cref="DynamoDBTaskStore"/> against the store contract, in dynalite, on the folder's <see cref="TaskTable"/>.</summary>
public sealed class DynamoDBTaskStoreContractTests : TaskStoreContract
{
    protected override ITaskStore OpenStore(string dataset) => new DynamoDBTaskStore(TaskTable.Client, TaskTable.Name, dataset);
}
