using System.Reflection;
using LetsData.Interfaces;
using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.TargetUris;
using LetsData.Plugins.Samples.WetText;

namespace LetsData.Plugins.Samples.Tests;

/// <summary>
/// [Stateless] makes the engine share one instance between concurrent tasks. These tests hold the
/// samples to it: marked classes keep no instance state, and classes that keep state are not marked.
/// </summary>
public class StatelessAttributeTests
{
    private static readonly Assembly Samples = typeof(WetTextParser).Assembly;

    [Test]
    public void WetTextParserIsStateless()
    {
        Assert.That(typeof(WetTextParser).GetCustomAttribute<StatelessAttribute>(), Is.Not.Null);
    }

    [Test]
    public void TargetUriExtractorIsStateless()
    {
        Assert.That(typeof(TargetUriExtractor).GetCustomAttribute<StatelessAttribute>(), Is.Not.Null);
    }

    [Test]
    public void NoStatelessSampleHasInstanceFields()
    {
        Assert.That(StatelessTypesWithInstanceFields(Samples.GetTypes()), Is.Empty);
    }

    [Test]
    public void NoSampleWithInstanceStateIsMarkedStateless()
    {
        var stateful = Samples.GetTypes().Where(IsPluginType).Where(t => InstanceFields(t).Any());

        Assert.That(stateful.Where(t => t.GetCustomAttribute<StatelessAttribute>() is not null), Is.Empty);
    }

    [Test]
    public void TheCheckFlagsAStatelessMarkedClassThatKeepsState()
    {
        Assert.That(StatelessTypesWithInstanceFields([typeof(CountingParser), typeof(WetTextParser)]),
                    Is.EqualTo(new[] { $"{typeof(CountingParser).FullName}: _count" }));
        Assert.That(InstanceFields(typeof(DerivedParser)).Select(f => f.Name), Does.Contain("_count"), "inherited fields count");
        Assert.That(InstanceFields(typeof(AutoPropertyHolder)), Is.Not.Empty, "auto-property backing fields count");
    }

    [Test]
    public void StatelessIsNotInheritedBySubclasses()
    {
        // A subclass of a stateless parser may add state: it has to opt in again.
        Assert.That(typeof(DerivedParser).GetCustomAttribute<StatelessAttribute>(), Is.Null);
    }

    private static IEnumerable<string> StatelessTypesWithInstanceFields(IEnumerable<Type> types) =>
        types.Where(t => t.GetCustomAttribute<StatelessAttribute>() is not null && InstanceFields(t).Any())
             .Select(t => $"{t.FullName}: {string.Join(", ", InstanceFields(t).Select(f => f.Name))}");

    private static bool IsPluginType(Type type) =>
        type is { IsClass: true, IsAbstract: false }
        && (typeof(ISingleFileParser).IsAssignableFrom(type)
            || typeof(ISingleFileStateMachineParser).IsAssignableFrom(type)
            || typeof(ISingleFileStateMachineReader).IsAssignableFrom(type)
            || typeof(IMultipleFileStateMachineReader).IsAssignableFrom(type));

    private static IEnumerable<FieldInfo> InstanceFields(Type type)
    {
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                yield return field;
            }
        }
    }

#pragma warning disable IDE0044, CS0169, CS0414 // the fields exist to be found by reflection
    [Stateless]
    private class CountingParser
    {
        private int _count;
    }

    private sealed class DerivedParser : CountingParser
    {
    }

    private sealed class AutoPropertyHolder
    {
        public int Value { get; set; }
    }
#pragma warning restore IDE0044, CS0169, CS0414
}
