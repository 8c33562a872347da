using System.IO.Compression;
using Amazon.S3;

namespace LetsData.Runtime.Writing.S3;

/// <summary>
/// One task's JSON Lines output object in S3: <c>&lt;prefix&gt;&lt;name&gt;.jsonl</c> when the task completed,
/// <c>&lt;prefix&gt;&lt;name&gt;.errored.jsonl</c> when it failed (name: <see cref="TaskOutputName"/>) (partial output is kept and recognisable, like the
/// local connector), with <c>.gz</c> appended when gzip-compressed. Streamed through <see cref="S3PartUploadStream"/>;
/// the object is created only when a line was written. Called from the task's thread only (but
/// <see cref="MakeDurable"/>).
/// <para>
/// A checkpoint leaves everything written so far in S3 without completing the object: full parts are uploaded already,
/// and the bytes after them go into small segment objects (<see cref="S3CheckpointSegments"/>). Its position
/// (<see cref="S3OutputPosition"/>) lets a later attempt continue the same object (<see cref="S3OutputResumer"/>), so
/// the lines after the checkpoint are in the completed object once. With gzip, a checkpoint ends the current gzip member
/// (the next line starts a new one): the bytes up to a checkpoint are always a complete gzip stream.
/// </para>
/// </summary>
internal sealed class S3JsonLinesObject : IJsonLinesOutput
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly bool _gzip;
    private readonly int _partSize;
    private readonly S3CopyOptions? _copy;
    private readonly S3CheckpointSegments _segments;
    private S3PartUploadStream? _upload;
    private Stream? _stream;
    private bool _completed;

    /// <param name="client">The S3 client (shared by the task's writers).</param>
    /// <param name="location">The bucket and prefix, and whether to gzip.</param>
    /// <param name="taskId">The task's output name (<see cref="TaskOutputName"/>): the object's name.</param>
    /// <param name="partSize">The multipart upload's part size.</param>
    /// <param name="resumeFrom">A checkpoint's position to continue from (see <see cref="TryCheckpoint"/>); null for a new object.</param>
    /// <param name="copy">How the object is copied to the errored name (null: S3's limits).</param>
    /// <exception cref="Engine.OutputResumeException">The earlier attempt's output cannot be continued (or the position is malformed).</exception>
    public S3JsonLinesObject(IAmazonS3 client, S3OutputLocation location, string taskId, int partSize, string? resumeFrom = null,
        S3CopyOptions? copy = null)
    {
        _client = client;
        _bucket = location.BucketName;
        _gzip = location.Gzip;
        _partSize = partSize;
        _copy = copy;
        var extension = location.Gzip ? ".jsonl.gz" : ".jsonl";
        CompletedKey = location.Prefix + taskId + extension;
        ErroredKey = location.Prefix + taskId + ".errored" + extension;
        _segments = new S3CheckpointSegments(client, _bucket, CompletedKey);
        if (resumeFrom is not null && S3OutputPosition.Parse(resumeFrom, _bucket, CompletedKey) is { Bytes: > 0 } position)
        {
            _upload = new S3OutputResumer(client, _bucket, ErroredKey, partSize, copy).Resume(position, _segments);
        }
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
            _upload ??= new S3PartUploadStream(_client, _bucket, CompletedKey, _partSize, _copy);
            // With gzip, a new member after a checkpoint or a resume: earlier members are complete and never touched again.
            _stream = _gzip ? new GZipStream(_upload, CompressionLevel.Fastest, leaveOpen: true) : _upload;
        }

        return _stream;
    }

    /// <summary>
    /// Puts the lines written so far in a state a later attempt can continue from (on the task's thread: ends the gzip
    /// member and copies the bytes since the last checkpoint) and names it; <see cref="MakeDurable"/> stores them.
    /// </summary>
    public bool TryCheckpoint(out string? position)
    {
        position = null;
        if (_completed || _upload is { Failed: true })
        {
            return false;
        }

        if (_gzip && _stream is not null)
        {
            _stream.Dispose(); // the member's trailer goes into the upload
            _stream = null;
        }

        if (_upload is null)
        {
            position = S3OutputPosition.Of(CompletedKey, null, []).ToJson();
            return true;
        }

        var segments = _segments.Take(_upload);
        _upload.KeepUploadForResume();
        position = S3OutputPosition.Of(CompletedKey, _upload, segments).ToJson();
        return true;
    }

    /// <summary>Stores the segment the last checkpoint took (one small PUT of the bytes since the checkpoint before).</summary>
    public void MakeDurable() => _segments.UploadPending();

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
            _segments.DeleteAll();
            return;
        }

        if (_upload.Failed)
        {
            // The write that hit the failure reported it (the upload was aborted, or kept open for the next attempt
            // when a checkpoint refers to it): there is nothing to finish, and failing again here would keep the
            // task's other output (its error records) from completing.
            Dispose();
            return;
        }

        var stream = _stream;
        _stream = null;
        if (_gzip)
        {
            stream?.Dispose(); // writes the gzip trailer into the upload
        }

        _upload.Finish(key);
        _upload.Dispose();
        _upload = null;
        Delete(stale);
        _segments.DeleteAll();
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
        _segments.Dispose();
        // Aborts an unfinished multipart upload (later writes into it fail), unless a checkpoint refers to it: a task
        // stopped at a checkpoint, or whose worker lost it, is continued from there by its next attempt.
        _upload?.Dispose();
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
