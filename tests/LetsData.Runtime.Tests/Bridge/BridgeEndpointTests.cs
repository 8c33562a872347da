using System.Net;
using System.Net.Sockets;
using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Bridge;
using LetsData.Runtime.Bridge.Remote;

namespace LetsData.Runtime.Tests.Bridge;

/// <summary>
/// A project behind a URL (<c>bridgeEndpoint</c>): LetsData's envelope, one call per POST on a kept-alive connection,
/// against a fake Lambda runtime interface emulator that checks the envelope as LetsData's handlers do.
/// </summary>
public class BridgeEndpointTests
{
    private static readonly BridgeAuth Auth = BridgeAuth.ForDataset("Bridged");

    [TestCase(BridgeLanguage.Python)]
    [TestCase(BridgeLanguage.JavaScript)]
    public async Task QueueReader_EveryCallIsOneEnvelopeOnOneKeptAliveConnection_AnErrorEnvelopeIsAnErrorDocNamingTheFunction(BridgeLanguage language)
    {
        using var rie = FakeRie.Start(language, TestProjects.Sample(language == BridgeLanguage.Python ? "python-readers" : "js-readers"));
        using var channel = new BridgeEndpointChannel(rie.Endpoint, Auth, TimeSpan.FromSeconds(30));
        var reader = new BridgeQueueMessageReader(channel);

        var results = Enumerable.Range(0, 5).Select(i => reader.ParseMessage($"m{i}", i == 0 ? "g" : null, i == 0 ? "d" : null,
            new Dictionary<string, string> { ["n"] = $"{i}" }, $"body{i}")).ToList();
        var failed = reader.ParseMessage("m9", null, null, new Dictionary<string, string>(), "raise");
        var stats = await rie.StatsAsync();

        Assert.That(results.Select(r => r.Document!.DocumentId), Is.EqualTo(Enumerable.Range(0, 5).Select(i => $"body{i}")));
        Assert.That(results[0].Document!.Serialize(), Does.Contain("\"messageGroupId\":\"g\",\"messageDeduplicationId\":\"d\""));
        var error = (IErrorDoc)failed.Document!;
        Assert.That(error.ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["messageId"] = "m9" }));
        Assert.That(error.ErrorMessage, Does.StartWith("QueueMessageReader.parseMessage raised").And.Contain("cannot parse message m9")
            .And.Contain(rie.Endpoint.ToString()));
        Assert.That(stats with { Connections = 0 }, Is.EqualTo(new RieStats(0, 6, 0)), "six envelopes, none refused by the handler's checks");
        Assert.That(stats.Connections, Is.EqualTo(2), "the calls' one kept-alive connection, and the stats request's");
    }

    [TestCase(BridgeLanguage.Python, "python-warc")]
    [TestCase(BridgeLanguage.JavaScript, "js-warc")]
    public async Task SingleFileParser_RecordGoesAsTextWithItsBounds_SameDocumentAsTheHost(BridgeLanguage language, string project)
    {
        using var rie = FakeRie.Start(language, TestProjects.Sample(project));
        using var channel = new BridgeEndpointChannel(rie.Endpoint, Auth, TimeSpan.FromSeconds(30));
        using var pool = new BridgeHostPool(new BridgeProject(language, TestProjects.Sample(project)), [BridgeInterface.SingleFileParser], null);
        var record = Encoding.UTF8.GetBytes("WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: http://ünicode.example/ß\r\n\r\n\r\n\r\n");

        var remote = new BridgeSingleFileParser(channel);
        var local = new BridgeSingleFileParser(pool);
        var fileType = remote.S3FileType;
        var viaEndpoint = remote.ParseDocument(fileType, "a.warc", 1234, record);
        var viaHost = local.ParseDocument(fileType, "a.warc", 1234, record);

        Assert.That(fileType, Is.EqualTo(local.S3FileType));
        Assert.That(remote.GetRecordStartPattern(fileType), Is.EqualTo(local.GetRecordStartPattern(fileType)));
        Assert.That(viaEndpoint.Status, Is.EqualTo(ParseDocumentResultStatus.Success));
        Assert.That(viaEndpoint.Document!.Serialize(), Is.EqualTo(viaHost.Document!.Serialize()));
        Assert.That((await rie.StatsAsync()).Rejected, Is.Zero, "content, startIndex 0 and endIndex as LetsData's handler checks them");
    }

    [Test]
    public void UnreachableEndpoint_FailsTheCallWithAMessageNamingIt()
    {
        var port = FreePort();
        var endpoint = new Uri($"http://127.0.0.1:{port}/2015-03-31/functions/function/invocations");
        using var channel = new BridgeEndpointChannel(endpoint, Auth, TimeSpan.FromSeconds(10));

        var failure = Assert.Throws<BridgeHostException>(() =>
            new BridgeQueueMessageReader(channel).ParseMessage("m", null, null, new Dictionary<string, string>(), "b"))!;

        Assert.That(failure.Message, Does.StartWith($"the bridge endpoint {endpoint} cannot be reached for QueueMessageReader.parseMessage"));
        Assert.That(channel.Probe(), Does.StartWith($"the bridge endpoint {endpoint} cannot be reached"));
    }

    [Test]
    public void Envelope_OfEachFunction_CarriesLetsDatasKeys()
    {
        var calls = BridgeRequests.Calls(BridgeInterface.SingleFileParser, "parseDocument", 1, (w, _) =>
        {
            w.WriteString("s3FileType", "WARC");
            w.WriteString("fileName", "f");
            w.WriteNumber("offsetBytes", 7);
            w.WriteBase64String("content", "ß!"u8);
        });
        using var request = System.Text.Json.JsonDocument.Parse(calls);

        var envelope = Encoding.UTF8.GetString(BridgeEnvelope.Request(request.RootElement.GetProperty("calls")[0], Auth));

        Assert.That(envelope, Does.Match("""^\{"requestId":"[0-9a-f-]{36}","interface":"SingleFileParser","function":"parseDocument","letsdataAuth":\{"tenantId":"local","userId":"local","datasetName":"Bridged","datasetId":"Bridged"\},"data":\{"s3FileType":"WARC","fileName":"f","offsetBytes":7,"content":"\\u00DF!","startIndex":0,"endIndex":3\}\}$"""));
    }

    [Test]
    public void Result_OfTheRuntimesOwnErrorObject_IsAnException()
    {
        var result = BridgeEnvelope.Result("""{"errorMessage":"Unable to import module","errorType":"Runtime.ImportModuleError","stackTrace":[]}"""u8);

        Assert.That(BridgeCallFailure.IsFailure(result, "X.f", "here", out var failure), Is.True);
        Assert.That(failure!.Message, Is.EqualTo("X.f raised Runtime.ImportModuleError: Unable to import module (here)"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
