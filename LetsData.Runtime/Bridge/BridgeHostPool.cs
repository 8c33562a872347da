using System.Collections.Concurrent;
using System.Text.Json;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// The hosts of one project: a host per concurrent caller, started on demand and health-checked (it must load the
/// interfaces the dataset uses) before its first call. A host that died is dropped and the next call starts a new one,
/// so a crash fails the call it happened in and nothing after it.
/// </summary>
internal sealed class BridgeHostPool(BridgeProject project, IReadOnlyList<BridgeInterface> interfaces, Action<string>? relay) : IBridgeChannel
{
    private readonly ConcurrentBag<BridgeHost> _idle = [];
    private readonly ConcurrentDictionary<BridgeHost, byte> _all = new();
    private bool _disposed;

    public BridgeProject Project { get; } = project;

    public string FileOf(BridgeInterface contract) => Project.FileOf(contract);

    /// <summary>Calls <paramref name="function"/> of <paramref name="contract"/> once; the call's result object.</summary>
    /// <exception cref="BridgeHostException">No host could start, or the host died during the call.</exception>
    public JsonElement Call(BridgeInterface contract, string function, Action<Utf8JsonWriter> writeData)
    {
        var request = BridgeRequests.Calls(contract, function, 1, (writer, _) => writeData(writer));
        return Send(request, $"{contract.Name}.{function}").GetProperty("results")[0];
    }

    /// <summary>Sends a request of many calls; the response's <c>results</c> array.</summary>
    public JsonElement CallMany(byte[] request, string what) => Send(request, what).GetProperty("results");

    private JsonElement Send(byte[] request, string what)
    {
        var host = Rent();
        try
        {
            return host.Send(request, what);
        }
        finally
        {
            Return(host);
        }
    }

    /// <summary>Starts a host and asks it to load the interfaces: what it answered (language, version, per interface a file and any error).</summary>
    public BridgeHello Hello()
    {
        var host = Start();
        try
        {
            return BridgeHello.Read(host.Send(BridgeRequests.Hello(interfaces), "the start-up check"));
        }
        finally
        {
            Return(host);
        }
    }

    private BridgeHost Rent()
    {
        while (_idle.TryTake(out var host))
        {
            if (host.IsAlive)
            {
                return host;
            }

            Drop(host);
        }

        var started = Start();
        try
        {
            // Health check: a host that cannot load the project's interfaces serves nothing.
            var hello = BridgeHello.Read(started.Send(BridgeRequests.Hello(interfaces), "the start-up check"));
            if (hello.FirstProblem() is { } problem)
            {
                throw new BridgeHostException(problem);
            }
        }
        catch
        {
            Drop(started);
            throw;
        }

        return started;
    }

    private BridgeHost Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var host = BridgePrestart.Active ? BridgePrestart.Take(Project) : BridgeHost.Start(Project, relay);
        _all[host] = 0;
        return host;
    }

    private void Return(BridgeHost host)
    {
        if (host.IsAlive && !_disposed)
        {
            _idle.Add(host);
        }
        else
        {
            Drop(host);
        }
    }

    private void Drop(BridgeHost host)
    {
        _all.TryRemove(host, out _);
        host.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var host in _all.Keys)
        {
            Drop(host);
        }
    }
}
