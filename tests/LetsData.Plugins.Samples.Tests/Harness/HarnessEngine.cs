using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.Tests.Support;
using LetsData.Runtime.Testing;

namespace LetsData.Plugins.Samples.Tests.Harness;

/// <summary>Runs the parser through the in-memory harness: the worker's own engine.</summary>
internal sealed class HarnessEngine : IParserEngine
{
    public async Task<ParseRun> RunAsync(Func<ISingleFileParser> createParser, string fileType, string fileName,
                                         ReadOnlyMemory<byte> content)
    {
        var result = await LetsDataTestHarness.RunSingleFileParserAsync(
            createParser, new HarnessFile(fileType, fileName, content));
        Assert.That(result.Tasks, Has.Count.EqualTo(1));
        Assert.That(result.Tasks[0].Succeeded, Is.True, () => $"task failed: {result.Tasks[0].ErrorMessage}");
        return new ParseRun(result.Documents, result.SerializedDocuments, result.ErrorDocs, result.SkipCount);
    }
}
