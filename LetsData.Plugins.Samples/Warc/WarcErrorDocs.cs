using System.Globalization;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Plugins.Samples.Warc;

/// <summary>Builds the error result for a WARC record that cannot be turned into a document.</summary>
public static class WarcErrorDocs
{
    /// <summary>
    /// An <see cref="ErrorDoc"/> spanning the whole record, <c>{fileType: start}</c> to
    /// <c>{fileType: end}</c> as decimal byte offsets in the decompressed file, wrapped in an
    /// <see cref="ParseDocumentResultStatus.Error"/> result so the engine sends it to the error destination.
    /// </summary>
    /// <param name="fileType">The file type, the key of the offset maps.</param>
    /// <param name="offsetBytes">The record's offset in the file, as passed to the parser.</param>
    /// <param name="recordLength">The record's length in bytes.</param>
    /// <param name="message">What is wrong, naming the field at fault.</param>
    /// <param name="recordType">The record type of the document the record would have produced.</param>
    /// <param name="documentId">The document id, when the record got far enough to have one.</param>
    /// <returns>The error result.</returns>
    public static ParseDocumentResult ForRecord(string fileType, long offsetBytes, int recordLength,
                                                string message, string recordType, string? documentId = null)
    {
        var errorDoc = new ErrorDoc(
            errorStartOffsetMap: new Dictionary<string, string> { [fileType] = offsetBytes.ToString(CultureInfo.InvariantCulture) },
            errorEndOffsetMap: new Dictionary<string, string> { [fileType] = (offsetBytes + recordLength).ToString(CultureInfo.InvariantCulture) },
            errorMessage: message,
            documentId: documentId,
            recordType: recordType,
            partitionKey: documentId);
        return ParseDocumentResult.Error(errorDoc);
    }
}
