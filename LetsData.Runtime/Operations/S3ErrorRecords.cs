using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Runtime.Writing.S3;

namespace LetsData.Runtime.Operations;

/// <summary>
/// The error records under an <c>S3</c> error connector's prefix: every finished task object
/// (<c>&lt;prefix&gt;&lt;taskId&gt;.jsonl</c>, <c>.errored.jsonl</c>, either with <c>.gz</c>), in key order. The
/// segments of a task still being written (<c>….jsonl.inprogress-…</c>) and keys in deeper "folders" are left out.
/// Read by <c>errors list</c>.
/// </summary>
internal static class S3ErrorRecords
{
    /// <summary>The records (only <paramref name="taskId"/>'s when given), at most <paramref name="limit"/>; the caller disposes them.</summary>
    /// <exception cref="AmazonS3Exception">Listing or reading failed (no bucket, no permission).</exception>
    public static async Task<List<JsonDocument>> ReadAsync(IAmazonS3 client, S3OutputLocation where, string? taskId, TextWriter warnings,
        int limit, CancellationToken cancellationToken)
    {
        var records = new List<JsonDocument>();
        var request = new ListObjectsV2Request
        {
            BucketName = where.BucketName,
            // "task-0001." rather than "task-0001": task-00010 is another task.
            Prefix = where.Prefix + (taskId is null ? "" : taskId + "."),
        };
        var keys = new List<string>();
        ListObjectsV2Response listed;
        do
        {
            listed = await client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            keys.AddRange((listed.S3Objects ?? []).Select(o => o.Key).Where(k => IsTaskObject(where.Prefix, k)));
            request.ContinuationToken = listed.NextContinuationToken;
        }
        while (listed.IsTruncated == true);

        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            using var response = await client.GetObjectAsync(where.BucketName, key, cancellationToken).ConfigureAwait(false);
            Stream body = key.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(response.ResponseStream, CompressionMode.Decompress) : response.ResponseStream;
            await using (body.ConfigureAwait(false))
            {
                using var reader = new StreamReader(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false));
                var lineNumber = 0;
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    lineNumber++;
                    if (line.Length == 0)
                    {
                        continue;
                    }

                    try
                    {
                        records.Add(JsonDocument.Parse(line));
                    }
                    catch (JsonException e)
                    {
                        warnings.WriteLine($"letsdata: s3://{where.BucketName}/{key}:{lineNumber}: not a JSON error record ({e.Message}); left out");
                        continue;
                    }

                    if (records.Count >= limit)
                    {
                        return records;
                    }
                }
            }
        }

        return records;
    }

    /// <summary>Whether <paramref name="key"/> is a task's finished object directly under <paramref name="prefix"/>.</summary>
    public static bool IsTaskObject(string prefix, string key)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var name = key.AsSpan(prefix.Length);
        return !name.Contains('/') && (name.EndsWith(".jsonl", StringComparison.Ordinal) || name.EndsWith(".jsonl.gz", StringComparison.Ordinal))
            && name.Length > ".jsonl".Length;
    }
}
