using LetsData.Plugins.Samples.CommonCrawl;
using LetsData.Runtime.Engine.Vectorization;
using LetsData.Runtime.Testing;

namespace LetsData.Plugins.Samples.Tests.CommonCrawl;

/// <summary>
/// <see cref="CommonCrawlVectorizer"/> behind the composite reader in the test harness: each index record the
/// <see cref="CommonCrawlReader"/> returns becomes a <see cref="VectorRecord"/> of its text's and description's vectors.
/// </summary>
public class CommonCrawlVectorizerTests
{
    private static readonly TimeSpan NoHang = TimeSpan.FromMinutes(2);

    // A made-up embedding: the text's length and its word count, enough to pair each vector with its text.
    private static double[] Embed(string text) => [text.Length, text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length];

    [Test]
    public async Task EachIndexRecordOfTheCompositeReaderBecomesAVectorRecord_ReaderErrorsStayAsTheyWere()
    {
        var (_, files) = GeneratedCorpusTests.Generate(new CorpusOptions(Urls: 120, Seed: 5, WetGapRate: 0.05, Corruptions: 3));
        var plain = await LetsDataTestHarness.RunMultipleFileStateMachineReaderAsync(() => new CommonCrawlReader(), files).WaitAsync(NoHang);
        var endpoint = new FunctionVectorEndpoint(Embed);

        var vectors = await LetsDataTestHarness.RunMultipleFileStateMachineReaderAsync(() => new CommonCrawlReader(),
            new HarnessVectorization(() => new CommonCrawlVectorizer(), endpoint, BatchSize: 10), files).WaitAsync(NoHang);

        var records = plain.Documents.Cast<IndexRecord>().ToList();
        Assert.That(records, Has.Count.GreaterThan(50));
        Assert.That(vectors.Tasks.Single().Succeeded, Is.True, vectors.Tasks.Single().ErrorMessage);
        var vectorRecords = vectors.Documents.Cast<VectorRecord>().ToList();
        Assert.That(vectorRecords.Select(v => v.DocumentId), Is.EqualTo(records.Select(r => r.DocumentId)));
        Assert.That(vectorRecords.Select(v => v.DocTextVectors), Is.EqualTo(records.Select(r => Embed(r.DocText!))));
        Assert.That(vectorRecords.Select(v => v.DocDescriptionVectors),
            Is.EqualTo(records.Select(r => string.IsNullOrEmpty(r.Description) ? null : Embed(r.Description))));
        Assert.That(vectors.ErrorRecords.Select(e => e.ErrorMessage), Is.EqualTo(plain.ErrorRecords.Select(e => e.ErrorMessage)));
        Assert.That(endpoint.Requests.Take(endpoint.Requests.Count - 1).Select(r => r.Count), Has.All.InRange(10, 11),
            "the texts of several records go in one request");
        Assert.That(vectors.SerializedDocuments[0], Does.StartWith($"{{\"documentId\":\"{records[0].DocumentId}\",\"recordType\":\"VECTOR\""));
    }
}
