using System.CommandLine;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// <c>letsdata completion bash</c>: prints a bash completion script. The script asks the worker itself, through
/// System.CommandLine's <c>[suggest:POSITION]</c> directive, for the commands, options and values that fit where the
/// cursor is, so completions follow the command tree without a copy of it; where the worker suggests nothing (a
/// file, a folder) bash completes file names.
/// </summary>
internal static class CompletionScriptCommand
{
    public const string Bash = """
        # letsdata completion for bash: eval "$(letsdata completion bash)" (e.g. in ~/.bashrc)
        _letsdata_complete()
        {
            local IFS=$'\n'
            local suggestions
            suggestions=$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) || return
            COMPREPLY=($(compgen -W "${suggestions}" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _letsdata_complete letsdata
        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "the shell: bash" };
        shell.CompletionSources.Add("bash");
        shell.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: not "bash" } token])
            {
                result.AddError($"completion: no script for '{token.Value}'; there is one for bash");
            }
        });

        var command = new Command("completion", "Prints a shell completion script: eval \"$(letsdata completion bash)\".") { shell };
        command.SetAction(parseResult =>
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Bash);
            return ExitCodes.Success;
        });
        return command;
    }
}
