using System.Text;
using Amazon.DynamoDBv2.Model;
using LetsData.Runtime.Aws.DynamoDB;

namespace LetsData.Runtime.Tests.DynamoDB;

/// <summary>Serialized documents to DynamoDB items: types, exact number text, nesting, and what DynamoDB would refuse.</summary>
public class JsonItemParserTests
{
    [Test]
    public void TopLevelFieldsBecomeAttributesOfTheirJsonType()
    {
        var item = Parse("""{"s":"text é","n":1.50,"big":123456789012345678901234567890,"e":1e3,"t":true,"f":false,"z":null}""");

        Assert.Multiple(() =>
        {
            Assert.That(item.Keys, Is.EquivalentTo(new[] { "s", "n", "big", "e", "t", "f", "z" }));
            Assert.That(item["s"].S, Is.EqualTo("text é"));
            Assert.That(item["n"].N, Is.EqualTo("1.50"), "number text kept exactly");
            Assert.That(item["big"].N, Is.EqualTo("123456789012345678901234567890"));
            Assert.That(item["e"].N, Is.EqualTo("1e3"));
            Assert.That(item["t"].BOOL, Is.True);
            Assert.That(item["f"].BOOL, Is.False);
            Assert.That(item["z"].NULL, Is.True);
            Assert.That(item["s"].N, Is.Null);
        });
    }

    [Test]
    public void ArraysAndObjectsNestAsListsAndMaps()
    {
        var item = Parse("""{"a":[1,"x",[true],{"k":null}],"o":{"inner":{"deep":"v"},"empty":{},"none":[]}}""");

        var list = item["a"].L!;
        Assert.Multiple(() =>
        {
            Assert.That(list, Has.Count.EqualTo(4));
            Assert.That(list[0].N, Is.EqualTo("1"));
            Assert.That(list[1].S, Is.EqualTo("x"));
            Assert.That(list[2].L![0].BOOL, Is.True);
            Assert.That(list[3].M!["k"].NULL, Is.True);
            Assert.That(item["o"].M!["inner"].M!["deep"].S, Is.EqualTo("v"));
            Assert.That(item["o"].M!["empty"].M, Is.Empty);
            Assert.That(item["o"].M!["none"].L, Is.Empty);
        });
    }

    [TestCase("[1,2]", "not a JSON object")]
    [TestCase("\"text\"", "not a JSON object")]
    [TestCase("{\"a\":1} {\"b\":2}", "not valid JSON")]
    [TestCase("{\"a\":", "not valid JSON")]
    [TestCase("{\"\":1}", "empty name")]
    [TestCase("{\"n\":123456789012345678901234567890123456789}", "39 significant digits")]
    [TestCase("{\"n\":1e126}", "number range")]
    [TestCase("{\"n\":1e-131}", "number range")]
    public void RefusesWhatDynamoDBWouldRefuse(string json, string reason)
    {
        var e = Assert.Throws<JsonItemException>(() => Parse(json));

        Assert.That(e!.Message, Does.Contain(reason));
    }

    [Test]
    public void NestingDeeperThanDynamoDBAllowsIsRefusedAndTheLimitItselfIsTaken()
    {
        static string Nested(int levels) => "{\"a\":" + string.Concat(Enumerable.Repeat("[", levels)) + "1" + string.Concat(Enumerable.Repeat("]", levels)) + "}";

        Assert.That(Parse(Nested(32))["a"].L, Is.Not.Null);
        Assert.Throws<JsonItemException>(() => Parse(Nested(33)));
    }

    [TestCase("0", true)]
    [TestCase("-0.000", true)]
    [TestCase("12345678901234567890123456789012345678", true)]
    [TestCase("1234567890123456789012345678901234567800000", true)]
    [TestCase("0.00012345678901234567890123456789012345678", true)]
    [TestCase("1E-130", true)]
    [TestCase("9.9999999999999999999999999999999999999E+125", true)]
    [TestCase("123456789012345678901234567890123456789", false)]
    [TestCase("1E-131", false)]
    [TestCase("10E125", false)]
    public void DynamoDBNumberLimits(string text, bool accepted) =>
        Assert.That(DynamoDBNumbers.Check(text, out _) is null, Is.EqualTo(accepted));

    [Test]
    public void ItemSizeCountsNamesAndValuesAsDynamoDBDoes()
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["ab"] = new() { S = "é€" },            // 2 + 5
            ["n"] = new() { N = "12345" },            // 1 + (5 + 1) / 2 + 1 = 1 + 4
            ["b"] = new() { BOOL = true },            // 1 + 1
            ["l"] = new() { L = [new() { S = "x" }] }, // 1 + 3 + 1 + 1
            ["m"] = new() { M = new() { ["k"] = new() { NULL = true } } }, // 1 + 3 + 1 + 1 + 1
        };

        Assert.That(DynamoDBItemSize.Of(item), Is.EqualTo(7 + 5 + 2 + 6 + 7));
    }

    private static Dictionary<string, AttributeValue> Parse(string json) => JsonItemParser.Parse(Encoding.UTF8.GetBytes(json));
}
