using LetsData.Runtime.Aws.DynamoDB;

namespace LetsData.Runtime.Tests.DynamoDB;

/// <summary>Scan keys as checkpoint text: every key type comes back as the same plain value.</summary>
public class DynamoDBKeyJsonTests
{
    [Test]
    public void KeysRoundTripWithTheirTypes()
    {
        var key = new Dictionary<string, object?> { ["s"] = "42", ["n"] = 42L, ["d"] = 1.5m, ["b"] = new byte[] { 0, 255 } };

        var json = DynamoDBKeyJson.Serialize(key);
        var back = DynamoDBKeyJson.Deserialize(json);

        Assert.That(json, Is.EqualTo("""{"s":{"S":"42"},"n":{"N":"42"},"d":{"N":"1.5"},"b":{"B":"AP8="}}"""));
        Assert.Multiple(() =>
        {
            Assert.That(back["s"], Is.TypeOf<string>().And.EqualTo("42"));
            Assert.That(back["n"], Is.TypeOf<long>().And.EqualTo(42L));
            Assert.That(back["d"], Is.TypeOf<decimal>().And.EqualTo(1.5m));
            Assert.That(back["b"], Is.TypeOf<byte[]>().And.EqualTo(new byte[] { 0, 255 }));
        });
    }

    [Test]
    public void AnUntypedKeyIsAFormatError() =>
        Assert.Throws<FormatException>(() => DynamoDBKeyJson.Deserialize("""{"pk":"a"}"""));
}
