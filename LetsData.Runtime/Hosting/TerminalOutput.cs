using Spectre.Console;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// Whether standard output goes to a person at a terminal (Spectre.Console: tables with borders, colour, a live
/// progress line) or to a file, a pipe or CI (plain aligned text that scripts and tests read, no escape sequences).
/// <c>NO_COLOR</c> (any value) asks for the plain form on a terminal too.
/// </summary>
internal static class TerminalOutput
{
    /// <summary>A Spectre console over <paramref name="output"/> when that is a terminal that takes ANSI; null for the plain form.</summary>
    public static IAnsiConsole? RichConsoleFor(TextWriter output)
    {
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")))
        {
            return null;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        return console.Profile.Capabilities.Ansi ? console : null;
    }
}
