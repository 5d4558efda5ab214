using Sluice.Web.Tests.Browser;

namespace Sluice.Web.Tests.Served;

/// <summary>The pipeline pages' tests over a project with history: one chromium, one served <see cref="PipelineServer"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PipelineCollection : ICollectionFixture<BrowserFixture>, ICollectionFixture<PipelineServer>
{
    public const string Name = "Pipeline pages";
}
