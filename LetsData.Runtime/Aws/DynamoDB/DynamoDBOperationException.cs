namespace LetsData.Runtime.Aws.DynamoDB;

/// <summary>
/// A DynamoDB call of a connector failed for good (not retryable, or still failing when the retry budget ran out).
/// The message names the table, the operation and the AWS error code.
/// </summary>
public sealed class DynamoDBOperationException(string message, string tableName, string? errorCode, Exception? innerException = null)
    : Exception(message, innerException)
{
    public string TableName { get; } = tableName;

    /// <summary>The AWS error code (e.g. <c>ResourceNotFoundException</c>), or null when the failure had none.</summary>
    public string? ErrorCode { get; } = errorCode;
}
