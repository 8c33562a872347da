using LetsData.Runtime.Datasets;
using LetsData.Runtime.DataTasks.Control;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Observability;
using LetsData.Runtime.Observability.StatusPage;
using LetsData.Runtime.Operations;
using LetsData.Runtime.State;
using LetsData.Runtime.Connectors;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Hosting;

/// <summary><c>letsdata run</c>: prepares the dataset, runs every task, prints the summary.</summary>
public sealed class RunCommand(ProgressReporter progressReporter, ILogger<RunCommand> logger)
{
    /// <summary>How long a stop request (Ctrl+C, SIGTERM) waits for the running tasks to end before the worker exits without them.</summary>
    public static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(10);

    public Task<int> ExecuteAsync(CommandLine commandLine, TextWriter output, CancellationToken cancellationToken) =>
        commandLine.InProcess
            ? ExecuteInProcessAsync(commandLine, output, cancellationToken)
            : ExecuteSupervisedAsync(commandLine, output, cancellationToken);

    // The supervisor: task state, credentials and the data-task processes; the plugin is loaded only in those processes.
    private async Task<int> ExecuteSupervisedAsync(CommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        var timings = new RunTimings(commandLine.Timings);
        // Process 1's runtime boots while the dataset is read and the rest of the set-up runs; it waits for its policy.
        using var prestarted = PrestartedDataTaskProcess.Begin();
        var problems = new List<string>();
        if (PreparedDataset.TryLoadDataset(commandLine.DatasetFile, commandLine.PluginsDirectory, problems, out var manifestTasks) is not { } dataset)
        {
            return Unusable(problems);
        }

        timings.Mark("dataset load (config, role, manifest)");

        LogNotices(dataset);
        if (commandLine.CreateDestinations && !await TryCreateDestinationsAsync(dataset, problems, cancellationToken).ConfigureAwait(false))
        {
            return Unusable(problems);
        }

        var artifact = PreparedDataset.TryFetchPlugin(dataset, commandLine.PluginCacheDirectory, problems);
        if (problems.Count > 0)
        {
            return Unusable(problems);
        }

        if (artifact is not null)
        {
            logger.LogInformation("{Artifact}", artifact.Describe());
        }

        var tasks = manifestTasks;
        if (!dataset.ReaderType.ReadsFiles())
        {
            // Streams and tables: the supervisor lists the shards or segments to register the tasks; the processes read them.
            using var listed = await RunInputs.TryOpenAsync(dataset, [], problems, stopWhenCaughtUp: false, cancellationToken).ConfigureAwait(false);
            if (listed is null)
            {
                return Unusable(problems);
            }

            tasks = listed.Tasks;
        }

        var concurrency = commandLine.Concurrency ?? dataset.Concurrency;
        var launch = DataTaskLaunchPlan.TryCreate(commandLine.DatasetFile, dataset, Math.Min(concurrency, Math.Max(1, tasks.Count)), logger, problems);
        var keys = launch is null ? null : DatasetKeys.TryResolve(dataset, logger, problems);
        if (launch is null || problems.Count > 0)
        {
            return Unusable(problems);
        }

        timings.Mark("data-task launch plan");
        // A local plugin runs from a private copy of its folder, one per version (hot update by process).
        DataTaskSupervisor? supervisor = null;
        using var versions = artifact is not null ? null : ProcessPluginVersions.TryCreate(dataset.ArtifactFile, launch.CreatePrivateFolder("plugin-versions"),
            copy => DataTaskSupervisor.ValidateAsync(launch, supervisor!.ValidationOf(copy), logger, cancellationToken).GetAwaiter().GetResult().Problems,
            copy => supervisor!.UsePlugin(copy), logger, problems);
        if (artifact is null && versions is null)
        {
            return Unusable(problems);
        }

        var pluginAssembly = artifact?.AssemblyPath ?? versions!.First.AssemblyPath;
        timings.Mark("plugin shadow copy");
        // Process 1 confines itself now and boots its data-task runtime while the rest of the set-up runs; it waits for its start message.
        var taskLogs = new TaskLogFiles(commandLine.StateDirectory, dataset.Name);
        // It prepares the dataset and plugin of the start message while it reads it (not a bridge project: its hosts start
        // from the message); the start message below is made from the same target, so the two match. Full paths: the
        // data-task processes read the same dataset file and plugins folder, whatever their current directory.
        var target = new PreparationAhead.Target(Path.GetFullPath(commandLine.DatasetFile), dataset.Plugins.Path, pluginAssembly);
        prestarted.Start(launch, pluginAssembly, taskLogs, launch.Bridge is null ? target : null);
        timings.Mark("first data-task process given its policy (it was spawned at the start)");
        await using var taskState = await RunTaskState.TryOpenForRunAsync(commandLine, dataset, tasks, output, logger, problems, cancellationToken)
            .ConfigureAwait(false);
        if (taskState is null)
        {
            return Unusable(problems);
        }

        var ledger = taskState.Ledger;
        timings.Mark("task state open");
        using var metrics = StartMetrics(commandLine, dataset, engineProgress: null, ledger, problems);
        if (metrics is null)
        {
            return Unusable(problems);
        }

        var smoke = SmokeRunDue(commandLine, dataset, tasks, pluginAssembly);
        timings.Mark("metrics; smoke-run cache check (plugin and dataset hash)");
        var worker = commandLine.Worker;
        var start = new StartDataTasks(DataTaskMode.Run, target.DatasetFile, target.PluginsDirectory, SmokeRun: smoke.Due, ledger.ExpectedTasks)
        {
            PluginAssembly = target.PluginAssembly,
            ManifestText = dataset.ManifestS3Object is null ? null : dataset.ManifestText,
            CheckpointRecords = worker.CheckpointRecords,
            CheckpointSeconds = worker.CheckpointSeconds,
            CheckpointsOff = worker.CheckpointsOff,
            MaxTaskSeconds = worker.MaxTaskSeconds ?? dataset.TaskTimeBox?.TotalSeconds,
            Credentials = keys,
        };
        var slots = Math.Clamp(ledger.ExpectedTasks, 1, concurrency);
        supervisor = new DataTaskSupervisor(dataset.Name, metrics.Metered(ledger), launch, start, slots, dataset.Limits.CallTimeout, logger, metrics.Tally,
            taskLogs)
        {
            Prestarted = prestarted,
        };
        using var stops = new TaskStopListener(new TaskStopRequests(commandLine.StateDirectory, dataset.Name), supervisor.StopTask, logger,
            TimeProvider.System);
        var progress = supervisor.Progress;
        await using var page = StartStatusPage(commandLine, history => new StatusSource(dataset, taskState.Store, history, TimeProvider.System,
            metrics.Tally.LiveOf, () => progress.Records), problems);
        if (problems.Count > 0)
        {
            return Unusable(problems);
        }

        using var hotUpdate = versions is null ? null : HotPluginUpdate.TryStart(versions, dataset.Name, commandLine, logger, problems);
        if (versions is not null && hotUpdate is null)
        {
            return Unusable(problems);
        }

        logger.LogInformation("dataset {Dataset}: {Tasks} task(s), reader {ReaderType}, {Slots} data-task process(es) (concurrency {Concurrency})",
            dataset.Name, tasks.Count, dataset.ReaderType, slots, concurrency);
        using var refresh = keys is null ? null : DatasetKeys.RefreshEvery(TimeSpan.FromMinutes(1), dataset, supervisor);
        timings.Mark("supervisor set-up (metrics, hot update, stop listener)");
        var running = supervisor.RunAsync(StopGracePeriod, cancellationToken);
        await progressReporter.ReportUntilAsync(supervisor.Progress, running).ConfigureAwait(false);
        var outcome = await running.ConfigureAwait(false);
        if (supervisor.FirstReadyTimestamp != 0)
        {
            timings.Mark($"first data-task process ready (boot, policy scan, plugin load, inputs{(smoke.Due ? ", smoke run" : "")})",
                supervisor.FirstReadyTimestamp);
            timings.Steps("first data-task process", supervisor.FirstBoot.Select(m => (m.Name, m.Timestamp)).ToList());
        }

        timings.Mark("tasks (first process ready → every slot done, processes exited)");
        if (outcome.Summary is not null && smoke.Due)
        {
            smoke.Remember("smoke run passed in a data-task process");
        }

        if (outcome.Summary is not { } summary)
        {
            foreach (var problem in outcome.Problems)
            {
                logger.LogError("{Problem}", versions?.First.NameTheSource(problem) ?? problem);
            }

            logger.LogError("the run did not start: the initialization check failed (letsdata validate shows every problem; --skip-validation runs anyway)");
            return ExitCodes.UnusableInput;
        }

        if (outcome.StoppedBeforeTheEnd)
        {
            return StoppedBeforeTheEnd(supervisor.Progress, dataset, output, "their data-task processes were killed");
        }

        var exitCode = await ReportAsync(ledger, summary, dataset, output).ConfigureAwait(false);
        timings.Mark("task records, summary");
        timings.Print(Console.Error);
        return await LingerAsync(commandLine, exitCode, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the initialization test's smoke run is due: not when skipped, not for streams, and not when this plugin
    /// build and dataset passed it before (remembered in the state folder) unless <c>--revalidate</c>.
    /// </summary>
    private SmokeRunDecision SmokeRunDue(CommandLine commandLine, Dataset dataset, IReadOnlyList<DataTaskDefinition> tasks, string pluginAssembly)
    {
        if (commandLine.SkipValidation || !dataset.ReaderType.ReadsFiles())
        {
            return new SmokeRunDecision(false, null, null);
        }

        SmokeRunKey key;
        try
        {
            key = SmokeRunKey.Of(pluginAssembly, commandLine.DatasetFile, dataset, tasks);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogInformation("initialization test: smoke run due (the plugin build could not be hashed: {Reason})", e.Message);
            return new SmokeRunDecision(true, null, null);
        }

        var cache = new SmokeRunCache(TaskStateDirectory.Resolve(commandLine.StateDirectory, dataset.Name));
        var pass = cache.Find(key, out var reason);
        if (pass is not null && !commandLine.Revalidate)
        {
            logger.LogInformation("initialization test: smoke run skipped: plugin build {Build} and this dataset passed it at {PassedAt:u} ({Result}); --revalidate runs it again",
                key.PluginBuild[..12], pass.PassedAt, pass.Description);
            return new SmokeRunDecision(false, null, null);
        }

        logger.LogInformation("initialization test: smoke run due ({Reason})", pass is not null ? "--revalidate" : reason);
        return new SmokeRunDecision(true, cache, key);
    }

    private sealed record SmokeRunDecision(bool Due, SmokeRunCache? Cache, SmokeRunKey? Key)
    {
        public void Remember(string description)
        {
            if (Cache is not null && Key is not null)
            {
                Cache.Record(Key, DateTimeOffset.UtcNow, description);
            }
        }
    }

    // --in-process: the plugin is loaded here, next to the task store and the worker's credentials (no OS fence).
    private async Task<int> ExecuteInProcessAsync(CommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        using var prepared = PreparedDataset.TryPrepareForRun(commandLine.DatasetFile, commandLine.PluginsDirectory, problems,
            commandLine.PluginCacheDirectory);
        if (prepared is null)
        {
            return Unusable(problems);
        }

        if (prepared.PluginArtifact is { } artifact)
        {
            logger.LogInformation("{Artifact}", artifact.Describe());
        }

        var dataset = prepared.Dataset;
        LogNotices(dataset);
        if (commandLine.CreateDestinations && !await TryCreateDestinationsAsync(dataset, problems, cancellationToken).ConfigureAwait(false))
        {
            return Unusable(problems);
        }

        var concurrency = commandLine.Concurrency ?? dataset.Concurrency;
        using var inputs = await RunInputs.TryOpenAsync(prepared, problems, stopWhenCaughtUp: false, cancellationToken).ConfigureAwait(false);
        if (inputs is null)
        {
            return Unusable(problems);
        }

        // The initialization test before any task writes: a plugin that cannot handle the first records stops the run
        // here. Streams are left out: their first records may be far away (a continuous reader waits for them).
        var due = prepared.Plugin is { } loaded
            ? SmokeRunDue(commandLine, dataset, inputs.Tasks, loaded.AssemblyPath)
            : new SmokeRunDecision(!commandLine.SkipValidation && dataset.ReaderType.ReadsFiles(), null, null);
        var smoke = !due.Due
            ? null
            : await SmokeRun.TryRunAsync(prepared, inputs, cancellationToken).ConfigureAwait(false);
        if (smoke is { Problem: null })
        {
            due.Remember(smoke.Description);
        }

        if (smoke?.Problem is { } smokeProblem)
        {
            logger.LogError("{Problem}", smokeProblem);
            logger.LogError("the run did not start: the initialization check failed (letsdata validate shows every problem; --skip-validation runs anyway)");
            return ExitCodes.UnusableInput;
        }

        logger.LogInformation("dataset {Dataset}: {Tasks} task(s), reader {ReaderType}, plugin {Plugin} loaded in {LoadMs:F0} ms, concurrency {Concurrency}",
            dataset.Name, inputs.Tasks.Count, dataset.ReaderType, prepared.PluginName, prepared.PluginLoadTime.TotalMilliseconds, concurrency);
        using var sinks = OutputSinks.TryCreate(dataset, problems);
        var vectorization = sinks is null ? null : VectorizationSetup.TryCreate(dataset.Vectorization, RuntimeCredentials.Current.For(dataset), problems);
        using var endpoint = vectorization?.Endpoint as IDisposable;
        if (sinks is null || problems.Count > 0)
        {
            return Unusable(problems);
        }

        await using var taskState = await RunTaskState.TryOpenForRunAsync(commandLine, dataset, inputs.Tasks, output, logger, problems, cancellationToken)
            .ConfigureAwait(false);
        if (taskState is null)
        {
            return Unusable(problems);
        }

        var ledger = taskState.Ledger;

        // A plugin from a local folder can be updated while the worker runs; an s3:// plugin is a fixed cache folder.
        // A bridge project is not hot-updated in-process (its hosts would have to be restarted): data-task processes do it.
        using var hotUpdate = prepared is { PluginArtifact: null, Plugin: not null } ? HotPluginUpdate.TryStart(prepared, commandLine, logger, problems) : null;
        if (prepared is { PluginArtifact: null, Plugin: not null } && hotUpdate is null)
        {
            return Unusable(problems);
        }

        IReaderBindingProvider bindings = hotUpdate?.Host ?? (IReaderBindingProvider)prepared.Binding;
        var engine = new DataTaskEngine(dataset.Name, bindings, inputs.Sources, sinks.Documents, sinks.Errors,
            new EngineOptions
            {
                Concurrency = concurrency,
                MaxRecordBytes = dataset.MaxRecordBytes,
                PluginCallTimeout = dataset.Limits.CallTimeout,
                MaxLeakedThreads = dataset.Limits.MaxLeakedThreads,
                MaxTaskAllocatedBytes = dataset.Limits.MaxTaskAllocatedBytes,
                Checkpoints = commandLine.Worker.Checkpoints,
                MaxTaskTime = commandLine.Worker.MaxTaskSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : dataset.TaskTimeBox,
                Vectorization = vectorization,
            });
        using var metrics = StartMetrics(commandLine, dataset, engine.Progress, ledger, problems);
        if (metrics is null)
        {
            return Unusable(problems);
        }

        using var stops = new TaskStopListener(new TaskStopRequests(commandLine.StateDirectory, dataset.Name),
            taskId => (false, $"task {taskId}: an --in-process run cannot stop one task; stop the run (Ctrl+C) and run again"), logger, TimeProvider.System);
        // In-process the engine counts for the whole run only: the tasks' counts on the page are their checkpoints'.
        await using var page = StartStatusPage(commandLine, history => new StatusSource(dataset, taskState.Store, history, TimeProvider.System,
            liveRecords: () => engine.Progress.Records), problems);
        if (problems.Count > 0)
        {
            return Unusable(problems);
        }

        var run = engine.RunAsync(metrics.Metered(ledger), cancellationToken);
        await progressReporter.ReportUntilAsync(engine.Progress, EndedOrAbandonedAsync(run, cancellationToken)).ConfigureAwait(false);
        if (!run.IsCompleted)
        {
            // A task blocked in plugin code or on its input never sees the cancellation; the console lifetime
            // swallows every further Ctrl+C/SIGTERM, so waiting on would leave a worker only SIGKILL can stop.
            return StoppedBeforeTheEnd(engine.Progress, dataset, output, "exiting without them");
        }

        return await LingerAsync(commandLine, await ReportAsync(ledger, await run.ConfigureAwait(false), dataset, output).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    private RunMetrics? StartMetrics(CommandLine commandLine, Dataset dataset, RunProgress? engineProgress, StoreTaskLedger ledger, List<string> problems)
    {
        var metrics = RunMetrics.TryStart(dataset.Name, commandLine.MetricsPort, engineProgress, ledger, problems);
        if (metrics is not null && commandLine.MetricsPort is { } port)
        {
            logger.LogInformation("metrics: http://127.0.0.1:{Port}/metrics", port);
        }

        return metrics;
    }

    private StatusPageServer? StartStatusPage(CommandLine commandLine, Func<ThroughputHistory, StatusSource> source, List<string> problems)
    {
        if (commandLine.UiPort is not { } port)
        {
            return null;
        }

        var page = StatusPageServer.TryStart(port, source, TimeProvider.System, logger, problems);
        if (page is not null)
        {
            logger.LogInformation("status page: {Address}", page.Address);
        }

        return page;
    }

    // The summary is out; the scrape endpoint and the status page go on serving the final counts for the linger.
    private async Task<int> LingerAsync(CommandLine commandLine, int exitCode, CancellationToken stopping)
    {
        if (commandLine.MetricsLingerSeconds <= 0)
        {
            return exitCode;
        }

        logger.LogInformation("the run ended; the metrics endpoint and status page stay up {Seconds:0.###} s (--metrics-linger-seconds)",
            commandLine.MetricsLingerSeconds);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(commandLine.MetricsLingerSeconds), TimeProvider.System, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped: the endpoints end now.
        }

        return exitCode;
    }

    private async Task<int> ReportAsync(StoreTaskLedger ledger, RunSummary summary, Dataset dataset, TextWriter output)
    {
        await RunTaskState.EndAsync(ledger, summary, logger).ConfigureAwait(false);
        foreach (var task in summary.Tasks.Where(t => t.Status == DataTaskStatus.Errored))
        {
            if (task.PluginException is { } thrown)
            {
                logger.LogError("task {TaskId} errored: {Error}\n{PluginException}", task.TaskId, task.ErrorMessage, thrown);
            }
            else
            {
                logger.LogError("task {TaskId} errored: {Error}", task.TaskId, task.ErrorMessage);
            }
        }

        RunSummaryPrinter.Print(output, summary, dataset.OutputPath, dataset.ErrorOutputPath);
        if (summary.StoppedBecause is { } reason)
        {
            logger.LogCritical("{Reason}", reason);
            output.WriteLine($"Dataset {dataset.Name}: STOPPED: {reason}");
            return ExitCodes.Failed;
        }

        // Work left over wins over errored tasks: the next run continues it, and only that run can say all is done. The
        // store says what is left: with many workers, tasks this one never started may have been done by others.
        var left = await CountLeftAsync(ledger, summary).ConfigureAwait(false);
        if (left > 0)
        {
            output.WriteLine($"Dataset {dataset.Name}: stopped: {left} task(s) left ({summary.Rerun} stopped at a checkpoint, {Math.Max(0, left - summary.Rerun)} not started); run again to continue (exit code {ExitCodes.Stopped})");
            return ExitCodes.Stopped;
        }

        return summary.Errored == 0 ? ExitCodes.Success : ExitCodes.Failed;
    }

    private async Task<int> CountLeftAsync(StoreTaskLedger ledger, RunSummary summary)
    {
        try
        {
            var ended = summary.Tasks.Where(t => t.Status is DataTaskStatus.Completed or DataTaskStatus.Errored)
                .Select(t => t.TaskId).ToHashSet(StringComparer.Ordinal);
            return await ledger.CountLeftAsync(ended, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Only a count for the exit code: any store failure falls back to what this run knows by itself.
            logger.LogWarning("the task store could not be read to count the tasks left ({Error}); counting this run's own", e.Message);
            return summary.Rerun;
        }
    }

    private int StoppedBeforeTheEnd(RunProgress progress, Dataset dataset, TextWriter output, string what)
    {
        logger.LogError("stop requested: {Unfinished} task(s) did not stop within {Seconds:F0} s (blocked in plugin code or on input); {What}",
            progress.TasksTotal - progress.TasksDone, StopGracePeriod.TotalSeconds, what);
        output.WriteLine($"Dataset {dataset.Name}: stopped before the end: {progress.TasksDone} of {progress.TasksTotal} task(s) ended ({progress.TasksErrored} errored), the others did not stop within {StopGracePeriod.TotalSeconds:F0} s");
        output.WriteLine($"  documents: {dataset.OutputPath}");
        output.WriteLine($"  errors:    {dataset.ErrorOutputPath}");
        output.WriteLine($"Dataset {dataset.Name}: stopped: run again to continue (exit code {ExitCodes.Stopped})");
        return ExitCodes.Stopped;
    }

    // --create-destinations: before any task writes; a destination that cannot be made stops the run here.
    private async Task<bool> TryCreateDestinationsAsync(Dataset dataset, List<string> problems, CancellationToken cancellationToken)
    {
        foreach (var line in await DestinationCreation.CreateMissingAsync(dataset, problems, cancellationToken).ConfigureAwait(false))
        {
            logger.LogInformation("{Destination}", line);
        }

        return problems.Count == 0;
    }

    // LetsData fields accepted but not used here: a warning each.
    private void LogNotices(Dataset dataset)
    {
        logger.LogInformation("{Paths}", ValidateCommand.PathsLine(dataset));
        foreach (var notice in dataset.Notices)
        {
            logger.LogWarning("{Notice}", notice);
        }
    }

    private int Unusable(List<string> problems)
    {
        foreach (var problem in problems)
        {
            logger.LogError("{Problem}", problem);
        }

        return ExitCodes.UnusableInput;
    }

    /// <summary>Ends with the run, or <see cref="StopGracePeriod"/> after a stop request, whichever comes first.</summary>
    private static async Task EndedOrAbandonedAsync(Task run, CancellationToken stopping)
    {
        try
        {
            await run.WaitAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            try
            {
                await run.WaitAsync(StopGracePeriod, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The caller sees the run still going.
            }
        }
    }
}
