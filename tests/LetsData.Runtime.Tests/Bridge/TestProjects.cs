using LetsData.Runtime.Bridge;

namespace LetsData.Runtime.Tests.Bridge;

/// <summary>A one-file project in LetsData's layout under a test's folder, and a host pool serving it.</summary>
internal static class TestProjects
{
    public static BridgeHostPool Pool(string root, BridgeLanguage language, BridgeInterface contract, string source)
    {
        var project = new BridgeProject(language, Path.Combine(root, language.Name()));
        var file = project.FileOf(contract);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, source);
        if (language == BridgeLanguage.JavaScript)
        {
            // LetsData's JavaScript projects are ES modules.
            File.WriteAllText(Path.Combine(project.Folder, "package.json"), """{ "type": "module" }""");
        }

        return new BridgeHostPool(project, [contract], relay: null);
    }

    /// <summary>A project of tests/TestPlugins/Bridge.</summary>
    public static string Sample(string name)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "LetsData.sln")))
        {
            folder = folder.Parent;
        }

        return Path.Combine(folder?.FullName ?? throw new DirectoryNotFoundException("no LetsData.sln above the test"), "tests", "TestPlugins", "Bridge", name);
    }

    /// <summary>The pool of a sample project for the given interfaces.</summary>
    public static BridgeHostPool SamplePool(BridgeLanguage language, params BridgeInterface[] contracts) =>
        new(new BridgeProject(language, Sample(language == BridgeLanguage.Python ? "python-readers" : "js-readers")), contracts, relay: null);
}
