using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace LetsData.Runtime.Writing.S3;

/// <summary>
/// What S3 holds of an open multipart upload (ListParts): how a resumed writer checks that the earlier attempt's parts
/// are still the checkpoint's, and that no stale writer replaced one of its own parts before it completes the object.
/// </summary>
internal static class S3UploadedParts
{
    /// <summary>The upload's parts by number with their ETags; null when the upload is no longer open (completed or aborted).</summary>
    /// <exception cref="IOException">ListParts failed otherwise (the message names the object, the upload and S3's error code).</exception>
    public static Dictionary<int, string?>? List(IAmazonS3 client, string bucket, string key, string uploadId)
    {
        var parts = new Dictionary<int, string?>();
        int? marker = null;
        try
        {
            while (true)
            {
                var page = client.ListPartsAsync(new ListPartsRequest
                {
                    BucketName = bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumberMarker = marker?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }).GetAwaiter().GetResult();
                foreach (var part in page.Parts ?? [])
                {
                    parts[part.PartNumber ?? 0] = part.ETag;
                }

                if (page.IsTruncated != true || page.NextPartNumberMarker is not { } next || next == marker)
                {
                    return parts;
                }

                marker = next;
            }
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload" || e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (S3Failure.IsRequestFailure(e))
        {
            throw new IOException($"s3://{bucket}/{key} (upload {uploadId}): ListParts failed: {S3Failure.Describe(e)}", e);
        }
    }

    /// <summary>The first of <paramref name="expected"/> that <paramref name="found"/> (a <see cref="List"/>) lacks or holds with another ETag.</summary>
    public static S3UploadedPart? FirstChanged(IReadOnlyDictionary<int, string?> found, IReadOnlyList<S3UploadedPart> expected) =>
        expected.FirstOrDefault(p => !found.TryGetValue(p.Number, out var etag) || !S3UploadedPart.SameETag(etag, p.ETag));

    /// <summary>
    /// Before completing an upload that an earlier attempt of the task also wrote to: a worker that lost the task but
    /// has not noticed yet may have uploaded one of this writer's part numbers again, and completing would then make
    /// an object of mixed content (real S3 rejects mismatched ETags on completion; emulators may not).
    /// </summary>
    /// <exception cref="IOException">A part is missing or was replaced by another writer, or ListParts failed.</exception>
    public static void ThrowIfChanged(IAmazonS3 client, string bucket, string key, string uploadId, IReadOnlyList<S3UploadedPart> expected)
    {
        var found = List(client, bucket, key, uploadId)
            ?? throw new IOException($"s3://{bucket}/{key} (upload {uploadId}) is no longer open: another writer completed or aborted it");
        if (FirstChanged(found, expected) is { } part)
        {
            var etag = found.GetValueOrDefault(part.Number);
            throw new IOException($"part {part.Number} of s3://{bucket}/{key} (upload {uploadId}) was changed by another writer " +
                $"(ETag {etag ?? "none"}, this writer uploaded {part.ETag}); the object is not completed");
        }
    }
}
