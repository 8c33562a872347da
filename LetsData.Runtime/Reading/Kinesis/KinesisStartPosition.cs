namespace LetsData.Runtime.Reading.Kinesis;

/// <summary>What a Kinesis start position is.</summary>
public enum KinesisStartKind
{
    /// <summary>The oldest record still in each shard (TRIM_HORIZON).</summary>
    Earliest,

    /// <summary>Only records put after the shard reader starts (LATEST).</summary>
    Latest,

    /// <summary>At a given sequence number per shard (AT_SEQUENCE_NUMBER).</summary>
    AtSequenceNumber,
}

/// <summary>
/// Where the shard readers of a <see cref="KinesisRecordSource"/> start. With <see cref="AtSequenceNumbers"/>, a shard
/// missing from the map (e.g. a child shard created by a later split) starts at its earliest record.
/// </summary>
public sealed class KinesisStartPosition
{
    private KinesisStartPosition(KinesisStartKind kind, IReadOnlyDictionary<string, string> sequenceNumbers)
    {
        Kind = kind;
        SequenceNumbers = sequenceNumbers;
    }

    /// <summary>Every shard from its oldest record (TRIM_HORIZON).</summary>
    public static KinesisStartPosition Earliest { get; } = new(KinesisStartKind.Earliest, new Dictionary<string, string>());

    /// <summary>Every shard from its tip: only records put after its reader starts (LATEST).</summary>
    public static KinesisStartPosition Latest { get; } = new(KinesisStartKind.Latest, new Dictionary<string, string>());

    /// <summary>What this position is.</summary>
    public KinesisStartKind Kind { get; }

    /// <summary>Shard id → the sequence number to start at (only for <see cref="KinesisStartKind.AtSequenceNumber"/>).</summary>
    public IReadOnlyDictionary<string, string> SequenceNumbers { get; }

    /// <summary>Each listed shard at the record with the given sequence number; other shards from their oldest record.</summary>
    public static KinesisStartPosition AtSequenceNumbers(IReadOnlyDictionary<string, string> sequenceNumbers) =>
        new(KinesisStartKind.AtSequenceNumber, new Dictionary<string, string>(sequenceNumbers, StringComparer.Ordinal));

    /// <inheritdoc />
    public override string ToString() => Kind == KinesisStartKind.AtSequenceNumber ? $"{Kind} ({SequenceNumbers.Count} shards)" : Kind.ToString();
}
