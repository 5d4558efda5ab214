namespace Sluice.Cli.Tests;

/// <summary>
/// The compatibility report through the real CLI: `sluice compile` lists every construct Sluice
/// does not support before it renders anything, and `sluice debug --dbt` reports them with a
/// summary of the project's packages and macros, without opening the warehouse.
/// </summary>
public sealed class CompatibilityReportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public CompatibilityReportTests()
    {
        Write("dbt_project.yml", "name: shop\nprofile: shop\nmodels:\n  shop:\n    +materialized: view\n");
        Write("models/staging/stg_orders.sql", "select 1 as id, 10 as amount\n");
        Write("models/marts/orders.sql", "{{ config(materialized='table') }}\nselect id, {{ cents('amount') }} as cents\nfrom {{ ref('stg_orders') }}\n");
        Write("macros/money.sql", "{% macro cents(column) %}{{ column }} * 100{% endmacro %}\n");
    }

    public void Dispose() => _temp.Dispose();

    private void Write(string path, string text)
    {
        var full = _temp.Combine(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private Task<SluiceResult> RunAsync(params string[] arguments) => SluiceProcess.RunAsync(_temp.Path, arguments);

    private void AddUnsupportedConstructs()
    {
        Write("models/marts/customers.sql", "select {{ 'a' | slugify }} as slug,\n  {{ graph.nodes | length }} as nodes\nfrom {{ ref('orders', v=2) }}\n");
        Write("macros/helpers.sql", "{% macro tables() %}{{ adapter.get_relations_by_pattern('s', 't') }}{% endmacro %}\n");
    }

    [Fact]
    public async Task Compile_lists_every_unsupported_construct_before_rendering_anything_and_exits_2()
    {
        AddUnsupportedConstructs();

        var result = await RunAsync("compile");

        Assert.True(result.ExitCode == 2, result.ToString());
        var lines = result.Stderr.TrimEnd('\n').Split('\n').SkipWhile(l => l.StartsWith("note: ", StringComparison.Ordinal)).ToList();
        Assert.Equal("Not supported by Sluice:", lines[0]);
        string[] expected =
        [
            "macros/helpers.sql:1:24: adapter.get_relations_by_pattern — adapter.get_relations_by_pattern is not supported;",
            "models/marts/customers.sql:1:17: filter 'slugify' — Sluice's filters are",
            "models/marts/customers.sql:2:6: name 'graph' — Sluice does not expose dbt's graph of nodes;",
            "models/marts/customers.sql:3:9: ref() with a version — model versions are not supported;",
        ];
        Assert.Equal(expected.Length, lines.Count - 2);
        Assert.All(expected.Zip(lines[1..^1]), pair => Assert.StartsWith(pair.First, pair.Second, StringComparison.Ordinal));
        Assert.Equal("error: 4 constructs in 2 files are not supported by Sluice, listed above; change them and compile again (`sluice debug --dbt` shows the whole report).", lines[^1]);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.False(Directory.Exists(_temp.Combine("target", "compiled")), "nothing is rendered while constructs are not supported");
    }

    [Fact]
    public async Task Compile_of_a_project_Sluice_supports_renders_as_before()
    {
        var result = await RunAsync("compile");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("Not supported", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Compiled 2 of 2 resources", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("select id, amount * 100 as cents", File.ReadAllText(_temp.Combine("target", "compiled", "shop", "models", "marts", "orders.sql")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debug_dbt_reports_the_project_without_opening_the_warehouse_even_when_a_file_does_not_parse()
    {
        AddUnsupportedConstructs();
        Write("profiles.yml", "shop:\n  target: dev\n  outputs:\n    dev:\n      type: postgres\n      host: 127.0.0.1\n      port: 1\n      user: nobody\n      password: secret\n      dbname: nowhere\n      schema: analytics\n");
        Write("packages.yml", "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.1.1\n  - package: acme/gone\n    version: 1.0.0\n");
        Write("macros/naming.sql", "{% macro generate_schema_name(custom_schema_name, node) %}{{ custom_schema_name or target.schema }}{% endmacro %}\n");
        Write("models/broken.sql", "select {% if true %} 1\n");

        var result = await RunAsync("debug", "--dbt");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Matches(@"(?m)^warehouse\s+postgres$", result.Stdout);
        Assert.DoesNotMatch(@"(?m)^connection", result.Stdout);
        Assert.Matches(@"(?m)^package\s+shop: this project, 3 macros$", result.Stdout);
        Assert.Matches(@"(?m)^package\s+dbt_utils: built into Sluice, \d+ macros?$", result.Stdout);
        Assert.Matches(@"(?m)^package\s+gone: missing \(declared at packages\.yml:4\)", result.Stdout);
        Assert.Matches(@"(?m)^override\s+generate_schema_name \(macros/naming\.sql:1\): names the schema of every model, seed and snapshot$", result.Stdout);
        Assert.Matches(@"(?m)^ignored\s+dbt_project\.yml:2: profile$", result.Stdout);
        Assert.Contains("\nNot supported by Sluice:\nmacros/helpers.sql:1:24: adapter.get_relations_by_pattern — ", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^models/marts/customers\.sql:3:9: ref\(\) with a version — ", result.Stdout);
        Assert.Contains("\nFiles Sluice cannot read:\nmodels/broken.sql:1:11: template that does not parse — '{% if %}' is not closed: add '{% endif %}'\n", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("error: 4 constructs in 2 files are not supported by Sluice; 1 error in files Sluice cannot read — listed above.\n", result.Stderr);
    }

    [Fact]
    public async Task Debug_dbt_on_a_project_Sluice_supports_exits_0()
    {
        var result = await RunAsync("debug", "--dbt");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\nNot supported by Sluice: none\n", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("\nSluice supports every construct this project uses.\n", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr);
    }
}
