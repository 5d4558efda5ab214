namespace Sluice.Warehouses.Tests;

internal static class Rows
{
    public static async IAsyncEnumerable<object?[]> Of(params object?[][] rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    public static async IAsyncEnumerable<object?[]> Generate(int count, Func<int, object?[]> make)
    {
        await Task.CompletedTask;
        for (var i = 0; i < count; i++)
        {
            yield return make(i);
        }
    }

    /// <summary>Yields some rows, then fails as a broken source would.</summary>
    public static async IAsyncEnumerable<object?[]> FailingAfter(int count, Func<int, object?[]> make)
    {
        await Task.CompletedTask;
        for (var i = 0; i < count; i++)
        {
            yield return make(i);
        }

        throw new IOException("the source went away");
    }
}
