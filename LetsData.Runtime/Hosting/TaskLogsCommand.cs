using LetsData.Runtime.Datasets;
using LetsData.Runtime.Operations;

namespace LetsData.Runtime.Hosting;

/// <summary><c>letsdata logs --task ID</c>: a task's log lines from the dataset's state folder (see <see cref="TaskLogFiles"/>).</summary>
internal static class TaskLogsCommand
{
    public static int Execute(CommandLine commandLine, Dataset dataset, TextWriter output, TextWriter errors)
    {
        var taskId = commandLine.TaskOptions.TaskId!;
        var logs = new TaskLogFiles(commandLine.StateDirectory, dataset.Name);
        if (logs.Read(taskId) is not { } lines)
        {
            errors.WriteLine($"letsdata: no log lines for task {taskId} ({logs.PathOf(taskId)} does not exist)");
            return TaskStateCommands.TaskNotFound;
        }

        foreach (var line in lines)
        {
            output.WriteLine(line);
        }

        return ExitCodes.Success;
    }
}
