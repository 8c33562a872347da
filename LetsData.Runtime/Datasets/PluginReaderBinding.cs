using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Plugins;

namespace LetsData.Runtime.Datasets;

/// <summary>
/// Connects a dataset's reader type and class names to a loaded plugin: resolves every configured class (so that a
/// wrong name fails before any task starts) and returns the binding whose factory creates the per-task instances.
/// </summary>
public static class PluginReaderBinding
{
    /// <summary>Resolves the binding; every problem found is added to <paramref name="problems"/> (each names its field and class).</summary>
    public static ReaderBinding? TryCreate(Dataset dataset, LoadedPlugin plugin, List<string> problems)
    {
        var binding = TryCreateReader(dataset, plugin, problems);
        if (dataset.Vectorization is not { } vectorization)
        {
            return binding;
        }

        var vectorizer = Factory<ISagemakerVectorsInterface>(plugin, SagemakerVectorization.ClassNameField, vectorization.ClassName, problems);
        return binding is null || vectorizer is null ? null : binding with { Vectorizer = vectorizer.CreateForTask };
    }

    private static ReaderBinding? TryCreateReader(Dataset dataset, LoadedPlugin plugin, List<string> problems)
    {
        var read = dataset.ReadConnector;
        switch (dataset.ReaderType)
        {
            case ReaderType.SingleFileReader:
            {
                var parser = Factory<ISingleFileParser>(plugin, "readConnector.singleFileParserImplementationClassName",
                    read.SingleFileParserImplementationClassName, problems);
                return parser is null ? null : new SingleFileReaderBinding(plugin.Name, parser.CreateForTask);
            }

            case ReaderType.SingleFileStateMachineReader:
            {
                var reader = Factory<ISingleFileStateMachineReader>(plugin,
                    "readConnector.singleFileStateMachineReaderImplementationClassName",
                    read.SingleFileStateMachineReaderImplementationClassName, problems);
                if (read.SingleFileStateMachineParserImplementationClassName is { } parserClass)
                {
                    CheckType<ISingleFileStateMachineParser>(plugin,
                        "readConnector.singleFileStateMachineParserImplementationClassName", parserClass, problems);
                }

                return reader is null ? null : new SingleFileStateMachineReaderBinding(plugin.Name, reader.CreateForTask);
            }

            case ReaderType.KinesisRecordReader:
            {
                var reader = Factory<IKinesisRecordReader>(plugin, "readConnector.kinesisRecordReaderClassName",
                    read.KinesisRecordReaderClassName, problems);
                return reader is null ? null : new KinesisRecordReaderBinding(plugin.Name, reader.CreateForTask);
            }

            case ReaderType.DynamoDBTableItemReader:
            {
                var reader = Factory<IDynamoDBTableItemReader>(plugin, "readConnector.dynamoDBTableItemReaderClassName",
                    read.DynamoDBTableItemReaderClassName, problems);
                return reader is null ? null : new DynamoDBTableItemReaderBinding(plugin.Name, reader.CreateForTask);
            }

            case ReaderType.DynamoDBStreamsRecordReader:
            {
                var reader = Factory<IDynamoDBStreamsRecordReader>(plugin, "readConnector.dynamoDBStreamsRecordReaderClassName",
                    read.DynamoDBStreamsRecordReaderClassName, problems);
                return reader is null ? null : new DynamoDBStreamsRecordReaderBinding(plugin.Name, reader.CreateForTask);
            }

            case ReaderType.SqsQueueReader:
            {
                var reader = Factory<IQueueMessageReader>(plugin, "readConnector.queueMessageReaderClassName",
                    read.QueueMessageReaderClassName, problems);
                return reader is null ? null : new SqsQueueReaderBinding(plugin.Name, reader.CreateForTask);
            }

            default:
            {
                var reader = Factory<IMultipleFileStateMachineReader>(plugin, "readConnector.multipleFileStateMachineReaderClassName",
                    read.MultipleFileStateMachineReaderClassName, problems);
                foreach (var (fileType, parserClass) in read.SingleFileStateMachineParserImplementationClassNameMap ?? [])
                {
                    CheckType<ISingleFileStateMachineParser>(plugin,
                        $"readConnector.singleFileStateMachineParserImplementationClassNameMap.{fileType}", parserClass, problems);
                }

                return reader is null ? null : new MultipleFileStateMachineReaderBinding(plugin.Name, reader.CreateForTask);
            }
        }
    }

    private static PluginInstanceFactory<T>? Factory<T>(LoadedPlugin plugin, string field, string? className, List<string> problems)
        where T : class
    {
        try
        {
            return plugin.CreateFactory<T>(className);
        }
        catch (PluginLoadException e)
        {
            problems.Add($"{field}: {e.Message}");
            return null;
        }
    }

    private static void CheckType<T>(LoadedPlugin plugin, string field, string className, List<string> problems)
    {
        try
        {
            plugin.FindImplementation(typeof(T), className);
        }
        catch (PluginLoadException e)
        {
            problems.Add($"{field}: {e.Message}");
        }
    }
}
