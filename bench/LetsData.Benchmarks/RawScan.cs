using System.Text;

namespace LetsData.Benchmarks;

/// <summary>
/// The ceiling for a plain file: read it with one FileStream into a big buffer and count start-pattern matches with
/// span.IndexOf — no record bookkeeping, no second copy, no plugin calls. No scanner can beat this on one thread.
/// </summary>
internal static class RawScan
{
    private const int BufferBytes = 4 << 20;

    private static readonly byte[] Pattern = Encoding.ASCII.GetBytes(SyntheticRecords.StartPattern);

    public static Throughput Run(BenchDataFile file)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(BufferBytes);
        var throughput = SideBySide.Time(() =>
        {
            using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0,
                FileOptions.SequentialScan);
            long matches = 0, bytes = 0;
            var carried = 0; // the tail of the previous read that may start a match straddling two reads
            int read;
            while ((read = stream.Read(buffer, carried, buffer.Length - carried)) > 0)
            {
                bytes += read;
                var data = buffer.AsSpan(0, carried + read);
                var position = 0;
                int index;
                while ((index = data[position..].IndexOf(Pattern)) >= 0)
                {
                    matches++;
                    position += index + Pattern.Length;
                }

                carried = Math.Min(Pattern.Length - 1, data.Length - position);
                data[^carried..].CopyTo(buffer);
            }

            return (matches, bytes);
        });

        if (throughput.Records != file.Records || throughput.Bytes != file.ContentBytes)
        {
            throw new InvalidOperationException(
                $"raw scan of {file.FileName} found {throughput.Records:N0} records in {throughput.Bytes:N0} bytes; expected {file.Records:N0} in {file.ContentBytes:N0}");
        }

        return throughput;
    }
}
