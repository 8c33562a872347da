using LetsData.Runtime.Confinement;

namespace LetsData.Runtime.Tests.Confinement;

public class ConfinementReportTests
{
    [Test]
    public void Stage1EncodingRoundTrips()
    {
        var report = new ConfinementReport(["no_new_privs set", "a;b%3B"], ["Landlock ABI 3 < 4: TCP connections are not confined", "100%"]);

        var decoded = ConfinementReport.Decode(report.Encode());

        Assert.That(report.Encode(), Does.Not.Contain('\n'));
        Assert.That(decoded.Applied, Is.EqualTo(report.Applied));
        Assert.That(decoded.Missing, Is.EqualTo(report.Missing));
    }

    [Test]
    public void EmptyReportRoundTrips()
    {
        var decoded = ConfinementReport.Decode(new ConfinementReport([], []).Encode());

        Assert.That(decoded.Applied, Is.Empty);
        Assert.That(decoded.Missing, Is.Empty);
    }
}
