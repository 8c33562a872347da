namespace LetsData.Runtime.Datasets;

/// <summary>
/// LetsData's reader types, parsed from either spelling ("Single File Reader" or "SINGLEFILEREADER"; LetsData's
/// "KINESISSTREAMREADER" for the Kinesis reader, "DYNAMODBSTREAMSREADER" for the DynamoDB Streams reader, "SQSREADER" or
/// "QUEUEMESSAGEREADER" for the SQS reader).
/// </summary>
public enum ReaderType
{
    SingleFileReader,
    SingleFileStateMachineReader,
    MultipleFileStateMachineReader,
    KinesisRecordReader,
    DynamoDBTableItemReader,
    DynamoDBStreamsRecordReader,
    SqsQueueReader,
}

public static class ReaderTypes
{
    public static IReadOnlyList<string> DisplayNames { get; } =
    [
        "Single File Reader", "Single File State Machine Reader", "Multiple File State Machine Reader",
        "Kinesis Record Reader", "DynamoDB Table Item Reader", "DynamoDB Streams Record Reader", "SQS Queue Reader",
    ];

    // LetsData's other spellings of the SQS reader type (its task type is "SQS", its interface QueueMessageReader).
    private static readonly string[] SqsAliases = ["SqsReader", "QueueMessageReader", "SqsQueueMessageReader"];

    public static bool TryParse(string? text, out ReaderType readerType)
    {
        var compact = (text ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (compact.Equals("KinesisStreamReader", StringComparison.OrdinalIgnoreCase))
        {
            readerType = ReaderType.KinesisRecordReader;
            return true;
        }

        // LetsData's enum spelling, after KINESISSTREAMREADER.
        if (compact.Equals("DynamoDBStreamsReader", StringComparison.OrdinalIgnoreCase))
        {
            readerType = ReaderType.DynamoDBStreamsRecordReader;
            return true;
        }

        if (SqsAliases.Any(alias => compact.Equals(alias, StringComparison.OrdinalIgnoreCase)))
        {
            readerType = ReaderType.SqsQueueReader;
            return true;
        }

        return Enum.TryParse(compact, ignoreCase: true, out readerType) && Enum.IsDefined(readerType)
            && !int.TryParse(compact, out _);
    }

    public static string DisplayName(this ReaderType readerType) => DisplayNames[(int)readerType];

    /// <summary>True for the reader types whose tasks come from a manifest of files.</summary>
    public static bool ReadsFiles(this ReaderType readerType) =>
        readerType is ReaderType.SingleFileReader or ReaderType.SingleFileStateMachineReader or ReaderType.MultipleFileStateMachineReader;
}
