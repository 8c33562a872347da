namespace LetsData.Integration.Tests.Faults;

/// <summary>
/// The Kinesis client's transport, passed through unchanged, noting when a request fails to get an answer at all
/// (connection refused or reset, or the attempt's timeout while a frozen emulator stays silent). A test restarts or
/// thaws the emulator only after that, so the retry path has surely run.
/// </summary>
internal sealed class FailureWatch(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _failures;

    /// <summary>Completes at the first failed request.</summary>
    public Task FirstFailure => _failed.Task;

    public int Failures => Volatile.Read(ref _failures);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            Interlocked.Increment(ref _failures);
            _failed.TrySetResult();
            throw;
        }
    }
}
