using LetsData.Runtime.Plugins.Policy;

namespace LetsData.Runtime.Tests.Plugins.Policy;

public class FencedApiTests
{
    private static readonly string[] TypeNames =
    [
        "System.Diagnostics.Process", "System.Diagnostics.Process+Nested", "System.Diagnostics.ProcessModule",
        "System.Net.Sockets.Socket", "System.Net.Sockets.Socket+Inner", "System.Net.SocketsX.Socket", "System.Net.Http.Headers.HttpHeaders",
        "System.Net.WebClient", "System.Net.IPAddress", "System.IO.File", "System.IO.FileSystemInfo", "System.IO.Stream",
        "System.Reflection.Emit.DynamicMethod", "System.Reflection.EmitX", "Microsoft.Win32.Registry", "System.Threading.Timer",
        "System.Threading.TimerCallback", "NoNamespace", "System.String",
    ];

    [TestCaseSource(nameof(TypeNames))]
    public void TheIndexAgreesWithTheTableForTypes(string typeName)
    {
        var fence = DefaultPluginPolicy.Fence;
        var linear = fence.FirstOrDefault(api => api.Scope != FencedApiScope.Member && api.MatchesType(typeName));

        Assert.That(new FenceIndex(fence).MatchType(typeName)?.Rule, Is.EqualTo(linear?.Rule));
    }

    [TestCase("System.Environment", "GetEnvironmentVariable", "string", ExpectedResult = PolicyRules.EnvironmentAndCredentials)]
    [TestCase("System.Environment", "GetEnvironmentVariables", null, ExpectedResult = PolicyRules.EnvironmentAndCredentials)]
    [TestCase("System.Environment", "ProcessorCount", null, ExpectedResult = null)]
    [TestCase("System.IO.StreamReader", ".ctor", "string", ExpectedResult = PolicyRules.FileSystem)]
    [TestCase("System.IO.StreamReader", ".ctor", "System.IO.Stream", ExpectedResult = null)]
    [TestCase("System.Reflection.Assembly", "Load", "byte[]", ExpectedResult = PolicyRules.AssemblyLoading)]
    [TestCase("System.Reflection.Assembly", "Load", "string", ExpectedResult = null)]
    [TestCase("System.Type", "GetType", "string", ExpectedResult = PolicyRules.LateBoundReflection)]
    [TestCase("System.Type", "GetMethod", "string", ExpectedResult = null)]
    [TestCase("System.Threading.Thread", "Sleep", "int", ExpectedResult = null)]
    [TestCase("System.Threading.Timer", ".ctor", "System.Threading.TimerCallback", ExpectedResult = PolicyRules.BackgroundWork)]
    public string? MembersAreMatchedByTypeNameAndFirstParameter(string type, string member, string? firstParameter)
    {
        string[] parameters = firstParameter is null ? [] : [firstParameter];

        return new FenceIndex(DefaultPluginPolicy.Fence).MatchMember(type, member, parameters)?.Rule;
    }
}
