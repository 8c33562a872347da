using System.Text.Json.Nodes;

namespace LetsData.Runtime.Tests.TestSupport;

/// <summary>
/// A Single File Reader dataset over local files, written as <c>dataset.json</c> in a test's folder: its input file in
/// <c>input/</c> there, documents and errors to <c>documents/</c> and <c>errors/</c> there.
/// </summary>
internal static class LocalFilesDataset
{
    /// <summary>Writes the dataset and returns its path.</summary>
    /// <param name="root">The test's folder.</param>
    /// <param name="name">The dataset's name.</param>
    /// <param name="artifactFile">The plugin assembly.</param>
    /// <param name="parserClass">The plugin's parser class.</param>
    /// <param name="inputFile">The manifest's one file, in <c>input/</c>.</param>
    /// <param name="concurrency">A <c>computeEngine</c> with this concurrency; null for none.</param>
    /// <param name="pluginPolicy">The dataset's <c>pluginPolicy</c>; null for none.</param>
    public static string Write(string root, string name, string artifactFile, string parserClass, string inputFile,
        int? concurrency = null, JsonNode? pluginPolicy = null)
    {
        var dataset = new JsonObject
        {
            ["datasetName"] = name,
            ["readConnector"] = new JsonObject
            {
                ["connectorDestination"] = "LocalFiles",
                ["artifactImplementationLanguage"] = "dotnet",
                ["artifactFile"] = artifactFile,
                ["rootPath"] = Path.Combine(root, "input"),
                ["readerType"] = "Single File Reader",
                ["singleFileParserImplementationClassName"] = parserClass,
            },
            ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(root, "documents") },
            ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(root, "errors") },
            ["manifestFile"] = new JsonObject
            {
                ["manifestType"] = "S3ReaderTextManifestFile", ["readerType"] = "SINGLEFILEREADER", ["fileContents"] = inputFile,
            },
        };
        if (concurrency is { } slots)
        {
            dataset["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = slots };
        }

        if (pluginPolicy is not null)
        {
            dataset["pluginPolicy"] = pluginPolicy;
        }

        var path = Path.Combine(root, "dataset.json");
        File.WriteAllText(path, dataset.ToJsonString());
        return path;
    }
}
