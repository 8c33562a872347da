using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using LetsData.Interfaces.Documents;

namespace LetsData.Runtime.Writing.Kinesis;

/// <summary>Which partition key a document's Kinesis record gets.</summary>
internal static class KinesisPartitionKeys
{
    /// <summary>The longest partition key Kinesis accepts, in characters.</summary>
    public const int MaxLength = 256;

    /// <summary>
    /// The document's <see cref="IDocument.PartitionKey"/>, else its <see cref="IDocument.DocumentId"/>, else
    /// <paramref name="taskKey"/>; fitted to <see cref="MaxLength"/>.
    /// </summary>
    public static string For(IDocument document, string taskKey)
    {
        var key = document.PartitionKey;
        if (string.IsNullOrEmpty(key))
        {
            key = document.DocumentId;
        }

        return string.IsNullOrEmpty(key) ? taskKey : Fit(key);
    }

    /// <summary>
    /// A key Kinesis accepts: unchanged when short enough, else the lower-case hex SHA-256 of its UTF-8 bytes. The hash
    /// depends on the key alone (unlike <see cref="string.GetHashCode()"/>, which is seeded per process), so a long key
    /// maps to the same shard from every task, run and machine, and records of one key keep their order.
    /// </summary>
    public static string Fit(string key)
    {
        if (key.Length <= MaxLength)
        {
            return key;
        }

        var length = Encoding.UTF8.GetByteCount(key);
        var utf8 = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8.AsSpan(0, Encoding.UTF8.GetBytes(key, utf8)), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }
}
