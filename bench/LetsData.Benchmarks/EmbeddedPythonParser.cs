using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Bridge;
using Python.Runtime;

namespace LetsData.Benchmarks;

/// <summary>
/// CPython embedded in the benchmark's process (pythonnet) calling a LetsData Python project's
/// <c>SingleFileParser.parseDocument</c>, each result encoded by the bridge host's own <c>_encode</c> and converted by
/// <see cref="BridgeSingleFileParser.ToResult"/>, as the bridge path does: only the process boundary differs. Measured
/// to decide issue 14 item 5 (in-process Python); the runtime does not use it.
/// </summary>
internal sealed class EmbeddedPythonParser
{
    // The record crosses as a Latin-1 string (pythonnet 3 has no public bytes type): one byte a character, so
    // encode('latin-1') gives the bytes back unchanged.
    private const string CallSource = """
        import letsdata_bridge_host as host
        from letsdata_interfaces.readers.parsers.SingleFileParser import SingleFileParser

        def letsdata_call(file_type, file_name, offset, text):
            record = bytearray(text.encode("latin-1"))
            try:
                result = SingleFileParser().parseDocument(file_type, file_name, offset, record, 0, len(record))
                return host._encode({"statusCode": "SUCCESS", "data": result})
            except Exception as error:
                return host._encode(host._exception(error))
        """;

    private readonly PyObject _call;
    private readonly string _file;

    private EmbeddedPythonParser(PyObject call, string file)
    {
        _call = call;
        _file = file;
    }

    /// <summary>Starts the interpreter once per process; <see langword="false"/> with the reason when there is no libpython.</summary>
    public static bool TryStart(string project, string repositoryRoot, out EmbeddedPythonParser? parser, out string? why)
    {
        parser = null;
        why = null;
        var library = SharedLibPython();
        if (library is null)
        {
            why = "python3 has no shared libpython (Py_ENABLE_SHARED=0)";
            return false;
        }

        Python.Runtime.Runtime.PythonDLL = library;
        PythonEngine.Initialize();
        // Released here and taken per batch: a task thread holds the GIL while it parses, as a runtime would.
        PythonEngine.BeginAllowThreads();
        using (Py.GIL())
        {
            using var sys = Py.Import("sys");
            using var path = sys.GetAttr("path");
            path.InvokeMethod("insert", new PyInt(0), new PyString(project));
            path.InvokeMethod("insert", new PyInt(0), new PyString(Path.Combine(repositoryRoot, "LetsData.Runtime", "Bridge", "Hosts", "python")));
            using var module = PyModule.FromString("letsdata_embedded", CallSource);
            using var host = Py.Import("letsdata_bridge_host");
            host.SetAttr("PROJECT", new PyString(project)); // the host names project files in error locations
            parser = new EmbeddedPythonParser(module.GetAttr("letsdata_call"),
                Path.Combine(project, "letsdata_interfaces", "readers", "parsers", "SingleFileParser.py"));
        }

        return true;
    }

    /// <summary>Parses every record under one hold of the GIL.</summary>
    public IEnumerable<ParseDocumentResult> ParseAll(IReadOnlyList<byte[]> records)
    {
        var results = new List<ParseDocumentResult>(records.Count);
        using (Py.GIL())
        {
            using var fileType = new PyString("WARC");
            using var fileName = new PyString("bench.warc");
            using var offset = new PyInt(0);
            foreach (var record in records)
            {
                using var text = new PyString(Encoding.Latin1.GetString(record));
                using var json = _call.Invoke(fileType, fileName, offset, text);
                using var document = JsonDocument.Parse(json.As<string>());
                results.Add(BridgeSingleFileParser.ToResult(document.RootElement, _file, "WARC", 0, record.Length));
            }
        }

        return results;
    }

    private static string? SharedLibPython()
    {
        var start = new ProcessStartInfo("python3", ["-c",
            "import os,sysconfig as s;print(os.path.join(s.get_config_var('LIBDIR'),s.get_config_var('LDLIBRARY')) if s.get_config_var('Py_ENABLE_SHARED') else '')"])
        { RedirectStandardOutput = true };
        using var python = Process.Start(start)!;
        var library = python.StandardOutput.ReadToEnd().Trim();
        python.WaitForExit();
        return library.Length > 0 && File.Exists(library) ? library : null;
    }
}
