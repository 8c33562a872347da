using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace LetsData.Runtime.Aws.DynamoDB;

/// <summary>
/// The one way the runtime makes DynamoDB clients, for the table read connector and the write connector alike:
/// credentials from <see cref="Credentials.RuntimeCredentials"/> (the caller passes the dataset's), the standard
/// region and endpoint chains. AWSSDK 4.1 reads <c>AWS_ENDPOINT_URL_DYNAMODB</c> (and
/// <c>AWS_ENDPOINT_URL</c>) itself, so nothing here knows about emulators.
/// </summary>
public static class DynamoDBClients
{
    /// <summary>
    /// One attempt's time limit. The SDK's default (100 s) times the SDK's and the connector's retries would let an
    /// endpoint that never answers hold a task for tens of minutes; a batch of 25 items answers in milliseconds.
    /// </summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(20);

    /// <param name="configure">Adjusts the client configuration further (tests put a fault-injecting HTTP handler in).</param>
    /// <param name="credentials">What to sign with (<see cref="Credentials.RuntimeCredentials.For"/>); null: the SDK's default chain.</param>
    public static AmazonDynamoDBClient Create(Action<AmazonDynamoDBConfig>? configure = null, AWSCredentials? credentials = null)
    {
        var config = new AmazonDynamoDBConfig { Timeout = AttemptTimeout };
        configure?.Invoke(config);
        return credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(credentials, config);
    }

    /// <summary>
    /// DynamoDB could not be reached: the connection failed, or an attempt timed out — the SDK reports its own attempt
    /// timeout (a server that accepts the connection and never answers) as a <see cref="TimeoutException"/> or as a
    /// cancellation that is not the caller's. Not the caller's own cancellation.
    /// </summary>
    public static bool IsTransportFailure(Exception e, CancellationToken cancellationToken) =>
        e is AmazonClientException or HttpRequestException or IOException or TimeoutException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>The dataset problem reported when a connector's client cannot be made (typically: no region configured).</summary>
    public static string SetupProblem(string field, AmazonClientException e) =>
        $"{field} (DynamoDB): the DynamoDB client could not be set up: {e.Message} (set AWS_REGION or a region in the AWS profile; AWS_ENDPOINT_URL_DYNAMODB for a DynamoDB-compatible endpoint)";
}
