using LetsData.Integration.Tests.Support;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Writing;

namespace LetsData.Integration.Tests.Faults;

/// <summary>
/// A write connector's test setup against its own emulator: the emulator, the client, the stream or table the sink
/// writes to, the sink factory under test and the error sink. The client also reads back after the run: it keeps its
/// endpoint, so it finds the same (restarted) emulator.
/// </summary>
internal sealed class SinkUnderTest<TClient, TFactory> : IDisposable
    where TClient : IDisposable
    where TFactory : IDocumentSinkFactory, IDisposable
{
    private SinkUnderTest(RestartableEmulator emulator, TClient client, string target, TFactory factory)
    {
        Emulator = emulator;
        Client = client;
        Target = target;
        Factory = factory;
    }

    public RestartableEmulator Emulator { get; }

    public TClient Client { get; }

    /// <summary>The stream or table name.</summary>
    public string Target { get; }

    public TFactory Factory { get; }

    public CapturingSinks Errors { get; } = new();

    /// <summary>Starts <paramref name="emulator"/>, then makes the client, the stream or table and the sink factory.</summary>
    public static async Task<SinkUnderTest<TClient, TFactory>> StartAsync(
        RestartableEmulator emulator, Func<Uri, TClient> newClient, Func<TClient, Task<string>> createTarget, Func<TClient, string, TFactory> newFactory)
    {
        var client = default(TClient);
        try
        {
            await emulator.StartAsync();
            client = newClient(emulator.Endpoint);
            var target = await createTarget(client);
            return new SinkUnderTest<TClient, TFactory>(emulator, client, target, newFactory(client, target));
        }
        catch
        {
            // The caller's using never sees a setup that failed half-way.
            client?.Dispose();
            emulator.Dispose();
            throw;
        }
    }

    /// <summary>The shared scenario (<see cref="OneTaskRun.BreakAtGateAsync"/>) over <paramref name="content"/>, writing through the sink under test.</summary>
    public Task<RunSummary> BreakAtGateAsync(byte[] content, int holdAt, EmulatorFault fault, Func<bool>? failureSeen = null) =>
        OneTaskRun.BreakAtGateAsync(new InMemoryFileSource().Add(OneTaskRun.FileName, content), holdAt, Factory, Errors, Emulator, fault, failureSeen);

    public void Dispose()
    {
        Factory.Dispose();
        Client.Dispose();
        Emulator.Dispose();
    }
}
