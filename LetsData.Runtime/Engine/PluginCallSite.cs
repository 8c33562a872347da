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

    public void Enter(string method)
    {
        Method = method;
        InPluginCall = true;
    }

    public void Enter(string method, string? fileType, string? fileName, long offset)
    {
        Method = method;
        FileType = fileType;
        FileName = fileName;
        Offset = offset;
        InPluginCall = true;
    }

    public void Exit() => InPluginCall = false;

    /// <summary>
    /// Returns to the plugin call that called into the runtime (a reader calling <c>NextRecord</c>) once the runtime's
    /// nested plugin calls are done, so that a later failure or bad result is blamed on that call. The file position
    /// stays at the record just read.
    /// </summary>
    public void Resume(string? method, bool inPluginCall)
    {
        Method = method;
        InPluginCall = inPluginCall;
    }

    /// <summary>Records the position of runtime work (opening, scanning) that is not a plugin call.</summary>
    public void At(string? fileType, string? fileName, long offset)
    {
        FileType = fileType;
        FileName = fileName;
        Offset = offset;
        InPluginCall = false;
    }

    public string Describe(Exception exception)
    {
        var where = FileName is null ? "" :
            $" (file {FileName}{(FileType is null ? "" : $", type {FileType}")}{(Offset >= 0 ? $", offset {Offset}" : "")})";
        return InPluginCall
            ? $"plugin {PluginName} threw in {Method}{where}: {exception.GetType().Name}: {exception.Message}"
            : $"{exception.Message}{(exception is Reading.InputReadException ? "" : where)}";
    }
}
