using System.Text.Json;
using Amazon.DynamoDBv2;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Engine;
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
        using var setup = await StartAsync(OutlastsARestart);
        var factory = setup.Factory;

        // Restarted once the connector has met the dead emulator and is retrying.
        var summary = await setup.BreakAtGateAsync(content, HoldAt, EmulatorFault.KillThenRestart, () => factory.Counters.ErrorRetries > 0);

        OneTaskRun.AssertCompleted(summary);
        Assert.That(setup.Errors.Errors, Is.Empty);
        var items = (await DynamoDBTestTables.ScanAllAsync(setup.Client, setup.Target)).ToDictionary(i => i[Key].S);
        Assert.That(items, Has.Count.EqualTo(expected.Count));
        foreach (var json in expected)
        {
            using var document = JsonDocument.Parse(json);
            var id = document.RootElement.GetProperty(Key).GetString()!;
            Assert.That(items, Does.ContainKey(id));
            DynamoDBTestTables.AssertItemEqualsJson(document.RootElement, items[id], id);
        }

        TestContext.Out.WriteLine($"{factory.Counters.ErrorRetries} BatchWriteItem retries while the emulator was down");
        Assert.That(setup.Emulator.Starts, Is.EqualTo(2));
    }

    [Test]
    public async Task AnEmulatorThatDoesNotComeBackFailsTheTaskNamingTheTableWithinTheBudget()
    {
        var content = LineFiles.Generate(Lines, 200);
        using var setup = await StartAsync(Short);

        var summary = await setup.BreakAtGateAsync(content, HoldAt, EmulatorFault.KillForGood);

        var task = summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain($"DynamoDB table '{setup.Target}'").And.Contain("BatchWriteItem")
            .And.Contain($"{Short.MaxRetries + 1} times in a row"));
        Assert.That(setup.Factory.Counters.ErrorRetries, Is.EqualTo(Short.MaxRetries), "one batch's retries, then the task stops sending");
        TestContext.Out.WriteLine(task.ErrorMessage);
    }

    [Test]
    public async Task EveryItemIsInTheTableAfterTheEmulatorFreezesAndThaws()
    {
        var content = LineFiles.Generate(Lines, 200);
        var expected = await OneTaskRun.UndisturbedDocumentsAsync(content);
        using var setup = await StartAsync(OutlastsARestart, SilenceLimit);
        var factory = setup.Factory;

        // Thawed once a call timed out against the silent emulator and the connector is retrying.
        var summary = await setup.BreakAtGateAsync(content, HoldAt, EmulatorFault.FreezeThenThaw, () => factory.Counters.ErrorRetries > 0);

        OneTaskRun.AssertCompleted(summary);
        var ids = (await DynamoDBTestTables.ScanAllAsync(setup.Client, setup.Target)).Select(i => i[Key].S).ToList();
        Assert.That(ids, Is.EquivalentTo(expected.Select(json => JsonDocument.Parse(json).RootElement.GetProperty(Key).GetString())));
        TestContext.Out.WriteLine($"{factory.Counters.ErrorRetries} BatchWriteItem retries while the emulator was frozen");
    }

    [Test]
    public async Task AnEmulatorFrozenForGoodFailsTheTaskNamingTheTableWithinTheBudget()
    {
        var content = LineFiles.Generate(Lines, 200);
        using var setup = await StartAsync(Short, SilenceLimit);

        var summary = await setup.BreakAtGateAsync(content, HoldAt, EmulatorFault.FreezeForGood);

        var task = summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain($"DynamoDB table '{setup.Target}'").And.Contain("BatchWriteItem")
            .And.Contain($"{Short.MaxRetries + 1} times in a row").And.Contain("TimeoutException"), "timeouts are retried like refused connections");
        TestContext.Out.WriteLine(task.ErrorMessage);
    }

    /// <summary>
    /// A test's own dynalite with a table keyed on <see cref="Key"/>, and the sink under test writing to it. The SDK's
    /// own retries stay on (as in production); the connector's budget comes on top of them. A frozen emulator is
    /// noticed only through the client's <c>timeout</c>, which is the SDK's configuration, not the connector's.
    /// </summary>
    private static Task<SinkUnderTest<AmazonDynamoDBClient, DynamoDBDocumentSinkFactory>> StartAsync(DynamoDBWriteOptions options, TimeSpan? timeout = null) =>
        SinkUnderTest<AmazonDynamoDBClient, DynamoDBDocumentSinkFactory>.StartAsync(
            RestartableEmulator.DynamoDB(),
            endpoint => DynamoDBClients.Create(c =>
            {
                c.ServiceURL = endpoint.ToString();
                if (timeout is { } limit)
                {
                    c.Timeout = limit;
                }
            }),
            client => DynamoDBTestTables.CreateAsync(client, Key),
            (client, table) => new DynamoDBDocumentSinkFactory(client, table, keyAttributeName: null, ownsClient: false, options));
}
