using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace LetsData.Runtime.Datasets;

/// <summary>
/// Reads a configuration file the worker was pointed at (a dataset, a local manifest) as strict UTF-8, with a size
/// ceiling; every way that can fail becomes one sentence naming the file instead of an exception from deep inside.
/// </summary>
public static class ConfigFileText
{
    /// <summary>Largest dataset file read: a dataset is a page of JSON; an inline manifest of many lines belongs in a manifest file.</summary>
    public const long MaxDatasetBytes = 16 << 20;

    /// <summary>Largest local manifest file read: one line a task, so millions of tasks fit.</summary>
    public const long MaxManifestBytes = 256 << 20;

    /// <summary>The text of <paramref name="path"/>, or null with the reason in <paramref name="problem"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for the message ("the dataset file", "the manifest file").</param>
    /// <param name="maxBytes">The ceiling.</param>
    /// <param name="problem">Why it could not be read, naming the file (and the byte offset of bad UTF-8).</param>
    public static string? TryRead(string path, string what, long maxBytes, out string? problem)
    {
        problem = null;
        byte[] bytes;
        try
        {
            if (Directory.Exists(path))
            {
                problem = $"{what} {path} is a folder, not a file";
                return null;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            if (stream.Length > maxBytes)
            {
                problem = $"{what} {path} is {stream.Length} bytes; the limit is {maxBytes} bytes";
                return null;
            }

            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            problem = $"{what} {path} does not exist";
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            problem = $"{what} {path} cannot be read: permission denied";
            return null;
        }
        catch (EndOfStreamException)
        {
            problem = $"{what} {path} became shorter while it was read; try again once it is written";
            return null;
        }
        catch (IOException e)
        {
            problem = $"{what} {path} cannot be read: {e.Message}";
            return null;
        }

        return Decode(bytes, path, what, out problem);
    }

    private static string? Decode(byte[] bytes, string path, string what, out string? problem)
    {
        problem = null;
        ReadOnlySpan<byte> text = bytes;
        if (text.StartsWith(Encoding.UTF8.Preamble))
        {
            text = text[Encoding.UTF8.Preamble.Length..];
        }

        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, text.Length));
        try
        {
            // Not Encoding.UTF8.GetString: it turns a bad byte into U+FFFD and a path in the file into another path.
            var status = Utf8.ToUtf16(text, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status != System.Buffers.OperationStatus.Done)
            {
                var offset = read + (bytes.Length - text.Length);
                problem = offset < bytes.Length
                    ? $"{what} {path} is not UTF-8 text: byte {offset} (0x{bytes[offset]:X2}) starts no valid character"
                    : $"{what} {path} is not UTF-8 text: it ends in the middle of a character (byte {offset})";
                return null;
            }

            return new string(chars, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
