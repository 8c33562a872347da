using LetsData.Interfaces.Documents;

namespace LetsData.Interfaces.Readers;

/// <summary>
/// Vectorization hooks (compute engine LAMBDA_AND_SAGEMAKER): picks the texts of a document to embed,
/// then builds the output document from the vectors.
/// </summary>
/// <remarks><b>Not driven by this runtime yet</b>: no dataset setting calls a SageMaker endpoint or these methods.</remarks>
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
