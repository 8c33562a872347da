using System.Security.Cryptography;
using System.Text;
using LetsData.Interfaces.Documents;

namespace LetsData.Runtime.Writing.Sqs;

/// <summary>
/// A FIFO message's group and deduplication ids, from the document. Group: the document's partition key, else the
/// task id — documents of one key (or one task) keep their order, different keys are delivered in parallel. Dedup:
/// the document id, else the SHA-256 of the body — so a document sent again within SQS's 5-minute window (a task
/// resumed from its checkpoint resends what it wrote after it) is stored once.
/// </summary>
internal static class SqsMessageKeys
{
    private const int MaxIdLength = 128;

    public static string GroupId(IDocument document, string taskId) => Fit(document.PartitionKey is { Length: > 0 } key ? key : taskId);

    public static string DeduplicationId(IDocument document, string body) =>
        document.DocumentId is { Length: > 0 } id ? Fit(id) : Hash(body);

    /// <summary>
    /// The text itself when SQS takes it as an id (1-128 characters, ASCII letters, digits and punctuation); otherwise
    /// its SHA-256 in hex, which does: equal texts still give equal ids.
    /// </summary>
    private static string Fit(string text) =>
        text.Length <= MaxIdLength && text.All(c => c is >= '!' and <= '~') ? text : Hash(text);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
