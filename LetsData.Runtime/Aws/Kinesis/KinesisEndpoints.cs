using Amazon;
using LetsData.Runtime.Aws.Http;

namespace LetsData.Runtime.Aws.Kinesis;

/// <summary>The endpoint resolution of the AWS SDKs, for the one service this client speaks to.</summary>
internal static class KinesisEndpoints
{
    public const string ServiceVariable = "AWS_ENDPOINT_URL_KINESIS";
    public const string GlobalVariable = ServiceEndpoint.GlobalVariable;

    public static Uri Resolve(RegionEndpoint region) => ServiceEndpoint.Resolve(ServiceVariable, "kinesis", "Kinesis", region);
}
