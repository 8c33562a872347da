namespace LetsData.Runtime.Reading;

/// <summary>
/// A stream that is only read, front to back: the runtime's read-side stages (a source body, a replayed prefix, the
/// read-ahead, the gzip decoders). Holds the overrides they all share — not seekable, not writable, no length or
/// position unless a subclass knows them — so each subclass states only how it reads. A subclass reads into spans;
/// <see cref="Read(byte[], int, int)"/> forwards there. A subclass that knows its length or position overrides the
/// getter only: setting <see cref="Position"/> always throws.
/// </summary>
internal abstract class ReadOnlyForwardStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public abstract override int Read(Span<byte> buffer);

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
