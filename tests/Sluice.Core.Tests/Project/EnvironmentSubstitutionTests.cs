using Sluice.Core.Project;

namespace Sluice.Core.Tests.Project;

public class EnvironmentSubstitutionTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["USER_NAME"] = "ada",
        ["EMPTY"] = string.Empty,
        ["_X1"] = "x",
    };

    private static string Expand(string text) =>
        EnvironmentSubstitution.Apply(text, Environment.GetValueOrDefault, message => new ConfigurationException(message));

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("${USER_NAME}", "ada")]
    [InlineData("hello ${USER_NAME}!", "hello ada!")]
    [InlineData("${USER_NAME}${_X1}", "adax")]
    [InlineData("${MISSING:-fallback}", "fallback")]
    [InlineData("${EMPTY:-fallback}", "fallback")]
    [InlineData("${USER_NAME:-fallback}", "ada")]
    [InlineData("${MISSING:-}", "")]
    [InlineData("${EMPTY}", "")]
    [InlineData("pa$$word and $5", "pa$$word and $5")]
    [InlineData("$${USER_NAME}", "${USER_NAME}")]
    [InlineData("trailing $", "trailing $")]
    public void References_are_expanded(string text, string expected) => Assert.Equal(expected, Expand(text));

    [Fact]
    public void Unset_variable_without_default_is_an_error_naming_it()
    {
        var error = Assert.Throws<ConfigurationException>(() => Expand("x ${NOT_SET} y"));

        Assert.Contains("environment variable NOT_SET is not set", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${}")]
    [InlineData("${1ABC}")]
    [InlineData("${A B}")]
    [InlineData("${A-default}")]
    public void Malformed_reference_is_an_error(string text)
    {
        var error = Assert.Throws<ConfigurationException>(() => Expand(text));

        Assert.Contains("is not a valid environment reference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_reference_is_an_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => Expand("abc ${USER_NAME"));

        Assert.Contains("has no closing '}'", error.Message, StringComparison.Ordinal);
    }
}
