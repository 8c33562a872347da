using System.Runtime.InteropServices;
using Amazon.Runtime;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.DataTasks;
using LetsData.Runtime.DataTasks.Control;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Connectors;
using Microsoft.Extensions.Logging;
using LetsData.Runtime.Measures;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// <c>letsdata data-task</c>, started by a supervisor (never by hand): the process that holds the plugin and the
/// connectors. It gets the dataset and its credentials over the control channel (its standard input and output), loads
/// the plugin, and runs the tasks the supervisor hands out one at a time; checkpoints, outcomes and progress go back
/// over the channel. It holds no task store and no worker credentials, and when the supervisor goes away it ends.
/// </summary>
internal sealed class DataTaskProcessMain(ILogger logger)
{
    /// <summary>The process ended because a plugin call outlived its timeout.</summary>
    public const int CallTimedOutExitCode = 70;

    /// <summary>The control channel broke (the supervisor died or sent nonsense).</summary>
    public const int ChannelLostExitCode = 71;

    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _heartbeatLock = new();
    private readonly long[] _reported = new long[5];
    private MeasuresSnapshot _measuresReported = ProcessMeasures.Snapshot();
    private ControlChannel _channel = null!;
    private RemoteTaskLedger? _ledger;
    private SuppliedCredentials? _credentials;

    /// <summary>The dataset and plugin this process began to prepare before its start message (process 1); null: none.</summary>
    public PreparationAhead? Ahead { get; init; }

    public async Task<int> RunAsync(IReadOnlyList<string> confinement)
    {
        var (input, output) = ControlStreams.TakeOver();
        _channel = new ControlChannel(input, output);
        // Ctrl+C on a terminal reaches the whole process group: the supervisor decides how its tasks stop, over the channel.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => c.Cancel = true);
        using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, c => c.Cancel = true);

        var first = await ReceiveOrExitAsync().ConfigureAwait(false);
        DataTaskBoot.Mark("waiting for the start message");
        if (first is not StartDataTasks start)
        {
            Ahead?.Drop();
            logger.LogError("data-task process: the supervisor's first message was not a start");
            return ChannelLostExitCode;
        }

        if (start.Credentials is { } keys)
        {
            _credentials = new SuppliedCredentials(ToImmutable(keys));
        }

        RuntimeCredentials.UseSupplied(_credentials);
        // The black box the supervisor reads if this process dies in plugin code (TMPDIR is the private folder).
        CallSiteMirror.Start(Path.Combine(Path.GetTempPath(), CallSiteMirror.FileName));
        AppDomain.CurrentDomain.UnhandledException += (_, e) => ReportCrash(e.ExceptionObject);
        // From now on the supervisor's messages are read (a stop during the smoke run, the end of the channel).
        _ = ListenAsync();
        return start.Mode == DataTaskMode.Validate
            ? await ValidateAsync(start, confinement).ConfigureAwait(false)
            : await RunTasksAsync(start, confinement).ConfigureAwait(false);
    }

    private async Task<int> ValidateAsync(StartDataTasks start, IReadOnlyList<string> confinement)
    {
        Ahead?.Drop();
        var lines = new StringWriter();
        var advice = new StringWriter();
        var problems = new List<string>();
        await ValidateCommand.CheckPluginAsync(
            list => (PreparedDataset.TryPrepareInDataTask(start.DatasetFile, start.PluginsDirectory, start.ManifestText,
                start.PluginAssembly, list, out var scan), scan),
            lines, problems, advice, _stop.Token).ConfigureAwait(false);
        _channel.Send(new Prepared(problems, SplitLines(lines)) { Advice = SplitLines(advice), Confinement = confinement });
        return ExitCodes.Success;
    }

    private async Task<int> RunTasksAsync(StartDataTasks start, IReadOnlyList<string> confinement)
    {
        var early = Ahead is null ? null : await Ahead.TakeForAsync(start).ConfigureAwait(false);
        var problems = early?.Problems ?? [];
        using var prepared = early is not null ? early.Prepared
            : PreparedDataset.TryPrepareInDataTask(start.DatasetFile, start.PluginsDirectory, start.ManifestText, start.PluginAssembly, problems, out _);
        if (prepared is null)
        {
            _channel.Send(new Prepared(problems, []) { Confinement = confinement });
            return ExitCodes.UnusableInput;
        }

        DataTaskBoot.Mark("dataset, plugin policy scan, plugin load");
        var dataset = prepared.Dataset;
        using var inputs = await RunInputs.TryOpenAsync(prepared, problems, stopWhenCaughtUp: false, _stop.Token).ConfigureAwait(false);
        DataTaskBoot.Mark("inputs opened");
        var smoke = inputs is null || !start.SmokeRun ? null : await SmokeRun.TryRunAsync(prepared, inputs, _stop.Token).ConfigureAwait(false);
        if (smoke is not null)
        {
            DataTaskBoot.Mark("smoke run");
        }

        if (smoke?.Problem is { } smokeProblem)
        {
            problems.Add(smokeProblem);
        }

        using var sinks = inputs is null || problems.Count > 0 ? null : OutputSinks.TryCreate(dataset, problems);
        var vectorization = sinks is null ? null : VectorizationSetup.TryCreate(dataset.Vectorization, RuntimeCredentials.Current.For(dataset), problems);
        using var endpoint = vectorization?.Endpoint as IDisposable;
        if (inputs is null || sinks is null || problems.Count > 0)
        {
            _channel.Send(new Prepared(problems, []) { Confinement = confinement });
            return ExitCodes.UnusableInput;
        }

        DataTaskBoot.Mark("output sinks");
        _channel.Send(new Prepared(problems, smoke is null ? [] : [smoke.Description])
        {
            Boot = DataTaskBoot.Snapshot(),
            PluginName = prepared.PluginName,
            PluginLoadMilliseconds = prepared.PluginLoadTime.TotalMilliseconds,
            Tasks = inputs.Tasks.Count,
            Confinement = confinement,
        });

        DataTaskEngine? engine = null;
        _ledger = new RemoteTaskLedger(_channel, inputs.Tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal), start.ExpectedTasks,
            () => SendHeartbeat(engine!));
        // One plugin version per process: a new version gets new processes (the supervisor's hot update).
        engine = new DataTaskEngine(dataset.Name, prepared.Binding, inputs.Sources, sinks.Documents, sinks.Errors,
            new EngineOptions
            {
                Concurrency = 1,
                MaxRecordBytes = dataset.MaxRecordBytes,
                PluginCallTimeout = dataset.Limits.CallTimeout,
                MaxTaskAllocatedBytes = dataset.Limits.MaxTaskAllocatedBytes,
                Checkpoints = start.CheckpointsOff ? null : new CheckpointInterval(
                    start.CheckpointRecords ?? CheckpointInterval.Default.Records,
                    start.CheckpointSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : CheckpointInterval.Default.Time),
                MaxTaskTime = start.MaxTaskSeconds is { } box ? TimeSpan.FromSeconds(box) : null,
                CallTimedOut = EndForTimedOutCall,
                Vectorization = vectorization,
            });
        var heartbeat = new Thread(() => BeatUntilStopped(engine)) { IsBackground = true, Name = "letsdata-heartbeat" };
        heartbeat.Start();
        var summary = await engine.RunAsync(_ledger, _stop.Token).ConfigureAwait(false);
        SendHeartbeat(engine);
        _channel.Send(new Finished(summary.StoppedBecause));
        // Every task's outputs were ended and recorded; the process's exit is the plugin's unload (nothing to verify).
        ImmediateExit.Now(ExitCodes.Success);
        return ExitCodes.Success;
    }

    private void EndForTimedOutCall(string taskId, string message)
    {
        try
        {
            _channel.Send(new CallTimedOut(taskId, message));
        }
        finally
        {
            ImmediateExit.Now(CallTimedOutExitCode);
        }
    }

    private void ReportCrash(object exception)
    {
        try
        {
            logger.LogCritical("data-task process: unhandled exception on a thread of its own: {Exception}", exception);
        }
        catch
        {
            // The process is going down either way; the supervisor names the last call it heard of.
        }
    }

    // Supervisor → this process, after the start: replies, credentials, stop. The end of the channel ends the process:
    // its supervisor is gone, and nothing here may outlive it (its tasks' leases are the supervisor's to give up).
    private async Task ListenAsync()
    {
        while (true)
        {
            var message = await ReceiveOrExitAsync().ConfigureAwait(false);
            switch (message)
            {
                case Reply reply:
                    _ledger?.Deliver(reply);
                    break;
                case CredentialsUpdate update:
                    _credentials?.Replace(ToImmutable(update.Keys));
                    break;
                case StopDataTasks:
                    await _stop.CancelAsync().ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task<ControlMessage?> ReceiveOrExitAsync()
    {
        ControlMessage? message;
        try
        {
            message = await _channel.ReceiveAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            logger.LogError("data-task process: the control channel broke: {Message}", e.Message);
            message = null;
        }

        if (message is null)
        {
            ImmediateExit.Now(ChannelLostExitCode);
        }

        return message;
    }

    private void BeatUntilStopped(DataTaskEngine engine)
    {
        while (true)
        {
            Thread.Sleep(HeartbeatInterval);
            try
            {
                SendHeartbeat(engine);
            }
            catch (IOException)
            {
                ImmediateExit.Now(ChannelLostExitCode);
            }
        }
    }

    private void SendHeartbeat(DataTaskEngine engine)
    {
        lock (_heartbeatLock)
        {
            var progress = engine.Progress;
            long[] now = [progress.Records, progress.Documents, progress.Errors, progress.Skips, progress.BytesScanned];
            var measured = ProcessMeasures.Snapshot();
            var measures = measured.Minus(_measuresReported);
            _channel.Send(new Heartbeat
            {
                Records = now[0] - _reported[0],
                Documents = now[1] - _reported[1],
                Errors = now[2] - _reported[2],
                Skips = now[3] - _reported[3],
                BytesScanned = now[4] - _reported[4],
                Measures = measures.IsEmpty ? null : measures,
            });
            now.CopyTo(_reported, 0);
            _measuresReported = measured;
        }
    }

    private static ImmutableCredentials ToImmutable(SuppliedKeys keys) => new(keys.AccessKeyId, keys.SecretAccessKey, keys.SessionToken);

    private static string[] SplitLines(StringWriter writer) =>
        writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}
