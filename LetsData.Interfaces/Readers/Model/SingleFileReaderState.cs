namespace LetsData.Interfaces.Readers;

/// <summary>
/// The life cycle of a file reader; <see cref="SingleFileReaderStates.IsValidTransition"/> lists the
/// allowed transitions.
/// </summary>
public enum SingleFileReaderState
{
    /// <summary>The reader exists; nothing has been read.</summary>
    Created,

    /// <summary>The file has been downloaded (or opened).</summary>
    FileDownloaded,

    /// <summary>Records are being read; results carry this state while records remain.</summary>
    Processing,

    /// <summary>The reader was closed; terminal.</summary>
    Closed,

    /// <summary>The end of the file was reached; a result with this state and a <see langword="null"/> document means done.</summary>
    Completed,
}
