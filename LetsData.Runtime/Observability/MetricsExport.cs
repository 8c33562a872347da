using System.Net;
using System.Net.Sockets;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace LetsData.Runtime.Observability;

/// <summary>
/// Where the <c>LetsData</c> meter goes: a Prometheus scrape endpoint (<c>http://127.0.0.1:PORT/metrics</c>) with
/// <c>--metrics-port</c>, and OTLP when the standard <c>OTEL_EXPORTER_OTLP_*</c> variables name an endpoint.
/// </summary>
internal static class MetricsExport
{
    private static readonly string[] OtlpEndpointVariables = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    /// <summary>Whether the environment configures an OTLP endpoint.</summary>
    public static bool OtlpConfigured =>
        OtlpEndpointVariables.Any(v => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v)));

    /// <summary>
    /// The meter provider exporting the meter; null when nothing is configured, or with a problem when the port cannot
    /// be listened on.
    /// </summary>
    public static MeterProvider? TryStart(int? prometheusPort, List<string> problems)
    {
        var otlp = OtlpConfigured;
        if (prometheusPort is null && !otlp)
        {
            return null;
        }

        var builder = Sdk.CreateMeterProviderBuilder().AddMeter(RunInstruments.MeterName);
        foreach (var (name, bounds) in RunInstruments.Histograms)
        {
            builder.AddView(name, new ExplicitBucketHistogramConfiguration { Boundaries = [.. bounds] });
        }

        if (prometheusPort is { } port)
        {
            builder.AddPrometheusHttpListener(o =>
            {
                o.Host = IPAddress.Loopback.ToString();
                o.Port = port;
                // Every scrape collects afresh: a scrape at the end of a run must see its final counts.
                o.ScrapeResponseCacheDurationMilliseconds = 0;
            });
        }

        if (otlp)
        {
            // Endpoint, protocol, headers and interval come from the OTEL_EXPORTER_OTLP_* and OTEL_METRIC_EXPORT_* variables.
            builder.AddOtlpExporter();
        }

        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is HttpListenerException or SocketException or InvalidOperationException)
        {
            problems.Add($"--metrics-port {prometheusPort}: cannot serve metrics on 127.0.0.1: {e.Message}");
            return null;
        }
    }
}
