namespace LetsData.Runtime.Hosting;

/// <summary>The parsed command line: <c>letsdata (run|validate|tasks list|tasks show|tasks stop|status|ui|logs|errors list|redrive|plugins reload) --dataset FILE [options]</c>.</summary>
public sealed record CommandLine(string Command, string DatasetFile, string PluginsDirectory, int? Concurrency)
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

    /// <summary>
    /// Parses <paramref name="args"/> (a command and its options, as <c>letsdata</c> takes them); returns null with a
    /// one-line <paramref name="error"/> for anything it cannot use. Help and completions: <see cref="WorkerCommandLine"/>.
    /// </summary>
    public static CommandLine? TryParse(IReadOnlyList<string> args, out string? error) =>
        CommandLineBinder.TryBind(CommandLineSyntax.Build().Parse(args, CommandLineSyntax.Parsing), out error);
}
