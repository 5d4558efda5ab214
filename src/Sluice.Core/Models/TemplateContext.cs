using System.Globalization;
using Sluice.Core.Templating;

namespace Sluice.Core.Models;

/// <summary>The warehouse target as templates see it (<c>target.name</c>, <c>target.schema</c>, <c>target.type</c>).</summary>
/// <param name="Name">The target's name.</param>
/// <param name="Schema">Its default schema.</param>
/// <param name="Type">The engine: duckdb or postgres.</param>
/// <param name="Threads">Models run at once.</param>
public sealed record TargetInfo(string Name, string Schema, string Type, int Threads)
{
    /// <summary>The database: the DuckDB file's catalog (its name without extension) or the PostgreSQL database.</summary>
    public string Database { get; init; } = string.Empty;

    /// <summary>The <c>target</c> object.</summary>
    public IReadOnlyDictionary<string, object?> ToTemplateValue() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["name"] = Name,
        ["schema"] = Schema,
        ["type"] = Type,
        ["threads"] = (long)Threads,
        ["database"] = Database,
        ["profile_name"] = Name,
    };
}

/// <summary>
/// One rendering of a model's template: what <c>ref</c>, <c>source</c> and <c>config</c> do
/// (record at parse time, resolve at run time) and the run's facts (<c>this</c>,
/// <c>is_incremental()</c>, the partition bounds).
/// </summary>
public sealed class TemplateContext
{
    /// <summary>The project's vars (with any given on the command line).</summary>
    public required IReadOnlyDictionary<string, object?> Vars { get; init; }

    /// <summary>The environment, for <c>env_var</c>.</summary>
    public required Func<string, string?> Environment { get; init; }

    /// <summary>The target.</summary>
    public required TargetInfo Target { get; init; }

    /// <summary>The model's own relation, <c>this</c>.</summary>
    public required object This { get; init; }

    /// <summary>What <c>ref(name)</c> returns.</summary>
    public required Func<TemplateCall, string, object?> Ref { get; init; }

    /// <summary>What <c>source(source, table)</c> returns.</summary>
    public required Func<TemplateCall, string, string, object?> Source { get; init; }

    /// <summary>Receives each <c>config(...)</c> call; null ignores them (at run time they were read already).</summary>
    public Action<TemplateCall>? Config { get; init; }

    /// <summary>The project's name, the only package <c>ref('package', 'model')</c> may name.</summary>
    public required string ProjectName { get; init; }

    /// <summary>True when the run adds to an existing incremental table.</summary>
    public bool IsIncremental { get; init; }

    /// <summary>dbt's <c>execute</c>: false while parsing, true in a run.</summary>
    public bool Execute { get; init; }

    /// <summary>The first day of the partition being built (inclusive).</summary>
    public DateOnly PartitionStart { get; init; }

    /// <summary>The day after the partition (exclusive).</summary>
    public DateOnly PartitionEnd { get; init; }

    /// <summary>When the run started, UTC.</summary>
    public DateTimeOffset RunStartedAt { get; init; }

    /// <summary>The run's id.</summary>
    public string InvocationId { get; init; } = string.Empty;

    /// <summary>The macros the template may call; null allows dbt's own only.</summary>
    public MacroLibrary? Macros { get; init; }

    /// <summary>The package the rendered node belongs to; null for the root project.</summary>
    public string? Package { get; init; }

    /// <summary>dbt's <c>model</c> (and <c>node</c>): the node being rendered, as a dict; null outside nodes.</summary>
    public IReadOnlyDictionary<string, object?>? Node { get; init; }

    /// <summary>The node's config values so far, for <c>config.get</c>.</summary>
    public Func<string, object?> ConfigValue { get; init; } = _ => null;

    /// <summary>The warehouse, for <c>run_query</c> and the adapter's catalog reads; null while parsing.</summary>
    public ITemplateWarehouse? Warehouse { get; init; }

    /// <summary>Receives what <c>log()</c> and <c>print()</c> write.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>True when the run rebuilds incremental models from scratch (<c>flags.FULL_REFRESH</c>).</summary>
    public bool FullRefresh { get; init; }

    /// <summary>The clock <c>modules.datetime</c> reads the time from.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The environment the template is rendered in: the globals and the project's macros.</summary>
    public TemplateEnvironment ToEnvironment()
    {
        var macros = Macros ?? MacroLibrary.Builtin(ProjectName, Target.Type);
        return new TemplateEnvironment(ToGlobals(macros), macros, Package ?? macros.RootPackage);
    }

    /// <summary>The globals the template is rendered with.</summary>
    public IReadOnlyDictionary<string, object?> ToGlobals() => ToGlobals(Macros ?? MacroLibrary.Builtin(ProjectName, Target.Type));

    private Dictionary<string, object?> ToGlobals(MacroLibrary macros)
    {
        var statements = new Dictionary<string, object?>(StringComparer.Ordinal);
        var adapter = new DbtAdapter(macros, Execute ? Warehouse : null);
        var globals = new Dictionary<string, object?>(DbtContextFunctions.All, StringComparer.Ordinal)
        {
        ["ref"] = (TemplateFunction)RefCall,
        ["source"] = (TemplateFunction)(call => Source(call, call.String(0, "source_name"), call.String(1, "table_name"))),
        ["config"] = new ConfigFunction(ConfigCall, ConfigValue),
        ["var"] = (TemplateFunction)VarCall,
        ["env_var"] = DbtFunctions.EnvVar(Environment),
        ["is_incremental"] = (TemplateFunction)(_ => IsIncremental),
        ["this"] = This,
        ["target"] = Target.ToTemplateValue(),
        ["execute"] = Execute,
        ["partition_start"] = PartitionStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["partition_end"] = PartitionEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["run_started_at"] = new TemplateDateTime(DateTime.SpecifyKind(RunStartedAt.UtcDateTime, DateTimeKind.Unspecified), TemplateTimeZone.Utc),
        ["invocation_id"] = InvocationId,
        ["project_name"] = ProjectName,
        ["adapter"] = adapter,
        ["load_relation"] = adapter.Attribute("load_relation"),
        ["should_full_refresh"] = (TemplateFunction)(_ => FullRefresh),
        ["api"] = new DbtApi(Target.Schema),
        ["log"] = (TemplateFunction)WriteLog,
        ["print"] = (TemplateFunction)WriteLog,
        ["run_query"] = (TemplateFunction)(call => RunQuery(call, call.String(0, "sql"))),
        ["statement"] = (TemplateFunction)(call => Statement(call, statements)),
        ["load_result"] = (TemplateFunction)(call => statements.GetValueOrDefault(call.String(0, "name"))),
        ["flags"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["FULL_REFRESH"] = FullRefresh,
            ["STORE_FAILURES"] = false,
            ["EMPTY"] = false,
            ["WHICH"] = "run",
        },
        ["dbt_version"] = DbtContextFunctions.DbtVersion,
        ["database"] = Target.Database,
        ["schema"] = This is Relation relation ? relation.Table.Schema : Target.Schema,
        ["modules"] = TemplateModules.Create(Clock),
        };
        if (Node is not null)
        {
            globals["model"] = Node;
            globals["node"] = Node;
        }

        globals["builtins"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["ref"] = globals["ref"],
            ["source"] = globals["source"],
            ["config"] = globals["config"],
        };
        return globals;
    }

    private object? WriteLog(TemplateCall call)
    {
        Log?.Invoke(TemplateValues.Render(call.Argument(0, "msg")));
        return string.Empty;
    }

    // run_query: the rows of the query while executing; none while parsing, as in dbt.
    private object? RunQuery(TemplateCall call, string sql)
    {
        if (!Execute)
        {
            return null;
        }

        return Warehouse is null
            ? throw call.Error("run_query() needs the warehouse, which this command does not open; run the model with sluice run or build")
            : Query(call, sql);
    }

    // {% call statement('name', fetch_result=True) %} sql {% endcall %}: runs the body; load_result('name') reads it.
    private object? Statement(TemplateCall call, Dictionary<string, object?> statements)
    {
        var name = call.Argument(0, "name", "statement") as string ?? "statement";
        var sql = call.Caller?.Invoke(new TemplateCall("caller", [], new Dictionary<string, object?>(), call.Source, call.Offset)) as string ?? string.Empty;
        if (!Execute || Warehouse is null)
        {
            return string.Empty;
        }

        var table = Query(call, sql);
        if (TemplateValues.IsTrue(call.Argument(1, "fetch_result", false)))
        {
            statements[name] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["response"] = "OK",
                ["data"] = table.Rows.Select(r => (object?)r.ToList()).ToList(),
                ["table"] = table,
            };
        }

        return string.Empty;
    }

    private QueryTable Query(TemplateCall call, string sql)
    {
        try
        {
            return Warehouse!.Query(sql);
        }
        catch (Exception error) when (error is not TemplateException)
        {
            throw call.Error($"{call.Name}(): the query failed on the warehouse: {error.Message.Split('\n')[0]}");
        }
    }

    private object? RefCall(TemplateCall call)
    {
        if (call.Named.Keys.FirstOrDefault(k => k is not ("package" or "model_name" or "name")) is { } unknown)
        {
            throw call.Error(unknown is "v" or "version"
                ? "ref(): model versions are not supported; refer to the model by its name"
                : $"ref() has no argument '{unknown}'");
        }

        if (call.Positional.Count == 2)
        {
            var package = call.String(0, "package");
            return package == ProjectName
                ? Ref(call, call.String(1, "model_name"))
                : throw call.Error($"ref('{package}', …) names the package '{package}'; Sluice runs one project ('{ProjectName}') and no installed packages");
        }

        return call.Positional.Count == 1 || call.Named.Count > 0
            ? Ref(call, call.String(0, "model_name"))
            : throw call.Error("ref() takes a model name, as ref('orders'), or a package and a model name");
    }

    private object? ConfigCall(TemplateCall call)
    {
        if (call.Positional.Count > 0)
        {
            throw call.Error("config() takes named arguments only, as config(materialized='table')");
        }

        Config?.Invoke(call);
        return string.Empty;
    }

    private object? VarCall(TemplateCall call)
    {
        var name = call.String(0, "name");
        if (Vars.TryGetValue(name, out var value))
        {
            return value;
        }

        var fallback = call.Argument(1, "default", TemplateValues.Missing);
        return fallback != TemplateValues.Missing
            ? fallback
            : throw call.Error($"var('{name}') is not defined; add it under vars: in the project file, pass --vars '{{{name}: …}}', or give a default as var('{name}', …)");
    }
}

/// <summary>dbt's <c>config</c>: called as <c>config(materialized='table')</c>, read as <c>config.get('key', default)</c> and <c>config.require('key')</c>.</summary>
/// <param name="Set">What a call does.</param>
/// <param name="Value">A config's value so far, or null.</param>
internal sealed record ConfigFunction(TemplateFunction Set, Func<string, object?> Value) : ITemplateCallable, ITemplateObject
{
    /// <inheritdoc />
    public object? Call(TemplateCall call) => Set(call);

    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "get" => (TemplateFunction)(call => Value(NodeConfig.NormalizeKey(call.String(0, "name"))) ?? call.Argument(1, "default")),
        "require" => (TemplateFunction)(call => Value(NodeConfig.NormalizeKey(call.String(0, "name")))
            ?? throw call.Error($"config.require('{call.String(0, "name")}'): the config is not set; set it in config() or the project file")),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render() => "<config>";
}
