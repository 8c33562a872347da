using System.Diagnostics;
using System.Globalization;
using System.Text;
using Jint;
using Jint.Native;
using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.TargetUris;
using LetsData.Runtime.Bridge;
using LetsData.Runtime.Bridge.V8;

namespace LetsData.Benchmarks;

/// <summary>
/// Issue 14 item 7: one WARC request parser — the .NET sample <see cref="TargetUriExtractor"/> and its twins
/// tests/TestPlugins/Bridge/js-warc and python-warc — over the same records, each call's result taken to the
/// contract's <see cref="ParseDocumentResult"/>: .NET in-process; JavaScript on V8 in-process (ClearScript), on Jint
/// (managed interpreter) and through the Node bridge host; Python through the bridge host and embedded in-process
/// (pythonnet, measured for item 5, not used by the runtime); the bridges one call per record and in batches of 256.
/// No engine, no output: the per-call cost of the language boundary alone.
/// </summary>
internal static class LanguageBenchmark
{
    private const int Records = 20_000;
    private const int UnbatchedRecords = 4_000;

    public static void Run(BenchArguments arguments, RepositoryLayout layout)
    {
        var records = WarcRequests(Records);
        var project = Path.Combine(layout.Root, "tests", "TestPlugins", "Bridge", "js-warc");
        Console.WriteLine($"languages: {Records:N0} WARC request records of {records.Average(r => r.Length):F0} bytes on average; "
            + $"the js-warc and python-warc parsers vs TargetUriExtractor; best of {arguments.Reps} after one warm-up; nproc {Environment.ProcessorCount}");
        Console.WriteLine($"  {"side",-62} {"µs/call",9} {"records/s",11}");
        var dotnet = new TargetUriExtractor();
        Report(".NET in-process (TargetUriExtractor)", records, arguments.Reps, r => Count(r.Select(x => dotnet.ParseDocument("WARC", "bench.warc", 0, x))));

        var onV8 = new BridgeProject(BridgeLanguage.JavaScript, project) { OnV8 = true };
        using (var v8 = new V8SingleFileParser(onV8, new V8Settings(512L * 1024 * 1024, TimeSpan.FromSeconds(30))))
        {
            Report("JavaScript on V8 in-process, one call per record", records, arguments.Reps, r => Count(r.Select(x => v8.ParseDocument("WARC", "bench.warc", 0, x))));
            Report("JavaScript on V8 in-process, batches of 256", records, arguments.Reps, r => Count(Batched(v8, "WARC", r)));
        }

        using (var bare = new Microsoft.ClearScript.V8.V8ScriptEngine())
        {
            // The boundary alone: the same four arguments in, a short string out, no parsing.
            var noop = (Microsoft.ClearScript.ScriptObject)bare.Evaluate("({ parseDocument(t, f, o, n) { return '{}'; } })");
            Report("  V8 boundary alone (a call that returns '{}')", records, arguments.Reps,
                r => r.Count(x => ((string)noop.InvokeMethod("parseDocument", "WARC", "bench.warc", 0L, x.Length)).Length == 2));
        }

        var jint = JintParser(project);
        Report("JavaScript on Jint in-process", records.Take(UnbatchedRecords).ToList(), arguments.Reps, r => Count(r.Select(jint)));

        ReportBridge("JavaScript, Node bridge", BridgeLanguage.JavaScript, project, records, arguments.Reps);
        var pythonProject = Path.Combine(layout.Root, "tests", "TestPlugins", "Bridge", "python-warc");
        ReportBridge("Python, bridge", BridgeLanguage.Python, pythonProject, records, arguments.Reps);
        if (EmbeddedPythonParser.TryStart(pythonProject, layout.Root, out var embedded, out var why))
        {
            Report("Python embedded in-process (pythonnet), one call per record", records.Take(UnbatchedRecords).ToList(), arguments.Reps,
                r => Count(embedded!.ParseAll(r)));
        }
        else
        {
            Console.WriteLine($"  Python embedded in-process: not measured ({why})");
        }

        // A parser that does almost nothing (tests/TestPlugins/Bridge/js-limits on "REC n" lines): the boundary's cost.
        var lines = Enumerable.Range(0, Records).Select(i => Encoding.UTF8.GetBytes($"REC {i}")).ToList();
        var tinyProject = Path.Combine(layout.Root, "tests", "TestPlugins", "Bridge", "js-limits");
        using (var v8 = new V8SingleFileParser(new BridgeProject(BridgeLanguage.JavaScript, tinyProject) { OnV8 = true },
            new V8Settings(512L * 1024 * 1024, TimeSpan.FromSeconds(30))))
        {
            Report("tiny parser: V8 in-process, one call per record", lines, arguments.Reps, r => Count(r.Select(x => v8.ParseDocument("LINES", "lines.txt", 0, x))));
            Report("tiny parser: V8 in-process, batches of 256", lines, arguments.Reps, r => Count(Batched(v8, "LINES", r)));
        }

        using var tinyPool = new BridgeHostPool(new BridgeProject(BridgeLanguage.JavaScript, tinyProject), [BridgeInterface.SingleFileParser], relay: null);
        Report("tiny parser: Node bridge, batches of 256", lines, arguments.Reps, r => Count(Batched(new BridgeSingleFileParser(tinyPool), "LINES", r)));
        Console.WriteLine();
    }

    // One call per record over the first records, then batches of 256 over all, through the language's bridge host.
    private static void ReportBridge(string side, BridgeLanguage language, string project, IReadOnlyList<byte[]> records, int reps)
    {
        using var pool = new BridgeHostPool(new BridgeProject(language, project), [BridgeInterface.SingleFileParser], relay: null);
        var parser = new BridgeSingleFileParser(pool);
        Report($"{side}, one call per record", records.Take(UnbatchedRecords).ToList(), reps,
            r => Count(r.Select(x => parser.ParseDocument("WARC", "bench.warc", 0, x))));
        Report($"{side}, batches of 256", records, reps, r => Count(Batched(parser, "WARC", r)));
    }

    private static IEnumerable<ParseDocumentResult> Batched(IBatchingSingleFileParser parser, string fileType, IReadOnlyList<byte[]> records) =>
        records.Chunk(256).SelectMany(batch => parser.ParseDocuments(fileType, "bench", batch.Select(x => new BatchedRecord(0, x, x.Length, 0)).ToList()));

    private static int Count(IEnumerable<ParseDocumentResult> results)
    {
        var documents = 0;
        foreach (var result in results)
        {
            documents += result.Status == ParseDocumentResultStatus.Success ? 1 : throw new InvalidOperationException($"not a document: {result.Document}");
        }

        return documents;
    }

    private static void Report(string side, IReadOnlyList<byte[]> records, int reps, Func<IReadOnlyList<byte[]>, int> parseAll)
    {
        parseAll(records);
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < reps; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            var documents = parseAll(records);
            stopwatch.Stop();
            best = stopwatch.Elapsed < best ? stopwatch.Elapsed : best;
            if (documents != records.Count)
            {
                throw new InvalidOperationException($"{side}: {documents} documents for {records.Count} records");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {side,-62} {best.TotalMicroseconds / records.Count,9:F2} {records.Count / best.TotalSeconds,11:N0}"));
    }

    // Jint runs the project's module with the same prelude and dispatcher as V8; the record is handed in as an
    // ArrayBuffer made from its bytes.
    private static Func<byte[], ParseDocumentResult> JintParser(string project)
    {
        var engine = new Engine(options => options.EnableModules(project));
        using (var prelude = typeof(BridgeProject).Assembly.GetManifestResourceStream("LetsData.V8Prelude.js")!)
        using (var reader = new StreamReader(prelude))
        {
            engine.Execute(reader.ReadToEnd());
        }

        var module = engine.Modules.Import("./letsdata_interfaces/readers/parsers/SingleFileParser.js");
        var dispatcher = engine.Invoke("__letsdataDispatcher", module.Get("SingleFileParser"), project).AsObject();
        var parse = dispatcher.Get("parseDocument");
        var file = Path.Combine(project, "letsdata_interfaces", "readers", "parsers", "SingleFileParser.js");
        return record =>
        {
            dispatcher.Set("buffer", engine.Intrinsics.ArrayBuffer.Construct(record));
            var json = engine.Invoke(parse, dispatcher, [JsValue.FromObject(engine, "WARC"), "bench.warc", 0, record.Length]).AsString();
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return BridgeSingleFileParser.ToResult(document.RootElement, file, "WARC", 0, record.Length);
        };
    }

    private static List<byte[]> WarcRequests(int count) => Enumerable.Range(0, count).Select(i => Encoding.UTF8.GetBytes(
        $"WARC/1.0\r\nWARC-Type: request\r\nWARC-Date: 2024-05-01T12:{i % 60:00}:00Z\r\n"
        + $"WARC-Record-ID: <urn:uuid:{new Guid(i, 0, 0, new byte[8])}>\r\nContent-Type: application/http; msgtype=request\r\n"
        + $"WARC-Warcinfo-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\nWARC-IP-Address: 192.0.2.{i % 250}\r\n"
        + $"WARC-Target-URI: https://www.example-{i % 97}.org/section/{i}/page.html?q=ü{i}\r\nContent-Length: 180\r\n\r\n"
        + $"GET /section/{i}/page.html HTTP/1.1\r\nHost: www.example-{i % 97}.org\r\nUser-Agent: CCBot/2.0 (https://commoncrawl.org/faq/)\r\n"
        + "Accept: text/html,application/xhtml+xml\r\nAccept-Encoding: br,gzip\r\nConnection: Keep-Alive\r\n\r\n\r\n\r\n")).ToList();
}
