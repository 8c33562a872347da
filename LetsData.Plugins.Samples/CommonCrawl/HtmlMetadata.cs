using System.Text.Json;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>The metadata of an HTML page's head: title, meta description/keywords, canonical and icon links, Open Graph tags.</summary>
public sealed class HtmlMetadata
{
    private readonly Dictionary<string, string> _openGraph = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An instance with nothing found, for pages that are not HTML.</summary>
    public static HtmlMetadata Empty { get; } = new();

    /// <summary>The text of the <c>&lt;title&gt;</c> element, whitespace collapsed; null when absent.</summary>
    public string? Title { get; set; }

    /// <summary>The content of <c>&lt;meta name="description"&gt;</c>; null when absent.</summary>
    public string? Description { get; set; }

    /// <summary>The content of <c>&lt;meta name="keywords"&gt;</c>; null when absent.</summary>
    public string? Keywords { get; set; }

    /// <summary>The href of <c>&lt;link rel="canonical"&gt;</c>; null when absent.</summary>
    public string? Canonical { get; set; }

    /// <summary>The href of the first <c>&lt;link rel="icon"&gt;</c> / <c>"shortcut icon"</c>; null when absent.</summary>
    public string? Icon { get; set; }

    /// <summary>The charset of <c>&lt;meta charset&gt;</c> or of an <c>http-equiv="content-type"</c> meta; null when absent.</summary>
    public string? MetaCharset { get; set; }

    /// <summary>The <c>og:*</c> properties (first value of each), keyed by the full property name, e.g. <c>og:title</c>.</summary>
    public IReadOnlyDictionary<string, string> OpenGraph => _openGraph;

    /// <summary>The value of an Open Graph property, or null.</summary>
    /// <param name="property">The property name, e.g. <c>og:title</c>.</param>
    /// <returns>The first value of that property.</returns>
    public string? OpenGraphValue(string property) => _openGraph.GetValueOrDefault(property);

    /// <summary>Adds an Open Graph property unless it is already there (the first value wins, as for og:image lists).</summary>
    /// <param name="property">The property name.</param>
    /// <param name="value">The value.</param>
    public void AddOpenGraph(string property, string value) => _openGraph.TryAdd(property, value);

    /// <summary>Fills every field still null from <paramref name="other"/>.</summary>
    /// <param name="other">Another view of the same page.</param>
    /// <returns>This instance, or <paramref name="other"/> when this one is <see cref="Empty"/>.</returns>
    public HtmlMetadata OrElse(HtmlMetadata other)
    {
        if (ReferenceEquals(this, Empty))
        {
            return other;
        }

        Title ??= other.Title;
        Description ??= other.Description;
        Keywords ??= other.Keywords;
        Canonical ??= other.Canonical;
        Icon ??= other.Icon;
        MetaCharset ??= other.MetaCharset;
        foreach (var (key, value) in other._openGraph)
        {
            _openGraph.TryAdd(key, value);
        }

        return this;
    }

    internal void WriteTo(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartObject(name);
        writer.WriteString("title", Title);
        writer.WriteString("description", Description);
        writer.WriteString("keywords", Keywords);
        writer.WriteString("canonical", Canonical);
        writer.WriteString("icon", Icon);
        writer.WriteString("metaCharset", MetaCharset);
        writer.WriteStartObject("openGraph");
        foreach (var (key, value) in _openGraph)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
