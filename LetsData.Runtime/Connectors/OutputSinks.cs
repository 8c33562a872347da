using Amazon.S3;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Connectors;

/// <summary>
/// The write and error connectors of a dataset: <c>LocalFiles</c> folders, <c>S3</c> prefixes, a <c>Kinesis</c>
/// stream or a <c>DynamoDB</c> table (documents only). Dispose it after the run (AWS connectors own their client).
/// </summary>
public sealed class OutputSinks : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private OutputSinks()
    {
    }

    public IDocumentSinkFactory Documents { get; private set; } = null!;
    public IErrorSinkFactory Errors { get; private set; } = null!;

    /// <summary>
    /// The dataset's sinks, or null with a problem when they cannot be set up (e.g. no AWS region configured).
    /// <paramref name="configureS3"/> may adjust the S3 client configuration (tests). The clients sign with
    /// <paramref name="credentials"/>' credentials for the dataset (null: <see cref="RuntimeCredentials.Current"/>).
    /// </summary>
    internal static OutputSinks? TryCreate(Dataset dataset, List<string> problems, Action<AmazonS3Config>? configureS3 = null,
        RuntimeCredentials? credentials = null)
    {
        var sinks = new OutputSinks();
        var setup = new SinkSetup((credentials ?? RuntimeCredentials.Current).For(dataset), configureS3);
        var (write, errors) = (dataset.Write, dataset.Errors);
        var documentSinks = sinks.TryOwn("writeConnector", write.Connector, () => write.Connector.CreateDocumentSinks(write, setup), problems);
        var errorSinks = documentSinks is null ? null
            : sinks.TryOwn("errorConnector", errors.Connector, () => errors.Connector.CreateErrorSinks(errors, setup), problems);
        if (documentSinks is null || errorSinks is null)
        {
            sinks.Dispose();
            return null;
        }

        (sinks.Documents, sinks.Errors) = (documentSinks, errorSinks);
        return sinks;
    }

    /// <summary>Creates a connector's factory, keeping it for disposal; null with a problem naming the field when its client cannot be made.</summary>
    private T? TryOwn<T>(string field, IWriteConnector connector, Func<T> create, List<string> problems)
        where T : class
    {
        try
        {
            var created = create();
            if (created is IDisposable disposable)
            {
                _owned.Add(disposable);
            }

            return created;
        }
        catch (Exception e) when (connector.SetupProblem(field, e) is { } problem)
        {
            problems.Add(problem);
            return null;
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _owned.Clear();
    }
}
