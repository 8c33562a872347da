using Microsoft.ClearScript;
using Microsoft.ClearScript.JavaScript;

namespace LetsData.Runtime.Bridge.V8;

/// <summary>
/// The only module loader a project's V8 isolate has: <c>import</c> resolves relative specifiers (and absolute paths)
/// to files inside the project folder, as Node resolves LetsData's layout (<c>letsdata_interfaces/…</c>). A bare
/// specifier (<c>fs</c>, <c>node:fs</c>, an npm package) or a path leaving the folder (<c>../</c>, a symlink out) is
/// refused: V8 itself has no file, network or process API, and this loader hands it no other files.
/// </summary>
internal sealed class V8ProjectLoader(string projectFolder) : DocumentLoader
{
    private readonly string _root = Path.GetFullPath(projectFolder).TrimEnd('/') + "/";

    public override Task<Document> LoadDocumentAsync(DocumentSettings settings, DocumentInfo? sourceInfo, string specifier,
        DocumentCategory category, DocumentContextCallback contextCallback) =>
        Task.FromResult<Document>(Load(sourceInfo, specifier));

    private StringDocument Load(DocumentInfo? sourceInfo, string specifier)
    {
        var path = Resolve(sourceInfo, specifier);
        var real = File.Exists(path) ? File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path : path;
        if (!real.StartsWith(_root, StringComparison.Ordinal))
        {
            throw new FileNotFoundException($"'{specifier}' is outside the project folder {_root.TrimEnd('/')}: V8 loads only the project's own files");
        }

        if (!File.Exists(real))
        {
            throw new FileNotFoundException($"Cannot find module '{specifier}' ({path})");
        }

        return new StringDocument(new DocumentInfo(new Uri(path)) { Category = ModuleCategory.Standard }, File.ReadAllText(real));
    }

    private static string Resolve(DocumentInfo? sourceInfo, string specifier)
    {
        if (specifier.StartsWith("file://", StringComparison.Ordinal))
        {
            return Path.GetFullPath(new Uri(specifier).LocalPath);
        }

        if (specifier.StartsWith('/'))
        {
            return Path.GetFullPath(specifier);
        }

        if (!specifier.StartsWith("./", StringComparison.Ordinal) && !specifier.StartsWith("../", StringComparison.Ordinal))
        {
            throw new FileNotFoundException($"Cannot import '{specifier}': V8 runs the project's own files only (no Node modules, no npm packages)");
        }

        var referrer = sourceInfo?.Uri is { IsFile: true } uri ? Path.GetDirectoryName(uri.LocalPath)! : "/";
        return Path.GetFullPath(Path.Combine(referrer, specifier));
    }
}
