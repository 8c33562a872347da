namespace LetsData.Runtime.Writing.DynamoDB;

/// <summary>
/// How long the DynamoDB write connector keeps trying a batch, on top of the SDK's own retries: capped exponential
/// backoff with full jitter for unprocessed items, throttling and server errors.
/// </summary>
public sealed record DynamoDBWriteOptions
{
    public static DynamoDBWriteOptions Default { get; } = new();

    /// <summary>Retries without progress before the task fails; a partly accepted batch starts the count again.</summary>
    public int MaxRetries { get; init; } = 10;

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);
}
