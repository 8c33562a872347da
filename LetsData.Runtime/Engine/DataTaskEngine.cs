using System.Collections.Concurrent;
using System.Diagnostics;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Engine;

/// <summary>
/// The one engine: runs a dataset's tasks, <see cref="EngineOptions.Concurrency"/> at a time, each on a thread of its
/// own (plugin calls are synchronous, and a state-machine reader pulls records from inside the plugin). The worker,
/// the test harness and the benchmarks all run tasks through this type.
/// </summary>
public sealed class DataTaskEngine(
    string datasetName,
    IReaderBindingProvider binding,
    RecordSources sources,
    IDocumentSinkFactory documentSinks,
    IErrorSinkFactory errorSinks,
    EngineOptions? options = null)
{
    private readonly EngineOptions _options = options ?? new EngineOptions();

    /// <summary>An engine over files (the file reader types).</summary>
    public DataTaskEngine(string datasetName, IReaderBindingProvider binding, IFileSource files, IDocumentSinkFactory documentSinks,
        IErrorSinkFactory errorSinks, EngineOptions? options = null)
        : this(datasetName, binding, new RecordSources(files), documentSinks, errorSinks, options)
    {
    }

    public RunProgress Progress { get; } = new();

    public Task<RunSummary> RunAsync(IReadOnlyList<DataTaskDefinition> tasks, CancellationToken cancellationToken = default)
    {
        Progress.TasksTotal = tasks.Count;
        var runner = new TaskRunner(datasetName, binding, sources, documentSinks, errorSinks, _options, Progress);
        var queue = new ConcurrentQueue<DataTaskDefinition>(tasks);
        var results = new ConcurrentBag<TaskResult>();
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Math.Clamp(_options.Concurrency, 1, Math.Max(1, tasks.Count)))
            .Select(_ => Task.Factory.StartNew(() =>
            {
                while (!cancellationToken.IsCancellationRequested && queue.TryDequeue(out var task))
                {
                    TaskResult result;
                    try
                    {
                        result = runner.Run(task, cancellationToken);
                    }
                    catch (Exception e)
                    {
                        // Run turns every failure of the task's own work into an errored result; this is a failure
                        // around it (a sink that cannot open). The task errors instead of vanishing from the summary.
                        result = new TaskResult(task.TaskId, DataTaskStatus.Errored,
                            $"the runtime could not run the task: {e.GetType().Name}: {e.Message}", new TaskCounters(), TimeSpan.Zero);
                    }

                    Progress.TaskEnded(result.Status == DataTaskStatus.Errored);
                    results.Add(result);
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        return Task.WhenAll(workers).ContinueWith(_ =>
        {
            var ordered = results.OrderBy(r => r.TaskId, StringComparer.Ordinal).ToList();
            return new RunSummary(datasetName, ordered, stopwatch.Elapsed);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
