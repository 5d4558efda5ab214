using Sluice.Core.Warehouse;

namespace Sluice.Server.Tests;

/// <summary>An observing tenant with its key, and a change of every other tenant's rows that leaves the observer's alone.</summary>
public static class OtherTenants
{
    public const string Observer = "acme";

    /// <summary>Tenants that join the observer's industry.</summary>
    public static readonly string[] NewTenants = ["hooli", "wonka", "stark", "wayne", "tyrell"];

    /// <summary>A key for the observer and an admin key.</summary>
    public static readonly ServeSettings Settings = new()
    {
        HealthPerMinute = 1_000_000,
        ApiKeys = [PreparedProject.Key(Observer, Observer), PreparedProject.Key("ops", null)],
    };

    // Every tenant but the observer changes: scores move, rows go and come, a tenant changes industry,
    // new tenants join the observer's industry, another tenant gets a doctor the observer lacks.
    public static async Task ChangeAsync(IWarehouseSession session)
    {
        await session.ExecuteAsync($"update raw.scores set score = score + 17 where company_id <> '{Observer}'");
        await session.ExecuteAsync($"delete from raw.scores where company_id <> '{Observer}' and id % 3 = 0");
        for (var i = 0; i < NewTenants.Length; i++)
        {
            var offset = (i + 1) * 100_000;
            await session.ExecuteAsync($"insert into raw.scores select id + {offset}, '{NewTenants[i]}', program, dimension, created_at, score * 0.5 + {i * 7}, 'new tenant' from raw.scores where company_id = '{Observer}'");
            await session.ExecuteAsync($"insert into raw.companies values ('{NewTenants[i]}', 'tech', '{(i % 2 == 0 ? "eu" : "us")}', 'small')");
        }

        await session.ExecuteAsync("update raw.companies set industry = 'finance' where company_id = 'umbrella'");
        await session.ExecuteAsync("delete from raw.events where company_id = 'globex' and channel = 'web'");
        await session.ExecuteAsync($"insert into raw.events select user_id || '-x', 'initech', event_name, occurred_at, channel from raw.events where company_id = '{Observer}'");
        await session.ExecuteAsync($"update raw.appointments set fee = fee + 100 where company_id <> '{Observer}'");
        await session.ExecuteAsync($"insert into raw.appointments select id + 10000, 'globex', patient_id, appointment_status, 'Dr Zed', appointment_date, fee, replace(note, '{Observer}', 'globex') from raw.appointments where company_id = '{Observer}'");
    }
}
