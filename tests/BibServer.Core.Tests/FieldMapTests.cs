using BibServer.Core.Papers;

namespace BibServer.Core.Tests;

/// <summary>A paper's other fields: in the order given, the first value of a name given twice kept, empty when none.</summary>
public class FieldMapTests
{
    public static TheoryData<string[], string[]> Pairs => new()
    {
        { [], [] },
        { ["volume", "12", "page", "3-4"], ["volume=12", "page=3-4"] },
        { ["issue", "2", "number", "7", "issue", "9"], ["issue=2", "number=7"] },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Pairs_and_key_value_lists_make_the_same_map(string[] pairs, string[] expected)
    {
        var fromPairs = FieldMap.FromPairs(pairs);
        var fromList = FieldMap.From(Enumerable.Range(0, pairs.Length / 2).Select(i => KeyValuePair.Create(pairs[2 * i], pairs[2 * i + 1])));

        Assert.Equal(expected, fromPairs.Select(f => $"{f.Key}={f.Value}"));
        Assert.Equal(fromList, fromPairs);
        Assert.Equal(expected.Length == 0, fromPairs.IsEmpty);
        Assert.Equal(expected.Length, fromPairs.Count);
    }
}
