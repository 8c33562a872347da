namespace LetsData.Runtime.Writing;

/// <summary>
/// Thrown by <see cref="IDocumentSink.Write"/> when the destination cannot take this one document (larger than a
/// Kinesis record or a DynamoDB item may be, no usable key). The engine turns it into an error record for the document
/// and the task goes on; any other exception from a sink fails the task.
/// </summary>
public sealed class DocumentRejectedException(string message) : Exception(message);
