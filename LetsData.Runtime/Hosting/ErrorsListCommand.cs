using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Connectors.S3;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Operations;
using LetsData.Runtime.State;
using LetsData.Runtime.Writing.S3;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// <c>errors list</c>: the error records of the dataset's error connector — a <c>LocalFiles</c> folder
/// (<see cref="LocalErrorRecords"/>) or an <c>S3</c> prefix (<see cref="S3ErrorRecords"/>, with the dataset's
/// credentials) — every finished task file or object, those still being written left out; as a table or one JSON
/// array of the records as stored.
/// </summary>
internal static class ErrorsListCommand
{
    public static async Task<int> ExecuteAsync(Dataset dataset, ITaskStore store, TaskCommandOptions options, TextWriter output,
        TextWriter errors, CancellationToken cancellationToken)
    {
        // With a kind to keep, the limit applies after filtering; without, the readers stop early.
        var readLimit = options.Kind is null ? options.Limit ?? int.MaxValue : int.MaxValue;
        List<JsonDocument> records;
        switch (dataset.Errors)
        {
            case { LocalFolder: not null }:
                records = LocalErrorRecords.Read(dataset.ErrorOutputPath, options.TaskId, errors, readLimit);
                break;
            case S3Output s3:
                try
                {
                    using var client = S3Clients.Create(s3.Where.ForcePathStyle, credentials: RuntimeCredentials.Current.For(dataset));
                    records = await S3ErrorRecords.ReadAsync(client, s3.Where, options.TaskId, errors, readLimit, cancellationToken).ConfigureAwait(false);
                }
                catch (AmazonServiceException e)
                {
                    errors.WriteLine($"letsdata: reading the error records in {dataset.ErrorOutputPath} failed: {S3Failure.Describe(e)}");
                    return ExitCodes.UnusableInput;
                }
                catch (AmazonClientException e)
                {
                    errors.WriteLine($"letsdata: {S3Clients.SetupProblem("errorConnector", e)}");
                    return ExitCodes.UnusableInput;
                }

                break;
            default:
                errors.WriteLine($"letsdata: errors list reads LocalFiles and S3 error connectors; this dataset's errors are in {dataset.ErrorOutputPath}");
                return ExitCodes.UnusableInput;
        }

        if (options.Kind is { } kind)
        {
            var kept = records.Where(r => LocalErrorRecords.Text(r.RootElement, "kind") == kind).Take(options.Limit ?? int.MaxValue).ToList();
            foreach (var dropped in records.Except(kept))
            {
                dropped.Dispose();
            }

            records = kept;
        }

        if (options.TaskId is { } taskId && records.Count == 0
            && await store.GetAsync(taskId, cancellationToken).ConfigureAwait(false) is null)
        {
            errors.WriteLine($"letsdata: task {taskId} not found in {store.Location} nor in {dataset.ErrorOutputPath}");
            return TaskStateCommands.TaskNotFound;
        }

        if (options.Json)
        {
            WriteJson(output, records);
        }
        else
        {
            WriteTable(output, records, dataset.ErrorOutputPath);
        }

        foreach (var record in records)
        {
            record.Dispose();
        }

        return ExitCodes.Success;
    }

    private static void WriteJson(TextWriter output, List<JsonDocument> records)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var record in records)
            {
                record.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteTable(TextWriter output, List<JsonDocument> records, string folder)
    {
        var table = new TextTable("TASK", "KIND", "FILES", "START", "END", "MESSAGE");
        foreach (var record in records)
        {
            var root = record.RootElement;
            table.Add(LocalErrorRecords.Text(root, "taskId"), LocalErrorRecords.Text(root, "kind"), LocalErrorRecords.Map(root, "fileNames"),
                LocalErrorRecords.Map(root, "errorStartOffsetMap"), LocalErrorRecords.Map(root, "errorEndOffsetMap"),
                LocalErrorRecords.Text(root, "errorMessage"));
        }

        table.Write(output, cutToTerminal: true);
        output.WriteLine($"{records.Count} error record(s) in {folder}");
    }
}
