using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Connectors;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// What a run reads and its tasks, as the dataset's read connector opens them: the manifest's tasks over local or S3
/// files, one task per shard of a Kinesis stream (listed now), or one task per segment of a table scan. Owns the
/// clients behind the sources.
/// </summary>
internal sealed class RunInputs : IDisposable
{
    private readonly IDisposable? _owned;

    private RunInputs(ConnectorInputs inputs)
    {
        Sources = inputs.Sources;
        Tasks = inputs.Tasks;
        _owned = inputs.Owned;
    }

    public RecordSources Sources { get; }
    public IReadOnlyList<DataTaskDefinition> Tasks { get; }

    /// <summary>
    /// Opens the dataset's source, or returns null with the problems. <paramref name="stopWhenCaughtUp"/> makes a
    /// continuous Kinesis reader stop at the end of the stream (the smoke run of <c>validate</c>).
    /// </summary>
    public static Task<RunInputs?> TryOpenAsync(PreparedDataset prepared, List<string> problems, bool stopWhenCaughtUp,
        CancellationToken cancellationToken) =>
        TryOpenAsync(prepared.Dataset, prepared.Tasks, problems, stopWhenCaughtUp, cancellationToken);

    /// <summary>As <see cref="TryOpenAsync(PreparedDataset, List{string}, bool, CancellationToken)"/>, for a dataset whose plugin is not loaded here (the supervisor).</summary>
    public static async Task<RunInputs?> TryOpenAsync(Dataset dataset, IReadOnlyList<DataTaskDefinition> manifestTasks, List<string> problems,
        bool stopWhenCaughtUp, CancellationToken cancellationToken)
    {
        var credentials = dataset.Read.UsesAws ? RuntimeCredentials.Current.For(dataset) : null;
        var request = new InputRequest(manifestTasks, credentials, problems, stopWhenCaughtUp, cancellationToken);
        var inputs = await dataset.Read.Connector.TryOpenAsync(dataset.Read, request).ConfigureAwait(false);
        return inputs is null ? null : new RunInputs(inputs);
    }

    public void Dispose() => _owned?.Dispose();
}
