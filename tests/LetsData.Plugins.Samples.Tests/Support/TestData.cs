using System.IO.Compression;

namespace LetsData.Plugins.Samples.Tests.Support;

/// <summary>Paths of the data files copied next to the test binaries, and their decompressed bytes.</summary>
internal static class TestData
{
    public static string WhirlwindWarc => PathOf("commoncrawl", "whirlwind.warc.gz");

    public static string WhirlwindWet => PathOf("commoncrawl", "whirlwind.warc.wet.gz");

    public static string Torture(string fileName) => PathOf("torture", fileName);

    public static string Dataset(string fileName) => PathOf("datasets", fileName);

    public static string PathOf(params string[] parts) =>
        Path.Combine([TestContext.CurrentContext.TestDirectory, "Data", .. parts]);

    /// <summary>The file's bytes, gunzipped when it starts with the gzip magic (all members).</summary>
    public static byte[] ReadDecompressed(string path) => Decompress(File.ReadAllBytes(path));

    public static byte[] Decompress(byte[] content)
    {
        if (content.Length < 2 || content[0] != 0x1f || content[1] != 0x8b)
        {
            return content;
        }
        using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
