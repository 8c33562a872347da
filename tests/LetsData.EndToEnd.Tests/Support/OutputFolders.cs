namespace LetsData.EndToEnd.Tests.Support;

/// <summary>Compares the output folders of two runs of a dataset.</summary>
internal static class OutputFolders
{
    /// <summary>Asserts both folders hold files of the same names (none left in progress) and the same bytes.</summary>
    public static void AssertSame(string expectedFolder, string actualFolder, string what)
    {
        var expectedFiles = FileNames(expectedFolder);
        Assert.That(FileNames(actualFolder), Is.EqualTo(expectedFiles), $"{what}: the files of {actualFolder} (expected those of {expectedFolder})");
        foreach (var name in expectedFiles)
        {
            var expected = File.ReadAllBytes(Path.Combine(expectedFolder, name));
            var actual = File.ReadAllBytes(Path.Combine(actualFolder, name));
            if (!expected.AsSpan().SequenceEqual(actual))
            {
                Assert.Fail($"{what}: {name} differs from the reference run's: {Difference(expected, actual)}");
            }
        }
    }

    public static IReadOnlyList<string> FileNames(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>Where two files part: byte offset, line number and the two lines there.</summary>
    private static string Difference(byte[] expected, byte[] actual)
    {
        var at = expected.AsSpan().CommonPrefixLength(actual);
        var line = expected.AsSpan(0, at).Count((byte)'\n') + 1;
        return $"{actual.Length} bytes instead of {expected.Length}, first difference at byte {at} (line {line}): " +
            $"expected '{LineAt(expected, at)}', found '{LineAt(actual, at)}'";
    }

    private static string LineAt(byte[] bytes, int offset)
    {
        if (offset >= bytes.Length)
        {
            return "<end of file>";
        }

        var start = bytes.AsSpan(0, offset).LastIndexOf((byte)'\n') + 1;
        var end = bytes.AsSpan(offset).IndexOf((byte)'\n') is var n and >= 0 ? offset + n : bytes.Length;
        var text = System.Text.Encoding.UTF8.GetString(bytes, start, end - start);
        return text.Length > 200 ? text[..200] + "…" : text;
    }
}
