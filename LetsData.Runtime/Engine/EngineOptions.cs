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

    public static readonly TimeSpan DefaultPluginCallTimeout = TimeSpan.FromSeconds(30);
    public const int DefaultMaxLeakedThreads = 4;
}
