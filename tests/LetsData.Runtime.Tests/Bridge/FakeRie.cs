using System.Diagnostics;
using System.Net.Http.Json;
using LetsData.Runtime.Bridge;

namespace LetsData.Runtime.Tests.Bridge;

/// <summary>
/// tests/TestPlugins/Bridge/fake-rie/fake_rie.mjs serving a project through our own host: LetsData's envelope checked
/// as LetsData's handlers check it. Stopped when disposed.
/// </summary>
internal sealed class FakeRie : IDisposable
{
    private readonly Process _process;

    private FakeRie(Process process, int port)
    {
        _process = process;
        Endpoint = new Uri($"http://127.0.0.1:{port}/2015-03-31/functions/function/invocations");
    }

    public Uri Endpoint { get; }

    public static FakeRie Start(BridgeLanguage language, string project)
    {
        var start = new ProcessStartInfo(BridgeLanguage.JavaScript.FindInterpreter() ?? "node")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Path.GetDirectoryName(TestProjects.Sample("x"))!, "fake-rie", "fake_rie.mjs"));
        start.ArgumentList.Add(language.Name());
        start.ArgumentList.Add(project);
        start.ArgumentList.Add(language.HostScript());
        var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the fake RIE did not start");
        return new FakeRie(process, int.Parse(line["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>TCP connections accepted, invocations, and invocations refused for not being LetsData's envelope.</summary>
    public async Task<RieStats> StatsAsync()
    {
        using var client = new HttpClient();
        return (await client.GetFromJsonAsync<RieStats>(new Uri(Endpoint, "/stats")))!;
    }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}

internal sealed record RieStats(int Connections, int Requests, int Rejected);
