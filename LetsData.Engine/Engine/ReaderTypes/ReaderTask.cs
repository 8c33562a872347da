using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.Engine;

/// <summary>What a reader type's loop runs one task with.</summary>
/// <param name="Task">The task: its manifest line or partition.</param>
/// <param name="Resume">The checkpoint it continues from; null from the beginning.</param>
/// <param name="State">Counters, call site and inputs of the task.</param>
/// <param name="Governor">Asked after each result whether to go on.</param>
/// <param name="Checkpointer">Told where the loop stands (<see cref="TaskCheckpointer.Position"/>) once its inputs are open.</param>
/// <param name="Dispatcher">Where results go.</param>
/// <param name="Sources">Where the run's records come from.</param>
/// <param name="Options">The engine's options.</param>
/// <param name="CancellationToken">Stops reading streams and tables.</param>
internal sealed record ReaderTask(
    DataTaskDefinition Task,
    TaskCheckpoint? Resume,
    TaskState State,
    TaskGovernor Governor,
    TaskCheckpointer Checkpointer,
    ResultDispatcher Dispatcher,
    RecordSources Sources,
    EngineOptions Options,
    CancellationToken CancellationToken)
{
    public PluginCallSite CallSite => State.CallSite;

    /// <summary>Counts a result; true when the loop should stop now.</summary>
    public bool AfterResult() => Governor.AfterResult();

    /// <summary>Before waiting for input: true when a stop request ended the task at a checkpoint now.</summary>
    public bool StopRequested() => Governor.TryStopAtCheckpoint();

    /// <summary>Takes a checkpoint now and waits until it is stored; false when the outputs cannot take one.</summary>
    public bool CheckpointNow() => Governor.CheckpointNow();
}
