using Amazon.Runtime;
using Amazon.S3;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Reading.S3;

namespace LetsData.Runtime.Reading;

/// <summary>Picks the file source of a dataset's read connector: <c>LocalFiles</c> (the default) or <c>S3</c>.</summary>
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
        if (dataset.ReadDestination != ReadDestination.S3)
        {
            return new LocalFileSource(dataset.RootPath);
        }

        if (dataset.S3Input is not { } s3)
        {
            problems.Add("readConnector.bucketName: required for S3");
            return null;
        }

        try
        {
            return S3FileSource.Create(s3.BucketName, s3.Prefix, s3.ForcePathStyle, configure: configureS3,
                credentials: (credentials ?? RuntimeCredentials.Current).For(dataset));
        }
        catch (AmazonClientException e)
        {
            problems.Add(S3Clients.SetupProblem("readConnector", e));
            return null;
        }
    }
}
