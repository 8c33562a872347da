using System.Collections.Concurrent;
using Amazon.S3;
using Amazon.S3.Model;

namespace LetsData.Runtime.Writing.S3;

/// <summary>
/// Copies an object to another key of the same bucket, at any size: S3 refuses CopyObject for a source over 5 GB, so a
/// larger one is copied as a multipart upload of the destination whose parts are UploadPartCopy byte ranges of the
/// source. A failed multipart copy is aborted (its parts would be kept and billed otherwise).
/// </summary>
internal sealed class S3ObjectCopy(IAmazonS3 client, S3CopyOptions options)
{
    /// <summary>
    /// Copies <paramref name="sourceKey"/> (of <paramref name="size"/> bytes, which the caller knows: it wrote them) to
    /// <paramref name="destinationKey"/>. With <paramref name="sourceETag"/>, a source that changed meanwhile fails the
    /// copy (PreconditionFailed) instead of giving the destination parts of two objects.
    /// </summary>
    /// <exception cref="IOException">A request failed; the message names both objects, the copy upload and S3's error.</exception>
    public async Task CopyAsync(string bucket, string sourceKey, string destinationKey, long size, string? sourceETag,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (size <= options.SingleCopyLimit)
        {
            await CopyWholeAsync(bucket, sourceKey, destinationKey, sourceETag, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await CopyInPartsAsync(bucket, sourceKey, destinationKey, size, sourceETag, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyWholeAsync(string bucket, string sourceKey, string destinationKey, string? sourceETag,
        CancellationToken cancellationToken)
    {
        try
        {
            await client.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = bucket, SourceKey = sourceKey, DestinationBucket = bucket, DestinationKey = destinationKey,
                ETagToMatch = sourceETag,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (S3Failure.IsRequestFailure(e))
        {
            throw new IOException($"copying s3://{bucket}/{sourceKey} to s3://{bucket}/{destinationKey} (CopyObject) failed: {S3Failure.Describe(e)}", e);
        }
    }

    private async Task CopyInPartsAsync(string bucket, string sourceKey, string destinationKey, long size, string? sourceETag,
        CancellationToken cancellationToken)
    {
        var what = $"copying s3://{bucket}/{sourceKey} to s3://{bucket}/{destinationKey} in parts";
        string uploadId;
        try
        {
            uploadId = (await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = destinationKey },
                cancellationToken).ConfigureAwait(false)).UploadId;
        }
        catch (Exception e) when (S3Failure.IsRequestFailure(e))
        {
            throw new IOException($"{what} failed: CreateMultipartUpload: {S3Failure.Describe(e)}", e);
        }

        var partSize = options.PartSizeFor(size);
        var partCount = (int)((size + partSize - 1) / partSize);
        var etags = new ConcurrentDictionary<int, string>();
        var step = "UploadPartCopy";
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(1, partCount),
                new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelParts, CancellationToken = cancellationToken },
                async (number, ct) =>
                {
                    var first = (number - 1) * partSize;
                    var last = Math.Min(size, first + partSize) - 1;
                    try
                    {
                        var response = await client.CopyPartAsync(new CopyPartRequest
                        {
                            SourceBucket = bucket, SourceKey = sourceKey, DestinationBucket = bucket, DestinationKey = destinationKey,
                            UploadId = uploadId, PartNumber = number, FirstByte = first, LastByte = last,
                            ETagToMatch = sourceETag is null ? null : [sourceETag],
                        }, ct).ConfigureAwait(false);
                        etags[number] = response.ETag;
                    }
                    catch (Exception e) when (S3Failure.IsRequestFailure(e))
                    {
                        throw new PartCopyException(number, first, last, e);
                    }
                }).ConfigureAwait(false);

            step = "CompleteMultipartUpload";
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket, Key = destinationKey, UploadId = uploadId,
                PartETags = etags.OrderBy(p => p.Key).Select(p => new PartETag(p.Key, p.Value)).ToList(),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await S3Failure.AbortQuietlyAsync(client, bucket, destinationKey, uploadId).ConfigureAwait(false);
            if (e is PartCopyException part)
            {
                throw new IOException($"{what} failed (copy upload {uploadId} aborted): UploadPartCopy of part {part.Number} " +
                    $"(bytes {part.First}-{part.Last} of {size}): {S3Failure.Describe(part.InnerException!)}", part.InnerException);
            }

            if (S3Failure.IsRequestFailure(e))
            {
                throw new IOException($"{what} failed (copy upload {uploadId} aborted): {step}: {S3Failure.Describe(e)}", e);
            }

            throw;
        }
    }

    /// <summary>Carries which range failed out of the parallel loop (its exception is the part's request failure).</summary>
    private sealed class PartCopyException(int number, long first, long last, Exception inner) : Exception(inner.Message, inner)
    {
        public int Number { get; } = number;
        public long First { get; } = first;
        public long Last { get; } = last;
    }
}
