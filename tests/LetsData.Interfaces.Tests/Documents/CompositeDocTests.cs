using LetsData.Interfaces.Documents;

namespace LetsData.Interfaces.Tests.Documents;

[TestFixture]
public class CompositeDocTests
{
    [Test]
    public void WithDocument_DelegatesEverythingToIt()
    {
        var metadata = new Dictionary<string, object?> { ["m"] = 1 };
        var kept = new Document("id-1", "CommonCrawl", "pk-1", new Dictionary<string, object?> { ["url"] = "u" }, metadata);

        var composite = new CompositeDoc(kept);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(composite.DocumentId, Is.EqualTo("id-1"));
            Assert.That(composite.RecordType, Is.EqualTo("CommonCrawl"));
            Assert.That(composite.PartitionKey, Is.EqualTo("pk-1"));
            Assert.That(composite.DocumentMetadata, Is.SameAs(metadata));
            Assert.That(composite.Serialize(), Is.EqualTo(kept.Serialize()));
            Assert.That(composite.DocumentList.Key, Is.SameAs(kept));
            Assert.That(composite.DocumentList.Value, Is.Not.Null.And.Empty);
        }
    }

    [Test]
    public void WithoutDocument_EverythingIsNull_AndErrorsAreKept()
    {
        var error = new ErrorDoc(new Dictionary<string, string> { ["WARC"] = "0" }, null, "boom");
        var errors = new List<IErrorDoc> { error };

        var composite = new CompositeDoc(null, errors);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(composite.DocumentId, Is.Null);
            Assert.That(composite.RecordType, Is.Null);
            Assert.That(composite.PartitionKey, Is.Null);
            Assert.That(composite.DocumentMetadata, Is.Null);
            Assert.That(composite.Serialize(), Is.Null);
            Assert.That(composite.DocumentList.Key, Is.Null);
            Assert.That(composite.DocumentList.Value, Is.SameAs(errors));
        }
    }

    [Test]
    public void NullErrors_BecomeAnEmptyList()
    {
        var composite = new CompositeDoc(null);

        Assert.That(composite.DocumentList.Value, Is.Not.Null.And.Empty);
    }

    [Test]
    public void Serialize_UsesTheKeptDocumentsOverride()
    {
        var kept = new ErrorDoc(null, null, "partial", serialized: "placeholder");

        var composite = new CompositeDoc(kept, [new ErrorDoc(null, null, "e1"), new ErrorDoc(null, null, "e2")]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(composite.Serialize(), Is.EqualTo("placeholder"));
            Assert.That(composite.DocumentList.Value.Select(e => e.ErrorMessage), Is.EqualTo(new[] { "e1", "e2" }));
        }
    }
}
