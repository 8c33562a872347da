namespace LetsData.Runtime.Reading;

/// <summary>Files held in memory, for the test harness and benchmarks. Same engine path as real files.</summary>
public sealed class InMemoryFileSource : IFileSource
{
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _files = new(StringComparer.Ordinal);

    public InMemoryFileSource Add(string fileName, ReadOnlyMemory<byte> content)
    {
        _files[fileName] = content;
        return this;
    }

    public ValueTask<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken)
    {
        if (!_files.TryGetValue(fileName, out var content))
        {
            throw new FileNotFoundException($"input file not found: {Describe(fileName)}", fileName);
        }

        return ValueTask.FromResult<Stream>(new ReadOnlyMemoryStream(content));
    }

    public string Describe(string fileName) => $"memory:{fileName}";
}
