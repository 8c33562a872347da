using LetsData.Runtime.Confinement;

namespace LetsData.Runtime.Reading;

/// <summary>
/// The <c>LocalFiles</c> read connector: file names are relative to <c>rootPath</c>, and every file it opens is under
/// <c>rootPath</c> once symbolic links are followed (an absolute name is accepted only when it is).
/// </summary>
public sealed class LocalFileSource(string rootPath) : IFileSource
{
    private const int FileBufferBytes = 0; // the read-ahead stage buffers; a second FileStream buffer would only copy

    public string RootPath { get; } = Path.GetFullPath(rootPath);

    private string RealRoot => field ??= FileSystemFacts.RealPath(RootPath);

    public ValueTask<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken)
    {
        // The resolved path is opened, not the name: a link swapped in after the check cannot lead outside.
        var path = Resolve(fileName);
        if (Directory.Exists(path))
        {
            throw new FileNotFoundException($"input file {Describe(fileName)} is a folder, not a file", path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"input file not found: {Describe(fileName)}", path);
        }

        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferBytes,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        return ValueTask.FromResult(stream);
    }

    public string Describe(string fileName) => Path.GetFullPath(Path.Combine(RootPath, fileName));

    /// <summary>Why <paramref name="fileName"/> may not be read; null when it resolves under <c>rootPath</c>.</summary>
    public string? Refusal(string fileName) => Check(fileName).Refusal;

    private string Resolve(string fileName)
    {
        var (real, refusal) = Check(fileName);
        return refusal is null ? real : throw new InputOutsideRootException(refusal);
    }

    // One realpath(3) walk per name: the resolved path, and why it may not be read (null when it is under the root).
    private (string Real, string? Refusal) Check(string fileName)
    {
        var real = FileSystemFacts.RealPath(Describe(fileName));
        return (real, FileSystemFacts.IsUnder(real, RealRoot) ? null
            : $"'{fileName}' resolves to {real}, outside readConnector.rootPath {RealRoot}");
    }
}

/// <summary>An input file name (a manifest line, a plugin's resolved name) that leads outside the read connector's root.</summary>
public sealed class InputOutsideRootException(string message) : IOException(message);
