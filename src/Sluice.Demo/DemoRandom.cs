namespace Sluice.Demo;

/// <summary>
/// A small deterministic generator (SplitMix64): the same seed gives the same numbers on every
/// platform and .NET version, which <see cref="Random"/> does not promise. Demo data is derived
/// per day from the seed and the day, so a day's rows do not depend on how many days are made.
/// </summary>
public sealed class DemoRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A generator for one part of the data: <paramref name="seed"/> mixed with the part's keys.</summary>
    public static DemoRandom For(long seed, params long[] keys)
    {
        var state = Mix((ulong)seed);
        foreach (var key in keys)
        {
            state = Mix(state ^ (ulong)key);
        }

        return new DemoRandom(state);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextBits()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A number in [0, 1).</summary>
    public double NextDouble() => (NextBits() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A whole number in [0, <paramref name="max"/>).</summary>
    public int Next(int max) => max <= 0 ? throw new ArgumentOutOfRangeException(nameof(max)) : (int)(NextDouble() * max);

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public int Next(int min, int max) => min + Next(max - min);

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>One of <paramref name="items"/>, each as likely.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>One of <paramref name="items"/>, in proportion to its weight.</summary>
    public T Pick<T>(IReadOnlyList<(T Item, double Weight)> items)
    {
        var target = NextDouble() * items.Sum(i => i.Weight);
        foreach (var (item, weight) in items)
        {
            target -= weight;
            if (target < 0)
            {
                return item;
            }
        }

        return items[^1].Item;
    }

    /// <summary>A roughly normal number (the sum of four uniforms), mean <paramref name="mean"/> and spread <paramref name="spread"/>.</summary>
    public double Normal(double mean, double spread) =>
        mean + (spread * ((NextDouble() + NextDouble() + NextDouble() + NextDouble() - 2.0) * Math.Sqrt(3.0)));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
