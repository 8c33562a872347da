namespace LetsData.Interfaces.Readers;

/// <summary>How a <see cref="RecordParseHint"/> marks a record boundary.</summary>
public enum RecordHintType
{
    /// <summary>A fixed number of bytes (fixed-size records): see <see cref="RecordParseHint.Offset"/>.</summary>
    Offset,

    /// <summary>A delimiter text whose UTF-8 bytes are searched: see <see cref="RecordParseHint.Pattern"/>.</summary>
    Pattern,
}
