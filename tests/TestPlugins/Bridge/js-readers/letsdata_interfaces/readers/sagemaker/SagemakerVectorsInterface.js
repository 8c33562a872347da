// Vectorizes a document's "text"; "raise-extract" / "raise-construct" as the text make that function throw.
export class SagemakerVectorsInterface {
  extractDocumentElementsForVectorization(document) {
    if (document.text === 'raise-extract') {
      throw new Error(`cannot extract from ${document.documentId}`);
    }
    return { Text: document.text };
  }

  constructVectorDoc(documentInterface, vectorsMap) {
    if (documentInterface.text === 'raise-construct') {
      throw new Error(`cannot construct ${documentInterface.documentId}`);
    }
    return {
      documentType: 'Document', documentId: documentInterface.documentId, recordType: 'VECTOR',
      partitionKey: documentInterface.documentId, documentMetadata: {},
      documentKeyValuesMap: { source: documentInterface, names: Object.keys(vectorsMap).sort(), TextVector: vectorsMap.Text },
    };
  }
}
