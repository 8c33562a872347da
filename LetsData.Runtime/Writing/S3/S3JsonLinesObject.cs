using System.IO.Compression;
using Amazon.S3;

namespace LetsData.Runtime.Writing.S3;

/// <summary>
/// One task's JSON Lines output object in S3: <c>&lt;prefix&gt;&lt;taskId&gt;.jsonl</c> when the task completed,
/// <c>&lt;prefix&gt;&lt;taskId&gt;.errored.jsonl</c> when it failed (partial output is kept and recognisable, like the
/// local connector), with <c>.gz</c> appended when gzip-compressed. Streamed through <see cref="S3PartUploadStream"/>;
/// the object is created only when a line was written. Called from the task's thread only.
/// </summary>
internal sealed class S3JsonLinesObject : IJsonLinesOutput
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly bool _gzip;
    private readonly int _partSize;
    private S3PartUploadStream? _upload;
    private Stream? _stream;
    private bool _completed;

    public S3JsonLinesObject(IAmazonS3 client, S3OutputLocation location, string taskId, int partSize)
    {
        _client = client;
        _bucket = location.BucketName;
        _gzip = location.Gzip;
        _partSize = partSize;
        var extension = location.Gzip ? ".jsonl.gz" : ".jsonl";
        CompletedKey = location.Prefix + taskId + extension;
        ErroredKey = location.Prefix + taskId + ".errored" + extension;
    }

    public string CompletedKey { get; }
    public string ErroredKey { get; }

    public void WriteLine(ReadOnlySpan<byte> utf8Json)
    {
        var output = Output();
        output.Write(utf8Json);
        output.WriteByte((byte)'\n');
    }

    private Stream Output()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_stream is null)
        {
            _upload = new S3PartUploadStream(_client, _bucket, CompletedKey, _partSize);
            _stream = _gzip ? new GZipStream(_upload, CompressionLevel.Fastest, leaveOpen: true) : _upload;
        }

        return _stream;
    }

    /// <summary>Sends the rest and gives the object its final name; removes what an earlier run of the task left under the other name.</summary>
    public void Complete(bool succeeded)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        var key = succeeded ? CompletedKey : ErroredKey;
        var stale = succeeded ? ErroredKey : CompletedKey;
        if (_upload is null)
        {
            // No output this time: an earlier run's object under either name would be mistaken for this run's.
            Delete(CompletedKey);
            Delete(ErroredKey);
            return;
        }

        if (_upload.Failed)
        {
            // The write that hit the failure reported it and the upload was aborted: there is nothing to finish,
            // and failing again here would keep the task's other output (its error records) from completing.
            Dispose();
            return;
        }

        var stream = _stream;
        _stream = null;
        if (_gzip)
        {
            stream!.Dispose(); // writes the gzip trailer into the upload
        }

        _upload.Finish(key);
        _upload.Dispose();
        _upload = null;
        Delete(stale);
    }

    private void Delete(string key)
    {
        try
        {
            _client.DeleteObjectAsync(_bucket, key).GetAwaiter().GetResult();
        }
        catch (AmazonS3Exception e)
        {
            throw new IOException($"s3://{_bucket}/{key}: removing an earlier run's object failed: {e.ErrorCode} {e.Message}", e);
        }
    }

    public void Dispose()
    {
        _upload?.Dispose(); // aborts an unfinished multipart upload; later writes into it fail
        _upload = null;
        if (_gzip && _stream is not null)
        {
            try
            {
                _stream.Dispose();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The gzip stream's last bytes had nowhere to go: the object was abandoned above.
            }
        }

        _stream = null;
    }
}
