using System.Buffers;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace LetsData.Runtime.Writing.S3;

/// <summary>
/// The checkpoint side of an S3 JSON Lines object: the bytes after the last uploaded part live only in the writer's
/// part buffer, so at each checkpoint the bytes written since the previous one (or since the last part) become one small
/// <em>segment object</em>, <c>&lt;completed key&gt;.inprogress-&lt;writer id&gt;-&lt;n&gt;</c>. Only the new bytes are
/// sent: re-sending the whole buffer tail at every checkpoint would multiply the traffic many times over for small
/// records. The writer id is random per writer, so an earlier attempt that has not noticed it lost the task can never
/// overwrite a segment a newer attempt's checkpoint refers to. Segments of a part are obsolete once the part is uploaded
/// but are only removed when the object is complete: the last stored checkpoint may still refer to them.
/// <para>
/// Compaction: a position lists at most <see cref="MaxSegments"/> segments (the task ledger bounds a checkpoint's size,
/// and a task whose error sink gets a record now and then checkpoints new bytes thousands of times within one part).
/// The checkpoint that would add one more uploads the whole buffered tail as one segment instead, and the position
/// lists only that one (the older ones stay until completion, like all segments). So within one part buffer, of every
/// 16 checkpoints with new bytes, 15 send only their new bytes and one at most the part buffer.
/// </para>
/// <para>
/// <see cref="Take"/> runs on the task's thread and copies the new bytes into a pooled buffer; <see cref="UploadPending"/>
/// sends them from the checkpoint's background thread while the task writes on.
/// </para>
/// </summary>
internal sealed class S3CheckpointSegments : IDisposable
{
    private const string Marker = ".inprogress-";

    /// <summary>The most segments a position lists (see the compaction above).</summary>
    public const int MaxSegments = 16;

    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _keyPrefix;
    private readonly Lock _pendingLock = new();
    private readonly List<S3Segment> _current = [];
    private List<PendingSegment> _pending = [];
    private int _sequence;
    private int _coveredParts;
    private int _coveredBytes;

    public S3CheckpointSegments(IAmazonS3 client, string bucket, string completedKey)
    {
        _client = client;
        _bucket = bucket;
        CompletedKey = completedKey;
        _keyPrefix = completedKey + Marker + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + "-";
    }

    public string CompletedKey { get; }

    /// <summary>A resumed writer's part buffer holds the checkpoint's segments: they stay valid and are not sent again.</summary>
    public void Adopt(int partsUploaded, IReadOnlyList<S3Segment> segments)
    {
        _coveredParts = partsUploaded;
        _current.Clear();
        _current.AddRange(segments);
        _coveredBytes = segments.Sum(s => s.Length);
    }

    /// <summary>
    /// For a checkpoint: copies what <paramref name="upload"/> buffered since the last checkpoint into a new pending
    /// segment and returns the segments that, after its uploaded parts, make up the object now. When that would be
    /// more than <see cref="MaxSegments"/>, the new segment holds the whole buffer and is the only one returned.
    /// </summary>
    public IReadOnlyList<S3Segment> Take(S3PartUploadStream upload)
    {
        if (upload.Parts.Count != _coveredParts)
        {
            // A part was uploaded since: it holds what the segments held, and the buffer restarted at its end.
            _coveredParts = upload.Parts.Count;
            _current.Clear();
            _coveredBytes = 0;
        }

        var fresh = upload.Buffered[_coveredBytes..];
        if (!fresh.IsEmpty)
        {
            if (_current.Count >= MaxSegments)
            {
                fresh = upload.Buffered;
                _current.Clear();
                _coveredBytes = 0;
            }

            var copy = ArrayPool<byte>.Shared.Rent(fresh.Length);
            fresh.CopyTo(copy);
            var segment = new S3Segment(_keyPrefix + _sequence++, fresh.Length);
            lock (_pendingLock)
            {
                _pending.Add(new PendingSegment(segment, copy));
            }

            _current.Add(segment);
            _coveredBytes += fresh.Length;
        }

        return _current.ToArray();
    }

    /// <summary>Puts the segments taken since the last call. Called off the task's thread.</summary>
    /// <exception cref="IOException">A segment could not be stored (the checkpoint is then not saved).</exception>
    public void UploadPending()
    {
        var pending = TakePending();
        try
        {
            foreach (var (segment, bytes) in pending)
            {
                using var body = new MemoryStream(bytes, 0, segment.Length, writable: false);
                try
                {
                    _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = segment.Key, InputStream = body })
                        .GetAwaiter().GetResult();
                }
                catch (Exception e) when (S3Failure.IsRequestFailure(e))
                {
                    throw new IOException($"s3://{_bucket}/{segment.Key}: storing the checkpoint's segment of s3://{_bucket}/{CompletedKey} failed: {S3Failure.Describe(e)}", e);
                }
            }
        }
        finally
        {
            Return(pending);
        }
    }

    /// <summary>
    /// Removes every segment of the object (this writer's and earlier attempts'): the object is complete. Best effort:
    /// a segment left behind costs a little storage, while failing here would fail a task whose output is in place.
    /// </summary>
    public void DeleteAll()
    {
        try
        {
            string? continuation = null;
            do
            {
                var page = _client.ListObjectsV2Async(new ListObjectsV2Request
                {
                    BucketName = _bucket,
                    Prefix = CompletedKey + Marker,
                    ContinuationToken = continuation,
                }).GetAwaiter().GetResult();
                // One DeleteObjects per listed page (up to 1,000 keys): a long task leaves a segment per checkpoint.
                if (page.S3Objects is { Count: > 0 } listed)
                {
                    _client.DeleteObjectsAsync(new DeleteObjectsRequest
                    {
                        BucketName = _bucket,
                        Objects = listed.Select(o => new KeyVersion { Key = o.Key }).ToList(),
                        Quiet = true,
                    }).GetAwaiter().GetResult();
                }

                continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
            }
            while (continuation is not null);
        }
        catch (Exception e) when (S3Failure.IsRequestFailure(e))
        {
            // See above: the object is complete; leftover segments are only tidied up.
        }
    }

    public void Dispose() => Return(TakePending());

    private List<PendingSegment> TakePending()
    {
        lock (_pendingLock)
        {
            var pending = _pending;
            _pending = [];
            return pending;
        }
    }

    private static void Return(List<PendingSegment> pending)
    {
        foreach (var (_, bytes) in pending)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private readonly record struct PendingSegment(S3Segment Segment, byte[] Bytes);
}
