using System.Globalization;

namespace LetsData.Benchmarks;

/// <summary>The command line: <c>[--size-mb N] [--only engine|gzip|startup] [--reps N]</c>.</summary>
internal sealed record BenchArguments(int SizeMb, string? Only, int Reps)
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/LetsData.Benchmarks -- [--size-mb N] [--only engine|gzip|startup] [--reps N]

          --size-mb N    size of the generated record file in MB (10^6 bytes; default 200)
          --only NAME    run one measurement: engine, gzip or startup (default: all)
          --reps N       measured repetitions per side after one warm-up; the best is reported (default 3)
        """;

    private static readonly string[] Measurements = ["engine", "gzip", "startup"];

    public bool Runs(string measurement) => Only is null || Only == measurement;

    public static BenchArguments? TryParse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var sizeMb = 200;
        string? only = null;
        var reps = 3;
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            if (option is "-h" or "--help")
            {
                error = "";
                return null;
            }

            if (i + 1 >= args.Count)
            {
                error = $"option {option} needs a value";
                return null;
            }

            var value = args[++i];
            switch (option)
            {
                case "--size-mb" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) && mb > 0:
                    sizeMb = mb;
                    break;
                case "--reps" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    reps = n;
                    break;
                case "--only" when Measurements.Contains(value, StringComparer.OrdinalIgnoreCase):
                    only = value.ToLowerInvariant();
                    break;
                default:
                    error = $"unknown option or bad value: {option} {value}";
                    return null;
            }
        }

        return new BenchArguments(sizeMb, only, reps);
    }
}
