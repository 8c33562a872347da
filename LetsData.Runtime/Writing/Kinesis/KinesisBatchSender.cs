using LetsData.Runtime.Aws.Kinesis;

namespace LetsData.Runtime.Writing.Kinesis;

/// <summary>
/// Sends one batch until every record is stored: a partially failed PutRecords is followed by a request holding only
/// the refused records, after a backoff, as long as their error codes are transient. Whole-request failures are the
/// client's to retry.
/// </summary>
internal sealed class KinesisBatchSender(KinesisClient client, string streamName, string taskId, KinesisWriteStatistics statistics)
{
    public string StreamName => streamName;

    public string TaskId => taskId;

    public async Task SendAsync(KinesisPutRecordsBatch batch, CancellationToken cancellationToken)
    {
        List<int>? pending = null;
        var retries = 0;
        var waited = TimeSpan.Zero;
        try
        {
            while (true)
            {
                var sent = pending?.Count ?? batch.Count;
                var result = await client.PutRecordsAsync(streamName, batch, pending, includeSequenceNumbers: false, cancellationToken)
                    .ConfigureAwait(false);
                statistics.AddCall(sent - result.FailedRecordCount, StoredBytes(batch, pending, result));
                if (result.FailedRecordCount == 0)
                {
                    return;
                }

                var refused = new List<int>(result.FailedRecordCount);
                KinesisPutRecordResult lastError = default;
                for (var i = 0; i < result.Records.Count; i++)
                {
                    var record = result.Records[i];
                    if (!record.Failed)
                    {
                        continue;
                    }

                    if (!IsTransient(record.ErrorCode!))
                    {
                        throw Failure(record.ErrorCode!, 200, $"Kinesis refused a record: {record.ErrorCode}: {record.ErrorMessage}", null);
                    }

                    lastError = record;
                    refused.Add(pending?[i] ?? i);
                }

                // Progress (some records stored) restarts the budget: only a stream that takes nothing at all for the
                // whole budget fails the task, and the budget restarts at most once per record, so this still ends.
                if (refused.Count < sent)
                {
                    retries = 0;
                    waited = TimeSpan.Zero;
                }

                retries++;
                if (client.RetryPolicy.NextDelay(retries, retries, waited) is not { } delay)
                {
                    throw Failure(lastError.ErrorCode!, 200,
                        $"{refused.Count} records still refused after {retries} attempts; last error {lastError.ErrorCode}: {lastError.ErrorMessage}", null);
                }

                statistics.AddResent(refused.Count);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                waited += delay;
                pending = refused;
            }
        }
        catch (KinesisException e) when (!e.Message.StartsWith(FailurePrefix, StringComparison.Ordinal))
        {
            throw Failure(e.ErrorCode, e.StatusCode, e.Message, e);
        }
    }

    private string FailurePrefix => $"Kinesis write to stream '{streamName}' (task {taskId}) failed";

    private KinesisException Failure(string code, int status, string detail, Exception? inner) =>
        new(code, status, $"{FailurePrefix}: {code}: {detail}", inner);

    private static bool IsTransient(string errorCode) =>
        errorCode is "ProvisionedThroughputExceededException" or "InternalFailure" or "KMSThrottlingException" or "ServiceUnavailable";

    private static long StoredBytes(KinesisPutRecordsBatch batch, List<int>? pending, KinesisPutRecordsResult result)
    {
        long bytes = 0;
        for (var i = 0; i < result.Records.Count; i++)
        {
            if (!result.Records[i].Failed)
            {
                bytes += batch.DataAt(pending?[i] ?? i).Length;
            }
        }

        return bytes;
    }
}
