using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace LetsData.Plugins.Samples.Tests.CommonCrawl;

/// <summary>Where one generated record lies: in the stored file (its gzip member when compressed) and decompressed.</summary>
internal sealed record RecordPlace(int UrlIndex, string WarcType, long Start, long End, long DecodedStart, long DecodedEnd);

/// <summary>
/// Records, through the generator's <see cref="CommonCrawlCorpus.RecordHook"/>, where each record of each file lands.
/// The generator writes each record as one gzip member at <c>CompressionLevel.Fastest</c>; compressing the record the
/// same way gives the member's length (checked against the file's length by the caller).
/// </summary>
internal sealed class CorpusLayout(bool gzip)
{
    private readonly Dictionary<string, List<RecordPlace>> _places = new(StringComparer.Ordinal)
    {
        ["WARC"] = [], ["WAT"] = [], ["WET"] = [],
    };

    private readonly Dictionary<int, string> _wetTexts = [];

    public IReadOnlyList<RecordPlace> Of(string fileType) => _places[fileType];

    private readonly Dictionary<string, int> _urlOfRecordId = new(StringComparer.Ordinal);

    /// <summary>The URL a generated record belongs to, by its WARC-Record-ID; -1 for an unknown id.</summary>
    public int UrlIndexOfRecordId(string? recordId) => recordId is not null && _urlOfRecordId.TryGetValue(recordId, out var index) ? index : -1;

    /// <summary>The text of the URL's WET conversion record as generated.</summary>
    public string WetTextOf(int urlIndex) => _wetTexts[urlIndex];

    public byte[] Note(string fileType, int urlIndex, string warcType, byte[] record)
    {
        var places = _places[fileType];
        var start = places.Count == 0 ? 0 : places[^1].End;
        var decodedStart = places.Count == 0 ? 0 : places[^1].DecodedEnd;
        var stored = gzip ? CorpusDamage.Gzip(record).Length : record.Length;
        places.Add(new RecordPlace(urlIndex, warcType, start, start + stored, decodedStart, decodedStart + record.Length));
        const string RecordIdField = "\r\nWARC-Record-ID: ";
        var header = Encoding.Latin1.GetString(record, 0, record.AsSpan().IndexOf("\r\n\r\n"u8) + 2);
        var idStart = header.IndexOf(RecordIdField, StringComparison.Ordinal) + RecordIdField.Length;
        _urlOfRecordId[header[idStart..header.IndexOf('\r', idStart)]] = urlIndex;
        if (warcType == "conversion")
        {
            // The payload lies between the header block's blank line and the record's closing blank line.
            var payload = record.AsSpan(record.AsSpan().IndexOf("\r\n\r\n"u8) + 4);
            _wetTexts[urlIndex] = Encoding.UTF8.GetString(payload[..^4]);
        }

        return record;
    }
}

/// <summary>The seeded ways a stored file is damaged.</summary>
public enum Mutation
{
    /// <summary>Up to six bytes overwritten within a 32-byte window.</summary>
    FlipBytes,

    /// <summary>A span of up to 3,000 bytes removed.</summary>
    DeleteSpan,

    /// <summary>Random bytes, blank lines or fake record starts inserted.</summary>
    InsertGarbage,

    /// <summary>A span of up to 120 bytes copied to another place (too short to hold a whole URL group).</summary>
    DuplicateSpan,

    /// <summary>The file cut short.</summary>
    Truncate,

    /// <summary>A record's WARC Content-Length made larger than what follows it.</summary>
    ContentLengthTooLarge,

    /// <summary>A record's header block left without its blank line.</summary>
    NoBlankLine,

    /// <summary>A byte of a gzip member's 10-byte header changed.</summary>
    GzipMemberHeader,

    /// <summary>A byte of a gzip member's deflate data changed.</summary>
    GzipMemberBody,

    /// <summary>A byte of a gzip member's CRC-32/size trailer changed.</summary>
    GzipMemberTrailer,

    /// <summary>A gzip member's tail removed; the next member follows directly.</summary>
    GzipMemberCut,
}

/// <summary>
/// A damaged file and the stored-file range the damage covers, in the undamaged file's offsets: [From, To). An
/// insertion at p covers [p, p + 1): the bytes before p are untouched.
/// </summary>
internal sealed record DamagedFile(byte[] Content, long From, long To, string Description);

/// <summary>Applies one seeded <see cref="Mutation"/> to the stored bytes of a generated file.</summary>
internal static class CorpusDamage
{
    private static readonly string[] RecordStarts =
        ["WARC/1.0\r\nWARC-Type: request\r\n", "WARC/1.0\r\nWARC-Type: response\r\n", "WARC/1.0\r\nWARC-Type: metadata\r\n",
         "WARC/1.0\r\nWARC-Type: conversion\r\n", "WARC/1.0\r\nWARC-Type: ", "WARC/1.0\r\n"];

    public static DamagedFile Apply(Mutation mutation, byte[] file, IReadOnlyList<RecordPlace> places, bool gzip, Random random)
    {
        // Damage lands in the URLs' records (not the file headers), so that most runs have good URLs before it.
        var urlPlaces = places.Where(p => p.UrlIndex >= 0).ToList();
        var place = urlPlaces[random.Next(urlPlaces.Count)];
        var at = place.Start + random.NextInt64(place.End - place.Start);
        var name = $"{mutation} of {place.WarcType} record of URL {place.UrlIndex}";
        switch (mutation)
        {
            case Mutation.FlipBytes:
            {
                var window = (int)Math.Min(32, file.Length - at);
                var damaged = (byte[])file.Clone();
                var flips = 1 + random.Next(6);
                for (var i = 0; i < flips; i++)
                {
                    damaged[at + random.Next(window)] ^= (byte)(1 + random.Next(255));
                }

                return new DamagedFile(damaged, at, at + window, $"{name}: {flips} flips in [{at}, {at + window})");
            }

            case Mutation.DeleteSpan:
            {
                var length = 1 + random.NextInt64(Math.Min(3000, file.Length - at));
                return new DamagedFile(Splice(file, at, at + length, []), at, at + length, $"{name}: [{at}, {at + length}) deleted");
            }

            case Mutation.InsertGarbage:
            {
                // Half of the insertions fall between records (gzip members).
                at = random.Next(2) == 0 ? place.Start : at;
                var garbage = Garbage(random);
                return new DamagedFile(Splice(file, at, at, garbage), at, at + 1,
                    $"{name}: {garbage.Length} bytes inserted at {at}: '{Printable(garbage)}'");
            }

            case Mutation.DuplicateSpan:
            {
                var from = random.NextInt64(file.Length);
                var length = 1 + random.NextInt64(Math.Min(120, file.Length - from));
                var copy = file.AsSpan((int)from, (int)length).ToArray();
                return new DamagedFile(Splice(file, at, at, copy), at, at + 1, $"{name}: [{from}, {from + length}) copied to {at}");
            }

            case Mutation.Truncate:
            {
                // Half of the cuts fall on a record (member) boundary: a gzip file cut there still decompresses.
                var cut = random.Next(2) == 0 ? place.Start : at;
                return new DamagedFile(file.AsSpan(0, (int)cut).ToArray(), cut, file.Length, $"{name}: cut at {cut} of {file.Length}");
            }

            case Mutation.ContentLengthTooLarge:
            case Mutation.NoBlankLine:
            {
                var record = Encoding.Latin1.GetString(Decode(file, place, gzip));
                string edited;
                if (mutation == Mutation.NoBlankLine)
                {
                    var blank = record.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    edited = record.Remove(blank, 2);
                }
                else
                {
                    const string Field = "Content-Length: ";
                    var value = record.IndexOf(Field, StringComparison.Ordinal) + Field.Length;
                    var end = record.IndexOf('\r', value);
                    var larger = long.Parse(record[value..end], CultureInfo.InvariantCulture) + 1 + random.Next(100_000);
                    edited = record[..value] + larger.ToString(CultureInfo.InvariantCulture) + record[end..];
                }

                var bytes = Encoding.Latin1.GetBytes(edited);
                return new DamagedFile(Splice(file, place.Start, place.End, gzip ? Gzip(bytes) : bytes), place.Start, place.End, name);
            }

            case Mutation.GzipMemberHeader:
            case Mutation.GzipMemberBody:
            case Mutation.GzipMemberTrailer:
            {
                var length = place.End - place.Start;
                var offset = mutation switch
                {
                    Mutation.GzipMemberHeader => random.Next(10),
                    Mutation.GzipMemberBody => 10 + random.NextInt64(length - 18),
                    _ => length - 8 + random.Next(8),
                };
                var damaged = (byte[])file.Clone();
                damaged[place.Start + offset] ^= (byte)(1 + random.Next(255));
                return new DamagedFile(damaged, place.Start + offset, place.Start + offset + 1, $"{name}: member byte {offset} of {length} changed");
            }

            case Mutation.GzipMemberCut:
            {
                var cut = place.Start + 1 + random.NextInt64(place.End - place.Start - 1);
                return new DamagedFile(Splice(file, cut, place.End, []), cut, place.End, $"{name}: member cut at {cut}, next member at {place.End}");
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(mutation), mutation, null);
        }
    }

    public static byte[] Gzip(byte[] record)
    {
        using var buffer = new MemoryStream();
        using (var member = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            member.Write(record);
        }

        return buffer.ToArray();
    }

    /// <summary>The decompressed length of a (possibly damaged) file, or null when it does not decompress.</summary>
    public static long? DecodedLength(byte[] file, bool gzip)
    {
        if (!gzip)
        {
            return file.Length;
        }

        try
        {
            using var decoded = new GZipStream(new MemoryStream(file), CompressionMode.Decompress);
            using var counter = new MemoryStream();
            decoded.CopyTo(counter);
            return counter.Length;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static byte[] Decode(byte[] file, RecordPlace place, bool gzip)
    {
        var stored = file.AsSpan((int)place.Start, (int)(place.End - place.Start)).ToArray();
        if (!gzip)
        {
            return stored;
        }

        using var decoded = new GZipStream(new MemoryStream(stored), CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoded.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Garbage(Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                var bytes = new byte[1 + random.Next(300)];
                random.NextBytes(bytes);
                return bytes;
            case 1:
                return "\r\n\r\n"u8.ToArray();
            default:
                // A fake record start, possibly of the type the reader expects next, followed by junk.
                var junk = new string('x', random.Next(200));
                return Encoding.ASCII.GetBytes(RecordStarts[random.Next(RecordStarts.Length)] + (random.Next(2) == 0 ? "Content-Length: 5\r\n\r\n" : "") + junk);
        }
    }

    private static byte[] Splice(byte[] file, long from, long to, byte[] insert) =>
        [.. file.AsSpan(0, (int)from), .. insert, .. file.AsSpan((int)to)];

    private static string Printable(byte[] bytes) =>
        new([.. Encoding.Latin1.GetString(bytes, 0, Math.Min(bytes.Length, 60)).Select(c => c is >= ' ' and < '\u007f' ? c : '.')]);
}
