namespace LetsData.Runtime.Hosting;

/// <summary>The parsed command line: <c>letsdata (run|validate|plugins reload) --dataset FILE [--plugins DIR] [--concurrency N]</c>.</summary>
public sealed record CommandLine(string Command, string DatasetFile, string PluginsDirectory, int? Concurrency)
{
    /// <summary><c>--plugin-cache DIR</c>: where <c>s3://</c> plugin zips are unpacked; null: <c>LETSDATA_PLUGIN_CACHE</c>, else the user's cache folder.</summary>
    public string? PluginCacheDirectory { get; init; }

    /// <summary><c>--skip-validation</c> (run): start the tasks without the smoke run of the initialization test.</summary>
    public bool SkipValidation { get; init; }

    /// <summary><c>--watch-plugins</c> (run): reload the plugin when a new build lands in its folder.</summary>
    public bool WatchPlugins { get; init; }

    /// <summary><c>--state-dir DIR</c>: where <c>run</c> and <c>plugins reload</c> meet; null: <c>LETSDATA_STATE_DIR</c>, else a folder under the temp folder.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>The command for <c>letsdata plugins reload</c>.</summary>
    public const string PluginsReload = "plugins reload";

    public const string Usage = """
        Usage:
          letsdata run      --dataset FILE [--plugins DIR] [--plugin-cache DIR] [--concurrency N] [--skip-validation]
                            [--watch-plugins] [--state-dir DIR]
          letsdata validate --dataset FILE [--plugins DIR] [--plugin-cache DIR]
          letsdata plugins reload --dataset FILE [--plugins DIR] [--state-dir DIR]

          --dataset FILE      the dataset configuration (JSON)
          --plugins DIR       folder of plugin folders (default: ./plugins)
          --plugin-cache DIR  where s3:// plugin zips are unpacked (default: $LETSDATA_PLUGIN_CACHE,
                              else ~/.cache/letsdata/plugins)
          --concurrency N     tasks run in parallel (default: computeEngine.concurrency)
          --skip-validation   run: skip the smoke run of the first task's first records that otherwise
                              precedes the run (the other initialization checks always run)
          --watch-plugins     reload the plugin when a new build lands in its folder (local plugins)
          --state-dir DIR     where 'run' and 'plugins reload' meet (default: $LETSDATA_STATE_DIR,
                              else <temp>/letsdata-state)

        Exit codes: 0 all tasks completed / dataset valid, 1 a task errored / validation found problems,
        2 unusable input (command line, dataset, manifest or plugin).
        """;

    /// <summary>Parses <paramref name="args"/>; returns null with an <paramref name="error"/> for anything it does not understand.</summary>
    public static CommandLine? TryParse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            error = "";
            return null;
        }

        var command = args[0];
        var first = 1;
        if (command == "plugins")
        {
            if (args.Count < 2 || args[1] != "reload")
            {
                error = "'plugins' needs a subcommand: plugins reload";
                return null;
            }

            command = PluginsReload;
            first = 2;
        }
        else if (command is not ("run" or "validate"))
        {
            error = $"unknown command '{command}'";
            return null;
        }

        string? dataset = null;
        var plugins = "plugins";
        int? concurrency = null;
        string? pluginCache = null;
        var skipValidation = false;
        string? stateDirectory = null;
        var watchPlugins = false;
        for (var i = first; i < args.Count; i++)
        {
            var option = args[i];
            if (option == "--skip-validation" && command == "run")
            {
                skipValidation = true;
                continue;
            }

            if (option == "--watch-plugins" && command == "run")
            {
                watchPlugins = true;
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
                case "--state-dir" when command != "validate":
                    stateDirectory = value;
                    break;
                case "--concurrency" when command == "run" && int.TryParse(value, out var n) && n > 0:
                    concurrency = n;
                    break;
                case "--concurrency" when command == "run":
                    error = $"--concurrency must be a positive number, not '{value}'";
                    return null;
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

        return new CommandLine(command, dataset, plugins, concurrency)
        {
            PluginCacheDirectory = pluginCache,
            SkipValidation = skipValidation,
            WatchPlugins = watchPlugins,
            StateDirectory = stateDirectory,
        };
    }
}
