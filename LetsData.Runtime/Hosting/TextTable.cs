namespace LetsData.Runtime.Hosting;

/// <summary>
/// An aligned text table: each column as wide as its widest cell. On a terminal the last column is cut to the
/// window width so that rows stay one line each; redirected output keeps every character. Line breaks become spaces
/// and other control characters <c>\uXXXX</c>: a cell may hold bytes of a binary record (an error message quoting
/// it), which must not reach a terminal as escape sequences or NULs.
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string?[] cells) => _rows.Add(cells.Select(c => Printable((c ?? "").ReplaceLineEndings(" "))).ToArray());

    private static string Printable(string cell)
    {
        if (!cell.Any(char.IsControl))
        {
            return cell;
        }

        var text = new System.Text.StringBuilder(cell.Length + 16);
        foreach (var c in cell)
        {
            if (c == '\t')
            {
                text.Append(' ');
            }
            else if (char.IsControl(c))
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    public void Write(TextWriter output, int? maxWidth)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        WriteRow(output, headers, widths, maxWidth);
        foreach (var row in _rows)
        {
            WriteRow(output, row, widths, maxWidth);
        }
    }

    private static void WriteRow(TextWriter output, string[] cells, int[] widths, int? maxWidth)
    {
        var line = string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        if (maxWidth is { } max && line.Length > max && max > 1)
        {
            line = line[..(max - 1)] + "…";
        }

        output.WriteLine(line);
    }

    /// <summary>The terminal's width when stdout is one; null (no cutting) when it is redirected.</summary>
    public static int? TerminalWidth()
    {
        if (Console.IsOutputRedirected)
        {
            return null;
        }

        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
