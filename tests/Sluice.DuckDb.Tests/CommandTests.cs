using System.Data;
using System.Diagnostics;
using Dapper;

namespace Sluice.DuckDb.Tests;

public sealed class CommandTests : IDisposable
{
    private readonly DuckDbConnection _connection = new("Data Source=:memory:");

    public CommandTests() => _connection.Open();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void A_script_runs_every_statement_in_order_even_when_later_ones_use_earlier_tables()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            create table t (id integer, name varchar);
            insert into t values (1, 'a'), (2, 'b');
            insert into t values (3, 'c');
            select count(*) from t;
            select max(id) from t;
            """;
        using var reader = command.ExecuteReader();
        Assert.Equal(3, reader.RecordsAffected);
        Assert.True(reader.Read());
        Assert.Equal(3L, reader.GetInt64(0));
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.Equal(3, reader.GetInt32(0));
        Assert.False(reader.NextResult());
    }

    [Fact]
    public void Statements_are_counted_without_being_bound_or_run()
    {
        Assert.Equal(2, _connection.CountStatements("create table made (n integer); select * from not_there"));
        Assert.Equal(0, _connection.CountStatements("-- only a comment"));
        Assert.Equal(0L, _connection.ExecuteScalar<long>("select count(*) from information_schema.tables where table_name = 'made'"));

        var error = Assert.Throws<DuckDbException>(() => _connection.CountStatements("select 1 frm x"));
        Assert.Equal(DuckDbErrorType.Parser, error.ErrorType);
    }

    [Fact]
    public void ExecuteNonQuery_returns_rows_changed()
    {
        _connection.ExecuteScript("create table t (id integer); insert into t select * from range(10)");
        using var command = _connection.CreateCommand();
        command.CommandText = "update t set id = id + 1 where id < 4";
        Assert.Equal(4, command.ExecuteNonQuery());
        command.CommandText = "delete from t where id > 8";
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [Fact]
    public void Named_and_positional_parameters_bind_typed_values()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "select $a + 1, $b || '!', $c, $d, $e, $f";
        command.Parameters.Add("a", 41L);
        command.Parameters.Add("$b", "hi");
        command.Parameters.Add("@c", new DateOnly(2024, 3, 4));
        command.Parameters.Add("d", 12.5m);
        command.Parameters.Add("e", (object?)null);
        command.Parameters.Add("f", new DateTime(2024, 1, 2, 3, 4, 5));
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(42L, reader.GetInt64(0));
        Assert.Equal("hi!", reader.GetString(1));
        Assert.Equal(new DateOnly(2024, 3, 4), reader.GetFieldValue<DateOnly>(2));
        Assert.Equal(12.5m, reader.GetDecimal(3));
        Assert.True(reader.IsDBNull(4));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5), reader.GetDateTime(5));
        reader.Close();

        using var positional = _connection.CreateCommand();
        positional.CommandText = "select ? * ?, ?::varchar";
        positional.Parameters.Add(new DuckDbParameter { Value = 6 });
        positional.Parameters.Add(new DuckDbParameter { Value = 7 });
        positional.Parameters.Add(new DuckDbParameter { Value = Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11") });
        using var positionalReader = positional.ExecuteReader();
        Assert.True(positionalReader.Read());
        Assert.Equal(42, positionalReader.GetInt32(0));
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", positionalReader.GetString(1));
    }

    [Fact]
    public void A_missing_parameter_names_the_parameter()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "select $missing";
        var error = Assert.Throws<DuckDbException>(() => command.ExecuteScalar());
        Assert.Contains("missing", error.Message);
        Assert.Equal(DuckDbErrorType.ParameterNotResolved, error.ErrorType);
    }

    [Fact]
    public void Dapper_maps_rows_and_parameters()
    {
        _connection.Execute("create table people (id bigint, name varchar, score double, born date)");
        _connection.Execute("insert into people values ($id, $name, $score, $born)", new { id = 1L, name = "Ada", score = 9.5, born = new DateOnly(1815, 12, 10) });
        _connection.Execute("insert into people values ($id, $name, $score, $born)", new { id = 2L, name = "Alan", score = 8.0, born = new DateOnly(1912, 6, 23) });

        var people = _connection.Query<Person>("select id, name, score from people where score > $min order by id", new { min = 8.5 }).ToList();
        Assert.Single(people);
        Assert.Equal(new Person(1, "Ada", 9.5), people[0]);
        Assert.Equal(2L, _connection.ExecuteScalar<long>("select count(*) from people"));
    }

    public sealed record Person(long Id, string Name, double Score);

    [Fact]
    public void Syntax_errors_carry_duckdbs_message_and_kind()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "selec 1";
        var error = Assert.Throws<DuckDbException>(() => command.ExecuteNonQuery());
        Assert.Equal(DuckDbErrorType.Parser, error.ErrorType);
        Assert.Contains("syntax error", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void Catalog_and_runtime_errors_carry_their_kind()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "select * from no_such_table";
        Assert.Equal(DuckDbErrorType.Catalog, Assert.Throws<DuckDbException>(() => command.ExecuteReader()).ErrorType);

        _connection.ExecuteScript("create table u (id integer primary key); insert into u values (1)");
        command.CommandText = "insert into u values (1)";
        Assert.Equal(DuckDbErrorType.Constraint, Assert.Throws<DuckDbException>(() => command.ExecuteNonQuery()).ErrorType);

        command.CommandText = "select 'x'::integer";
        Assert.Equal(DuckDbErrorType.Conversion, Assert.Throws<DuckDbException>(() => command.ExecuteScalar()).ErrorType);
    }

    [Fact]
    public void The_connection_is_usable_after_an_error()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "select 1/0::integer + 'a'";
        Assert.ThrowsAny<DuckDbException>(() => command.ExecuteScalar());
        command.CommandText = "select 7";
        Assert.Equal(7, command.ExecuteScalar());
    }

    [Fact]
    public async Task Cancellation_interrupts_a_long_query()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "select count(*) from range(10000000000) a(i) where i % 3 = 1";
        using var source = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteScalarAsync(source.Token));
        Assert.IsType<DuckDbException>(error.InnerException);
        Assert.Equal(DuckDbErrorType.Interrupt, ((DuckDbException)error.InnerException!).ErrorType);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"cancellation took {watch.Elapsed}");

        command.CommandText = "select 1";
        Assert.Equal(1, command.ExecuteScalar());
    }

    [Fact]
    public async Task A_cancellation_at_any_moment_of_a_query_is_a_cancellation_never_an_engine_error()
    {
        // Cancellations land at every step: while the query is prepared, started, run or read.
        var random = new Random(7);
        var cancelled = 0;
        for (var i = 0; i < 400; i++)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "select sum(i) from range(200000) a(i)";
            using var source = new CancellationTokenSource();
            var run = Task.Run(async () =>
            {
                await using var reader = await command.ExecuteReaderAsync(source.Token);
                while (await reader.ReadAsync(source.Token))
                {
                }
            });
            source.CancelAfter(TimeSpan.FromTicks(random.Next(0, 20_000)));
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
                cancelled++;
            }
        }

        Assert.InRange(cancelled, 1, 400);
        using var after = _connection.CreateCommand();
        after.CommandText = "select 1";
        Assert.Equal(1, after.ExecuteScalar());
    }

    [Fact]
    public async Task A_token_cancelled_before_the_command_starts_runs_nothing()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "create table never_made (id integer)";
        using var source = new CancellationTokenSource();
        source.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteNonQueryAsync(source.Token));

        command.CommandText = "select count(*) from information_schema.tables where table_name = 'never_made'";
        Assert.Equal(0L, command.ExecuteScalar());
    }

    [Fact]
    public async Task A_cancellation_between_statements_stops_the_rest_of_the_command()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "select 1; create table after_cancel (id integer); select 2";
        using var source = new CancellationTokenSource();
        using (var transaction = _connection.BeginTransaction())
        {
            await using (var reader = await command.ExecuteReaderAsync(source.Token))
            {
                Assert.True(await reader.ReadAsync(source.Token));
                Assert.Equal(1, reader.GetInt32(0));
                Assert.False(await reader.ReadAsync(CancellationToken.None));

                // Nothing runs at this moment: the interrupt has no query to stop and must not be lost.
                source.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.NextResultAsync(CancellationToken.None));
            }

            Assert.Throws<DuckDbException>(() => transaction.Commit());
        }

        command.CommandText = "select count(*) from information_schema.tables where table_name = 'after_cancel'";
        Assert.Equal(0L, command.ExecuteScalar());
    }

    [Fact]
    public void Command_timeout_interrupts_the_query()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "select count(*) from range(10000000000) a(i) where i % 3 = 1";
        command.CommandTimeout = 1;
        Assert.ThrowsAny<OperationCanceledException>(() => command.ExecuteScalar());
    }

    [Fact]
    public void Cancel_from_another_thread_interrupts_a_streaming_read()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "select i from range(10000000000) a(i) order by i desc";
        var timer = new Timer(_ => command.Cancel(), null, 200, Timeout.Infinite);
        var error = Assert.Throws<DuckDbException>(() =>
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
            }
        });
        timer.Dispose();
        Assert.Equal(DuckDbErrorType.Interrupt, error.ErrorType);
    }

    [Fact]
    public void Transactions_commit_and_roll_back()
    {
        _connection.ExecuteScript("create table t (id integer)");
        using (var transaction = _connection.BeginTransaction())
        {
            _connection.ExecuteScript("insert into t values (1)");
            transaction.Commit();
        }

        using (var transaction = _connection.BeginTransaction())
        {
            _connection.ExecuteScript("insert into t values (2)");
            transaction.Rollback();
        }

        using (_connection.BeginTransaction())
        {
            _connection.ExecuteScript("insert into t values (3)");
        }

        Assert.Equal(1L, _connection.ExecuteScalar<long>("select count(*) from t"));
        Assert.Equal(1, _connection.ExecuteScalar<int>("select max(id) from t"));
    }

    [Fact]
    public void Only_one_reader_at_a_time_per_connection()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "select 1";
        using var reader = command.ExecuteReader();
        var error = Assert.Throws<InvalidOperationException>(() => command.ExecuteReader());
        Assert.Contains("open data reader", error.Message);
    }

    [Fact]
    public void HasRows_peeks_without_losing_the_first_row()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "select * from range(3) t(i); select 1 where false";
        using var reader = command.ExecuteReader();
        Assert.True(reader.HasRows);
        Assert.True(reader.HasRows);
        var values = new List<long>();
        while (reader.Read())
        {
            values.Add(reader.GetInt64(0));
        }

        Assert.Equal([0L, 1L, 2L], values);
        Assert.True(reader.HasRows);
        Assert.True(reader.NextResult());
        Assert.False(reader.HasRows);
        Assert.False(reader.Read());
    }

    [Fact]
    public void Reader_reports_column_names_and_types()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "select 1::bigint as a, 'x' as b, 1.5::decimal(5,1) as c";
        using var reader = command.ExecuteReader();
        Assert.Equal(["a", "b", "c"], Enumerable.Range(0, 3).Select(reader.GetName));
        Assert.Equal([typeof(long), typeof(string), typeof(decimal)], Enumerable.Range(0, 3).Select(reader.GetFieldType));
        Assert.Equal("DECIMAL(5,1)", reader.GetDataTypeName(2));
        Assert.Equal(1, reader.GetOrdinal("B"));
        var table = new DataTable();
        table.Load(reader);
        Assert.Equal(1, table.Rows.Count);
    }
}
