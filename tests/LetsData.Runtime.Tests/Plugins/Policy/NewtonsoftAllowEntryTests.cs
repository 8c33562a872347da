using System.Text.Json;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Plugins.Policy;

namespace LetsData.Runtime.Tests.Plugins.Policy;

/// <summary>Newtonsoft.Json uses reflection emit: refused by default, allowed by the exact entry validate prints, refused again when the file changes.</summary>
public class NewtonsoftAllowEntryTests
{
    private const string Plugin = "NewtonsoftV13Plugin";

    private static PluginPolicy PolicyFrom(string allowEntryJson)
    {
        var config = JsonSerializer.Deserialize<PluginPolicyConfig>($"{{ \"allow\": [ {allowEntryJson} ] }}",
            new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var problems = new List<string>();
        var policy = PluginPolicy.FromConfig(config, problems);
        Assert.That(problems, Is.Empty);
        return policy;
    }

    [Test]
    public void NewtonsoftIsRefusedByDefaultForReflectionEmit()
    {
        var result = PluginPolicyScanner.Scan(TestPluginBuilds.PathOf(Plugin), PluginPolicy.Default);

        var refused = result.Refused.Single();
        Assert.That(refused.Name, Is.EqualTo("Newtonsoft.Json"));
        Assert.That(refused.IsPluginAssembly, Is.False);
        Assert.That(refused.Violations.Select(v => v.Rule), Does.Contain(PolicyRules.CodeGeneration));
        Assert.That(refused.Violations, Has.Some.Matches<PolicyViolation>(v =>
            v.Assembly == "Newtonsoft.Json" && v.FencedMember.StartsWith("System.Reflection.Emit.", StringComparison.Ordinal)));
        Assert.That(result.Scanned, Does.Contain(Plugin), "the plugin's own code is scanned and clean");
    }

    [Test]
    public void ThePrintedAllowEntryAcceptsThatExactFile()
    {
        var entry = PluginPolicyScanner.Scan(TestPluginBuilds.PathOf(Plugin), PluginPolicy.Default).Refused.Single().SuggestedAllowEntry;

        var result = PluginPolicyScanner.Scan(TestPluginBuilds.PathOf(Plugin), PolicyFrom(entry.ToJson()));

        Assert.That(result.IsAllowed, Is.True, () => string.Join("\n", result.Problems()));
        Assert.That(result.Allowed, Is.EqualTo(new[] { "Newtonsoft.Json" }));
        Assert.That(result.Scanned, Does.Not.Contain("Newtonsoft.Json"), "an allowed assembly is skipped entirely");
    }

    [Test]
    public void TheAllowEntryNamesTheRulesAndTheFileHash()
    {
        var path = Path.Combine(TestPluginBuilds.FolderOf(Plugin), "Newtonsoft.Json.dll");
        var expectedHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

        var entry = PluginPolicyScanner.Scan(TestPluginBuilds.PathOf(Plugin), PluginPolicy.Default).Refused.Single().SuggestedAllowEntry;

        Assert.That(entry.Assembly, Is.EqualTo("Newtonsoft.Json"));
        Assert.That(entry.Sha256, Is.EqualTo(expectedHash));
        Assert.That(entry.Reason, Does.Contain(PolicyRules.CodeGeneration));
        Assert.That(entry.ToJson(), Does.StartWith($"{{ \"assembly\": \"Newtonsoft.Json\", \"sha256\": \"{expectedHash}\", \"reason\": \"uses "));
    }

    [Test]
    public void AChangedFileUnderAnAllowedNameIsRefusedSayingTheHashChanged()
    {
        var entry = PluginPolicyScanner.Scan(TestPluginBuilds.PathOf(Plugin), PluginPolicy.Default).Refused.Single().SuggestedAllowEntry;
        using var copy = PluginFolderCopy.Of(Plugin);
        using (var stream = new FileStream(Path.Combine(copy.Folder, "Newtonsoft.Json.dll"), FileMode.Append))
        {
            stream.WriteByte(0);
        }

        var result = PluginPolicyScanner.Scan(copy.AssemblyPath, PolicyFrom(entry.ToJson()));

        var refused = result.Refused.Single();
        Assert.That(refused.Name, Is.EqualTo("Newtonsoft.Json"));
        Assert.That(refused.PinnedSha256, Is.EqualTo(entry.Sha256));
        Assert.That(refused.Sha256, Is.Not.EqualTo(entry.Sha256));
        Assert.That(refused.Problems().First(), Does.Contain("SHA-256 changed since it was allowed").And.Contain(entry.Sha256).And.Contain(refused.Sha256));
    }

    [Test]
    public void AnAllowEntryWithoutAValidHashIsAProblemNamingItsField()
    {
        var problems = new List<string>();

        PluginPolicy.FromConfig(new PluginPolicyConfig { Allow = [new PluginPolicyAllowConfig { Assembly = "Newtonsoft.Json", Sha256 = "abc" }] }, problems);

        Assert.That(problems, Has.Exactly(1).StartsWith("pluginPolicy.allow[0].sha256: "));
    }
}
