using System.Globalization;
using System.Text;
using System.Text.Json;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Testing;

/// <summary>
/// What <see cref="LetsDataTestHarness"/>'s resume checks found: the checkpoints an undisturbed run took, and for each
/// one resumed, whether a fresh reader started from it wrote exactly what the undisturbed run wrote after it.
/// </summary>
/// <param name="Checkpoints">Checkpoints the undisturbed run took.</param>
/// <param name="Resumed">Checkpoints a resumed run was started from.</param>
/// <param name="Mismatches">One line per resumed run whose output differed, and one when the undisturbed run took no
/// checkpoint (then nothing was checked); empty when the reader resumes exactly.</param>
/// <param name="UndisturbedStatus">How the undisturbed run's task ended.</param>
public sealed record ResumeCheckResult(int Checkpoints, int Resumed, IReadOnlyList<string> Mismatches, DataTaskStatus UndisturbedStatus);

/// <summary>
/// Runs one task undisturbed with a checkpoint every N records, then again from each checkpoint with a new reader
/// (as a new worker after a crash would), and compares the outputs after the checkpoint. The same engine path as the
/// worker: readers, checkpoint capture, input reopening at offsets (gzip included) and output continuation.
/// </summary>
internal static class ResumeCheck
{
    private const string DatasetName = "TestHarness";

    public static Task<ResumeCheckResult> RunAsync(ReaderBinding binding, HarnessFile[] files, DataTaskDefinition task,
        long everyRecords, int maxResumes)
    {
        var source = new InMemoryFileSource();
        foreach (var file in files)
        {
            source.Add(file.FileName, file.Content);
        }

        return RunAsync(binding, new RecordSources(source), task, everyRecords, maxResumes);
    }

    public static async Task<ResumeCheckResult> RunAsync(ReaderBinding binding, RecordSources sources, DataTaskDefinition task,
        long everyRecords, int maxResumes, HarnessVectorization? vectorization = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResumes, 1); // a check that resumes nothing checks nothing
        var options = new EngineOptions { Checkpoints = new CheckpointInterval(everyRecords, null) };
        options = vectorization?.Apply(options) ?? options;
        var undisturbed = new FixedTaskLedger([task]);
        var whole = await RunOnceAsync(binding, sources, undisturbed, options).ConfigureAwait(false);
        var checkpoints = undisturbed.CheckpointsOf(task.TaskId);
        var chosen = Spread(checkpoints, maxResumes);
        var mismatches = new List<string>();
        if (checkpoints.Count == 0)
        {
            // A check that resumed nothing proved nothing: say so where the caller looks.
            mismatches.Add($"the undisturbed run took no checkpoint (it ended {whole.Status} after {whole.Documents.Count} documents and " +
                $"{whole.Errors.Count} error records, a checkpoint every {everyRecords} records): nothing was resumed");
        }

        foreach (var checkpoint in chosen)
        {
            var resumed = await RunOnceAsync(binding, sources, new FixedTaskLedger([task],
                new Dictionary<string, TaskCheckpoint> { [task.TaskId] = checkpoint }), options).ConfigureAwait(false);
            var documentsFrom = int.Parse(checkpoint.DocumentsOutput ?? "0", CultureInfo.InvariantCulture);
            var errorsFrom = int.Parse(checkpoint.ErrorsOutput ?? "0", CultureInfo.InvariantCulture);
            var expectedDocuments = whole.Documents.Skip(documentsFrom).ToList();
            var expectedErrors = whole.Errors.Skip(errorsFrom).ToList();
            if (!expectedDocuments.SequenceEqual(resumed.Documents) || !expectedErrors.SequenceEqual(resumed.Errors) || resumed.Status != whole.Status)
            {
                mismatches.Add(Describe(checkpoint, expectedDocuments, resumed.Documents, expectedErrors, resumed.Errors, whole.Status, resumed.Status));
            }
        }

        return new ResumeCheckResult(checkpoints.Count, chosen.Count, mismatches, whole.Status);
    }

    private static List<TaskCheckpoint> Spread(IReadOnlyList<TaskCheckpoint> checkpoints, int max)
    {
        if (checkpoints.Count <= max)
        {
            return [.. checkpoints];
        }

        return Enumerable.Range(0, max).Select(i => checkpoints[(int)((long)i * (checkpoints.Count - 1) / Math.Max(1, max - 1))]).Distinct().ToList();
    }

    private static string Describe(TaskCheckpoint checkpoint, List<string> expectedDocuments, List<string> documents,
        List<string> expectedErrors, List<string> errors, DataTaskStatus expectedStatus, DataTaskStatus status)
    {
        var at = JsonSerializer.Serialize(checkpoint.ToJson());
        var firstDifferent = expectedDocuments.Zip(documents).TakeWhile(p => p.First == p.Second).Count();
        return $"checkpoint {checkpoint.Number} ({at}): resumed run wrote {documents.Count} documents (expected {expectedDocuments.Count}, " +
            $"first difference at {firstDifferent}), {errors.Count} error records (expected {expectedErrors.Count}), status {status} (expected {expectedStatus})";
    }

    private static async Task<Outcome> RunOnceAsync(ReaderBinding binding, RecordSources sources, ITaskLedger ledger, EngineOptions options)
    {
        var sinks = new CapturingSinks();
        var engine = new DataTaskEngine(DatasetName, binding, sources, sinks, sinks, options);
        var summary = await engine.RunAsync(ledger).ConfigureAwait(false);
        var errors = sinks.Errors.Select(ErrorJson).ToList();
        return new Outcome(sinks.Documents.Select(d => d.Serialized).ToList(), errors, summary.Tasks.Single().Status);
    }

    private static string ErrorJson(ErrorRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            record.WriteJson(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed record Outcome(List<string> Documents, List<string> Errors, DataTaskStatus Status);
}
