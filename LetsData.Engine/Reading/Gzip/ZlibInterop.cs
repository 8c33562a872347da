using System.Runtime.InteropServices;

namespace LetsData.Runtime.Reading.Gzip;

/// <summary>
/// The inflate entry points of the shared framework's own native zlib (zlib-ng), the library GZipStream itself calls.
/// Calling it directly (instead of through GZipStream) lets <see cref="GzipMemberStream"/> see where each gzip member
/// ends in the compressed input; no extra native dependency ships with the worker.
/// </summary>
internal static unsafe partial class ZlibInterop
{
    /// <summary>The exact name the runtime uses, so the library resolves the way GZipStream's does.</summary>
    private const string Library = "libSystem.IO.Compression.Native";

    /// <summary>windowBits for a gzip wrapper (16) around the largest window (15): zlib parses header and trailer.</summary>
    public const int GzipWindowBits = 31;

    public const int NoFlush = 0;
    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int DataError = -3;
    public const int MemError = -4;
    public const int BufError = -5;

    /// <summary>
    /// The native library's PAL_ZStream: the pointers and counts in and out of one call. The real z_stream lives in
    /// native memory behind <see cref="InternalState"/>, so this struct only needs to be at a fixed address during a call.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ZStream
    {
        public byte* NextIn;
        public byte* NextOut;
        public byte* Message;
        public void* InternalState;
        public uint AvailIn;
        public uint AvailOut;
    }

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateInit2_")]
    public static partial int InflateInit2(ZStream* stream, int windowBits);

    [LibraryImport(Library, EntryPoint = "CompressionNative_Inflate")]
    public static partial int Inflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateEnd")]
    public static partial int InflateEnd(ZStream* stream);

    /// <summary>Starts the next member on the same state: no free and re-allocate of the window per member.</summary>
    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateReset2_")]
    public static partial int InflateReset2(ZStream* stream, int windowBits);

    /// <summary>zlib's message for the last error (a static string in the library), or the return code.</summary>
    public static string Describe(ZStream* stream, int code) =>
        stream->Message is null ? $"zlib error {code}" : Marshal.PtrToStringUTF8((nint)stream->Message) ?? $"zlib error {code}";
}

/// <summary>
/// Owns one native inflate state (the PAL_ZStream in native memory and the z_stream behind it), so that a stream that
/// is never disposed still frees it when collected.
/// </summary>
internal sealed unsafe class InflaterHandle : SafeHandle
{
    private InflaterHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public ZlibInterop.ZStream* Stream => (ZlibInterop.ZStream*)handle;

    /// <summary>A gzip inflater (windowBits 31).</summary>
    public static InflaterHandle Create()
    {
        var inflater = new InflaterHandle();
        var stream = (ZlibInterop.ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZlibInterop.ZStream));
        var code = ZlibInterop.InflateInit2(stream, ZlibInterop.GzipWindowBits);
        if (code != ZlibInterop.Ok)
        {
            var reason = ZlibInterop.Describe(stream, code);
            if (stream->InternalState is not null)
            {
                ZlibInterop.InflateEnd(stream);
            }

            NativeMemory.Free(stream);
            throw code == ZlibInterop.MemError
                ? new OutOfMemoryException($"zlib inflateInit2 failed: {reason}")
                : new InvalidOperationException($"zlib inflateInit2 failed: {reason}");
        }

        inflater.SetHandle((nint)stream);
        return inflater;
    }

    protected override bool ReleaseHandle()
    {
        var stream = (ZlibInterop.ZStream*)handle;
        ZlibInterop.InflateEnd(stream);
        NativeMemory.Free(stream);
        return true;
    }
}
