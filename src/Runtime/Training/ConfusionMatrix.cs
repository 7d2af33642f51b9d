using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text;

namespace Unroll
{
    /// <summary>
    /// Counts of (actual class, predicted class) pairs: row = actual, column = predicted, as
    /// scikit-learn <c>confusion_matrix(y_true, y_pred)</c> and <c>torchmetrics.ConfusionMatrix</c>.
    /// </summary>
    public sealed class ConfusionMatrix
    {
        private readonly int[] _counts;

        /// <summary>An empty matrix for <paramref name="classCount"/> classes.</summary>
        public ConfusionMatrix(int classCount)
        {
            if (classCount <= 0)
                throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "The class count must be positive.");
            ClassCount = classCount;
            _counts = new int[classCount * classCount];
        }

        /// <summary>Number of classes (rows and columns).</summary>
        public int ClassCount { get; }

        /// <summary>Number of samples counted.</summary>
        public int Total { get; private set; }

        /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
        public int this[int actual, int predicted]
        {
            get
            {
                CheckClass(actual, nameof(actual));
                CheckClass(predicted, nameof(predicted));
                return _counts[actual * ClassCount + predicted];
            }
        }

        /// <summary>Counts one sample.</summary>
        public void Add(int actual, int predicted)
        {
            CheckClass(actual, nameof(actual));
            CheckClass(predicted, nameof(predicted));
            _counts[actual * ClassCount + predicted]++;
            Total++;
        }

        /// <summary>Adds every count of <paramref name="other"/> (e.g. to sum the matrices of several held-out splits).</summary>
        /// <exception cref="ArgumentException">The two matrices have different class counts.</exception>
        public void Add(ConfusionMatrix other)
        {
            ArgumentNullException.ThrowIfNull(other);
            if (other.ClassCount != ClassCount)
                throw new ArgumentException($"Cannot add a {other.ClassCount}-class confusion matrix to a {ClassCount}-class one.", nameof(other));
            TensorPrimitives.Add(_counts, other._counts, _counts);
            Total += other.Total;
        }

        /// <summary>Resets every count to 0.</summary>
        public void Clear()
        {
            Array.Clear(_counts);
            Total = 0;
        }

        /// <summary>The fraction of samples on the diagonal (sklearn <c>accuracy_score</c>); NaN when nothing was counted.</summary>
        public double Accuracy
        {
            get
            {
                if (Total == 0) return double.NaN;
                long diagonal = 0;
                for (int c = 0; c < ClassCount; c++) diagonal += _counts[c * ClassCount + c];
                return (double)diagonal / Total;
            }
        }

        /// <summary>Of the samples of class <paramref name="c"/>, the fraction predicted as <paramref name="c"/> (sklearn <c>recall_score(average=None)[c]</c>); NaN when the class has no samples.</summary>
        public double Recall(int c)
        {
            CheckClass(c, nameof(c));
            long row = 0;
            for (int p = 0; p < ClassCount; p++) row += _counts[c * ClassCount + p];
            return row == 0 ? double.NaN : (double)_counts[c * ClassCount + c] / row;
        }

        /// <summary>Of the samples predicted as <paramref name="c"/>, the fraction that are <paramref name="c"/> (sklearn <c>precision_score(average=None)[c]</c>); NaN when nothing was predicted as <paramref name="c"/>.</summary>
        public double Precision(int c)
        {
            CheckClass(c, nameof(c));
            long column = 0;
            for (int a = 0; a < ClassCount; a++) column += _counts[a * ClassCount + c];
            return column == 0 ? double.NaN : (double)_counts[c * ClassCount + c] / column;
        }

        /// <summary>The samples whose actual class is <paramref name="c"/> (sklearn's <c>support</c>).</summary>
        public int Support(int c)
        {
            CheckClass(c, nameof(c));
            int row = 0;
            for (int p = 0; p < ClassCount; p++) row += _counts[c * ClassCount + p];
            return row;
        }

        /// <summary>The F1 score of class <paramref name="c"/>, 2·tp / (2·tp + fp + fn) (sklearn <c>f1_score(average=None)[c]</c>); 0 when the
        /// class was neither present nor predicted (sklearn's <c>zero_division=0</c>).</summary>
        public double F1(int c)
        {
            CheckClass(c, nameof(c));
            long tp = _counts[c * ClassCount + c], fp = 0, fn = 0;
            for (int o = 0; o < ClassCount; o++)
            {
                if (o == c) continue;
                fp += _counts[o * ClassCount + c];
                fn += _counts[c * ClassCount + o];
            }
            long denominator = 2 * tp + fp + fn;
            return denominator == 0 ? 0 : 2.0 * tp / denominator;
        }

        /// <summary>Precision, recall and F1 averaged over the classes that occur as actual or predicted, each class counting once
        /// (sklearn <c>average="macro"</c>); an undefined precision or recall counts as 0 (sklearn's <c>zero_division=0</c>).</summary>
        public (double Precision, double Recall, double F1) Macro => Average(weighted: false);

        /// <summary>As <see cref="Macro"/>, each class weighted by its <see cref="Support"/> (sklearn <c>average="weighted"</c>).</summary>
        public (double Precision, double Recall, double F1) Weighted => Average(weighted: true);

        private (double, double, double) Average(bool weighted)
        {
            double p = 0, r = 0, f = 0, total = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                long column = 0;
                for (int a = 0; a < ClassCount; a++) column += _counts[a * ClassCount + c];
                int support = Support(c);
                if (support == 0 && column == 0) continue; // absent from both: sklearn leaves it out of the labels
                double weight = weighted ? support : 1;
                p += weight * (column == 0 ? 0 : Precision(c));
                r += weight * (support == 0 ? 0 : Recall(c));
                f += weight * F1(c);
                total += weight;
            }
            return total == 0 ? (double.NaN, double.NaN, double.NaN) : (p / total, r / total, f / total);
        }

        /// <summary>The table with class indices as names.</summary>
        public override string ToString() => ToString(null);

        /// <summary>
        /// An aligned text table: one row per actual class, one column per predicted class, each headed by its name
        /// (or its index when <paramref name="classNames"/> is <see langword="null"/>). Lines end with <c>\n</c>.
        /// </summary>
        public string ToString(IReadOnlyList<string>? classNames)
        {
            if (classNames is not null && classNames.Count != ClassCount)
                throw new ArgumentException($"Expected {ClassCount} class names, got {classNames.Count}.", nameof(classNames));
            var names = new string[ClassCount];
            for (int c = 0; c < ClassCount; c++)
                names[c] = classNames?[c] ?? c.ToString(CultureInfo.InvariantCulture);

            const string corner = "actual \\ predicted";
            int labelWidth = corner.Length;
            foreach (string name in names) labelWidth = Math.Max(labelWidth, name.Length);
            var widths = new int[ClassCount];
            for (int p = 0; p < ClassCount; p++)
            {
                widths[p] = names[p].Length;
                for (int a = 0; a < ClassCount; a++)
                    widths[p] = Math.Max(widths[p], _counts[a * ClassCount + p].ToString(CultureInfo.InvariantCulture).Length);
            }

            var text = new StringBuilder();
            text.Append(corner.PadRight(labelWidth));
            for (int p = 0; p < ClassCount; p++) text.Append("  ").Append(names[p].PadLeft(widths[p]));
            text.Append('\n');
            for (int a = 0; a < ClassCount; a++)
            {
                text.Append(names[a].PadRight(labelWidth));
                for (int p = 0; p < ClassCount; p++)
                    text.Append("  ").Append(_counts[a * ClassCount + p].ToString(CultureInfo.InvariantCulture).PadLeft(widths[p]));
                text.Append('\n');
            }
            return text.ToString();
        }

        private void CheckClass(int c, string name)
        {
            if ((uint)c >= (uint)ClassCount)
                throw new ArgumentOutOfRangeException(name, c, $"Expected a class in [0, {ClassCount}).");
        }
    }
}
