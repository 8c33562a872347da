using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Integration.Tests.Support;
using LetsData.Interfaces.Documents;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Writing.S3;

namespace LetsData.Integration.Tests.S3;

/// <summary>
/// An errored task's S3 object is completed under the completed name and copied to the errored name: with one
/// CopyObject up to S3's single-copy limit, in parts (UploadPartCopy, which the s3rver wrapper adds) above it. The limit
/// is lowered here so that objects of a few MB take the multipart path; a client wrapper records which path ran.
/// </summary>
public class S3ErroredObjectCopyTests
{
    private const int PartSize = 5 * 1024 * 1024; // the writer's parts and the copy's: S3's smallest
    private const string TaskId = "task-0001";

    private static readonly Document AnyDocument = new("id", "T", null, new Dictionary<string, object?>());

    private string _bucket = "";
    private AmazonS3Client _client = null!;

    [OneTimeSetUp]
    public async Task CreateTheBucket()
    {
        _bucket = $"letsdata-copy-{Guid.NewGuid().ToString("N")[..12]}";
        _client = new AmazonS3Client(new AmazonS3Config { ForcePathStyle = true });
        await _client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
    }

    [OneTimeTearDown]
    public void DisposeTheClient() => _client.Dispose();

    [TestCase(false)]
    [TestCase(true)]
    public async Task AnErroredObjectOverTheLimit_IsCopiedInParts_AndIsUnderTheErroredNameOnly(bool gzip)
    {
        var prefix = $"over-limit-{gzip}/";
        var lines = Lines(20_000); // 16 MB; 12 MB gzipped: 3 or 4 copy parts
        var recording = RecordingS3.Wrap(_client);

        using (var sink = Open(recording.Client, prefix, gzip, new S3CopyOptions { SingleCopyLimit = 1024 * 1024, PartSize = PartSize }))
        {
            Write(sink, lines);
            sink.Complete(succeeded: false);
        }

        var errored = prefix + ObjectName(gzip, errored: true);
        Assert.That(await KeysAsync(prefix), Is.EqualTo(new[] { errored }), "the completed name is gone");
        var actual = await GetBytesAsync(errored);
        Assert.That(gzip ? S3Objects.Gunzip(actual) : actual, Is.EqualTo(Joined(lines)), "byte for byte what was written");
        var copied = recording.Requests<CopyPartRequest>();
        Assert.That(copied.Select(r => r.PartNumber), Is.EquivalentTo(Enumerable.Range(1, (actual.Length + PartSize - 1) / PartSize)),
            "one UploadPartCopy per 5 MiB of the object");
        Assert.That(copied.Select(r => (r.FirstByte, r.LastByte)).OrderBy(r => r.FirstByte).Last().LastByte, Is.EqualTo(actual.Length - 1));
        Assert.That(copied.Select(r => (r.SourceKey, r.DestinationKey)).Distinct(),
            Is.EqualTo(new[] { (prefix + ObjectName(gzip, errored: false), errored) }));
        Assert.That(recording.Requests<CopyObjectRequest>(), Is.Empty, "no single CopyObject");
        Assert.That(recording.Requests<AbortMultipartUploadRequest>(), Is.Empty);
        var eTag = (await _client.GetObjectMetadataAsync(_bucket, errored)).ETag; // s3rver: the md5 of the bytes, as the source's
        Assert.That(copied.Select(r => r.ETagToMatch?.SingleOrDefault()).Distinct(), Is.EqualTo(new[] { eTag }),
            "each range pinned to the completed object");
    }

    /// <summary>Up to the limit (inclusive) one CopyObject, one byte over it the multipart copy.</summary>
    [TestCase(0, false)]
    [TestCase(1, true)]
    public async Task TheLimitIsTheLargestSizeCopiedWithOneCopyObject(int bytesOverTheLimit, bool inParts)
    {
        var prefix = $"at-limit-{bytesOverTheLimit}/";
        var lines = Lines(8_000); // 6.6 MB: two parts written, so the object is completed and copied
        var size = Joined(lines).Length;
        var recording = RecordingS3.Wrap(_client);

        using (var sink = Open(recording.Client, prefix, gzip: false, new S3CopyOptions { SingleCopyLimit = size - bytesOverTheLimit, PartSize = PartSize }))
        {
            Write(sink, lines);
            sink.Complete(succeeded: false);
        }

        var errored = prefix + ObjectName(gzip: false, errored: true);
        Assert.That(await KeysAsync(prefix), Is.EqualTo(new[] { errored }));
        Assert.That(await GetBytesAsync(errored), Is.EqualTo(Joined(lines)));
        Assert.That(recording.Requests<CopyObjectRequest>().Count, Is.EqualTo(inParts ? 0 : 1), "CopyObject");
        Assert.That(recording.Requests<CopyPartRequest>().Count, Is.EqualTo(inParts ? 2 : 0), "UploadPartCopy");
    }

    [Test]
    public async Task UnderTheDefaultLimit_OneCopyObject()
    {
        var prefix = "default-limit/";
        var lines = Lines(8_000);
        var recording = RecordingS3.Wrap(_client);

        using (var sink = new S3DocumentSinkFactory(recording.Client, new S3OutputLocation(_bucket, prefix, false, true), PartSize).Open(TaskFor()))
        {
            Write(sink, lines);
            sink.Complete(succeeded: false);
        }

        var errored = prefix + ObjectName(gzip: false, errored: true);
        Assert.That(await KeysAsync(prefix), Is.EqualTo(new[] { errored }));
        Assert.That(await GetBytesAsync(errored), Is.EqualTo(Joined(lines)));
        Assert.That(recording.Requests<CopyObjectRequest>().Count, Is.EqualTo(1));
        Assert.That(recording.Requests<CopyPartRequest>(), Is.Empty);
    }

    public enum Failure
    {
        /// <summary>S3 answers part 2 with 500 InternalError.</summary>
        PartRefused,

        /// <summary>The source is deleted before part 2 is copied: the wrapper's UploadPartCopy answers NoSuchKey.</summary>
        SourceRemoved,
    }

    [TestCase(Failure.PartRefused, "InternalError (500)")]
    [TestCase(Failure.SourceRemoved, "NoSuchKey (404)")]
    public async Task AFailureInTheMiddleOfTheCopy_AbortsTheCopyUpload_AndTheErrorNamesBothObjects(Failure failure, string s3Error)
    {
        var prefix = $"copy-fails-{failure}/";
        var completed = prefix + ObjectName(gzip: false, errored: false);
        var errored = prefix + ObjectName(gzip: false, errored: true);
        var lines = Lines(20_000);
        var recording = RecordingS3.Wrap(_client);
        var sequential = new S3CopyOptions { SingleCopyLimit = 1024 * 1024, PartSize = PartSize, MaxParallelParts = 1 };
        recording.BeforeCall = request =>
        {
            if (request is CopyPartRequest { PartNumber: 2 })
            {
                if (failure == Failure.PartRefused)
                {
                    throw new AmazonS3Exception("We encountered an internal error. Please try again.", ErrorType.Receiver, "InternalError",
                        "request-1", HttpStatusCode.InternalServerError);
                }

                _client.DeleteObjectAsync(_bucket, completed).GetAwaiter().GetResult();
            }
        };

        using var sink = Open(recording.Client, prefix, gzip: false, sequential);
        Write(sink, lines);
        var e = Assert.Throws<IOException>(() => sink.Complete(succeeded: false))!;

        var uploadId = recording.Requests<CopyPartRequest>().Select(r => r.UploadId).Distinct().Single();
        Assert.That(e.Message, Does.Contain($"s3://{_bucket}/{completed}").And.Contain($"s3://{_bucket}/{errored}")
            .And.Contain($"copy upload {uploadId}").And.Contain("part 2").And.Contain(s3Error));
        Assert.That(recording.Requests<AbortMultipartUploadRequest>().Select(r => (r.Key, r.UploadId)),
            Is.EqualTo(new[] { (errored, uploadId) }), "the copy upload was aborted");
        var listing = Assert.ThrowsAsync<AmazonS3Exception>(() =>
            _client.ListPartsAsync(new ListPartsRequest { BucketName = _bucket, Key = errored, UploadId = uploadId }))!;
        Assert.That(listing.ErrorCode, Is.EqualTo("NoSuchUpload"), "no parts left behind");
        Assert.That(await KeysAsync(prefix), Does.Not.Contain(errored), "no errored object");
    }

    /// <summary>Lines of ~820 random bytes (base64, so gzip keeps ~3/4 of them).</summary>
    private static List<byte[]> Lines(int count)
    {
        var random = new Random(7);
        var bytes = new byte[600];
        var lines = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            lines.Add(Encoding.UTF8.GetBytes($"{{\"n\":{i},\"data\":\"{Convert.ToBase64String(bytes)}\"}}"));
        }

        return lines;
    }

    private static byte[] Joined(List<byte[]> lines) => lines.SelectMany(l => l.Append((byte)'\n')).ToArray();

    private IDocumentSink Open(IAmazonS3 client, string prefix, bool gzip, S3CopyOptions copy) =>
        new S3DocumentSinkFactory(client, new S3OutputLocation(_bucket, prefix, gzip, true), PartSize, copy).Open(TaskFor());

    private static TaskContext TaskFor() => new("S3Copy", TaskId, new Dictionary<string, string>());

    private static void Write(IDocumentSink sink, List<byte[]> lines)
    {
        foreach (var line in lines)
        {
            sink.Write(AnyDocument, line);
        }
    }

    private static string ObjectName(bool gzip, bool errored) => TaskId + (errored ? ".errored" : "") + (gzip ? ".jsonl.gz" : ".jsonl");

    private Task<List<string>> KeysAsync(string prefix) => S3Objects.KeysAsync(_client, _bucket, prefix);

    private Task<byte[]> GetBytesAsync(string key) => S3Objects.GetBytesAsync(_client, _bucket, key);

    /// <summary>The S3 client, recording each request it is given; <see cref="BeforeCall"/> may fail one (as S3 would) first.</summary>
    public class RecordingS3 : DispatchProxy
    {
        private readonly ConcurrentQueue<object> _requests = new();
        private IAmazonS3 _inner = null!;

        public Action<object>? BeforeCall { get; set; }

        public static RecordingS3 Wrap(IAmazonS3 inner)
        {
            var proxy = Create<IAmazonS3, RecordingS3>();
            var recording = (RecordingS3)(object)proxy;
            recording._inner = inner;
            return recording;
        }

        /// <summary>This proxy as the client it stands for.</summary>
        public IAmazonS3 Client => (IAmazonS3)(object)this;

        public List<T> Requests<T>() => _requests.OfType<T>().ToList();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var request = args?.FirstOrDefault(a => a is AmazonWebServiceRequest);
            if (request is not null)
            {
                _requests.Enqueue(request);
                try
                {
                    BeforeCall?.Invoke(request);
                }
                catch (Exception e)
                {
                    // As the SDK fails: the returned task faults.
                    var faulted = typeof(System.Threading.Tasks.Task).GetMethod(nameof(System.Threading.Tasks.Task.FromException), 1, [typeof(Exception)])!
                        .MakeGenericMethod(targetMethod!.ReturnType.GetGenericArguments()[0]);
                    return faulted.Invoke(null, [e]);
                }
            }

            try
            {
                return targetMethod!.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
    }
}
