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

    /// <inheritdoc/>
    public async Task<IReadOnlyList<double[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        await _client.EmbedAsync(Name, texts, cancellationToken).ConfigureAwait(false);

    /// <summary>Disposes the client.</summary>
    public void Dispose() => _client.Dispose();
}
