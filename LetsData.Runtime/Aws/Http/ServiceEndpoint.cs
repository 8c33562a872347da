using Amazon;

namespace LetsData.Runtime.Aws.Http;

/// <summary>The endpoint resolution of the AWS SDKs for a service the runtime speaks to over its own HTTP client.</summary>
internal static class ServiceEndpoint
{
    public const string GlobalVariable = "AWS_ENDPOINT_URL";

    /// <summary>
    /// <paramref name="serviceVariable"/> (e.g. <c>AWS_ENDPOINT_URL_KINESIS</c>), else <c>AWS_ENDPOINT_URL</c>, else
    /// <c>https://HOST.REGION.amazonaws.com/</c> for <paramref name="hostPrefix"/> (e.g. <c>kinesis</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The variable set is not an absolute URL.</exception>
    public static Uri Resolve(string serviceVariable, string hostPrefix, string serviceLabel, RegionEndpoint region)
    {
        var configured = Environment.GetEnvironmentVariable(serviceVariable);
        if (string.IsNullOrWhiteSpace(configured))
        {
            configured = Environment.GetEnvironmentVariable(GlobalVariable);
        }

        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Uri.TryCreate(configured.Trim(), UriKind.Absolute, out var uri)
                ? uri
                : throw new InvalidOperationException($"the {serviceLabel} endpoint '{configured}' (from {serviceVariable} or {GlobalVariable}) is not an absolute URL");
        }

        // China regions live under their own DNS suffix; every other partition the runtime targets uses amazonaws.com.
        var suffix = region.SystemName.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{hostPrefix}.{region.SystemName}.{suffix}/");
    }
}
