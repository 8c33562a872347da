using System.Diagnostics;
using System.Text.Json;
using Microsoft.ClearScript;
using Microsoft.ClearScript.JavaScript;
using Microsoft.ClearScript.V8;

namespace LetsData.Runtime.Bridge.V8;

/// <summary>
/// One task's V8 isolate serving one interface class of a project: the prelude, the project's module (through
/// <see cref="V8ProjectLoader"/> only), one instance of the class. Calls return the Node host's result shape, so the
/// bridge's conversion reads them. A call past the timeout is interrupted, one past the heap limit stopped: both throw
/// <see cref="V8CallStoppedException"/>, which fails the task (the isolate is not used again).
/// </summary>
internal sealed class V8Isolate : IDisposable
{
    private static readonly string Prelude = ReadPrelude();

    private readonly V8ScriptEngine _engine;
    private readonly V8Settings _settings;
    private readonly string _contract;
    private readonly Timer? _watchdog;
    private readonly Lock _callLock = new();
    private ScriptObject? _dispatcher;
    private IArrayBuffer? _buffer;
    private ulong _bufferSize;
    private long _callStartedAt;
    private bool _inCall;
    private bool _timedOut;
    private bool _stopped;

    public V8Isolate(BridgeProject project, BridgeInterface contract, V8Settings settings)
    {
        _settings = settings;
        _contract = contract.Name;
        File = project.FileOf(contract);
        var megabytes = (int)Math.Max(16, settings.HeapBytes / (1024 * 1024));
        // The old space gets headroom over the monitored limit: ClearScript's sampling stops the script at the limit,
        // before V8 itself would run out (which ends the whole process).
        var constraints = new V8RuntimeConstraints { MaxOldSpaceSize = megabytes * 2, HeapExpansionMultiplier = 2 };
        _engine = new V8ScriptEngine(constraints, V8ScriptEngineFlags.DisableGlobalMembers)
        {
            MaxRuntimeHeapSize = (UIntPtr)(ulong)settings.HeapBytes,
            RuntimeHeapSizeSampleInterval = TimeSpan.FromMilliseconds(20),
            DocumentSettings = new DocumentSettings { Loader = new V8ProjectLoader(project.Folder) },
        };
        if (settings.CallTimeout is { } timeout)
        {
            var period = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 8, 5, 250));
            _watchdog = new Timer(_ => CheckCall(timeout), null, period, period);
        }

        Folder = project.Folder;
    }

    /// <summary>The interface's file, for messages.</summary>
    public string File { get; }

    private string Folder { get; }

    /// <summary>Loads the prelude and the project's module; throws <see cref="V8LoadException"/> naming the file and line.</summary>
    public void Load()
    {
        try
        {
            Run("load", () =>
            {
                _engine.Execute(new DocumentInfo("letsdata-v8-prelude.js"), Prelude);
                var entry = $$"""
                    import * as module from {{JsonSerializer.Serialize(new Uri(File).AbsoluteUri)}};
                    const type = module[{{JsonSerializer.Serialize(_contract)}}];
                    if (typeof type !== 'function') {
                      throw new TypeError({{JsonSerializer.Serialize($"{File} exports no class {_contract}")}});
                    }
                    globalThis.__letsdata = __letsdataDispatcher(type, {{JsonSerializer.Serialize(Folder)}});
                    delete globalThis.__letsdataDispatcher;
                    """;
                _engine.Execute(new DocumentInfo(new Uri("letsdata:entry.mjs")) { Category = ModuleCategory.Standard }, entry);
                _dispatcher = (ScriptObject)_engine.Evaluate("globalThis.__letsdata");
                return 0;
            });
        }
        catch (ScriptEngineException e)
        {
            throw new V8LoadException(Describe(e));
        }
    }

    /// <summary>A function of the class with plain arguments, as the Node host's result (a JSON element).</summary>
    public JsonElement Call(string function, params object?[] arguments)
    {
        var json = Run(function, () => (string)_dispatcher!.InvokeMethod("call", [function, .. arguments]));
        return Parse(json);
    }

    /// <summary><c>parseDocument</c>: the record is written into the isolate's buffer, the method gets a copy of it.</summary>
    public JsonElement ParseDocument(string fileType, string fileName, long offset, ReadOnlySpan<byte> record)
    {
        var buffer = BufferFor(record.Length);
        buffer.WriteBytes(record, 0, (ulong)record.Length, 0);
        var length = record.Length;
        var json = Run("parseDocument", () => (string)_dispatcher!.InvokeMethod("parseDocument", fileType, fileName, offset, length));
        return Parse(json);
    }

    /// <summary>A batch of <c>parseDocument</c> calls in one crossing: one result per record, in order.</summary>
    public JsonElement ParseDocuments(string fileType, string fileName, IReadOnlyList<BatchedRecord> records)
    {
        var size = records.Count * 12 + records.Sum(r => r.Bytes.Length);
        var bytes = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var at = records.Count * 12;
            for (var i = 0; i < records.Count; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 12), records[i].Offset);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 12 + 8), records[i].Bytes.Length);
                records[i].Bytes.Span.CopyTo(bytes.AsSpan(at));
                at += records[i].Bytes.Length;
            }

            BufferFor(size).WriteBytes(bytes.AsSpan(0, size), 0, (ulong)size, 0);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
        }

        var count = records.Count;
        return Parse(Run("parseDocument", () => (string)_dispatcher!.InvokeMethod("parseDocuments", fileType, fileName, count)));
    }

    private IArrayBuffer BufferFor(int length)
    {
        if (_buffer is null || _bufferSize < (ulong)length)
        {
            var size = Math.Max(64 * 1024, (long)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(length, 1)));
            _buffer = (IArrayBuffer)(_buffer is null ? _dispatcher!.GetProperty("buffer") : _dispatcher!.InvokeMethod("grow", size));
            _bufferSize = _buffer.Size;
            return _bufferSize >= (ulong)length ? _buffer : BufferFor(length);
        }

        return _buffer;
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private T Run<T>(string function, Func<T> call)
    {
        if (_stopped)
        {
            throw new V8CallStoppedException($"{_contract}.{function}: this task's V8 isolate was stopped earlier");
        }

        lock (_callLock)
        {
            (_callStartedAt, _inCall) = (Stopwatch.GetTimestamp(), true);
        }

        try
        {
            return call();
        }
        catch (Exception e) when (e is ScriptInterruptedException || (e is ScriptEngineException { IsFatal: true }) || _timedOut)
        {
            throw Stopped(function, e);
        }
        finally
        {
            lock (_callLock)
            {
                _inCall = false;
            }
        }
    }

    private V8CallStoppedException Stopped(string function, Exception e)
    {
        _stopped = true;
        var name = $"{_contract}.{function}";
        return _timedOut
            ? new V8CallStoppedException($"{name} did not return within {_settings.CallTimeout!.Value.TotalSeconds:0.###} s (pluginCallTimeout): V8 interrupted the script ({File})")
            : new V8CallStoppedException($"{name} went over the JavaScript heap limit of {_settings.HeapBytes / (1024 * 1024)} MB (javascriptHeapMegabytes): V8 stopped the script ({File}; {e.Message})");
    }

    // The watchdog's thread: interrupts the call that has run past the timeout; the lock keeps the interrupt from
    // reaching a later call.
    private void CheckCall(TimeSpan timeout)
    {
        lock (_callLock)
        {
            if (_inCall && !_timedOut && Stopwatch.GetElapsedTime(_callStartedAt) >= timeout)
            {
                _timedOut = true;
                _engine.Interrupt();
            }
        }
    }

    // "file:line: SyntaxError: …" from what V8 reports for a module that does not load.
    private string Describe(ScriptEngineException e)
    {
        var details = e.ErrorDetails ?? e.Message;
        var match = System.Text.RegularExpressions.Regex.Match(details, @"(?:file://)?(/[^\s:()]+):(\d+)");
        var where = match.Success && match.Groups[1].Value.StartsWith(Folder + "/", StringComparison.Ordinal)
            ? $"{match.Groups[1].Value}:{match.Groups[2].Value}"
            : File;
        return $"{where}: {_contract} does not load: {e.Message}";
    }

    private static string ReadPrelude()
    {
        using var stream = typeof(V8Isolate).Assembly.GetManifestResourceStream("LetsData.V8Prelude.js")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public void Dispose()
    {
        _watchdog?.Dispose();
        _engine.Dispose();
    }
}

/// <summary>A task's JavaScript call was stopped by V8 (the call timeout, the heap limit): the task errors.</summary>
internal sealed class V8CallStoppedException(string message) : Exception(message);

/// <summary>The project's module did not load in V8: the message names the file and line.</summary>
internal sealed class V8LoadException(string message) : Exception(message);
