using LetsData.Runtime.Reading;

namespace LetsData.Runtime.Engine;

/// <summary>Knobs of the engine that are the same for every task of a run.</summary>
public sealed record EngineOptions
{
    /// <summary>Tasks run in parallel (computeEngine.concurrency).</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Ceiling for one record: larger records fail the task with a clear error rather than exhausting memory.</summary>
    public int MaxRecordBytes { get; init; } = RecordScanner.DefaultMaxRecordBytes;

    /// <summary>Stop each task after this many parser/reader results (the smoke run of <c>validate</c>); null = no limit.</summary>
    public long? MaxResultsPerTask { get; init; }

    /// <summary>
    /// A plugin call running longer fails its task (computeEngine.pluginCallTimeoutSeconds). The call cannot be aborted:
    /// its thread is abandoned (counted as leaked) and a new thread takes the task's place. Null = no limit.
    /// </summary>
    public TimeSpan? PluginCallTimeout { get; init; } = DefaultPluginCallTimeout;

    /// <summary>After this many abandoned threads the run stops taking tasks (computeEngine.maxLeakedThreads).</summary>
    public int MaxLeakedThreads { get; init; } = DefaultMaxLeakedThreads;

    /// <summary>A task whose thread allocated more fails (computeEngine.maxTaskAllocatedBytes); null = no limit.</summary>
    public long? MaxTaskAllocatedBytes { get; init; }

    /// <summary>
    /// How often a task saves a checkpoint (after flushing its outputs): every so many records or so much time,
    /// whichever comes first. Null = no mid-task checkpoints.
    /// </summary>
    public CheckpointInterval? Checkpoints { get; init; }

    /// <summary>
    /// A task running longer stops at its next checkpoint and ends as <see cref="DataTaskStatus.Rerun"/>; the next run
    /// continues it (LetsData's time-boxed RERUN). Null = no limit.
    /// </summary>
    public TimeSpan? MaxTaskTime { get; init; }

    /// <summary>
    /// Set in a data-task process: called (task id, message) instead of abandoning the thread when a plugin call outlives
    /// <see cref="PluginCallTimeout"/>; it ends the process, which is the only real way to stop a .NET call.
    /// </summary>
    internal Action<string, string>? CallTimedOut { get; init; }

    /// <summary>
    /// The endpoint and batching of a vectorizing dataset (compute engine <c>LAMBDA_AND_SAGEMAKER</c>): used when the
    /// task's binding has a <see cref="ReaderBinding.Vectorizer"/>. Null: documents are written as the reader returns
    /// them (the smoke run of <c>validate</c> calls no endpoint).
    /// </summary>
    public Vectorization.VectorizationOptions? Vectorization { get; init; }

    /// <summary>
    /// The clock of time boxes and time-based checkpoints (<see cref="TimeProvider.System"/> unless a test drives it),
    /// so tests advance time instead of sleeping.
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public static readonly TimeSpan DefaultPluginCallTimeout = TimeSpan.FromSeconds(30);
    public const int DefaultMaxLeakedThreads = 4;
}

/// <summary>Checkpoint cadence: every <see cref="Records"/> records or every <see cref="Time"/>, whichever comes first.</summary>
public sealed record CheckpointInterval(long? Records, TimeSpan? Time)
{
    /// <summary>The worker's default: every 10,000 records or 10 seconds.</summary>
    public static CheckpointInterval Default { get; } = new(10_000, TimeSpan.FromSeconds(10));
}
