namespace Sluice.Warehouses.ClickHouse;

/// <summary>The time zones ClickHouse names (IANA names such as Europe/Berlin, Etc/UTC), as .NET finds them.</summary>
internal static class ClickHouseTimeZones
{
    /// <summary>The zone of a name; UTC for UTC's many names, and an error naming it when this machine does not know it.</summary>
    public static TimeZoneInfo Find(string name)
    {
        if (name is "UTC" or "Etc/UTC" or "UCT" or "Etc/UCT" or "Universal" or "Zulu" or "GMT" or "Etc/GMT")
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new Core.Project.WarehouseException($"ClickHouse reports times in the time zone '{name}', which this machine does not know; install its time zone data (Debian: tzdata).", e);
        }
    }
}
