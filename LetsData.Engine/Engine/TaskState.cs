using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Reading;

namespace LetsData.Runtime.Engine;

/// <summary>Per-task bookkeeping: counters, the call site, opened inputs, progress publication.</summary>
internal sealed class TaskState(string pluginName, RunProgress progress, CancellationToken cancellationToken)
{
    private readonly long _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
    private readonly List<TaskInput> _inputs = [];
    private List<string>? _warnings;
    private bool _closed;
    private long _publishedRecords;
    private long _publishedDocuments;
    private long _publishedErrors;
    private long _publishedSkips;
    private long _publishedBytes;
    private long _sourceBytes;

    public TaskCounters Counters { get; } = new();

    /// <summary>What the task's files said about themselves at their end (shrank, held no record); set by <see cref="CloseInputs"/>.</summary>
    public IReadOnlyList<string> Warnings => _warnings ?? [];

    public PluginCallSite CallSite { get; } = new(pluginName);

    /// <summary>Bytes allocated on the task's thread since it started.</summary>
    public long AllocatedBytes => GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart;

    public TaskInput Open(IFileSource files, string fileType, string fileName, int maxRecordBytes, FileCheckpoint? resumeAt,
        bool decompressAhead = false)
    {
        var offset = resumeAt?.Offset ?? 0;
        CallSite.At(fileType, files.Describe(fileName), offset);
        var input = TaskInput.OpenAsync(files, fileName, maxRecordBytes, decompressAhead, resumeAt, cancellationToken)
            .AsTask().GetAwaiter().GetResult();
        _inputs.Add(input);
        CallSite.At(fileType, fileName, offset);
        return input;
    }

    /// <summary>Counts payload bytes of stream and table records (file tasks count their scanners' positions).</summary>
    public void AddSourceBytes(long bytes) => _sourceBytes += bytes;

    public void Publish(bool final = false)
    {
        if (final)
        {
            Counters.AllocatedBytes = AllocatedBytes;
        }

        Counters.BytesScanned = _sourceBytes;
        foreach (var input in _inputs)
        {
            Counters.BytesScanned += input.BytesScanned;
        }

        progress.Add(Counters.Records - _publishedRecords, Counters.Documents - _publishedDocuments,
            Counters.Errors - _publishedErrors, Counters.Skips - _publishedSkips, Counters.BytesScanned - _publishedBytes);
        (_publishedRecords, _publishedDocuments, _publishedErrors, _publishedSkips, _publishedBytes) =
            (Counters.Records, Counters.Documents, Counters.Errors, Counters.Skips, Counters.BytesScanned);
    }

    /// <summary>Closes the task's files; their scanners keep their final positions for the counters.</summary>
    public void CloseInputs()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        foreach (var input in _inputs)
        {
            Counters.BytesRead += input.RawBytesRead;
            if (input.EndOfFileWarning() is { } warning)
            {
                (_warnings ??= []).Add(warning);
            }

            try
            {
                input.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                // Closing a file that failed to read fails again; the task already carries the first error.
            }
        }
    }
}
