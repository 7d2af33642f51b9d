using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScottPlot;

namespace Unroll.Plots
{
    /// <summary>Pictures of a training run, written as PNG files (atomically: a temporary file renamed into place).</summary>
    public static class TrainingPlots
    {
        /// <summary>
        /// The loss per epoch from <paramref name="history"/>, training and validation (Keras' <c>history.history["loss"]</c> curves),
        /// and, when the run measured accuracy, the accuracies on a right-hand axis.
        /// </summary>
        public static void Curves(History history, string path, int width = 800, int height = 500, string? title = null)
        {
            ArgumentNullException.ThrowIfNull(history);
            ArgumentException.ThrowIfNullOrEmpty(path);
            if (history.Epochs.Count == 0)
                throw new ArgumentException("The history holds no epoch to plot.", nameof(history));
            var plot = new Plot();
            double[] epochs = history.Epochs.Select(e => (double)(e.Epoch + 1)).ToArray();
            Line(plot, epochs, history.Loss, "loss", Colors.C0, right: false);
            if (history.ValidationLoss.Count == epochs.Length && history.ValidationLoss.All(double.IsFinite))
                Line(plot, epochs, history.ValidationLoss, "val_loss", Colors.C1, right: false);
            bool accuracy = history.Accuracy.Count == epochs.Length && history.Accuracy.All(double.IsFinite);
            if (accuracy)
            {
                Line(plot, epochs, history.Accuracy, "accuracy", Colors.C2, right: true);
                if (history.ValidationAccuracy.Count == epochs.Length && history.ValidationAccuracy.All(double.IsFinite))
                    Line(plot, epochs, history.ValidationAccuracy, "val_accuracy", Colors.C3, right: true);
                plot.Axes.Right.Label.Text = "accuracy";
            }
            plot.XLabel("epoch");
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true }; // no epoch 1.5
            plot.YLabel("loss");
            if (title is not null) plot.Title(title);
            plot.ShowLegend(Alignment.UpperCenter);
            Save(plot, path, width, height);
        }

        /// <summary>Named series of values per epoch (1, 2, ...) on one plot: what a custom training loop records, such as a GAN's
        /// discriminator and generator losses; <paramref name="xLabel"/> names the unit when the values are per step or per interval.</summary>
        public static void Lines(IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series, string path, string yLabel = "loss",
            int width = 800, int height = 500, string? title = null, string xLabel = "epoch")
        {
            ArgumentNullException.ThrowIfNull(series);
            ArgumentException.ThrowIfNullOrEmpty(path);
            if (series.Count == 0 || series.Any(s => s.Values.Count == 0))
                throw new ArgumentException("Every series needs at least one value, and there must be one series.", nameof(series));
            var plot = new Plot();
            for (int i = 0; i < series.Count; i++)
            {
                double[] xs = Enumerable.Range(1, series[i].Values.Count).Select(e => (double)e).ToArray();
                Line(plot, xs, series[i].Values, series[i].Name, Colors.Category10[i % 10], right: false);
            }
            plot.XLabel(xLabel);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plot.YLabel(yLabel);
            if (title is not null) plot.Title(title);
            plot.ShowLegend(Alignment.UpperCenter);
            Save(plot, path, width, height);
        }

        /// <summary>
        /// A heat map of <paramref name="matrix"/>: actual classes down, predicted classes across, each cell's count written in it
        /// (sklearn's <c>ConfusionMatrixDisplay</c>).
        /// </summary>
        public static void ConfusionMatrix(ConfusionMatrix matrix, string path, IReadOnlyList<string>? classNames = null, int size = 600, string? title = null)
        {
            ArgumentNullException.ThrowIfNull(matrix);
            ArgumentException.ThrowIfNullOrEmpty(path);
            int n = matrix.ClassCount;
            if (classNames is not null && classNames.Count != n)
                throw new ArgumentException($"{classNames.Count} class names for a matrix of {n} classes.", nameof(classNames));
            var counts = new double[n, n];
            double max = 0;
            for (int a = 0; a < n; a++)
                for (int p = 0; p < n; p++)
                {
                    counts[a, p] = matrix[a, p];
                    max = Math.Max(max, counts[a, p]);
                }
            var plot = new Plot();
            var heatmap = plot.Add.Heatmap(counts);
            heatmap.Colormap = new Reversed(new ScottPlot.Colormaps.Blues()); // white for 0, dark blue for the most, as sklearn draws it
            plot.Add.ColorBar(heatmap);
            // Cell (actual a, predicted p) is centred at x = p, y = n - 1 - a.
            for (int a = 0; a < n; a++)
                for (int p = 0; p < n; p++)
                {
                    var text = plot.Add.Text(matrix[a, p].ToString(CultureInfo.InvariantCulture), p, n - 1 - a);
                    text.LabelAlignment = Alignment.MiddleCenter;
                    text.LabelFontColor = counts[a, p] > max / 2 ? Colors.White : Colors.Black;
                }
            string[] names = Enumerable.Range(0, n).Select(c => classNames?[c] ?? c.ToString(CultureInfo.InvariantCulture)).ToArray();
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, n).Select(p => (double)p).ToArray(), names);
            plot.Axes.Left.SetTicks(Enumerable.Range(0, n).Select(a => (double)(n - 1 - a)).ToArray(), names);
            plot.XLabel("predicted");
            plot.YLabel("actual");
            if (title is not null) plot.Title(title);
            Save(plot, path, size + 120, size);
        }

        /// <summary>
        /// Labelled points on a plane, each group in its own colour: a 2-D projection of embeddings (word vectors after PCA, as the
        /// TensorFlow projector draws them), or any scatter whose points need their names.
        /// </summary>
        /// <param name="points">Each point's group (the legend), label and coordinates.</param>
        /// <param name="path">The PNG file to write.</param>
        /// <param name="xLabel">The horizontal axis' label.</param>
        /// <param name="yLabel">The vertical axis' label.</param>
        /// <param name="width">Pixels across.</param>
        /// <param name="height">Pixels down.</param>
        /// <param name="title">A title above the plot, or none.</param>
        public static void Points(IReadOnlyList<(string Group, string Label, double X, double Y)> points, string path, string xLabel = "x", string yLabel = "y",
            int width = 800, int height = 600, string? title = null)
        {
            ArgumentNullException.ThrowIfNull(points);
            ArgumentException.ThrowIfNullOrEmpty(path);
            if (points.Count == 0)
                throw new ArgumentException("There is no point to plot.", nameof(points));
            foreach (var p in points)
                if (!double.IsFinite(p.X) || !double.IsFinite(p.Y))
                    throw new ArgumentException($"The point '{p.Label}' is at ({p.X}, {p.Y}); coordinates must be finite.", nameof(points));
            var plot = new Plot();
            string[] groups = points.Select(p => p.Group).Distinct().ToArray();
            for (int g = 0; g < groups.Length; g++)
            {
                var members = points.Where(p => p.Group == groups[g]).ToArray();
                var markers = plot.Add.ScatterPoints(members.Select(p => p.X).ToArray(), members.Select(p => p.Y).ToArray());
                markers.LegendText = groups[g];
                markers.Color = Colors.Category10[g % 10];
                markers.MarkerSize = 8;
                foreach (var p in members)
                {
                    var text = plot.Add.Text(p.Label, p.X, p.Y);
                    text.LabelAlignment = Alignment.LowerLeft;
                    text.LabelFontColor = Colors.Category10[g % 10];
                    text.LabelFontSize = 13;
                }
            }
            plot.Axes.Margins(horizontal: 0.15, vertical: 0.1); // room for the labels of the outermost points
            plot.XLabel(xLabel);
            plot.YLabel(yLabel);
            if (title is not null) plot.Title(title);
            plot.ShowLegend(Alignment.UpperRight);
            Save(plot, path, width, height);
        }

        /// <summary>A colormap read from its other end.</summary>
        private sealed class Reversed(IColormap inner) : IColormap
        {
            public string Name => inner.Name + " (reversed)";
            public Color GetColor(double position) => inner.GetColor(1 - position);
        }

        private static void Line(Plot plot, double[] xs, IReadOnlyList<double> ys, string label, Color color, bool right)
        {
            var line = plot.Add.Scatter(xs, ys.ToArray());
            line.LegendText = label;
            line.Color = color;
            line.MarkerSize = xs.Length > 40 ? 0 : 4;
            if (right) line.Axes.YAxis = plot.Axes.Right;
        }

        private static void Save(Plot plot, string path, int width, int height)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
            byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
            AtomicFile.Write(path, stream => stream.Write(png));
        }
    }
}
