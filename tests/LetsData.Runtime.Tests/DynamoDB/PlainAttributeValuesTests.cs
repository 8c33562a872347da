using System.Text;
using Amazon.DynamoDBv2.Model;
using LetsData.Runtime.Aws.DynamoDB;

namespace LetsData.Runtime.Tests.DynamoDB;

/// <summary>AttributeValues to the plain values plugins get, and plain keys back for scan start keys.</summary>
public class PlainAttributeValuesTests
{
    [TestCase("42", 42L)]
    [TestCase("-9223372036854775808", long.MinValue)]
    [TestCase("1E3", 1000L)]
    [TestCase("1.0", 1L)]
    public void IntegralNumbersInRangeAreLongs(string text, long expected)
    {
        var value = PlainAttributeValues.ParseNumber(text);

        Assert.That(value, Is.TypeOf<long>().And.EqualTo(expected));
    }

    [TestCase("3.25", "3.25")]
    [TestCase("9223372036854775808", "9223372036854775808")]
    [TestCase("-0.001", "-0.001")]
    public void OtherNumbersInDecimalRangeAreDecimals(string text, string expected)
    {
        var value = PlainAttributeValues.ParseNumber(text);

        Assert.That(value, Is.TypeOf<decimal>().And.EqualTo(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase("1E100", 1e100)]
    [TestCase("1E-100", 1e-100)]
    public void NumbersBeyondDecimalAreDoubles(string text, double expected) =>
        Assert.That(PlainAttributeValues.ParseNumber(text), Is.TypeOf<double>().And.EqualTo(expected));

    [Test]
    public void EveryAttributeTypeBecomesItsPlainValue()
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["s"] = new() { S = "text" },
            ["n"] = new() { N = "7" },
            ["t"] = new() { BOOL = true },
            ["z"] = new() { NULL = true },
            ["b"] = new() { B = new MemoryStream(Encoding.UTF8.GetBytes("bin")) },
            ["l"] = new() { L = [new() { N = "1.5" }, new() { S = "x" }] },
            ["m"] = new() { M = new() { ["k"] = new() { BOOL = false } } },
            ["ss"] = new() { SS = ["a", "b"] },
            ["ns"] = new() { NS = ["1", "2.5"] },
            ["bs"] = new() { BS = [new MemoryStream([1, 2])] },
        };

        var plain = PlainAttributeValues.ToPlainItem(item);

        Assert.Multiple(() =>
        {
            Assert.That(plain["s"], Is.EqualTo("text"));
            Assert.That(plain["n"], Is.TypeOf<long>().And.EqualTo(7L));
            Assert.That(plain["t"], Is.EqualTo(true));
            Assert.That(plain.ContainsKey("z") && plain["z"] is null, Is.True);
            Assert.That(plain["b"], Is.TypeOf<byte[]>().And.EqualTo(Encoding.UTF8.GetBytes("bin")));
            Assert.That(plain["l"], Is.TypeOf<List<object?>>().And.EqualTo(new object?[] { 1.5m, "x" }));
            Assert.That(plain["m"], Is.TypeOf<Dictionary<string, object?>>());
            Assert.That(((Dictionary<string, object?>)plain["m"]!)["k"], Is.EqualTo(false));
            Assert.That(plain["ss"], Is.EqualTo(new object?[] { "a", "b" }));
            Assert.That(plain["ns"], Is.EqualTo(new object?[] { 1L, 2.5m }));
            Assert.That(plain["bs"], Is.EqualTo(new object?[] { new byte[] { 1, 2 } }));
        });
    }

    [Test]
    public void PlainKeysGoBackAsTheirAttributeTypes()
    {
        var values = PlainAttributeValues.FromPlainItem(new Dictionary<string, object?>
        {
            ["s"] = "k", ["l"] = 12L, ["d"] = 1.25m, ["b"] = new byte[] { 9 }, ["t"] = true, ["z"] = null,
            ["list"] = new List<object?> { 1L, "x" }, ["map"] = new Dictionary<string, object?> { ["i"] = 2 },
        });

        Assert.Multiple(() =>
        {
            Assert.That(values["s"].S, Is.EqualTo("k"));
            Assert.That(values["l"].N, Is.EqualTo("12"));
            Assert.That(values["d"].N, Is.EqualTo("1.25"));
            Assert.That(values["b"].B!.ToArray(), Is.EqualTo(new byte[] { 9 }));
            Assert.That(values["t"].BOOL, Is.True);
            Assert.That(values["z"].NULL, Is.True);
            Assert.That(values["list"].L!.Select(v => v.N ?? v.S), Is.EqualTo(new[] { "1", "x" }));
            Assert.That(values["map"].M!["i"].N, Is.EqualTo("2"));
        });
    }

    [Test]
    public void JsonThroughAnItemAndBackGivesTheSameValues()
    {
        var item = JsonItemParser.Parse("""{"id":"a","n":12,"d":0.5,"list":[1,{"x":null}],"ok":true}"""u8);

        var plain = PlainAttributeValues.ToPlainItem(item);

        Assert.That(plain["n"], Is.EqualTo(12L));
        Assert.That(plain["d"], Is.EqualTo(0.5m));
        var list = (List<object?>)plain["list"]!;
        Assert.That(list[0], Is.EqualTo(1L));
        Assert.That(((Dictionary<string, object?>)list[1]!).ContainsKey("x"), Is.True);
        Assert.That(plain["ok"], Is.EqualTo(true));
    }
}
