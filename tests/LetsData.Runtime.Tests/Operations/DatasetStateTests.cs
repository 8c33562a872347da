using LetsData.Runtime.Operations;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.Operations;

public sealed class DatasetStateTests
{
    [TestCase(new TaskRecordStatus[0], DatasetStatus.Created)]
    [TestCase(new[] { TaskRecordStatus.Completed, TaskRecordStatus.Completed }, DatasetStatus.Completed)]
    [TestCase(new[] { TaskRecordStatus.Completed, TaskRecordStatus.Rerun }, DatasetStatus.Processing)]
    [TestCase(new[] { TaskRecordStatus.Created, TaskRecordStatus.Processing }, DatasetStatus.Processing)]
    [TestCase(new[] { TaskRecordStatus.Processing, TaskRecordStatus.Errored, TaskRecordStatus.Completed }, DatasetStatus.Errored)]
    public void Status_IsLetsDatas(TaskRecordStatus[] tasks, DatasetStatus expected)
    {
        var state = DatasetState.Of(tasks.Select((s, i) => Record($"task-{i}", s, records: 10)).ToList());

        Assert.That(state.Status, Is.EqualTo(expected));
        Assert.That(state.Tasks.Values.Sum(), Is.EqualTo(tasks.Length));
        Assert.That(state.Totals.Records, Is.EqualTo(10 * tasks.Length));
    }

    private static TaskRecord Record(string taskId, TaskRecordStatus status, long records) => new()
    {
        Dataset = "Logs",
        TaskId = taskId,
        Reader = new TaskReaderDefinition("Single File Reader", new Dictionary<string, string> { ["file"] = taskId }, null, taskId),
        Status = status,
        Counters = TaskRecordCounters.Zero with { Records = records },
    };
}
