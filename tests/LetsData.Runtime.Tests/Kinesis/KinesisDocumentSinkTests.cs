using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using LetsData.Runtime.Aws.Kinesis;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Tests.TestSupport;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Writing.Kinesis;

namespace LetsData.Runtime.Tests.Kinesis;

public class KinesisDocumentSinkTests
{
    private static readonly TaskContext Task1 = new("dataset", "task-7", new Dictionary<string, string>());

    [Test]
    public void Documents_go_out_in_batches_of_500_and_all_arrive_in_order()
    {
        using var fake = new FakeKinesis();
        using var factory = new KinesisDocumentSinkFactory(fake.NewClient(), "out", compressRecords: false, ownsClient: true);

        WriteAll(factory, Enumerable.Range(0, 1_203).Select(i => new TestDocument($"id-{i}", null, $"doc {i}")));

        Assert.Multiple(() =>
        {
            Assert.That(fake.Of("PutRecords").Select(r => r.Json.GetProperty("Records").GetArrayLength()), Is.EqualTo(new[] { 500, 500, 203 }));
            Assert.That(fake.Stored.Select(s => Encoding.UTF8.GetString(s.Data)), Is.EqualTo(Enumerable.Range(0, 1_203).Select(i => $"doc {i}")));
            Assert.That(fake.Stored.Select(s => s.PartitionKey), Is.EqualTo(Enumerable.Range(0, 1_203).Select(i => $"id-{i}")));
            Assert.That(factory.Statistics.PutRecordsCalls, Is.EqualTo(3));
            Assert.That(factory.Statistics.RecordsSent, Is.EqualTo(1_203));
        });
    }

    [Test]
    public void The_next_batch_fills_while_the_previous_one_is_being_sent()
    {
        using var gate = new ManualResetEventSlim(false);
        using var fake = new FakeKinesis();
        fake.Respond = (request, _) =>
        {
            gate.Wait();
            return fake.StoreAll(request);
        };
        using var factory = new KinesisDocumentSinkFactory(fake.NewClient(), "out", compressRecords: false, ownsClient: true);
        using var sink = factory.Open(Task1);

        // 999 documents: the first 500 go out (and hang at the gate); the next 499 must fill without waiting for them.
        var writes = Task.Run(() =>
        {
            for (var i = 0; i < 999; i++)
            {
                sink.Write(new TestDocument($"id-{i}", null, "x"), "x");
            }
        });
        var wroteWhileSending = writes.Wait(TimeSpan.FromSeconds(30));
        var storedWhileBlocked = fake.Stored.Count;
        gate.Set();
        writes.Wait();
        sink.Complete(true);

        Assert.Multiple(() =>
        {
            Assert.That(wroteWhileSending, Is.True, "Write blocked while the first batch was in flight");
            Assert.That(storedWhileBlocked, Is.Zero, "the first batch was still held at the gate");
            Assert.That(fake.Stored, Has.Count.EqualTo(999));
        });
    }

    [Test]
    public void A_batch_is_cut_before_it_would_pass_5_MiB()
    {
        using var fake = new FakeKinesis();
        using var factory = new KinesisDocumentSinkFactory(fake.NewClient(), "out", compressRecords: false, ownsClient: true);
        var body = new string('x', 500_000);

        WriteAll(factory, Enumerable.Range(0, 12).Select(i => new TestDocument($"id-{i}", null, body)));

        // 10 × (500,000 + key) fits in 5 MiB (5,242,880 bytes), 11 does not.
        Assert.That(fake.Of("PutRecords").Select(r => r.Json.GetProperty("Records").GetArrayLength()), Is.EqualTo(new[] { 10, 2 }));
        Assert.That(fake.Stored, Has.Count.EqualTo(12));
    }

    [Test]
    public void Compressed_records_are_one_gzip_member_each()
    {
        using var fake = new FakeKinesis();
        using var factory = new KinesisDocumentSinkFactory(fake.NewClient(), "out", compressRecords: true, ownsClient: true);

        WriteAll(factory, [new TestDocument("a", "pk", "{\"n\":1}"), new TestDocument("b", "pk", "héllo")]);

        Assert.That(fake.Stored.Select(s => Gunzip(s.Data)), Is.EqualTo(new[] { "{\"n\":1}", "héllo" }));
    }

    [Test]
    public void A_document_too_large_for_a_record_is_rejected_before_sending_and_the_others_go_on()
    {
        using var fake = new FakeKinesis();
        using var factory = new KinesisDocumentSinkFactory(fake.NewClient(), "out", compressRecords: false, ownsClient: true);
        using var sink = factory.Open(Task1);
        sink.Write(new TestDocument("small-1", null, "a"), "a");

        var tooLarge = new string('x', 1024 * 1024 - 3);
        var e = Assert.Throws<DocumentRejectedException>(() => sink.Write(new TestDocument("huge", null, tooLarge), tooLarge))!;
        sink.Write(new TestDocument("small-2", null, "b"), "b");
        sink.Complete(true);

        Assert.Multiple(() =>
        {
            // 1,048,573 bytes of data + "huge" (4 bytes) = 1,048,577 > 1,048,576.
            Assert.That(e.Message, Does.Contain("huge").And.Contain("1048577").And.Contain("1048576"));
            Assert.That(fake.Stored.Select(s => s.PartitionKey), Is.EqualTo(new[] { "small-1", "small-2" }));
        });
    }

    [Test]
    public void Only_the_records_refused_in_a_partial_failure_are_sent_again_and_every_record_arrives_once()
    {
        using var fake = new FakeKinesis();
        fake.Respond = (request, index) => index switch
        {
            0 => fake.StoreExcept(request, i => i % 3 == 0 ? "ProvisionedThroughputExceededException" : null),
            1 => fake.StoreExcept(request, i => i == 0 ? "InternalFailure" : null),
            _ => fake.StoreAll(request),
        };
        using var factory = new KinesisDocumentSinkFactory(fake.NewClient(), "out", compressRecords: false, ownsClient: true);

        WriteAll(factory, Enumerable.Range(0, 10).Select(i => new TestDocument($"id-{i}", null, $"doc {i}")));

        var keys = fake.Of("PutRecords").Select(r => r.Json.GetProperty("Records").EnumerateArray()
            .Select(x => x.GetProperty("PartitionKey").GetString()).ToArray()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(keys, Has.Count.EqualTo(3));
            Assert.That(keys[1], Is.EqualTo(new[] { "id-0", "id-3", "id-6", "id-9" }));
            Assert.That(keys[2], Is.EqualTo(new[] { "id-0" }));
            Assert.That(fake.Stored.Select(s => s.PartitionKey).Order(), Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"id-{i}").Order()));
            Assert.That(factory.Statistics.RecordsSent, Is.EqualTo(10));
            Assert.That(factory.Statistics.RecordsResent, Is.EqualTo(5));
        });
    }

    [Test]
    public void A_throughput_storm_then_success_delivers_everything()
    {
        using var fake = new FakeKinesis();
        fake.Respond = (request, index) => index switch
        {
            < 3 => FakeKinesis.Error(HttpStatusCode.BadRequest, "ProvisionedThroughputExceededException"),
            < 6 => fake.StoreExcept(request, _ => "ProvisionedThroughputExceededException"),
            < 8 => FakeKinesis.Error(HttpStatusCode.InternalServerError, "InternalFailure"),
            _ => fake.StoreAll(request),
        };
        using var factory = new KinesisDocumentSinkFactory(fake.NewClient(FakeKinesis.FastRetries(attempts: 6)), "out", false, ownsClient: true);

        WriteAll(factory, Enumerable.Range(0, 700).Select(i => new TestDocument($"id-{i}", null, $"doc {i}")));

        Assert.That(fake.Stored.Select(s => s.PartitionKey).Order(), Is.EqualTo(Enumerable.Range(0, 700).Select(i => $"id-{i}").Order()));
    }

    [Test]
    public void A_non_retryable_error_fails_the_task_naming_the_code_the_stream_and_the_task()
    {
        using var fake = new FakeKinesis { Respond = (_, _) => FakeKinesis.Error(HttpStatusCode.BadRequest, "ResourceNotFoundException", "Stream out not found") };
        using var factory = new KinesisDocumentSinkFactory(fake.NewClient(), "out", false, ownsClient: true);
        using var sink = factory.Open(Task1);
        sink.Write(new TestDocument("a", null, "a"), "a");

        var e = Assert.Throws<KinesisException>(() => sink.Complete(true))!;

        Assert.Multiple(() =>
        {
            Assert.That(e.ErrorCode, Is.EqualTo("ResourceNotFoundException"));
            Assert.That(e.Message, Does.Contain("ResourceNotFoundException").And.Contain("'out'").And.Contain("task-7"));
            Assert.That(fake.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void A_record_refused_for_good_fails_the_task()
    {
        using var fake = new FakeKinesis();
        fake.Respond = (request, _) => fake.StoreExcept(request, i => i == 1 ? "KMSAccessDeniedException" : null);
        using var factory = new KinesisDocumentSinkFactory(fake.NewClient(), "out", false, ownsClient: true);
        using var sink = factory.Open(Task1);
        sink.Write(new TestDocument("a", null, "a"), "a");
        sink.Write(new TestDocument("b", null, "b"), "b");

        var e = Assert.Throws<KinesisException>(() => sink.Complete(true))!;

        Assert.That(e.Message, Does.Contain("KMSAccessDeniedException").And.Contain("task-7"));
        Assert.That(fake.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_spent_budget_fails_the_task_from_a_later_write_or_from_complete_and_never_hangs()
    {
        using var fake = new FakeKinesis { Respond = (_, _) => FakeKinesis.Error(HttpStatusCode.InternalServerError, "InternalFailure") };
        using var factory = new KinesisDocumentSinkFactory(fake.NewClient(FakeKinesis.FastRetries(attempts: 3)), "out", false, ownsClient: true);
        using var sink = factory.Open(Task1);

        var e = Assert.Throws<KinesisException>(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                sink.Write(new TestDocument($"id-{i}", null, "x"), "x");
            }

            sink.Complete(true);
        })!;

        Assert.That(e.Message, Does.Contain("InternalFailure").And.Contain("after 3 attempts").And.Contain("task-7"));
        Assert.That(fake.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public void A_failed_task_still_sends_the_documents_handed_over()
    {
        using var fake = new FakeKinesis();
        using var factory = new KinesisDocumentSinkFactory(fake.NewClient(), "out", compressRecords: false, ownsClient: true);
        using (var sink = factory.Open(Task1))
        {
            for (var i = 0; i < 503; i++)
            {
                sink.Write(new TestDocument($"id-{i}", null, $"doc {i}"), $"doc {i}");
            }

            sink.Complete(false);
        }

        Assert.That(fake.Stored.Select(s => s.PartitionKey), Is.EqualTo(Enumerable.Range(0, 503).Select(i => $"id-{i}")));
    }

    [Test]
    public void A_failed_task_is_not_failed_again_by_a_send_the_stream_refuses()
    {
        using var fake = new FakeKinesis { Respond = (_, _) => FakeKinesis.Error(HttpStatusCode.BadRequest, "ResourceNotFoundException", "Stream out not found") };
        using var factory = new KinesisDocumentSinkFactory(fake.NewClient(), "out", false, ownsClient: true);
        using var sink = factory.Open(Task1);
        sink.Write(new TestDocument("a", null, "a"), "a");

        Assert.DoesNotThrow(() => sink.Complete(false));
        Assert.That(fake.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void Partition_keys_come_from_the_partition_key_then_the_document_id_then_the_task()
    {
        using var fake = new FakeKinesis();
        using var factory = new KinesisDocumentSinkFactory(fake.NewClient(), "out", false, ownsClient: true);
        var longKey = new string('k', 300);

        WriteAll(factory, [new TestDocument("id", "pk", "1"), new TestDocument("id", null, "2"), new TestDocument(null, "", "3"), new TestDocument("x", longKey, "4")]);

        Assert.That(fake.Stored.Select(s => s.PartitionKey), Is.EqualTo(new[]
        {
            "pk", "id", "task-7", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(longKey))),
        }));
    }

    [TestCase(1)]
    [TestCase(256)]
    public void Keys_up_to_256_characters_are_kept(int length)
    {
        var key = new string('é', length);
        Assert.That(KinesisPartitionKeys.Fit(key), Is.SameAs(key));
    }

    [Test]
    public void Longer_keys_are_hashed_to_64_hex_characters_that_differ_per_key()
    {
        var a = KinesisPartitionKeys.Fit(new string('a', 257));
        var b = KinesisPartitionKeys.Fit(new string('a', 256) + "b");

        Assert.Multiple(() =>
        {
            Assert.That(a, Has.Length.EqualTo(64).And.Match("^[0-9a-f]{64}$"));
            Assert.That(a, Is.EqualTo(KinesisPartitionKeys.Fit(new string('a', 257))));
            Assert.That(a, Is.Not.EqualTo(b));
        });
    }

    private static void WriteAll(KinesisDocumentSinkFactory factory, IEnumerable<TestDocument> documents)
    {
        using var sink = factory.Open(Task1);
        foreach (var document in documents)
        {
            sink.Write(document, document.Body);
        }

        sink.Complete(true);
    }

    private static string Gunzip(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
