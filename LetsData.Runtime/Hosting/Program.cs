using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Confinement;
using LetsData.Runtime.DataTasks;
using LetsData.Runtime.Hosting;
using LetsData.Runtime.Observability.Logging;
using Microsoft.Extensions.Logging;

if (args is [DataTaskLaunch.Command, DataTaskLaunch.ConfineOption or DataTaskLaunch.ConfineFromInputOption, ..])
{
    // Stage 1 of a confined data-task process: confine this thread, then become stage 2 (the exec keeps the fence). Its
    // policy is an argument, or, for a process started before the dataset was read, the first thing on standard input.
    var started = System.Diagnostics.Stopwatch.GetTimestamp();
    string stage1Policy;
    Dictionary<string, string> environment;
    if (args is [_, DataTaskLaunch.ConfineOption, var policyArgument])
    {
        stage1Policy = policyArgument;
        environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
    }
    else
    {
        try
        {
            (stage1Policy, environment) = DataTaskLaunch.ReadConfinementFrame(Console.OpenStandardInput());
        }
        catch (EndOfStreamException)
        {
            return ExitCodes.Failed; // the supervisor went away (or stopped the run) before the dataset was ready
        }
    }

    var hadPolicy = System.Diagnostics.Stopwatch.GetTimestamp();
    var (program, argv) = DataTaskLaunch.ConfinedCommand(stage1Policy);
    var policy = DataTaskLaunch.Decode(stage1Policy);
    environment[DataTaskBoot.Stage1Variable] = DataTaskBoot.Stage1Value(started, hadPolicy, System.Diagnostics.Stopwatch.GetTimestamp());
    ProcessConfinement.ConfineThenExec(policy, program, argv, environment);
    return ExitCodes.Failed; // not reached: ConfineThenExec throws when it cannot exec
}

if (args is [DataTaskLaunch.Command, ..])
{
    // Stage 2 (or an unconfined data-task process): the system-call filter goes on before anything else runs but a
    // bridge project's host, which must be started before it (the filter refuses exec) and keeps the Landlock fence.
    DataTaskBoot.MarkStage1FromEnvironment();
    DataTaskBoot.Mark("runtime start, data-task process");
    var bridgeHost = args is [_, DataTaskLaunch.ConfinedOption, _] ? LetsData.Runtime.Bridge.BridgePrestart.StartFromEnvironment() : null;
    IReadOnlyList<string> confinement = args is [_, DataTaskLaunch.ConfinedOption, var stage2Policy]
        ? DescribeConfinement((ConfinementReport.FromStage1Variable() ?? new ConfinementReport([], ["stage 1 did not report"]))
            .Concat(InstallSeccompFilter(DataTaskLaunch.Decode(stage2Policy))))
        : [$"MISSING: no operating-system confinement on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}: the process has a clean environment and no worker credentials, nothing more"];
    confinement = bridgeHost is null ? confinement : [.. confinement, bridgeHost];
    DataTaskBoot.Mark("seccomp filter");
    var ahead = bridgeHost is null ? PreparationAhead.StartFromEnvironment() : null;
    // A data-task process, started by a supervisor: no console lifetime (its stop comes over the channel); every log
    // line goes to standard error, since standard output is the control channel.
    using var dataTaskLog = new StandardErrorLoggers();
    var dataTaskLogger = dataTaskLog.CreateLogger("LetsData.DataTask");
    DataTaskBoot.Mark("logging");
    var exit = await new DataTaskProcessMain(dataTaskLogger) { Ahead = ahead }.RunAsync(confinement).ConfigureAwait(false);
    dataTaskLog.Dispose();
    ImmediateExit.Now(exit);
    return exit;
}

if (args is ["run" or "validate", ..])
{
    // Both read a dataset first; the JSON metadata for it is built on the other core meanwhile.
    LetsData.Runtime.Datasets.DatasetLoader.StartWarmUp();
}

// Help, completions and a command line it cannot use are answered here, before the host or the credentials are touched.
if (WorkerCommandLine.Read(args, Console.Out, Console.Error, out var answered) is not { } commandLine)
{
    return answered;
}

// Before anything can load plugin code: the worker's AWS credentials move into memory and out of the environment,
// so that a plugin reading AWS_SECRET_ACCESS_KEY finds nothing; every client the runtime makes signs from memory.
var workerCredentials = RuntimeCredentials.CaptureForProcess();

// No host: the commands are built here, the log is standard error's (stdout carries only the summary and the progress
// line), and a stop signal cancels the command (see StopSignals). Start-up time matters, and a host's set-up was part of it.
using var loggers = new StandardErrorLoggers();
using var signals = new StopSignals();
if (workerCredentials.Credentials is not null)
{
    loggers.CreateLogger("LetsData.Credentials").LogInformation(
        "worker AWS credentials from {Source} held in memory; {Variables} removed from the environment",
        workerCredentials.Source, string.Join(", ", WorkerCredentials.ScrubbedVariables));
}

var stopping = signals.Token;
int exitCode;
try
{
    exitCode = commandLine.Command switch
    {
        "run" => await new RunCommand(new ProgressReporter(new Logger<ProgressReporter>(loggers)), new Logger<RunCommand>(loggers))
            .ExecuteAsync(commandLine, Console.Out, stopping),
        "validate" => await new ValidateCommand(new Logger<ValidateCommand>(loggers)).ExecuteAsync(commandLine, Console.Out, stopping),
        CommandLine.PluginsReload => await new PluginsReloadCommand(new Logger<PluginsReloadCommand>(loggers)).ExecuteAsync(commandLine, Console.Out, stopping),
        _ => await new TaskStateCommands().ExecuteAsync(commandLine, Console.Out, Console.Error, stopping),
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

return exitCode;

static ConfinementReport InstallSeccompFilter(ConfinementPolicy policy)
{
    DataTaskBoot.Mark("stage 1's report and the policy read");
    return ProcessConfinement.InstallSeccompFilter(policy);
}

static IReadOnlyList<string> DescribeConfinement(ConfinementReport report) =>
    [.. report.Applied.Select(a => $"confined: {a}"), .. report.Missing.Select(m => $"MISSING: {m}")];
