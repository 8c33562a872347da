namespace LetsData.Runtime.Engine;

/// <summary>
/// How a task gets its plugin objects. The factory is called once per task: it returns a fresh instance for stateful
/// classes and the shared one for <c>[Stateless]</c> classes (the plugin loader decides; the test harness passes its
/// own delegate).
/// </summary>
public abstract record ReaderBinding(string PluginName) : IReaderBindingProvider
{
    /// <summary>The LetsData reader type name, for messages.</summary>
    public abstract string ReaderTypeName { get; }

    /// <summary>
    /// Set for a vectorizing dataset (compute engine <c>LAMBDA_AND_SAGEMAKER</c>): creates the task's
    /// <see cref="Interfaces.Readers.ISagemakerVectorsInterface"/>, from the same plugin version as the reader.
    /// </summary>
    public Func<Interfaces.Readers.ISagemakerVectorsInterface>? Vectorizer { get; init; }

    /// <summary>
    /// Runs one task's reader loop: creates the plugin objects, opens the task's inputs, hands each record or result to
    /// the dispatcher and asks the governor after each whether to go on. Each reader type's unit under
    /// <c>Engine/ReaderTypes/</c> implements it.
    /// </summary>
    internal abstract void Run(ReaderTask task);

    /// <summary>A fixed binding serves every task; its lease releases nothing.</summary>
    public ReaderBindingLease Acquire() => new(this, release: null);
}

/// <summary>
/// Where each task gets its binding: a fixed <see cref="ReaderBinding"/>, or a host that swaps plugin versions while
/// the worker runs (hot update). A task acquires once when it starts and disposes the lease when it ends, so it runs
/// on one plugin version from start to end.
/// </summary>
public interface IReaderBindingProvider
{
    /// <summary>Leases the binding for one task; dispose the lease when the task ends.</summary>
    ReaderBindingLease Acquire();
}

/// <summary>One task's hold on a binding: while it is not disposed, the plugin version behind it stays loaded.</summary>
public sealed class ReaderBindingLease : IDisposable
{
    private Action? _release;

    /// <summary>Leases <paramref name="binding"/>; <paramref name="release"/> runs once, on the first dispose.</summary>
    /// <param name="binding">The binding the task uses.</param>
    /// <param name="release">What ends the lease (null: nothing to release).</param>
    public ReaderBindingLease(ReaderBinding binding, Action? release)
    {
        Binding = binding;
        _release = release;
    }

    /// <summary>The binding the task creates its plugin objects from.</summary>
    public ReaderBinding Binding { get; }

    /// <summary>Ends the lease; later calls do nothing.</summary>
    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
