using System.Buffers;
using System.Globalization;
using LetsData.Runtime.Engine;
using Microsoft.Win32.SafeHandles;

namespace LetsData.Runtime.Writing;

/// <summary>
/// One task's JSON Lines output file. Written as <c>&lt;name&gt;.jsonl.inprogress</c> and renamed when the task ends:
/// <c>&lt;name&gt;.jsonl</c> when it completed, <c>&lt;name&gt;.errored.jsonl</c> when it failed (the name is the task's,
/// <see cref="TaskOutputName"/>), so partial output
/// is recognisable and kept. Lines are encoded into a pooled buffer; full buffers are written asynchronously while the
/// next one fills. A task that ends with no line written leaves no file.
/// <para>
/// Each attempt of the task writes its own file: made under a private name when the attempt starts and renamed over
/// the in-progress name, and from then on written only through its handle; only ending the task (after the ledger
/// confirmed this worker still holds it) renames or deletes it by name. A stale writer
/// (a worker that lost the task but has not noticed yet) therefore writes into a file that no longer has a name and
/// cannot touch the new holder's output, whether it had written a line before the take-over or not.
/// </para>
/// <para>
/// A checkpoint flushes the file to disk and names its length; a resumed task starts from the earlier attempt's file
/// (in progress, or already renamed errored or completed) cut back to that length, and the lines after the checkpoint
/// are written once, not twice.
/// </para>
/// </summary>
internal sealed class JsonLinesFile : IJsonLinesOutput
{
    private const int FlushBytes = 256 * 1024;
    private const string InProgressSuffix = ".jsonl.inprogress";
    private const string PreparedMarker = ".prepared-";

    private readonly string _directory;
    private readonly string _name;
    private readonly string? _formerName;
    private FileStream? _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(FlushBytes * 2);
    private byte[] _spare = ArrayPool<byte>.Shared.Rent(FlushBytes * 2);
    private int _length;
    private Task _pendingWrite = Task.CompletedTask;
    private bool _completed;
    private long _fileLength;
    private SafeFileHandle? _durableHandle;

    /// <param name="directory">The output folder.</param>
    /// <param name="name">The task's output name (the file's name without extension).</param>
    /// <param name="resumeFrom">A checkpoint's position (the file's length then) to continue from; null for a fresh file.</param>
    /// <param name="formerName">
    /// The name workers before <see cref="TaskOutputName"/> gave the file (the task id): a checkpoint of theirs continues
    /// their file, renamed to <paramref name="name"/>.
    /// </param>
    /// <exception cref="OutputResumeException">The earlier attempt's file is gone or shorter than the checkpoint.</exception>
    public JsonLinesFile(string directory, string name, string? resumeFrom = null, string? formerName = null)
    {
        _directory = directory;
        _name = name;
        _formerName = formerName == name ? null : formerName;
        DeleteAbandonedPreparedFiles();
        _stream = resumeFrom is null ? TakeName(earlier: null, length: 0) : Reopen(ParseLength(resumeFrom));
    }

    private long ParseLength(string position) =>
        long.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            ? length
            : throw new OutputResumeException($"the checkpoint's position '{position}' for {InProgressPath} is not a byte length");

    /// <summary>
    /// Removes the files of earlier attempts that were killed before they renamed theirs into place (see
    /// <see cref="TakeName"/>): this attempt owns the task now, and they would otherwise stay in the output folder for good.
    /// </summary>
    private void DeleteAbandonedPreparedFiles()
    {
        if (!Directory.Exists(_directory))
        {
            return;
        }

        foreach (var abandoned in Directory.EnumerateFiles(_directory, _name + InProgressSuffix + PreparedMarker + "*"))
        {
            try
            {
                File.Delete(abandoned);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Tidying only: a copy that cannot go yet (still open elsewhere) must not fail this attempt.
            }
        }
    }

    /// <summary>Takes back the earlier attempt's file under the in-progress name, cut to <paramref name="length"/>.</summary>
    private FileStream Reopen(long length)
    {
        var earlier = new[] { InProgressPath, ErroredPath, CompletedPath }.Concat(FormerPaths()).FirstOrDefault(File.Exists);
        if (earlier is null)
        {
            return length == 0 ? TakeName(earlier: null, length: 0) : throw new OutputResumeException(
                $"{InProgressPath} is missing (nor is there an errored or completed file): the checkpoint says {length} bytes were written");
        }

        var found = new FileInfo(earlier).Length;
        if (found < length)
        {
            throw new OutputResumeException($"{earlier} has {found} bytes, fewer than the {length} the checkpoint says were written");
        }

        return TakeName(earlier, length);
    }

    /// <summary>
    /// Makes this attempt's file — empty, or the first <paramref name="length"/> bytes of <paramref name="earlier"/> — under
    /// a private name and renames it over the in-progress name, replacing whatever an earlier attempt left there.
    /// </summary>
    private FileStream TakeName(string? earlier, long length)
    {
        Directory.CreateDirectory(_directory);
        var prepared = InProgressPath + PreparedMarker + Guid.NewGuid().ToString("N")[..8];
        // Delete sharing: the file is renamed (and later replaced by the next attempt's) while this handle stays open.
        var stream = new FileStream(prepared, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, bufferSize: 0,
            FileOptions.Asynchronous);
        try
        {
            if (earlier is not null)
            {
                using var source = new FileStream(earlier, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
                CopyPrefix(source, stream, length);
            }

            File.Move(prepared, InProgressPath, overwrite: true);
            if (earlier is not null && earlier != InProgressPath)
            {
                File.Delete(earlier);
            }
        }
        catch
        {
            stream.Dispose();
            File.Delete(prepared);
            throw;
        }

        _fileLength = length;
        return stream;
    }

    private static void CopyPrefix(Stream source, Stream target, long length)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            for (var left = length; left > 0;)
            {
                var read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0)
                {
                    throw new OutputResumeException($"the earlier output ended before the checkpoint's {length} bytes");
                }

                target.Write(buffer, 0, read);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public string CompletedPath => Path.Combine(_directory, _name + ".jsonl");
    public string ErroredPath => Path.Combine(_directory, _name + ".errored.jsonl");
    private string InProgressPath => Path.Combine(_directory, _name + InProgressSuffix);

    private IEnumerable<string> FormerPaths() => _formerName is null
        ? []
        : [Path.Combine(_directory, _formerName + InProgressSuffix), Path.Combine(_directory, _formerName + ".errored.jsonl"),
            Path.Combine(_directory, _formerName + ".jsonl")];

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
            var stream = _stream ?? throw new ObjectDisposedException(InProgressPath);
            var full = _buffer;
            _pendingWrite = stream.WriteAsync(full.AsMemory(0, _length)).AsTask();
            _fileLength += _length;
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

    /// <summary>Writes what is buffered (to the OS, not yet to disk) and names the file's length.</summary>
    public bool TryCheckpoint(out string? position)
    {
        Flush(ensureFree: 0);
        _pendingWrite.GetAwaiter().GetResult();
        _durableHandle = _stream?.SafeFileHandle;
        position = _fileLength.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>
    /// fsync of the file handle captured by the last checkpoint: safe while the task thread appends (the bytes up to
    /// the checkpoint's length were written before), and far off the task's path — a flush to disk costs milliseconds.
    /// </summary>
    public void MakeDurable()
    {
        if (_durableHandle is { IsClosed: false } handle)
        {
            RandomAccess.FlushToDisk(handle);
        }
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
        // A rerun of the same task replaces what an earlier run left under either final name (or an older worker's).
        foreach (var earlier in FormerPaths().Prepend(ErroredPath).Prepend(CompletedPath))
        {
            File.Delete(earlier);
        }

        var stream = _stream ?? throw new ObjectDisposedException(InProgressPath);
        _stream = null;
        if (_fileLength == 0)
        {
            // No line in this attempt nor before its checkpoint: no file, as if it had never been made.
            stream.Dispose();
            File.Delete(InProgressPath);
            return;
        }

        stream.Flush(flushToDisk: true);
        stream.Dispose();
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
