using System.Buffers;

namespace LetsData.Interfaces.Documents;

/// <summary>
/// Optional for a document: writes its serialized form straight as UTF-8. The .NET runtime writes documents as UTF-8
/// (files, Kinesis records, DynamoDB items); for a document that implements this, it skips the string
/// <see cref="IDocument.Serialize"/> builds and the encoding of that string back to UTF-8 — two extra passes over a
/// large document such as a crawled page's text. An addition of the .NET contract; the Java interfaces have no
/// counterpart, and a document without it is written from <see cref="IDocument.Serialize"/> as before.
/// </summary>
/// <remarks>
/// The bytes must be exactly the UTF-8 encoding of what <see cref="IDocument.Serialize"/> returns, so that the output
/// does not depend on which of the two the runtime calls: in particular, invalid UTF-8 in source data must be written
/// as U+FFFD (EF BF BD), the character a decode to the string gives. <c>LetsDataTestHarness</c> checks this for every
/// document it captures.
/// </remarks>
public interface IUtf8SerializableDocument : IDocument
{
    /// <summary>Writes the serialized document to <paramref name="output"/> as UTF-8.</summary>
    /// <param name="output">
    /// Where to write; the runtime reuses it between documents, so do not keep it or write to it after returning.
    /// </param>
    /// <returns>
    /// <see langword="false"/>, having written nothing, when there is nothing to write (where
    /// <see cref="IDocument.Serialize"/> returns <see langword="null"/>).
    /// </returns>
    bool TrySerializeUtf8(IBufferWriter<byte> output);
}
