using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Runtime.Aws;

namespace LetsData.Runtime.Datasets;

/// <summary>
/// Reads an <c>S3ReaderS3LinkManifestFile</c>'s object (<c>manifestFileS3Uri</c>) as UTF-8 text, up to a size cap, for
/// the same parsing as an inline manifest. Failures are returned as problems naming the field and the URI.
/// </summary>
public static class S3LinkManifestReader
{
    /// <summary>The dataset field the manifest's URI comes from, as problems name it.</summary>
    public const string Field = "manifestFile.manifestFileS3Uri";

    /// <summary>Largest manifest accepted: a line per task, so even a million tasks fit well below it.</summary>
    public const long DefaultMaxBytes = 64L << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>The manifest text, or null after adding the reason to <paramref name="problems"/>.</summary>
    /// <param name="client">The S3 client to read with.</param>
    /// <param name="uri">The manifest object.</param>
    /// <param name="problems">Where a failure is reported, naming <see cref="Field"/> and the URI.</param>
    /// <param name="maxBytes">Size cap; a larger object is refused before its body is read.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public static async Task<string?> TryReadAsync(IAmazonS3 client, S3ObjectUri uri, List<string> problems,
        long maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = uri.BucketName, Key = uri.Key }, cancellationToken)
                .ConfigureAwait(false);
            if (response.ContentLength > maxBytes)
            {
                problems.Add($"{Field}: {uri}: the manifest is {response.ContentLength:N0} bytes, more than the limit of {maxBytes:N0}");
                return null;
            }

            using var buffer = new MemoryStream();
            // The length header is checked above; the copy is bounded too, in case an endpoint sends more than it said.
            var chunk = new byte[81920];
            int read;
            while ((read = await response.ResponseStream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    problems.Add($"{Field}: {uri}: the manifest is more than the limit of {maxBytes:N0} bytes");
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), uri, problems);
        }
        catch (Exception e) when (S3ObjectFailure.Describe(e, uri) is { } reason)
        {
            problems.Add($"{Field}: {uri}: {reason}");
            return null;
        }
    }

    private static string? Decode(ReadOnlySpan<byte> bytes, S3ObjectUri uri, List<string> problems)
    {
        if (bytes.StartsWith(ByteOrderMark))
        {
            bytes = bytes[ByteOrderMark.Length..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            problems.Add($"{Field}: {uri}: the manifest is not UTF-8 text ({e.Message})");
            return null;
        }
    }
}
