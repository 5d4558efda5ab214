using Npgsql;
using Sluice.Core.Project;
using Sluice.Warehouses.Postgres;

namespace Sluice.Warehouses.Tests;

public sealed class PostgresUrlTests
{
    [Fact]
    public void A_url_becomes_a_connection_string()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString("postgres://analytics_ro:p%40ss@db.example:6543/app?sslmode=require"));
        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("app", builder.Database);
        Assert.Equal("analytics_ro", builder.Username);
        Assert.Equal("p@ss", builder.Password);
        Assert.Equal(SslMode.Require, builder.SslMode);
    }

    [Fact]
    public void Port_defaults_to_5432_and_password_is_optional()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString("postgresql://me@localhost/app"));
        Assert.Equal(5432, builder.Port);
        Assert.Null(builder.Password);
    }

    [Fact]
    public void Statements_have_no_time_limit_unless_the_url_sets_one()
    {
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString("postgres://me@localhost/app")).CommandTimeout);
        Assert.Equal(90, new NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString("postgres://me@localhost/app?Command%20Timeout=90")).CommandTimeout);
    }

    [Theory]
    [InlineData("postgres://u:secret@h:5432/db", "postgres://u:***@h:5432/db")]
    [InlineData("postgres://u@h/db", "postgres://u@h/db")]
    public void Passwords_are_masked_for_display(string url, string masked) => Assert.Equal(masked, PostgresUrl.Mask(url));

    [Theory]
    [InlineData("mysql://u:secret@h/db", "not a PostgreSQL URL")]
    [InlineData("postgres://u:secret@h:5432/", "names no database")]
    [InlineData("postgres://u:secret@h/db?bogus_option=1", "bogus_option")]
    public void Bad_urls_are_configuration_errors_without_the_password(string url, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => PostgresUrl.ToConnectionString(url));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }
}
