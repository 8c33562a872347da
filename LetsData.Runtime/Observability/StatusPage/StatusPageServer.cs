using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Observability.StatusPage;

/// <summary>
/// Serves the status page on <c>http://127.0.0.1:PORT/</c> (<c>run --ui PORT</c>, <c>letsdata ui</c>): the page itself
/// (one self-contained HTML file, no assets from elsewhere) and <c>/status.json</c>, which it polls. Loopback only and
/// read-only: nothing on the page changes the run.
/// </summary>
internal sealed class StatusPageServer : IAsyncDisposable
{
    /// <summary>How often the throughput is sampled.</summary>
    public static readonly TimeSpan SamplePeriod = TimeSpan.FromSeconds(2);

    // Ten minutes of samples at the period above.
    private const int SamplesKept = 300;

    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var resource = typeof(StatusPageServer).Assembly.GetManifestResourceStream("LetsData.StatusPage.html")
            ?? throw new InvalidOperationException("the status page is missing from the worker's resources");
        using var copy = new MemoryStream();
        resource.CopyTo(copy);
        return copy.ToArray();
    });

    private readonly HttpListener _listener;
    private readonly StatusSource _source;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _serving;
    private readonly Task _sampling;

    private StatusPageServer(HttpListener listener, StatusSource source, ThroughputHistory history, TimeProvider time, ILogger logger)
    {
        _listener = listener;
        _source = source;
        _logger = logger;
        _serving = Task.Run(ServeAsync);
        _sampling = history.SampleAsync(source.RecordsAsync, SamplePeriod, time, _stopping.Token);
    }

    /// <summary>The page's address.</summary>
    public required Uri Address { get; init; }

    /// <summary>Starts serving; null with a problem when the port cannot be listened on.</summary>
    /// <param name="port">The loopback port.</param>
    /// <param name="createSource">Makes the page's source around the history the server samples into.</param>
    /// <param name="time">The clock of the samples.</param>
    /// <param name="logger">Receives request failures.</param>
    /// <param name="problems">Receives the problem.</param>
    public static StatusPageServer? TryStart(int port, Func<ThroughputHistory, StatusSource> createSource, TimeProvider time, ILogger logger,
        List<string> problems)
    {
        var address = new Uri($"http://127.0.0.1:{port}/");
        var listener = new HttpListener();
        listener.Prefixes.Add(address.ToString());
        try
        {
            listener.Start();
        }
        catch (Exception e) when (e is HttpListenerException or SocketException)
        {
            listener.Close();
            problems.Add($"--ui {port}: cannot serve the status page on 127.0.0.1: {e.Message}");
            return null;
        }

        var history = new ThroughputHistory(SamplesKept);
        return new StatusPageServer(listener, createSource(history), history, time, logger) { Address = address };
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Close();
        await _sampling.ConfigureAwait(false);
        await _serving.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // Closed.
            }

            // One request at a time: a page polling every two seconds needs no more, and a slow store read cannot pile up.
            await RespondAsync(context).ConfigureAwait(false);
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var (status, type, body) = context.Request.HttpMethod != "GET" ? (405, "text/plain", "GET only\n"u8.ToArray())
                : context.Request.Url?.AbsolutePath switch
                {
                    "/" or "/index.html" => (200, "text/html; charset=utf-8", Page.Value),
                    "/status.json" => (200, "application/json", await _source.SnapshotJsonAsync(_stopping.Token).ConfigureAwait(false)),
                    _ => (404, "text/plain", "not found\n"u8.ToArray()),
                };
            response.StatusCode = status;
            response.ContentType = type;
            response.Headers["Cache-Control"] = "no-store";
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed store read or a closed connection costs that request, not the page or the run.
            _logger.LogWarning("status page: {Path}: {Message}", context.Request.Url?.AbsolutePath, e.Message);
            TrySetStatus(response, 500);
        }
        catch (OperationCanceledException)
        {
            // Closing: a request the snapshot was cancelled for gets 503, not an empty 200 (a poller would read "").
            TrySetStatus(response, 503);
        }
        finally
        {
            response.Close();
        }
    }

    private static void TrySetStatus(HttpListenerResponse response, int status)
    {
        try
        {
            response.StatusCode = status;
        }
        catch (InvalidOperationException)
        {
            // Headers already sent.
        }
    }
}
