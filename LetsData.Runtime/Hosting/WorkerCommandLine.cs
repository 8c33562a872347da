using System.CommandLine;
using System.CommandLine.Invocation;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// What <c>letsdata</c> does with its arguments before a command runs: help (<c>letsdata [COMMAND] --help</c>, no
/// arguments), the version, completions (<c>letsdata completion bash</c>, the <c>[suggest]</c> directive), and for a
/// command line it cannot use, one line saying why and exit code 2.
/// </summary>
public static class WorkerCommandLine
{
    /// <summary>
    /// The command <paramref name="args"/> ask to run; null when they ask for none (help, completions) or cannot be
    /// used, with the <paramref name="exitCode"/> of the answer written to <paramref name="output"/> or <paramref name="error"/>.
    /// </summary>
    public static CommandLine? Read(string[] args, TextWriter output, TextWriter error, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        string[] asked = args switch
        {
            [] => ["--help"],
            ["help", .. var about] => [.. about, "--help"], // `letsdata help [COMMAND]`, as before System.CommandLine
            _ => args,
        };

        var parse = CommandLineSyntax.Build().Parse(asked, CommandLineSyntax.Parsing);
        if (parse.Action is not (null or ParseErrorAction))
        {
            exitCode = parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
            return null;
        }

        if (CommandLineBinder.TryBind(parse, out var problem) is { } commandLine)
        {
            return commandLine;
        }

        error.WriteLine($"letsdata: {problem}");
        error.WriteLine(UsageLine(parse.CommandResult.Command));
        exitCode = ExitCodes.UnusableInput;
        return null;
    }

    // One line after the error: the command's shape and where its options are described.
    private static string UsageLine(Command command)
    {
        var path = CommandLineBinder.PathOf(command);
        var words = path.Length == 0 ? "letsdata" : $"letsdata {path}";
        if (command.Subcommands.Count > 0)
        {
            var commands = string.Join('|', command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            return path.Length == 0
                ? $"Usage: letsdata COMMAND [options]; 'letsdata --help' lists the commands"
                : $"Usage: {words} ({commands}) --dataset FILE [options]; '{words} --help' lists the commands";
        }

        var required = string.Concat(command.Arguments.Select(a => $" {a.Name.ToUpperInvariant()}"))
            + string.Concat(command.Options.Where(o => o.Required).Select(o => $" {o.Name} {o.HelpName}"));
        return $"Usage: {words}{required} [options]; '{words} --help' lists them";
    }
}
