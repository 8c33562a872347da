using System.Globalization;
using System.IO.Hashing;

namespace LetsData.Runtime.Writing.S3;

/// <summary>
/// A running, non-cryptographic hash of an S3 output's bytes that a resumed writer can carry on without the bytes
/// before its last uploaded part (they are in S3 only): a chain of seeded XxHash3 values, one link per part. The hash
/// after part k is <c>XxHash3(part k's bytes, seed: the hash after part k-1)</c>, seed 0 before part 1, and the hash
/// of the whole output is <c>XxHash3(bytes after the last part, seed: the hash after the last part)</c>. A position
/// stores both values: continuing the upload needs the first (the parts' bytes are not read back), rebuilding from an
/// object checks the second against the object's first bytes (hashed with the position's part sizes as the links).
/// XxHash3 (System.IO.Hashing) is incremental and takes a seed; CRC-64 there cannot be continued from a stored value.
/// </summary>
internal sealed class S3ContentHash(ulong partsHash = 0)
{
    private XxHash3 _tail = new(unchecked((long)partsHash));

    /// <summary>The hash through the last completed part (0 before the first).</summary>
    public ulong PartsHash { get; private set; } = partsHash;

    /// <summary>The hash of every byte appended so far.</summary>
    public ulong Current => _tail.GetCurrentHashAsUInt64();

    public void Append(ReadOnlySpan<byte> bytes) => _tail.Append(bytes);

    /// <summary>The bytes appended since the last part form a part: they become a link of the chain.</summary>
    public void EndPart()
    {
        PartsHash = Current;
        _tail = new XxHash3(unchecked((long)PartsHash));
    }

    /// <summary>How a position stores a hash: 16 lower-case hex digits.</summary>
    public static string Format(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out ulong hash)
    {
        hash = 0;
        return text is { Length: 16 } && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out hash);
    }
}
