using System.Net;
using System.Text;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// A small, tolerant scanner of the head of an HTML page: finds the title, meta description/keywords/charset, the
/// canonical and icon links and the <c>og:*</c> meta properties, over at most the first <see cref="MaxScanBytes"/>
/// bytes. No DOM, no regular expressions, no exceptions on bad markup: whatever cannot be read is left null.
/// </summary>
public static class HtmlHeadScanner
{
    /// <summary>How much of the page is scanned: head elements sit at the top, and a cap keeps huge pages cheap.</summary>
    public const int MaxScanBytes = 64 * 1024;

    /// <summary>Scans the start of an HTML document.</summary>
    /// <param name="html">The HTML bytes (only the first <see cref="MaxScanBytes"/> are read).</param>
    /// <param name="encoding">The encoding for the values found; UTF-8 when null.</param>
    /// <returns>What was found.</returns>
    public static HtmlMetadata Scan(ReadOnlySpan<byte> html, Encoding? encoding = null)
    {
        encoding ??= Encoding.UTF8;
        var metadata = new HtmlMetadata();
        if (html.Length > MaxScanBytes)
        {
            html = html[..MaxScanBytes];
        }

        var position = 0;
        while (position < html.Length)
        {
            var open = html[position..].IndexOf((byte)'<');
            if (open < 0)
            {
                break;
            }

            position += open + 1;
            var rest = html[position..];
            if (rest.StartsWith("!--"u8))
            {
                var close = rest.IndexOf("-->"u8);
                position = close < 0 ? html.Length : position + close + 3;
                continue;
            }

            var nameLength = TagNameLength(rest);
            var name = rest[..nameLength];
            if (nameLength == 0)
            {
                continue;
            }

            if (Ascii.EqualsIgnoreCase(name, "body"u8) || Ascii.EqualsIgnoreCase(name, "/head"u8))
            {
                // Everything we look for lives in the head; the body is most of the page.
                break;
            }

            var tagEnd = rest.IndexOf((byte)'>');
            if (tagEnd < 0)
            {
                break;
            }

            var attributes = rest[nameLength..tagEnd];
            position += tagEnd + 1;
            if (Ascii.EqualsIgnoreCase(name, "title"u8))
            {
                var textEnd = IndexOfIgnoreCase(html[position..], "</title"u8);
                var text = textEnd < 0 ? html[position..] : html[position..(position + textEnd)];
                metadata.Title ??= CollapseWhitespace(Decode(text, encoding));
                position = textEnd < 0 ? html.Length : position + textEnd;
            }
            else if (Ascii.EqualsIgnoreCase(name, "meta"u8))
            {
                ReadMeta(attributes, encoding, metadata);
            }
            else if (Ascii.EqualsIgnoreCase(name, "link"u8))
            {
                ReadLink(attributes, encoding, metadata);
            }
            else if (Ascii.EqualsIgnoreCase(name, "script"u8) || Ascii.EqualsIgnoreCase(name, "style"u8))
            {
                // Script and style text may hold '<' and fake tags: jump to the closing tag.
                var closing = name.Length == 6 ? "</script"u8 : "</style"u8;
                var close = IndexOfIgnoreCase(html[position..], closing);
                position = close < 0 ? html.Length : position + close;
            }
        }

        return metadata;
    }

    private static void ReadMeta(ReadOnlySpan<byte> attributes, Encoding encoding, HtmlMetadata metadata)
    {
        ReadOnlySpan<byte> name = default, property = default, content = default, charset = default, httpEquiv = default;
        var hasContent = false;
        var reader = new AttributeReader(attributes);
        while (reader.MoveNext(out var attributeName, out var value))
        {
            if (Ascii.EqualsIgnoreCase(attributeName, "name"u8))
            {
                name = value;
            }
            else if (Ascii.EqualsIgnoreCase(attributeName, "property"u8))
            {
                property = value;
            }
            else if (Ascii.EqualsIgnoreCase(attributeName, "content"u8))
            {
                content = value;
                hasContent = true;
            }
            else if (Ascii.EqualsIgnoreCase(attributeName, "charset"u8))
            {
                charset = value;
            }
            else if (Ascii.EqualsIgnoreCase(attributeName, "http-equiv"u8))
            {
                httpEquiv = value;
            }
        }

        if (!charset.IsEmpty)
        {
            metadata.MetaCharset ??= Decode(charset, encoding).Trim();
        }

        if (!hasContent)
        {
            return;
        }

        if (!httpEquiv.IsEmpty && Ascii.EqualsIgnoreCase(httpEquiv.Trim(" \t"u8), "content-type"u8))
        {
            metadata.MetaCharset ??= HttpHead.CharsetOf(Decode(content, encoding));
        }

        var key = name.Trim(" \t"u8);
        if (Ascii.EqualsIgnoreCase(key, "description"u8))
        {
            metadata.Description ??= Decode(content, encoding).Trim();
        }
        else if (Ascii.EqualsIgnoreCase(key, "keywords"u8))
        {
            metadata.Keywords ??= Decode(content, encoding).Trim();
        }

        // Open Graph uses property=, but many pages write name="og:..."; accept both.
        var og = property.IsEmpty ? key : property.Trim(" \t"u8);
        if (og.Length > 3 && Ascii.EqualsIgnoreCase(og[..3], "og:"u8))
        {
            metadata.AddOpenGraph(Decode(og, encoding).ToLowerInvariant(), Decode(content, encoding).Trim());
        }
    }

    private static void ReadLink(ReadOnlySpan<byte> attributes, Encoding encoding, HtmlMetadata metadata)
    {
        ReadOnlySpan<byte> rel = default, href = default;
        var hasHref = false;
        var reader = new AttributeReader(attributes);
        while (reader.MoveNext(out var attributeName, out var value))
        {
            if (Ascii.EqualsIgnoreCase(attributeName, "rel"u8))
            {
                rel = value;
            }
            else if (Ascii.EqualsIgnoreCase(attributeName, "href"u8))
            {
                href = value;
                hasHref = true;
            }
        }

        if (!hasHref)
        {
            return;
        }

        rel = rel.Trim(" \t"u8);
        if (Ascii.EqualsIgnoreCase(rel, "canonical"u8))
        {
            metadata.Canonical ??= Decode(href, encoding).Trim();
        }
        else if (Ascii.EqualsIgnoreCase(rel, "icon"u8) || Ascii.EqualsIgnoreCase(rel, "shortcut icon"u8))
        {
            metadata.Icon ??= Decode(href, encoding).Trim();
        }
    }

    private static int TagNameLength(ReadOnlySpan<byte> rest)
    {
        var length = 0;
        while (length < rest.Length && (IsAsciiLetterOrDigit(rest[length]) || (length == 0 && rest[0] == (byte)'/')
                                        || rest[length] == (byte)'-'))
        {
            length++;
        }

        return length;
    }

    private static bool IsAsciiLetterOrDigit(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9';

    internal static int IndexOfIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lowerCaseNeedle)
    {
        // Search for the first byte in both cases, then compare the rest ignoring case.
        var first = lowerCaseNeedle[0];
        var firstUpper = first is >= (byte)'a' and <= (byte)'z' ? (byte)(first - 32) : first;
        var offset = 0;
        while (offset <= text.Length - lowerCaseNeedle.Length)
        {
            var found = text[offset..].IndexOfAny(first, firstUpper);
            if (found < 0)
            {
                return -1;
            }

            var candidate = offset + found;
            if (candidate + lowerCaseNeedle.Length > text.Length)
            {
                return -1;
            }

            if (Ascii.EqualsIgnoreCase(text.Slice(candidate, lowerCaseNeedle.Length), lowerCaseNeedle))
            {
                return candidate;
            }

            offset = candidate + 1;
        }

        return -1;
    }

    private static string Decode(ReadOnlySpan<byte> value, Encoding encoding)
    {
        var text = encoding.GetString(value);
        return text.Contains('&', StringComparison.Ordinal) ? WebUtility.HtmlDecode(text) : text;
    }

    private static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Walks <c>name="value"</c>, <c>name='value'</c>, <c>name=value</c> and bare <c>name</c> attributes.</summary>
    private ref struct AttributeReader(ReadOnlySpan<byte> attributes)
    {
        private ReadOnlySpan<byte> _rest = attributes;

        public bool MoveNext(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
        {
            name = default;
            value = default;
            _rest = _rest.TrimStart(" \t\r\n/"u8);
            if (_rest.IsEmpty)
            {
                return false;
            }

            var nameEnd = _rest.IndexOfAny(" \t\r\n=/"u8);
            if (nameEnd < 0)
            {
                name = _rest;
                _rest = default;
                return true;
            }

            name = _rest[..nameEnd];
            _rest = _rest[nameEnd..].TrimStart(" \t\r\n"u8);
            if (_rest.IsEmpty || _rest[0] != (byte)'=')
            {
                return true;
            }

            _rest = _rest[1..].TrimStart(" \t\r\n"u8);
            if (_rest.IsEmpty)
            {
                return true;
            }

            if (_rest[0] is (byte)'"' or (byte)'\'')
            {
                var quote = _rest[0];
                var close = _rest[1..].IndexOf(quote);
                value = close < 0 ? _rest[1..] : _rest.Slice(1, close);
                _rest = close < 0 ? default : _rest[(close + 2)..];
            }
            else
            {
                var end = _rest.IndexOfAny(" \t\r\n"u8);
                value = end < 0 ? _rest : _rest[..end];
                _rest = end < 0 ? default : _rest[end..];
            }

            return true;
        }
    }
}
