namespace LetsData.Runtime.Reading;

/// <summary>Where a read connector's files come from (local disk, S3, memory). Opens one file as a raw byte stream.</summary>
public interface IFileSource
{
    /// <summary>Opens <paramref name="fileName"/> for sequential reading. Throws <see cref="FileNotFoundException"/> when it does not exist.</summary>
    ValueTask<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken);

    /// <summary>
    /// Opens <paramref name="fileName"/> for sequential reading from byte <paramref name="offset"/> on (a resumed task).
    /// The default opens the file and skips to the offset; sources that can start there directly (a seek, a ranged GET)
    /// do so.
    /// </summary>
    async ValueTask<Stream> OpenReadAsync(string fileName, long offset, CancellationToken cancellationToken)
    {
        var stream = await OpenReadAsync(fileName, cancellationToken).ConfigureAwait(false);
        if (offset > 0)
        {
            await StreamSkipping.SkipAsync(stream, offset, Describe(fileName), 0, cancellationToken).ConfigureAwait(false);
        }

        return stream;
    }

    /// <summary>A human-readable location of the file for error messages (a path, an s3:// URI, ...).</summary>
    string Describe(string fileName);
}
