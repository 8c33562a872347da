using System.Globalization;
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
/// output, provided they hash to the checkpoint's <see cref="S3OutputPosition.Hash"/> (an object of another attempt, e.g.
/// one that errored before this checkpoint's attempt, may be as long but hold other bytes). Neither:
/// <see cref="OutputResumeException"/>, and the task starts over. A failing S3 request is an <see cref="IOException"/>
/// naming the object, the upload, the request and S3's error code.
/// </summary>
internal sealed class S3OutputResumer(IAmazonS3 client, string bucket, string erroredKey, int partSize, S3CopyOptions? copy = null)
{
    private const int CopyBufferSize = 81920;

    /// <summary>A part stream holding the object's first <c>position.Bytes</c> (uploaded or buffered), ready for the next write.</summary>
    /// <exception cref="OutputResumeException">Nothing usable is left of the earlier output.</exception>
    /// <exception cref="IOException">An S3 request failed.</exception>
    public S3PartUploadStream Resume(S3OutputPosition position, S3CheckpointSegments segments)
    {
        var notContinued = TryContinueUpload(position, segments, out var continued);
        if (continued is not null)
        {
            return continued;
        }

        var rebuilt = TryRebuildFromObject(position, out var notRebuilt);
        return rebuilt ?? throw new OutputResumeException(
            $"the output s3://{bucket}/{position.Key} cannot be continued at the checkpoint's {position.Bytes} bytes: {notContinued}, " +
            $"and {notRebuilt}");
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

            if (S3UploadedParts.FirstChanged(found, position.Parts) is { } changed)
            {
                return $"part {changed.Number} of upload {uploadId} is not the checkpoint's";
            }
        }

        var stream = position.UploadId is null
            ? new S3PartUploadStream(client, bucket, position.Key, partSize, copy)
            : S3PartUploadStream.Continue(client, bucket, position.Key, partSize, position.UploadId, position.Parts, position.PartsHashValue, copy);
        try
        {
            foreach (var segment in position.Segments)
            {
                if (!TryAppend(segment.Key, byteRange: null, segment.Length, stream, upload, hash: null))
                {
                    stream.Dispose(); // the upload is kept: the checkpoint refers to it
                    return $"segment s3://{bucket}/{segment.Key}{upload} is missing or shorter than its {segment.Length} bytes";
                }
            }

            if (stream.ContentHash.Current != position.HashValue)
            {
                stream.Dispose();
                return $"the segments{upload} do not hash to the checkpoint's {position.Hash}";
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

    /// <summary>
    /// The object the earlier attempt finished (errored first: the usual redrive), cut to the checkpoint's bytes; null
    /// and why not when neither candidate starts with the checkpoint's bytes.
    /// </summary>
    private S3PartUploadStream? TryRebuildFromObject(S3OutputPosition position, out string notRebuilt)
    {
        var why = new List<string>();
        foreach (var key in new[] { erroredKey, position.Key })
        {
            if (Length(key) is not { } length || length < position.Bytes)
            {
                why.Add($"s3://{bucket}/{key} does not hold {position.Bytes} bytes");
                continue;
            }

            // Through the usual write path: full parts upload as they fill, under a new upload of this writer (aborted
            // when the bytes turn out not to be the checkpoint's).
            var stream = new S3PartUploadStream(client, bucket, position.Key, partSize, copy);
            try
            {
                // The checkpoint's hash links are its parts: hashed with their sizes, whatever this writer's part size.
                var hash = new PositionHash(position.Parts);
                if (position.Bytes > 0 && !TryAppend(key, new ByteRange(0, position.Bytes - 1), position.Bytes, stream, "", hash))
                {
                    stream.Dispose();
                    why.Add($"s3://{bucket}/{key} does not hold {position.Bytes} bytes");
                    continue;
                }

                if (hash.Current != position.HashValue)
                {
                    stream.Dispose();
                    why.Add($"s3://{bucket}/{key}: its first {position.Bytes} bytes are not this checkpoint's (hash " +
                        $"{S3ContentHash.Format(hash.Current)}, the checkpoint's {position.Hash}; an object of another attempt)");
                    continue;
                }
            }
            catch
            {
                stream.Dispose();
                throw;
            }

            notRebuilt = "";
            return stream;
        }

        notRebuilt = string.Join(", and ", why);
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
        catch (Exception e) when (S3Failure.IsRequestFailure(e))
        {
            throw new IOException($"s3://{bucket}/{key}: HEAD failed while resuming the task's output: {S3Failure.Describe(e)}", e);
        }
    }

    /// <summary>
    /// Writes the object's bytes (or a range of them) into <paramref name="target"/>, and into <paramref name="hash"/>
    /// when given; false when it is gone or shorter than <paramref name="expected"/>.
    /// </summary>
    /// <exception cref="IOException">The GET failed (S3's error, or the connection while reading).</exception>
    private bool TryAppend(string key, ByteRange? byteRange, long expected, S3PartUploadStream target, string upload, PositionHash? hash)
    {
        var request = byteRange is null
            ? "GET"
            : $"GET range bytes={byteRange.Start.ToString(CultureInfo.InvariantCulture)}-{byteRange.End.ToString(CultureInfo.InvariantCulture)}";
        var copied = 0L;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            using var response = client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = byteRange })
                .GetAwaiter().GetResult();
            while (true)
            {
                var n = response.ResponseStream.Read(buffer, 0, buffer.Length);
                if (n == 0)
                {
                    break;
                }

                hash?.Append(buffer.AsSpan(0, n));
                // A failing part upload throws its own IOException (naming this writer's upload), not caught below.
                target.Write(buffer, 0, n);
                copied += n;
            }
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception e) when (S3Failure.IsRequestFailure(e) && !target.Failed)
        {
            throw new IOException($"s3://{bucket}/{key}{upload}: {request} failed while resuming the task's output: {S3Failure.Describe(e)}", e);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return copied == expected;
    }

    /// <summary>The <see cref="S3ContentHash"/> of an object's first bytes, its links at the position's part sizes.</summary>
    private sealed class PositionHash(IReadOnlyList<S3UploadedPart> parts)
    {
        private readonly S3ContentHash _hash = new();
        private int _part;
        private long _leftInPart = parts.Count > 0 ? parts[0].Size : long.MaxValue;

        public ulong Current => _hash.Current;

        public void Append(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                var n = (int)Math.Min(bytes.Length, _leftInPart);
                _hash.Append(bytes[..n]);
                bytes = bytes[n..];
                _leftInPart -= n;
                if (_leftInPart == 0)
                {
                    _hash.EndPart();
                    _part++;
                    _leftInPart = _part < parts.Count ? parts[_part].Size : long.MaxValue;
                }
            }
        }
    }
}
