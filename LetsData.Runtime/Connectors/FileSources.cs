using Amazon.S3;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Reading;

namespace LetsData.Runtime.Connectors;

/// <summary>The file source of a dataset whose read connector reads files (<c>LocalFiles</c>, <c>S3</c>).</summary>
public static class FileSources
{
    /// <summary>
    /// The dataset's source, or null with a problem when it cannot be set up (e.g. no AWS region configured).
    /// Dispose it when it is <see cref="IDisposable"/> (an S3 source owns its client). An S3 client signs with
    /// <paramref name="credentials"/>' credentials for the dataset (null: <see cref="RuntimeCredentials.Current"/>).
    /// </summary>
    internal static IFileSource? TryCreate(Dataset dataset, List<string> problems, Action<AmazonS3Config>? configureS3 = null,
        RuntimeCredentials? credentials = null)
    {
        if (dataset.Read.Connector is not IFileReadConnector files)
        {
            throw new InvalidOperationException($"the {dataset.Read.Connector.Destination} read connector does not read files");
        }

        var signing = dataset.Read.UsesAws ? (credentials ?? RuntimeCredentials.Current).For(dataset) : null;
        return files.TryCreateFiles(dataset.Read, problems, configureS3, signing);
    }
}
