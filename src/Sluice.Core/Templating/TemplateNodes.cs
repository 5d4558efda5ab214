namespace Sluice.Core.Templating;

/// <summary>A parsed piece of template; <see cref="Offset"/> locates it for error messages.</summary>
public abstract record TemplateNode(int Offset);

/// <summary>Literal text, copied to the output.</summary>
public sealed record TextNode(int Offset, string Text) : TemplateNode(Offset);

/// <summary><c>{{ expression }}</c>.</summary>
public sealed record OutputNode(int Offset, Expression Value) : TemplateNode(Offset);

/// <summary><c>{% if %}</c> with its <c>elif</c> branches and optional <c>else</c>.</summary>
public sealed record IfNode(int Offset, IReadOnlyList<(Expression Condition, IReadOnlyList<TemplateNode> Body)> Branches, IReadOnlyList<TemplateNode> Else) : TemplateNode(Offset);

/// <summary><c>{% for a, b in items if condition %}…{% else %}…{% endfor %}</c>.</summary>
public sealed record ForNode(int Offset, IReadOnlyList<string> Targets, Expression Items, Expression? Filter, IReadOnlyList<TemplateNode> Body, IReadOnlyList<TemplateNode> Else) : TemplateNode(Offset);

/// <summary><c>{% set a = value %}</c> (or <c>set a, b = …</c>).</summary>
public sealed record SetNode(int Offset, IReadOnlyList<string> Targets, Expression Value) : TemplateNode(Offset);

/// <summary><c>{% set name %}…{% endset %}</c>: the rendered body becomes a string.</summary>
public sealed record SetBlockNode(int Offset, string Target, IReadOnlyList<TemplateNode> Body) : TemplateNode(Offset);

/// <summary><c>{% set ns.attribute = value %}</c>, on a <c>namespace()</c>.</summary>
public sealed record SetAttributeNode(int Offset, string Target, string Attribute, Expression Value) : TemplateNode(Offset);

/// <summary><c>{% do expression %}</c>: evaluated for its effect, nothing written.</summary>
public sealed record DoNode(int Offset, Expression Value) : TemplateNode(Offset);

/// <summary>
/// <c>{% macro name(a, b=default) %}…{% endmacro %}</c>, or a generic test's
/// <c>{% test name(model, column_name) %}…{% endtest %}</c> (a macro named <c>test_name</c>).
/// </summary>
public sealed record MacroNode(int Offset, string Name, IReadOnlyList<MacroParameter> Parameters, IReadOnlyList<TemplateNode> Body) : TemplateNode(Offset);

/// <summary><c>{% call(args) name(…) %}…{% endcall %}</c>: the macro called sees the body as <c>caller()</c>.</summary>
public sealed record CallBlockNode(int Offset, CallExpression Call, IReadOnlyList<MacroParameter> CallerParameters, IReadOnlyList<TemplateNode> Body) : TemplateNode(Offset);

/// <summary>A macro's parameter, with its default when it has one.</summary>
public sealed record MacroParameter(string Name, Expression? Default);

/// <summary>An expression inside <c>{{ }}</c> or a tag.</summary>
public abstract record Expression(int Offset);

/// <summary>A string, number, boolean or none.</summary>
public sealed record LiteralExpression(int Offset, object? Value) : Expression(Offset);

/// <summary>A variable or function name.</summary>
public sealed record NameExpression(int Offset, string Name) : Expression(Offset);

/// <summary><c>[a, b]</c> or <c>(a, b)</c>.</summary>
public sealed record ListExpression(int Offset, IReadOnlyList<Expression> Items) : Expression(Offset);

/// <summary><c>{'k': v}</c>.</summary>
public sealed record DictExpression(int Offset, IReadOnlyList<(Expression Key, Expression Value)> Entries) : Expression(Offset);

/// <summary><c>target.name</c>.</summary>
public sealed record AttributeExpression(int Offset, Expression Target, string Name) : Expression(Offset);

/// <summary><c>target[index]</c>.</summary>
public sealed record IndexExpression(int Offset, Expression Target, Expression Index) : Expression(Offset);

/// <summary><c>target[start:stop:step]</c>, any part optional.</summary>
public sealed record SliceExpression(int Offset, Expression Target, Expression? Start, Expression? Stop, Expression? Step) : Expression(Offset);

/// <summary><c>callee(positional…, name=value…)</c>.</summary>
public sealed record CallExpression(int Offset, Expression Callee, TemplateArguments Arguments) : Expression(Offset);

/// <summary><c>target | name(arguments)</c>.</summary>
public sealed record FilterExpression(int Offset, Expression Target, string Name, TemplateArguments Arguments) : Expression(Offset);

/// <summary><c>target is [not] name</c>, with an optional argument (<c>x is divisibleby 3</c>).</summary>
public sealed record TestExpression(int Offset, Expression Target, string Name, bool Negated, Expression? Argument = null) : Expression(Offset);

/// <summary><c>not x</c>, <c>-x</c>, <c>+x</c>.</summary>
public sealed record UnaryExpression(int Offset, string Operator, Expression Operand) : Expression(Offset);

/// <summary>Arithmetic, comparison, <c>and</c>/<c>or</c>, <c>in</c>/<c>not in</c> and <c>~</c>.</summary>
public sealed record BinaryExpression(int Offset, string Operator, Expression Left, Expression Right) : Expression(Offset);

/// <summary><c>then if condition else otherwise</c>.</summary>
public sealed record ConditionalExpression(int Offset, Expression Condition, Expression Then, Expression? Otherwise) : Expression(Offset);

/// <summary>The arguments of a call or filter; <c>*list</c> and <c>**dict</c> spread into them.</summary>
public sealed record TemplateArguments(IReadOnlyList<Expression> Positional, IReadOnlyList<(string Name, Expression Value)> Named, Expression? Spread = null, Expression? NamedSpread = null)
{
    /// <summary>No arguments.</summary>
    public static TemplateArguments None { get; } = new([], []);
}
