using Amazon.Runtime;
using LetsData.Runtime.Aws.SageMaker;

namespace LetsData.Runtime.Engine.Vectorization;

/// <summary>A SageMaker endpoint as the vectorization stage's <see cref="IVectorEndpoint"/>. Owns its client.</summary>
public sealed class SageMakerVectorEndpoint : IVectorEndpoint, IDisposable
{
    private readonly SageMakerRuntimeClient _client;

    /// <summary>Calls <paramref name="endpointName"/> through <paramref name="client"/>, which it disposes.</summary>
    public SageMakerVectorEndpoint(SageMakerRuntimeClient client, string endpointName)
    {
        _client = client;
        Name = endpointName;
    }

    /// <inheritdoc/>
    public string Name { get; }

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

    /// <inheritdoc/>
    public async Task<IReadOnlyList<double[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        await _client.EmbedAsync(Name, texts, cancellationToken).ConfigureAwait(false);

    /// <summary>Disposes the client.</summary>
    public void Dispose() => _client.Dispose();
}
