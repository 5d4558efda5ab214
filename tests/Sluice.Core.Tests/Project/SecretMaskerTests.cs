using Sluice.Core.Project;

namespace Sluice.Core.Tests.Project;

public class SecretMaskerTests
{
    [Theory]
    [InlineData("postgres://sluice:s3cret@db:5432/analytics", "postgres://sluice:***@db:5432/analytics")]
    [InlineData("failed to reach 'postgresql://u:p@ss:w0rd@h/db' (timeout)", "failed to reach 'postgresql://u:***@h/db' (timeout)")]
    [InlineData("postgres://sluice@db:5432/analytics", "postgres://sluice@db:5432/analytics")]
    [InlineData("postgres://db:5432/analytics", "postgres://db:5432/analytics")]
    [InlineData("Host=db;Username=sluice;Password=s3cret;Database=x", "Host=db;Username=sluice;Password=***;Database=x")]
    [InlineData("host=db pwd = 'two words' port=5", "host=db pwd=*** port=5")]
    [InlineData("no secrets here", "no secrets here")]
    public void Passwords_are_replaced(string text, string expected) => Assert.Equal(expected, SecretMasker.Mask(text));

    [Fact]
    public void Project_names_come_from_folder_names()
    {
        Assert.Equal("shop", ProjectNames.FromFolderName("shop"));
        Assert.Equal("my_shop", ProjectNames.FromFolderName("My Shop"));
        Assert.Equal("_2024_data", ProjectNames.FromFolderName("2024 data"));
        Assert.Equal("sluice_project", ProjectNames.FromFolderName("!!!"));
    }
}
