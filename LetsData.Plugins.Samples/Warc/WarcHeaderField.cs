using System.Text;

namespace LetsData.Plugins.Samples.Warc;

/// <summary>One <c>Name: value</c> line of a WARC header block, as slices of the record bytes.</summary>
public readonly ref struct WarcHeaderField
{
    /// <summary>Creates a field from its name and value bytes.</summary>
    /// <param name="name">The field name, trimmed.</param>
    /// <param name="value">The field value, trimmed.</param>
    public WarcHeaderField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The field name, without surrounding spaces or tabs.</summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>The field value, without surrounding spaces or tabs.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Compares the field name with <paramref name="name"/>, ignoring ASCII case (WARC field names are case-insensitive).</summary>
    /// <param name="name">The name to compare with.</param>
    /// <returns><see langword="true"/> when the names match.</returns>
    public bool NameEquals(string name) => Ascii.EqualsIgnoreCase(Name, name);
}
