using Sluice.Core.Project;
using Sluice.Server.Access;

namespace Sluice.Server.Tests;

/// <summary><c>serve.cache</c> naming a Redis: the URL forms, the password from the environment, and errors that never show it.</summary>
public sealed class RedisConfigTests : IDisposable
{
    private const string Password = "s3cr3t-from-env:@/x";
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-redis-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_redis_url_with_the_password_from_the_environment_selects_the_shared_cache()
    {
        var redis = Read("serve:\n  cache: redis://:${REDIS_PASSWORD}@cache.internal:6380/2\n").Cache.Redis!;

        Assert.Equal(("cache.internal", 6380, 2, Password), (redis.Host, redis.Port, redis.Database, redis.Password));
        Assert.Equal("redis://:***@cache.internal:6380/2", redis.Display);
        Assert.DoesNotContain(Password, redis.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_mapping_form_takes_url_and_ttl_and_defaults_port_and_database()
    {
        var cache = Read("serve:\n  cache:\n    url: redis://10.0.0.5\n    ttl: {trend: 10m}\n").Cache;

        Assert.Equal(("10.0.0.5", 6379, 0, (string?)null), (cache.Redis!.Host, cache.Redis.Port, cache.Redis.Database, cache.Redis.Password));
        Assert.Equal(TimeSpan.FromMinutes(10), cache.Ttl["trend"]);
        Assert.Equal(TimeSpan.FromHours(6), cache.Ttl["cohorts"]);
        Assert.True(cache.Enabled);
    }

    [Fact]
    public void Without_a_url_the_cache_is_in_memory()
    {
        Assert.Null(Read("serve:\n  cache: true\n").Cache.Redis);
        Assert.False(Read("serve:\n  cache: false\n").Cache.Enabled);
    }

    [Theory]
    [InlineData("serve:\n  cache: memcached://cache:11211\n", "sluice.yml:3:10", "serve.cache: the shared cache is Redis only")]
    [InlineData("serve:\n  cache: redis://:${REDIS_PASSWORD}@cache:6379/abc\n", "sluice.yml:3:10", "serve.cache: '/abc' is not a Redis database number")]
    [InlineData("serve:\n  cache: {url: 'redis://:${REDIS_PASSWORD}@cache:6379/0?ssl=true'}\n", "sluice.yml:3:16", "serve.cache.url: a Redis URL takes no query or fragment")]
    [InlineData("serve:\n  cache: {url: 'redis://:${REDIS_PASSWORD}@:6379'}\n", "sluice.yml:3:16", "serve.cache.url:")]
    public void A_bad_url_is_an_error_at_its_line_that_never_shows_the_password(string yaml, string at, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(yaml));

        Assert.True(error.Message.Contains(at, StringComparison.Ordinal), error.Message);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    private ServeSettings Read(string yaml)
    {
        File.WriteAllText(Path.Combine(_directory, "sluice.yml"), "name: shared\n" + yaml);
        var environment = new Dictionary<string, string> { ["REDIS_PASSWORD"] = Uri.EscapeDataString(Password) };
        return ServeConfigReader.Read(ProjectLoader.Load(_directory, name => environment.GetValueOrDefault(name)));
    }
}
