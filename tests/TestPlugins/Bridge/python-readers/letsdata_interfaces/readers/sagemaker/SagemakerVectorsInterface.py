# Vectorizes a document's "text"; "raise-extract" / "raise-construct" as the text make that function raise.


class SagemakerVectorsInterface:
    def extractDocumentElementsForVectorization(self, document):
        if document.get("text") == "raise-extract":
            raise RuntimeError("cannot extract from " + document["documentId"])
        return {"Text": document["text"]}

    def constructVectorDoc(self, documentInterface, vectorsMap):
        if documentInterface.get("text") == "raise-construct":
            raise RuntimeError("cannot construct " + documentInterface["documentId"])
        return {"documentType": "Document", "documentId": documentInterface["documentId"], "recordType": "VECTOR",
                "partitionKey": documentInterface["documentId"], "documentMetadata": {},
                "documentKeyValuesMap": {"source": documentInterface, "names": sorted(vectorsMap.keys()),
                                         "TextVector": vectorsMap["Text"]}}
