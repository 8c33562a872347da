using LetsData.Interfaces.Readers;

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

/// <summary>"Single File Reader": the runtime loops over the file and calls the parser per record.</summary>
public sealed record SingleFileReaderBinding(string PluginName, Func<ISingleFileParser> CreateParser)
    : ReaderBinding(PluginName)
{
    public override string ReaderTypeName => "Single File Reader";
}

/// <summary>"Single File State Machine Reader": the plugin's reader combines one file's records into composite docs.</summary>
public sealed record SingleFileStateMachineReaderBinding(string PluginName, Func<ISingleFileStateMachineReader> CreateReader)
    : ReaderBinding(PluginName)
{
    public override string ReaderTypeName => "Single File State Machine Reader";
}

/// <summary>"Multiple File State Machine Reader": one file per type per task, combined record-wise by the plugin's reader.</summary>
public sealed record MultipleFileStateMachineReaderBinding(string PluginName, Func<IMultipleFileStateMachineReader> CreateReader)
    : ReaderBinding(PluginName)
{
    public override string ReaderTypeName => "Multiple File State Machine Reader";
}

/// <summary>"Kinesis Record Reader": one task per shard; the runtime reads the shard and calls the reader per record.</summary>
public sealed record KinesisRecordReaderBinding(string PluginName, Func<IKinesisRecordReader> CreateReader)
    : ReaderBinding(PluginName)
{
    public override string ReaderTypeName => "Kinesis Record Reader";
}

/// <summary>"DynamoDB Table Item Reader": one task per parallel scan segment; the reader is called per item.</summary>
public sealed record DynamoDBTableItemReaderBinding(string PluginName, Func<IDynamoDBTableItemReader> CreateReader)
    : ReaderBinding(PluginName)
{
    public override string ReaderTypeName => "DynamoDB Table Item Reader";
}
