using System;

namespace Unroll
{
    /// <summary>Which way a monitored value should move, as Keras decides it: losses down, accuracies up, unless a mode says otherwise.</summary>
    internal static class Monitored
    {
        public static void Check(string monitor)
        {
            if (monitor is not ("loss" or "val_loss" or "accuracy" or "val_accuracy"))
                throw new ArgumentException($"Cannot monitor '{monitor}'; expected \"loss\", \"val_loss\", \"accuracy\" or \"val_accuracy\".", nameof(monitor));
        }

        public static bool Minimizing(string monitor, MonitorMode mode) => mode switch
        {
            MonitorMode.Min => true,
            MonitorMode.Max => false,
            _ => !monitor.EndsWith("accuracy", StringComparison.Ordinal),
        };

        /// <summary>Whether <paramref name="current"/> beats <paramref name="best"/> by more than |<paramref name="minDelta"/>|.</summary>
        public static bool Improves(double current, double best, bool minimizing, double minDelta) =>
            minimizing ? current < best - Math.Abs(minDelta) : current > best + Math.Abs(minDelta);
    }
}
