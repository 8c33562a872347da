using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// The worker's commands and options as a System.CommandLine tree, with the descriptions their help shows. Each command
/// gets option instances of its own (a description or whether it is required differs between commands);
/// <see cref="CommandLineBinder"/> reads them back by name. Values are checked as they are parsed, so a bad one is a
/// parse error naming the option and the value.
/// </summary>
internal static class CommandLineSyntax
{
    /// <summary>How the worker's arguments are read: no response files (an argument starting with <c>@</c> is a value).</summary>
    public static ParserConfiguration Parsing { get; } = new() { ResponseFileTokenReplacer = null };

    /// <summary>The commands that hold other commands: <c>letsdata tasks list</c>, <c>errors list</c>, <c>plugins reload</c>.</summary>
    private const string Tasks = "tasks", Errors = "errors", Plugins = "plugins";

    public static RootCommand Build()
    {
        var root = new RootCommand("LetsData for .NET: runs a dataset's tasks with its plugin, and inspects and operates them.")
        {
            Run(),
            Validate(),
            Group(Tasks, "The dataset's tasks: list, show, stop.", TasksList(), TasksShow(), TasksStop()),
            Status(),
            Ui(),
            Logs(),
            Group(Errors, "The dataset's error records: list.", ErrorsList()),
            Redrive(),
            Group(Plugins, "The running run's plugin: reload.", PluginsReload()),
            CompletionScriptCommand.Create(),
        };

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExitCodesAction((HelpAction)help.Action!);
        return root;
    }

    private static Command Run() => new("run", "Runs every task of the dataset and prints a summary; a run stopped with tasks left is continued by the next.")
    {
        Dataset(),
        PluginsFolder(),
        PluginCache(),
        Positive("--concurrency", "N", "tasks run in parallel (default: computeEngine.concurrency)", "a positive number"),
        Flag("--skip-validation", "leave out the smoke run of the first task's first records (the other initialization checks always run)"),
        Flag("--revalidate", "run the smoke run even when this plugin build and dataset passed it before (it is remembered in the state folder)"),
        Flag("--timings", "print where start-up and teardown time went (stopwatch spans) to standard error"),
        State(),
        TaskTable("the task records in this DynamoDB table, shared by many workers (created when missing; region, endpoint and credentials: the worker's standard AWS settings)"),
        Flag("--rerun-completed", "run COMPLETED tasks again (they are skipped otherwise)"),
        Flag("--watch-plugins", "reload the plugin when a new build lands in its folder (local plugins)"),
        Number<long>("--checkpoint-records", "N", "save a task's checkpoint every N records (default 10000)", "a positive whole number",
            v => Whole(v) is > 0 and var n ? n : (long?)null),
        Number<double>("--checkpoint-seconds", "S", "save a task's checkpoint every S seconds, whichever comes first (default 10)", "a positive number of seconds",
            v => Decimal(v) is > 0 and var s ? s : (double?)null),
        Flag("--no-checkpoints", "no mid-task checkpoints (a failed task starts over)"),
        Number<double>("--max-task-seconds", "S", "stop a task at a checkpoint after S seconds; it ends RERUN and the next run continues it",
            "a positive number of seconds", v => Decimal(v) is > 0 and var s ? s : (double?)null),
        Number<double>("--lease-seconds", "S", "how long a claimed task stays this worker's without renewal (default 120)",
            "a number of seconds of at least 1", v => Decimal(v) is >= 1 and var s ? s : (double?)null),
        Number<int>("--shard-index", "I", "take only shard I of the tasks (default: $JOB_COMPLETION_INDEX or $AWS_BATCH_JOB_ARRAY_INDEX)",
            "a whole number from 0", v => Whole(v) is >= 0 and <= int.MaxValue and var n ? (int)n : (int?)null),
        Number<int>("--shard-count", "N", "the tasks are split into N shards (default: $LETSDATA_SHARD_COUNT)", "a positive whole number",
            v => Whole(v) is > 0 and <= int.MaxValue and var n ? (int)n : (int?)null),
        InProcess(),
        Port("--metrics-port", "serve Prometheus metrics at http://127.0.0.1:P/metrics (OTLP: the standard OTEL_EXPORTER_OTLP_* variables)"),
        Port("--ui", "serve the status page at http://127.0.0.1:P/ while the run lasts"),
        Number<double>("--metrics-linger-seconds", "S", "keep the metrics endpoint and the status page up S seconds after the run (default 0)",
            "a number of seconds", v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0 && double.IsFinite(s) ? s : (double?)null),
        Flag("--create-destinations", "create the write connector's Kinesis stream, DynamoDB table or SQS queue when it does not exist; an existing one is left alone"),
    };

    private static Command Validate() => new("validate", "The initialization test: the dataset, the manifest, the plugin and a smoke run of the first task; lists every problem.")
    {
        Dataset(),
        PluginsFolder(),
        PluginCache(),
        InProcess(),
    };

    private static Command TasksList() => new("list", "The dataset's tasks: status, attempts, counters, worker and last error.")
    {
        Dataset(),
        Hidden(PluginsFolder()),
        Hidden(PluginCache()),
        TaskStatus(),
        Json(),
        State(),
        TaskTable(),
    };

    private static Command TasksShow() => new("show", "One task's record: files, lease, times, counters, last error, checkpoint.")
    {
        Dataset(),
        Hidden(PluginsFolder()),
        Hidden(PluginCache()),
        Task(required: true),
        Json(),
        State(),
        TaskTable(),
    };

    private static Command TasksStop() => new("stop", "Asks the dataset's running run to stop one task at its next checkpoint (it ends RERUN).")
    {
        Dataset(),
        Hidden(PluginsFolder()),
        Hidden(PluginCache()),
        Task(required: true),
        State(),
    };

    private static Command Status() => new("status", "The dataset's status (CREATED, PROCESSING, COMPLETED, ERRORED), its tasks per status and its counters.")
    {
        Dataset(),
        Hidden(PluginsFolder()),
        Hidden(PluginCache()),
        Json(),
        State(),
        TaskTable(),
    };

    private static Command Ui() => new("ui", "Serves the status page of the dataset's task records until stopped.")
    {
        Dataset(),
        Hidden(PluginsFolder()),
        Hidden(PluginCache()),
        Port("--port", $"serve the status page at http://127.0.0.1:P/ (default {CommandLine.DefaultUiPort})", CommandLine.DefaultUiPort),
        State(),
        TaskTable(),
    };

    private static Command Logs() => new("logs", "One task's log lines, kept in the state folder.")
    {
        Dataset(),
        Hidden(PluginsFolder()),
        Hidden(PluginCache()),
        Task(required: true),
        State(),
    };

    private static Command ErrorsList() => new("list", "The error records of the dataset's error connector (LocalFiles or S3).")
    {
        Dataset(),
        Hidden(PluginsFolder()),
        Hidden(PluginCache()),
        Task(required: false),
        Kind(),
        Positive("--limit", "N", "at most N records", "a positive number"),
        Json(),
        Hidden(State()),
        TaskTable(),
    };

    private static Command Redrive() => new("redrive", "Makes the dataset's errored tasks (or one) run again from their last checkpoint on the next run.")
    {
        Dataset(),
        Hidden(PluginsFolder()),
        Hidden(PluginCache()),
        Task(required: false),
        State(),
        TaskTable(),
    };

    private static Command PluginsReload() => new("reload", "Asks the dataset's running run to load the plugin's new build.")
    {
        Dataset(),
        PluginsFolder(),
        State(),
    };

    private static Command Group(string name, string description, params Command[] commands)
    {
        var group = new Command(name, description);
        foreach (var command in commands)
        {
            group.Subcommands.Add(command);
        }

        return group;
    }

    private static Option<string?> Dataset() => Text("--dataset", "FILE", "the dataset configuration (JSON)", required: true);

    private static Option<string?> PluginsFolder()
    {
        var option = Text("--plugins", "DIR", "folder of plugin folders");
        option.DefaultValueFactory = _ => "plugins";
        return option;
    }

    private static Option<string?> PluginCache() =>
        Text("--plugin-cache", "DIR", "where s3:// plugin zips are unpacked (default: $LETSDATA_PLUGIN_CACHE, else ~/.cache/letsdata/plugins)");

    private static Option<string?> State() =>
        Text("--state", "DIR", "the dataset's state: task records, and where a running run takes requests (default: .letsdata/state/<datasetName>/)");

    private static Option<string?> TaskTable(string description = "the task records in this DynamoDB table instead of the state folder") =>
        Text("--task-table", "NAME", description);

    private static Option<string?> Task(bool required) => Text("--task", "ID", "one task (task-0001, ...)", required);

    private static Option<string?> Text(string name, string helpName, string description, bool required = false) => LastWins(new Option<string?>(name)
    {
        HelpName = helpName,
        Description = description,
        Required = required,
        CustomParser = result => result.Tokens is [.., var last] ? last.Value : null,
    });

    // An option given twice takes its last value, so a script can override its defaults by appending (`$DEFAULTS
    // --concurrency 4`). Each occurrence still takes one value: a word after it is not a second one.
    private static Option<T> LastWins<T>(Option<T> option)
    {
        option.Arity = ArgumentArity.OneOrMore;
        option.AllowMultipleArgumentsPerToken = false;
        return option;
    }

    private static Option<bool> Json() => Flag("--json", "one JSON array instead of a table");

    private static Option<bool> InProcess() => Flag("--in-process",
        "load the plugin into this process instead of confined data-task processes: no operating-system fence (development and benchmarks only)");

    private static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    private static Option<T> Hidden<T>(Option<T> option)
    {
        option.Hidden = true;
        return option;
    }

    private static Option<TaskRecordStatus?> TaskStatus()
    {
        var option = Number("--status", "S", "only tasks in this status: CREATED, PROCESSING, COMPLETED, ERRORED or RERUN",
            "CREATED, PROCESSING, COMPLETED, ERRORED or RERUN", v => TaskRecordStatuses.TryParse(v, out var status) ? status : (TaskRecordStatus?)null);
        option.CompletionSources.Clear(); // the enum's own names are not how statuses are written
        option.CompletionSources.Add("CREATED", "PROCESSING", "COMPLETED", "ERRORED", "RERUN");
        return option;
    }

    private static Option<string?> Kind()
    {
        var option = LastWins(new Option<string?>("--kind")
        {
            HelpName = "K",
            Description = "only ErrorDoc (a record the plugin rejected) or TaskError records",
            CustomParser = result => Checked(result, "ErrorDoc or TaskError", v => v is "ErrorDoc" or "TaskError" ? v : null, (string?)null),
        });
        option.CompletionSources.Add("ErrorDoc", "TaskError");
        return option;
    }

    private static Option<int?> Positive(string name, string helpName, string description, string wanted) =>
        Number(name, helpName, description, wanted, v => Whole(v) is > 0 and <= int.MaxValue and var n ? (int)n : (int?)null);

    private static Option<int?> Port(string name, string description, int? byDefault = null)
    {
        var option = Number(name, "P", description, "a port number (1 to 65535)", v => Whole(v) is > 0 and <= 65535 and var port ? (int)port : (int?)null);
        if (byDefault is not null)
        {
            option.DefaultValueFactory = _ => byDefault;
        }

        return option;
    }

    private static Option<T?> Number<T>(string name, string helpName, string description, string wanted, Func<string, T?> parse)
        where T : struct => LastWins(new Option<T?>(name)
        {
            HelpName = helpName,
            Description = description,
            CustomParser = result => Checked(result, wanted, parse, (T?)null),
        });

    // The value of an option's one token, or a parse error that names the option, what it wants and what it got.
    private static TValue Checked<TValue>(System.CommandLine.Parsing.ArgumentResult result, string wanted, Func<string, TValue> parse, TValue none)
    {
        if (result.Tokens is not [.., var token])
        {
            return none; // a missing value is the parser's own error
        }

        if (parse(token.Value) is { } value)
        {
            return value;
        }

        var option = (result.Parent as System.CommandLine.Parsing.OptionResult)?.Option.Name ?? result.Argument.Name;
        result.AddError($"{option} must be {wanted}, not '{token.Value}'");
        return none;
    }

    private static long? Whole(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var whole) ? whole : null;

    private static double? Decimal(string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) ? number : null;
}
