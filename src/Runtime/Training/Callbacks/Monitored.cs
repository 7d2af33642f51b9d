using System;

namespace Unroll
{
    /// <summary>Which way a monitored value should move, as Keras decides it: losses down, accuracies up, unless a mode says otherwise.</summary>
    internal static class Monitored
    {
        public static void Check(string monitor)
        {
            if (monitor is "loss" or "val_loss" or "accuracy" or "val_accuracy") return;
            string? metric = monitor is not null && monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor.Substring(4) : monitor;
            if (Metric.NameProblem(metric) is not null)
            {
                throw new ArgumentException(
                    $"Cannot monitor '{monitor}'; expected \"loss\", \"val_loss\", \"accuracy\", \"val_accuracy\", or the name of a metric of FitOptions.Metrics (with \"val_\" for its validation value).",
                    nameof(monitor));
            }
        }

        /// <summary>Keras' <c>mode="auto"</c>: losses and errors (names ending in loss, mae, mse, rmse or error) go down, everything else
        /// (accuracies, F1, AUC, R²) up.</summary>
        public static bool Minimizing(string monitor, MonitorMode mode) => mode switch
        {
            MonitorMode.Min => true,
            MonitorMode.Max => false,
            _ => monitor.EndsWith("loss", StringComparison.Ordinal) || monitor.EndsWith("mae", StringComparison.Ordinal)
                || monitor.EndsWith("mse", StringComparison.Ordinal) || monitor.EndsWith("error", StringComparison.Ordinal),
        };

        /// <summary>Whether <paramref name="current"/> beats <paramref name="best"/> by more than |<paramref name="minDelta"/>|.</summary>
        public static bool Improves(double current, double best, bool minimizing, double minDelta) =>
            minimizing ? current < best - Math.Abs(minDelta) : current > best + Math.Abs(minDelta);
    }
}
