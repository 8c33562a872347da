using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// The records one reader call takes for one URL, across files: what was read, the error documents met, and the
/// start offsets of every file, so that every error document can carry all files' offsets.
/// </summary>
internal sealed class RecordGroup
{
    private readonly IReadOnlyDictionary<string, ISystemFileReader> _readers;
    private readonly Dictionary<string, string> _start;
    private readonly List<(string FileType, IErrorDoc Error)> _partErrors = [];
    private readonly List<string> _problems = [];
    private string? _url;
    private bool _urlsDisagree;

    public RecordGroup(IReadOnlyDictionary<string, ISystemFileReader> readers)
    {
        _readers = readers;
        _start = Offsets(readers);
    }

    public string? Url => _url;

    public bool HasErrors => _partErrors.Count > 0 || _problems.Count > 0;

    /// <summary>Reads the next record of a file, which should be of <paramref name="expectedType"/>.</summary>
    /// <returns>The typed document, or null when the file ended or the record is an error.</returns>
    public T? Read<T>(ISystemFileReader reader, string expectedType, string label, ref bool fileEnded)
        where T : CommonCrawlRecord
    {
        if (fileEnded)
        {
            return null;
        }

        var document = reader.NextRecord();
        switch (document)
        {
            case null:
                fileEnded = true;
                return null;
            case T typed when typed.RecordType == expectedType:
                See(typed.TargetUri, reader.FileType, label);
                return typed;
            case IErrorDoc error:
                See((error as CommonCrawlErrorDoc)?.TargetUri, reader.FileType, label);
                _partErrors.Add((reader.FileType, error));
                return null;
            case CommonCrawlRecord other:
                See(other.TargetUri, reader.FileType, label);
                _problems.Add($"the {reader.FileType} file has a {other.RecordType} record for {other.TargetUri} at offset {other.Header.OffsetBytes} where the {label} record was expected");
                return null;
            default:
                _problems.Add($"the {reader.FileType} file gave a {document.GetType().Name} where the {label} record was expected");
                return null;
        }
    }

    public void AddPartError(string fileType, IErrorDoc error) => _partErrors.Add((fileType, error));

    public void AddProblem(string problem) => _problems.Add(problem);

    /// <summary>Notes a file that ended before all of a URL's records were read.</summary>
    public void Missing(ISystemFileReader reader, IEnumerable<string> labels) =>
        _problems.Add($"the {reader.FileType} file {reader.FileName} ended before the {string.Join(", ", labels)} record(s) of {_url ?? "the next URL"}");

    private void See(string? targetUri, string fileType, string label)
    {
        if (targetUri is null)
        {
            return;
        }

        if (_url is null)
        {
            _url = targetUri;
        }
        else if (!_urlsDisagree && !string.Equals(_url, targetUri, StringComparison.Ordinal))
        {
            _urlsDisagree = true;
            _problems.Add($"target URIs disagree: the {fileType} {label} record is for {targetUri}, earlier records of this group are for {_url}");
        }
    }

    /// <summary>The ERROR composite: every part's error document and every problem, each with all files' offsets.</summary>
    public ParseCompositeDocumentResult ErrorResult(Func<ParseDocumentResultStatus, ICompositeDoc, ParseCompositeDocumentResult> result)
    {
        var end = Offsets(_readers);
        var errors = new List<IErrorDoc>(_partErrors.Count + _problems.Count);
        foreach (var (fileType, part) in _partErrors)
        {
            // The part's own offsets are exact for its file; the other files get this group's range.
            var start = new Dictionary<string, string>(_start);
            var stop = new Dictionary<string, string>(end);
            Overlay(start, part.ErrorStartOffsetMap);
            Overlay(stop, part.ErrorEndOffsetMap);
            errors.Add(new CommonCrawlErrorDoc(start, stop, $"{fileType} record: {part.ErrorMessage}",
                part.RecordType ?? fileType + "_ERROR", (part as CommonCrawlErrorDoc)?.TargetUri ?? _url,
                (part as CommonCrawlErrorDoc)?.ExpectedRecordType));
        }

        foreach (var problem in _problems)
        {
            errors.Add(new CommonCrawlErrorDoc(_start, end, problem, "CommonCrawl,READER_ERROR", _url, null));
        }

        var summary = new ErrorDoc(_start, end, $"errors in getting documents for {_url ?? "an unknown URL"}", _url, "CommonCrawl,READER_ERROR");
        return result(ParseDocumentResultStatus.Error, new CompositeDoc(summary, errors));
    }

    public ParseCompositeDocumentResult SkipResult(string message,
        Func<ParseDocumentResultStatus, ICompositeDoc, ParseCompositeDocumentResult> result) =>
        result(ParseDocumentResultStatus.Skip, new CompositeDoc(new SkipDoc(_start, Offsets(_readers), message, _url, "CommonCrawl,SKIP")));

    private static void Overlay(Dictionary<string, string> target, IReadOnlyDictionary<string, string>? source)
    {
        if (source is null)
        {
            return;
        }

        foreach (var (key, value) in source)
        {
            target[key] = value;
        }
    }

    public static Dictionary<string, string> Offsets(IReadOnlyDictionary<string, ISystemFileReader> readers)
    {
        var offsets = new Dictionary<string, string>(readers.Count, StringComparer.Ordinal);
        foreach (var (type, reader) in readers)
        {
            offsets[type] = reader.OffsetBytes;
        }

        return offsets;
    }

    /// <summary>At the start of a file, consumes its warcinfo (and WAT warcinfo-metadata) records.</summary>
    public static void SkipFileHeaders(ISystemFileReader reader)
    {
        if (reader.OffsetBytes != "0")
        {
            return;
        }

        while (reader.NextRecord(peek: true) is { } next && CommonCrawlRecordTypes.IsFileHeader(RecordTypeOf(next)))
        {
            reader.NextRecord();
        }
    }

    private static string? RecordTypeOf(IDocument document) => document switch
    {
        // A broken warcinfo record is still a header: skip it instead of attributing it to the first URL.
        CommonCrawlErrorDoc error => error.ExpectedRecordType,
        _ => document.RecordType,
    };
}
