using Amazon.SQS.Model;
using LetsData.Runtime.Aws.Sqs;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Writing.Sqs;

namespace LetsData.Runtime.Connectors.Sqs;

/// <summary>
/// An SQS write connector: one message per document, to the queue named by <see cref="QueueName"/> or
/// <see cref="QueueUrl"/>; the document id goes to the <see cref="MessageIdAttributeName"/> attribute when set.
/// </summary>
public sealed record SqsOutput(string? QueueName, string? QueueUrl, string? MessageIdAttributeName) : WriteConnectorSettings
{
    public override string Location => $"sqs://{SqsClients.NameOf(QueueName, QueueUrl)}";
    internal override IWriteConnector Connector => SqsWriteConnector.Instance;
}

/// <summary>The <c>SQS</c> write connector (documents only): SendMessageBatch in 10s.</summary>
internal sealed class SqsWriteConnector : IWriteConnector
{
    public static SqsWriteConnector Instance { get; } = new();

    public string Destination => "SQS";
    public bool WritesErrors => false;

    public WriteConnectorSettings? Validate(string field, WriteConnectorConfig connector, List<string> problems)
    {
        ConfigFields.Forbid(field, Destination, problems, ("outputPath", connector.OutputPath), ("bucketName", connector.BucketName),
            ("prefix", connector.Prefix), ("compress", connector.Compress), ("streamName", connector.StreamName),
            ("compressRecords", connector.CompressRecords), ("tableName", connector.TableName), ("keyAttributeName", connector.KeyAttributeName));
        var attributeOk = true;
        if (connector.MessageIdAttributeName is { } attribute && !IsValidAttributeName(attribute))
        {
            problems.Add($"{field}.messageIdAttributeName: '{attribute}' is not a valid SQS message attribute name (1-256 letters, digits, '_', '-', '.'; no leading, trailing or doubled '.'; not starting with \"AWS.\" or \"Amazon.\")");
            attributeOk = false;
        }

        return SqsQueueFields.Check(field, connector.QueueName, connector.QueueUrl, problems) && attributeOk
            ? new SqsOutput(connector.QueueName, connector.QueueUrl, connector.MessageIdAttributeName)
            : null;
    }

    public IDocumentSinkFactory CreateDocumentSinks(WriteConnectorSettings settings, SinkSetup setup)
    {
        var output = (SqsOutput)settings;
        return new SqsDocumentSinkFactory(SqsClients.Create(setup.Credentials), output.QueueName, output.QueueUrl, output.MessageIdAttributeName,
            ownsClient: true);
    }

    public IErrorSinkFactory CreateErrorSinks(WriteConnectorSettings settings, SinkSetup setup) =>
        throw new NotSupportedException("an SQS connector takes documents only");

    public string? SetupProblem(string field, Exception e) =>
        e is Amazon.Runtime.AmazonClientException or InvalidOperationException ? SqsClients.SetupProblem(field, e) : null;

    // A standard queue, or a FIFO one when the name ends .fifo (the sink gives every message its deduplication id).
    public async Task<string?> CreateDestinationAsync(WriteConnectorSettings settings, SinkSetup setup, CancellationToken cancellationToken)
    {
        var output = (SqsOutput)settings;
        var name = SqsClients.NameOf(output.QueueName, output.QueueUrl);
        using var client = SqsClients.Create(setup.Credentials);
        try
        {
            await client.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = name }, cancellationToken).ConfigureAwait(false);
            return $"SQS queue {name} exists; left as it is";
        }
        catch (QueueDoesNotExistException)
        {
            // Missing: created below.
        }

        var request = new CreateQueueRequest { QueueName = name };
        if (SqsClients.IsFifo(name))
        {
            request.Attributes = new Dictionary<string, string> { ["FifoQueue"] = "true" };
        }

        await client.CreateQueueAsync(request, cancellationToken).ConfigureAwait(false);
        return $"created SQS queue {name}{(SqsClients.IsFifo(name) ? " (FIFO)" : "")}";
    }

    private static bool IsValidAttributeName(string name) =>
        name.Length is >= 1 and <= 256 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
        && !name.StartsWith('.') && !name.EndsWith('.') && !name.Contains("..", StringComparison.Ordinal)
        && !name.StartsWith("AWS.", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("Amazon.", StringComparison.OrdinalIgnoreCase);
}
