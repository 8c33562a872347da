using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Engine;

/// <summary>"Multiple File State Machine Reader": one file per type per task, combined record-wise by the plugin's reader.</summary>
public sealed record MultipleFileStateMachineReaderBinding(string PluginName, Func<IMultipleFileStateMachineReader> CreateReader)
    : ReaderBinding(PluginName)
{
    public override string ReaderTypeName => "Multiple File State Machine Reader";

    internal override void Run(ReaderTask run)
    {
        var (task, resume, state) = (run.Task, run.Resume, run.State);
        var call = state.CallSite;
        call.Enter("IMultipleFileStateMachineReader constructor");
        var reader = CreateReader();
        call.Enter("IMultipleFileStateMachineReader.S3FileTypes");
        var fileTypes = reader.S3FileTypes
            ?? throw new PluginContractException($"plugin {PluginName}: S3FileTypes returned null");
        call.Exit();
        var manifestFiles = TaskManifestChecks.MultipleFilesOf(task, fileTypes);
        call.Enter("IMultipleFileStateMachineReader.GetResolvedS3FileNames");
        var resolved = reader.GetResolvedS3FileNames(manifestFiles);
        call.Enter("IMultipleFileStateMachineReader.GetParsers");
        var parsers = reader.GetParsers(fileTypes);
        call.Exit();
        var readers = new Dictionary<string, SystemFileReader>(StringComparer.Ordinal);
        foreach (var fileType in fileTypes)
        {
            var fileName = resolved?.GetValueOrDefault(fileType) ?? throw new PluginContractException(
                $"plugin {PluginName}: GetResolvedS3FileNames gave no file name for file type {fileType}");
            var parser = parsers?.GetValueOrDefault(fileType) ?? throw new PluginContractException(
                $"plugin {PluginName}: GetParsers gave no parser for file type {fileType}");
            var resumeAt = resume?.Files?.GetValueOrDefault(fileType);
            readers[fileType] = new SystemFileReader(fileType, fileName,
                state.Open(run.Sources.RequireFiles(), fileType, fileName, run.Options.MaxRecordBytes, resumeAt, decompressAhead: true),
                parser, call, state.Counters, resumeAt);
        }

        IReadOnlyDictionary<string, string?> lastRecordTypes = resume?.LastRecordTypes
            ?? fileTypes.ToDictionary(t => t, string? (_) => null);
        // The original platform starts the reader's state machine with a map of nulls, never a null map.
        call.Enter("IMultipleFileStateMachineReader.GetNextExpectedRecordTypes");
        reader.GetNextExpectedRecordTypes(lastRecordTypes);
        call.Exit();
        IDocument? lastDocument = resume?.LastDocument;
        run.Checkpointer.Position = () => ReaderLoops.ReaderPosition(readers, lastRecordTypes, lastDocument, state.CallSite);
        var fileReaders = readers.ToDictionary(r => r.Key, ISystemFileReader (r) => r.Value);
        ReaderLoops.RunCompositeLoop(run, readers, "IMultipleFileStateMachineReader.ParseDocument", () =>
        {
            var result = reader.ParseDocument(lastRecordTypes, lastDocument, fileReaders);
            lastDocument = result?.Document;
            lastRecordTypes = result?.LastProcessedRecordTypes
                ?? readers.ToDictionary(r => r.Key, r => r.Value.LastRecordType);
            return result;
        });
    }
}
