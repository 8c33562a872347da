using BenchmarkDotNet.Running;
using LetsData.MicroBenchmarks;

// BenchmarkDotNet's own command line (--filter, --list, --artifacts, ...). Without a filter it would ask on the console
// which benchmark to run; here no filter means all of them. Artifacts go to artifacts/micro-benchmarks/ of the
// repository unless --artifacts says otherwise.
var arguments = args.Any(a => a is "--filter" or "-f" || a.StartsWith("--filter=", StringComparison.Ordinal))
    ? args
    : [.. args, "--filter", "*"];
var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroBenchConfig).Assembly)
    .Run(arguments, MicroBenchConfig.Create(DefaultArtifactsPath()));

// A benchmark that failed (a corpus check threw, the build of the benchmark process broke) fails the run.
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;

static string DefaultArtifactsPath()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "LetsData.sln")))
        {
            return Path.Combine(dir.FullName, "artifacts", "micro-benchmarks");
        }
    }

    return Path.Combine(Environment.CurrentDirectory, "BenchmarkDotNet.Artifacts");
}
