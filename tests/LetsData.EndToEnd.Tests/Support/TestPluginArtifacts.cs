namespace LetsData.EndToEnd.Tests.Support;

/// <summary>
/// Test plugins (tests/TestPlugins) published for the end-to-end tests, each into
/// <c>artifacts/test-plugins/&lt;project&gt;/</c>: that folder is the <c>--plugins</c> folder and
/// <c>&lt;project&gt;/&lt;project&gt;.dll</c> the dataset's <c>artifactFile</c>. Published when missing or older than
/// their sources, one at a time (fixtures running side by side would otherwise build the shared contract together).
/// </summary>
internal static class TestPluginArtifacts
{
    /// <summary>Held by whatever builds the shared contract (LetsData.Interfaces) from a test, one build at a time.</summary>
    internal static readonly Lock Gate = new();

    /// <summary>The <c>--plugins</c> folder of the published test plugins.</summary>
    public static string PluginsDirectory => Path.Combine(Repo.Root, "artifacts", "test-plugins");

    /// <summary>The dataset's <c>artifactFile</c> for <paramref name="project"/>, relative to <see cref="PluginsDirectory"/>.</summary>
    public static string ArtifactFile(string project) => $"{project}/{project}.dll";

    /// <summary>Publishes tests/TestPlugins/<paramref name="project"/> unless it is up to date.</summary>
    /// <param name="project">The plugin project's folder name under tests/TestPlugins.</param>
    /// <param name="dependencies">Other folders under tests/TestPlugins whose sources go into it.</param>
    public static void Publish(string project, params string[] dependencies)
    {
        var sources = new[] { project }.Concat(dependencies).Select(d => Path.Combine("tests", "TestPlugins", d))
            .Append("LetsData.Interfaces").ToArray();
        lock (Gate)
        {
            PublishedArtifactsSetup.PublishIfStale(Path.Combine("tests", "TestPlugins", project),
                Path.Combine("artifacts", "test-plugins", project), [Path.Combine(PluginsDirectory, ArtifactFile(project))], sources);
        }
    }
}
