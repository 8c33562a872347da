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
}
