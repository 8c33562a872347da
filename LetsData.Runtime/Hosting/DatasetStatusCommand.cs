using System.Globalization;
using System.Text.Json.Nodes;
using LetsData.Runtime.Operations;
using LetsData.Runtime.State;
using Spectre.Console;

namespace LetsData.Runtime.Hosting;

/// <summary><c>letsdata status</c>: the dataset's status (CREATED, PROCESSING, COMPLETED, ERRORED) and its task counts.</summary>
internal static class DatasetStatusCommand
{
    public static async Task<int> ExecuteAsync(string datasetName, ITaskStore store, TaskCommandOptions options, TextWriter output,
        CancellationToken cancellationToken)
    {
        var state = DatasetState.Of(await store.ListAsync(cancellationToken).ConfigureAwait(false));
        var status = state.Status.ToString().ToUpperInvariant();
        var totals = state.Totals;
        if (options.Json)
        {
            var tasks = new JsonObject();
            foreach (var (taskStatus, count) in state.Tasks)
            {
                tasks[taskStatus.Name()] = count;
            }

            // One array, as every --json output is.
            output.WriteLine(new JsonArray(new JsonObject
            {
                ["dataset"] = datasetName,
                ["status"] = status,
                ["tasks"] = tasks,
                ["records"] = totals.Records,
                ["documents"] = totals.Documents,
                ["errors"] = totals.Errors,
                ["skips"] = totals.Skips,
            }).ToJsonString());
            return ExitCodes.Success;
        }

        if (TerminalOutput.RichConsoleFor(output) is { } console)
        {
            var colour = state.Status switch
            {
                DatasetStatus.Errored => "red",
                DatasetStatus.Completed => "green",
                _ => "yellow",
            };
            console.MarkupLine($"Dataset {Markup.Escape(datasetName)}: [bold {colour}]{status}[/]");
        }
        else
        {
            output.WriteLine($"Dataset {datasetName}: {status}");
        }


        output.WriteLine($"  tasks {state.Tasks.Values.Sum()}: {string.Join(", ", state.Tasks.Select(t => $"{t.Key.Name()} {t.Value}"))}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  records {totals.Records}, documents {totals.Documents}, errors {totals.Errors}, skips {totals.Skips}"));
        output.WriteLine($"  task records: {store.Location}");
        return ExitCodes.Success;
    }
}
