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

    /// <summary>Runs <paramref name="tasks"/> once each, from their beginning.</summary>
    public Task<RunSummary> RunAsync(IReadOnlyList<DataTaskDefinition> tasks, CancellationToken cancellationToken = default) =>
        RunAsync(new FixedTaskLedger(tasks), cancellationToken);

    /// <summary>Runs the tasks <paramref name="ledger"/> hands out until it has none left, resuming each from its checkpoint.</summary>
    public Task<RunSummary> RunAsync(ITaskLedger ledger, CancellationToken cancellationToken = default)
    {
        Progress.TasksTotal = ledger.ExpectedTasks;
        var run = new EngineRun(new TaskRunner(datasetName, binding, sources, documentSinks, errorSinks, _options, Progress),
            ledger, _options, Progress, cancellationToken);
        return run.StartAsync();
    }

    /// <summary>
    /// One run's workers: <see cref="EngineOptions.Concurrency"/> threads take tasks from a queue. A thread stuck in a
    /// plugin call past <see cref="EngineOptions.PluginCallTimeout"/> is abandoned — its task errors, a new thread takes
    /// its place — since .NET cannot abort it; after <see cref="EngineOptions.MaxLeakedThreads"/> the run stops taking
    /// tasks so that the worker can exit and be restarted by its supervisor.
    /// </summary>
    private sealed class EngineRun(
        TaskRunner runner, ITaskLedger ledger, EngineOptions options, RunProgress progress, CancellationToken cancellationToken)
    {
        private readonly ConcurrentBag<TaskResult> _results = [];
        private readonly ConcurrentDictionary<RunningTask, byte> _active = new();
        private readonly TaskCompletionSource<RunSummary> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
        private Timer? _watchdog;
        private int _liveWorkers;
        private int _leakedThreads;
        private string? _stoppedBecause;

        public Task<RunSummary> StartAsync()
        {
            var workers = Math.Clamp(options.Concurrency, 1, Math.Max(1, ledger.ExpectedTasks));
            if (options.PluginCallTimeout is { } timeout)
            {
                var period = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 10, 1000));
                _watchdog = new Timer(_ => CheckCalls(timeout), null, period, period);
            }

            // Set before any worker starts (Thread.Start publishes it to them).
            _liveWorkers = workers;

            for (var i = 0; i < workers; i++)
            {
                StartWorker();
            }

            return _done.Task;
        }

        private void StartWorker()
        {
            // Background threads: an abandoned one stuck in plugin code must not keep the process alive.
            var thread = new Thread(Work) { IsBackground = true, Name = "letsdata-task" };
            thread.Start();
        }

        private void Work()
        {
            while (!cancellationToken.IsCancellationRequested && Volatile.Read(ref _stoppedBecause) is null
                && TakeNext() is { } assignment)
            {
                var task = assignment.Task;
                var running = new RunningTask(assignment);
                _active.TryAdd(running, 0);
                TaskResult result;
                try
                {
                    result = runner.Run(running, ledger, cancellationToken);
                }
                catch (Exception e)
                {
                    // Run turns every failure of the task's own work into an errored result; this is a failure
                    // around it (a sink that cannot open). The task errors instead of vanishing from the summary.
                    result = new TaskResult(task.TaskId, DataTaskStatus.Errored,
                        $"the runtime could not run the task: {e.GetType().Name}: {e.Message}", new TaskCounters(), TimeSpan.Zero);
                }

                _active.TryRemove(running, out _);
                if (!running.TryFinish())
                {
                    // The watchdog gave up on this thread and recorded the task; a replacement took its place.
                    return;
                }

                Record(assignment, result);
            }

            WorkerEnded();
        }

        private TaskAssignment? TakeNext()
        {
            try
            {
                return ledger.TakeNext(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (Exception e)
            {
                // The task state cannot be read or claimed (store unreachable beyond its retries): stop taking tasks;
                // the ones running end normally.
                Interlocked.CompareExchange(ref _stoppedBecause, $"taking the next task failed: {e.Message}", null);
                return null;
            }
        }

        private void CheckCalls(TimeSpan timeout)
        {
            var now = Stopwatch.GetTimestamp();
            var abandoned = _active.Keys.Where(running => running.SampleCallDuration(now) >= timeout && running.TryAbandon()).ToList();
            foreach (var running in abandoned)
            {
                _active.TryRemove(running, out _);
                var call = running.CallSite?.DescribeCall() ?? "plugin call";
                if (options.CallTimedOut is { } endProcess)
                {
                    // A data-task process: the process ends here, which stops the call for real; its supervisor records the task.
                    endProcess(running.Definition.TaskId, $"{call} did not return within {timeout.TotalSeconds:0.###} s (pluginCallTimeout); its data-task process was stopped");
                    continue;
                }

                var leaked = Interlocked.Increment(ref _leakedThreads);
                Record(running.Assignment, new TaskResult(running.Definition.TaskId, DataTaskStatus.Errored,
                    $"{call} did not return within {timeout.TotalSeconds:0.###} s (pluginCallTimeout); the task was abandoned and its thread leaked ({leaked} so far)",
                    new TaskCounters(), TimeSpan.Zero));
                if (leaked >= options.MaxLeakedThreads)
                {
                    Interlocked.CompareExchange(ref _stoppedBecause,
                        $"{leaked} thread(s) leaked in plugin calls that never returned (maxLeakedThreads {options.MaxLeakedThreads}); the worker stopped taking tasks and should be restarted",
                        null);
                }
            }

            // Replacements start after the whole sample is judged, so calls that time out together count together
            // before a new thread takes another task. An abandoned thread no longer counts; a new one keeps the
            // concurrency (it ends at once when the run has stopped).
            foreach (var _ in abandoned)
            {
                StartWorker();
            }
        }

        private void Record(TaskAssignment assignment, TaskResult result)
        {
            result = ledger.RecordIn(assignment, result);
            progress.TaskEnded(result.Status == DataTaskStatus.Errored);
            _results.Add(result);
        }

        private void WorkerEnded()
        {
            if (Interlocked.Decrement(ref _liveWorkers) > 0)
            {
                return;
            }

            // Every live worker is done; abandoned ones were replaced, so this was the last thread that counts.
            _watchdog?.Dispose();
            var ordered = _results.OrderBy(r => r.TaskId, StringComparer.Ordinal).ToList();
            _done.TrySetResult(new RunSummary(runner.DatasetName, ordered, _stopwatch.Elapsed)
            {
                LeakedThreads = Volatile.Read(ref _leakedThreads),
                StoppedBecause = Volatile.Read(ref _stoppedBecause),
            });
        }
    }
}
