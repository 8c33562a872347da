using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;

namespace LetsData.Runtime.Writing.S3;

/// <summary>
/// A write-only stream that becomes one S3 object. Bytes collect in a single part buffer; when it holds
/// <see cref="PartSize"/> bytes a multipart upload is started (on the first full part) and the part is uploaded, so
/// no more than one part is ever held in memory. An output that never fills a part is sent with one <c>PutObject</c>.
/// A failed or abandoned multipart upload is aborted, unless a checkpoint refers to it (<see cref="KeepUploadForResume"/>):
/// a later attempt of the task continues it then. Called from one thread only.
/// </summary>
internal sealed class S3PartUploadStream : Stream
{
    /// <summary>S3's smallest allowed part (except the last).</summary>
    public const int MinPartSize = 5 * 1024 * 1024;

    private const int InitialBufferSize = 64 * 1024;

    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _multipartKey;
    private readonly S3CopyOptions _copy;
    private readonly List<S3UploadedPart> _parts = [];
    private byte[] _buffer = [];
    private int _length;
    private int _capacity;
    private string? _uploadId;
    private bool _finished;
    private IOException? _failure;
    private bool _keepUpload;
    private bool _sharedUpload;
    private S3ContentHash _contentHash = new();

    /// <summary>
    /// A multipart upload is started under <paramref name="multipartKey"/> (the object's usual final name);
    /// <paramref name="copy"/> says how it is copied when <see cref="Finish"/> names another key.
    /// </summary>
    public S3PartUploadStream(IAmazonS3 client, string bucket, string multipartKey, int partSize, S3CopyOptions? copy = null)
    {
        if (partSize < MinPartSize)
        {
            throw new ArgumentOutOfRangeException(nameof(partSize), partSize, $"S3 parts are at least {MinPartSize} bytes");
        }

        _client = client;
        _bucket = bucket;
        _multipartKey = multipartKey;
        _copy = copy ?? S3CopyOptions.Default;
        PartSize = partSize;
    }

    /// <summary>
    /// Continues a multipart upload an earlier attempt of the task started and uploaded <paramref name="parts"/> to (the
    /// parts were checked to be in S3): the next part is number N+1; before completing, the parts are checked again.
    /// <paramref name="partsHash"/> is the <see cref="S3ContentHash"/> through those parts (the checkpoint's).
    /// </summary>
    public static S3PartUploadStream Continue(IAmazonS3 client, string bucket, string multipartKey, int partSize, string uploadId,
        IReadOnlyList<S3UploadedPart> parts, ulong partsHash, S3CopyOptions? copy = null)
    {
        var stream = new S3PartUploadStream(client, bucket, multipartKey, partSize, copy)
        {
            _uploadId = uploadId,
            _keepUpload = true, // the checkpoint resumed from refers to it
            _sharedUpload = true,
            _contentHash = new S3ContentHash(partsHash),
        };
        stream._parts.AddRange(parts);
        stream.BytesWritten = parts.Sum(p => p.Size);
        return stream;
    }

    public int PartSize { get; }

    /// <summary>The multipart upload under way; null while the output fits the part buffer.</summary>
    public string? UploadId => _uploadId;

    /// <summary>The parts uploaded so far, in order.</summary>
    public IReadOnlyList<S3UploadedPart> Parts => _parts;

    /// <summary>The bytes written after the last uploaded part (not in S3 yet); valid until the next write.</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(0, _length);

    /// <summary>
    /// A checkpoint now refers to the upload under way: it must outlive this writer (a failure, or an end without
    /// <see cref="Finish"/>) so that a later attempt can continue it. While no upload is under way there is nothing to keep (the
    /// checkpoint has the bytes in segments), and one started later is aborted as usual.
    /// </summary>
    public void KeepUploadForResume() => _keepUpload |= _uploadId is not null;

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>The running hash of every byte written (for a continued upload: from the checkpoint's parts on).</summary>
    public S3ContentHash ContentHash => _contentHash;

    /// <summary>
    /// True after a part failed to upload: the failure was thrown to the writer and nothing more can be written. The
    /// upload was aborted unless a checkpoint refers to it (<see cref="KeepUploadForResume"/>): then it stays open, with
    /// the checkpoint's parts, for the next attempt.
    /// </summary>
    public bool Failed => _failure is not null;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_finished;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfFailed();
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            if (_length == _capacity)
            {
                if (_length == PartSize)
                {
                    UploadPart();
                }
                else
                {
                    Grow();
                }
            }

            var n = Math.Min(buffer.Length, _capacity - _length);
            buffer[..n].CopyTo(_buffer.AsSpan(_length));
            _contentHash.Append(buffer[..n]);
            _length += n;
            BytesWritten += n;
            buffer = buffer[n..];
        }
    }

    /// <summary>The buffer grows up to one part, so a small output costs a small buffer.</summary>
    private void Grow()
    {
        var size = Math.Min(PartSize, Math.Max(InitialBufferSize, _capacity * 2));
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ReturnBuffer();
        _buffer = bigger;
        // Rent may hand out more than asked: a part never exceeds PartSize.
        _capacity = Math.Min(bigger.Length, PartSize);
    }

    private void ReturnBuffer()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
        _capacity = 0;
    }

    private void UploadPart()
    {
        try
        {
            _uploadId ??= _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = _multipartKey,
            }).GetAwaiter().GetResult().UploadId;
            var partNumber = _parts.Count + 1;
            using var body = new MemoryStream(_buffer, 0, _length, writable: false);
            var response = _client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = _bucket,
                Key = _multipartKey,
                UploadId = _uploadId,
                PartNumber = partNumber,
                InputStream = body,
                PartSize = _length,
            }).GetAwaiter().GetResult();
            _parts.Add(new S3UploadedPart(partNumber, response.ETag, _length, response.ChecksumCRC32, response.ChecksumCRC32C,
                response.ChecksumSHA1, response.ChecksumSHA256));
            _contentHash.EndPart();
            _length = 0;
        }
        catch (Exception e) when (S3Failure.IsRequestFailure(e))
        {
            var upload = _uploadId;
            Abort();
            _failure = new IOException($"s3://{_bucket}/{_multipartKey}: uploading part {_parts.Count + 1} failed (upload {upload}): {e.Message}", e);
            throw _failure;
        }
    }

    /// <summary>After a failed part nothing more may be written (a part would be missing from the object).</summary>
    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new IOException(_failure.Message, _failure);
        }
    }

    /// <summary>
    /// Sends what is buffered and makes the object visible under <paramref name="key"/>. A single-part output is put
    /// there directly; a multipart upload is completed under the key it was started with and, when
    /// <paramref name="key"/> differs, copied there (<see cref="S3ObjectCopy"/>: in parts when it is too large for one
    /// CopyObject) and the first key deleted.
    /// </summary>
    public void Finish(string key)
    {
        ThrowIfFailed();
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        IOException? reported = null;
        try
        {
            if (_uploadId is null)
            {
                using var body = new MemoryStream(_buffer, 0, _length, writable: false);
                _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = body })
                    .GetAwaiter().GetResult();
                return;
            }

            if (_length > 0)
            {
                UploadPart();
            }

            if (_sharedUpload)
            {
                try
                {
                    S3UploadedParts.ThrowIfChanged(_client, _bucket, _multipartKey, _uploadId, _parts);
                }
                catch (IOException e)
                {
                    reported = e; // names the object and upload already; the upload is kept for the checkpoint
                    throw;
                }
            }

            var completed = _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = _multipartKey,
                UploadId = _uploadId,
                PartETags = _parts.Select(p => p.ToPartETag()).ToList(),
            }).GetAwaiter().GetResult();
            _uploadId = null;
            if (key != _multipartKey)
            {
                // The object is exactly its parts (the last one was uploaded above): no HEAD is needed for its size.
                var size = _parts.Sum(p => p.Size);
                try
                {
                    new S3ObjectCopy(_client, _copy).CopyAsync(_bucket, _multipartKey, key, size, completed.ETag).GetAwaiter().GetResult();
                }
                catch (IOException e)
                {
                    reported = e; // names both objects, the copy upload and S3's error
                    throw;
                }

                _client.DeleteObjectAsync(_bucket, _multipartKey).GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (S3Failure.IsRequestFailure(e) && !ReferenceEquals(e, _failure) && !ReferenceEquals(e, reported))
        {
            // (A failed part was reported and aborted by UploadPart.)
            var upload = _uploadId is null ? "" : $" (upload {_uploadId})";
            Abort();
            throw new IOException($"s3://{_bucket}/{key}: writing the object failed{upload}: {S3Failure.Describe(e)}", e);
        }
        finally
        {
            ReturnBuffer();
        }
    }

    /// <summary>
    /// Aborts a started multipart upload so its parts are not kept (and billed) by S3 — unless a checkpoint refers to
    /// it: then a later attempt continues it (a bucket lifecycle rule removes uploads of tasks never run again).
    /// </summary>
    public void Abort()
    {
        if (_uploadId is not { } uploadId || _keepUpload)
        {
            return;
        }

        _uploadId = null;
        S3Failure.AbortQuietlyAsync(_client, _bucket, _multipartKey, uploadId).GetAwaiter().GetResult();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (!_finished)
            {
                _finished = true;
                Abort();
            }

            ReturnBuffer();
        }

        base.Dispose(disposing);
    }
}
