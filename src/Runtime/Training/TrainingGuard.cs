using System;
using System.Threading;

namespace Unroll
{
    /// <summary>
    /// Detects one model's training members used from two threads at once. A generated model's training members (Forward, Backward,
    /// BackwardFrom, ApplyGradients, TrainStep, Fit's steps, Load) share its activations, gradients and optimizer state, so they are
    /// single-threaded: each enters the guard, and a call from a second thread while another is inside throws an
    /// <see cref="InvalidOperationException"/> before it touches anything, instead of corrupting the model. Calls on the same thread
    /// nest (TrainStep calls Forward). <c>Predict</c> does not enter it: it may be called from any number of threads.
    /// </summary>
    public sealed class TrainingGuard
    {
        private readonly string _model;
        private int _owner; // the managed thread id inside a training member, 0 when none
        private int _depth;
        private string? _member;

        /// <summary>A guard for the model class <paramref name="model"/> (named in messages).</summary>
        public TrainingGuard(string model) => _model = model ?? throw new ArgumentNullException(nameof(model));

        /// <summary>Enters <paramref name="member"/>; dispose the scope on the way out (<c>using var scope = guard.Enter(...)</c>).</summary>
        /// <exception cref="InvalidOperationException">Another thread is inside a training member of the same model.</exception>
        public Scope Enter(string member)
        {
            int me = Environment.CurrentManagedThreadId;
            int owner = Interlocked.CompareExchange(ref _owner, me, 0);
            if (owner != 0 && owner != me)
                throw new InvalidOperationException(
                    $"{_model}.{member} was called on thread {me} while {_member ?? "a training member"} runs on thread {owner}. A model's training members " +
                    "(Forward, Backward, BackwardFrom, ApplyGradients, TrainStep, Fit, Load, SetParameters) are single-threaded: train an instance on one thread at a " +
                    "time. Predict may be called from any number of threads, but not while the weights change.");
            if (_depth++ == 0) _member = member;
            return new Scope(this);
        }

        private void Exit()
        {
            if (--_depth == 0)
            {
                _member = null;
                Volatile.Write(ref _owner, 0);
            }
        }

        /// <summary>The time a thread spends inside a training member; disposing it leaves the guard.</summary>
        public readonly struct Scope : IDisposable
        {
            private readonly TrainingGuard? _guard;

            internal Scope(TrainingGuard guard) => _guard = guard;

            /// <summary>Leaves the guard.</summary>
            public void Dispose() => _guard?.Exit();
        }
    }
}
