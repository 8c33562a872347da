using System.Buffers;
using System.Text;

namespace LetsData.Runtime.Writing;

/// <summary>
/// One task's JSON Lines output file. Written as <c>&lt;taskId&gt;.jsonl.inprogress</c> and renamed when the task ends:
/// <c>&lt;taskId&gt;.jsonl</c> when it completed, <c>&lt;taskId&gt;.errored.jsonl</c> when it failed, so partial output
/// is recognisable and kept. Lines are encoded into a pooled buffer; full buffers are written asynchronously while the
/// next one fills. The file is created on the first line only.
/// </summary>
internal sealed class JsonLinesFile : IJsonLinesOutput
{
    private const int FlushBytes = 256 * 1024;
    private const string InProgressSuffix = ".jsonl.inprogress";

    private readonly string _directory;
    private readonly string _taskId;
    private FileStream? _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(FlushBytes * 2);
    private byte[] _spare = ArrayPool<byte>.Shared.Rent(FlushBytes * 2);
    private int _length;
    private Task _pendingWrite = Task.CompletedTask;
    private bool _completed;

    public JsonLinesFile(string directory, string taskId)
    {
        _directory = directory;
        _taskId = taskId;
    }

    public string CompletedPath => Path.Combine(_directory, _taskId + ".jsonl");
    public string ErroredPath => Path.Combine(_directory, _taskId + ".errored.jsonl");
    private string InProgressPath => Path.Combine(_directory, _taskId + InProgressSuffix);

    public void WriteLine(string text)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length) + 1;
        if (maxBytes > _buffer.Length - _length)
        {
            Flush(ensureFree: maxBytes);
        }

        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
        _buffer[_length++] = (byte)'\n';
        FlushIfFull();
    }

    public void WriteLine(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length + 1 > _buffer.Length - _length)
        {
            Flush(ensureFree: utf8Json.Length + 1);
        }

        utf8Json.CopyTo(_buffer.AsSpan(_length));
        _length += utf8Json.Length;
        _buffer[_length++] = (byte)'\n';
        FlushIfFull();
    }

    private void FlushIfFull()
    {
        if (_length >= FlushBytes)
        {
            Flush(ensureFree: 0);
        }
    }

    /// <summary>Starts writing the filled buffer and switches to the spare one (after its previous write finished).</summary>
    private void Flush(int ensureFree)
    {
        _pendingWrite.GetAwaiter().GetResult();
        if (_length > 0)
        {
            var stream = _stream ??= Create();
            var full = _buffer;
            _pendingWrite = stream.WriteAsync(full.AsMemory(0, _length)).AsTask();
            _buffer = _spare;
            _spare = full;
            _length = 0;
        }

        if (ensureFree > _buffer.Length)
        {
            _pendingWrite.GetAwaiter().GetResult();
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(ensureFree);
        }
    }

    private FileStream Create()
    {
        Directory.CreateDirectory(_directory);
        return new FileStream(InProgressPath, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0,
            FileOptions.Asynchronous);
    }

    /// <summary>Writes what is buffered, flushes to disk and gives the file its final name.</summary>
    public void Complete(bool succeeded)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        Flush(ensureFree: 0);
        _pendingWrite.GetAwaiter().GetResult();
        // A rerun of the same task replaces what an earlier run left under either final name.
        if (Directory.Exists(_directory))
        {
            File.Delete(CompletedPath);
            File.Delete(ErroredPath);
        }

        if (_stream is null)
        {
            return;
        }

        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        _stream = null;
        File.Move(InProgressPath, succeeded ? CompletedPath : ErroredPath, overwrite: true);
    }

    public void Dispose()
    {
        try
        {
            _pendingWrite.GetAwaiter().GetResult();
        }
        catch (IOException)
        {
            // Already reported by the Complete or WriteLine that hit it.
        }

        _stream?.Dispose();
        _stream = null;
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            ArrayPool<byte>.Shared.Return(_spare);
            _buffer = _spare = [];
        }
    }
}
