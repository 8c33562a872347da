using System.CommandLine;
using LetsData.Runtime.Hosting;

namespace LetsData.Runtime.Tests.Hosting;

/// <summary>Help per command, suggestions for unknown words, completions, and options that contradict each other.</summary>
public class CommandLineTests
{
    // The help names the program as it was started: letsdata for the worker, the test host here.
    private static readonly string Program = RootCommand.ExecutableName;

    [Test]
    public void HelpAfterACommand_ShowsThatCommandsOptionsOnly()
    {
        var (exitCode, help, errors) = Read("run", "--dataset", "d.json", "--help");

        Assert.That((exitCode, errors), Is.EqualTo((0, "")));
        Assert.That(help, Does.Contain($"{Program} run [options]").And.Contain("--max-task-seconds <S>").And.Contain("--lease-seconds <S>").And.Contain("Exit codes"));
        Assert.That(help, Does.Not.Contain($"{Program} validate").And.Not.Contain("--status"));
    }

    [Test]
    public void HelpOfATwoWordCommand_ShowsItsOwnOptions()
    {
        var (exitCode, help, _) = Read("tasks", "list", "-h");

        Assert.That(exitCode, Is.Zero);
        Assert.That(help, Does.Contain($"{Program} tasks list [options]").And.Contain("--status <S>").And.Contain("--json"));
        Assert.That(help, Does.Not.Contain("--max-task-seconds").And.Not.Contain("tasks show"));
    }

    [Test]
    public void EveryCommandsHelp_ListsEachOfItsOptionsWithItsDescription()
    {
        foreach (var command in Leaves(CommandLineSyntax.Build()))
        {
            var path = CommandLineBinder.PathOf(command);
            var (exitCode, help, _) = Read([.. path.Split(' '), "--help"]);

            Assert.That(exitCode, Is.Zero, path);
            Assert.That(help, Does.Contain($"Usage:\n  {Program} {path} "), path);
            foreach (var option in command.Options.Where(o => !o.Hidden))
            {
                // The start of the description: the help wraps long ones to the window's width.
                var line = help.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(option.Name, StringComparison.Ordinal) || l.Contains($" {option.Name}", StringComparison.Ordinal));
                Assert.That(line, Is.Not.Null, $"{path}: {option.Name}\n{help}");
                var description = option.Description ?? "";
                Assert.That(description, Is.Not.Empty, $"{path}: {option.Name} has a description");
                Assert.That(line, Does.Contain(description[..Math.Min(20, description.Length)]), $"{path}: {option.Name}");
            }
        }
    }

    [Test]
    public void NoArgumentsAndHelpAndHelpWord_AreTheWholeHelp_ListingEveryCommand()
    {
        var bare = Read();

        Assert.That(Read("--help"), Is.EqualTo(bare));
        Assert.That(Read("help"), Is.EqualTo(bare));
        Assert.That(bare.ExitCode, Is.Zero);
        foreach (var command in new[] { "run", "validate", "tasks", "status", "ui", "logs", "errors", "redrive", "plugins", "completion" })
        {
            Assert.That(bare.Output, Does.Match($@"\n  {command}\s"), command);
        }

        Assert.That(bare.Output, Does.Not.Contain("data-task"), "the data-task process is the supervisor's, not a person's");
        Assert.That(Read("help", "run").Output, Is.EqualTo(Read("run", "--help").Output));
    }

    [TestCase(new[] { "run", "--datset", "d.json" }, "unknown option --datset for 'run' (did you mean --dataset?)")]
    [TestCase(new[] { "run", "--dataset", "d.json", "--checkpoint-record", "5" }, "unknown option --checkpoint-record for 'run' (did you mean --checkpoint-records?)")]
    [TestCase(new[] { "run", "--dataset", "d.json", "--max-task", "5" }, "unknown option --max-task for 'run' (did you mean --max-task-seconds?)")]
    [TestCase(new[] { "valdate", "--dataset", "d.json" }, "unknown command 'valdate' (did you mean validate?)")]
    [TestCase(new[] { "tasks", "lsit", "--dataset", "d.json" }, "unknown command 'tasks lsit' (did you mean list?)")]
    [TestCase(new[] { "run", "--dataset", "d.json", "--frobnicate", "1" }, "unknown option --frobnicate for 'run'")]
    [TestCase(new[] { "frobnicate", "--dataset", "d.json" }, "unknown command 'frobnicate'")]
    public void AnUnknownWord_IsExit2WithOneLine_SuggestingTheClosestWhenThereIsOne(string[] args, string expected)
    {
        var (exitCode, output, errors) = Read(args);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.UnusableInput));
        Assert.That(output, Is.Empty);
        var lines = errors.TrimEnd().Split('\n');
        Assert.That(lines[0], Is.EqualTo($"letsdata: {expected}"));
        Assert.That(lines.Skip(1).Single(), Does.StartWith("Usage: letsdata "), "one line of usage after the error, not the whole help");
    }

    [Test]
    public void CompletionBash_PrintsAScriptThatAsksTheWorkerThroughTheSuggestDirective()
    {
        var (exitCode, script, _) = Read("completion", "bash");

        Assert.That(exitCode, Is.Zero);
        Assert.That(script, Does.Contain("complete -o default -F _letsdata_complete letsdata").And.Contain("\"[suggest:${COMP_POINT}]\" \"${COMP_LINE}\""));
        var (_, _, errors) = Read("completion", "zsh");
        Assert.That(errors, Does.StartWith("letsdata: completion: no script for 'zsh'"));
    }

    [TestCase("letsdata run --checkpoint-", new[] { "--checkpoint-records", "--checkpoint-seconds" })]
    [TestCase("letsdata tasks s", new[] { "show", "stop" })]
    [TestCase("letsdata tasks list --status ER", new[] { "ERRORED" })]
    [TestCase("letsdata errors list --kind ", new[] { "ErrorDoc", "TaskError" })]
    public void TheSuggestDirective_CompletesCommandsOptionsAndValues(string line, string[] expected)
    {
        var (exitCode, output, _) = Read($"[suggest:{line.Length}]", line);

        // What the bash script's compgen keeps: the suggestions that start with the word being typed.
        var word = line[(line.LastIndexOf(' ') + 1)..];
        Assert.That(exitCode, Is.Zero);
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(s => s.StartsWith(word, StringComparison.Ordinal)), Is.EquivalentTo(expected));
    }

    [Test]
    public void StateAndTaskTableTogether_IsAnError()
    {
        Assert.That(CommandLine.TryParse(["run", "--dataset", "d.json", "--state", "s", "--task-table", "t"], out var error), Is.Null);
        Assert.That(error, Is.EqualTo("--state and --task-table name two different task stores; give one"));
    }

    [TestCase(new[] { "run" }, "--dataset FILE is required")]
    [TestCase(new[] { "run", "--dataset" }, "option --dataset needs a value")]
    [TestCase(new[] { "run", "--dataset", "a.json", "--dataset" }, "option --dataset needs a value")]
    [TestCase(new[] { "tasks", "--dataset", "d.json" }, "'tasks' needs a command: tasks list, tasks show, tasks stop")]
    [TestCase(new[] { "run", "--dataset", "d.json", "extra" }, "'run' takes no argument 'extra'; values follow their option (--dataset FILE)")]
    public void AnIncompleteLine_SaysWhatIsMissing(string[] args, string expected)
    {
        Assert.That(CommandLine.TryParse(args, out var error), Is.Null);
        Assert.That(error, Is.EqualTo(expected));
    }

    [Test]
    public void AnOptionGivenTwice_KeepsItsLastValue()
    {
        var line = CommandLine.TryParse(["run", "--dataset", "a.json", "--concurrency", "2", "--dataset", "b.json", "--concurrency=4", "--no-checkpoints", "--no-checkpoints"], out var error)!;

        Assert.That(error, Is.Null);
        Assert.That((line.DatasetFile, line.Concurrency, line.Worker.CheckpointsOff), Is.EqualTo(("b.json", (int?)4, true)));
    }

    [Test]
    public void DefaultsAndAnAtSign_AreKept()
    {
        var line = CommandLine.TryParse(["tasks", "list", "--dataset", "@d.json"], out var error)!;

        Assert.That(error, Is.Null);
        Assert.That((line.Command, line.DatasetFile, line.PluginsDirectory, line.UiPort), Is.EqualTo(("tasks list", "@d.json", "plugins", (int?)null)),
            "an argument starting with @ is a value, not a response file");
    }

    [Test]
    public void CreateDestinations_IsARunOption_ShownInItsHelp()
    {
        Assert.That(CommandLine.TryParse(["run", "--dataset", "d.json", "--create-destinations"], out _)!.CreateDestinations, Is.True);
        Assert.That(CommandLine.TryParse(["run", "--dataset", "d.json"], out _)!.CreateDestinations, Is.False);
        Assert.That(CommandLine.TryParse(["validate", "--dataset", "d.json", "--create-destinations"], out _), Is.Null);
        Assert.That(Read("run", "--help").Output, Does.Contain("--create-destinations").And.Contain("create the write connector's Kinesis stream"));
    }

    [Test]
    public void RevalidateAndTimings_AreRunFlags()
    {
        var line = CommandLine.TryParse(["run", "--dataset", "d.json", "--revalidate", "--timings"], out _)!;
        Assert.That((line.Revalidate, line.Timings), Is.EqualTo((true, true)));
        var plain = CommandLine.TryParse(["run", "--dataset", "d.json"], out _)!;
        Assert.That((plain.Revalidate, plain.Timings), Is.EqualTo((false, false)));
        Assert.That(CommandLine.TryParse(["validate", "--dataset", "d.json", "--revalidate"], out _), Is.Null);
    }

    private static (int ExitCode, string Output, string Errors) Read(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var commandLine = WorkerCommandLine.Read(args, output, errors, out var exitCode);
        Assert.That(commandLine, Is.Null, "a command to run, not an answer");
        return (exitCode, output.ToString().ReplaceLineEndings("\n"), errors.ToString().ReplaceLineEndings("\n"));
    }

    private static IEnumerable<Command> Leaves(Command command) =>
        command.Subcommands.Count == 0 ? [command] : command.Subcommands.Where(c => !c.Hidden).SelectMany(Leaves);
}
