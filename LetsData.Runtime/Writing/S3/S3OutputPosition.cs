using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.S3.Model;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing.S3;

/// <summary>
/// Where an S3 JSON Lines object stood at a checkpoint: the multipart upload's uploaded parts plus the segment objects
/// holding the bytes after the last part. Stored (as compact JSON) in the task's checkpoint and given back to a resumed
/// writer, which continues the same object from exactly <see cref="Bytes"/>.
/// </summary>
/// <param name="Version">The format; a position of another version is not continued.</param>
/// <param name="Key">The key the upload was started under (the object's completed key).</param>
/// <param name="UploadId">The multipart upload; null while the output still fitted one part buffer.</param>
/// <param name="Parts">Parts 1..N uploaded so far, in order.</param>
/// <param name="Segments">Segment objects holding the bytes after part N, in order.</param>
/// <param name="Bytes">The object's length at the checkpoint (the parts' and segments' bytes together).</param>
/// <param name="PartsHash">The <see cref="S3ContentHash"/> through the last part (what a continued upload hashes on from).</param>
/// <param name="Hash">The <see cref="S3ContentHash"/> of the object's first <see cref="Bytes"/>: an object to rebuild from must match it.</param>
internal sealed record S3OutputPosition(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("uploadId")] string? UploadId,
    [property: JsonPropertyName("parts")] IReadOnlyList<S3UploadedPart> Parts,
    [property: JsonPropertyName("segments")] IReadOnlyList<S3Segment> Segments,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("partsHash")] string? PartsHash,
    [property: JsonPropertyName("hash")] string? Hash)
{
    /// <summary>2: with the content hashes (version 1 had none; its output cannot be checked, so it is not continued).</summary>
    public const int CurrentVersion = 2;

    /// <summary>The position of <paramref name="key"/> at <paramref name="upload"/>'s bytes so far, with <paramref name="segments"/> after its parts.</summary>
    public static S3OutputPosition Of(string key, S3PartUploadStream? upload, IReadOnlyList<S3Segment> segments) => upload is null
        ? new(CurrentVersion, key, null, [], [], 0, S3ContentHash.Format(0), S3ContentHash.Format(new S3ContentHash().Current))
        : new(CurrentVersion, key, upload.UploadId, upload.Parts.ToArray(), segments, upload.BytesWritten,
            S3ContentHash.Format(upload.ContentHash.PartsHash), S3ContentHash.Format(upload.ContentHash.Current));

    /// <summary>See <see cref="PartsHash"/> (checked to parse by <see cref="Parse"/>).</summary>
    [JsonIgnore]
    public ulong PartsHashValue => S3ContentHash.TryParse(PartsHash, out var value) ? value : 0;

    /// <summary>See <see cref="Hash"/> (checked to parse by <see cref="Parse"/>).</summary>
    [JsonIgnore]
    public ulong HashValue => S3ContentHash.TryParse(Hash, out var value) ? value : 0;

    public string ToJson() => JsonSerializer.Serialize(this, S3OutputPositionJsonContext.Default.S3OutputPosition);

    /// <summary>Reads a checkpoint's position of <c>s3://bucket/key</c>.</summary>
    /// <exception cref="OutputResumeException">The position is not one this writer can continue; the message names the field.</exception>
    public static S3OutputPosition Parse(string json, string bucket, string key)
    {
        S3OutputPosition? position;
        try
        {
            position = JsonSerializer.Deserialize(json, S3OutputPositionJsonContext.Default.S3OutputPosition);
        }
        catch (JsonException e)
        {
            throw Malformed(bucket, key, e.Path ?? "$", e.Message);
        }

        if (position is null)
        {
            throw Malformed(bucket, key, "$", "null");
        }

        position.Validate(bucket, key);
        return position;
    }

    private void Validate(string bucket, string key)
    {
        if (Version < CurrentVersion)
        {
            throw new OutputResumeException($"the checkpoint's position of s3://{bucket}/{key} is of version {Version}, without the " +
                $"content hash of version {CurrentVersion}: its output cannot be checked, so it cannot be continued (the task starts over)");
        }

        if (Version != CurrentVersion)
        {
            throw Malformed(bucket, key, "v", $"version {Version}, this worker continues version {CurrentVersion}");
        }

        if (Key != key)
        {
            throw new OutputResumeException($"the checkpoint continues s3://{bucket}/{Key}, not this task's s3://{bucket}/{key}");
        }

        if (Parts is null || Segments is null)
        {
            throw Malformed(bucket, key, Parts is null ? "parts" : "segments", "missing");
        }

        if (UploadId is null != (Parts.Count == 0))
        {
            throw Malformed(bucket, key, "uploadId", "parts need an upload id and an upload id needs parts");
        }

        for (var i = 0; i < Parts.Count; i++)
        {
            var part = Parts[i];
            if (part is null || part.Number != i + 1 || string.IsNullOrEmpty(part.ETag) || part.Size <= 0)
            {
                throw Malformed(bucket, key, $"parts[{i}]", $"not part number {i + 1} with an ETag and a size");
            }
        }

        foreach (var (segment, i) in Segments.Select((s, i) => (s, i)))
        {
            if (segment is null || string.IsNullOrEmpty(segment.Key) || segment.Length <= 0)
            {
                throw Malformed(bucket, key, $"segments[{i}]", "not a key with a length");
            }
        }

        if (!S3ContentHash.TryParse(PartsHash, out _) || !S3ContentHash.TryParse(Hash, out _))
        {
            throw Malformed(bucket, key, S3ContentHash.TryParse(PartsHash, out _) ? "hash" : "partsHash", "not 16 hex digits");
        }

        if (Bytes != Parts.Sum(p => p.Size) + Segments.Sum(s => (long)s.Length))
        {
            throw Malformed(bucket, key, "bytes", $"{Bytes} is not the parts' and segments' bytes together");
        }
    }

    private static OutputResumeException Malformed(string bucket, string key, string field, string why) =>
        new($"the checkpoint's position of s3://{bucket}/{key} is malformed: '{field}': {why}");
}

/// <summary>One uploaded part of a multipart upload, with the checksum S3 answered (CompleteMultipartUpload repeats it).</summary>
internal sealed record S3UploadedPart(
    [property: JsonPropertyName("n")] int Number,
    [property: JsonPropertyName("etag")] string ETag,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("crc32")] string? ChecksumCrc32 = null,
    [property: JsonPropertyName("crc32c")] string? ChecksumCrc32C = null,
    [property: JsonPropertyName("sha1")] string? ChecksumSha1 = null,
    [property: JsonPropertyName("sha256")] string? ChecksumSha256 = null)
{
    public PartETag ToPartETag() => new(Number, ETag)
    {
        ChecksumCRC32 = ChecksumCrc32,
        ChecksumCRC32C = ChecksumCrc32C,
        ChecksumSHA1 = ChecksumSha1,
        ChecksumSHA256 = ChecksumSha256,
    };

    /// <summary>ETags compare without their quotes (S3 itself ignores them when completing).</summary>
    public static bool SameETag(string? a, string? b) => a is not null && b is not null && a.Trim('"') == b.Trim('"');
}

/// <summary>A segment object: <see cref="Length"/> bytes of the object, after the uploaded parts and earlier segments.</summary>
internal sealed record S3Segment(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("length")] int Length);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(S3OutputPosition))]
internal sealed partial class S3OutputPositionJsonContext : JsonSerializerContext;
