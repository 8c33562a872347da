using LetsData.Interfaces.Documents;

namespace LetsData.Runtime.Engine.Checkpoints;

/// <summary>
/// A document as a checkpoint keeps it: id, type, partition key and serialized form. A resumed reader gets this in
/// place of its own last document object (the runtime cannot rebuild a plugin's document type); readers and parsers
/// that look at their last document see the same id, type and JSON.
/// </summary>
public sealed record CheckpointedDocument(string? DocumentId, string? RecordType, string? PartitionKey, string? Serialized) : ISingleDoc
{
    public IReadOnlyDictionary<string, object?>? DocumentMetadata => null;

    public bool IsSingleDoc => true;

    public string? Serialize() => Serialized;

    /// <summary>What a checkpoint keeps of <paramref name="document"/>; null for none.</summary>
    public static CheckpointedDocument? Of(IDocument? document) => document switch
    {
        null => null,
        CheckpointedDocument kept => kept,
        _ => new CheckpointedDocument(document.DocumentId, document.RecordType, document.PartitionKey, document.Serialize()),
    };
}
