namespace LetsData.Interfaces.Documents;

/// <summary>
/// A document for a record that is not of interest: it is counted but not written to the write
/// destination.
/// </summary>
/// <remarks>
/// The offset maps keep the Java names (<c>ErrorStartOffsetMap</c> / <c>ErrorEndOffsetMap</c>) although
/// a skip is not an error; see <see cref="IErrorDoc"/> for what the offsets hold.
/// </remarks>
public interface ISkipDoc : ISingleDoc
{
    /// <summary>File type (or other key) to the offset where the skipped record starts.</summary>
    IReadOnlyDictionary<string, string>? ErrorStartOffsetMap { get; }

    /// <summary>File type (or other key) to the offset where the skipped record ends.</summary>
    IReadOnlyDictionary<string, string>? ErrorEndOffsetMap { get; }

    /// <summary>Why the record was skipped, or <see langword="null"/>.</summary>
    string? SkipMessage { get; }
}
