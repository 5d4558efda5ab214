using Sluice.Core.Project;
using Sluice.Operate.Export;

namespace Sluice.Operate.Tests.Export;

/// <summary>The conformance tests on DuckDB, and what does not depend on the engine: the export folder and planning.</summary>
public sealed class DuckDbExportTests(DuckDbExportProject project) : ExportConformanceTests<DuckDbExportProject>(project)
{
    private readonly DuckDbExportProject _project = project;

    [Fact]
    public async Task Temp_files_a_killed_export_left_are_removed_by_the_next_and_other_files_are_kept()
    {
        using var folder = new TempFolder();
        var leftover = folder.Write(".tenants.jsonl.0123456789abcdef.tmp", "{\"half\":");
        var unrelated = folder.Write(".notes.tmp", "mine");
        var other = folder.Write("readme.txt", "mine too");

        await _project.ExportAsync(folder.Path, ExportFormat.Jsonl, null, "tenants");

        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(unrelated) && File.Exists(other));
        Assert.True(File.Exists(Path.Combine(folder.Path, "tenants.jsonl")));
    }

    [Fact]
    public async Task A_folder_that_another_export_is_writing_is_refused()
    {
        using var folder = new TempFolder();
        using var held = new FileStream(Path.Combine(folder.Path, ".sluice-export.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var error = await Assert.ThrowsAsync<SluiceException>(() => _project.ExportAsync(folder.Path, ExportFormat.Jsonl, null, "tenants"));

        Assert.Equal($"--out {folder.Path} is being written by another sluice export (it holds .sluice-export.lock); wait for that export to finish, or export to another folder.", error.Message);
        Assert.False(File.Exists(Path.Combine(folder.Path, "tenants.jsonl")));
    }

    [Fact]
    public async Task An_out_folder_that_cannot_be_created_is_a_configuration_error_naming_the_file_in_the_way()
    {
        using var folder = new TempFolder();
        var file = folder.Write("taken", "a file");

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => _project.ExportAsync(Path.Combine(file, "exports"), ExportFormat.Jsonl, null, "tenants"));

        Assert.Equal($"--out {file}/exports: the folder cannot be created ({file} is a file, not a folder); give a folder you can write to.", error.Message);
    }

    [Fact]
    public void A_seed_without_a_unique_key_is_refused_with_where_to_set_one_and_ephemeral_models_are_skipped()
    {
        var plan = _project.Plan(new ExportRequest("/unused", ExportFormat.Csv), "sales", "helper");

        var sales = plan.Targets.Single();
        Assert.Equal("sales.csv", sales.FileName);
        Assert.Empty(sales.KeyColumns);
        Assert.Equal("seed 'sales' (seeds/sales.csv) has no unique_key, so its rows have no stable _id; add unique_key naming the column or columns that identify a row for it under seeds: in sluice.yml or dbt_project.yml (+unique_key: …), then export again.", sales.Refusal);
        Assert.Equal("helper", plan.Skipped.Single().Name);
    }

    [Fact]
    public void A_selection_of_only_ephemeral_models_is_a_configuration_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => _project.Plan(new ExportRequest("/unused", ExportFormat.Jsonl), "helper"));

        Assert.StartsWith("the selection holds no model with a table or view to export (helper: ephemeral models have no table or view", error.Message, StringComparison.Ordinal);
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("sluice-export-folder-").FullName;

        public string Write(string name, string text)
        {
            var path = System.IO.Path.Combine(Path, name);
            File.WriteAllText(path, text);
            return path;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
