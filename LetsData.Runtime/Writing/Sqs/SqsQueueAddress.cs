using Amazon.SQS;
using LetsData.Runtime.Aws.Sqs;

namespace LetsData.Runtime.Writing.Sqs;

/// <summary>A destination queue: its name, and its URL looked up once (on the first send) when only the name was given.</summary>
internal sealed class SqsQueueAddress(IAmazonSQS client, string? queueName, string? queueUrl)
{
    private readonly Lazy<Task<string>> _url = new(() => SqsClients.ResolveUrlAsync(client, queueName, queueUrl, CancellationToken.None));

    public string Name { get; } = SqsClients.NameOf(queueName, queueUrl);

    public bool IsFifo => SqsClients.IsFifo(Name);

    public Task<string> UrlAsync(CancellationToken cancellationToken) => _url.Value.WaitAsync(cancellationToken);
}
