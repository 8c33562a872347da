using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing.S3;

/// <summary>
/// Takes back an earlier attempt's S3 output at a checkpoint's <see cref="S3OutputPosition"/>, so the resumed task writes
/// only what came after it. Preferred: the earlier attempt's multipart upload is still open with the checkpoint's parts —
/// it is continued, with the checkpoint's segments read back into the part buffer. Otherwise the earlier attempt finished
/// the object (an errored task being redriven): its first <see cref="S3OutputPosition.Bytes"/> are copied into a new
/// output. Neither: <see cref="OutputResumeException"/>, and the task starts over.
/// </summary>
internal sealed class S3OutputResumer(IAmazonS3 client, string bucket, string erroredKey, int partSize)
{
    /// <summary>A part stream holding the object's first <c>position.Bytes</c> (uploaded or buffered), ready for the next write.</summary>
    /// <exception cref="OutputResumeException">Nothing usable is left of the earlier output.</exception>
    public S3PartUploadStream Resume(S3OutputPosition position, S3CheckpointSegments segments)
    {
        var notContinued = TryContinueUpload(position, segments, out var continued);
        if (continued is not null)
        {
            return continued;
        }

        var rebuilt = TryRebuildFromObject(position);
        return rebuilt ?? throw new OutputResumeException(
            $"the output s3://{bucket}/{position.Key} cannot be continued at the checkpoint's {position.Bytes} bytes: {notContinued}, " +
            $"and neither s3://{bucket}/{erroredKey} nor s3://{bucket}/{position.Key} holds that many bytes");
    }

    /// <summary>Continues the earlier attempt's upload; returns why not (and a null stream) when it cannot.</summary>
    private string TryContinueUpload(S3OutputPosition position, S3CheckpointSegments segments, out S3PartUploadStream? continued)
    {
        continued = null;
        var upload = position.UploadId is null ? "" : $" (upload {position.UploadId})";
        if (position.UploadId is { } uploadId)
        {
            var found = S3UploadedParts.List(client, bucket, position.Key, uploadId);
            if (found is null)
            {
                return $"upload {uploadId} is no longer open";
            }

            if (position.Parts.FirstOrDefault(p => !found.TryGetValue(p.Number, out var etag) || !S3UploadedPart.SameETag(etag, p.ETag)) is { } changed)
            {
                return $"part {changed.Number} of upload {uploadId} is not the checkpoint's";
            }
        }

        var stream = position.UploadId is null
            ? new S3PartUploadStream(client, bucket, position.Key, partSize)
            : S3PartUploadStream.Continue(client, bucket, position.Key, partSize, position.UploadId, position.Parts);
        try
        {
            foreach (var segment in position.Segments)
            {
                if (!TryAppend(segment.Key, byteRange: null, segment.Length, stream))
                {
                    stream.Dispose(); // the upload is kept: the checkpoint refers to it
                    return $"segment s3://{bucket}/{segment.Key}{upload} is missing or shorter than its {segment.Length} bytes";
                }
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        segments.Adopt(position.Parts.Count, position.Segments);
        continued = stream;
        return "";
    }

    /// <summary>The object the earlier attempt finished (errored first: the usual redrive), cut to the checkpoint's bytes.</summary>
    private S3PartUploadStream? TryRebuildFromObject(S3OutputPosition position)
    {
        foreach (var key in new[] { erroredKey, position.Key })
        {
            if (Length(key) is not { } length || length < position.Bytes)
            {
                continue;
            }

            // Through the usual write path: full parts upload as they fill, under a new upload of this writer.
            var stream = new S3PartUploadStream(client, bucket, position.Key, partSize);
            try
            {
                if (position.Bytes > 0 && !TryAppend(key, new ByteRange(0, position.Bytes - 1), position.Bytes, stream))
                {
                    stream.Dispose();
                    continue;
                }
            }
            catch
            {
                stream.Dispose();
                throw;
            }

            return stream;
        }

        return null;
    }

    private long? Length(string key)
    {
        try
        {
            return client.GetObjectMetadataAsync(bucket, key).GetAwaiter().GetResult().ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Writes the object's bytes (or a range of them) into <paramref name="target"/>; false when it is gone or shorter than <paramref name="expected"/>.</summary>
    private bool TryAppend(string key, ByteRange? byteRange, long expected, S3PartUploadStream target)
    {
        var before = target.BytesWritten;
        try
        {
            using var response = client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = byteRange })
                .GetAwaiter().GetResult();
            response.ResponseStream.CopyTo(target);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        return target.BytesWritten - before == expected;
    }
}
