using System.Text.Json;
using Amazon.DynamoDBv2;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Integration.Tests.Support;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Writing.DynamoDB;

namespace LetsData.Integration.Tests.Faults;

/// <summary>
/// The DynamoDB write connector while dynalite crashes (SIGKILL) mid-run. dynalite with <c>--path</c> keeps tables and
/// items in LevelDB, so a restart on the same port and folder finds the table and the items written before. Also
/// frozen (SIGSTOP): connections stay open and silent, and only the client's timeout notices.
/// </summary>
public class DynamoDBEmulatorRestartTests
{
    private const string Key = "documentId";
    private const int Lines = 2_000;

    /// <summary>How long one call may wait for an answer when the emulator is frozen (the SDK's default is 100 s).</summary>
    private static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(1);

    /// <summary>Well past the first 25-item batches, so the table holds items from before the crash.</summary>
    private const int HoldAt = 800;

    /// <summary>Outlasts a restart by far: short waits, many retries.</summary>
    private static readonly DynamoDBWriteOptions OutlastsARestart = new()
    {
        MaxRetries = 10_000, InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>Spent in well under a second while the emulator is down.</summary>
    private static readonly DynamoDBWriteOptions Short = new()
    {
        MaxRetries = 3, InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50),
    };

    [Test]
    public async Task EveryItemIsInTheTableAfterTheEmulatorRestartsMidWrite()
    {
        var content = LineFiles.Generate(Lines, 200);
        var expected = await OneTaskRun.UndisturbedDocumentsAsync(content);
        using var emulator = RestartableEmulator.DynamoDB();
        await emulator.StartAsync();
        using var client = NewClient(emulator);
        var table = await DynamoDBTestTables.CreateAsync(client, Key);
        using var factory = new DynamoDBDocumentSinkFactory(client, table, keyAttributeName: null, ownsClient: false, OutlastsARestart);
        var gate = new RecordGate();
        var errors = new CapturingSinks();

        var run = OneTaskRun.Start(new InMemoryFileSource().Add(OneTaskRun.FileName, content), () => new GatedLineParser(gate, HoldAt), factory, errors);
        await OneTaskRun.WaitAtGateAsync(gate, run);
        emulator.Kill();
        gate.Release();

        // The connector has met the dead emulator and is retrying before it comes back.
        await WaitForAsync(() => factory.Counters.ErrorRetries > 0, run);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await emulator.StartAsync();
        var summary = await run.WaitAsync(OneTaskRun.Guard);

        OneTaskRun.AssertCompleted(summary);
        Assert.That(errors.Errors, Is.Empty);
        var items = (await DynamoDBTestTables.ScanAllAsync(client, table)).ToDictionary(i => i[Key].S);
        Assert.That(items, Has.Count.EqualTo(expected.Count));
        foreach (var json in expected)
        {
            using var document = JsonDocument.Parse(json);
            var id = document.RootElement.GetProperty(Key).GetString()!;
            Assert.That(items, Does.ContainKey(id));
            DynamoDBTestTables.AssertItemEqualsJson(document.RootElement, items[id], id);
        }

        TestContext.Out.WriteLine($"{factory.Counters.ErrorRetries} BatchWriteItem retries while the emulator was down");
        Assert.That(emulator.Starts, Is.EqualTo(2));
    }

    [Test]
    public async Task AnEmulatorThatDoesNotComeBackFailsTheTaskNamingTheTableWithinTheBudget()
    {
        var content = LineFiles.Generate(Lines, 200);
        using var emulator = RestartableEmulator.DynamoDB();
        await emulator.StartAsync();
        using var client = NewClient(emulator);
        var table = await DynamoDBTestTables.CreateAsync(client, Key);
        using var factory = new DynamoDBDocumentSinkFactory(client, table, keyAttributeName: null, ownsClient: false, Short);
        var gate = new RecordGate();
        var errors = new CapturingSinks();

        var run = OneTaskRun.Start(new InMemoryFileSource().Add(OneTaskRun.FileName, content), () => new GatedLineParser(gate, HoldAt), factory, errors);
        await OneTaskRun.WaitAtGateAsync(gate, run);
        emulator.Kill();
        gate.Release();
        var summary = await run.WaitAsync(OneTaskRun.Guard);

        var task = summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain($"DynamoDB table '{table}'").And.Contain("BatchWriteItem")
            .And.Contain($"{Short.MaxRetries + 1} times in a row"));
        Assert.That(factory.Counters.ErrorRetries, Is.EqualTo(Short.MaxRetries), "one batch's retries, then the task stops sending");
        TestContext.Out.WriteLine(task.ErrorMessage);
    }

    [Test]
    public async Task EveryItemIsInTheTableAfterTheEmulatorFreezesAndThaws()
    {
        var content = LineFiles.Generate(Lines, 200);
        var expected = await OneTaskRun.UndisturbedDocumentsAsync(content);
        using var emulator = RestartableEmulator.DynamoDB();
        await emulator.StartAsync();
        using var client = NewClient(emulator, SilenceLimit);
        var table = await DynamoDBTestTables.CreateAsync(client, Key);
        using var factory = new DynamoDBDocumentSinkFactory(client, table, keyAttributeName: null, ownsClient: false, OutlastsARestart);
        var gate = new RecordGate();
        var errors = new CapturingSinks();

        var run = OneTaskRun.Start(new InMemoryFileSource().Add(OneTaskRun.FileName, content), () => new GatedLineParser(gate, HoldAt), factory, errors);
        await OneTaskRun.WaitAtGateAsync(gate, run);
        emulator.Freeze();
        try
        {
            gate.Release();

            // A call timed out against the silent emulator and the connector is retrying.
            await WaitForAsync(() => factory.Counters.ErrorRetries > 0, run);
        }
        finally
        {
            emulator.Thaw();
        }

        var summary = await run.WaitAsync(OneTaskRun.Guard);

        OneTaskRun.AssertCompleted(summary);
        var ids = (await DynamoDBTestTables.ScanAllAsync(client, table)).Select(i => i[Key].S).ToList();
        Assert.That(ids, Is.EquivalentTo(expected.Select(json => JsonDocument.Parse(json).RootElement.GetProperty(Key).GetString())));
        TestContext.Out.WriteLine($"{factory.Counters.ErrorRetries} BatchWriteItem retries while the emulator was frozen");
    }

    [Test]
    public async Task AnEmulatorFrozenForGoodFailsTheTaskNamingTheTableWithinTheBudget()
    {
        var content = LineFiles.Generate(Lines, 200);
        using var emulator = RestartableEmulator.DynamoDB();
        await emulator.StartAsync();
        using var client = NewClient(emulator, SilenceLimit);
        var table = await DynamoDBTestTables.CreateAsync(client, Key);
        using var factory = new DynamoDBDocumentSinkFactory(client, table, keyAttributeName: null, ownsClient: false, Short);
        var gate = new RecordGate();
        var errors = new CapturingSinks();

        var run = OneTaskRun.Start(new InMemoryFileSource().Add(OneTaskRun.FileName, content), () => new GatedLineParser(gate, HoldAt), factory, errors);
        await OneTaskRun.WaitAtGateAsync(gate, run);
        emulator.Freeze();
        RunSummary summary;
        try
        {
            gate.Release();
            summary = await run.WaitAsync(OneTaskRun.Guard);
        }
        finally
        {
            emulator.Thaw();
        }

        var task = summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain($"DynamoDB table '{table}'").And.Contain("BatchWriteItem")
            .And.Contain($"{Short.MaxRetries + 1} times in a row").And.Contain("TimeoutException"), "timeouts are retried like refused connections");
        TestContext.Out.WriteLine(task.ErrorMessage);
    }

    /// <summary>
    /// The SDK's own retries stay on (as in production); the connector's budget comes on top of them. A frozen
    /// emulator is noticed only through the client's timeout, which is the SDK's configuration, not the connector's.
    /// </summary>
    private static AmazonDynamoDBClient NewClient(RestartableEmulator emulator, TimeSpan? timeout = null) =>
        DynamoDBClients.Create(c =>
        {
            c.ServiceURL = emulator.Endpoint.ToString();
            if (timeout is { } limit)
            {
                c.Timeout = limit;
            }
        });

    private static async Task WaitForAsync(Func<bool> condition, Task run)
    {
        using var guard = new CancellationTokenSource(OneTaskRun.Guard);
        while (!condition())
        {
            Assert.That(run.IsCompleted, Is.False, "the run ended before the condition was met");
            await Task.Delay(10, guard.Token);
        }
    }
}
