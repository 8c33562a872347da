# Echoes the scanned item's arguments; an item whose key "id" is "raise" makes it raise.


class DynamoDBTableItemReader:
    def parseDynamoDBItem(self, tableName, segmentNumber, keys, item):
        if keys.get("id") == "raise":
            raise KeyError("cannot parse item " + keys["id"])
        return {"status": "SUCCESS", "nextRecordType": None, "document": {
            "documentType": "Document", "documentId": keys["id"], "recordType": "Item", "partitionKey": keys["id"],
            "documentMetadata": {}, "documentKeyValuesMap": {"args": [tableName, segmentNumber, keys, item]}}}
