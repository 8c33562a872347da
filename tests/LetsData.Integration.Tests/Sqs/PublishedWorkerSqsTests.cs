using Amazon.SQS;
using LetsData.Integration.Tests.Support;

namespace LetsData.Integration.Tests.Sqs;

/// <summary>
/// The fixture of tests that run the published worker against the SQS emulator: the worker published once, one SQS
/// client for the fixture, and a fresh temporary folder per test (<see cref="Work"/>), removed after it.
/// </summary>
/// <param name="folderPrefix">The temporary folder's name prefix, to tell the suites' leftovers apart.</param>
public abstract class PublishedWorkerSqsTests(string folderPrefix)
{
    /// <summary>This test's temporary folder.</summary>
    protected string Work { get; private set; } = "";

    /// <summary>A client of the SQS emulator.</summary>
    protected AmazonSQSClient Sqs { get; private set; } = null!;

    [OneTimeSetUp]
    public void PublishAndConnect()
    {
        PublishedWorker.EnsurePublished();
        Sqs = SqsQueues.NewClient();
    }

    [OneTimeTearDown]
    public void DisposeTheClient() => Sqs.Dispose();

    // NUnit runs a base class's [SetUp] before the derived class's: a suite's own set-up finds the folder made.
    [SetUp]
    public void CreateWorkFolder() => Work = Directory.CreateTempSubdirectory(folderPrefix).FullName;

    [TearDown]
    public void DeleteWorkFolder() => Directory.Delete(Work, recursive: true);
}
