using LetsData.Interfaces.Documents;

namespace LetsData.Interfaces.Readers;

/// <summary>
/// Vectorization hooks (compute engine LAMBDA_AND_SAGEMAKER): picks the texts of a document to embed,
/// then builds the output document from the vectors.
/// </summary>
/// <remarks>
/// Driven by a dataset with <c>computeEngine.computeEngineType</c> <c>"LAMBDA_AND_SAGEMAKER"</c> (endpoint in
/// <c>computeEngine.endpoint.sagemakerEndpointName</c>, class in <c>readConnector.sagemakerVectorsInterfaceClassName</c>):
/// each document the reader returns (for a composite, its document) is passed to
/// <see cref="ExtractDocumentElementsForVectorization"/> on the task's thread; the texts of many documents go to the
/// endpoint's InvokeEndpoint in batches; then <see cref="ConstructVectorDoc"/> is called with each document's vectors and
/// its result is written instead of the document (an <see cref="IErrorDoc"/> result becomes an error record). A document
/// whose batch the endpoint failed past its retries becomes an error record; an exception thrown here fails the task.
/// Documents are kept until their batch is sent: do not reuse a document object after returning it.
/// </remarks>
public interface ISagemakerVectorsInterface
{
    /// <summary>Picks the parts of <paramref name="document"/> to vectorize.</summary>
    /// <param name="document">The document produced by the reader.</param>
    /// <returns>Friendly name to the content to vectorize.</returns>
    IReadOnlyDictionary<string, string> ExtractDocumentElementsForVectorization(IDocument document);

    /// <summary>Builds the output document from the vectors of the extracted contents.</summary>
    /// <param name="document">The document produced by the reader.</param>
    /// <param name="vectors">Friendly name to the content's vector.</param>
    /// <returns>A "feature" document (the original plus vectors) or a "vector" document (ids plus vectors).</returns>
    IDocument ConstructVectorDoc(IDocument document, IReadOnlyDictionary<string, double[]> vectors);
}
