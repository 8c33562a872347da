using System.Collections.Frozen;

namespace LetsData.Runtime.Engine.Checkpoints;

/// <summary>
/// The <see cref="TaskCheckpoint.Outputs"/> text: <c>documents|errors</c>, each the connector's checkpoint id. Reads
/// checkpoints written before the ids existed, which named the connectors by CLR class name.
/// </summary>
internal static class CheckpointOutputs
{
    // Literal, not nameof: these are what older workers stored, and must keep matching after the classes are renamed.
    private static readonly FrozenDictionary<string, string> FormerNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["LocalFilesDocumentSinkFactory"] = "localfiles",
        ["LocalFilesErrorSinkFactory"] = "localfiles",
        ["S3DocumentSinkFactory"] = "s3",
        ["S3ErrorSinkFactory"] = "s3",
        ["KinesisDocumentSinkFactory"] = "kinesis",
        ["DynamoDBDocumentSinkFactory"] = "dynamodb",
        ["DiscardingSinkFactory"] = "discard",
        ["CapturingSinks"] = "memory",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The text a checkpoint of these connectors stores.</summary>
    public static string Of(string documentsId, string errorsId) => $"{documentsId}|{errorsId}";

    /// <summary>A stored text with any former class name replaced by its connector's id; null stays null.</summary>
    public static string? Current(string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        var separator = stored.IndexOf('|', StringComparison.Ordinal);
        if (separator < 0)
        {
            return stored;
        }

        var (documents, errors) = (stored[..separator], stored[(separator + 1)..]);
        return Of(FormerNames.GetValueOrDefault(documents, documents), FormerNames.GetValueOrDefault(errors, errors));
    }
}
