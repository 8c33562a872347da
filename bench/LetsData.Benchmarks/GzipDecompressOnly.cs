using System.IO.Compression;

namespace LetsData.Benchmarks;

/// <summary>
/// The ceiling for a gzip file on one core: a plain GZipStream over a FileStream, decompressed into a buffer that is
/// thrown away (counting the bytes). The engine cannot be faster than this unless it decompresses in parallel.
/// </summary>
internal static class GzipDecompressOnly
{
    private const int BufferBytes = 256 * 1024;

    public static Throughput Run(BenchDataFile file)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(BufferBytes);
        var throughput = SideBySide.Time(() =>
        {
            using var gzip = new GZipStream(File.OpenRead(file.Path), CompressionMode.Decompress);
            long bytes = 0;
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                bytes += read;
            }

            // Records are not counted here (that is scanning); the file's known count keeps records/s comparable.
            return (file.Records, bytes);
        });

        if (throughput.Bytes != file.ContentBytes)
        {
            throw new InvalidOperationException(
                $"decompressing {file.FileName} gave {throughput.Bytes:N0} bytes; expected {file.ContentBytes:N0}");
        }

        return throughput;
    }
}
