using System.Text.Json;
using System.Text.Json.Serialization;
using LetsData.Interfaces.Documents;

namespace LetsData.Runtime.Writing;

/// <summary>What an error connector stores for one error: an error document a plugin returned, or a task error.</summary>
public sealed record ErrorRecord(
    ErrorRecordKind Kind,
    string Dataset,
    string TaskId,
    IReadOnlyDictionary<string, string> FileNames,
    IReadOnlyDictionary<string, string>? ErrorStartOffsetMap,
    IReadOnlyDictionary<string, string>? ErrorEndOffsetMap,
    string? ErrorMessage,
    string? DocumentId = null,
    string? RecordType = null,
    string? SerializedErrorDoc = null)
{
    /// <summary>The error document as the plugin returned it (null for task errors); kept for in-process consumers.</summary>
    [JsonIgnore]
    public IErrorDoc? ErrorDoc { get; init; }

    /// <summary>Writes the record as one JSON object (the JSON Lines shape of the local and S3 error connectors).</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", Kind == ErrorRecordKind.ErrorDoc ? "ErrorDoc" : "TaskError");
        writer.WriteString("dataset", Dataset);
        writer.WriteString("taskId", TaskId);
        WriteMap(writer, "fileNames", FileNames);
        WriteMap(writer, "errorStartOffsetMap", ErrorStartOffsetMap);
        WriteMap(writer, "errorEndOffsetMap", ErrorEndOffsetMap);
        writer.WriteString("errorMessage", ErrorMessage);
        writer.WriteString("documentId", DocumentId);
        writer.WriteString("recordType", RecordType);
        writer.WriteString("serializedErrorDoc", SerializedErrorDoc);
        writer.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }
}

public enum ErrorRecordKind
{
    /// <summary>An error document returned by plugin code; processing went on.</summary>
    ErrorDoc,

    /// <summary>The task failed (plugin exception, unusable input); the task stopped here.</summary>
    TaskError,
}
