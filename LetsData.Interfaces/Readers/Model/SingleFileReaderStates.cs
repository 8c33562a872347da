namespace LetsData.Interfaces.Readers;

/// <summary>The allowed <see cref="SingleFileReaderState"/> transitions.</summary>
public static class SingleFileReaderStates
{
    /// <summary>
    /// Whether a reader may move from <paramref name="from"/> to <paramref name="to"/>: staying in the
    /// same state is always allowed (so <c>Closed → Closed</c> is too); otherwise
    /// <c>Created → FileDownloaded | Processing | Closed</c>, <c>FileDownloaded → Processing</c>,
    /// <c>Processing → Completed | Closed</c>, <c>Completed → Closed</c>; nothing leaves <c>Closed</c>.
    /// </summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    /// <returns><see langword="true"/> when the transition is allowed; <see langword="false"/> for any undefined enum value.</returns>
    public static bool IsValidTransition(SingleFileReaderState from, SingleFileReaderState to)
    {
        if (!IsDefined(from) || !IsDefined(to))
        {
            return false;
        }
        if (from == to)
        {
            return true;
        }
        return from switch
        {
            SingleFileReaderState.Created => to is SingleFileReaderState.FileDownloaded
                                              or SingleFileReaderState.Processing
                                              or SingleFileReaderState.Closed,
            SingleFileReaderState.FileDownloaded => to is SingleFileReaderState.Processing,
            SingleFileReaderState.Processing => to is SingleFileReaderState.Completed or SingleFileReaderState.Closed,
            SingleFileReaderState.Completed => to is SingleFileReaderState.Closed,
            _ => false,
        };
    }

    /// <summary>Throws unless <see cref="IsValidTransition"/> allows the transition.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    /// <exception cref="InvalidOperationException">The transition is not allowed; the message names both states.</exception>
    public static void AssertValidTransition(SingleFileReaderState from, SingleFileReaderState to)
    {
        if (!IsValidTransition(from, to))
        {
            throw new InvalidOperationException(
                $"Invalid file reader state transition from {from} to {to}.");
        }
    }

    // Avoids Enum.IsDefined's boxing/reflection cost: the states are contiguous from Created to Completed.
    private static bool IsDefined(SingleFileReaderState state) =>
        (uint)state <= (uint)SingleFileReaderState.Completed;
}
