using System.Security.Cryptography;
using System.Text;

namespace LetsData.Runtime.Tests.Kinesis;

/// <summary>
/// SigV4 written out step by step from the AWS specification, independent of AWSSDK.Core, so the tests can check the
/// signatures the SDK's signer puts on our requests. It is itself checked against the AWS documentation's example.
/// </summary>
internal static class ReferenceSigV4
{
    public static string Signature(
        string method, string path, string canonicalQuery, IReadOnlyList<(string Name, string Value)> signedHeaders,
        ReadOnlySpan<byte> body, string amzDate, string region, string service, string secretKey)
    {
        var sorted = signedHeaders.Select(h => (Name: h.Name.ToLowerInvariant(), Value: h.Value.Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        var canonicalHeaders = string.Concat(sorted.Select(h => $"{h.Name}:{h.Value}\n"));
        var signedHeaderNames = string.Join(';', sorted.Select(h => h.Name));
        var canonicalRequest = $"{method}\n{path}\n{canonicalQuery}\n{canonicalHeaders}\n{signedHeaderNames}\n{Hex(SHA256.HashData(body))}";
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        foreach (var part in new[] { region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static string Hex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
