using Amazon;
using LetsData.Runtime.Aws.AwsJson;

namespace LetsData.Runtime.Aws.Kinesis;

/// <summary>The endpoint resolution of the AWS SDKs, for Kinesis.</summary>
internal static class KinesisEndpoints
{
    public const string ServiceVariable = "AWS_ENDPOINT_URL_KINESIS";
    public const string GlobalVariable = AwsServiceEndpoint.GlobalVariable;

    public static readonly AwsServiceEndpoint Endpoint = new("Kinesis", ServiceVariable, "kinesis");

    public static Uri Resolve(RegionEndpoint region) => Endpoint.Resolve(region);
}
