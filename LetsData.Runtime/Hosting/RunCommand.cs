using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Writing;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Hosting;

/// <summary><c>letsdata run</c>: prepares the dataset, runs every task, prints the summary.</summary>
public sealed class RunCommand(ProgressReporter progressReporter, ILogger<RunCommand> logger)
{
    public async Task<int> ExecuteAsync(CommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        using var prepared = PreparedDataset.TryPrepare(commandLine.DatasetFile, commandLine.PluginsDirectory, problems);
        if (prepared is null)
        {
            foreach (var problem in problems)
            {
                logger.LogError("{Problem}", problem);
            }

            return ExitCodes.UnusableInput;
        }

        var dataset = prepared.Dataset;
        var concurrency = commandLine.Concurrency ?? dataset.Concurrency;
        logger.LogInformation("dataset {Dataset}: {Tasks} task(s), reader {ReaderType}, plugin {Plugin} loaded in {LoadMs:F0} ms, concurrency {Concurrency}",
            dataset.Name, prepared.Tasks.Count, dataset.ReaderType, prepared.Plugin.Name, prepared.PluginLoadTime.TotalMilliseconds, concurrency);
        var engine = new DataTaskEngine(dataset.Name, prepared.Binding, new LocalFileSource(dataset.RootPath),
            new LocalFilesDocumentSinkFactory(dataset.OutputPath), new LocalFilesErrorSinkFactory(dataset.ErrorOutputPath),
            new EngineOptions { Concurrency = concurrency, MaxRecordBytes = dataset.MaxRecordBytes });
        var run = engine.RunAsync(prepared.Tasks, cancellationToken);
        await progressReporter.ReportUntilAsync(engine.Progress, run).ConfigureAwait(false);
        var summary = await run.ConfigureAwait(false);
        foreach (var task in summary.Tasks.Where(t => t.Status == DataTaskStatus.Errored))
        {
            logger.LogError("task {TaskId} errored: {Error}", task.TaskId, task.ErrorMessage);
        }

        RunSummaryPrinter.Print(output, summary, dataset.OutputPath, dataset.ErrorOutputPath);
        return summary.Errored == 0 && summary.Tasks.Count == prepared.Tasks.Count ? ExitCodes.Success : ExitCodes.Failed;
    }
}
