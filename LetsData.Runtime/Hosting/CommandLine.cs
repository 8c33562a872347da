namespace LetsData.Runtime.Hosting;

/// <summary>The parsed command line: <c>letsdata (run|validate|tasks list|tasks show|tasks stop|status|ui|logs|errors list|redrive|plugins reload) --dataset FILE [options]</c>.</summary>
public sealed partial record CommandLine(string Command, string DatasetFile, string PluginsDirectory, int? Concurrency)
{
    /// <summary><c>--plugin-cache DIR</c>: where <c>s3://</c> plugin zips are unpacked; null: <c>LETSDATA_PLUGIN_CACHE</c>, else the user's cache folder.</summary>
    public string? PluginCacheDirectory { get; init; }

    /// <summary><c>--skip-validation</c> (run): start the tasks without the smoke run of the initialization test.</summary>
    public bool SkipValidation { get; init; }

    /// <summary><c>--revalidate</c> (run): run the initialization test's smoke run even when this plugin build and dataset passed it before.</summary>
    public bool Revalidate { get; init; }

    /// <summary><c>--timings</c> (run): print where start-up and teardown time went (stopwatch spans) to standard error.</summary>
    public bool Timings { get; init; }

    /// <summary>
    /// <c>--state DIR</c>: the dataset's state folder (task records; the control files through which
    /// <c>plugins reload</c> reaches a running <c>run</c>); null: <c>.letsdata/state/&lt;datasetName&gt;/</c>.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>
    /// <c>--task-table NAME</c>: the task records live in this DynamoDB table (shared by many workers) instead of the
    /// local state folder; <c>run</c> creates it when missing.
    /// </summary>
    public string? TaskTable { get; init; }

    /// <summary><c>--watch-plugins</c> (run): reload the plugin when a new build lands in its folder.</summary>
    public bool WatchPlugins { get; init; }

    /// <summary>
    /// <c>--in-process</c>: the plugin runs inside this process, with no operating-system fence (development, benchmarks).
    /// By default <c>run</c> and <c>validate</c> supervise confined data-task processes that hold the plugin.
    /// </summary>
    public bool InProcess { get; init; }

    /// <summary>The command for <c>letsdata plugins reload</c>.</summary>
    public const string PluginsReload = "plugins reload";

    /// <summary>The command for <c>letsdata tasks stop</c>.</summary>
    public const string TasksStop = "tasks stop";

    /// <summary>The command for <c>letsdata logs</c>.</summary>
    public const string Logs = "logs";

    /// <summary>The command for <c>letsdata status</c>.</summary>
    public const string Status = "status";

    /// <summary><c>--metrics-port P</c> (run): serve Prometheus metrics at <c>http://127.0.0.1:P/metrics</c>.</summary>
    public int? MetricsPort { get; init; }

    /// <summary><c>--metrics-linger-seconds S</c> (run): keep the metrics exporters and the status page up S seconds after the run ends.</summary>
    public double MetricsLingerSeconds { get; init; }

    /// <summary>The command for <c>letsdata ui</c>.</summary>
    public const string Ui = "ui";

    /// <summary><c>--ui P</c> (run) or <c>--port P</c> (ui): serve the status page at <c>http://127.0.0.1:P/</c>.</summary>
    public int? UiPort { get; init; }

    /// <summary>The status page's port when <c>letsdata ui</c> is given none.</summary>
    public const int DefaultUiPort = 7070;

    /// <summary><c>--create-destinations</c> (run): create a missing Kinesis stream, DynamoDB table or SQS queue before the tasks start.</summary>
    public bool CreateDestinations { get; init; }

    /// <summary><c>--rerun-completed</c> (run): run COMPLETED tasks again instead of skipping them.</summary>
    public bool RerunCompleted { get; init; }

    /// <summary>The options of <c>tasks list|show</c>, <c>errors list</c> and <c>redrive</c>.</summary>
    public TaskCommandOptions TaskOptions { get; init; } = new();

    /// <summary><c>run</c>'s checkpoint, time-box, lease and shard options.</summary>
    public WorkerOptions Worker { get; init; } = new();

    public const string Usage = """
        Usage:
          letsdata run      --dataset FILE [--plugins DIR] [--plugin-cache DIR] [--concurrency N] [--skip-validation]
                            [--state DIR | --task-table NAME] [--rerun-completed] [--watch-plugins]
                            [--checkpoint-records N] [--checkpoint-seconds S] [--no-checkpoints]
                            [--max-task-seconds S] [--lease-seconds S] [--shard-index I --shard-count N] [--in-process]
                            [--metrics-port P] [--ui P] [--metrics-linger-seconds S] [--create-destinations]
                            [--revalidate] [--timings]
          letsdata validate --dataset FILE [--plugins DIR] [--plugin-cache DIR] [--in-process]
          letsdata plugins reload --dataset FILE [--plugins DIR] [--state DIR]
          letsdata tasks list  --dataset FILE [--status S] [--json] [--state DIR | --task-table NAME]
          letsdata tasks show  --dataset FILE --task ID [--json] [--state DIR | --task-table NAME]
          letsdata tasks stop  --dataset FILE --task ID [--state DIR]
          letsdata status      --dataset FILE [--json] [--state DIR | --task-table NAME]
          letsdata ui          --dataset FILE [--port P] [--state DIR | --task-table NAME]
          letsdata logs        --dataset FILE --task ID [--state DIR]
          letsdata errors list --dataset FILE [--task ID] [--kind K] [--limit N] [--json] [--task-table NAME]
          letsdata redrive     --dataset FILE [--task ID] [--state DIR | --task-table NAME]

          --dataset FILE      the dataset configuration (JSON)
          --plugins DIR       folder of plugin folders (default: ./plugins)
          --plugin-cache DIR  where s3:// plugin zips are unpacked (default: $LETSDATA_PLUGIN_CACHE,
                              else ~/.cache/letsdata/plugins)
          --concurrency N     tasks run in parallel (default: computeEngine.concurrency)
          --skip-validation   run: skip the smoke run of the first task's first records that otherwise
                              precedes the run (the other initialization checks always run)
          --revalidate        run: smoke-run even when this plugin build (by hash) and dataset passed it
                              before (by default a pass is remembered in the state folder and not repeated)
          --timings           run: print where the time went (start-up spans, task, teardown) to stderr
          --state DIR         the dataset's state: task records, and where 'run' and 'plugins reload' meet
                              (default: .letsdata/state/<datasetName>/)
          --task-table NAME   the task records in this DynamoDB table, shared by many workers (run creates it;
                              region, endpoint and credentials: the worker's standard AWS settings)
          --rerun-completed   run: run COMPLETED tasks again (they are skipped otherwise)
          --create-destinations  run: create the write connector's Kinesis stream (kinesisShardCount shards),
                              DynamoDB table or SQS queue when it does not exist; an existing one is left alone
          --watch-plugins     run: reload the plugin when a new build lands in its folder (local plugins)
          --checkpoint-records N, --checkpoint-seconds S
                              run: save a task's checkpoint every N records or S seconds, whichever
                              comes first (default 10000 and 10); --no-checkpoints: never mid-task
          --max-task-seconds S  run: stop a task at a checkpoint after S seconds; it ends RERUN and the
                              next run continues it
          --lease-seconds S   run: how long a claimed task stays this worker's without renewal (default 120)
          --shard-index I, --shard-count N
                              run: take only shard I of N of the tasks (default index: $JOB_COMPLETION_INDEX
                              or $AWS_BATCH_JOB_ARRAY_INDEX; count: $LETSDATA_SHARD_COUNT)
          --in-process        run, validate: load the plugin into this process instead of confined data-task
                              processes: no operating-system fence (for development and benchmarks only)
          --metrics-port P    run: serve Prometheus metrics at http://127.0.0.1:P/metrics (OTLP: the standard
                              OTEL_EXPORTER_OTLP_* variables)
          --ui P              run: serve a status page at http://127.0.0.1:P/ while the run lasts
          --port P            ui: serve the status page of the dataset's task records at
                              http://127.0.0.1:P/ until stopped (default 7070)
          --metrics-linger-seconds S
                              run: keep the metrics endpoint and status page up S seconds after the run
                              (default 0)
          --status S          CREATED, PROCESSING, COMPLETED, ERRORED or RERUN
          --task ID           one task (task-0001, ...)
          --kind K            errors list: only ErrorDoc (a record the plugin rejected) or TaskError records
          --limit N           errors list: at most N records
          --json              one JSON array instead of a table

        Exit codes: 0 all tasks completed / dataset valid, 1 a task errored / validation found problems,
        2 unusable input (command line, dataset, manifest or plugin), 3 run stopped with tasks left
        (a stop signal, the time box, tasks not started): run again to continue.
        """;

    /// <summary>
    /// The help <paramref name="args"/> ask for: everything for <c>letsdata --help</c> (or no arguments), one command's
    /// synopsis and options for <c>letsdata COMMAND ... --help</c>; null when they ask for none.
    /// </summary>
    public static string? HelpFor(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            return Usage;
        }

        if (!args.Skip(1).Any(a => a is "-h" or "--help"))
        {
            return null;
        }

        var command = args.Count > 1 && args[0] is "tasks" or "errors" or "plugins" && !args[1].StartsWith('-') ? $"{args[0]} {args[1]}" : args[0];
        return UsageOf(command) ?? Usage;
    }

    // One command's part of Usage: its synopsis (the line naming it and the more indented lines continuing it), the
    // descriptions of the options that synopsis names, and the exit codes; cut from Usage so the two cannot drift apart.
    private static string? UsageOf(string command)
    {
        var lines = Usage.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith($"  letsdata {command} ", StringComparison.Ordinal));
        if (start < 0)
        {
            return null;
        }

        var synopsis = lines.Skip(start).TakeWhile((l, i) => i == 0 || l.StartsWith("    ", StringComparison.Ordinal)).ToList();
        var named = OptionName().Matches(string.Join(' ', synopsis)).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

        // An option's description starts with its names at two spaces and runs on in the lines indented further.
        var options = new List<string>();
        var taking = false;
        foreach (var line in lines.SkipWhile(l => !l.StartsWith("  --", StringComparison.Ordinal)).TakeWhile(l => l.Trim().Length > 0))
        {
            if (line.StartsWith("  --", StringComparison.Ordinal))
            {
                taking = OptionName().Matches(line[2..].Split("  ")[0]).Any(m => named.Contains(m.Value));
            }

            if (taking)
            {
                options.Add(line);
            }
        }

        var exitCodes = lines.SkipWhile(l => !l.StartsWith("Exit codes", StringComparison.Ordinal));
        return string.Join('\n', ["Usage:", .. synopsis, "", .. options, "", .. exitCodes]);
    }

    private static bool TryParsePort(string value, out int port) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
        && port is > 0 and <= 65535;

    [System.Text.RegularExpressions.GeneratedRegex("--[a-z-]+")]
    private static partial System.Text.RegularExpressions.Regex OptionName();

    /// <summary>Parses <paramref name="args"/>; returns null with an <paramref name="error"/> for anything it does not understand.</summary>
    public static CommandLine? TryParse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        if (HelpFor(args) is not null)
        {
            error = "";
            return null;
        }

        var command = args[0];
        var first = 1;
        if (command is "tasks" or "errors" or "plugins" && args.Count > 1 && !args[1].StartsWith('-'))
        {
            command = $"{command} {args[1]}";
            first = 2;
        }

        if (command == "plugins")
        {
            error = "'plugins' needs a subcommand: plugins reload";
            return null;
        }

        if (command is not ("run" or "validate" or "redrive" or PluginsReload or TasksStop or Logs or Status or Ui) && !TaskCommandOptions.Commands.Contains(command))
        {
            error = $"unknown command '{command}'";
            return null;
        }

        string? dataset = null;
        var plugins = "plugins";
        int? concurrency = null;
        string? pluginCache = null;
        var skipValidation = false;
        var revalidate = false;
        var timings = false;
        string? state = null;
        string? taskTable = null;
        var rerunCompleted = false;
        var createDestinations = false;
        var watchPlugins = false;
        var inProcess = false;
        int? metricsPort = null;
        int? uiPort = command == Ui ? DefaultUiPort : null;
        var metricsLinger = 0.0;
        var taskOptions = new TaskCommandOptions();
        var worker = new WorkerOptions();
        for (var i = first; i < args.Count; i++)
        {
            var option = args[i];
            if (option == "--skip-validation" && command == "run")
            {
                skipValidation = true;
                continue;
            }

            if (option == "--revalidate" && command == "run")
            {
                revalidate = true;
                continue;
            }

            if (option == "--timings" && command == "run")
            {
                timings = true;
                continue;
            }

            if (option == "--rerun-completed" && command == "run")
            {
                rerunCompleted = true;
                continue;
            }

            if (option == "--create-destinations" && command == "run")
            {
                createDestinations = true;
                continue;
            }

            if (option == "--watch-plugins" && command == "run")
            {
                watchPlugins = true;
                continue;
            }

            if (option == "--in-process" && command is "run" or "validate")
            {
                inProcess = true;
                continue;
            }

            if (option == "--no-checkpoints" && command == "run")
            {
                worker = worker with { CheckpointsOff = true };
                continue;
            }

            if (option == "--json" && command is "tasks list" or "tasks show" or "errors list" or Status)
            {
                taskOptions = taskOptions with { Json = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"option {option} needs a value";
                return null;
            }

            var value = args[++i];
            switch (option)
            {
                case "--dataset":
                    dataset = value;
                    break;
                case "--plugins":
                    plugins = value;
                    break;
                case "--plugin-cache" when command != PluginsReload:
                    pluginCache = value;
                    break;
                case "--state" when command != "validate":
                    state = value;
                    break;
                case "--task-table" when command is "run" or "redrive" or "tasks list" or "tasks show" or "errors list" or Status or Ui:
                    taskTable = value;
                    break;
                case "--task" when command is "tasks show" or "errors list" or "redrive" or TasksStop or Logs:
                    taskOptions = taskOptions with { TaskId = value };
                    break;
                case "--limit" when command == "errors list":
                    if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit) || limit < 1)
                    {
                        error = $"--limit must be a positive number, not '{value}'";
                        return null;
                    }

                    taskOptions = taskOptions with { Limit = limit };
                    break;
                case "--kind" when command == "errors list":
                    if (value is not ("ErrorDoc" or "TaskError"))
                    {
                        error = $"--kind must be ErrorDoc or TaskError, not '{value}'";
                        return null;
                    }

                    taskOptions = taskOptions with { Kind = value };
                    break;
                case "--status" when command == "tasks list":
                    if (!State.TaskRecordStatuses.TryParse(value, out var status))
                    {
                        error = $"--status must be CREATED, PROCESSING, COMPLETED, ERRORED or RERUN, not '{value}'";
                        return null;
                    }

                    taskOptions = taskOptions with { Status = status };
                    break;
                case "--concurrency" when command == "run" && int.TryParse(value, out var n) && n > 0:
                    concurrency = n;
                    break;
                case "--concurrency" when command == "run":
                    error = $"--concurrency must be a positive number, not '{value}'";
                    return null;
                case "--metrics-port" or "--ui" when command == "run":
                case "--port" when command == Ui:
                    if (!TryParsePort(value, out var port))
                    {
                        error = $"{option} must be a port number (1 to 65535), not '{value}'";
                        return null;
                    }

                    if (option == "--metrics-port")
                    {
                        metricsPort = port;
                    }
                    else
                    {
                        uiPort = port;
                    }

                    break;
                case "--metrics-linger-seconds" when command == "run" && double.TryParse(value, System.Globalization.NumberStyles.Float,
                    System.Globalization.CultureInfo.InvariantCulture, out var linger) && linger >= 0 && double.IsFinite(linger):
                    metricsLinger = linger;
                    break;
                case "--metrics-linger-seconds" when command == "run":
                    error = $"--metrics-linger-seconds must be a number of seconds, not '{value}'";
                    return null;
                case "--checkpoint-records" or "--checkpoint-seconds" or "--max-task-seconds" or "--lease-seconds"
                    or "--shard-index" or "--shard-count" when command == "run":
                    if (!WorkerOptions.TryApply(worker, option, value, out worker, out error))
                    {
                        return null;
                    }

                    break;
                default:
                    error = $"unknown option {option} for '{command}'";
                    return null;
            }
        }

        if (dataset is null)
        {
            error = "--dataset FILE is required";
            return null;
        }

        if (state is not null && taskTable is not null)
        {
            error = "--state and --task-table name two different task stores; give one";
            return null;
        }

        if (metricsLinger > 0 && metricsPort is null && uiPort is null)
        {
            error = "--metrics-linger-seconds keeps the --metrics-port endpoint or the --ui page up; give one of them too";
            return null;
        }

        if (metricsPort is not null && metricsPort == uiPort)
        {
            error = $"--metrics-port and --ui both name port {uiPort}; give them different ports";
            return null;
        }

        if (command is "tasks show" or TasksStop or Logs && taskOptions.TaskId is null)
        {
            error = "--task ID is required";
            return null;
        }

        return new CommandLine(command, dataset, plugins, concurrency)
        {
            PluginCacheDirectory = pluginCache,
            SkipValidation = skipValidation,
            Revalidate = revalidate,
            Timings = timings,
            StateDirectory = state,
            TaskTable = taskTable,
            RerunCompleted = rerunCompleted,
            CreateDestinations = createDestinations,
            WatchPlugins = watchPlugins,
            InProcess = inProcess,
            MetricsPort = metricsPort,
            MetricsLingerSeconds = metricsLinger,
            UiPort = uiPort,
            TaskOptions = taskOptions,
            Worker = worker,
        };
    }
}
