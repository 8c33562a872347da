using System.CommandLine;
using System.CommandLine.Parsing;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// Turns System.CommandLine's parse of the worker's arguments into a <see cref="CommandLine"/>, or into one sentence
/// saying what is wrong with them: a word it does not know (with the name probably meant), a missing value or
/// option, a bad value, options that contradict each other.
/// </summary>
internal static class CommandLineBinder
{
    public static CommandLine? TryBind(ParseResult parse, out string? error)
    {
        error = Problem(parse);
        return error is null ? Bind(parse) : null;
    }

    /// <summary>The command's words: <c>run</c>, <c>tasks list</c>; empty for the root.</summary>
    public static string PathOf(Command command)
    {
        var words = new List<string>();
        for (var c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            words.Insert(0, c.Name);
        }

        return string.Join(' ', words);
    }

    private static string? Problem(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var path = PathOf(command);
        var unknown = parse.UnmatchedTokens.FirstOrDefault();
        if (unknown is not null && !(command.Subcommands.Count > 0 && path.Length > 0 && unknown.StartsWith('-')))
        {
            return Unknown(command, path, unknown);
        }

        if (command.Subcommands.Count > 0)
        {
            // `letsdata tasks --dataset d.json`: the options are right, the command's second word is missing.
            return $"'{path}' needs a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => $"{path} {c.Name}"))}";
        }

        // Values first (a missing or bad one), in the order given; then what is missing altogether.
        foreach (var valueError in parse.Errors.Where(e => e.SymbolResult is OptionResult or ArgumentResult { Parent: OptionResult }))
        {
            var option = valueError.SymbolResult as OptionResult ?? (OptionResult)valueError.SymbolResult!.Parent!;
            if (option.IdentifierTokenCount == 0)
            {
                continue; // not on the line at all: a required option, said below
            }

            return option.Tokens.Count == 0 ? $"option {option.Option.Name} needs a value" : valueError.Message;
        }

        // An option given twice takes one value each time; `--dataset a.json --dataset` lacks the second.
        foreach (var given in parse.CommandResult.Children.OfType<OptionResult>())
        {
            if (given.Option.Arity.MinimumNumberOfValues > 0 && given.Tokens.Count < given.IdentifierTokenCount)
            {
                return $"option {given.Option.Name} needs a value";
            }
        }

        foreach (var required in command.Options.Where(o => o.Required && parse.GetResult(o) is not OptionResult { IdentifierTokenCount: > 0 }))
        {
            return $"{required.Name} {required.HelpName} is required";
        }

        if (parse.Errors is [var other, ..])
        {
            return other.Message;
        }

        var has = (string name) => command.Options.Any(o => o.Name == name) && parse.GetResult(name) is OptionResult { Implicit: false };
        if (has("--state") && has("--task-table"))
        {
            return "--state and --task-table name two different task stores; give one";
        }

        var metricsPort = Value<int?>(parse, "--metrics-port");
        var uiPort = Value<int?>(parse, "--ui");
        if (Value<double?>(parse, "--metrics-linger-seconds") > 0 && metricsPort is null && uiPort is null)
        {
            return "--metrics-linger-seconds keeps the --metrics-port endpoint or the --ui page up; give one of them too";
        }

        return metricsPort is not null && metricsPort == uiPort ? $"--metrics-port and --ui both name port {uiPort}; give them different ports" : null;
    }

    private static string Unknown(Command command, string path, string token)
    {
        if (token.StartsWith('-'))
        {
            var names = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name));
            return $"unknown option {token}{(path.Length > 0 ? $" for '{path}'" : "")}{Meant(token, names)}";
        }

        if (command.Subcommands.Count > 0)
        {
            var words = path.Length > 0 ? $"{path} {token}" : token;
            return $"unknown command '{words}'{Meant(token, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}";
        }

        return $"'{path}' takes no argument '{token}'; values follow their option (--dataset FILE)";
    }

    private static string Meant(string typed, IEnumerable<string> names) =>
        ClosestName.Among(typed, names) is { } meant ? $" (did you mean {meant}?)" : "";

    private static CommandLine Bind(ParseResult parse)
    {
        var command = PathOf(parse.CommandResult.Command);
        return new CommandLine(command, Value<string>(parse, "--dataset")!, Value<string>(parse, "--plugins")!, Value<int?>(parse, "--concurrency"))
        {
            PluginCacheDirectory = Value<string>(parse, "--plugin-cache"),
            SkipValidation = Value<bool>(parse, "--skip-validation"),
            Revalidate = Value<bool>(parse, "--revalidate"),
            Timings = Value<bool>(parse, "--timings"),
            StateDirectory = Value<string>(parse, "--state"),
            TaskTable = Value<string>(parse, "--task-table"),
            RerunCompleted = Value<bool>(parse, "--rerun-completed"),
            CreateDestinations = Value<bool>(parse, "--create-destinations"),
            WatchPlugins = Value<bool>(parse, "--watch-plugins"),
            InProcess = Value<bool>(parse, "--in-process"),
            MetricsPort = Value<int?>(parse, "--metrics-port"),
            MetricsLingerSeconds = Value<double?>(parse, "--metrics-linger-seconds") ?? 0,
            UiPort = Value<int?>(parse, command == CommandLine.Ui ? "--port" : "--ui"),
            TaskOptions = new TaskCommandOptions
            {
                TaskId = Value<string>(parse, "--task"),
                Status = Value<TaskRecordStatus?>(parse, "--status"),
                Limit = Value<int?>(parse, "--limit"),
                Kind = Value<string>(parse, "--kind"),
                Json = Value<bool>(parse, "--json"),
            },
            Worker = new WorkerOptions
            {
                CheckpointRecords = Value<long?>(parse, "--checkpoint-records"),
                CheckpointSeconds = Value<double?>(parse, "--checkpoint-seconds"),
                CheckpointsOff = Value<bool>(parse, "--no-checkpoints"),
                MaxTaskSeconds = Value<double?>(parse, "--max-task-seconds"),
                LeaseSeconds = Value<double?>(parse, "--lease-seconds"),
                ShardIndex = Value<int?>(parse, "--shard-index"),
                ShardCount = Value<int?>(parse, "--shard-count"),
            },
        };
    }

    // The option's value where the command has that option; the type's default where it has none (validate has no --json).
    private static T? Value<T>(ParseResult parse, string name) =>
        parse.CommandResult.Command.Options.Any(o => o.Name == name) ? parse.GetValue<T>(name) : default;
}
