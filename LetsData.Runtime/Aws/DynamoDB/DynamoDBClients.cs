using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace LetsData.Runtime.Aws.DynamoDB;

/// <summary>
/// The one way the runtime makes DynamoDB clients, for the table read connector and the write connector alike: the
/// standard AWS credential, region and endpoint chains. AWSSDK 4.1 reads <c>AWS_ENDPOINT_URL_DYNAMODB</c> (and
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
    public static AmazonDynamoDBClient Create(Action<AmazonDynamoDBConfig>? configure = null)
    {
        var config = new AmazonDynamoDBConfig { Timeout = AttemptTimeout };
        configure?.Invoke(config);
        return new AmazonDynamoDBClient(config);
    }

    /// <summary>The dataset problem reported when a connector's client cannot be made (typically: no region configured).</summary>
    public static string SetupProblem(string field, AmazonClientException e) =>
        $"{field} (DynamoDB): the DynamoDB client could not be set up: {e.Message} (set AWS_REGION or a region in the AWS profile; AWS_ENDPOINT_URL_DYNAMODB for a DynamoDB-compatible endpoint)";
}
