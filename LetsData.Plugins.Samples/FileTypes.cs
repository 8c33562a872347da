using System.Runtime.CompilerServices;

namespace LetsData.Plugins.Samples;

/// <summary>Argument checks shared by the sample parsers.</summary>
internal static class FileTypes
{
    // A parser called for another file type is a dataset configuration error, not bad data: fail the
    // task loudly instead of turning every record into an error document.
    public static void Require(string expected, string actual,
                               [CallerArgumentExpression(nameof(actual))] string? paramName = null)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new ArgumentException($"This parser reads {expected} files, not '{actual}'.", paramName);
        }
    }
}
