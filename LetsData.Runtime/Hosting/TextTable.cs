using Spectre.Console;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// A table of text cells. On a terminal (<see cref="TerminalOutput"/>) Spectre.Console draws it with borders, wrapping
/// cells to the window; otherwise it is plain aligned text, each column as wide as its widest cell, one line per row,
/// every character kept (scripts read it). Line breaks become spaces and other control characters <c>\uXXXX</c>: a cell
/// may hold bytes of a binary record (an error message quoting it), which must not reach a terminal as escape
/// sequences or NULs.
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

    /// <summary>
    /// Writes the table to <paramref name="output"/>; <paramref name="cutToTerminal"/>: in the plain form on a terminal
    /// (<c>NO_COLOR</c>), cut rows to the window width so that each stays one line.
    /// </summary>
    public void Write(TextWriter output, bool cutToTerminal)
    {
        if (TerminalOutput.RichConsoleFor(output) is { } console)
        {
            WriteTo(console);
            return;
        }

        var maxWidth = cutToTerminal ? TerminalWidth() : null;
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        WriteRow(output, headers, widths, maxWidth);
        foreach (var row in _rows)
        {
            WriteRow(output, row, widths, maxWidth);
        }
    }

    /// <summary>The table as Spectre.Console draws it; cells are text, never markup.</summary>
    internal void WriteTo(IAnsiConsole console)
    {
        var table = new Table { Border = TableBorder.Rounded };
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))));
        }

        foreach (var row in _rows)
        {
            table.AddRow(row.Select(c => new Text(c)));
        }

        console.Write(table);
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

    // The terminal's width when stdout is one; null (no cutting) when it is redirected.
    private static int? TerminalWidth()
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
