using System.Globalization;
using System.Text;

namespace LetsData.Integration.Tests.Faults;

/// <summary>Deterministic text inputs: numbered lines of a fixed length with content that differs from line to line.</summary>
internal static class LineFiles
{
    public static byte[] Generate(int lines, int lineBytes)
    {
        var text = new StringBuilder(lines * lineBytes);
        for (var i = 1; i <= lines; i++)
        {
            var start = text.Length;
            text.Append(CultureInfo.InvariantCulture, $"line {i:D7} ");

            // A letter pattern shifted per line: a resume at a wrong offset would show up as different text.
            for (var c = text.Length - start; c < lineBytes - 1; c++)
            {
                text.Append((char)('a' + ((i + c) % 26)));
            }

            text.Append('\n');
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
