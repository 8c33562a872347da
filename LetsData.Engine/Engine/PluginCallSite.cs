using System.Diagnostics;
using LetsData.Runtime.Measures;

namespace LetsData.Runtime.Engine;

/// <summary>
/// Where a task is: the plugin method being called and the file position it works on. Updated with plain field
/// writes before each call (no allocation), read only when something fails, to build a message that names the
/// plugin, method, file and offset.
/// </summary>
internal sealed class PluginCallSite(string pluginName)
{
    public string PluginName { get; } = pluginName;
    public string? Method { get; private set; }
    public string? FileType { get; private set; }
    public string? FileName { get; private set; }
    public long Offset { get; private set; } = -1;
    public bool InPluginCall { get; private set; }

    /// <summary>
    /// The plugin stops its own calls at the call timeout (JavaScript on V8 interrupts the script): the watchdog then
    /// waits twice the timeout, a backstop, so that the plugin's own stop (a task error) comes first.
    /// </summary>
    public bool InterruptsItself { get; set; }

    // Counts plugin calls entered; the call watchdog reads it from its own thread to see that a call is still the same
    // one. A plain field: a stale read only delays the timeout by one sample.
    private long _callCount;

    public long CallCount => Volatile.Read(ref _callCount);

    // When the current call was entered, for the plugin call duration histogram. A call entered inside another (a
    // parser called through the state machine reader's file reader) is part of the outer call's time, not timed alone.
    private long _enteredAt;
    private bool _nested;

    /// <summary>What <see cref="FileName"/> names: a file, or a stream shard / scan segment for stream and table tasks.</summary>
    public string SourceKind { get; private set; } = "file";

    /// <summary>A position that is not a byte offset (a Kinesis sequence number, a scan item index), with its label.</summary>
    public string? Position { get; private set; }

    public string? PositionLabel { get; private set; }

    public void Enter(string method)
    {
        _callCount++;
        Method = method;
        StartTiming();
        InPluginCall = true;
        CallSiteMirror.Current?.Update(this);
    }

    public void Enter(string method, string? fileType, string? fileName, long offset)
    {
        _callCount++;
        PositionLabel = null;
        Method = method;
        FileType = fileType;
        FileName = fileName;
        Offset = offset;
        StartTiming();
        InPluginCall = true;
        CallSiteMirror.Current?.Update(this);
    }

    /// <summary>
    /// Enters a call for a record of a stream shard or scan segment. The strings are the record's own (no allocation);
    /// <paramref name="position"/> is what names the record there (a sequence number, an item index).
    /// </summary>
    public void Enter(string method, string sourceKind, string sourceName, string positionLabel, string? position, long index = -1)
    {
        _callCount++;
        Method = method;
        SourceKind = sourceKind;
        FileType = null;
        FileName = sourceName;
        Offset = index;
        PositionLabel = positionLabel;
        Position = position;
        StartTiming();
        InPluginCall = true;
        CallSiteMirror.Current?.Update(this);
    }

    public void Exit()
    {
        if (_nested)
        {
            _nested = false;
        }
        else
        {
            ProcessMeasures.PluginCallSeconds.Record(Stopwatch.GetElapsedTime(_enteredAt).TotalSeconds);
        }

        InPluginCall = false;
        CallSiteMirror.Current?.Update(this);
    }

    /// <summary>
    /// Returns to the plugin call that called into the runtime (a reader calling <c>NextRecord</c>) once the runtime's
    /// nested plugin calls are done, so that a later failure or bad result is blamed on that call. The file position
    /// stays at the record just read.
    /// </summary>
    public void Resume(string? method, bool inPluginCall)
    {
        _callCount++;
        Method = method;
        InPluginCall = inPluginCall;
        CallSiteMirror.Current?.Update(this);
    }

    /// <summary>Records the position of runtime work (opening, scanning) that is not a plugin call.</summary>
    public void At(string? fileType, string? fileName, long offset)
    {
        FileType = fileType;
        FileName = fileName;
        Offset = offset;
        InPluginCall = false;
        _nested = false;
        CallSiteMirror.Current?.Update(this);
    }

    /// <summary>Where the task is, for a message the runtime writes itself (a timed-out call).</summary>
    private void StartTiming()
    {
        if (InPluginCall)
        {
            _nested = true;
        }
        else
        {
            _enteredAt = Stopwatch.GetTimestamp();
        }
    }

    public string DescribeCall()
    {
        var position = Offset >= 0 ? $", {PositionLabel ?? "offset"} {Offset}" : Position is null ? "" : $", {PositionLabel} {Position}";
        var where = FileName is null ? "" : $" ({SourceKind} {FileName}{(FileType is null ? "" : $", type {FileType}")}{position})";
        return $"plugin {PluginName}: {Method}{where}";
    }

    public string Describe(Exception exception)
    {
        var position = Offset >= 0 ? $", {PositionLabel ?? "offset"} {Offset}" : Position is null ? "" : $", {PositionLabel} {Position}";
        var where = FileName is null ? "" :
            $" ({SourceKind} {FileName}{(FileType is null ? "" : $", type {FileType}")}{position})";
        return InPluginCall
            ? $"plugin {PluginName} threw in {Method}{where}: {exception.GetType().Name}: {exception.Message}{ExplainRefusal(exception)}"
            : $"{exception.Message}{(exception is Reading.InputReadException ? "" : where)}";
    }

    // A plugin that reached for an assembly its context refuses (a worker assembly it does not ship) gets the runtime's
    // generic "file not found"; the context's reason is only in the inner exception, so say it here.
    private static string ExplainRefusal(Exception exception) =>
        Plugins.PluginLoadContext.RefusalIn(exception) is { } refusal && refusal != exception.Message ? $" ({refusal})" : "";
}
