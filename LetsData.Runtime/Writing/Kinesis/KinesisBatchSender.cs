using LetsData.Runtime.Aws.AwsJson;
using LetsData.Runtime.Aws.Kinesis;

namespace LetsData.Runtime.Writing.Kinesis;

/// <summary>
/// Sends one batch until every record is stored: a partially failed PutRecords is followed by a request holding only
/// the refused records, after a backoff, as long as their error codes are transient. Whole-request failures are the
/// client's to retry.
/// </summary>
internal sealed class KinesisBatchSender(KinesisClient client, string streamName, string taskId, KinesisWriteStatistics statistics)
{
    public async Task SendAsync(KinesisPutRecordsBatch batch, CancellationToken cancellationToken)
    {
        List<int>? pending = null;
        var retries = 0;
        var waited = TimeSpan.Zero;
        while (true)
        {
            var sent = pending?.Count ?? batch.Count;
            KinesisPutRecordsResult result;
            try
            {
                result = await client.PutRecordsAsync(streamName, batch, pending, includeSequenceNumbers: false, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (KinesisException e)
            {
                // The client retried what was worth retrying; name the stream and task on what is left.
                throw Failure(e.ErrorCode, e.StatusCode, e.Message, e);
            }

            statistics.AddCall(sent - result.FailedRecordCount);
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

                if (!AwsRetryPolicy.IsRetryable(record.ErrorCode!, 200))
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

    private KinesisException Failure(string code, int status, string detail, Exception? inner) =>
        new(code, status, $"Kinesis write to stream '{streamName}' (task {taskId}) failed: {code}: {detail}", inner);
}
