using System.Text.Json;
using System.Text.Json.Serialization;

namespace LetsData.Runtime.Engine.Checkpoints;

/// <summary>
/// Where a task stood when everything it had written before was durable: enough to reopen its inputs there and go on
/// so that the documents after this point are the ones an undisturbed run would have written. Taken between two
/// results (never inside a plugin call) and only after the write and error destinations were flushed.
/// </summary>
public sealed record TaskCheckpoint
{
    /// <summary>File tasks: each file's position and state machine, by file type (<c>file</c> for a single-type line).</summary>
    public IReadOnlyDictionary<string, FileCheckpoint>? Files { get; init; }

    /// <summary>Multiple-file readers: the last processed record types the reader was handed last.</summary>
    public IReadOnlyDictionary<string, string?>? LastRecordTypes { get; init; }

    /// <summary>State-machine readers: the reader's last document, handed back to it as <c>lastProcessedDoc</c> on resume.</summary>
    public CheckpointedDocument? LastDocument { get; init; }

    /// <summary>Kinesis tasks: the sequence number of the last record handled; reading resumes after it.</summary>
    public string? SequenceNumber { get; init; }

    /// <summary>DynamoDB scan tasks: the key of the last item handled (<see cref="Aws.DynamoDB.DynamoDBKeyJson"/>); the scan resumes after it.</summary>
    public string? LastEvaluatedKey { get; init; }

    /// <summary>The write destination's position to continue from (opaque to the engine; null when it needs none).</summary>
    public string? DocumentsOutput { get; init; }

    /// <summary>The error destination's position to continue from.</summary>
    public string? ErrorsOutput { get; init; }

    /// <summary>
    /// Which writers the output positions belong to (their kinds): a dataset whose destination changed since cannot
    /// continue this output, and its task starts over.
    /// </summary>
    public string? Outputs { get; init; }

    /// <summary>The task's counts up to this point, over all its attempts.</summary>
    public CheckpointCounters Counters { get; init; } = CheckpointCounters.Zero;

    /// <summary>Checkpoints taken in the task so far, this one included (over all attempts).</summary>
    public long Number { get; init; }

    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, CheckpointJsonContext.Default.TaskCheckpoint);

    /// <summary>Reads a stored checkpoint; <paramref name="problem"/> says what is wrong with an unreadable one.</summary>
    public static TaskCheckpoint? FromJson(JsonElement json, out string? problem)
    {
        try
        {
            problem = null;
            return json.Deserialize(CheckpointJsonContext.Default.TaskCheckpoint);
        }
        catch (JsonException e)
        {
            problem = $"the stored checkpoint is unreadable: {e.Message}";
            return null;
        }
    }
}

/// <summary>One file of a task at a checkpoint.</summary>
/// <param name="Offset">Decompressed offset of the first record not yet handled (the end of the last one handled).</param>
/// <param name="LastRecordType">State-machine readers: the last record type consumed from the file.</param>
/// <param name="NextRecordType">State-machine readers: the record type expected at <paramref name="Offset"/>.</param>
/// <param name="Compressed">Whether the file is gzip-compressed.</param>
/// <param name="Member">Gzip files: a member start at or before <paramref name="Offset"/>, where decompression can restart.</param>
/// <param name="LastDocument">State-machine readers: the last document parsed from the file (the parser's <c>lastProcessedDoc</c>).</param>
public sealed record FileCheckpoint(
    long Offset,
    string? LastRecordType = null,
    string? NextRecordType = null,
    bool Compressed = false,
    GzipMemberCheckpoint? Member = null,
    CheckpointedDocument? LastDocument = null);

/// <summary>Where a gzip member starts: its offset in the compressed file and the decompressed offset of its first byte.</summary>
public readonly record struct GzipMemberCheckpoint(long CompressedOffset, long DecompressedOffset);

/// <summary>A task's counts at a checkpoint (all attempts together).</summary>
public sealed record CheckpointCounters(long Records, long Documents, long Errors, long Skips)
{
    public static CheckpointCounters Zero { get; } = new(0, 0, 0, 0);

    public CheckpointCounters Plus(TaskCounters attempt) =>
        new(Records + attempt.Records, Documents + attempt.Documents, Errors + attempt.Errors, Skips + attempt.Skips);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TaskCheckpoint))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
