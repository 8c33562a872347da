using System.IO.Compression;

namespace LetsData.Benchmarks;

/// <summary>Writes (once) the plain and the gzip record files of a given size under artifacts/bench-data/.</summary>
internal static class BenchDataGenerator
{
    /// <summary>Records are grouped into gzip members of at least this many uncompressed bytes.</summary>
    public const int GzipMemberBytes = 64 * 1024;

    private const int ScratchBytes = SyntheticRecords.MaxRecordBytes + 64;

    public static BenchDataFile Plain(string directory, int sizeMb) =>
        BenchDataFile.GetOrCreate(Path.Combine(directory, $"records-v1-{sizeMb}mb.txt"), output =>
        {
            var records = new SyntheticRecords();
            var scratch = new byte[ScratchBytes];
            var target = sizeMb * (long)Throughput.BytesPerMb;
            long count = 0, bytes = 0;
            while (bytes < target)
            {
                bytes += records.WriteNext(output, scratch);
                count++;
            }

            return (count, bytes);
        });

    /// <summary>
    /// The same records as <see cref="Plain"/>, as multi-member gzip with one member per ~64 KB group of whole
    /// records (like Common Crawl's one member per record, but cheap to generate): each member is a GZipStream
    /// written to a block and then appended to the one output file.
    /// </summary>
    public static BenchDataFile Gzip(string directory, int sizeMb) =>
        BenchDataFile.GetOrCreate(Path.Combine(directory, $"records-v1-{sizeMb}mb.members-64k.txt.gz"), output =>
        {
            var records = new SyntheticRecords();
            var scratch = new byte[ScratchBytes];
            var target = sizeMb * (long)Throughput.BytesPerMb;
            var block = new MemoryStream(GzipMemberBytes + ScratchBytes);
            long count = 0, bytes = 0;
            while (bytes < target)
            {
                bytes += records.WriteNext(block, scratch);
                count++;
                if (block.Length >= GzipMemberBytes || bytes >= target)
                {
                    using (var member = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
                    {
                        member.Write(block.GetBuffer(), 0, (int)block.Length);
                    }

                    block.SetLength(0);
                }
            }

            return (count, bytes);
        });
}
