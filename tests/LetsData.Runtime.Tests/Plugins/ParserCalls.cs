using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Tests.Plugins;

/// <summary>Calls a test plugin's parser and returns the key-values of the document it produced.</summary>
internal static class ParserCalls
{
    public static IReadOnlyDictionary<string, object?> ParseValues(ISingleFileParser parser, string record = "a line")
    {
        var result = parser.ParseDocument("LINES", "input.txt", 0, Encoding.UTF8.GetBytes(record));
        Assert.That(result.Document, Is.InstanceOf<Document>(), "test plugins return the contract's Document");
        return ((Document)result.Document!).KeyValues;
    }
}
