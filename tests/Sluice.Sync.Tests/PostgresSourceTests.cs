using Npgsql;
using Sluice.Sync.Engine;

namespace Sluice.Sync.Tests;

/// <summary>
/// The sync of PostgreSQL tables, written once and run against every warehouse. Every check
/// compares the warehouse with SQL run on the source.
/// </summary>
public abstract class PostgresSourceTests : SyncTestBase
{
    private const string EmailsColumns = "id, received_at, sender, subject, risk_score, category, expires_at, features_json->>'len', updated_at";

    /// <summary>The columns of <see cref="EmailsColumns"/> read from the source at the warehouse's precision.</summary>
    protected virtual string SourceEmailsColumns => EmailsColumns;

    /// <summary>The columns of <see cref="EmailsColumns"/> as the warehouse spells them.</summary>
    protected virtual string WarehouseEmailsColumns => EmailsColumns;

    /// <summary>A timestamp column moved thirty days later, as the warehouse spells it.</summary>
    protected virtual string ThirtyDaysLater(string column) => $"{column} + interval '30 days'";

    private const string Emails = """
        create table emails (
            id bigint primary key, received_at timestamptz not null, sender text, subject text, risk_score int,
            category text, expires_at timestamptz, features_json jsonb, updated_at timestamptz not null);
        insert into emails
        select g, timestamptz '2024-01-01 00:00:00+00' + g * interval '37 minutes', 'sender' || (g % 17) || '@example.com',
               'Subject ' || g || ' — Grüße', (g * 7) % 100, (array['spam', 'phish', 'ok'])[1 + g % 3],
               case when g % 5 = 0 then null else timestamptz '2025-01-01 00:00:00+00' + g * interval '1 hour' end,
               jsonb_build_object('len', g % 50), timestamptz '2024-06-01 00:00:00+00' + g * interval '1 second'
        from generate_series(1, 5000) g;
        """;

    private const string EmailsTable = """
              - name: emails
                primary_key: [id]
                cursor: updated_at
                batch_size: 1000

        """;

    [Fact]
    public async Task Initial_load_copies_every_row_in_committed_batches()
    {
        await SourceAsync(Emails);
        WriteSource(EmailsTable);

        var result = await SyncOneAsync();

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.Equal("initial", result.Mode);
        Assert.Equal(5000, result.RowsRead);
        Assert.Equal(
            await SourceRowsAsync($"select {SourceEmailsColumns} from emails order by id"),
            await WarehouseRowsAsync($"select {WarehouseEmailsColumns} from raw.app__emails order by id"));
        Assert.Equal(
            await SourceRowsAsync("select to_char(max(updated_at) at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' from emails"),
            await WarehouseRowsAsync("select watermark from _sluice.sync_state where source = 'app' and table_name = 'emails'"));
        Assert.Equal(["success | 5000 | 5000"], await WarehouseRowsAsync("select status, rows_read, rows_upserted from _sluice.sync_runs"));
        Assert.Equal(0, await WarehouseCountAsync("select count(*) from raw.app__emails where _sluice_synced_at is null or _sluice_deleted_at is not null"));
    }

    [Fact]
    public async Task Updates_and_inserts_are_merged_by_key()
    {
        await SourceAsync(Emails);
        WriteSource(EmailsTable);
        await SyncOneAsync();
        await SourceAsync("""
            update emails set risk_score = risk_score + 1000, subject = 'changed', updated_at = timestamptz '2024-09-01 00:00:00+00' + id * interval '1 ms' where id % 100 = 0;
            insert into emails select g, now(), 'new', 'new', 1, 'ok', null, '{}', timestamptz '2024-09-02 00:00:00+00' from generate_series(5001, 5020) g;
            """);

        var result = await SyncOneAsync();

        Assert.Equal("incremental", result.Mode);
        Assert.Equal(70, result.RowsRead);
        Assert.Equal(5020, await WarehouseCountAsync("select count(*) from raw.app__emails"));
        Assert.Equal(
            await SourceRowsAsync($"select {SourceEmailsColumns} from emails order by id"),
            await WarehouseRowsAsync($"select {WarehouseEmailsColumns} from raw.app__emails order by id"));
        Assert.Equal(2, await WarehouseCountAsync("select count(*) from _sluice.sync_runs where status = 'success'"));
    }

    [Fact]
    public async Task A_sync_with_nothing_new_reads_nothing_and_keeps_the_watermark()
    {
        await SourceAsync(Emails);
        WriteSource(EmailsTable);
        var first = await SyncOneAsync();

        var second = await SyncOneAsync();

        Assert.Equal(0, second.RowsRead);
        Assert.Equal(first.WatermarkAfter, second.WatermarkAfter);
        Assert.Equal(5000, await WarehouseCountAsync("select count(*) from raw.app__emails"));
    }

    [Fact]
    public async Task Reconcile_marks_rows_deleted_in_the_source_and_a_row_that_returns_is_live_again()
    {
        await SourceAsync(Emails);
        WriteSource(EmailsTable);
        await SyncOneAsync();
        await SourceAsync("delete from emails where id % 250 = 100 or id between 4000 and 4009");

        var plain = await SyncOneAsync();
        var reconciled = await SyncOneAsync(new SyncOptions(Reconcile: true));

        Assert.Equal(0, plain.RowsDeleted);
        var deletedInSource = 5000 - long.Parse(Assert.Single(await SourceRowsAsync("select count(*) from emails")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(30, deletedInSource);
        Assert.Equal(deletedInSource, reconciled.RowsDeleted);
        Assert.Equal(
            await SourceRowsAsync("select id from emails order by id"),
            await WarehouseRowsAsync("select id from raw.app__emails where _sluice_deleted_at is null order by id"));
        Assert.Equal(5000, await WarehouseCountAsync("select count(*) from raw.app__emails"));
        // One run deleted rows: the reconcile (runs may share a second, so they are not told apart by time).
        Assert.Equal(["30"], await WarehouseRowsAsync("select rows_deleted from _sluice.sync_runs where rows_deleted > 0"));
        Assert.Equal(1, await WarehouseCountAsync("select count(*) from _sluice.sync_state where last_reconciled_at is not null and syncs = 3"));

        // A second reconcile finds nothing new; a deleted key inserted again comes back to life.
        await SourceAsync("insert into emails select 4000, now(), 'back', 'back', 1, 'ok', null, '{}', timestamptz '2030-01-01 00:00:00+00'");
        var again = await SyncOneAsync(new SyncOptions(Reconcile: true));

        Assert.Equal(0, again.RowsDeleted);
        Assert.Equal(
            await SourceRowsAsync("select id from emails order by id"),
            await WarehouseRowsAsync("select id from raw.app__emails where _sluice_deleted_at is null order by id"));
    }

    [Fact]
    public async Task Reconcile_every_n_syncs_runs_on_the_nth_sync_only()
    {
        await SourceAsync(Emails);
        WriteSource("""
                  - name: emails
                    primary_key: [id]
                    cursor: updated_at
                    reconcile_every: 3

            """);
        await SyncOneAsync();
        await SourceAsync("delete from emails where id <= 10");

        var second = await SyncOneAsync();
        var third = await SyncOneAsync();

        Assert.Equal(0, second.RowsDeleted);
        Assert.Equal(10, third.RowsDeleted);
        Assert.Equal(10, await WarehouseCountAsync("select count(*) from raw.app__emails where _sluice_deleted_at is not null"));
    }

    private const string EmailsWithParity = """
              - name: emails
                primary_key: [id]
                cursor: updated_at
                parity: {date_column: received_at}

        """;

    private const string SourceDays = "select (received_at at time zone 'UTC')::date as day, count(*) from emails group by 1 order by 1";

    [Fact]
    public async Task Each_sync_ends_with_a_parity_check_per_day_stored_in_parity_checks()
    {
        await SourceAsync(Emails);
        WriteSource(EmailsWithParity);

        var result = await SyncOneAsync();

        var parity = Assert.IsType<Parity.ParityReport>(result.Parity);
        Assert.True(parity.Matches);
        Assert.Equal(5000, parity.Total.SourceCount);
        Assert.Equal(await SourceRowsAsync(SourceDays), parity.Days.Select(d => $"{d.Day:yyyy-MM-dd} | {d.SourceCount}").ToList());
        Assert.NotNull(parity.Total.SourceChecksum);
        Assert.Equal(parity.Total.SourceChecksum, parity.Total.WarehouseChecksum);
        Assert.Equal(
            await SourceRowsAsync(SourceDays),
            await WarehouseRowsAsync("select day, warehouse_count from _sluice.parity_checks where day is not null order by day"));
        Assert.Equal(["5000 | 5000 | 0 | 0"], await WarehouseRowsAsync("select source_count, warehouse_count, mismatches, mismatch_ratio from _sluice.parity_checks where day is null"));
    }

    [Fact]
    public async Task Parity_finds_the_days_that_differ_and_repair_re_syncs_only_those()
    {
        await SourceAsync(Emails);
        WriteSource(EmailsWithParity);
        await SyncOneAsync();

        // Damage four days: rows lost, a key swapped (same count), a stray row, a hard delete in the source.
        await using (var session = await OpenWarehouseAsync())
        {
            await session.ExecuteAsync("delete from raw.app__emails where id in (100, 101, 102)");
            await session.ExecuteAsync("update raw.app__emails set id = 900000 where id = 1000");
            await session.ExecuteAsync($"update raw.app__emails set received_at = {ThirtyDaysLater("received_at")} where id = 2000");
        }

        await SourceAsync("delete from emails where id = 3000");
        var expectedDays = await SourceRowsAsync(
            "select distinct (received_at at time zone 'UTC')::date from emails where id in (100, 101, 102, 1000, 2000) " +
            "union select ((timestamptz '2024-01-01 00:00:00+00' + 3000 * interval '37 minutes') at time zone 'UTC')::date " +
            "union select (received_at at time zone 'UTC' + interval '30 days')::date from emails where id = 2000 order by 1");

        var check = await SyncOneAsync(new SyncOptions { ParityOnly = true });

        var found = Assert.IsType<Parity.ParityReport>(check.Parity);
        Assert.Equal("parity", check.Mode);
        Assert.Equal(0, check.RowsRead);
        Assert.Equal(expectedDays, found.MismatchedDays.Select(d => $"{d.Day:yyyy-MM-dd}").ToList());
        Assert.Equal(5000 - 1, found.Total.SourceCount);
        Assert.Equal(5000 - 3, found.Total.WarehouseCount);
        Assert.Equal(expectedDays.Count, await WarehouseCountAsync("select count(*) from _sluice.parity_checks where mismatches > 0 and day is not null"));

        var repaired = await SyncOneAsync(new SyncOptions { ParityOnly = true, Repair = true });

        Assert.True(repaired.Parity!.Matches, string.Join("; ", repaired.Parity.MismatchedDays));
        Assert.Equal(
            await SourceRowsAsync($"select {SourceEmailsColumns} from emails order by id"),
            await WarehouseRowsAsync($"select {WarehouseEmailsColumns} from raw.app__emails where _sluice_deleted_at is null order by id"));
        var dayList = string.Join(", ", expectedDays.Select(d => $"date '{d}'"));
        Assert.Equal(
            await SourceRowsAsync($"select count(*) from emails where (received_at at time zone 'UTC')::date in ({dayList})"),
            await WarehouseRowsAsync("select rows_read from _sluice.sync_runs where mode = 'repair'"));
    }

    [Fact]
    public async Task Parity_checksums_agree_for_composite_text_keys_and_turn_off_with_false()
    {
        await SourceAsync("""
            create table visits (site text, n int, seen_on date not null, primary key (site, n));
            insert into visits select 'site-' || (g % 7) || '-ü', g, date '2024-03-01' + (g % 20) from generate_series(1, 700) g;
            create table quiet (id int primary key);
            """);
        WriteSource("""
                  - name: visits
                    parity: {date_column: seen_on}
                  - name: quiet
                    parity: false

            """);

        var results = await SyncAsync();

        var visits = results.Single(r => r.Table == "visits").Parity!;
        Assert.True(visits.Matches);
        Assert.Equal(20, visits.Days.Count);
        Assert.NotEqual("0", visits.Total.SourceChecksum);
        Assert.Null(results.Single(r => r.Table == "quiet").Parity);
    }

    [Fact]
    public async Task A_parity_date_column_that_is_not_a_date_is_refused_before_anything_is_written()
    {
        await SourceAsync(Emails);
        WriteSource("""
                  - name: emails
                    cursor: updated_at
                    parity: {date_column: sender}

            """);

        var result = await SyncOneAsync();

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.True(result.IsUserFault);
        Assert.Contains("parity date_column 'sender'", result.Error);
        Assert.Empty(await WarehouseTablesAsync("raw"));
    }

    [Fact]
    public async Task Lookback_re_reads_recent_rows_without_duplicating_them()
    {
        await SourceAsync(Emails);
        WriteSource("""
                  - name: emails
                    primary_key: [id]
                    cursor: updated_at
                    lookback: 10s

            """);
        await SyncOneAsync();

        var second = await SyncOneAsync();

        // The last 10 seconds of updated_at hold rows 4990..5000 (one a second).
        Assert.Equal(10, second.RowsRead);
        Assert.Equal(5000, await WarehouseCountAsync("select count(*) from raw.app__emails"));
        Assert.Equal(5000, await WarehouseCountAsync("select count(distinct id) from raw.app__emails"));

        // Rows read again as they were are left alone: nothing written, every row keeps the time
        // it was first synced, so partitions built from them are not stale.
        Assert.Equal(0, second.RowsUpserted);
        Assert.Equal(1, await WarehouseCountAsync("select count(distinct _sluice_synced_at) from raw.app__emails"));

        // A row changed within the lookback is written, alone.
        await SourceAsync("update emails set subject = 'changed' where id = 4995");
        var third = await SyncOneAsync();
        Assert.Equal(10, third.RowsRead);
        Assert.Equal(1, third.RowsUpserted);
        Assert.Equal(["4995 | changed"], await WarehouseRowsAsync("select id, subject from raw.app__emails where subject = 'changed'"));
        if (Warehouse.Capabilities.SubsecondTimestamps)
        {
            // Where a sync time is finer than a second, the changed row's is the one that moved.
            Assert.Equal(["4995 | changed"], await WarehouseRowsAsync("select id, subject from raw.app__emails where _sluice_synced_at > (select min(_sluice_synced_at) from raw.app__emails)"));
        }
    }

    [Fact]
    public async Task A_row_committed_late_with_an_older_cursor_is_picked_up_within_the_lookback()
    {
        await SourceAsync(Emails);
        WriteSource("""
                  - name: emails
                    primary_key: [id]
                    cursor: updated_at
                    lookback: 1m

            """);
        await SyncOneAsync();

        // A long transaction stamps row 1 first but commits only after a sync has read a newer row.
        await using var late = new Npgsql.NpgsqlConnection(SourceConnectionString);
        await late.OpenAsync();
        await using var transaction = await late.BeginTransactionAsync();
        await using (var update = new Npgsql.NpgsqlCommand("update emails set subject = 'late', updated_at = timestamptz '2024-09-01 00:00:00+00' where id = 1", late, transaction))
        {
            await update.ExecuteNonQueryAsync();
        }

        await SourceAsync("update emails set subject = 'early', updated_at = timestamptz '2024-09-01 00:00:30+00' where id = 2");
        await SyncOneAsync();
        Assert.Equal(["1 | Subject 1 — Grüße", "2 | early"], await WarehouseRowsAsync("select id, subject from raw.app__emails where id <= 2 order by id"));
        await transaction.CommitAsync();

        var after = await SyncOneAsync();

        // The watermark is row 2's 00:00:30; a minute's lookback reaches back to row 1's 00:00:00.
        Assert.Equal(2, after.RowsRead);
        Assert.Equal(["1 | late", "2 | early"], await WarehouseRowsAsync("select id, subject from raw.app__emails where id <= 2 order by id"));
        Assert.Equal(5000, await WarehouseCountAsync("select count(*) from raw.app__emails"));
    }

    [Fact]
    public virtual async Task Every_type_round_trips_with_nulls_extremes_and_non_ascii_text()
    {
        await SourceAsync("""
            create type mood as enum ('sad', 'happy', 'très bien');
            create domain score as integer check (value >= 0);
            create table types (
                id int primary key, sm smallint, i integer, bi bigint, n numeric(18,4), nu numeric, r real, d double precision,
                b boolean, t text, vc varchar(20), ch char(5), u uuid, dt date, tm time, ts timestamp, tz timestamptz,
                iv interval, j json, jb jsonb, by bytea, ia integer[], ta text[], m mood, s score, addr inet);
            insert into types values
              (1, -32768, -2147483648, -9223372036854775808, -99999999999999.9999, 123456789.1234567891, -3.4028235e38, -1.7976931348623157e308,
               false, '', 'x', 'ab', '00000000-0000-0000-0000-000000000000', '1900-01-01', '00:00:00', '1900-01-01 00:00:00.000001',
               '1900-01-01 00:00:00.000001+00', '-178000000 years', '{"a": 1}', '{"b": [1, 2]}', '\x00ff', '{1,NULL,3}', '{"x,y","é"}', 'sad', 0, '10.0.0.1'),
              (2, 32767, 2147483647, 9223372036854775807, 99999999999999.9999, -0.000000001, 3.4028235e38, 1.7976931348623157e308,
               true, 'Grüße, 東京 🚀 "quoted" ''single'' and a
            newline', 'ÄÖÜ', 'xyzzy', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '9999-12-31', '23:59:59.999999', '9999-12-31 23:59:59.999999',
               '9999-12-31 23:59:59.999999+00', '1 year 2 months 3 days 04:05:06.789', '[]', '{}', '\xdeadbeef', '{}', '{}', 'très bien', 2147483647, '::1'),
              (3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
            """);
        WriteSource("      - types\n");

        var result = await SyncOneAsync();

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.Equal(3, result.RowsRead);
        const string Plain = "id, sm, i, bi, n, nu, r, d, b, t, vc, ch, u, dt, tm, ts, tz, iv, s";
        Assert.Equal(
            await SourceRowsAsync($"select {Plain}, m::text, addr::text, j::text, jb::text, \"by\", to_jsonb(ia)::text, to_jsonb(ta)::text from types order by id"),
            await WarehouseRowsAsync($"select {Plain}, m, addr, j::text, jb::text, \"by\", ia::text, ta::text from raw.app__types order by id"));
        Assert.Contains(Warnings, w => w.Contains("types.addr", StringComparison.Ordinal) && w.Contains("inet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Schema_changes_add_columns_widen_types_and_keep_dropped_columns()
    {
        await SourceAsync(Emails);
        WriteSource(EmailsTable);
        await SyncOneAsync();
        await SourceAsync("""
            alter table emails add column lang text;
            alter table emails alter column risk_score type bigint;
            alter table emails drop column category;
            update emails set lang = 'de', risk_score = 5000000000, updated_at = timestamptz '2024-09-01 00:00:00+00' where id <= 10;
            """);

        var result = await SyncOneAsync();

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.Equal(
            await SourceRowsAsync("select id, lang, risk_score from emails order by id"),
            await WarehouseRowsAsync("select id, lang, risk_score from raw.app__emails order by id"));
        Assert.Equal(10, await WarehouseCountAsync("select count(*) from raw.app__emails where category is null"));
        Assert.Equal(4990, await WarehouseCountAsync("select count(*) from raw.app__emails where category is not null"));
        Assert.Contains(Warnings, w => w.Contains("'category'", StringComparison.Ordinal) && w.Contains("kept", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_incompatible_type_change_stops_the_table_and_leaves_it_untouched()
    {
        await SourceAsync(Emails);
        WriteSource(EmailsTable);
        var first = await SyncOneAsync();
        await SourceAsync("alter table emails alter column sender type integer using 0; update emails set updated_at = now() where id = 1;");

        var result = await SyncOneAsync();

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.True(result.IsUserFault);
        Assert.Contains("'sender'", result.Error);
        Assert.Contains("--full-refresh", result.Error);
        Assert.Equal(["sender1@example.com"], await WarehouseRowsAsync("select sender from raw.app__emails where id = 1"));
        Assert.Equal([first.WatermarkAfter!], await WarehouseRowsAsync("select watermark from _sluice.sync_state"));
        Assert.Equal(["failed"], await WarehouseRowsAsync("select status from _sluice.sync_runs where status <> 'success'"));
    }

    [Fact]
    public async Task Full_refresh_rebuilds_the_table_with_the_new_type()
    {
        await SourceAsync(Emails);
        WriteSource(EmailsTable);
        await SyncOneAsync();
        await SourceAsync("alter table emails alter column sender type integer using id; delete from emails where id > 100;");

        var result = await SyncOneAsync(new SyncOptions(FullRefresh: true));

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.Equal("full-refresh", result.Mode);
        Assert.Equal(
            await SourceRowsAsync($"select id, sender from emails order by id"),
            await WarehouseRowsAsync($"select id, sender from raw.app__emails order by id"));
    }

    [Fact]
    public async Task A_table_without_cursor_is_copied_whole_each_time()
    {
        await SourceAsync("create table plans (code text primary key, price numeric(8,2)); insert into plans values ('a', 1.5), ('b', 2.25);");
        WriteSource("      - plans\n");
        await SyncOneAsync();
        await SourceAsync("delete from plans where code = 'a'; insert into plans values ('c', 3);");

        var result = await SyncOneAsync();

        Assert.Equal("full", result.Mode);
        Assert.Equal(await SourceRowsAsync("select code, price from plans order by code"), await WarehouseRowsAsync("select code, price from raw.app__plans order by code"));
    }

    [Fact]
    public async Task A_missing_table_fails_with_its_name_and_the_other_tables_still_sync()
    {
        await SourceAsync(Emails);
        WriteSource(EmailsTable + "      - name: nope\n        primary_key: [id]\n");

        var results = await SyncAsync();

        Assert.Equal(SyncStatus.Success, results[0].Status);
        Assert.Equal(SyncStatus.Failed, results[1].Status);
        Assert.True(results[1].IsUserFault);
        Assert.Contains("has no table public.nope", results[1].Error);
        Assert.Contains("sluice.yml:", results[1].Error);
        Assert.Equal(5000, await WarehouseCountAsync("select count(*) from raw.app__emails"));
    }

    [Fact]
    public async Task A_cursor_table_without_primary_key_is_refused()
    {
        await SourceAsync("create table events (id bigint, at timestamptz); insert into events values (1, now());");
        WriteSource("      - name: events\n        cursor: at\n");

        var result = await SyncOneAsync();

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Contains("no primary key", result.Error);
        Assert.Contains("primary_key", result.Error);
        Assert.Empty(await WarehouseTablesAsync("raw"));
    }

    [Fact]
    public async Task A_cursor_that_cannot_order_rows_is_refused()
    {
        await SourceAsync("create table docs (id bigint primary key, body jsonb); insert into docs values (1, '{}');");
        WriteSource("      - name: docs\n        cursor: body\n");

        var result = await SyncOneAsync();

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Contains("cursor column 'body'", result.Error);
        Assert.Contains("jsonb", result.Error);
    }

    [Fact]
    public async Task A_source_that_restarts_mid_sync_is_retried_and_the_sync_resumes_from_its_last_batch()
    {
        await using var server = await Testing.PostgresServer.StartPrivateAsync();
        var url = await server.CreateDatabaseAsync("restart");
        await using (var connection = new NpgsqlConnection(server.ConnectionString(url[(url.LastIndexOf('/') + 1)..])))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                create table events (id bigint primary key, body text, updated_at timestamptz not null);
                insert into events select g, repeat('x', 100) || g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second' from generate_series(1, 200000) g;
                """,
                connection);
            await command.ExecuteNonQueryAsync();

            // The throwaway server commits asynchronously; without a checkpoint after the commit,
            // the kill below could discard the table along with the WAL not yet written.
            await using var checkpoint = new NpgsqlCommand("checkpoint", connection);
            await checkpoint.ExecuteNonQueryAsync();
        }

        WriteProject($"  - name: app\n    type: postgres\n    url: {url}\n    tables:\n      - name: events\n        cursor: updated_at\n        batch_size: 20000\n");

        // After the first batch commits the server dies; it comes back three seconds later.
        Task? restart = null;
        OnBatchCommitted = _ =>
        {
            if (restart is null)
            {
                server.KillAsync().GetAwaiter().GetResult();
                restart = Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => server.StartAgainAsync()).Unwrap();
            }
        };

        var result = await SyncOneAsync(new SyncOptions { MaxRetries = 8, RetryDelay = TimeSpan.FromMilliseconds(500) });
        await restart!;

        Assert.True(result.Status == SyncStatus.Success, result.Error);
        Assert.Contains(Warnings, w => w.Contains("retry", StringComparison.Ordinal));
        Assert.Equal(["200000 | 200000 | 20000100000"], await WarehouseRowsAsync("select count(*), count(distinct id), sum(id) from raw.app__events"));
        Assert.Equal(["success | 1"], await WarehouseRowsAsync("select status, count(*) from _sluice.sync_runs group by status"));

        // The batch committed before the crash was not read again.
        Assert.True(result.RowsRead < 200000 + 20000 * 2, $"read {result.RowsRead} rows");
        Assert.Equal(200000, result.RowsUpserted);
    }

    [Fact]
    public async Task A_wrong_password_fails_at_once_without_showing_it_and_the_right_one_from_the_environment_works()
    {
        await using var server = await Testing.PostgresServer.StartPrivateAsync("right-Pa55");
        var url = await server.CreateDatabaseAsync("auth");
        await using (var connection = new NpgsqlConnection(server.ConnectionString(url[(url.LastIndexOf('/') + 1)..])))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("create table items (id int primary key); insert into items values (1), (2);", connection);
            await command.ExecuteNonQueryAsync();
        }

        WriteProject($"  - name: app\n    type: postgres\n    url: {url.Replace(":right-Pa55@", ":wr0ng-Pa55@", StringComparison.Ordinal)}\n    tables: [items]\n");

        var wrong = await SyncOneAsync();

        Assert.Equal(SyncStatus.Failed, wrong.Status);
        Assert.True(wrong.IsUserFault);
        Assert.Contains("password authentication failed for user \"postgres\"", wrong.Error);
        Assert.Contains("check the user and the password", wrong.Error);
        Assert.DoesNotContain("Pa55", wrong.Error);
        Assert.DoesNotContain(Warnings, w => w.Contains("retry", StringComparison.Ordinal) || w.Contains("Pa55", StringComparison.Ordinal));
        Assert.Empty(await WarehouseTablesAsync("raw"));

        var variable = $"SLUICE_TEST_PASSWORD_{Environment.ProcessId}_{GetType().Name}";
        Environment.SetEnvironmentVariable(variable, "right-Pa55");
        WriteProject($"  - name: app\n    type: postgres\n    url: {url.Replace(":right-Pa55@", ":${" + variable + "}@", StringComparison.Ordinal)}\n    tables: [items]\n");

        var right = await SyncOneAsync();

        Assert.True(right.Status == SyncStatus.Success, right.Error);
        Assert.Equal(2, await WarehouseCountAsync("select count(*) from raw.app__items"));
    }

    [Fact]
    public async Task An_unreachable_source_fails_after_retries_without_its_password()
    {
        WriteProject("  - name: app\n    type: postgres\n    url: postgres://sync:s3cret@127.0.0.1:1/app\n    tables: [emails]\n");

        var result = await SyncOneAsync(new SyncOptions { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(10) });

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.False(result.IsUserFault);
        Assert.Contains("127.0.0.1", result.Error);
        Assert.DoesNotContain("s3cret", result.Error);
        Assert.Equal(2, Warnings.Count(w => w.Contains("retry", StringComparison.Ordinal)));
        Assert.DoesNotContain(Warnings, w => w.Contains("s3cret", StringComparison.Ordinal));
    }
}

public sealed class PostgresToDuckDbTests : PostgresSourceTests
{
    protected override Task<string> WarehouseYamlAsync() => Task.FromResult("warehouse:\n  type: duckdb\n  path: warehouse.duckdb\n");
}

public sealed class PostgresToPostgresTests : PostgresSourceTests
{
    protected override async Task<string> WarehouseYamlAsync()
    {
        var server = await Testing.PostgresServer.GetAsync();
        return $"warehouse:\n  type: postgres\n  url: {await server.CreateDatabaseAsync("warehouse")}\n";
    }
}

public class PostgresToClickHouseTests : PostgresSourceTests
{
    private IAsyncDisposable? _servers;

    protected override string WarehouseEmailsColumns =>
        "id, received_at, sender, subject, risk_score, category, expires_at, nullIf(replaceAll(visitParamExtractRaw(features_json, 'len'), ' ', ''), ''), updated_at";

    protected override string ThirtyDaysLater(string column) => $"{column} + interval 30 day";

    // ClickHouse 18.16 keeps whole seconds.
    protected override string SourceEmailsColumns =>
        "id, date_trunc('second', received_at), sender, subject, risk_score, category, date_trunc('second', expires_at), features_json->>'len', date_trunc('second', updated_at)";

    protected override async Task<string> WarehouseYamlAsync()
    {
        (_servers, var yaml) = await StartClickHouseAsync();
        return yaml;
    }

    /// <summary>Starts this test's servers and returns them with sluice.yml's warehouse section.</summary>
    protected virtual async Task<(IAsyncDisposable Servers, string Yaml)> StartClickHouseAsync()
    {
        // Schemas are ClickHouse databases, shared by everything on a server: a server per test.
        var server = await Testing.ClickHouseServer.StartPrivateAsync();
        return (server, $"warehouse:\n  type: clickhouse\n  url: {await server.CreateDatabaseAsync("warehouse")}\n");
    }

    protected override async ValueTask DisposeWarehouseEngineAsync()
    {
        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }

    // ClickHouse 18.16 holds dates from 1970 to 2149 and timestamps in whole seconds to 2106;
    // what it has no type for (time, interval, json, bytes) is kept as text, bytes as they are.
    [Fact]
    public override async Task Every_type_round_trips_with_nulls_extremes_and_non_ascii_text()
    {
        await SourceAsync("""
            create type mood as enum ('sad', 'happy', 'très bien');
            create domain score as integer check (value >= 0);
            create table types (
                id int primary key, sm smallint, i integer, bi bigint, n numeric(18,4), nu numeric, r real, d double precision,
                b boolean, t text, vc varchar(20), ch char(5), u uuid, dt date, tm time, ts timestamp, tz timestamptz,
                iv interval, j json, jb jsonb, by bytea, ia integer[], ta text[], m mood, s score, addr inet);
            insert into types values
              (1, -32768, -2147483648, -9223372036854775808, -99999999999999.9999, 123456789.1234567891, -3.4028235e38, -1.7976931348623157e308,
               false, '', 'x', 'ab', '00000000-0000-0000-0000-000000000000', '1970-01-02', '00:00:00', '1970-01-02 00:00:01',
               '1970-01-02 00:00:01+00', '-178000000 years', '{"a": 1}', '{"b": [1, 2]}', '\x00ff', '{1,NULL,3}', '{"x,y","é"}', 'sad', 0, '10.0.0.1'),
              (2, 32767, 2147483647, 9223372036854775807, 99999999999999.9999, -0.000000001, 3.4028235e38, 1.7976931348623157e308,
               true, 'Grüße, 東京 🚀 "quoted" ''single'' and a
            newline', 'ÄÖÜ', 'xyzzy', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '2105-12-31', '23:59:59.999999', '2105-12-31 23:59:59',
               '2105-12-31 23:59:59+00', '1 year 2 months 3 days 04:05:06.789', '[]', '{}', '\xdeadbeef', '{}', '{}', 'très bien', 2147483647, '::1'),
              (3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
            """);
        WriteSource("      - types\n");

        var result = await SyncOneAsync();

        Assert.Equal(SyncStatus.Success, result.Status);
        Assert.Equal(3, result.RowsRead);
        const string Plain = "id, sm, i, bi, n, nu, r, d, t, vc, ch, u, dt, tm, ts, tz, s";
        Assert.Equal(
            await SourceRowsAsync($"select {Plain}, b::int, m::text, addr::text, j::text, jb::text, \"by\", to_jsonb(ia)::text, to_jsonb(ta)::text from types order by id"),
            await WarehouseRowsAsync($"select {Plain}, b, m, addr, j, jb, hex(\"by\"), ia, ta from raw.app__types order by id"));
        Assert.Equal(
            ["-2136000000 months 0 days 0 microseconds", "14 months 3 days 14706789000 microseconds", "NULL"],
            await WarehouseRowsAsync("select iv from raw.app__types order by id"));
        await using var session = await OpenWarehouseAsync();
        var described = (await session.DescribeTableAsync(new Core.Warehouse.TableName("raw", "app__types")))!.Columns.ToDictionary(c => c.Name, c => c.Type.Kind);
        Assert.Equal(Core.Warehouse.ColumnKind.Time, described["tm"]);
        Assert.Equal(Core.Warehouse.ColumnKind.Interval, described["iv"]);
        Assert.Equal(Core.Warehouse.ColumnKind.Binary, described["by"]);
        Assert.Equal(Core.Warehouse.ColumnKind.Timestamp, described["ts"]);
        Assert.Equal(Core.Warehouse.ColumnKind.TimestampTz, described["tz"]);
    }

    [Fact]
    public async Task A_date_before_1970_is_refused_with_the_table_and_column_and_nothing_is_written()
    {
        await SourceAsync("create table old_days (id int primary key, born date); insert into old_days values (1, '2000-01-01'), (2, '1969-12-31');");
        WriteSource("      - old_days\n");

        var result = await SyncOneAsync();

        Assert.Equal(SyncStatus.Failed, result.Status);
        Assert.Contains("born", result.Error);
        Assert.Contains("1969-12-31", result.Error);
        Assert.Contains("1970-01-01", result.Error);
        Assert.True(
            !(await WarehouseTablesAsync("raw")).Contains("app__old_days") || await WarehouseCountAsync("select count() from raw.app__old_days") == 0,
            "no row of the refused load may be in the warehouse");
    }
}

/// <summary>The PostgreSQL → ClickHouse suite on a warehouse sharded across a 2-shard cluster.</summary>
public sealed class PostgresToClickHouseClusterTests : PostgresToClickHouseTests
{
    protected override async Task<(IAsyncDisposable Servers, string Yaml)> StartClickHouseAsync()
    {
        var cluster = await Testing.ClickHouseCluster.StartAsync();
        await cluster.CreateDatabaseAsync("warehouse");
        return (cluster, cluster.WarehouseYaml("warehouse") + "\n");
    }
}
