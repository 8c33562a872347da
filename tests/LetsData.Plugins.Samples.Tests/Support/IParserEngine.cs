using LetsData.Interfaces.Readers;

namespace LetsData.Plugins.Samples.Tests.Support;

/// <summary>Runs a single-file parser over one file's content (gzip or plain).</summary>
internal interface IParserEngine
{
    Task<ParseRun> RunAsync(Func<ISingleFileParser> createParser, string fileType, string fileName,
                            ReadOnlyMemory<byte> content);
}
