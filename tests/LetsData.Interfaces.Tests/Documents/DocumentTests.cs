using System.Text.Json;
using System.Text.Json.Serialization;
using LetsData.Interfaces.Documents;

namespace LetsData.Interfaces.Tests.Documents;

[TestFixture]
public class DocumentTests
{
    private static readonly string[] ReservedFields = ["documentId", "recordType", "partitionKey", "documentMetadata"];

    [Test]
    public void Constructor_KeepsPropertiesAndReportsDocumentType()
    {
        var keyValues = new Dictionary<string, object?> { ["url"] = "http://example.com" };
        var metadata = new Dictionary<string, object?> { ["crawl"] = "CC" };

        var doc = new Document("id-1", "Content", "pk-1", keyValues, metadata);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc.DocumentId, Is.EqualTo("id-1"));
            Assert.That(doc.RecordType, Is.EqualTo("Content"));
            Assert.That(doc.PartitionKey, Is.EqualTo("pk-1"));
            Assert.That(doc.KeyValues, Is.SameAs(keyValues));
            Assert.That(doc.DocumentMetadata, Is.SameAs(metadata));
            Assert.That(doc.DocumentType, Is.EqualTo(DocumentType.Document));
            Assert.That(doc.IsSingleDoc, Is.True);
        }
    }

    [Test]
    public void Constructor_NullKeyValues_Throws()
    {
        Assert.That(() => new Document("id", "t", "pk", null!), Throws.ArgumentNullException
            .With.Property(nameof(ArgumentException.ParamName)).EqualTo("keyValues"));
    }

    [Test]
    public void Serialize_FlattensKeyValuesAndAddsTheFourReservedFields()
    {
        var doc = new Document("id-1", "Content", "pk-1", new Dictionary<string, object?>
        {
            ["url"] = "http://example.com/a",
            ["contentLength"] = 1234L,
            ["score"] = 0.5,
            ["isHtml"] = true,
            ["language"] = null,
        });

        using var json = JsonDocument.Parse(doc.Serialize());
        var root = json.RootElement;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(PropertyNames(root), Is.EquivalentTo(new[]
            {
                "url", "contentLength", "score", "isHtml", "language",
                "documentId", "recordType", "partitionKey", "documentMetadata",
            }));
            Assert.That(root.GetProperty("url").GetString(), Is.EqualTo("http://example.com/a"));
            Assert.That(root.GetProperty("contentLength").GetInt64(), Is.EqualTo(1234L));
            Assert.That(root.GetProperty("score").GetDouble(), Is.EqualTo(0.5));
            Assert.That(root.GetProperty("isHtml").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("language").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("documentId").GetString(), Is.EqualTo("id-1"));
            Assert.That(root.GetProperty("recordType").GetString(), Is.EqualTo("Content"));
            Assert.That(root.GetProperty("partitionKey").GetString(), Is.EqualTo("pk-1"));
        }
    }

    [Test]
    public void Serialize_HasNoDocumentTypeField()
    {
        var doc = new Document("id", "t", "pk", new Dictionary<string, object?>());

        using var json = JsonDocument.Parse(doc.Serialize());

        Assert.That(json.RootElement.TryGetProperty("documentType", out _), Is.False);
    }

    [Test]
    public void Serialize_NullMetadata_IsWrittenAsEmptyObject()
    {
        var doc = new Document("id", "t", "pk", new Dictionary<string, object?>());

        using var json = JsonDocument.Parse(doc.Serialize());
        var metadata = json.RootElement.GetProperty("documentMetadata");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(metadata.ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(metadata.EnumerateObject().Count(), Is.Zero);
        }
    }

    [Test]
    public void Serialize_Metadata_IsWrittenAsObject()
    {
        var doc = new Document("id", "t", "pk", new Dictionary<string, object?>(),
            new Dictionary<string, object?> { ["crawl"] = "CC-MAIN", ["segment"] = 7, ["note"] = null });

        using var json = JsonDocument.Parse(doc.Serialize());
        var metadata = json.RootElement.GetProperty("documentMetadata");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(metadata.GetProperty("crawl").GetString(), Is.EqualTo("CC-MAIN"));
            Assert.That(metadata.GetProperty("segment").GetInt32(), Is.EqualTo(7));
            Assert.That(metadata.GetProperty("note").ValueKind, Is.EqualTo(JsonValueKind.Null));
        }
    }

    [Test]
    public void Serialize_NullReservedStrings_AreJsonNull()
    {
        var doc = new Document(null, null, null, new Dictionary<string, object?> { ["a"] = 1 });

        using var json = JsonDocument.Parse(doc.Serialize());
        var root = json.RootElement;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("documentId").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("recordType").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("partitionKey").ValueKind, Is.EqualTo(JsonValueKind.Null));
        }
    }

    [Test]
    public void Serialize_KeyValueNamedLikeAReservedField_LosesToTheProperty()
    {
        var doc = new Document("real-id", "real-type", "real-pk", new Dictionary<string, object?>
        {
            ["documentId"] = "map-id",
            ["recordType"] = "map-type",
            ["partitionKey"] = "map-pk",
            ["documentMetadata"] = new Dictionary<string, object?> { ["from"] = "map" },
            ["other"] = "kept",
        }, new Dictionary<string, object?> { ["from"] = "property" });

        var text = doc.Serialize();
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        var names = PropertyNames(root);

        using (Assert.EnterMultipleScope())
        {
            foreach (var field in ReservedFields)
            {
                // JsonDocument accepts duplicate names, so count them: a clash must not write the field twice.
                Assert.That(names.Count(n => n == field), Is.EqualTo(1), field);
            }
            Assert.That(root.GetProperty("documentId").GetString(), Is.EqualTo("real-id"));
            Assert.That(root.GetProperty("recordType").GetString(), Is.EqualTo("real-type"));
            Assert.That(root.GetProperty("partitionKey").GetString(), Is.EqualTo("real-pk"));
            Assert.That(root.GetProperty("documentMetadata").GetProperty("from").GetString(), Is.EqualTo("property"));
            Assert.That(root.GetProperty("other").GetString(), Is.EqualTo("kept"));
            Assert.That(text, Does.Not.Contain("map-"));
        }
    }

    [Test]
    public void Serialize_NestedValues_KeepTheirStructure()
    {
        var doc = new Document("id", "t", "pk", new Dictionary<string, object?>
        {
            ["tags"] = new[] { "a", "b" },
            ["counts"] = new List<int> { 1, 2, 3 },
            ["nested"] = new Dictionary<string, object?>
            {
                ["inner"] = new Dictionary<string, object?> { ["deep"] = 42, ["none"] = null },
                ["mixed"] = new List<object?> { "x", 1, true, null },
            },
            ["empty"] = Array.Empty<object>(),
        });

        using var json = JsonDocument.Parse(doc.Serialize());
        var root = json.RootElement;
        var nested = root.GetProperty("nested");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("tags").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(root.GetProperty("counts").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(nested.GetProperty("inner").GetProperty("deep").GetInt32(), Is.EqualTo(42));
            Assert.That(nested.GetProperty("inner").GetProperty("none").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(nested.GetProperty("mixed").EnumerateArray().Select(e => e.ValueKind), Is.EqualTo(new[]
            {
                JsonValueKind.String, JsonValueKind.Number, JsonValueKind.True, JsonValueKind.Null,
            }));
            Assert.That(root.GetProperty("empty").GetArrayLength(), Is.Zero);
        }
    }

    [Test]
    public void Serialize_NonAsciiStrings_RoundTrip()
    {
        const string Text = "Grüße aus 日本 — \"quoted\" \\ tab\t 😀";
        const string Key = "schlüssel_キー";
        var doc = new Document("ид-1", "Inhalt", "分区", new Dictionary<string, object?> { [Key] = Text },
            new Dictionary<string, object?> { ["note"] = "ça va" });

        using var json = JsonDocument.Parse(doc.Serialize());
        var root = json.RootElement;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty(Key).GetString(), Is.EqualTo(Text));
            Assert.That(root.GetProperty("documentId").GetString(), Is.EqualTo("ид-1"));
            Assert.That(root.GetProperty("recordType").GetString(), Is.EqualTo("Inhalt"));
            Assert.That(root.GetProperty("partitionKey").GetString(), Is.EqualTo("分区"));
            Assert.That(root.GetProperty("documentMetadata").GetProperty("note").GetString(), Is.EqualTo("ça va"));
        }
    }

    [Test]
    public void Serialize_RepeatedCalls_DoNotLeakEarlierOutput()
    {
        var big = new Document("big", "t", "pk", new Dictionary<string, object?> { ["text"] = new string('x', 100_000) });
        var small = new Document("small", "t", "pk", new Dictionary<string, object?> { ["n"] = 1 });

        var first = small.Serialize();
        _ = big.Serialize();
        var second = small.Serialize();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(second, Does.Not.Contain("xxx"));
        }
    }

    [Test]
    public void Serialize_ConcurrentCallsOnManyThreads_AreIndependent()
    {
        var docs = Enumerable.Range(0, 200)
            .Select(i => new Document($"id-{i}", "t", "pk", new Dictionary<string, object?> { ["i"] = i, ["s"] = new string('a', i) }))
            .ToArray();
        var expected = docs.Select(d => d.Serialize()).ToArray();
        var actual = new string[docs.Length];

        Parallel.For(0, docs.Length * 20, new ParallelOptions { MaxDegreeOfParallelism = 4 }, n =>
        {
            var i = n % docs.Length;
            actual[i] = docs[i].Serialize();
        });

        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void Serialize_ReentrantCallFromAConverter_ProducesBothDocumentsIntact()
    {
        var inner = new Document("inner", "t", "pk", new Dictionary<string, object?> { ["x"] = 1 });
        var outer = new Document("outer", "t", "pk", new Dictionary<string, object?>
        {
            ["before"] = "b",
            ["embedded"] = new SerializesDocument(inner),
            ["after"] = "a",
        });

        using var json = JsonDocument.Parse(outer.Serialize());
        var root = json.RootElement;
        using var embedded = JsonDocument.Parse(root.GetProperty("embedded").GetString()!);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("documentId").GetString(), Is.EqualTo("outer"));
            Assert.That(root.GetProperty("before").GetString(), Is.EqualTo("b"));
            Assert.That(root.GetProperty("after").GetString(), Is.EqualTo("a"));
            Assert.That(embedded.RootElement.GetProperty("documentId").GetString(), Is.EqualTo("inner"));
        }
    }

    [Test]
    public void Serialize_UnserializableValue_ThrowsAndLaterCallsStillWork()
    {
        var bad = new Document("bad", "t", "pk", new Dictionary<string, object?> { ["ok"] = 1, ["type"] = typeof(string) });
        var good = new Document("good", "t", "pk", new Dictionary<string, object?> { ["n"] = 2 });

        Assert.That(() => bad.Serialize(), Throws.InstanceOf<NotSupportedException>());

        using var json = JsonDocument.Parse(good.Serialize());
        Assert.That(PropertyNames(json.RootElement), Is.EqualTo(new[] { "n", "documentId", "recordType", "partitionKey", "documentMetadata" }));
    }

    [Test]
    public void Serialize_IsVirtual_AndUsedThroughTheInterface()
    {
        IDocument doc = new FixedJsonDocument();

        Assert.That(doc.Serialize(), Is.EqualTo("{\"custom\":true}"));
    }

    [Test]
    public void ToString_DescribesTheDocumentWithoutSerializingIt()
    {
        var doc = new Document("id", "t", "pk", new Dictionary<string, object?> { ["a"] = 1, ["type"] = typeof(string) });

        Assert.That(doc.ToString(), Is.EqualTo("Document { DocumentId = id, RecordType = t, PartitionKey = pk, KeyValues = 2 }"));
    }

    private static List<string> PropertyNames(JsonElement element) =>
        element.EnumerateObject().Select(p => p.Name).ToList();

    private sealed class FixedJsonDocument() : Document("id", "t", "pk", new Dictionary<string, object?>())
    {
        public override string Serialize() => "{\"custom\":true}";
    }

    [JsonConverter(typeof(SerializesDocumentConverter))]
    private sealed class SerializesDocument(Document document)
    {
        public Document Document { get; } = document;
    }

    private sealed class SerializesDocumentConverter : JsonConverter<SerializesDocument>
    {
        public override SerializesDocument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, SerializesDocument value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Document.Serialize());
    }
}
