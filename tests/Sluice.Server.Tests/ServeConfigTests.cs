using Sluice.Core.Project;
using Sluice.Server.Access;

namespace Sluice.Server.Tests;

/// <summary>The serve section of sluice.yml: keys, budgets, rates and cache, with errors at their line.</summary>
public sealed class ServeConfigTests : IDisposable
{
    private const string AcmeKey = "acme-secret-key-0123456789";
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-serve-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_serve_section_gives_listen_address_cache_budgets_rates_and_keys()
    {
        var settings = Read($$"""
            serve:
              host: 0.0.0.0
              port: 9090
              cache:
                enabled: true
                max_mb: 64
                ttl: {trend: 5m}
              budget: {daily: 500, monthly: 9000}
              rate: {per_second: 20, burst: 40}
              health_per_minute: 12
              api_keys:
                - name: acme-dashboard
                  sha256: {{ServeConfigReader.Hash(AcmeKey).ToUpperInvariant()}}
                  tenant: acme
                - name: globex
                  env: GLOBEX_KEY
                  tenant: globex
                  budget: {daily: 50}
                  rate: {per_second: 2}
                - name: ops
                  env: OPS_KEY
                  admin: true
            """);

        Assert.Equal(("0.0.0.0", 9090, 12), (settings.Host, settings.Port, settings.HealthPerMinute));
        Assert.Equal(64L * 1024 * 1024, settings.Cache.MaxBytes);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.Cache.Ttl["trend"]);
        Assert.Equal(TimeSpan.FromHours(6), settings.Cache.Ttl["cohorts"]);
        var (acme, globex, ops) = (settings.ApiKeys[0], settings.ApiKeys[1], settings.ApiKeys[2]);
        Assert.Equal(new ApiKey("acme-dashboard", ServeConfigReader.Hash(AcmeKey), "acme", new QueryBudget(500, 9000), new KeyRate(20, 40)), acme);
        Assert.Equal(new ApiKey("globex", ServeConfigReader.Hash("globex-secret-key-abcdef"), "globex", new QueryBudget(50, null), new KeyRate(2, 40)), globex);
        Assert.Equal(new ApiKey("ops", ServeConfigReader.Hash("ops-secret-key-0123456789"), null, null, new KeyRate(20, 40)), ops);
        Assert.Equal("tenant:acme", acme.BudgetSubject);
        Assert.Null(ops.BudgetSubject);
    }

    [Fact]
    public void Without_a_serve_section_the_defaults_hold()
    {
        var settings = Read("name: plain\n");
        Assert.Equal(("127.0.0.1", 8080, 30), (settings.Host, settings.Port, settings.HealthPerMinute));
        Assert.Empty(settings.ApiKeys);
        Assert.True(settings.Cache.Enabled);
        Assert.False(Read("serve:\n  cache: false\n").Cache.Enabled);
    }

    [Theory]
    [InlineData("serve:\n  bind: 1.2.3.4\n", 2, "unknown key 'bind' in serve")]
    [InlineData("serve:\n  port: 70000\n", 2, "serve.port must be between 0 and 65535")]
    [InlineData("serve:\n  api_keys:\n    - name: a\n      sha256: abc\n      tenant: acme\n", 4, "sha256 must be 64 hex digits")]
    [InlineData("serve:\n  api_keys:\n    - name: a\n      env: NOT_SET_ANYWHERE\n      tenant: acme\n", 4, "the environment variable NOT_SET_ANYWHERE is not set")]
    [InlineData("serve:\n  api_keys:\n    - name: a\n      env: SHORT_KEY\n      tenant: acme\n", 4, "use at least 16 random ones")]
    [InlineData("serve:\n  api_keys:\n    - name: a\n      env: OPS_KEY\n      sha256: 0000000000000000000000000000000000000000000000000000000000000000\n      tenant: acme\n", 4, "give sha256 or env, not both")]
    [InlineData("serve:\n  api_keys:\n    - name: a\n      env: OPS_KEY\n", 3, "needs tenant (the one tenant whose rows it sees) or `admin: true`")]
    [InlineData("serve:\n  api_keys:\n    - name: a\n      env: OPS_KEY\n      tenant: acme\n      admin: true\n", 3, "an admin key sees every tenant")]
    [InlineData("serve:\n  api_keys:\n    - env: OPS_KEY\n      admin: true\n", 3, "an API key needs a name")]
    [InlineData("serve:\n  api_keys:\n    - name: a b\n      env: OPS_KEY\n      admin: true\n", 3, "may hold letters, digits")]
    [InlineData("serve:\n  api_keys:\n    - name: a\n      env: OPS_KEY\n      admin: true\n    - name: a\n      env: GLOBEX_KEY\n      admin: true\n", 6, "the name 'a' is used twice")]
    [InlineData("serve:\n  api_keys:\n    - name: a\n      env: OPS_KEY\n      admin: true\n    - name: b\n      env: OPS_KEY\n      admin: true\n", 6, "is the same key as 'a'")]
    [InlineData("serve:\n  api_keys:\n    - name: a\n      env: OPS_KEY\n      tenant: acme\n    - name: b\n      env: GLOBEX_KEY\n      tenant: acme\n      budget: {daily: 5}\n", 6, "a tenant's keys share one budget")]
    [InlineData("serve:\n  rate: {per_second: 10, burst: 5}\n", 2, "burst (5) must be at least per_second (10)")]
    [InlineData("serve:\n  budget: {}\n", 2, "serve.budget needs daily, monthly or both")]
    [InlineData("serve:\n  cache: {ttl: {trends: 1h}}\n", 2, "unknown key 'trends' in serve.cache.ttl")]
    public void A_bad_serve_setting_is_an_error_at_its_line(string yaml, int line, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(yaml));

        Assert.StartsWith($"{Path.Combine(_directory, "sluice.yml")}:{line}:", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ops-secret-key", error.Message, StringComparison.Ordinal);
    }

    private ServeSettings Read(string yaml)
    {
        File.WriteAllText(Path.Combine(_directory, "sluice.yml"), yaml);
        var environment = new Dictionary<string, string>
        {
            ["GLOBEX_KEY"] = "globex-secret-key-abcdef",
            ["OPS_KEY"] = "ops-secret-key-0123456789",
            ["SHORT_KEY"] = "short",
        };
        return ServeConfigReader.Read(ProjectLoader.Load(_directory, name => environment.GetValueOrDefault(name)));
    }
}
