namespace LetsData.Runtime.Plugins.Policy;

/// <summary>The names of the default policy's rules, as they appear in violation messages.</summary>
public static class PolicyRules
{
    public const string ProcessControl = "process start or control";
    public const string Network = "network access";
    public const string FileSystem = "file system access";
    public const string EnvironmentAndCredentials = "environment or credential read";
    public const string AssemblyLoading = "assembly loading from bytes or paths";
    public const string CodeGeneration = "runtime code generation";
    public const string NativeCode = "native code";
    public const string UnmanagedMemory = "unmanaged memory access";
    public const string BackgroundWork = "thread, timer or background work that outlives a call";
    public const string LateBoundReflection = "string-named or late-bound reflection";
}
