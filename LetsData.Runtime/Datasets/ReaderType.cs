namespace LetsData.Runtime.Datasets;

/// <summary>The file reader types of LetsData, parsed from either spelling ("Single File Reader" or "SINGLEFILEREADER").</summary>
public enum ReaderType
{
    SingleFileReader,
    SingleFileStateMachineReader,
    MultipleFileStateMachineReader,
}

public static class ReaderTypes
{
    public static IReadOnlyList<string> DisplayNames { get; } =
        ["Single File Reader", "Single File State Machine Reader", "Multiple File State Machine Reader"];

    public static bool TryParse(string? text, out ReaderType readerType)
    {
        var compact = (text ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return Enum.TryParse(compact, ignoreCase: true, out readerType) && Enum.IsDefined(readerType)
            && !int.TryParse(compact, out _);
    }

    public static string DisplayName(this ReaderType readerType) => DisplayNames[(int)readerType];
}
