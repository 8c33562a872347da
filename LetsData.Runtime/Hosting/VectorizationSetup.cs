using Amazon.Runtime;
using LetsData.Runtime.Aws.SageMaker;
using LetsData.Runtime.Engine.Vectorization;

namespace LetsData.Runtime.Hosting;

/// <summary>The vectorization stage of a run (compute engine <c>LAMBDA_AND_SAGEMAKER</c>) over the dataset's SageMaker endpoint.</summary>
internal static class VectorizationSetup
{
    /// <summary>
    /// The run's vectorization over the dataset's endpoint, or null for a dataset without one; null with a problem
    /// when the client cannot be made (no region, a bad endpoint variable).
    /// </summary>
    public static VectorizationOptions? TryCreate(Datasets.SagemakerVectorization? settings, AWSCredentials? credentials, List<string> problems)
    {
        if (settings is null)
        {
            return null;
        }

        try
        {
            var endpoint = new SageMakerVectorEndpoint(SageMakerRuntimeClient.Create(credentials), settings.EndpointName);
            return new VectorizationOptions(endpoint, settings.BatchSize, settings.BatchMaxBytes);
        }
        catch (Exception e) when (e is InvalidOperationException or AmazonClientException)
        {
            problems.Add($"computeEngine.endpoint: the SageMaker Runtime client could not be set up: {e.Message} (set AWS_REGION; {SageMakerRuntimeClient.EndpointVariable} for a local model server)");
            return null;
        }
    }
}
