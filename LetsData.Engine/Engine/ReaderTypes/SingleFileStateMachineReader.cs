using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Engine;

/// <summary>"Single File State Machine Reader": the plugin's reader combines one file's records into composite docs.</summary>
public sealed record SingleFileStateMachineReaderBinding(string PluginName, Func<ISingleFileStateMachineReader> CreateReader)
    : ReaderBinding(PluginName)
{
    public override string ReaderTypeName => "Single File State Machine Reader";

    internal override void Run(ReaderTask run)
    {
        var (task, resume, state) = (run.Task, run.Resume, run.State);
        var call = state.CallSite;
        call.Enter("ISingleFileStateMachineReader constructor");
        var reader = CreateReader();
        call.Enter("ISingleFileStateMachineReader.S3FileType");
        var fileType = reader.S3FileType;
        var file = TaskManifestChecks.SingleFileOf(task, fileType);
        call.Enter("ISingleFileStateMachineReader.GetResolvedS3FileName");
        var fileName = reader.GetResolvedS3FileName(fileType, file.FileName);
        call.Enter("ISingleFileStateMachineReader.GetParser");
        var parser = reader.GetParser(fileType)
            ?? throw new PluginContractException($"plugin {PluginName}: GetParser returned null for file type {fileType}");
        call.Exit();
        var resumeAt = resume?.Files?.GetValueOrDefault(fileType);
        var fileReader = new SystemFileReader(fileType, fileName,
            state.Open(run.Sources.RequireFiles(), fileType, fileName, run.Options.MaxRecordBytes, resumeAt), parser, call, state.Counters, resumeAt);
        var readers = new Dictionary<string, SystemFileReader> { [fileType] = fileReader };
        var lastRecordType = resume?.LastRecordTypes?.GetValueOrDefault(fileType);
        IDocument? lastDocument = resume?.LastDocument;
        run.Checkpointer.Position = () => ReaderLoops.ReaderPosition(readers, new Dictionary<string, string?> { [fileType] = lastRecordType }, lastDocument, state.CallSite);
        ReaderLoops.RunCompositeLoop(run, readers, "ISingleFileStateMachineReader.ParseDocument", () =>
        {
            var result = reader.ParseDocument(fileType, lastRecordType, lastDocument, fileReader);
            lastDocument = result?.Document;
            lastRecordType = result?.LastProcessedRecordTypes?.GetValueOrDefault(fileType) ?? fileReader.LastRecordType;
            return result;
        });
    }
}
