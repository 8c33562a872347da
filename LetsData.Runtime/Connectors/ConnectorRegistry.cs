using LetsData.Runtime.Connectors.DynamoDB;
using LetsData.Runtime.Connectors.DynamoDBStreams;
using LetsData.Runtime.Connectors.Kinesis;
using LetsData.Runtime.Connectors.LocalFiles;
using LetsData.Runtime.Connectors.S3;
using LetsData.Runtime.Connectors.Sqs;

namespace LetsData.Runtime.Connectors;

/// <summary>
/// Every connector this worker has. Adding one: a folder under <c>Connectors/</c> with its settings and
/// <see cref="IReadConnector"/> or <see cref="IWriteConnector"/>, and one line here. The order is the order messages
/// list them in.
/// </summary>
internal static class ConnectorRegistry
{
    public static IReadOnlyList<IReadConnector> Reads { get; } =
    [
        LocalFilesReadConnector.Instance,
        S3ReadConnector.Instance,
        KinesisReadConnector.Instance,
        DynamoDBReadConnector.Instance,
        DynamoDBStreamsReadConnector.Instance,
        SqsReadConnector.Instance,
    ];

    public static IReadOnlyList<IWriteConnector> Writes { get; } =
    [
        LocalFilesWriteConnector.Instance,
        S3WriteConnector.Instance,
        KinesisWriteConnector.Instance,
        DynamoDBWriteConnector.Instance,
        SqsWriteConnector.Instance,
    ];

    /// <summary>The read connector assumed when the destination is missing or unknown, so that its other fields are still checked.</summary>
    public static IReadConnector DefaultRead => LocalFilesReadConnector.Instance;

    public static IReadConnector? FindRead(string destination) =>
        Reads.FirstOrDefault(c => c.Destination.Equals(destination, StringComparison.OrdinalIgnoreCase));

    /// <summary>The write connector for <paramref name="destination"/>; only those that also write errors when <paramref name="forErrors"/>.</summary>
    public static IWriteConnector? FindWrite(string destination, bool forErrors) =>
        Writes.FirstOrDefault(c => (c.WritesErrors || !forErrors) && c.Destination.Equals(destination, StringComparison.OrdinalIgnoreCase));

    /// <summary><c>"A", "B", "C"</c>: the read destinations, for messages.</summary>
    public static string ReadDestinationNames => string.Join(", ", Reads.Select(c => $"\"{c.Destination}\""));

    /// <summary><c>"A", "B" or "C"</c>: the write destinations (only those that also write errors when <paramref name="forErrors"/>).</summary>
    public static string WriteDestinationNames(bool forErrors)
    {
        var names = Writes.Where(c => c.WritesErrors || !forErrors).Select(c => $"\"{c.Destination}\"").ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }
}
