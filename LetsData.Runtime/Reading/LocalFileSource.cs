namespace LetsData.Runtime.Reading;

/// <summary>The <c>LocalFiles</c> read connector: file names are relative to <c>rootPath</c> (or absolute).</summary>
public sealed class LocalFileSource(string rootPath) : IFileSource
{
    private const int FileBufferBytes = 0; // the read-ahead stage buffers; a second FileStream buffer would only copy

    public string RootPath { get; } = Path.GetFullPath(rootPath);

    public ValueTask<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken)
    {
        var path = Describe(fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"input file not found: {path}", path);
        }

        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferBytes,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        return ValueTask.FromResult(stream);
    }

    public string Describe(string fileName) => Path.GetFullPath(Path.Combine(RootPath, fileName));
}
