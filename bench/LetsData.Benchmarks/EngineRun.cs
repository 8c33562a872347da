using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Writing;

namespace LetsData.Benchmarks;

/// <summary>
/// One file through the real engine — DataTaskEngine → TaskRunner → InputOpener/ReadAheadStream → RecordScanner, the
/// path the worker takes — with the trivial parser, discarding sinks and one task at a time.
/// </summary>
internal static class EngineRun
{
    public static Throughput Run(BenchDataFile file)
    {
        var binding = new SingleFileReaderBinding("bench-trivial", () => TrivialParser.Instance);
        var engine = new DataTaskEngine("bench", binding, new LocalFileSource(file.Directory),
            DiscardingSinkFactory.Instance, DiscardingSinkFactory.Instance, new EngineOptions { Concurrency = 1 });
        DataTaskDefinition[] tasks = [new("0", 1, file.FileName, [new ManifestFileRef(null, file.FileName)])];
        RunSummary? summary = null;
        var throughput = SideBySide.Time(() =>
        {
            summary = engine.RunAsync(tasks).GetAwaiter().GetResult();
            return (summary.Records, summary.BytesScanned);
        });

        // A fast run that skipped records would be a lie: insist on every record, every byte, no error.
        if (summary!.Errored != 0 || summary.Records != file.Records || summary.Documents != file.Records
            || summary.BytesScanned != file.ContentBytes)
        {
            throw new InvalidOperationException(
                $"engine run over {file.FileName} is wrong: {summary.Records:N0} records, {summary.Documents:N0} documents, "
                + $"{summary.BytesScanned:N0} bytes, {summary.Errored} errored task(s) ({summary.Tasks[0].ErrorMessage}); "
                + $"expected {file.Records:N0} records of {file.ContentBytes:N0} bytes");
        }

        return throughput;
    }
}
