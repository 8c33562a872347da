using NUnit.Framework.Interfaces;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>Base of the end-to-end fixtures: a fresh <see cref="Workspace"/> per test, kept for inspection when the test fails.</summary>
public abstract class WorkerTest
{
    private Workspace? _workspace;

    internal Workspace Work => _workspace ?? throw new InvalidOperationException("no workspace outside a test");

    [SetUp]
    public void CreateWorkspace() => _workspace = Workspace.Create(TestContext.CurrentContext.Test.Name);

    [TearDown]
    public void RemoveWorkspace()
    {
        if (_workspace is null)
        {
            return;
        }

        if (TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Passed)
        {
            _workspace.Delete();
        }
        else
        {
            TestContext.Out.WriteLine($"workspace kept for inspection: {_workspace.Directory}");
        }
    }
}
