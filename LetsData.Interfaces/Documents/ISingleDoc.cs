namespace LetsData.Interfaces.Documents;

/// <summary>
/// A document that corresponds one-to-one to a file or stream record (for example one WARC metadata
/// record), as opposed to an <see cref="ICompositeDoc"/> that combines several records.
/// </summary>
public interface ISingleDoc : IDocument
{
    /// <summary>Whether this is a single document; implementations return <see langword="true"/>.</summary>
    bool IsSingleDoc { get; }
}
