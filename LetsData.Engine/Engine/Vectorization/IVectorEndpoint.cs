namespace LetsData.Runtime.Engine.Vectorization;

/// <summary>
/// Turns texts into vectors, one per text in the same order: a SageMaker endpoint in a run
/// (<c>SageMakerVectorEndpoint</c>), a function of the test's in the harness.
/// </summary>
public interface IVectorEndpoint
{
    /// <summary>The endpoint's name, for error records and messages.</summary>
    string Name { get; }

    /// <summary>One request: the vectors of <paramref name="texts"/>, in order. Throws when the endpoint failed past its retries.</summary>
    Task<IReadOnlyList<double[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

/// <summary>The vectorization stage of a run: where texts go and how they are batched.</summary>
/// <param name="Endpoint">The endpoint the texts are sent to.</param>
/// <param name="BatchSize">Texts in one request at most, from one or many documents.</param>
/// <param name="BatchMaxBytes">UTF-8 bytes of text in one request at most (a single larger text goes alone).</param>
public sealed record VectorizationOptions(IVectorEndpoint Endpoint, int BatchSize, int BatchMaxBytes);

/// <summary>An in-process <see cref="IVectorEndpoint"/> over a function: the test harness's fake endpoint.</summary>
/// <param name="name">The name error records give the endpoint.</param>
/// <param name="embed">Computes one batch's vectors; an exception fails the batch as an endpoint failure would.</param>
public sealed class FunctionVectorEndpoint(string name, Func<IReadOnlyList<string>, IReadOnlyList<double[]>> embed) : IVectorEndpoint
{
    /// <summary>An endpoint that embeds each text on its own with <paramref name="embedOne"/>.</summary>
    public FunctionVectorEndpoint(Func<string, double[]> embedOne)
        : this("in-memory", texts => texts.Select(embedOne).ToList())
    {
    }

    /// <inheritdoc/>
    public string Name => name;

    /// <summary>Requests made so far, with their texts (tests check the batching).</summary>
    public List<IReadOnlyList<string>> Requests { get; } = [];

    /// <inheritdoc/>
    public Task<IReadOnlyList<double[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add([.. texts]);
        }

        return Task.FromResult(embed(texts));
    }
}
