using LetsData.Interfaces.Readers;

namespace LetsData.Interfaces.Tests.Readers;

[TestFixture]
public class SingleFileReaderStatesTests
{
    private const SingleFileReaderState Created = SingleFileReaderState.Created;
    private const SingleFileReaderState FileDownloaded = SingleFileReaderState.FileDownloaded;
    private const SingleFileReaderState Processing = SingleFileReaderState.Processing;
    private const SingleFileReaderState Closed = SingleFileReaderState.Closed;
    private const SingleFileReaderState Completed = SingleFileReaderState.Completed;

    // The table of CONTRACT.md, written out in full: row = from, column = to.
    private static readonly SingleFileReaderState[] Order = [Created, FileDownloaded, Processing, Closed, Completed];
    private static readonly bool[,] Expected =
    {
        //               Created FileDownloaded Processing Closed Completed
        /* Created */        { true,  true,  true,  true,  false },
        /* FileDownloaded */ { false, true,  true,  false, false },
        /* Processing */     { false, false, true,  true,  true  },
        /* Closed */         { false, false, false, true,  false },
        /* Completed */      { false, false, false, true,  true  },
    };

    private static IEnumerable<TestCaseData> AllPairs()
    {
        for (var row = 0; row < Order.Length; row++)
        {
            for (var column = 0; column < Order.Length; column++)
            {
                yield return new TestCaseData(Order[row], Order[column], Expected[row, column])
                    .SetArgDisplayNames($"{Order[row]}->{Order[column]}");
            }
        }
    }

    [Test]
    public void TheTableCoversEveryState()
    {
        Assert.That(Order, Is.EquivalentTo(Enum.GetValues<SingleFileReaderState>()));
    }

    [TestCaseSource(nameof(AllPairs))]
    public void IsValidTransition_MatchesTheContractTable(SingleFileReaderState from, SingleFileReaderState to, bool expected)
    {
        Assert.That(SingleFileReaderStates.IsValidTransition(from, to), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(AllPairs))]
    public void AssertValidTransition_ThrowsExactlyForInvalidPairs_NamingBothStates(
        SingleFileReaderState from, SingleFileReaderState to, bool expected)
    {
        if (expected)
        {
            Assert.That(() => SingleFileReaderStates.AssertValidTransition(from, to), Throws.Nothing);
        }
        else
        {
            Assert.That(() => SingleFileReaderStates.AssertValidTransition(from, to),
                Throws.InvalidOperationException
                    .With.Message.Contains($"from {from}")
                    .And.Message.Contains($"to {to}"));
        }
    }

    [Test]
    public void UndefinedStates_AreNeverValid()
    {
        var undefined = (SingleFileReaderState)99;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(SingleFileReaderStates.IsValidTransition(undefined, undefined), Is.False);
            Assert.That(SingleFileReaderStates.IsValidTransition(Created, undefined), Is.False);
            Assert.That(SingleFileReaderStates.IsValidTransition(undefined, Closed), Is.False);
            Assert.That(() => SingleFileReaderStates.AssertValidTransition(Created, undefined), Throws.InvalidOperationException);
        }
    }
}
