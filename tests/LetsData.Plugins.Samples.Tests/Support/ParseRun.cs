using LetsData.Interfaces.Documents;

namespace LetsData.Plugins.Samples.Tests.Support;

/// <summary>What a parser produced for one file: documents for the write destination, in order, and error docs.</summary>
internal sealed record ParseRun(IReadOnlyList<IDocument> Documents, IReadOnlyList<string> SerializedDocuments,
                                IReadOnlyList<IErrorDoc> ErrorDocs, long SkipCount);
