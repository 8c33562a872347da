using System.Text.Json;
using System.Text.Json.Serialization;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.DataTasks.Control;

/// <summary>
/// What a supervisor and its data-task process say to each other over the control channel (never records: those stay
/// in the data-task process, between its connectors and the plugin). Requests from the data-task process carry an
/// <see cref="Id"/> that the supervisor's <see cref="Reply"/> repeats.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(StartDataTasks), "start")]
[JsonDerivedType(typeof(CredentialsUpdate), "credentials")]
[JsonDerivedType(typeof(StopDataTasks), "stop")]
[JsonDerivedType(typeof(Reply), "reply")]
[JsonDerivedType(typeof(Prepared), "prepared")]
[JsonDerivedType(typeof(TakeNextTask), "take")]
[JsonDerivedType(typeof(SaveCheckpoint), "checkpoint")]
[JsonDerivedType(typeof(DropCheckpoint), "drop")]
[JsonDerivedType(typeof(ConfirmOwnership), "confirm")]
[JsonDerivedType(typeof(EndTask), "end")]
[JsonDerivedType(typeof(Heartbeat), "heartbeat")]
[JsonDerivedType(typeof(CallTimedOut), "timedout")]
[JsonDerivedType(typeof(Finished), "finished")]
internal abstract record ControlMessage
{
    /// <summary>A request's number (data-task process → supervisor); its reply carries the same one. Zero for notices.</summary>
    public long Id { get; init; }
}

/// <summary>What a data-task process does, sent once when it starts.</summary>
internal enum DataTaskMode
{
    /// <summary>Prepare the plugin, then run the tasks the supervisor hands out.</summary>
    Run,

    /// <summary>Prepare the plugin and smoke-run the first task (<c>letsdata validate</c>), then exit.</summary>
    Validate,
}

/// <summary>Supervisor → data-task process, first: the dataset, the plugin, the engine settings and the credentials.</summary>
internal sealed record StartDataTasks(
    DataTaskMode Mode,
    string DatasetFile,
    string PluginsDirectory,
    bool SmokeRun,
    int ExpectedTasks) : ControlMessage
{
    /// <summary>
    /// The plugin's main assembly as the supervisor resolved it: a private copy of a local plugin's folder (one per
    /// version), or an <c>s3://</c> plugin unpacked in the cache. Null: the dataset's <c>artifactFile</c> as it is.
    /// </summary>
    public string? PluginAssembly { get; init; }

    /// <summary>An S3-linked manifest already read by the supervisor.</summary>
    public string? ManifestText { get; init; }

    public long? CheckpointRecords { get; init; }
    public double? CheckpointSeconds { get; init; }
    public bool CheckpointsOff { get; init; }
    public double? MaxTaskSeconds { get; init; }

    /// <summary>The credentials the dataset's clients sign with; null for a dataset that uses no AWS service.</summary>
    public SuppliedKeys? Credentials { get; init; }
}

/// <summary>Temporary or long-term AWS keys handed to a data-task process in memory (never in its environment).</summary>
internal sealed record SuppliedKeys(string AccessKeyId, string SecretAccessKey, string? SessionToken);

/// <summary>Supervisor → data-task process: the dataset's credentials were refreshed.</summary>
internal sealed record CredentialsUpdate(SuppliedKeys Keys) : ControlMessage;

/// <summary>Supervisor → data-task process: stop the tasks at their next checkpoint (Ctrl+C, SIGTERM) and finish.</summary>
internal sealed record StopDataTasks : ControlMessage;

/// <summary>Supervisor → data-task process: the answer to a request.</summary>
internal sealed record Reply : ControlMessage
{
    /// <summary><see cref="TakeNextTask"/>: the task to run next; null when none is left for this process.</summary>
    public string? TaskId { get; init; }

    /// <summary><see cref="TakeNextTask"/>: the checkpoint the task resumes from.</summary>
    public JsonElement? Checkpoint { get; init; }

    /// <summary>The supervisor no longer holds the task (another worker took it over).</summary>
    public string? OwnershipLost { get; init; }

    /// <summary>The request failed in the supervisor (the task store refused it).</summary>
    public string? Failure { get; init; }
}

/// <summary>Data-task process → supervisor: the plugin is loaded (or why not), with <c>validate</c>'s lines.</summary>
internal sealed record Prepared(IReadOnlyList<string> Problems, IReadOnlyList<string> Lines) : ControlMessage
{
    public string? PluginName { get; init; }
    public double PluginLoadMilliseconds { get; init; }

    /// <summary>The tasks the data-task process found (it reads the manifest or lists the shards itself).</summary>
    public int Tasks { get; init; }

    /// <summary><c>validate</c>: how to allow what the plugin policy refused (printed after the problems).</summary>
    public IReadOnlyList<string> Advice { get; init; } = [];

    /// <summary>What the confinement applied and what this kernel lacks, for the supervisor's log.</summary>
    public IReadOnlyList<string> Confinement { get; init; } = [];

    /// <summary>When each step of the process's start ended, for <c>run --timings</c> (monotonic clock, shared by the machine's processes).</summary>
    public IReadOnlyList<BootMark> Boot { get; init; } = [];
}

/// <summary>A step of a data-task process's start and its end as a <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>.</summary>
internal sealed record BootMark(string Name, long Timestamp);

internal sealed record TakeNextTask : ControlMessage;

internal sealed record SaveCheckpoint(string TaskId, JsonElement Checkpoint) : ControlMessage;

internal sealed record DropCheckpoint(string TaskId) : ControlMessage;

internal sealed record ConfirmOwnership(string TaskId) : ControlMessage;

/// <summary>Data-task process → supervisor: how a task ended (<see cref="Engine.TaskResult"/> on the wire).</summary>
internal sealed record EndTask(string TaskId, string Status, string? ErrorMessage) : ControlMessage
{
    public TaskCountersMessage Counters { get; init; } = new();
    public double ElapsedSeconds { get; init; }
    public JsonElement? Checkpoint { get; init; }
    public int CheckpointsSaved { get; init; }
    public string? RestartedBecause { get; init; }
    public bool OwnershipLost { get; init; }
    public string? PluginException { get; init; }

    /// <summary><see cref="TaskResult.Warnings"/>; null when there are none.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }

    public static EndTask From(TaskResult result) => new(result.TaskId, result.Status.ToString(), result.ErrorMessage)
    {
        Counters = TaskCountersMessage.From(result.Counters),
        ElapsedSeconds = result.Elapsed.TotalSeconds,
        Checkpoint = result.Checkpoint?.ToJson(),
        CheckpointsSaved = result.CheckpointsSaved,
        RestartedBecause = result.RestartedBecause,
        OwnershipLost = result.OwnershipLost,
        PluginException = result.PluginException,
        Warnings = result.Warnings.Count > 0 ? result.Warnings : null,
    };

    public TaskResult ToResult() =>
        new(TaskId, Enum.Parse<DataTaskStatus>(Status), ErrorMessage, Counters.ToCounters(), TimeSpan.FromSeconds(ElapsedSeconds))
        {
            Checkpoint = Checkpoint is { } json ? TaskCheckpoint.FromJson(json, out _) : null,
            CheckpointsSaved = CheckpointsSaved,
            RestartedBecause = RestartedBecause,
            OwnershipLost = OwnershipLost,
            PluginException = PluginException,
            Warnings = Warnings ?? [],
        };
}

internal sealed record TaskCountersMessage
{
    public long Records { get; init; }
    public long Documents { get; init; }
    public long Errors { get; init; }
    public long Skips { get; init; }
    public long BytesScanned { get; init; }
    public long BytesRead { get; init; }
    public long AllocatedBytes { get; init; }

    public static TaskCountersMessage From(TaskCounters counters) => new()
    {
        Records = counters.Records,
        Documents = counters.Documents,
        Errors = counters.Errors,
        Skips = counters.Skips,
        BytesScanned = counters.BytesScanned,
        BytesRead = counters.BytesRead,
        AllocatedBytes = counters.AllocatedBytes,
    };

    public TaskCounters ToCounters() => new()
    {
        Records = Records,
        Documents = Documents,
        Errors = Errors,
        Skips = Skips,
        BytesScanned = BytesScanned,
        BytesRead = BytesRead,
        AllocatedBytes = AllocatedBytes,
    };
}

/// <summary>
/// Data-task process → supervisor, twice a second: it is alive, and what its tasks added to the run's totals and
/// measures since the last one. (The plugin call it is in is not sent: the supervisor reads it from the process's black box when it dies.)
/// </summary>
internal sealed record Heartbeat : ControlMessage
{
    public long Records { get; init; }
    public long Documents { get; init; }
    public long Errors { get; init; }
    public long Skips { get; init; }
    public long BytesScanned { get; init; }

    /// <summary>What the process measured since the last heartbeat (plugin calls, checkpoints, sink batches); null: nothing.</summary>
    public Measures.MeasuresSnapshot? Measures { get; init; }
}

/// <summary>Data-task process → supervisor, its last words: a plugin call outlived its timeout; the process exits now.</summary>
internal sealed record CallTimedOut(string TaskId, string Message) : ControlMessage;

/// <summary>Data-task process → supervisor: its engine ended (no task left, or stopped); it exits next.</summary>
internal sealed record Finished(string? StoppedBecause) : ControlMessage;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ControlMessage))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
