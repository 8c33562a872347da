using LetsData.Interfaces.Documents;

namespace LetsData.Benchmarks;

/// <summary>A document that costs nothing: one shared instance whose <see cref="Serialize"/> returns a constant.</summary>
internal sealed class ConstantDocument : ISingleDoc
{
    public static readonly ConstantDocument Instance = new();

    private const string Json = """{"documentId":"bench"}""";

    private ConstantDocument()
    {
    }

    public string? DocumentId => "bench";
    public string? RecordType => "REC";
    public string? PartitionKey => null;
    public IReadOnlyDictionary<string, object?>? DocumentMetadata => null;
    public bool IsSingleDoc => true;

    public string? Serialize() => Json;
}
