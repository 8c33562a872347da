using System.Text;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Reading.Sqs;

namespace LetsData.Runtime.Engine;

/// <summary>
/// "SQS Queue Reader": every task receives from the same queue and calls the reader per message. A message is deleted
/// only after a checkpoint made its document and error records durable (<see cref="SqsHeldMessages"/>): a task that
/// dies leaves its undeleted messages to reappear after their visibility timeout, to be handled again (at least once).
/// A checkpoint is asked for when many messages are held, when half the visibility timeout has gone (the messages'
/// visibility is extended first), when the queue looks empty, and at the task's end. FIFO order holds: SQS gives a
/// message group to one receiver while any of its messages is in flight, and this loop handles them in order.
/// </summary>
public sealed record SqsQueueReaderBinding(string PluginName, Func<IQueueMessageReader> CreateReader)
    : ReaderBinding(PluginName)
{
    /// <summary>Messages held before a checkpoint is asked for: each is in flight (counts against SQS's limit) until deleted.</summary>
    private const int MaxHeldMessages = 500;

    public override string ReaderTypeName => "SQS Queue Reader";

    internal override void Run(ReaderTask run)
    {
        var (state, dispatcher, cancellationToken) = (run.State, run.Dispatcher, run.CancellationToken);
        TaskManifestChecks.PartitionOf(run.Task, SourcePartitionKind.QueueReader);
        var call = state.CallSite;
        call.Enter("IQueueMessageReader constructor");
        var reader = CreateReader();
        call.Exit();
        var source = run.Sources.RequireSqs();
        var held = new SqsHeldMessages(source, run.Options.Time);
        // The queue is the position: a resumed task just receives again. The checkpoint carries counts and outputs.
        run.Checkpointer.Position = () =>
        {
            held.Seal();
            return new TaskCheckpoint();
        };
        run.Checkpointer.AfterSaved = _ => held.DeleteSealed();
        var received = new List<SqsMessage>(10);
        var emptyReceives = 0;
        // A stop request between receives ends the task at a checkpoint (RERUN), which deletes what it handled.
        while (!run.StopRequested())
        {
            // Stopped, but the outputs could take no checkpoint: the task ends cancelled.
            cancellationToken.ThrowIfCancellationRequested();
            received.Clear();
            try
            {
                source.ReceiveAsync(received, cancellationToken).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                continue; // a stop during the long poll: the task stops at a checkpoint above
            }

            if (received.Count == 0)
            {
                // Nothing new: make what is held durable and deleted now rather than at the next checkpoint. A FIFO
                // queue gives nothing more of a group while this task holds one of its messages, so only a receive
                // that came back empty with nothing held says the queue is drained.
                if (held.Count > 0)
                {
                    MakeHeldDurable(run, held);
                    continue;
                }

                if (!source.Continuous && ++emptyReceives >= source.StopAfterConsecutiveEmptyReceives)
                {
                    return;
                }

                continue;
            }

            emptyReceives = 0;
            held.Received();
            for (var i = 0; i < received.Count; i++)
            {
                var message = received[i];
                if (held.IsVisibilityRunningOut())
                {
                    held.ExtendVisibility(received[i..]);
                    run.Checkpointer.Request();
                }

                held.Handled(message);
                state.Counters.Records++;
                state.AddSourceBytes(Encoding.UTF8.GetByteCount(message.Body));
                call.Enter("IQueueMessageReader.ParseMessage", "SQS queue", source.QueueName, "message id", message.MessageId);
                var result = reader.ParseMessage(message.MessageId, message.MessageGroupId, message.MessageDeduplicationId, message.Attributes,
                    message.Body);
                call.Exit();
                dispatcher.Dispatch(result, "messageId", message.MessageId);
                if (held.Count >= MaxHeldMessages)
                {
                    run.Checkpointer.Request();
                }

                if (run.AfterResult())
                {
                    // Stopped early: the messages received but not handled go back to the queue at once.
                    held.Release(received[(i + 1)..]);
                    MakeHeldDurable(run, held);
                    return;
                }
            }
        }
    }

    /// <summary>Checkpoints now when messages are held, which deletes them once stored.</summary>
    private static void MakeHeldDurable(ReaderTask run, SqsHeldMessages held)
    {
        if (held.Count > 0 && !run.CheckpointNow())
        {
            throw new InvalidOperationException(
                $"the task's outputs cannot take a checkpoint, so its {held.Count} handled SQS messages cannot be deleted safely; they stay in the queue and will be handled again");
        }
    }
}
