using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// <c>--help</c>: System.CommandLine's help for the command asked about, then the exit codes, which every command shares
/// and a job runner needs.
/// </summary>
internal sealed class HelpWithExitCodesAction(HelpAction help) : SynchronousCommandLineAction
{
    public const string ExitCodesText = """
        Exit codes:
          0  every task completed (run), the dataset is valid (validate), the command did what it was asked
          1  a task errored (run), validation found problems (validate), a task or log not found
          2  unusable input: the command line, dataset, manifest, plugin or an output folder; nothing ran
          3  the run stopped with tasks left (a stop signal, the time box, tasks not started): run again to continue
        """;

    // Help asked for wins over the rest of the line being wrong (`letsdata run --frobnicate --help` shows run's help).
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        help.Invoke(parseResult);
        parseResult.InvocationConfiguration.Output.WriteLine(ExitCodesText);
        return ExitCodes.Success;
    }
}
