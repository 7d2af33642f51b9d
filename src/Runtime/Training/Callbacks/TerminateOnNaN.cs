using System;

namespace Unroll
{
    /// <summary>
    /// Ends training quietly when a batch's loss is NaN or infinite (Keras <c>TerminateOnNaN</c>). Without it such a step throws
    /// <see cref="NonFiniteLossException"/> out of <c>Fit</c>; with it <c>Fit</c> returns the history so far, with
    /// <see cref="History.StoppedEpoch"/> set, and the weights of the last good step (the bad step never updates them).
    /// </summary>
    public sealed class TerminateOnNaN : ICallback
    {
        /// <summary>Where training ended: the 0-based epoch and batch of the non-finite loss, or <see langword="null"/>.</summary>
        public (int Epoch, int Batch)? StoppedAt { get; internal set; }

        /// <summary>The exception the step threw, or <see langword="null"/>.</summary>
        public NonFiniteLossException? Cause { get; internal set; }

        /// <inheritdoc/>
        public void OnTrainBegin(ITrainableModel model)
        {
            StoppedAt = null;
            Cause = null;
        }

        /// <inheritdoc/>
        public bool OnEpochEnd(ITrainableModel model, EpochLog log) => false;

        /// <inheritdoc/>
        public void OnTrainEnd(ITrainableModel model, History history) { }
    }

    /// <summary>A training step's loss was NaN or infinite, so the parameters were not updated. The message says which step and what
    /// to look at.</summary>
    public sealed class NonFiniteLossException : InvalidOperationException
    {
        /// <summary>Creates the exception with its message.</summary>
        public NonFiniteLossException(string message) : base(message) { }
    }
}
