namespace Sluice.Checks;

/// <summary>A check that cannot run as declared; the message names the file, line and what to fix.</summary>
public sealed class CheckException(string message, Exception? innerException = null) : Exception(message, innerException);
