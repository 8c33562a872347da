using System.Diagnostics;
using System.Globalization;

namespace LetsData.Benchmarks.Connectors;

/// <summary>
/// The project's emulators for the connector measurement: the running ones when <c>AWS_ENDPOINT_URL_KINESIS</c> is set,
/// otherwise started with <c>scripts/emulators.sh</c> into a state folder of the bench's own and stopped at the end.
/// </summary>
internal sealed class BenchEmulators : IDisposable
{
    private readonly RepositoryLayout _layout;
    private readonly string? _stateDirectory;

    private BenchEmulators(RepositoryLayout layout, string? stateDirectory)
    {
        _layout = layout;
        _stateDirectory = stateDirectory;
    }

    public static BenchEmulators Ensure(RepositoryLayout layout)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_KINESIS")))
        {
            return new BenchEmulators(layout, null);
        }

        var state = Path.Combine(layout.Root, "artifacts", "bench-emulators");
        Script(layout, state, "start");
        foreach (var line in File.ReadAllLines(Path.Combine(state, "env")))
        {
            var assignment = line.StartsWith("export ", StringComparison.Ordinal) ? line["export ".Length..] : line;
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                Environment.SetEnvironmentVariable(assignment[..equals].Trim(), assignment[(equals + 1)..].Trim());
            }
        }

        return new BenchEmulators(layout, state);
    }

    private static void Script(RepositoryLayout layout, string state, string command)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(layout.Root, "scripts", "emulators.sh"), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["EMU_DIR"] = state;
        start.Environment["EMU_OWNER_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/emulators.sh {command} failed ({process.ExitCode}): {output.Result}{errors.Result}");
        }
    }

    public void Dispose()
    {
        if (_stateDirectory is not null)
        {
            Script(_layout, _stateDirectory, "stop");
        }
    }
}
