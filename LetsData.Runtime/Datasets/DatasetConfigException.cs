namespace LetsData.Runtime.Datasets;

/// <summary>The dataset cannot be run as configured. Lists every problem found, each naming its field.</summary>
public sealed class DatasetConfigException(string source, IReadOnlyList<string> problems)
    : Exception($"{source}: {problems.Count} problem(s):{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}")
{
    public string ConfigSource { get; } = source;
    public IReadOnlyList<string> Problems { get; } = problems;
}
