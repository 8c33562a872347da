namespace LetsData.Runtime.Reading;

/// <summary>A read-only stream over a <see cref="ReadOnlyMemory{T}"/>, so in-memory files need no copy into a byte[].</summary>
internal sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> content) : ReadOnlyForwardStream
{
    private int _position;

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
}
