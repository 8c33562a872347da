using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using LetsData.MicroBenchmarks.Reporting;
using Perfolizer.Horology;

namespace LetsData.MicroBenchmarks;

/// <summary>
/// One short job for the whole run: a full run must stay within a few minutes on a 2-core machine shared with other
/// work, so it trades tight error bars for few iterations (compare ratios within one run, not across runs). The median
/// sits next to the mean: on a shared machine a burst of other work lands in an iteration or two and pulls the mean.
/// </summary>
internal static class MicroBenchConfig
{
    public static IConfig Create(string artifactsPath) =>
        DefaultConfig.Instance
            .AddJob(Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(9)
                .WithIterationTime(TimeInterval.FromMilliseconds(250))
                .WithId("Short"))
            .AddColumn(StatisticColumn.Median, new DecodedMegabytesPerSecondColumn())
            .WithArtifactsPath(artifactsPath);
}
