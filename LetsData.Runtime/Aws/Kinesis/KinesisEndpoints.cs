using Amazon;

namespace LetsData.Runtime.Aws.Kinesis;

/// <summary>The endpoint resolution of the AWS SDKs, for the one service this client speaks to.</summary>
internal static class KinesisEndpoints
{
    public const string ServiceVariable = "AWS_ENDPOINT_URL_KINESIS";
    public const string GlobalVariable = "AWS_ENDPOINT_URL";

    public static Uri Resolve(RegionEndpoint region)
    {
        var configured = Environment.GetEnvironmentVariable(ServiceVariable);
        if (string.IsNullOrWhiteSpace(configured))
        {
            configured = Environment.GetEnvironmentVariable(GlobalVariable);
        }

        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Uri.TryCreate(configured.Trim(), UriKind.Absolute, out var uri)
                ? uri
                : throw new InvalidOperationException($"the Kinesis endpoint '{configured}' (from {ServiceVariable} or {GlobalVariable}) is not an absolute URL");
        }

        // China regions live under their own DNS suffix; every other partition the runtime targets uses amazonaws.com.
        var suffix = region.SystemName.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://kinesis.{region.SystemName}.{suffix}/");
    }
}
