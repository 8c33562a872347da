using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.TestSupport;

/// <summary>Tests write documents to sinks as JSON text; the engine hands sinks its UTF-8 bytes.</summary>
internal static class DocumentSinkTextWrites
{
    public static void Write(this IDocumentSink sink, IDocument document, string serialized) =>
        sink.Write(document, Encoding.UTF8.GetBytes(serialized));
}
