using System.Collections.Concurrent;
using System.Diagnostics;
using LetsData.Runtime.DataTasks;
using LetsData.Runtime.DataTasks.Control;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Observability;
using LetsData.Runtime.Operations;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Hosting;

/// <summary>What a supervised run came to: the summary, or the problems that kept the plugin from running.</summary>
internal sealed record SupervisedRun(RunSummary? Summary, IReadOnlyList<string> Problems, bool StoppedBeforeTheEnd);

/// <summary>
/// Runs a dataset's tasks in data-task processes, one per concurrency slot, each running one task at a time and taking
/// the next when it is done. The supervisor never loads plugin code: it serves the processes' ledger requests from the
/// task store, adds up their progress, and owns what happens when one dies or hangs — the process is reaped (or
/// killed), the task it held is retried from its last checkpoint up to <see cref="MaxRetries"/> times and then recorded
/// ERRORED with the plugin call it was in, and a new process takes the slot.
/// </summary>
internal sealed class DataTaskSupervisor(
    string datasetName, ITaskLedger ledger, DataTaskLaunch launch, StartDataTasks start, int slots, TimeSpan? callTimeout, ILogger logger,
    RunTally? tally = null, TaskLogFiles? taskLogs = null)
{
    private StartDataTasks _start = start;
    private int _pluginVersion = 1;

    /// <summary>How many times a task whose process died is started again before it is recorded ERRORED.</summary>
    public const int MaxRetries = 2;

    /// <summary>A process that cannot prepare the plugin this many times in a row gives its slot up.</summary>
    private const int MaxFailedStarts = 3;

    private static readonly TimeSpan MonitorInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan DrainAfterExit = TimeSpan.FromSeconds(2);

    /// <summary>How long a data-task process may take to load the plugin, open its inputs and run the smoke run.</summary>
    public static readonly TimeSpan PrepareTimeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<TaskAssignment> _retries = new();
    private readonly ConcurrentDictionary<string, int> _restarts = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<TaskResult> _results = [];
    private readonly ConcurrentDictionary<Supervised, byte> _live = new();
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
    private readonly TaskCompletionSource<bool> _firstReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _processNumber;
    private volatile bool _stopping;

    public RunProgress Progress { get; } = new();

    /// <summary>Process 1, started before the supervisor was set up (<see cref="PrestartedDataTaskProcess"/>); null: started here.</summary>
    public PrestartedDataTaskProcess? Prestarted { get; init; }

    /// <summary>When (<see cref="Stopwatch.GetTimestamp"/>) the first data-task process answered its start (<c>run --timings</c>); 0 before.</summary>
    public long FirstReadyTimestamp { get; private set; }

    /// <summary>The first data-task process's start, step by step, from its spawn (<c>run --timings</c>); empty before it was ready.</summary>
    public IReadOnlyList<BootMark> FirstBoot { get; private set; } = [];

    /// <summary>
    /// Every slot's process starts at once; the first also runs the initialization test (when
    /// <see cref="StartDataTasks.SmokeRun"/>), and no process gets a task before it passed — when it fails, the others are
    /// stopped and its problems returned. Stopping (<paramref name="stopping"/>) asks every process to stop its task at the
    /// next checkpoint; those still running <paramref name="gracePeriod"/> later are killed.
    /// </summary>
    public async Task<SupervisedRun> RunAsync(TimeSpan gracePeriod, CancellationToken stopping)
    {
        Progress.TasksTotal = ledger.ExpectedTasks;
        var starting = StartPreparedAsync(_start, 1, stopping);
        var others = Enumerable.Range(1, Math.Max(0, slots - 1)).Select(_ => RunSlotAsync(null, stopping)).ToList();
        var first = await starting.ConfigureAwait(false);
        FirstReadyTimestamp = Stopwatch.GetTimestamp();
        _firstReady.TrySetResult(first.Process is not null);
        if (first.Process is null)
        {
            _stopping = true;
            foreach (var process in _live.Keys)
            {
                process.Process.Kill();
            }

            await Task.WhenAll(others).ConfigureAwait(false);
            return new SupervisedRun(null, first.Problems, StoppedBeforeTheEnd: false);
        }

        var slotsDone = Task.WhenAll([RunSlotAsync(first.Process, stopping), .. others]);
        using var monitor = new Timer(_ => KillSilent(), null, MonitorInterval, MonitorInterval);
        var stoppedEarly = false;
        try
        {
            await slotsDone.WaitAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            _stopping = true;
            foreach (var process in _live.Keys)
            {
                process.TrySend(new StopDataTasks());
            }

            try
            {
                await slotsDone.WaitAsync(gracePeriod, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                stoppedEarly = true;
                foreach (var process in _live.Keys)
                {
                    process.Process.Kill();
                }

                await slotsDone.ConfigureAwait(false);
            }
        }

        // A retry no slot was left to run (every process of its slot failed to start): recorded, never silently dropped.
        while (!_stopping && _retries.TryDequeue(out var stranded))
        {
            Record(stranded, new TaskResult(stranded.Task.TaskId, DataTaskStatus.Errored,
                $"task {stranded.Task.TaskId}: its data-task process died and no new process could start to retry it", new TaskCounters(), TimeSpan.Zero)
            {
                Checkpoint = stranded.ResumeFrom,
            });
        }

        var ordered = _results.OrderBy(r => r.TaskId, StringComparer.Ordinal).ToList();
        return new SupervisedRun(new RunSummary(datasetName, ordered, _stopwatch.Elapsed), [], stoppedEarly);
    }

    /// <summary>
    /// Hot update: new processes load <paramref name="pluginAssembly"/> (a checked copy of a new build); the running
    /// ones take no further task and end after the one they run.
    /// </summary>
    public void UsePlugin(string pluginAssembly)
    {
        lock (_live)
        {
            _start = _start with { PluginAssembly = pluginAssembly };
            _pluginVersion++;
        }
    }

    /// <summary>A copy of the start message for a check of a new build in a <c>validate</c> process.</summary>
    public StartDataTasks ValidationOf(string pluginAssembly) =>
        _start with { Mode = DataTaskMode.Validate, PluginAssembly = pluginAssembly, SmokeRun = true };

    /// <summary>Sends <paramref name="message"/> to every running process (refreshed credentials).</summary>
    public void Broadcast(ControlMessage message)
    {
        foreach (var process in _live.Keys)
        {
            process.TrySend(message);
        }
    }

    /// <summary><c>validate</c>: one process checks the plugin and smoke-runs the first task; its lines and problems.</summary>
    public static async Task<Prepared> ValidateAsync(DataTaskLaunch launch, StartDataTasks start, ILogger logger, CancellationToken cancellationToken)
    {
        using var process = DataTaskProcess.Start(launch, 1, start.PluginAssembly!, line => Console.Error.WriteLine(line));
        var (prepared, problem) = await PrepareAsync(process, start, "checked", logger, cancellationToken).ConfigureAwait(false);
        return prepared ?? new Prepared([problem!], []);
    }

    /// <summary>
    /// Sends the start and waits for the process's <see cref="Prepared"/>, at most <see cref="PrepareTimeout"/>: plugin
    /// code runs while it prepares (a module initializer, a constructor) and may never return. Null with a problem when
    /// the process died, stopped answering or was stopped; it has then been killed.
    /// </summary>
    private static async Task<(Prepared? Prepared, string? Problem)> PrepareAsync(DataTaskProcess process, StartDataTasks start, string what,
        ILogger logger, CancellationToken stopping)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        limit.CancelAfter(PrepareTimeout);
        ControlMessage? answer = null;
        string? problem = null;
        try
        {
            process.Channel.Send(start);
            // WaitAsync: a read of an anonymous pipe does not see the token once it blocks; the wait does.
            answer = await process.Channel.ReceiveAsync(limit.Token).WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            logger.LogError("{Process}: {Message}", process.Name, e.Message);
        }
        catch (OperationCanceledException)
        {
            problem = stopping.IsCancellationRequested
                ? $"stopped (Ctrl+C or SIGTERM) before the plugin was {what}"
                : $"readConnector.artifactFile: {process.LastCall ?? "the plugin"}: its data-task process did not answer within {PrepareTimeout.TotalSeconds:F0} s while the plugin was {what} (plugin code that never returns?); it was killed";
        }

        if (answer is Prepared prepared)
        {
            return (prepared, null);
        }

        process.Kill();
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return (null, problem ?? $"readConnector.artifactFile: {process.LastCall ?? "the plugin"}: its data-task process died while the plugin was {what} ({process.DescribeExit()})");
    }

    private async Task<(Supervised? Process, IReadOnlyList<string> Problems)> StartPreparedAsync(StartDataTasks message, int version, CancellationToken stopping)
    {
        var number = Interlocked.Increment(ref _processNumber);
        var lines = new ProcessLines(taskLogs);
        DataTaskProcess process;
        if (number == 1 && Prestarted?.TryTake(message.PluginAssembly!) is { } early)
        {
            process = early;
            lines = Prestarted.Lines;
        }
        else
        {
            process = DataTaskProcess.Start(launch, number, message.PluginAssembly!, lines.Relay);
        }

        var (prepared, problem) = await PrepareAsync(process, message, "prepared", logger, stopping).ConfigureAwait(false);
        if (prepared is { Problems.Count: 0 })
        {
            if (number == 1)
            {
                FirstBoot = [new BootMark("spawned", process.SpawnedTimestamp), .. prepared.Boot];
                foreach (var line in prepared.Confinement)
                {
                    logger.LogInformation("data-task processes: {Confinement}", line);
                }

                foreach (var line in prepared.Lines)
                {
                    logger.LogInformation("{Line}", line);
                }
            }

            var supervised = new Supervised(process, version, lines);
            _live[supervised] = 0;
            return (supervised, []);
        }

        process.Dispose();
        return (null, prepared?.Problems ?? [problem!]);
    }

    // One concurrency slot: a process serves tasks until it has none left; one that dies is replaced.
    private async Task RunSlotAsync(Supervised? process, CancellationToken stopping)
    {
        var failedStarts = 0;
        while (!_stopping)
        {
            if (process is null)
            {
                StartDataTasks current;
                int version;
                lock (_live)
                {
                    // The message and its version together: a reload between them would tag an old build as new.
                    current = _start with { SmokeRun = false };
                    version = _pluginVersion;
                }

                var (started, problems) = await StartPreparedAsync(current, version, stopping).ConfigureAwait(false);
                if (started is null)
                {
                    if (_stopping)
                    {
                        return;
                    }

                    if (++failedStarts >= MaxFailedStarts)
                    {
                        logger.LogError("a data-task process could not start the plugin {Failures} time(s); this slot stops: {Problems}",
                            failedStarts, string.Join("; ", problems));
                        return;
                    }

                    continue;
                }

                process = started;
                failedStarts = 0;
            }

            var finished = await ServeAsync(process, stopping).ConfigureAwait(false);
            _live.TryRemove(process, out _);
            process.Process.Dispose();
            if (finished && !process.Retired && _retries.IsEmpty)
            {
                return;
            }

            process = null;
        }
    }

    // Reads one process's messages until it ends; true when it ended normally (its engine had no task left).
    private async Task<bool> ServeAsync(Supervised process, CancellationToken stopping)
    {
        var finished = false;
        // What the process wrote before it exited is read; after that, nothing that inherited the channel keeps it open.
        using var drained = new CancellationTokenSource();
        var exited = process.Process.WaitForExitAsync(CancellationToken.None)
            .ContinueWith(_ => drained.CancelAfter(DrainAfterExit), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        while (true)
        {
            ControlMessage? message;
            try
            {
                message = await process.Process.Channel.ReceiveAsync(drained.Token).WaitAsync(drained.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                message = null;
            }
            catch (InvalidDataException e)
            {
                logger.LogError("{Process}: {Message}; it is stopped", process.Process.Name, e.Message);
                process.Process.Kill();
                message = null;
            }

            if (message is null)
            {
                break;
            }

            Interlocked.Exchange(ref process.LastHeard, Stopwatch.GetTimestamp());
            switch (message)
            {
                case Heartbeat beat:
                    Progress.Add(beat.Records, beat.Documents, beat.Errors, beat.Skips, beat.BytesScanned);
                    if (beat.Measures is { } measures)
                    {
                        tally?.Measures.Add(measures);
                    }

                    // The process runs one task at a time and reports all of a task's counts before it ends the task.
                    if (process.Lines.TaskId is { } taskId)
                    {
                        tally?.Of(taskId).Live.Add(beat.Records, beat.Documents, beat.Errors, beat.Skips, beat.BytesScanned);
                    }

                    break;
                case CallTimedOut timedOut:
                    process.TimedOut = timedOut.Message;
                    break;
                case Finished:
                    finished = true;
                    break;
                default:
                    // Store requests wait on the store (and a claim may wait for another worker's task): off the read loop.
                    process.Answers.Add(Task.Run(() => Answer(process, message, stopping), CancellationToken.None));
                    break;
            }
        }

        process.Ended = true;
        await exited.ConfigureAwait(false);
        await process.Process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        // A claim answered after the process died still counts as held by it.
        await Task.WhenAll(process.Answers).ConfigureAwait(false);
        if (process.Holding is { } held)
        {
            TaskEndedWithProcess(process, held);
        }

        return finished && process.Holding is null;
    }

    private void Answer(Supervised process, ControlMessage request, CancellationToken stopping)
    {
        Reply reply;
        try
        {
            reply = request switch
            {
                TakeNextTask => Take(process, stopping),
                SaveCheckpoint save => Held(process, save.TaskId, held =>
                {
                    var checkpoint = TaskCheckpoint.FromJson(save.Checkpoint, out var problem) ?? throw new InvalidDataException(problem);
                    ledger.SaveCheckpoint(held, checkpoint);
                    process.LastCheckpoint = checkpoint;
                }),
                DropCheckpoint drop => Held(process, drop.TaskId, held =>
                {
                    ledger.DropCheckpoint(held);
                    process.LastCheckpoint = null;
                }),
                ConfirmOwnership confirm => Held(process, confirm.TaskId, ledger.ConfirmOwnership),
                EndTask { OwnershipLost: true } lost => Lost(process, lost),
                EndTask end => Held(process, end.TaskId, held => Record(held, end.ToResult())),
                _ => new Reply { Failure = $"unexpected request {request.GetType().Name}" },
            };
        }
        catch (TaskOwnershipLostException e)
        {
            // Another worker holds the task now: it is no longer this process's, whatever the process does next.
            process.Holding = null;
            reply = new Reply { OwnershipLost = e.Message };
        }
        catch (Exception e)
        {
            reply = new Reply { Failure = e.Message };
        }

        if (request is EndTask)
        {
            process.Holding = null;
        }

        process.TrySend(reply with { Id = request.Id });
    }

    // Another worker took the task over: its outcome is that worker's; the summary still shows this attempt.
    private Reply Lost(Supervised process, EndTask lost)
    {
        if (process.Holding?.Task.TaskId == lost.TaskId)
        {
            process.Holding = null;
        }

        Record(null, lost.ToResult());
        return new Reply();
    }

    private Reply Take(Supervised process, CancellationToken stopping)
    {
        // No task before the first process passed the initialization test (the others prepared meanwhile).
        if (!_firstReady.Task.GetAwaiter().GetResult() || _stopping || stopping.IsCancellationRequested)
        {
            return new Reply();
        }

        if (process.Version != Volatile.Read(ref _pluginVersion))
        {
            // A newer plugin version is current: this process ends, and its slot gets a process of the new one.
            process.Retired = true;
            return new Reply();
        }

        var next = _retries.TryDequeue(out var retry) ? retry : TakeFromLedger(stopping);
        if (next is null)
        {
            return new Reply();
        }

        process.Holding = next;
        process.Lines.TaskId = next.Task.TaskId;
        process.LastCheckpoint = next.ResumeFrom;
        TaskLog(next.Task.TaskId, $"started in {process.Process.Name}, from {(next.ResumeFrom is null ? "its beginning" : $"checkpoint {next.ResumeFrom.Number}")}");
        return new Reply { TaskId = next.Task.TaskId, Checkpoint = next.ResumeFrom?.ToJson() };
    }

    private TaskAssignment? TakeFromLedger(CancellationToken stopping)
    {
        try
        {
            return ledger.TakeNext(stopping);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static Reply Held(Supervised process, string taskId, Action<TaskAssignment> action)
    {
        if (process.Holding is not { } held || held.Task.TaskId != taskId)
        {
            throw new InvalidOperationException($"{process.Process.Name} does not hold task {taskId}");
        }

        action(held);
        return new Reply();
    }

    // The process ended while it held a task: it crashed, was killed as hung or silent, or stopped without ending it.
    private void TaskEndedWithProcess(Supervised process, TaskAssignment held)
    {
        var taskId = held.Task.TaskId;
        var call = process.Process.LastCall ?? $"task {taskId}";
        var message = process.TimedOut ?? $"{call}: its data-task process died ({process.Process.DescribeExit()})";
        var resumeFrom = process.LastCheckpoint;
        if (_stopping)
        {
            // Stopped or killed at the end of the grace period: the task's lease and checkpoint carry it to the next run.
            return;
        }

        var restarts = _restarts.AddOrUpdate(taskId, 1, (_, n) => n + 1);
        if (restarts <= MaxRetries)
        {
            logger.LogWarning("task {TaskId}: {Message}; retried from {Checkpoint} ({Retry} of {MaxRetries})",
                taskId, message, resumeFrom is null ? "its beginning" : $"checkpoint {resumeFrom.Number}", restarts, MaxRetries);
            TaskLog(taskId, $"{message}; retried ({restarts} of {MaxRetries})");
            _retries.Enqueue(held with { ResumeFrom = resumeFrom });
            return;
        }

        Record(held, new TaskResult(taskId, DataTaskStatus.Errored, $"{message} (after {MaxRetries} retries)", new TaskCounters(), TimeSpan.Zero)
        {
            Checkpoint = resumeFrom,
        });
    }

    private void Record(TaskAssignment? assignment, TaskResult result)
    {
        if (assignment is not null)
        {
            result = ledger.RecordIn(assignment, result);
        }

        Progress.TaskEnded(result.Status == DataTaskStatus.Errored);
        _results.Add(result);
        TaskLog(result.TaskId, $"ended {result.Status.ToString().ToUpperInvariant()}{(result.ErrorMessage is { } error ? $": {error}" : "")}");
    }

    /// <summary>
    /// <c>letsdata tasks stop</c>: the process running <paramref name="taskId"/> stops it at its next checkpoint (the task
    /// ends RERUN and the next run continues it) and ends; a new process takes its slot and the run goes on.
    /// </summary>
    public (bool Stopping, string Message) StopTask(string taskId)
    {
        var process = _live.Keys.FirstOrDefault(p => !p.Ended && p.Holding?.Task.TaskId == taskId);
        if (process is null)
        {
            return (false, $"task {taskId} is not running in this worker");
        }

        process.Retired = true;
        process.TrySend(new StopDataTasks());
        TaskLog(taskId, "stop requested (letsdata tasks stop): stopping at the next checkpoint");
        return (true, $"task {taskId}: {process.Process.Name} stops it at its next checkpoint (RERUN)");
    }

    // A line of the supervisor's own about a task, in the task's log file.
    private void TaskLog(string taskId, string message) =>
        taskLogs?.Append(taskId, $"{DateTimeOffset.Now:HH:mm:ss} supervisor: {message}");

    // A process that says nothing for this long is stuck beyond what its own call watchdog can see (starved, frozen
    // by plugin code that holds the runtime): killed, and its task goes the way of a crash.
    private void KillSilent()
    {
        var silence = (callTimeout ?? TimeSpan.FromSeconds(30)) + TimeSpan.FromSeconds(15);
        foreach (var process in _live.Keys)
        {
            if (process.Ended)
            {
                continue;
            }

            if (Stopwatch.GetElapsedTime(Interlocked.Read(ref process.LastHeard)) > silence)
            {
                logger.LogError("{Process} sent nothing for {Seconds:F0} s; it is killed", process.Process.Name, silence.TotalSeconds);
                process.TimedOut ??= $"{process.Process.LastCall ?? "its task"}: its data-task process stopped answering for {silence.TotalSeconds:F0} s and was killed";
                process.Process.Kill();
            }
        }
    }

    /// <summary>A running data-task process and what the supervisor knows of it.</summary>
    private sealed class Supervised(DataTaskProcess process, int version, ProcessLines lines)
    {
        public DataTaskProcess Process { get; } = process;
        public int Version { get; } = version;
        public volatile bool Retired;

        /// <summary>Its channel ended: the silence check leaves it alone (its handle may be disposed any moment).</summary>
        public volatile bool Ended;
        public ConcurrentBag<Task> Answers { get; } = [];
        public volatile TaskAssignment? Holding;

        /// <summary>Its standard error, relayed with the task it runs (or ran last): its heartbeats count for that task too.</summary>
        public ProcessLines Lines { get; } = lines;
        public volatile TaskCheckpoint? LastCheckpoint;
        public volatile string? TimedOut;
        public long LastHeard = Stopwatch.GetTimestamp();

        public void TrySend(ControlMessage message)
        {
            try
            {
                Process.Channel.Send(message);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The process is gone; its end is handled where its channel ended.
            }
        }
    }
}
