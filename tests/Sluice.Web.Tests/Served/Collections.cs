using Sluice.Web.Tests.Browser;

// The tests of a collection share a browser and a served project; collections run one after
// another, so that two chromiums and two builds do not share the machine's cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Sluice.Web.Tests.Served;

/// <summary>The ApplyLens operations dashboard's tests: one chromium, one served ApplyLens project.</summary>
[CollectionDefinition(Name)]
public sealed class ApplyLensCollection : ICollectionFixture<BrowserFixture>, ICollectionFixture<ApplyLensServer>
{
    public const string Name = "ApplyLens dashboard";
}

/// <summary>The panel types' tests: one chromium, one served shop project with two API keys.</summary>
[CollectionDefinition(Name)]
public sealed class PanelsCollection : ICollectionFixture<BrowserFixture>, ICollectionFixture<PanelsServer>
{
    public const string Name = "Panel types";
}
