using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace Unroll
{
    /// <summary>Where a <c>Fit</c> is, reported after every batch through <see cref="FitOptions.Progress"/> (for a GUI's progress bar).</summary>
    /// <param name="Epoch">The 0-based epoch.</param>
    /// <param name="EpochCount">Epochs asked for.</param>
    /// <param name="Batch">Batches done in this epoch (1-based: the batch just trained).</param>
    /// <param name="BatchCount">Batches per epoch.</param>
    /// <param name="Loss">The mean loss per sample over the epoch's batches so far.</param>
    /// <param name="Accuracy">The training accuracy so far, NaN when there is none.</param>
    /// <param name="Elapsed">Time since the epoch began.</param>
    /// <param name="Remaining">The epoch's estimated remaining time, from its pace so far.</param>
    public readonly record struct TrainingProgress(int Epoch, int EpochCount, int Batch, int BatchCount, double Loss, double Accuracy,
        TimeSpan Elapsed, TimeSpan Remaining);

    /// <summary>
    /// Keras' console output for <see cref="FitOptions.Verbose"/>: 1 draws a bar per epoch, redrawn in place at most every 100 ms
    /// (<c>12/50 [=======&gt;......] - ETA: 3s - loss: 0.4123</c>), 2 writes one line per epoch. When the output is not an interactive
    /// console (redirected to a file or a CI log), verbosity 1 writes only each epoch's finished bar, so logs stay readable.
    /// </summary>
    internal sealed class ProgressPrinter
    {
        private const int Width = 30;
        private readonly TextWriter _output;
        private readonly int _verbose;
        private readonly bool _interactive;
        private long _lastDraw;

        public ProgressPrinter(int verbose, TextWriter? output)
        {
            _verbose = verbose;
            _output = output ?? Console.Out;
            _interactive = output is null && !Console.IsOutputRedirected;
        }

        public void EpochBegin(int epoch, int epochCount)
        {
            if (_verbose == 1) _output.WriteLine($"Epoch {epoch + 1}/{epochCount}");
            _lastDraw = 0;
        }

        public void Batch(in TrainingProgress p)
        {
            if (_verbose != 1 || !_interactive || p.Batch == p.BatchCount) return;
            long now = Environment.TickCount64;
            if (now - _lastDraw < 100) return; // the bar is redrawn at most ten times a second: no formatting per batch
            _lastDraw = now;
            _output.Write("\r" + Bar(p.Batch, p.BatchCount) + " - ETA: " + Seconds(p.Remaining) + Metrics(p.Loss, p.Accuracy, null, null));
            _output.Flush();
        }

        public void EpochEnd(EpochLog log, int batchCount)
        {
            if (_verbose == 1)
            {
                double perStep = log.Elapsed.TotalMilliseconds / Math.Max(1, batchCount);
                _output.WriteLine((_interactive ? "\r" : "") + Bar(batchCount, batchCount) + " - " + Seconds(log.Elapsed) + " "
                    + perStep.ToString("F0", CultureInfo.InvariantCulture) + "ms/step" + Metrics(log.Loss, log.Accuracy, log.ValidationLoss, log.ValidationAccuracy) + MetricsOf(log));
            }
            else if (_verbose == 2)
            {
                _output.WriteLine(log.ToString());
            }
        }

        /// <summary><c>12/50 [=======&gt;......................]</c>, with the count right-aligned to the total's width.</summary>
        internal static string Bar(int done, int total)
        {
            var text = new StringBuilder();
            string count = done.ToString(CultureInfo.InvariantCulture).PadLeft(total.ToString(CultureInfo.InvariantCulture).Length);
            text.Append(count).Append('/').Append(total.ToString(CultureInfo.InvariantCulture)).Append(" [");
            int filled = total == 0 ? Width : (int)((long)Width * done / total);
            for (int i = 0; i < Width; i++)
                text.Append(i < filled - 1 || (i == filled - 1 && done == total) ? '=' : i == filled - 1 ? '>' : '.');
            return text.Append(']').ToString();
        }

        private static string MetricsOf(EpochLog log)
        {
            if (log.Metrics.Count == 0) return "";
            var text = new StringBuilder();
            log.AppendMetrics(text);
            return text.ToString();
        }

        private static string Seconds(TimeSpan t) => Math.Round(t.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture) + "s";

        private static string Metrics(double loss, double accuracy, double? validationLoss, double? validationAccuracy)
        {
            CultureInfo inv = CultureInfo.InvariantCulture;
            var text = new StringBuilder();
            text.Append(" - loss: ").Append(loss.ToString("F4", inv));
            if (!double.IsNaN(accuracy)) text.Append(" - accuracy: ").Append(accuracy.ToString("F4", inv));
            if (validationLoss is double vl) text.Append(" - val_loss: ").Append(vl.ToString("F4", inv));
            if (validationAccuracy is double va && !double.IsNaN(va)) text.Append(" - val_accuracy: ").Append(va.ToString("F4", inv));
            return text.ToString();
        }
    }
}
