namespace LetsData.Runtime.Aws.AwsJson;

/// <summary>
/// How often and how long a failed AWS JSON call (Kinesis, DynamoDB Streams) is tried again: capped exponential backoff with full jitter
/// (a random delay between zero and the capped exponential), within a budget of attempts and of total delay so a
/// stuck stream ends in an error instead of a hang.
/// </summary>
public sealed record AwsRetryPolicy
{
    /// <summary>The policy used when none is given: 8 attempts, 100 ms doubling up to 5 s, at most 30 s of waiting.</summary>
    public static AwsRetryPolicy Default { get; } = new();

    /// <summary>Attempts in all, the first one included.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The cap of the first retry's delay; it doubles with each retry up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest delay before one retry.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The most time spent waiting between attempts of one call; no retry starts past it.</summary>
    public TimeSpan MaxTotalDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether an error with this code and HTTP status is worth trying again.</summary>
    public static bool IsRetryable(string errorCode, int statusCode) =>
        statusCode >= 500
        || errorCode is "ProvisionedThroughputExceededException" or "LimitExceededException" or "ThrottlingException"
            or "KMSThrottlingException" or "InternalFailure" or "ServiceUnavailable";

    /// <summary>
    /// The delay before retry number <paramref name="retry"/> (1 for the first retry), or null when the budget is
    /// spent: <paramref name="attemptsMade"/> reached <see cref="MaxAttempts"/> or the delay would take the total
    /// waiting (<paramref name="delayedSoFar"/>) past <see cref="MaxTotalDelay"/>.
    /// </summary>
    /// <param name="retry">1 for the first retry.</param>
    /// <param name="attemptsMade">Attempts already made.</param>
    /// <param name="delayedSoFar">Time already spent waiting between attempts.</param>
    public TimeSpan? NextDelay(int retry, int attemptsMade, TimeSpan delayedSoFar)
    {
        if (attemptsMade >= MaxAttempts)
        {
            return null;
        }

        var exponential = BaseDelay.Ticks * Math.Pow(2, Math.Min(retry - 1, 30));
        var cap = Math.Min(exponential, MaxDelay.Ticks);
        var delay = TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * cap));
        return delayedSoFar + delay > MaxTotalDelay ? null : delay;
    }
}
