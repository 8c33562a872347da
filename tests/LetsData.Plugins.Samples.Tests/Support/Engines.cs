using LetsData.Plugins.Samples.Tests.Harness;

namespace LetsData.Plugins.Samples.Tests.Support;

/// <summary>The engines a parser fixture runs under; fixtures take the name so test names say which.</summary>
internal static class Engines
{
    public const string Direct = "Direct";
    public const string Harness = "Harness";

    public static readonly string[] All = [Direct, Harness];

    public static IParserEngine Create(string name) => name switch
    {
        Direct => new DirectEngine(),
        Harness => new HarnessEngine(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown engine"),
    };
}
