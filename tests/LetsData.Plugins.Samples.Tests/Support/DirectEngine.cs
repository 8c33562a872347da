using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Plugins.Samples.Tests.Support;

/// <summary>
/// Cuts records with the contract's extraction rule (CONTRACT.md, file readers) written out here by
/// hand, and calls <see cref="ISingleFileParser.ParseDocument"/> directly: the parsers' behaviour
/// checked without the runtime, and a second opinion on the runtime's record scanner.
/// </summary>
internal sealed class DirectEngine : IParserEngine
{
    public Task<ParseRun> RunAsync(Func<ISingleFileParser> createParser, string fileType, string fileName,
                                   ReadOnlyMemory<byte> content)
    {
        var parser = createParser();
        var file = TestData.Decompress(content.ToArray());
        var start = parser.GetRecordStartPattern(fileType).PatternUtf8.Span;
        var end = parser.GetRecordEndPattern(fileType).PatternUtf8.Span;
        var documents = new List<IDocument>();
        var errors = new List<IErrorDoc>();
        long skips = 0;
        foreach (var (offset, length) in CutRecords(file, start, end))
        {
            var result = parser.ParseDocument(fileType, fileName, offset, file.AsSpan(offset, length));
            switch (result.Status)
            {
                case ParseDocumentResultStatus.Success:
                    documents.Add(result.Document!);
                    break;
                case ParseDocumentResultStatus.Error:
                    errors.Add((IErrorDoc)result.Document!);
                    break;
                default:
                    skips++;
                    break;
            }
        }
        var run = new ParseRun(documents, documents.Select(d => d.Serialize()!).ToList(), errors, skips);
        return Task.FromResult(run);
    }

    /// <summary>Record = [start pattern, end pattern searched after the start pattern) or to EOF; the next search begins at the end pattern.</summary>
    public static IEnumerable<(int Offset, int Length)> CutRecords(byte[] file, ReadOnlySpan<byte> start, ReadOnlySpan<byte> end)
    {
        var records = new List<(int, int)>();
        var cursor = 0;
        while (true)
        {
            var found = file.AsSpan(cursor).IndexOf(start);
            if (found < 0)
            {
                return records;
            }
            var recordStart = cursor + found;
            var searchFrom = recordStart + start.Length;
            var endFound = file.AsSpan(searchFrom).IndexOf(end);
            var recordEnd = endFound < 0 ? file.Length : searchFrom + endFound;
            records.Add((recordStart, recordEnd - recordStart));
            cursor = recordEnd;
        }
    }
}
