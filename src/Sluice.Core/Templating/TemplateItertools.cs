namespace Sluice.Core.Templating;

/// <summary>
/// <c>modules.itertools</c>: <c>chain</c> (and <c>chain.from_iterable</c>), <c>product</c>,
/// <c>combinations</c>, <c>combinations_with_replacement</c> and <c>permutations</c>. Python
/// returns iterators; these return lists, which templates loop over the same way (and which
/// <c>| list</c> leaves as they are). Results are limited to a million items, as <c>range</c> is.
/// </summary>
internal static class TemplateItertools
{
    private const int Limit = 1_000_000;

    public static TemplateModule Module { get; } = new("itertools", new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["chain"] = new TemplateClass("itertools.chain", call => Chain(call, call.Positional), new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["from_iterable"] = (TemplateFunction)(call => Chain(call, call.Items(call.Argument(0, "iterable"), "the iterable"))),
        }),
        ["product"] = (TemplateFunction)Product,
        ["combinations"] = (TemplateFunction)(call => Choose(call, call.Integer(1, "r"), ordered: false, repeat: false)),
        ["combinations_with_replacement"] = (TemplateFunction)(call => Choose(call, call.Integer(1, "r"), ordered: false, repeat: true)),
        ["permutations"] = (TemplateFunction)(call => Choose(call, call.Argument(1, "r") is null ? call.Items(call.Argument(0, "iterable"), "the iterable").Count : call.Integer(1, "r"), ordered: true, repeat: false)),
    });

    private static List<object?> Chain(TemplateCall call, IReadOnlyList<object?> iterables)
    {
        var items = new List<object?>();
        foreach (var iterable in iterables)
        {
            items.AddRange(call.Items(iterable, "each argument"));
            Guard(call, items.Count);
        }

        return items;
    }

    // product(a, b, repeat=1): every tuple taking one item of each list in turn, the last list varying fastest.
    private static List<object?> Product(TemplateCall call)
    {
        var repeat = call.Named.TryGetValue("repeat", out var times) ? times as long? ?? throw call.Error("product(): repeat must be an integer") : 1;
        var pools = Enumerable.Repeat(call.Positional.Select(p => call.Items(p, "each argument")), (int)Math.Max(0, repeat)).SelectMany(p => p).ToList();
        var tuples = new List<List<object?>> { new() };
        foreach (var pool in pools)
        {
            Guard(call, (long)tuples.Count * pool.Count);
            tuples = [.. tuples.SelectMany(t => pool.Select(item => new List<object?>(t) { item }))];
        }

        return [.. tuples];
    }

    // combinations (sorted positions, no repeats), combinations_with_replacement, permutations (any order).
    private static List<object?> Choose(TemplateCall call, long size, bool ordered, bool repeat)
    {
        var pool = call.Items(call.Argument(0, "iterable"), "the iterable");
        if (size < 0)
        {
            throw call.Error($"{call.Name}(): r must not be negative");
        }

        var results = new List<object?>();
        var chosen = new List<int>();
        void Extend(int from)
        {
            if (chosen.Count == size)
            {
                results.Add(chosen.Select(i => pool[i]).ToList());
                Guard(call, results.Count);
                return;
            }

            for (var i = ordered ? 0 : from; i < pool.Count; i++)
            {
                if (!repeat && chosen.Contains(i))
                {
                    continue;
                }

                chosen.Add(i);
                Extend(repeat ? i : i + 1);
                chosen.RemoveAt(chosen.Count - 1);
            }
        }

        Extend(0);
        return results;
    }

    private static void Guard(TemplateCall call, long count)
    {
        if (count > Limit)
        {
            throw call.Error($"{call.Name}() would make more than a million items");
        }
    }
}
