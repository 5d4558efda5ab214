using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Operate;

/// <summary>Time zones as the operate stage's files write them: IANA names, UTC by default.</summary>
internal static class ZoneSetting
{
    /// <summary>The zone <paramref name="node"/> names, or an error at its line.</summary>
    public static TimeZoneInfo Read(ConfigFile file, YamlNode node, string what)
    {
        var id = file.ReadString(node, what);
        try
        {
            return id is "UTC" or "Etc/UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw file.Error(node, $"{what}: unknown time zone '{id}'; use an IANA name such as UTC, Europe/Berlin or America/New_York (on Linux they come from the tzdata package).");
        }
    }
}
