using Amazon;

namespace LetsData.Runtime.Aws.AwsJson;

/// <summary>
/// The endpoint resolution of the AWS SDKs for one service: its own variable (e.g. <c>AWS_ENDPOINT_URL_KINESIS</c>),
/// else <c>AWS_ENDPOINT_URL</c>, else <c>https://HOST.REGION.amazonaws.com/</c>.
/// </summary>
/// <param name="ServiceName">The service's name for messages.</param>
/// <param name="ServiceVariable">The service's endpoint variable.</param>
/// <param name="HostPrefix">The regional host's prefix, e.g. <c>kinesis</c> or <c>streams.dynamodb</c>.</param>
internal sealed record AwsServiceEndpoint(string ServiceName, string ServiceVariable, string HostPrefix)
{
    public const string GlobalVariable = "AWS_ENDPOINT_URL";

    public Uri Resolve(RegionEndpoint region)
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
                : throw new InvalidOperationException($"the {ServiceName} endpoint '{configured}' (from {ServiceVariable} or {GlobalVariable}) is not an absolute URL");
        }

        // China regions live under their own DNS suffix; every other partition the runtime targets uses amazonaws.com.
        var suffix = region.SystemName.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{HostPrefix}.{region.SystemName}.{suffix}/");
    }
}
