using System.Security.Cryptography;
using System.Text;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Models;

/// <summary>
/// dbt's <c>adapter</c> object: <c>dispatch</c>, <c>quote</c>, <c>type()</c> and the catalog
/// reads macros rely on (<c>get_columns_in_relation</c>, <c>get_relation</c>), which need the
/// warehouse and so answer only when <c>execute</c> is true.
/// </summary>
/// <param name="Macros">The macros dispatch chooses from.</param>
/// <param name="Warehouse">The warehouse, or null while parsing.</param>
public sealed record DbtAdapter(MacroLibrary Macros, ITemplateWarehouse? Warehouse) : ITemplateObject
{
    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "dispatch" => (TemplateFunction)(call => Macros.Dispatch(call, call.String(0, "macro_name"), call.Argument(1, "macro_namespace") as string)),
        "quote" => (TemplateFunction)(call => "\"" + call.String(0, "identifier").Replace("\"", "\"\"", StringComparison.Ordinal) + "\""),
        "type" => (TemplateFunction)(_ => Macros.Adapter),
        "get_columns_in_relation" => (TemplateFunction)ColumnsIn,
        "get_relation" => (TemplateFunction)GetRelation,
        "get_missing_columns" => (TemplateFunction)MissingColumns,
        "load_relation" => (TemplateFunction)(call => Warehouse?.Columns(RelationOf(call, call.Argument(0, "relation"))) is null ? null : call.Argument(0, "relation")),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render() => $"<adapter {Macros.Adapter}>";

    /// <inheritdoc />
    public string MissingAttribute(string name) =>
        $"adapter.{name} is not supported; Sluice's adapter has dispatch, quote, type, get_columns_in_relation, get_relation, load_relation and get_missing_columns";

    private object? ColumnsIn(TemplateCall call)
    {
        var relation = RelationOf(call, call.Argument(0, "relation"));
        return Warehouse is null ? new List<object?>() : (Warehouse.Columns(relation)?.Cast<object?>().ToList() ?? []);
    }

    private object? GetRelation(TemplateCall call)
    {
        var table = new TableName(call.String(1, "schema"), call.String(2, "identifier"));
        return Warehouse?.Columns(table) is null ? null : new Relation(table);
    }

    private object? MissingColumns(TemplateCall call)
    {
        if (Warehouse is null)
        {
            return new List<object?>();
        }

        var from = Warehouse.Columns(RelationOf(call, call.Argument(0, "from_relation"))) ?? [];
        var to = Warehouse.Columns(RelationOf(call, call.Argument(1, "to_relation"))) ?? [];
        return from.Where(c => to.All(t => !string.Equals(t.Name, c.Name, StringComparison.OrdinalIgnoreCase))).Cast<object?>().ToList();
    }

    private static TableName RelationOf(TemplateCall call, object? value) => value switch
    {
        Relation relation => relation.Table,
        EphemeralRelation ephemeral => throw call.Error($"{call.Name}() cannot read '{ephemeral.Name}', an ephemeral model: it has no table in the warehouse; make it a view or a table"),
        FilteredRelation { Relation: Relation filtered } => filtered.Table,
        _ => throw call.Error($"{call.Name}() needs a relation, such as ref('orders') or source('app', 'users'), not {TemplateValues.TypeName(value)}"),
    };
}

/// <summary>dbt's <c>api</c>: <c>api.Relation.create(…)</c> and <c>api.Column(…)</c>.</summary>
/// <param name="DefaultSchema">The schema of a relation created without one.</param>
public sealed record DbtApi(string DefaultSchema) : ITemplateObject
{
    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "Relation" => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["add_ephemeral_prefix"] = (TemplateFunction)(call => EphemeralRelation.Prefix + call.String(0, "name")),
            ["create"] = (TemplateFunction)(call => new Relation(new TableName(
                call.Argument(1, "schema") as string ?? DefaultSchema,
                call.Argument(2, "identifier") as string ?? throw call.Error("api.Relation.create() needs an identifier")))),
        },
        "Column" => (TemplateFunction)(call => new TemplateColumn(call.String(0, "column"), call.Argument(1, "dtype") as string ?? "text")),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render() => "<api>";
}

/// <summary>The dbt context functions that need only their arguments.</summary>
public static class DbtContextFunctions
{
    /// <summary>dbt's version as templates see it in <c>dbt_version</c>.</summary>
    public const string DbtVersion = "1.10.0";

    /// <summary>
    /// The functions: <c>zip</c>, <c>tojson</c>, <c>fromjson</c>, <c>toyaml</c>, <c>fromyaml</c>,
    /// <c>set</c>, <c>set_strict</c>, <c>local_md5</c>, and <c>exceptions</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> All { get; } = new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["zip"] = (TemplateFunction)Zip,
        ["tojson"] = (TemplateFunction)(call => TemplateJson.Serialize(call.Argument(0, "value"), TemplateValues.IsTrue(call.Argument(1, "sort_keys", false)))),
        ["fromjson"] = (TemplateFunction)(call => Parse(call, () => TemplateJson.Deserialize(call.String(0, "string")))),
        ["fromyaml"] = (TemplateFunction)(call => Parse(call, () => FromYaml(call.String(0, "string")))),
        ["toyaml"] = (TemplateFunction)(call => ToYaml(call.Argument(0, "value"))),
        ["set"] = (TemplateFunction)(call => Unique(call)),
        ["set_strict"] = (TemplateFunction)(call => Unique(call)),
        ["local_md5"] = (TemplateFunction)(call => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(call.String(0, "value"))))),
        ["exceptions"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["raise_compiler_error"] = (TemplateFunction)(call => throw call.Error(TemplateValues.Render(call.Argument(0, "msg")))),
            ["raise_not_implemented"] = (TemplateFunction)(call => throw call.Error("not implemented: " + TemplateValues.Render(call.Argument(0, "msg")))),
            ["warn"] = (TemplateFunction)(_ => string.Empty),
        },
    };

    private static object? Zip(TemplateCall call)
    {
        var lists = call.Positional.Select(p => p as IReadOnlyList<object?> ?? throw call.Error("zip() takes lists")).ToList();
        var length = lists.Count == 0 ? 0 : lists.Min(l => l.Count);
        return Enumerable.Range(0, length).Select(i => (object?)lists.Select(l => l[i]).ToList()).ToList();
    }

    private static List<object?> Unique(TemplateCall call)
    {
        var result = new List<object?>();
        foreach (var item in call.Argument(0, "value") as IReadOnlyList<object?> ?? throw call.Error("set() takes a list"))
        {
            if (!result.Any(seen => TemplateValues.AreEqual(seen, item)))
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static object? Parse(TemplateCall call, Func<object?> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception error) when (error is System.Text.Json.JsonException or YamlDotNet.Core.YamlException)
        {
            return call.Argument(1, "default", TemplateValues.Missing) is var fallback && fallback != TemplateValues.Missing
                ? fallback
                : throw call.Error($"{call.Name}(): the text does not parse ({error.Message.Split('\n')[0]})");
        }
    }

    private static object? FromYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? null : YamlValues.From(stream.Documents[0].RootNode);
    }

    private static string ToYaml(object? value)
    {
        var builder = new StringBuilder();
        WriteYaml(builder, value, 0);
        return builder.ToString();
    }

    private static void WriteYaml(StringBuilder builder, object? value, int indent)
    {
        var pad = new string(' ', indent);
        switch (value)
        {
            case IReadOnlyDictionary<string, object?> dict:
                foreach (var (key, item) in dict)
                {
                    builder.Append(pad).Append(key).Append(':');
                    WriteNested(builder, item, indent);
                }

                break;
            case IReadOnlyList<object?> list:
                foreach (var item in list)
                {
                    builder.Append(pad).Append('-');
                    WriteNested(builder, item, indent);
                }

                break;
            default:
                builder.Append(pad).Append(TemplateJson.Serialize(value)).Append('\n');
                break;
        }
    }

    private static void WriteNested(StringBuilder builder, object? item, int indent)
    {
        if (item is IReadOnlyDictionary<string, object?> or IReadOnlyList<object?>)
        {
            builder.Append('\n');
            WriteYaml(builder, item, indent + 2);
        }
        else
        {
            builder.Append(' ').Append(TemplateJson.Serialize(item)).Append('\n');
        }
    }
}
