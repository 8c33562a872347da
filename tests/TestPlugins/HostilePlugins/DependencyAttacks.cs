using LetsData.TestPlugins.HostileHelperDll;
using LetsData.TestPlugins.HostileHelperExe;

namespace LetsData.TestPlugins.HostilePlugins;

/// <summary>Leaves the I/O (a marker file, <c>/etc/passwd</c>, the environment) to a dependency shipped as <c>helper.DLL</c>.</summary>
public sealed class UpperCaseDllDependencyParser : HostileParser
{
    protected override string? Attack(Trigger trigger) => DiskHelper.Run(trigger.MarkerPath);
}

/// <summary>Leaves the I/O (a marker file, <c>~/.aws/credentials</c>, <c>/proc/self/environ</c>) to a dependency shipped as <c>HelperTool.exe</c>.</summary>
public sealed class ExeDependencyParser : HostileParser
{
    protected override string? Attack(Trigger trigger) => CredentialsHelper.Run(trigger.MarkerPath);
}
