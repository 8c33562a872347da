using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Engine.Vectorization;

namespace LetsData.Runtime.Testing;

/// <summary>
/// A harness run's vectorization stage: the plugin's <see cref="ISagemakerVectorsInterface"/> and the test's own
/// endpoint in place of SageMaker (e.g. <see cref="FunctionVectorEndpoint"/>). Everything else is the worker's path.
/// </summary>
/// <param name="CreateVectorizer">Called once per task.</param>
/// <param name="Endpoint">Embeds each batch of texts.</param>
/// <param name="BatchSize">Texts in one request at most.</param>
/// <param name="BatchMaxBytes">UTF-8 bytes of text in one request at most.</param>
public sealed record HarnessVectorization(
    Func<ISagemakerVectorsInterface> CreateVectorizer,
    IVectorEndpoint Endpoint,
    int BatchSize = Datasets.SagemakerVectorization.DefaultBatchSize,
    int BatchMaxBytes = Datasets.SagemakerVectorization.DefaultBatchMaxBytes)
{
    internal ReaderBinding Apply(ReaderBinding binding) => binding with { Vectorizer = CreateVectorizer };

    internal EngineOptions Apply(EngineOptions options) =>
        options with { Vectorization = new VectorizationOptions(Endpoint, BatchSize, BatchMaxBytes) };
}
