using System.Net;
using System.Net.Sockets;
using LetsData.Runtime.Observability.StatusPage;
using LetsData.Runtime.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace LetsData.Runtime.Tests.Observability;

/// <summary>The status page server over a real local task store: what a poller gets when a snapshot is cancelled.</summary>
public sealed class StatusPageServerTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("letsdata-status-page-").FullName;

    [TearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task ASnapshotCancelledUnderARequestIsRefused_NotAnEmptySuccess()
    {
        // A store call that times out (an SDK's TaskCanceledException) or the server closing mid-request: either way the
        // poller must not get a 200 with an empty body, which it would take for a snapshot.
        var store = new ListIsCancelled(new LocalTaskStore(Path.Combine(_folder, "state")));
        var dataset = StatusPageDatasets.Local(_folder, "Cancelled");
        var problems = new List<string>();
        var port = FreePort();
        await using var server = StatusPageServer.TryStart(port, history => new StatusSource(dataset, store, history, TimeProvider.System, liveRecords: () => 0),
            TimeProvider.System, NullLogger.Instance, problems);
        Assert.That(server, Is.Not.Null, string.Join("; ", problems));

        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/status.json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await response.Content.ReadAsStringAsync());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A store whose listing is cancelled under the request.</summary>
    private sealed class ListIsCancelled(ITaskStore inner) : ITaskStore
    {
        public string Location => inner.Location;

        public Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken = default) => inner.GetAsync(taskId, cancellationToken);

        public Task<IReadOnlyList<TaskRecord>> ListAsync(CancellationToken cancellationToken = default) =>
            Task.FromCanceled<IReadOnlyList<TaskRecord>>(new CancellationToken(canceled: true));

        public Task<TaskRecord> CreateIfAbsentAsync(TaskRecord record, CancellationToken cancellationToken = default) =>
            inner.CreateIfAbsentAsync(record, cancellationToken);

        public Task<TaskRecord> UpdateAsync(TaskRecord record, CancellationToken cancellationToken = default) =>
            inner.UpdateAsync(record, cancellationToken);
    }
}
