using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Sluice.Operate.Notify;

/// <summary>
/// One run of a command channel's program: the body on its standard input, its exit code the
/// outcome. It runs without a shell, so no word of the command is ever interpreted. Cancelled
/// (by the channel's timeout, or the caller) it is killed with its children.
/// </summary>
internal static class CommandDelivery
{
    // What a failure keeps of the program's error output (or its standard output, when the error output is empty).
    private const int TailChars = 500;

    public static async Task<AttemptOutcome> RunAsync(CommandChannel channel, byte[] body, CancellationToken cancellationToken)
    {
        var program = channel.Command[0];
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = channel.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in channel.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("the program did not start");
        }
        catch (Win32Exception e)
        {
            // A missing or non-executable program does not mend by trying again.
            return AttemptOutcome.Failure($"`{Path.GetFileName(program)}` could not be started: {e.Message.TrimEnd('.')}; check the channel's command", retryable: false);
        }

        using (process)
        {
            var output = TailAsync(process.StandardOutput);
            var errors = TailAsync(process.StandardError);
            try
            {
                try
                {
                    await process.StandardInput.BaseStream.WriteAsync(body, cancellationToken);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // It exited without reading its input; its exit code says whether that was fine.
                }

                await process.WaitForExitAsync(cancellationToken);
                if (process.ExitCode == 0)
                {
                    // Its output is not needed, and a child it left running may hold the pipes open.
                    return AttemptOutcome.Success(exitCode: 0);
                }

                // The wait for the output to end is bounded by the timeout, for the same reason.
                var tail = (await errors.WaitAsync(cancellationToken)).Trim();
                if (tail.Length == 0)
                {
                    tail = (await output.WaitAsync(cancellationToken)).Trim();
                }

                return AttemptOutcome.Failure(
                    $"`{Path.GetFileName(program)}` exited with code {process.ExitCode}{(tail.Length > 0 ? $": {tail}" : string.Empty)}",
                    retryable: true,
                    exitCode: process.ExitCode);
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                throw;
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // It exited meanwhile.
        }
    }

    // Reads a stream to its end, keeping only its last characters.
    private static async Task<string> TailAsync(StreamReader reader)
    {
        var tail = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > 4 * TailChars)
            {
                tail.Remove(0, tail.Length - TailChars);
            }
        }

        var text = tail.ToString();
        return text.Length <= TailChars ? text : "…" + text[^TailChars..];
    }
}
