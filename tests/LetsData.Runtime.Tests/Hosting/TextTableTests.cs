using LetsData.Runtime.Hosting;
using Spectre.Console;

namespace LetsData.Runtime.Tests.Hosting;

/// <summary>The tables of <c>tasks list|show</c> and <c>errors list</c>: plain text off a terminal, Spectre.Console on one.</summary>
public class TextTableTests
{
    [Test]
    public void OffATerminal_ItIsAlignedPlainText_NoEscapeSequencesNoBoxDrawing()
    {
        var table = Sample();
        using var output = new StringWriter();

        table.Write(output, cutToTerminal: true);

        var lines = output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        // A character, not a string: culture-aware string search ignores control characters and would find one anywhere.
        Assert.That(output.ToString().Contains('\u001b'), Is.False, "no ANSI escape");
        Assert.That(output.ToString().Any(c => c is >= '\u2500' and <= '\u257f'), Is.False, "no box drawing");
        Assert.That(lines, Is.EqualTo(new[]
        {
            "TASK       STATUS     MESSAGE",
            "task-0001  COMPLETED",
            @"task-0002  ERRORED    bad \u0000\u001b[31m\u0007 record [red]x[/]",
        }), "each row one line, every character kept, control characters written as \\uXXXX");
    }

    [Test]
    public void OnATerminal_SpectreDrawsIt_AndCellsStayText()
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });

        Sample().WriteTo(console);

        var text = output.ToString();
        Assert.That(text, Does.Contain("╭").And.Contain("│ TASK"), "a bordered table");
        Assert.That(text, Does.Contain("[red]x[/]"), "a cell is text, not markup");
        Assert.That(text, Does.Contain(@"\u001b[31m"));
        Assert.That(text.Any(c => char.IsControl(c) && c is not '\n' and not '\r'), Is.False, "a control character in a cell never reaches the terminal");
    }

    private static TextTable Sample()
    {
        var table = new TextTable("TASK", "STATUS", "MESSAGE");
        table.Add("task-0001", "COMPLETED", null);
        table.Add("task-0002", "ERRORED", "bad \u0000\u001b[31m\u0007 record [red]x[/]");
        return table;
    }
}
