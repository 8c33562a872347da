using System.IO.MemoryMappedFiles;
using System.Text;

namespace LetsData.Runtime.Engine;

/// <summary>
/// A data-task process's black box: the plugin call it is in, kept in a small memory-mapped file that its supervisor
/// reads after the process died (a stack overflow or <c>FailFast</c> leaves no chance to report anything). Updated on
/// every call with plain stores: the offset always, a name only when it is another string than the last one, so the hot
/// path neither allocates nor encodes. Nobody reads it while the process lives, so no ordering is needed.
/// </summary>
internal sealed unsafe class CallSiteMirror : IDisposable
{
    /// <summary>The mirror's file name in a data-task process's private folder (its temp folder).</summary>
    public const string FileName = "call-site";

    /// <summary>The mirror's size; its reader reads this many bytes and no more.</summary>
    public const int Size = 4096;
    private const int OffsetAt = 0;
    private const int InCallAt = 8;

    // Text slots: a length (int) then UTF-8 bytes, cut at the slot's size.
    private static readonly (int At, int Size)[] Slots = [(16, 256), (272, 128), (400, 128), (528, 64), (592, 3000)];
    private const int PluginSlot = 0;
    private const int MethodSlot = 1;
    private const int FileTypeSlot = 2;
    private const int SourceKindSlot = 3;
    private const int FileNameSlot = 4;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly string?[] _written = new string?[Slots.Length];

    private CallSiteMirror(string path)
    {
        // The supervisor normally made the file (and keeps its own handle on it); a process started otherwise makes it.
        using (var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            if (stream.Length < Size)
            {
                stream.SetLength(Size);
            }
        }

        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, Size, MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, Size, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
        *(long*)(_base + OffsetAt) = -1;
    }

    /// <summary>The process's mirror; null outside a data-task process (in-process runs, the harness, tests).</summary>
    public static CallSiteMirror? Current { get; private set; }

    /// <summary>Starts mirroring this process's call site into <paramref name="path"/>.</summary>
    public static void Start(string path) => Current = new CallSiteMirror(path);

    public void Update(PluginCallSite site)
    {
        *(long*)(_base + OffsetAt) = site.Offset;
        *(int*)(_base + InCallAt) = site.InPluginCall ? 1 : 0;
        Write(PluginSlot, site.PluginName);
        Write(MethodSlot, site.Method);
        Write(FileTypeSlot, site.FileType);
        Write(SourceKindSlot, site.SourceKind);
        Write(FileNameSlot, site.FileName);
    }

    /// <summary>
    /// What a dead process's mirror says, as <see cref="PluginCallSite.DescribeCall"/> would; null when it has nothing.
    /// <paramref name="input"/> are the file's first <see cref="Size"/> bytes, read through the reader's own handle (the
    /// process could have replaced the file's name by anything).
    /// </summary>
    public static string? Describe(ReadOnlySpan<byte> input)
    {
        if (input.Length < Size)
        {
            return null;
        }

        var bytes = input[..Size].ToArray();
        var texts = Slots.Select(slot =>
        {
            var length = Math.Clamp(BitConverter.ToInt32(bytes, slot.At), 0, slot.Size - 4);
            return length == 0 ? null : Encoding.UTF8.GetString(bytes, slot.At + 4, length);
        }).ToArray();
        if (texts[PluginSlot] is not { } plugin || texts[MethodSlot] is not { } method)
        {
            return null;
        }

        var offset = BitConverter.ToInt64(bytes, OffsetAt);
        var inCall = BitConverter.ToInt32(bytes, InCallAt) != 0;
        var where = texts[FileNameSlot] is not { } fileName ? ""
            : $" ({texts[SourceKindSlot] ?? "file"} {fileName}{(texts[FileTypeSlot] is { } type ? $", type {type}" : "")}{(offset >= 0 ? $", offset {offset}" : "")})";
        return inCall ? $"plugin {plugin}: {method}{where}" : $"plugin {plugin}: after {method}{where}";
    }

    private void Write(int slot, string? text)
    {
        if (ReferenceEquals(text, _written[slot]))
        {
            return;
        }

        _written[slot] = text;
        var (at, size) = Slots[slot];
        var target = new Span<byte>(_base + at + 4, size - 4);
        var length = 0;
        if (text is not null)
        {
            // A name longer than its slot is cut at a character boundary.
            Encoding.UTF8.GetEncoder().Convert(text, target, flush: true, out _, out length, out _);
        }

        *(int*)(_base + at) = length;
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
