using Sluice.Core.Project;

namespace Sluice.Models;

/// <summary>A model that cannot be built as configured; the message names the model, its file and what to do.</summary>
public sealed class ModelException(string message, Exception? innerException = null) : SluiceException(message, innerException);
