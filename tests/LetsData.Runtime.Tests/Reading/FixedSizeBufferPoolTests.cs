using LetsData.Runtime.Reading;

namespace LetsData.Runtime.Tests.Reading;

/// <summary><see cref="FixedSizeBufferPool"/>: allocates only when every buffer is out, and refuses foreign buffers.</summary>
public class FixedSizeBufferPoolTests
{
    [Test]
    public void AllocatesOnlyAsManyAsWereOutAtOnce()
    {
        var pool = new FixedSizeBufferPool(1024);
        for (var round = 0; round < 1_000; round++)
        {
            var first = pool.Rent();
            var second = pool.Rent();
            Assert.That(first, Has.Length.EqualTo(1024));
            pool.Return(second);
            pool.Return(first);
        }

        Assert.That(pool.Allocated, Is.EqualTo(2));
        Assert.That(pool.Free, Is.EqualTo(2));
    }

    [Test]
    public void ABufferOfAnotherSizeIsRefused()
    {
        var pool = new FixedSizeBufferPool(1024);
        Assert.That(() => pool.Return(new byte[2048]), Throws.ArgumentException.With.Message.Contains("2048"));
        Assert.That(pool.Free, Is.Zero);
    }
}
