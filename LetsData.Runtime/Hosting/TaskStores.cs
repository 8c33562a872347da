using Amazon.DynamoDBv2;
using Amazon.Runtime;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.State;
using LetsData.Runtime.State.DynamoDB;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// The task store a command works on: the local state folder (<c>--state</c>, the embedded default) or a shared
/// DynamoDB task table (<c>--task-table</c>, for many workers). The table is the platform's own state: it is reached
/// with the worker's credentials, never the dataset's access-grant role.
/// </summary>
internal sealed class TaskStores : IDisposable
{
    private readonly IDisposable? _client;

    private TaskStores(ITaskStore store, IDisposable? client)
    {
        Store = store;
        _client = client;
    }

    public ITaskStore Store { get; }

    /// <summary>The command's store, or null with a problem naming the option (no region, no such table for a read-only command, ...).</summary>
    /// <param name="commandLine">The command line (<c>--state</c>, <c>--task-table</c>).</param>
    /// <param name="dataset">The dataset whose tasks are stored.</param>
    /// <param name="createTable">Create the task table when it does not exist (<c>run</c>); read-only commands do not.</param>
    /// <param name="problems">Receives the problem.</param>
    /// <param name="cancellationToken">Stops the table check.</param>
    public static async Task<TaskStores?> TryOpenAsync(CommandLine commandLine, Dataset dataset, bool createTable, List<string> problems,
        CancellationToken cancellationToken)
    {
        if (commandLine.TaskTable is not { } table)
        {
            var folder = TaskStateDirectory.Resolve(commandLine.StateDirectory, dataset.Name);
            if (File.Exists(folder))
            {
                problems.Add($"--state {folder}: is a file; the task state is a folder");
                return null;
            }

            return new TaskStores(new LocalTaskStore(folder), null);
        }

        AmazonDynamoDBClient client;
        try
        {
            client = DynamoDBClients.Create(credentials: RuntimeCredentials.Current.Worker);
        }
        catch (AmazonClientException e)
        {
            problems.Add(DynamoDBClients.SetupProblem("--task-table", e));
            return null;
        }

        try
        {
            if (createTable)
            {
                await DynamoDBTaskStore.EnsureTableAsync(client, table, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return new TaskStores(new DynamoDBTaskStore(client, table, dataset.Name), client);
        }
        catch (Exception e) when (e is TaskStoreException or AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            client.Dispose();
            problems.Add($"--task-table {table}: {e.Message}");
            return null;
        }
    }

    public void Dispose() => _client?.Dispose();
}
