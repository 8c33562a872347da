using System.Globalization;
using System.Text;

namespace LetsData.Benchmarks;

/// <summary>
/// A deterministic stream of ~1 KB text records: <c>"REC " + number + " " + lowercase words + "\n"</c>. The payload
/// has no upper-case letters, so the start pattern <see cref="StartPattern"/> occurs exactly once per record, and
/// being word-like it compresses about as well as web text (random bytes would make gzip unrealistically slow and big).
/// The same seed always gives the same records, so the plain and the gzip file hold identical content even when
/// only one of them has to be regenerated.
/// </summary>
internal sealed class SyntheticRecords
{
    public const string StartPattern = "REC ";
    public const int MinRecordBytes = 768;
    public const int MaxRecordBytes = 1280;

    private static readonly byte[][] Words = BuildVocabulary();

    private readonly Random _random = new(20240611);
    private long _next;

    /// <summary>Appends the next record to <paramref name="output"/>; returns its length.</summary>
    public int WriteNext(Stream output, byte[] scratch)
    {
        var target = _random.Next(MinRecordBytes, MaxRecordBytes);
        var length = Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{StartPattern}{_next++} "), scratch);
        while (length < target - 1)
        {
            var word = Words[_random.Next(Words.Length)];
            var take = Math.Min(word.Length, target - 1 - length);
            word.AsSpan(0, take).CopyTo(scratch.AsSpan(length));
            length += take;
            if (length < target - 1)
            {
                scratch[length++] = (byte)' ';
            }
        }

        scratch[length++] = (byte)'\n';
        output.Write(scratch, 0, length);
        return length;
    }

    /// <summary>256 pseudo-words of 2-11 lower-case letters, from a fixed seed.</summary>
    private static byte[][] BuildVocabulary()
    {
        var random = new Random(7);
        var words = new byte[256][];
        for (var i = 0; i < words.Length; i++)
        {
            var word = new byte[random.Next(2, 12)];
            for (var j = 0; j < word.Length; j++)
            {
                word[j] = (byte)('a' + random.Next(26));
            }

            words[i] = word;
        }

        return words;
    }
}
