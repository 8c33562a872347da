using LetsData.Interfaces.Documents;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Engine;

/// <summary>The Multiple File State Machine Reader path: manifest lines, the reader's start state, results and failures.</summary>
public class MultipleFileReaderTests
{
    private const string FilesA = "#1:a1\n#2:a2\n#3:a3\n";
    private const string FilesB = "#1:b1\n#2:b2\n#3:b3\n";

    private static Task<HarnessResult> RunAsync(PairingReader reader, string a = FilesA, string b = FilesB) =>
        LetsDataTestHarness.RunMultipleFileStateMachineReaderAsync(() => reader,
            HarnessFile.FromText("A", "a.txt", a), HarnessFile.FromText("B", "b.txt", b));

    private static Task<EngineRun> RunManifestAsync(PairingReader reader, string manifest) =>
        EngineRun.RunAsync(new MultipleFileStateMachineReaderBinding("pairs", () => reader),
            new InMemoryFileSource().Add("a.txt", TestData.Utf8(FilesA)).Add("b.txt", TestData.Utf8(FilesB)),
            ManifestParser.Parse(manifest, ReaderType.MultipleFileStateMachineReader, "manifest"));

    private static string Payloads(IDocument document) =>
        $"{((Document)document).KeyValues["a"]}+{((Document)document).KeyValues["b"]}";

    [Test]
    public async Task RecordsOfBothFilesArePairedAndTheReaderStartsFromAMapOfNulls()
    {
        var reader = new PairingReader();

        var result = await RunAsync(reader);

        Assert.That(result.Tasks.Single().ErrorMessage, Is.Null);
        Assert.That(result.Documents.Select(Payloads), Is.EqualTo(new[] { "a1+b1", "a2+b2", "a3+b3" }));
        Assert.That(reader.NextExpectedArguments, Has.Count.EqualTo(1));
        var start = reader.NextExpectedArguments[0];
        Assert.That(start, Is.Not.Null, "never a null map");
        Assert.That(start!.Keys, Is.EquivalentTo(new[] { "A", "B" }));
        Assert.That(start.Values, Is.All.Null);
        Assert.That(reader.ResolveArguments.Single(), Is.EquivalentTo(new Dictionary<string, string> { ["A"] = "a.txt", ["B"] = "b.txt" }));
    }

    [Test]
    public async Task AManifestLineWithTypesInOtherCaseAndSpacesWorks()
    {
        var reader = new PairingReader();

        var run = await RunManifestAsync(reader, "# pairs\n\n  a : a.txt |  b:b.txt  \n");

        Assert.That(run.Task("task-0001").ErrorMessage, Is.Null);
        Assert.That(reader.ResolveArguments.Single(), Is.EquivalentTo(new Dictionary<string, string> { ["A"] = "a.txt", ["B"] = "b.txt" }),
            "keyed by the reader's own spelling of the types");
        Assert.That(run.Documents.Select(Payloads), Is.EqualTo(new[] { "a1+b1", "a2+b2", "a3+b3" }));
    }

    [Test]
    public async Task AManifestLineWithoutAFileForATypeFailsTheTaskNamingTheLine()
    {
        var reader = new PairingReader();

        var run = await RunManifestAsync(reader, "# only A\n\nA:a.txt\n");

        var task = run.Task("task-0001");
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain("line 3").And.Contain("B"));
        Assert.That(reader.ParseCalls, Is.Zero);
    }

    [Test]
    public async Task CompletedWithNoDocumentEndsTheTask()
    {
        var reader = new PairingReader(PairingMode.CompleteAtOnce);

        var result = await RunAsync(reader);

        Assert.That(result.Tasks.Single().Succeeded, Is.True);
        Assert.That(result.Documents, Is.Empty);
        Assert.That(result.ErrorRecords, Is.Empty);
        Assert.That(reader.ParseCalls, Is.EqualTo(1));
    }

    [Test]
    public async Task AnErrorCompositeSendsEveryErrorDocOfItsListToTheErrorDestination()
    {
        var reader = new PairingReader();

        var result = await RunAsync(reader, "#1:a1\n#2:ERR\n#3:a3\n", "#1:b1\n#2:ERR\n#3:b3\n");

        Assert.That(result.Tasks.Single().Succeeded, Is.True);
        Assert.That(result.Documents.Select(Payloads), Is.EqualTo(new[] { "a1+b1", "a3+b3" }));
        // Every error doc of the composite's list (whether the placeholder is written too is left open by the spec).
        var byMessage = result.ErrorRecords.Where(e => e.ErrorMessage!.EndsWith("is broken", StringComparison.Ordinal))
            .ToDictionary(e => e.ErrorMessage!);
        Assert.That(byMessage.Keys, Is.EquivalentTo(new[] { "A record 2 is broken", "B record 2 is broken" }));
        Assert.That(byMessage["A record 2 is broken"].ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["A"] = "6" }));
        Assert.That(byMessage["B record 2 is broken"].ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["B"] = "6" }));
        Assert.That(byMessage.Values.Select(e => e.ErrorDoc), Is.All.Not.Null);
    }

    [Test]
    public async Task AReaderThatNeverConsumesARecordFailsTheTaskInsteadOfSpinning()
    {
        var reader = new PairingReader(PairingMode.NeverConsume);

        var result = await RunAsync(reader);

        var task = result.Tasks.Single();
        Assert.That(task.Succeeded, Is.False);
        Assert.That(task.ErrorMessage, Does.Contain("without consuming").And.Not.Contain("SAFETY"));
        Assert.That(reader.ParseCalls, Is.LessThan(1000));
    }

    [Test]
    public async Task AnExceptionFromTheReaderAfterItReadRecordsNamesTheReaderMethod()
    {
        var result = await RunAsync(new PairingReader(PairingMode.ThrowAfterReading));

        var task = result.Tasks.Single();
        Assert.That(task.Succeeded, Is.False);
        Assert.That(task.ErrorMessage, Does.Contain("threw in IMultipleFileStateMachineReader.ParseDocument")
            .And.Contain("records do not pair"));
    }

    [Test]
    public async Task ANullResultAfterReadingRecordsNamesTheReaderMethod()
    {
        var result = await RunAsync(new PairingReader(PairingMode.NullAfterReading));

        var task = result.Tasks.Single();
        Assert.That(task.Succeeded, Is.False);
        Assert.That(task.ErrorMessage, Does.Contain("IMultipleFileStateMachineReader.ParseDocument returned null"));
    }

    [Test]
    public async Task ALineNamingATypeTwiceInDifferentCaseFailsItsTask()
    {
        var reader = new PairingReader();

        var result = await LetsDataTestHarness.RunMultipleFileStateMachineReaderAsync(() => reader,
            HarnessFile.FromText("A", "a.txt", FilesA), HarnessFile.FromText("a", "b.txt", FilesB));

        var task = result.Tasks.Single();
        Assert.That(task.Succeeded, Is.False);
        Assert.That(task.ErrorMessage, Does.Contain("line 1").And.Contain("twice"));
        Assert.That(reader.ParseCalls, Is.Zero);
    }
}
