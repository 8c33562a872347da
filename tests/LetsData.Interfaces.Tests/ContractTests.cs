using System.Reflection;
using LetsData.Interfaces.Documents;

namespace LetsData.Interfaces.Tests;

[TestFixture]
public class ContractTests
{
    private static readonly Assembly ContractAssembly = typeof(IDocument).Assembly;

    [Test]
    public void AssemblyVersion_IsTheContractVersion()
    {
        Assert.That(ContractAssembly.GetName().Version, Is.EqualTo(new Version(1, 0, 0, 0)));
    }

    [Test]
    public void Assembly_ReferencesOnlyTheBcl()
    {
        var references = ContractAssembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.That(references, Has.All.Matches<string>(n => n.StartsWith("System", StringComparison.Ordinal)
                                                            || n is "netstandard" or "mscorlib"));
    }

    [Test]
    public void StatelessAttribute_TargetsClassesOnly_AndIsNotInherited()
    {
        var usage = typeof(StatelessAttribute).GetCustomAttribute<AttributeUsageAttribute>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(usage, Is.Not.Null);
            Assert.That(usage!.ValidOn, Is.EqualTo(AttributeTargets.Class));
            Assert.That(usage.Inherited, Is.False);
            Assert.That(usage.AllowMultiple, Is.False);
            Assert.That(typeof(StatelessAttribute).IsSealed, Is.True);
            Assert.That(typeof(StatelessPlugin).GetCustomAttribute<StatelessAttribute>(inherit: true), Is.Not.Null);
            Assert.That(typeof(DerivedFromStatelessPlugin).GetCustomAttribute<StatelessAttribute>(inherit: true), Is.Null);
        }
    }

    [Test]
    public void NonSealedDocumentClasses_CanBeExtendedByPlugins()
    {
        Assert.That(new[] { typeof(Document), typeof(ErrorDoc), typeof(SkipDoc), typeof(CompositeDoc) },
            Has.None.Matches<Type>(t => t.IsSealed));
    }

    [Stateless]
    private class StatelessPlugin;

    private sealed class DerivedFromStatelessPlugin : StatelessPlugin;
}
