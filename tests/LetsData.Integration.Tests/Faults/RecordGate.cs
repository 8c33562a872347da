namespace LetsData.Integration.Tests.Faults;

/// <summary>
/// Holds the engine at one record so a test can break an emulator at a known point of a run instead of racing it:
/// the parser calls <see cref="Hold"/>, the test awaits <see cref="Reached"/>, does its damage and calls
/// <see cref="Release"/>.
/// </summary>
internal sealed class RecordGate
{
    /// <summary>Longer than any emulator restart; only a test that forgets to release ever waits this long.</summary>
    private static readonly TimeSpan HoldLimit = TimeSpan.FromMinutes(2);

    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _released = new();

    /// <summary>Completes when the parser arrives at the gate.</summary>
    public Task Reached => _reached.Task;

    public void Release() => _released.Set();

    /// <summary>Called on the engine's thread: signals arrival and blocks until released.</summary>
    public void Hold()
    {
        _reached.TrySetResult();
        if (!_released.Wait(HoldLimit))
        {
            throw new TimeoutException($"the test did not release the record gate within {HoldLimit}");
        }
    }
}
