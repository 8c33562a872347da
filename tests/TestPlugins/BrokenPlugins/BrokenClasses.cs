using LetsData.Interfaces;
using LetsData.Interfaces.Readers;

namespace LetsData.TestPlugins.BrokenPlugins;

/// <summary>Not public: the runtime cannot create it.</summary>
internal sealed class InternalParser : MinimalParser
{
}

/// <summary>No parameterless constructor.</summary>
public sealed class ParserWithSettings : MinimalParser
{
    public ParserWithSettings(string settingsFile, int bufferSize)
    {
        SettingsFile = settingsFile;
        BufferSize = bufferSize;
    }

    public string SettingsFile { get; }

    public int BufferSize { get; }
}

/// <summary>Its constructor fails, as one reading missing configuration would.</summary>
public sealed class ThrowingParser : MinimalParser
{
    public ThrowingParser() => throw new InvalidOperationException("setting 'region' is missing");
}

/// <summary>[Stateless] with a constructor that fails on its first call only, as a transient failure would.</summary>
[Stateless]
public sealed class FailsOnceStatelessParser : MinimalParser
{
    private static int _constructions;

    public FailsOnceStatelessParser()
    {
        if (Interlocked.Increment(ref _constructions) == 1)
        {
            throw new TimeoutException("warm-up call timed out");
        }
    }
}

/// <summary>Abstract: named by mistake instead of a class derived from it.</summary>
public abstract class AbstractLineParser : MinimalParser
{
}

/// <summary>Implements a different contract interface than the one asked for.</summary>
public sealed class KinesisOnlyReader : IKinesisRecordReader
{
    public ParseDocumentResult ParseMessage(string streamArn, string shardId, string partitionKey, string sequenceNumber,
        DateTimeOffset approximateArrivalTimestamp, ReadOnlySpan<byte> data) =>
        new(null, null, ParseDocumentResultStatus.Skip);
}

/// <summary>The plugin's only <see cref="IDynamoDBTableItemReader"/>, and it is not public: scanning finds nothing usable.</summary>
internal sealed class InternalTableReader : IDynamoDBTableItemReader
{
    public ParseDocumentResult ParseDynamoDBItem(string tableName, int segmentNumber,
        IReadOnlyDictionary<string, object?> keys, IReadOnlyDictionary<string, object?> item) =>
        new(null, null, ParseDocumentResultStatus.Skip);
}

/// <summary>An interface, named by mistake instead of a class implementing it.</summary>
public interface ICustomLineParser : ISingleFileParser
{
}
