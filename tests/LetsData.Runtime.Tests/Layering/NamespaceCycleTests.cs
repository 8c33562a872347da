using System.Reflection;
using LetsData.Runtime.Connectors;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Tests.Layering;

/// <summary>
/// The runtime's areas (Engine, Connectors, Writing, ...) should depend on each other in one direction only. The
/// dependencies that still close a cycle are listed in <see cref="KnownCycleEdges"/>: a new one fails the test, and so
/// does a listed one that no longer closes a cycle, so the list only shrinks, to empty.
/// </summary>
public class NamespaceCycleTests
{
    /// <summary>The engine (LetsData.Engine) and the worker (letsdata): one set of areas, split in two assemblies.</summary>
    private static readonly Assembly[] RuntimeAssemblies = [typeof(DataTaskEngine).Assembly, typeof(ConnectorRegistry).Assembly];

    /// <summary>Dependencies inside today's cycle (one group: Aws, Bridge, Connectors, DataTasks, Datasets, Engine, Plugins, Reading, State, Writing).</summary>
    private static readonly string[] KnownCycleEdges =
    [
        "Aws -> Datasets", // AccessGrant.TryCreate reads DatasetConfig; RuntimeCredentials.For takes a Dataset
        // The language bridge arrived beside the restructure: it is a reader of Engine's and a setting of Datasets'.
        "Bridge -> Aws",
        "Bridge -> DataTasks", // BridgePrestart ends the process with ImmediateExit
        "Bridge -> Datasets",
        "Bridge -> Engine", // the batched loop runs on Engine's TaskInput
        "Bridge -> Reading",
        "DataTasks -> Bridge",
        "DataTasks -> Engine",
        "DataTasks -> Plugins",
        "Datasets -> Bridge", // Dataset.Bridge
        "Engine -> Bridge", // the Single File Reader hands a batching parser to the bridge's loop
        "Aws -> Reading", // KinesisClient returns Reading.Kinesis.KinesisRecord
        "Connectors -> Aws",
        "Connectors -> Datasets", // the config sections (ReadConnectorConfig, ...) and ReaderType live in Datasets
        "Connectors -> Engine",
        "Connectors -> Reading",
        "Connectors -> Writing",
        "Datasets -> Aws",
        "Datasets -> Connectors",
        "Datasets -> Engine", // PluginCallLimits defaults come from EngineOptions
        "Datasets -> Plugins",
        "Engine -> Aws", // the DynamoDB reader type's DynamoDBKeyJson
        "Engine -> Plugins", // PluginCallSite names PluginLoadContext
        "Engine -> Reading",
        "Engine -> Writing",
        "Plugins -> Aws",
        "Plugins -> Datasets", // PluginPolicy reads PluginPolicyConfig
        "Plugins -> Engine", // PluginVersion makes ReaderBindings
        "Plugins -> State",
        "Reading -> Aws",
        "State -> Aws",
        "State -> Engine",
        "Writing -> Aws",
        "Writing -> Engine", // sinks open with Engine's TaskContext
    ];

    [Test]
    public void NoDependencyBetweenTheRuntimesAreasClosesACycle_BeyondTheKnownOnes()
    {
        var dependencies = NamespaceDependencies.Of(RuntimeAssemblies);

        var inCycles = dependencies.Cycles()
            .SelectMany(group => dependencies.Edges.Where(e => group.Contains(e.Key.From) && group.Contains(e.Key.To)))
            .ToDictionary(e => $"{e.Key.From} -> {e.Key.To}", e => e.Value);

        var added = inCycles.Keys.Except(KnownCycleEdges).Order(StringComparer.Ordinal).Select(e => $"{e} ({inCycles[e]})").ToList();
        var gone = KnownCycleEdges.Except(inCycles.Keys).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(added, Is.Empty, "these dependencies close a cycle between areas: reverse or remove them");
            Assert.That(gone, Is.Empty, "these no longer close a cycle: remove them from KnownCycleEdges");
        });
    }

    [Test]
    public void TheCheckSeesDependenciesOfSignaturesAndOfMethodBodies()
    {
        var dependencies = NamespaceDependencies.Of(RuntimeAssemblies);
        var edges = dependencies.Edges.Keys;

        // RunInputs (Hosting) takes ConnectorInputs in its constructor; ConnectorRegistry (Connectors) names the
        // connectors' folders only in its static constructor's body.
        Assert.That(edges, Does.Contain(("Hosting", "Connectors")));
        Assert.That(edges, Does.Contain(("Connectors", "Writing")));
        Assert.That(edges.SelectMany(e => new[] { e.From, e.To }), Has.None.StartsWith("System").And.None.StartsWith("LetsData"),
            "only the runtime's own areas, by their short names");
    }

    [Test]
    public void ACycleIsFoundWithAllItsMembers_AndOnlyThem()
    {
        var cycles = NamespaceDependencies.CyclesOf([("A", "B"), ("B", "C"), ("C", "A"), ("C", "D"), ("D", "E"), ("E", "D"), ("F", "A")]);

        Assert.That(cycles, Is.EquivalentTo(new[] { new[] { "A", "B", "C" }, new[] { "D", "E" } }));
    }
}
