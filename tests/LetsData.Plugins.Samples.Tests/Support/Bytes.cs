using System.Text;

namespace LetsData.Plugins.Samples.Tests.Support;

internal static class Bytes
{
    /// <summary>Byte offset of the first <paramref name="text"/> (UTF-8) at or after <paramref name="from"/>; fails the test when absent.</summary>
    public static int IndexOf(byte[] file, string text, int from = 0)
    {
        var found = file.AsSpan(from).IndexOf(Encoding.UTF8.GetBytes(text));
        Assert.That(found, Is.GreaterThanOrEqualTo(0), $"'{text}' not found after {from}");
        return from + found;
    }

    public static string Offset(long offset) => offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
