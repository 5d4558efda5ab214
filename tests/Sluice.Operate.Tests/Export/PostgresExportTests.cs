namespace Sluice.Operate.Tests.Export;

/// <summary>The conformance tests on PostgreSQL, where Sluice writes Parquet itself.</summary>
public sealed class PostgresExportTests(PostgresExportProject project) : ExportConformanceTests<PostgresExportProject>(project);
