using LetsData.Interfaces;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// Vectorizes the <see cref="IndexRecord"/>s of <see cref="CommonCrawlReader"/> (compute engine
/// <c>LAMBDA_AND_SAGEMAKER</c>), as LetsData's CommonCrawlSagemakerReader does: the page text and its description go to
/// the endpoint, and a <see cref="VectorRecord"/> (ids plus vectors) is written in place of the index record.
/// </summary>
[Stateless]
public sealed class CommonCrawlVectorizer : ISagemakerVectorsInterface
{
    /// <summary>The friendly name of the page text's vector.</summary>
    public const string DocText = "docText";

    /// <summary>The friendly name of the description's vector.</summary>
    public const string DocDescription = "docDescription";

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> ExtractDocumentElementsForVectorization(IDocument document)
    {
        var elements = new Dictionary<string, string>(2);
        if (document is IndexRecord record)
        {
            if (!string.IsNullOrEmpty(record.DocText))
            {
                elements[DocText] = record.DocText;
            }

            if (!string.IsNullOrEmpty(record.Description))
            {
                elements[DocDescription] = record.Description;
            }
        }

        return elements;
    }

    /// <inheritdoc/>
    public IDocument ConstructVectorDoc(IDocument document, IReadOnlyDictionary<string, double[]> vectors)
    {
        if (document is not IndexRecord record)
        {
            // No offsets: the runtime names where the document came from.
            return new ErrorDoc(null, null, $"CommonCrawlVectorizer vectorizes IndexRecords, not {document.RecordType ?? document.GetType().Name}",
                document.DocumentId, document.RecordType);
        }

        return new VectorRecord(record.Url, record.DocumentId, vectors.GetValueOrDefault(DocText), vectors.GetValueOrDefault(DocDescription));
    }
}
