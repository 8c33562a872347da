using System.Diagnostics;
using LetsData.Benchmarks;
using LetsData.Benchmarks.CommonCrawl;
using LetsData.Benchmarks.Connectors;
using LetsData.Benchmarks.WholeProcess;

if (args is [PeakRss.ProbeOption, .. var probed])
{
    return PeakRss.Probe(probed);
}

var arguments = BenchArguments.TryParse(args, out var error);
if (arguments is null)
{
    if (!string.IsNullOrEmpty(error))
    {
        Console.Error.WriteLine($"bench: {error}");
    }

    Console.Error.WriteLine(BenchArguments.Usage);
    return string.IsNullOrEmpty(error) ? 0 : 2;
}

var layout = RepositoryLayout.Find();
var total = Stopwatch.StartNew();
ReportWriter.MachineFacts(arguments, layout);
if (arguments.Runs("engine"))
{
    EngineOverheadBenchmark.Run(arguments, layout);
}

if (arguments.Runs("gzip"))
{
    GzipInputBenchmark.Run(arguments, layout);
}

if (arguments.Runs("startup"))
{
    StartupBenchmark.Run(layout);
}

if (arguments.Runs("commoncrawl"))
{
    CommonCrawlBenchmark.Run(arguments, layout);
}

if (arguments.Runs("checkpoints"))
{
    CheckpointOverheadBenchmark.Run(arguments, layout);
}

if (arguments.Runs("isolation"))
{
    IsolationBenchmark.Run(arguments, layout);
}

if (arguments.Runs("connectors"))
{
    ConnectorBenchmark.Run(arguments, layout);
}

if (arguments.Runs("s3read"))
{
    S3ReadBenchmark.Run(arguments, layout);
}

if (arguments.Runs("languages"))
{
    LanguageBenchmark.Run(arguments, layout);
}

if (arguments.Runs("whole"))
{
    WholeProcessBenchmark.Run(arguments, layout);
}

if (arguments.Runs("rss"))
{
    WholeProcessBenchmark.RunRss(arguments, layout);
}

Console.WriteLine($"total bench time {total.Elapsed.TotalSeconds:F0} s");
return 0;
