namespace LetsData.Interfaces.Documents;

/// <summary>
/// A document that state-machine readers (<c>ISingleFileStateMachineReader</c>,
/// <c>IMultipleFileStateMachineReader</c>) build by combining several single documents.
/// </summary>
/// <remarks>Partial errors are allowed: a composite may carry a document to persist and errors.</remarks>
public interface ICompositeDoc : IDocument
{
    /// <summary>
    /// The document to persist (<see cref="KeyValuePair{TKey, TValue}.Key"/>, may be <see langword="null"/>)
    /// and the per-record errors met while building it (<see cref="KeyValuePair{TKey, TValue}.Value"/>,
    /// never <see langword="null"/>, empty when there were none).
    /// </summary>
    KeyValuePair<ISingleDoc?, IReadOnlyList<IErrorDoc>> DocumentList { get; }
}
