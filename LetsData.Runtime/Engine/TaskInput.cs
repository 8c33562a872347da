using LetsData.Runtime.Reading;

namespace LetsData.Runtime.Engine;

/// <summary>One opened file of a task: the decoded stream and the record scanner over it.</summary>
internal sealed class TaskInput : IAsyncDisposable
{
    private readonly OpenedInput _input;

    private TaskInput(OpenedInput input, RecordScanner scanner)
    {
        _input = input;
        Scanner = scanner;
    }

    public RecordScanner Scanner { get; }
    public long RawBytesRead => _input.RawBytesRead;

    public static async ValueTask<TaskInput> OpenAsync(IFileSource source, string fileName, int maxRecordBytes,
        bool decompressAhead, CancellationToken cancellationToken)
    {
        var input = await InputOpener.OpenAsync(source, fileName, decompressAhead, cancellationToken).ConfigureAwait(false);
        return new TaskInput(input, new RecordScanner(input.Decoded, fileName, maxRecordBytes));
    }

    public async ValueTask DisposeAsync()
    {
        Scanner.Dispose();
        await _input.DisposeAsync().ConfigureAwait(false);
    }
}
