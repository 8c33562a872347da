using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.Writing;

/// <summary>
/// <see cref="DoubleBufferedSender{TBatch}"/>, the batching of the Kinesis and DynamoDB sinks: batches go out in order,
/// one in flight; a failed send — faulted or thrown before it started — fails every later call, so nothing after it is
/// sent; a failed task's Complete is quiet.
/// </summary>
public class DoubleBufferedSenderTests
{
    private sealed class Recorder
    {
        public List<string> Sent { get; } = [];
        public Func<List<string>, Task>? Behaviour { get; set; }

        public DoubleBufferedSender<List<string>> NewSender() => new([], [], b => b.Count == 0, b => b.Clear(), (batch, _) =>
        {
            if (Behaviour is { } behaviour)
            {
                return behaviour(batch);
            }

            Sent.Add(string.Join(",", batch));
            return Task.CompletedTask;
        });
    }

    [Test]
    public void BatchesAreSentInOrderAndEachIsEmptiedBeforeItIsFilledAgain()
    {
        var recorder = new Recorder();
        using var sender = recorder.NewSender();

        foreach (var batch in new[] { new[] { "a", "b" }, ["c"], ["d", "e", "f"] })
        {
            sender.Filling.AddRange(batch);
            sender.Send();
        }

        sender.Filling.Add("g");
        sender.Complete(succeeded: true);

        Assert.That(recorder.Sent, Is.EqualTo(new[] { "a,b", "c", "d,e,f", "g" }));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void AFailedSendFailsEveryLaterCallAndNothingAfterItIsSent(bool throwsBeforeStarting)
    {
        var recorder = new Recorder();
        using var sender = recorder.NewSender();
        recorder.Behaviour = _ => throwsBeforeStarting
            ? throw new IOException("refused at once")
            : Task.FromException(new IOException("refused at once"));
        sender.Filling.Add("a");
        sender.Send();
        recorder.Behaviour = null;

        Assert.That(() => sender.ThrowIfSendFailed(), Throws.TypeOf<IOException>().With.Message.EqualTo("refused at once"));
        sender.Filling.Add("b");
        Assert.That(() => sender.Send(), Throws.TypeOf<IOException>());
        Assert.That(() => sender.Flush(), Throws.TypeOf<IOException>());
        Assert.That(() => sender.Complete(succeeded: true), Throws.TypeOf<IOException>());
        Assert.That(recorder.Sent, Is.Empty, "nothing is sent after a failed send");
    }

    [Test]
    public void AFailedTasksCompleteIsQuietAboutAFailedSend()
    {
        var recorder = new Recorder { Behaviour = _ => throw new IOException("refused") };
        using var sender = recorder.NewSender();
        sender.Filling.Add("a");
        sender.Send();

        Assert.That(() => sender.Complete(succeeded: false), Throws.Nothing);
        Assert.That(sender.IsCompleted, Is.True);
    }

    [Test]
    public void DisposeCancelsTheSendInFlightAndWaitsForIt()
    {
        var cancelled = false;
        var sender = new DoubleBufferedSender<List<string>>([], [], b => b.Count == 0, b => b.Clear(), async (_, token) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        });
        sender.Filling.Add("a");
        sender.Send();

        sender.Dispose();

        Assert.That(cancelled, Is.True);
        Assert.That(sender.IsCompleted, Is.True);
    }
}
