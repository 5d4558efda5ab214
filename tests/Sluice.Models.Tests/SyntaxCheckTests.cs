using Sluice.Core.Graph;
using Sluice.Models.Compile;
using Sluice.Models.State;
using Sluice.Testing;

namespace Sluice.Models.Tests;

/// <summary>
/// The warehouse's parser reads each compiled model, and a syntax error is placed at the line of
/// the file the user wrote, before a build and when one fails; on both warehouses.
/// </summary>
public abstract class SyntaxCheckTests : ShopProjectTestBase
{
    // The mistake ("and") is on line 7, column 36; the loop above it renders fewer lines than
    // it takes, so in the compiled SQL it sits on line 6.
    private const string BadModel = """
        {{ config(materialized='table') }}
        {% set columns = ['order_id', 'amount'] %}
        select
        {%- for column in columns %}
          {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
        from {{ ref('stg_orders') }} where and amount > 0

        """;

    private async Task<List<SqlSyntaxProblem>> CheckAllAsync()
    {
        var project = Parse();
        var compiler = new ModelCompiler(project);
        var facts = RenderFacts.Default(DateTimeOffset.UtcNow, "check");
        await using var check = await Warehouse.OpenSyntaxCheckAsync();
        var problems = new List<SqlSyntaxProblem>();
        foreach (var model in project.Nodes.Values.Where(n => n.Kind != NodeKind.Seed))
        {
            if (await SqlSyntaxProblem.FindAsync(check, compiler.Compile(model, facts), CancellationToken.None) is { } problem)
            {
                problems.Add(problem);
            }
        }

        return problems;
    }

    [Fact]
    public async Task Every_shop_model_and_snapshot_parses_before_anything_is_built()
    {
        Assert.Empty(await CheckAllAsync());
    }

    [Fact]
    public async Task A_syntax_error_is_placed_at_the_line_the_model_was_written_on()
    {
        WriteModel("models/marts/bad.sql", BadModel);

        var problem = Assert.Single(await CheckAllAsync());

        Assert.StartsWith("models/marts/bad.sql:7:36: ", problem.Message);
        Assert.Contains("syntax error at or near \"and\"", problem.Message);
        Assert.EndsWith(" — fix the SQL there", problem.Message);
    }

    [Fact]
    public async Task A_syntax_error_in_an_ephemeral_model_is_placed_in_its_own_file_for_the_models_that_inline_it()
    {
        WriteModel("models/intermediate/int_bad.sql", "select order_id\nfrom {{ ref('stg_orders') }}\nwhere and amount > 0\n");
        WriteModel("models/marts/reads_bad.sql", "select count(*) as n from {{ ref('int_bad') }}\n");

        var problems = await CheckAllAsync();

        Assert.Equal(["models/intermediate/int_bad.sql:3:7", "models/intermediate/int_bad.sql:3:7"], problems.Select(p => p.Place).Order());
        Assert.Contains(problems, p => p.Reason.EndsWith("in this ephemeral model as 'reads_bad' inlines it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_syntax_error_in_what_an_expression_renders_is_placed_at_the_expression()
    {
        WriteModel("models/marts/bad_var.sql", "select order_id,\n  {{ var('extra', 'amount,, status') }}\nfrom {{ ref('stg_orders') }}\n");

        var problem = Assert.Single(await CheckAllAsync());

        Assert.Equal("models/marts/bad_var.sql:2:3", problem.Place);
        Assert.Contains("in what the expression here renders (line 2, column 10 of the compiled SQL)", problem.Reason);
    }

    [Fact]
    public async Task A_failed_build_names_the_line_and_column_of_its_syntax_error()
    {
        WriteModel("models/marts/bad.sql", BadModel);
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));

        var results = await BuildAsync("+bad");

        var bad = results.Single(r => r.Name == "bad");
        Assert.Equal(JobStatus.Failed, bad.Status);
        Assert.StartsWith("model 'bad' (models/marts/bad.sql:7:36) failed: ", bad.Error);
        Assert.Contains("syntax error at or near \"and\"", bad.Error);
    }

    [Fact]
    public async Task A_syntax_error_only_an_incremental_run_renders_is_placed_when_that_run_fails()
    {
        WriteModel("models/marts/grows.sql", """
            {{ config(materialized='incremental', unique_key='order_id') }}
            select order_id, amount
            from {{ ref('stg_orders') }}
            {% if is_incremental() %}
            where and amount > 0
            {% endif %}

            """);
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));
        AssertAllSucceeded(await BuildAsync("+grows"));

        var again = (await BuildAsync("grows")).Single();

        Assert.Equal(JobStatus.Failed, again.Status);
        Assert.StartsWith("model 'grows' (models/marts/grows.sql:5:7) failed: ", again.Error);
    }
}

public sealed class DuckDbSyntaxCheckTests : SyntaxCheckTests
{
    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresSyntaxCheckTests : SyntaxCheckTests
{
    protected override async Task<string?> ProfilesAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.DbtProfilesAsync("shop");
    }
}
