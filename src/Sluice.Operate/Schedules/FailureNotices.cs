using Sluice.Operate.Notify;

namespace Sluice.Operate.Schedules;

/// <summary>
/// Tells a schedule's <c>notify</c> channels when one of its runs fails or times out after its
/// last attempt. Sending happens in the background, so that a slow or unreachable receiver never
/// holds the scheduler; a failed delivery is recorded by the notifier and never fails the job.
/// </summary>
public sealed class FailureNotices(string project, IReadOnlyList<Schedule> schedules, IReadOnlyList<NotificationChannel> channels, Notifier notifier)
{
    private readonly Lock _gate = new();
    private readonly List<Task> _sending = [];

    /// <summary>Looks at a schedule's event; a failure of a schedule with channels to notify is sent.</summary>
    public void Observe(ScheduleEvent e)
    {
        if (e.Kind is not (ScheduleEventKind.Failed or ScheduleEventKind.TimedOut)
            || schedules.FirstOrDefault(s => s.Name == e.Schedule) is not { Notify.Count: > 0 } schedule)
        {
            return;
        }

        var notification = Notifications.JobFailed(project, e);
        var to = channels.Where(c => schedule.Notify.Contains(c.Name)).ToList();
        lock (_gate)
        {
            _sending.RemoveAll(t => t.IsCompleted);
            _sending.Add(Task.Run(() => notifier.SendAsync(notification, to)));
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the notifications being sent, when stopping.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        Task[] sending;
        lock (_gate)
        {
            sending = [.. _sending];
        }

        try
        {
            await Task.WhenAll(sending).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // What was not delivered by now is left unrecorded; the stop does not wait longer.
        }
    }
}
