using System.Text;

namespace Sluice.Core.Project;

/// <summary>Project names: what sluice.yml accepts, and the default made from a folder's name.</summary>
public static class ProjectNames
{
    /// <summary>
    /// A valid project name made from a folder name: lower case, runs of other characters
    /// become one '_', and a name that would start with a digit gets a leading '_'.
    /// </summary>
    public static string FromFolderName(string folder)
    {
        var name = new StringBuilder(folder.Length);
        foreach (var c in folder.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            {
                name.Append(c);
            }
            else if (name.Length > 0 && name[^1] != '_')
            {
                name.Append('_');
            }
        }

        var result = name.ToString().Trim('_', '-');
        if (result.Length == 0)
        {
            return "sluice_project";
        }

        return char.IsAsciiDigit(result[0]) ? "_" + result : result;
    }
}
