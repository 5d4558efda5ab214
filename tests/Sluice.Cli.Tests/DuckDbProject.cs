namespace Sluice.Cli.Tests;

/// <summary>A project made by `sluice init` once per test class, shared by its tests.</summary>
public sealed class DuckDbProject : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();

    public string Directory => _temp.Combine("shop");

    public SluiceResult Init { get; private set; } = null!;

    public Task<SluiceResult> RunAsync(params string[] arguments) => SluiceProcess.RunAsync(Directory, arguments);

    public async Task InitializeAsync()
    {
        Init = await SluiceProcess.RunAsync(_temp.Path, "init", "shop");
        Assert.True(Init.ExitCode == 0, Init.ToString());
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
