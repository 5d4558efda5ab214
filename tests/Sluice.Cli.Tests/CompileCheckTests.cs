using Sluice.Testing;

namespace Sluice.Cli.Tests;

/// <summary>
/// `sluice compile` has the warehouse's own parser read every model, and a syntax error is shown
/// at the line the model was written on, by compile and by build alike; on both warehouses.
/// </summary>
public abstract class CompileCheckTests : IDisposable
{
    // The mistake (the "and") is on line 7, column 33. The loop above it renders fewer
    // lines than it takes, so in the compiled SQL it sits on line 6.
    private const string BadModel = """
        {{ config(materialized='table') }}
        {% set columns = ['n', 'label'] %}
        select
        {%- for column in columns %}
          {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
        from {{ ref('numbers') }} where and n > 0

        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The sluice.yml lines that choose the warehouse.</summary>
    protected abstract Task<string> WarehouseAsync();

    /// <summary>The schema the warehouse puts models in when none is configured.</summary>
    protected abstract string DefaultSchema { get; }

    private async Task WriteProjectAsync()
    {
        await File.WriteAllTextAsync(_temp.Combine("sluice.yml"), $"name: numbers\n{await WarehouseAsync()}models:\n  +materialized: view\n");
        Write("seeds/numbers.csv", "n,label\n1,one\n2,two\n");
        Write("models/staging/stg_numbers.sql", "select n, upper(label) as label from {{ ref('numbers') }}\n");
        Write("models/marts/totals.sql", "{{ config(materialized='table') }}\nselect sum(n) as total\nfrom {{ ref('stg_numbers') }}\n");
    }

    private void Write(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));

    private void Write(string path, byte[] bytes)
    {
        var full = _temp.Combine(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }

    private Task<SluiceResult> RunAsync(params string[] arguments) => SluiceProcess.RunAsync(_temp.Path, arguments);

    [Fact]
    public async Task Models_reading_tables_not_built_yet_compile()
    {
        await WriteProjectAsync();

        var result = await RunAsync("compile");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Compiled 2 of 3 resources", result.Stderr);
    }

    [Fact]
    public async Task Compile_prints_and_writes_the_models_sql_as_written_with_refs_sources_and_vars_filled_in()
    {
        await WriteProjectAsync();
        await File.AppendAllTextAsync(
            _temp.Combine("sluice.yml"),
            "vars:\n  floor: 1\n  skip: none\nsources:\n  - name: app\n    type: csv\n    tables:\n      - name: labels\n        path: data/labels.csv\n");
        const string Model = """
            {{ config(materialized='table') }}
            -- numbers above a floor, with their labels' ranks
            select s.n, s.label, l.rank
            from {{ ref('stg_numbers') }} as s
            join {{ source('app', 'labels') }} as l on l.label = s.label
            where s.n >= {{ var('floor') }} and s.label <> '{{ var("skip") }}' and l.rank < {{ var('max_rank', 10) }}

            """;
        Write("models/marts/ranked.sql", Model);

        var compile = await RunAsync("compile", "-s", "ranked", "--vars", "{floor: 2}");

        // Filled in here by plain text replacement: --vars wins over sluice.yml's vars, defaults
        // apply to vars given nowhere, and relations are quoted schema and name.
        var expected = Model
            .Replace("{{ config(materialized='table') }}", string.Empty, StringComparison.Ordinal)
            .Replace("{{ ref('stg_numbers') }}", $"\"{DefaultSchema}\".\"stg_numbers\"", StringComparison.Ordinal)
            .Replace("{{ source('app', 'labels') }}", "\"raw\".\"app__labels\"", StringComparison.Ordinal)
            .Replace("{{ var('floor') }}", "2", StringComparison.Ordinal)
            .Replace("{{ var(\"skip\") }}", "none", StringComparison.Ordinal)
            .Replace("{{ var('max_rank', 10) }}", "10", StringComparison.Ordinal)
            .Trim() + "\n";
        Assert.DoesNotContain("{", expected, StringComparison.Ordinal);
        Assert.True(compile.ExitCode == 0, compile.ToString());
        Assert.Equal(expected, compile.Stdout);
        Assert.Equal(expected, File.ReadAllText(_temp.Combine("target", "compiled", "numbers", "models", "marts", "ranked.sql")));
    }

    [Fact]
    public async Task Random_bytes_as_a_model_fail_compile_naming_the_file_and_line()
    {
        await WriteProjectAsync();
        var bytes = new byte[3000];
        new Random(22).NextBytes(bytes);
        Write("models/garbage.sql", bytes);

        var result = await RunAsync("compile");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Matches(@"^error: models/garbage\.sql:\d+:\d+: the file is not UTF-8 text", result.Stderr);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Random_text_as_a_model_fails_compile_with_the_engines_syntax_error()
    {
        await WriteProjectAsync();
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 ,.()*+-=<>\n";
        var random = new Random(22);
        Write("models/noise.sql", new string([.. Enumerable.Range(0, 3000).Select(_ => Alphabet[random.Next(Alphabet.Length)])]));

        var result = await RunAsync("compile");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Matches(@"^error: models/noise\.sql:\d+:\d+: .*syntax error", result.Stderr);
    }

    [Fact]
    public async Task A_syntax_error_after_jinja_lines_is_shown_at_its_line_by_compile_and_build()
    {
        await WriteProjectAsync();
        Write("models/marts/bad.sql", BadModel);

        var compile = await RunAsync("compile");
        var build = await RunAsync("build");

        Assert.True(compile.ExitCode == 2, compile.ToString());
        Assert.StartsWith("error: models/marts/bad.sql:7:33: ", compile.Stderr);
        Assert.Contains("syntax error at or near \"and\"", compile.Stderr);
        Assert.True(build.ExitCode == 1, build.ToString());
        Assert.Contains("model 'bad' (models/marts/bad.sql:7:33) failed: ", build.Stderr);
        Assert.Contains("3 succeeded, 1 failed", build.Stderr);
    }
}

public sealed class DuckDbCompileCheckTests : CompileCheckTests
{
    protected override Task<string> WarehouseAsync() => Task.FromResult(string.Empty);

    protected override string DefaultSchema => "main";
}

public sealed class PostgresCompileCheckTests : CompileCheckTests
{
    protected override async Task<string> WarehouseAsync()
    {
        var server = await PostgresServer.GetAsync();
        return $"warehouse:\n  type: postgres\n  url: {await server.CreateDatabaseAsync("compile")}\n";
    }

    protected override string DefaultSchema => "public";
}
