using LetsData.Runtime.Engine;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.Plugins.Reload;

/// <summary>
/// Capturing sinks that run an action when a task opens its document sink. A task opens its sinks after it leased its
/// plugin version and before it calls the plugin, so the action (a reload) happens while that task is running on the
/// old version: the overlap a hot update must handle, made deterministic.
/// </summary>
internal sealed class ReloadingSinks(Action<TaskContext> onTaskStart) : IDocumentSinkFactory, IErrorSinkFactory
{
    public string CheckpointId => "reloading";

    public CapturingSinks Captured { get; } = new();

    public IDocumentSink Open(TaskContext task)
    {
        onTaskStart(task);
        return Captured.Open(task);
    }

    IErrorSink IErrorSinkFactory.Open(TaskContext task) => ((IErrorSinkFactory)Captured).Open(task);
}
