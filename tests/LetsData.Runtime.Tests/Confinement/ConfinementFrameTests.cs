using System.Buffers.Binary;
using LetsData.Runtime.Confinement;
using LetsData.Runtime.DataTasks;
using LetsData.Runtime.Hosting;

namespace LetsData.Runtime.Tests.Confinement;

/// <summary>
/// The frame a data-task process started before the dataset was read gets on its standard input: its policy and
/// stage 2's environment, read without taking a byte of the control channel that follows it on the same pipe.
/// </summary>
public sealed class ConfinementFrameTests
{
    private static readonly ConfinementPolicy Policy = new()
    {
        ReadOnlyPaths = ["/data/in put", "/opt/ünïcode"],
        ReadWritePaths = ["/data/out"],
        TcpConnectPorts = [443],
    };

    [Test]
    public void Frame_ReadsBackThePolicyAndEnvironment_AndNotAByteMore()
    {
        var launch = new DataTaskLaunch(heapHardLimitBytes: 123, (_, _) => Policy);
        var frame = launch.ConfinementFrame("/private/folder", "/plugins/p/Plugin.dll");
        byte[] channel = [(byte)'{', (byte)'"', 1, 2, 3];
        using var input = new MemoryStream([.. frame, .. channel]);

        var (encoded, environment) = DataTaskLaunch.ReadConfinementFrame(input);

        Assert.That(input.Position, Is.EqualTo(frame.Length), "the control channel's first bytes stay in the pipe");
        var policy = DataTaskLaunch.Decode(encoded);
        Assert.That(policy.ReadOnlyPaths, Is.EqualTo(Policy.ReadOnlyPaths));
        Assert.That(policy.ReadWritePaths, Is.EqualTo(Policy.ReadWritePaths));
        Assert.That(policy.TcpConnectPorts, Is.EqualTo(Policy.TcpConnectPorts));
        Assert.That(environment["HOME"], Is.EqualTo("/private/folder"));
        Assert.That(environment["TMPDIR"], Is.EqualTo("/private/folder"));
        Assert.That(environment["DOTNET_GCHeapHardLimit"], Is.EqualTo("7B"), "the dataset's heap limit reaches stage 2 through the frame");
        Assert.That(environment["DOTNET_EnableDiagnostics"], Is.EqualTo("0"));
    }

    [Test]
    public void Frame_CarriesTheSupervisorsOwnVariables_AndTieringOff()
    {
        var launch = new DataTaskLaunch(heapHardLimitBytes: null, (_, _) => Policy);
        var target = new PreparationAhead.Target("/d/dataset.json", "/d/plugins", "/d/plugins/p/Plugin.dll");
        var frame = launch.ConfinementFrame("/private/folder", target.PluginAssembly, PreparationAhead.Variables(target));

        var (_, environment) = DataTaskLaunch.ReadConfinementFrame(new MemoryStream(frame));

        Assert.That(environment[PreparationAhead.DatasetVariable], Is.EqualTo(target.DatasetFile));
        Assert.That(environment[PreparationAhead.PluginsVariable], Is.EqualTo(target.PluginsDirectory));
        Assert.That(environment[PreparationAhead.PluginVariable], Is.EqualTo(target.PluginAssembly));
        Assert.That(environment[DataTaskEnvironment.TieredCompilationVariable], Is.EqualTo("0"));
    }

    [Test]
    public void Frame_FromAnUnconfinedLaunch_IsRefused()
    {
        var launch = new DataTaskLaunch(heapHardLimitBytes: null, confinement: null);
        Assert.That(() => launch.ConfinementFrame("/private/folder", "/plugins/p/Plugin.dll"), Throws.InvalidOperationException);
    }

    [Test]
    public void ASupervisorGoneBeforeTheFrame_IsTheEndOfTheStream()
    {
        var launch = new DataTaskLaunch(heapHardLimitBytes: null, (_, _) => Policy);
        var frame = launch.ConfinementFrame("/private/folder", "/plugins/p/Plugin.dll");
        using var truncated = new MemoryStream(frame[..^3]);
        Assert.That(() => DataTaskLaunch.ReadConfinementFrame(truncated), Throws.TypeOf<EndOfStreamException>());
        using var empty = new MemoryStream();
        Assert.That(() => DataTaskLaunch.ReadConfinementFrame(empty), Throws.TypeOf<EndOfStreamException>());
    }

    [Test]
    public void APolicy_RoundTripsAsOneArgument_WhateverItsPathsHold()
    {
        var policy = new ConfinementPolicy
        {
            ReadOnlyPaths = ["/a;b", "/new\nline", "/ü/€", "", "/x=y"],
            ReadExecutePaths = [],
            ReadWritePaths = ["/out"],
            TcpConnectPorts = [443, 4566],
            SocketFamilies = [1, 2, 10],
        };

        var encoded = DataTaskLaunch.Encode(policy);
        var decoded = DataTaskLaunch.Decode(encoded);

        Assert.That(encoded, Does.Match("^[A-Za-z0-9+/=]+$"), "one argument, no separator a shell or argv could split");
        Assert.That(decoded.ReadOnlyPaths, Is.EqualTo(policy.ReadOnlyPaths));
        Assert.That(decoded.ReadExecutePaths, Is.Empty);
        Assert.That(decoded.ReadWritePaths, Is.EqualTo(policy.ReadWritePaths));
        Assert.That(decoded.TcpConnectPorts, Is.EqualTo(policy.TcpConnectPorts));
        Assert.That(decoded.SocketFamilies, Is.EqualTo(policy.SocketFamilies));
    }

    [Test]
    public void ATruncatedPolicy_IsRefused()
    {
        var encoded = DataTaskLaunch.Encode(Policy);
        var bytes = Convert.FromBase64String(encoded);
        var truncated = Convert.ToBase64String(bytes[..(bytes.Length / 2)]);
        Assert.That(() => DataTaskLaunch.Decode(truncated), Throws.TypeOf<FormatException>());
        Assert.That(() => DataTaskLaunch.Encode(new ConfinementPolicy { ReadOnlyPaths = ["/a\0b"] }), Throws.ArgumentException);
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(2 << 20)]
    public void ALengthOutOfBounds_IsRefusedBeforeReading(int length)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, length);
        using var input = new MemoryStream(header);
        Assert.That(() => DataTaskLaunch.ReadConfinementFrame(input), Throws.TypeOf<InvalidDataException>().With.Message.Contain(length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
