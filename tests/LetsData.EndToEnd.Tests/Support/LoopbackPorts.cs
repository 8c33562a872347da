using System.Net;
using System.Net.Sockets;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>Ports for the worker's local endpoints (metrics, status page).</summary>
internal static class LoopbackPorts
{
    /// <summary>A port free on 127.0.0.1 a moment ago (the system picked it).</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
