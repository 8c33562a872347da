using LetsData.Interfaces.Documents;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Testing;

/// <summary>What a harness run produced, in the order the engine produced it.</summary>
public sealed class HarnessResult
{
    internal HarnessResult(IReadOnlyList<IDocument> documents, IReadOnlyList<string> serializedDocuments,
        IReadOnlyList<ErrorRecord> errorRecords, long skipCount, IReadOnlyList<HarnessTaskResult> tasks)
    {
        Documents = documents;
        SerializedDocuments = serializedDocuments;
        ErrorRecords = errorRecords;
        ErrorDocs = errorRecords.Where(r => r.ErrorDoc is not null).Select(r => r.ErrorDoc!).ToList();
        SkipCount = skipCount;
        Tasks = tasks;
    }

    /// <summary>Documents sent to the write destination (for composite results: the kept document).</summary>
    public IReadOnlyList<IDocument> Documents { get; }

    /// <summary>
    /// The documents' serialized form: the lines the LocalFiles write connector would write (the UTF-8 form of an
    /// <c>IUtf8SerializableDocument</c>, decoded, after checking that it equals its <c>Serialize()</c> string).
    /// </summary>
    public IReadOnlyList<string> SerializedDocuments { get; }

    /// <summary>Error documents sent to the error destination.</summary>
    public IReadOnlyList<IErrorDoc> ErrorDocs { get; }

    /// <summary>Everything the error destination received, including the records of failed tasks.</summary>
    public IReadOnlyList<ErrorRecord> ErrorRecords { get; }

    public long SkipCount { get; }

    public IReadOnlyList<HarnessTaskResult> Tasks { get; }
}

/// <summary>
/// How one task ended: <see cref="ErrorMessage"/> says why when it did not succeed; <see cref="PluginException"/> is the
/// exception a plugin call threw, with its stack trace.
/// </summary>
public sealed record HarnessTaskResult(string TaskId, bool Succeeded, string? ErrorMessage, string? PluginException = null)
{
    /// <summary>What the task's files said about themselves without failing it: a file that held no record, or that shrank while it was read.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
