namespace LetsData.Runtime.Reading;

/// <summary>A read-only stream over a <see cref="ReadOnlyMemory{T}"/>, so in-memory files need no copy into a byte[].</summary>
internal sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> content, int position = 0) : ReadOnlyForwardStream, IReopenableAtOffset
{
    private int _position = position;

    public override long Length => content.Length;
    public override long Position => _position;

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, content.Length - _position);
        content.Span.Slice(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public ValueTask<Stream> OpenAtAsync(long offset, long expectedBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, content.Length);
        return ValueTask.FromResult<Stream>(new ReadOnlyMemoryStream(content, (int)offset));
    }
}
