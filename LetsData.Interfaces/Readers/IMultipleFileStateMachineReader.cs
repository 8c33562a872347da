using LetsData.Interfaces.Documents;

namespace LetsData.Interfaces.Readers;

/// <summary>
/// Reads one file per file type per task (a manifest line such as <c>WARC:a.gz|WAT:b.gz</c>) and
/// combines their records, record by record, into composite documents.
/// </summary>
/// <remarks>
/// Implementations are created once per task and should cache resolved names and parsers in fields.
/// Maps with nullable values are built as <c>new Dictionary&lt;string, string?&gt;</c>:
/// <code language="csharp">
/// public IReadOnlyDictionary&lt;string, string?&gt; GetNextExpectedRecordTypes(
///     IReadOnlyDictionary&lt;string, string?&gt; lastProcessedRecordTypes)
/// {
///     var next = new Dictionary&lt;string, string?&gt;();
///     foreach (var (fileType, last) in lastProcessedRecordTypes)
///     {
///         next[fileType] = _parsers[fileType].GetNextExpectedRecordType(fileType, last);
///     }
///     return next;
/// }
/// </code>
/// The non-nullable <c>Dictionary&lt;string, string&gt;</c> gives warning CS8619 or CS8620 (nullability
/// mismatch) where an <c>IReadOnlyDictionary&lt;string, string?&gt;</c> is expected, and a plugin built
/// with warnings as errors turns those warnings into build errors.
/// </remarks>
public interface IMultipleFileStateMachineReader
{
    /// <summary>The file types read together.</summary>
    IReadOnlySet<string> S3FileTypes { get; }

    /// <summary>Resolves (and may validate the pairing of) the file names of one manifest line.</summary>
    /// <param name="fileTypeToFileName">File type to file name, from the manifest line.</param>
    /// <returns>File type to resolved file name.</returns>
    IReadOnlyDictionary<string, string> GetResolvedS3FileNames(
        IReadOnlyDictionary<string, string> fileTypeToFileName);

    /// <summary>The parser of each file type; create them once and return the same instances.</summary>
    /// <param name="s3FileTypes">The file types.</param>
    /// <returns>File type to parser.</returns>
    IReadOnlyDictionary<string, ISingleFileStateMachineParser> GetParsers(IReadOnlySet<string> s3FileTypes);

    /// <summary>The record types expected next, per file type.</summary>
    /// <param name="lastProcessedRecordTypes">
    /// File type to the type processed last: a map of <see langword="null"/> values at the start, never a
    /// <see langword="null"/> map.
    /// </param>
    /// <returns>File type to the next expected type.</returns>
    IReadOnlyDictionary<string, string?> GetNextExpectedRecordTypes(
        IReadOnlyDictionary<string, string?> lastProcessedRecordTypes);

    /// <summary>Reads the next record of each file and combines them into one composite document.</summary>
    /// <param name="lastProcessedRecordTypes">File type to the type processed last (values <see langword="null"/> at the start).</param>
    /// <param name="lastProcessedDoc">The document returned last, or <see langword="null"/>.</param>
    /// <param name="fileReaders">File type to that file's record reader.</param>
    /// <returns>
    /// The composite document with the offsets (the union of the readers' offsets) and record types after
    /// it; at the end a <see langword="null"/> document and <see cref="SingleFileReaderState.Completed"/>.
    /// </returns>
    ParseCompositeDocumentResult ParseDocument(
        IReadOnlyDictionary<string, string?> lastProcessedRecordTypes, IDocument? lastProcessedDoc,
        IReadOnlyDictionary<string, ISystemFileReader> fileReaders);
}
