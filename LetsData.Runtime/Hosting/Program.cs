using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Confinement;
using LetsData.Runtime.DataTasks;
using LetsData.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args is [DataTaskLaunch.Command, DataTaskLaunch.ConfineOption, var stage1Policy])
{
    // Stage 1 of a confined data-task process: confine this thread, then become stage 2 (the exec keeps the fence).
    var (program, argv) = DataTaskLaunch.ConfinedCommand(stage1Policy);
    var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
    ProcessConfinement.ConfineThenExec(DataTaskLaunch.Decode(stage1Policy), program, argv, environment);
    return ExitCodes.Failed; // not reached: ConfineThenExec throws when it cannot exec
}

if (args is [DataTaskLaunch.Command, ..])
{
    // Stage 2 (or an unconfined data-task process): the system-call filter goes on before anything else runs but a
    // bridge project's host, which must be started before it (the filter refuses exec) and keeps the Landlock fence.
    var bridgeHost = args is [_, DataTaskLaunch.ConfinedOption, _] ? LetsData.Runtime.Bridge.BridgePrestart.StartFromEnvironment() : null;
    IReadOnlyList<string> confinement = args is [_, DataTaskLaunch.ConfinedOption, var stage2Policy]
        ? DescribeConfinement((ConfinementReport.FromStage1Variable() ?? new ConfinementReport([], ["stage 1 did not report"]))
            .Concat(ProcessConfinement.InstallSeccompFilter(DataTaskLaunch.Decode(stage2Policy))))
        : [$"MISSING: no operating-system confinement on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}: the process has a clean environment and no worker credentials, nothing more"];
    confinement = bridgeHost is null ? confinement : [.. confinement, bridgeHost];
    // A data-task process, started by a supervisor: no host, no console lifetime (its stop comes over the channel).
    using var loggers = LoggerFactory.Create(logging =>
    {
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }).AddFilter(level => level >= LogLevel.Information);
        // Standard output is the control channel: every log line goes to standard error.
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    });
    var dataTaskLogger = loggers.CreateLogger("LetsData.DataTask");
    var exit = await new DataTaskProcessMain(dataTaskLogger).RunAsync(confinement).ConfigureAwait(false);
    loggers.Dispose();
    ImmediateExit.Now(exit);
    return exit;
}

// Help, completions and a command line it cannot use are answered here, before the host or the credentials are touched.
if (WorkerCommandLine.Read(args, Console.Out, Console.Error, out var answered) is not { } commandLine)
{
    return answered;
}

// Before anything can load plugin code: the worker's AWS credentials move into memory and out of the environment,
// so that a plugin reading AWS_SECRET_ACCESS_KEY finds nothing; every client the runtime makes signs from memory.
var workerCredentials = RuntimeCredentials.CaptureForProcess();

// No configuration files to look for: the dataset file is the configuration, and start-up time matters.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss ";
});
// Logs go to stderr so that stdout carries only the summary and the progress line.
builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
builder.Services.AddSingleton<ProgressReporter>();
builder.Services.AddSingleton<RunCommand>();
builder.Services.AddSingleton<ValidateCommand>();
builder.Services.AddSingleton<TaskStateCommands>();
builder.Services.AddSingleton<PluginsReloadCommand>();

using var host = builder.Build();
if (workerCredentials.Credentials is not null)
{
    host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LetsData.Credentials").LogInformation(
        "worker AWS credentials from {Source} held in memory; {Variables} removed from the environment",
        workerCredentials.Source, string.Join(", ", WorkerCredentials.ScrubbedVariables));
}
await host.StartAsync();
var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
int exitCode;
try
{
    exitCode = commandLine.Command switch
    {
        "run" => await host.Services.GetRequiredService<RunCommand>().ExecuteAsync(commandLine, Console.Out, stopping),
        "validate" => await host.Services.GetRequiredService<ValidateCommand>().ExecuteAsync(commandLine, Console.Out, stopping),
        CommandLine.PluginsReload => await host.Services.GetRequiredService<PluginsReloadCommand>().ExecuteAsync(commandLine, Console.Out, stopping),
        _ => await host.Services.GetRequiredService<TaskStateCommands>().ExecuteAsync(commandLine, Console.Out, Console.Error, stopping),
    };
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // The commands turn what they expect into problems; this is the last word for the rest: one sentence, no stack
    // trace unless asked for. A file the worker was pointed at is unusable input; anything else is a fault of ours.
    const string StackTraceVariable = "LETSDATA_STACK_TRACE";
    var fileProblem = e is IOException or UnauthorizedAccessException;
    Console.Error.WriteLine(fileProblem ? $"letsdata: {e.Message}" : $"letsdata: internal error: {e.Message} (a fault of the worker; {StackTraceVariable}=1 shows where)");
    if (Environment.GetEnvironmentVariable(StackTraceVariable) == "1")
    {
        Console.Error.WriteLine(e);
    }

    exitCode = fileProblem ? ExitCodes.UnusableInput : ExitCodes.Failed;
}

await host.StopAsync();
return exitCode;

static IReadOnlyList<string> DescribeConfinement(ConfinementReport report) =>
    [.. report.Applied.Select(a => $"confined: {a}"), .. report.Missing.Select(m => $"MISSING: {m}")];
