using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Operations;

/// <summary>
/// Run side of <c>letsdata tasks stop</c>: looks for stop requests in the dataset's state folder twice a second, hands
/// each to <c>stop</c> (which asks the task's data-task process to stop at its next checkpoint) and writes the answer.
/// </summary>
internal sealed class TaskStopListener : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly TaskStopRequests _requests;
    private readonly Func<string, (bool Stopping, string Message)> _stop;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly Lock _polling = new();

    public TaskStopListener(TaskStopRequests requests, Func<string, (bool Stopping, string Message)> stop, ILogger logger, TimeProvider time)
    {
        _requests = requests;
        _stop = stop;
        _logger = logger;
        requests.Clear();
        _timer = time.CreateTimer(_ => Poll(), null, PollInterval, PollInterval);
    }

    /// <summary>Takes the pending requests now (the timer calls it).</summary>
    public void Poll()
    {
        lock (_polling)
        {
            try
            {
                foreach (var taskId in _requests.Take())
                {
                    var (stopping, message) = _stop(taskId);
                    _logger.LogInformation("letsdata tasks stop: {Message}", message);
                    _requests.Answer(taskId, stopping, message);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The state folder is unusable for a moment; a timer thread must not throw (it would end the process).
                _logger.LogWarning("letsdata tasks stop: the requests cannot be read: {Message}", e.Message);
            }
        }
    }

    public void Dispose() => _timer.Dispose();
}
