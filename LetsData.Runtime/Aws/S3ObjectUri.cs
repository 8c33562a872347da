namespace LetsData.Runtime.Aws;

/// <summary>
/// One S3 object named as <c>s3://bucket/key</c>, as dataset fields give it (<c>artifactFile</c>,
/// <c>manifestFileS3Uri</c>). <see cref="ToString"/> gives the URI back, for messages.
/// </summary>
public sealed record S3ObjectUri(string BucketName, string Key)
{
    private const string Scheme = "s3://";

    /// <summary>True when <paramref name="value"/> is meant as an S3 URI (starts with <c>s3://</c>, any case), valid or not.</summary>
    public static bool IsS3Uri(string? value) => value?.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Parses <c>s3://bucket/key</c>; returns null with the reason when the bucket or the key is missing.</summary>
    public static S3ObjectUri? TryParse(string value, out string? problem)
    {
        problem = null;
        if (!IsS3Uri(value))
        {
            problem = $"'{value}' is not an s3://bucket/key URI";
            return null;
        }

        var rest = value[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var key = slash < 0 ? "" : rest[(slash + 1)..];
        if (bucket.Length == 0)
        {
            problem = $"'{value}' names no bucket (expected s3://bucket/key)";
            return null;
        }

        if (key.Length == 0 || key.EndsWith('/'))
        {
            problem = $"'{value}' names no object key (expected s3://bucket/key)";
            return null;
        }

        return new S3ObjectUri(bucket, key);
    }

    public override string ToString() => $"{Scheme}{BucketName}/{Key}";
}
