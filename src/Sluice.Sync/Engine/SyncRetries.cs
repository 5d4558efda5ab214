using Polly;
using Polly.Retry;
using Sluice.Core.Project;

namespace Sluice.Sync.Engine;

/// <summary>
/// Retries a table's sync after transient failures (a reset connection, a restarting server).
/// Each attempt starts from the state the last committed batch left, so a retry resumes rather
/// than repeats.
/// </summary>
internal static class SyncRetries
{
    public static ResiliencePipeline Create(SyncOptions options, ISyncObserver observer, string table) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<SluiceException>(IsTransient),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = arguments =>
                {
                    observer.Warning(
                        $"{table}: {SecretMasker.Mask(arguments.Outcome.Exception?.Message ?? "transient failure")} — retry {arguments.AttemptNumber + 1} of {options.MaxRetries} in {arguments.RetryDelay.TotalSeconds:0.#}s.");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private static bool IsTransient(SluiceException exception) => exception switch
    {
        SourceException source => source.IsTransient && !source.IsUserFault,
        WarehouseException warehouse => warehouse.IsTransient,
        _ => false,
    };
}
