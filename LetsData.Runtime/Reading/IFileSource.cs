namespace LetsData.Runtime.Reading;

/// <summary>Where a read connector's files come from (local disk, S3, memory). Opens one file as a raw byte stream.</summary>
public interface IFileSource
{
    /// <summary>Opens <paramref name="fileName"/> for sequential reading. Throws <see cref="FileNotFoundException"/> when it does not exist.</summary>
    ValueTask<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken);

    /// <summary>A human-readable location of the file for error messages (a path, an s3:// URI, ...).</summary>
    string Describe(string fileName);
}
