using System;

namespace Unroll
{
    /// <summary>
    /// An in-memory table of samples: <see cref="Count"/> rows of <see cref="FeatureCount"/> floats, with either one
    /// integer class label per row (<see cref="Labels"/>) or <see cref="TargetWidth"/> float targets per row
    /// (<see cref="Targets"/>). The arrays are row-major and are used as given, without copying. A data set of token ids
    /// (<see cref="WithTokenIds(int[], int, int[], int)"/>) keeps them as integers in <see cref="TokenIds"/>, ready for a token model's
    /// <c>Predict</c>.
    /// The counterpart of the <c>(x, y)</c> NumPy pair passed to Keras <c>fit</c>, or of a PyTorch <c>TensorDataset</c>.
    /// </summary>
    public sealed class Dataset
    {
        private Dataset(float[] features, int featureCount, int count, int[]? labels, int classCount, float[]? targets, int targetWidth,
            float[]? sampleWeights = null, int[]? tokenIds = null)
        {
            TokenIds = tokenIds;
            SampleWeights = sampleWeights;
            Features = features;
            FeatureCount = featureCount;
            Count = count;
            Labels = labels;
            ClassCount = classCount;
            Targets = targets;
            TargetWidth = targetWidth;
        }

        /// <summary>Number of rows (samples).</summary>
        public int Count { get; }

        /// <summary>Floats per row of <see cref="Features"/>.</summary>
        public int FeatureCount { get; }

        /// <summary>Number of classes the labels index into; 0 for a data set with float targets.</summary>
        public int ClassCount { get; }

        /// <summary>The features, row-major: row <c>r</c> is <c>Features[r * FeatureCount .. (r + 1) * FeatureCount]</c>.</summary>
        public float[] Features { get; }

        /// <summary>One class label in [0, <see cref="ClassCount"/>) per row, or <see langword="null"/> for a data set with float targets.</summary>
        public int[]? Labels { get; }

        /// <summary>The float targets, row-major with <see cref="TargetWidth"/> per row, or <see langword="null"/> for a labelled data set.</summary>
        public float[]? Targets { get; }

        /// <summary>Floats per row of <see cref="Targets"/>; 0 for a labelled data set.</summary>
        public int TargetWidth { get; }

        /// <summary>The token ids of a data set made by <c>WithTokenIds</c>, row-major with <see cref="FeatureCount"/> per row (pass them, or a
        /// row's <see cref="TokenRow"/>, to a token model's <c>Predict</c>); <see langword="null"/> for a data set of float features.
        /// <see cref="Features"/> then holds the same ids as floats (exact: ids are below 2^24), which the untyped training loop reads.</summary>
        public int[]? TokenIds { get; }

        /// <summary>Whether the rows are token ids (<see cref="TokenIds"/>) rather than float features.</summary>
        public bool HasTokenIds => TokenIds is not null;

        /// <summary>The token ids of one row.</summary>
        /// <exception cref="InvalidOperationException">The data set holds float features.</exception>
        public ReadOnlySpan<int> TokenRow(int row)
        {
            if (TokenIds is null)
                throw new InvalidOperationException("This data set holds float features, not token ids; read Row(row), or build it with Dataset.WithTokenIds.");
            if ((uint)row >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(row), row, $"The data set has {Count} rows.");
            return TokenIds.AsSpan(row * FeatureCount, FeatureCount);
        }

        /// <summary>
        /// A labelled data set of token ids: <paramref name="tokensPerRow"/> ids per row (padded sequences, e.g. from <c>Sequences.Pad</c>)
        /// and one label in [0, <paramref name="classCount"/>) per row. The ids are kept as integers (<see cref="TokenIds"/>, not copied) and
        /// once as floats for training. Keras <c>fit(x, y)</c> with an integer <c>x</c>; PyTorch a <c>TensorDataset</c> of a <c>long</c> tensor.
        /// </summary>
        /// <exception cref="ArgumentException">The lengths disagree, an id is negative or not below 2^24, or a label is out of range (the message names the row).</exception>
        public static Dataset WithTokenIds(int[] tokenIds, int tokensPerRow, int[] labels, int classCount)
        {
            float[] features = TokenFeatures(tokenIds, tokensPerRow, labels?.Length ?? 0);
            Dataset labelled = WithLabels(features, tokensPerRow, labels!, classCount);
            return new Dataset(features, tokensPerRow, labelled.Count, labels, classCount, null, 0, null, tokenIds);
        }

        /// <summary>A data set of token ids with <paramref name="targetWidth"/> float targets per row (0/1 targets for a sigmoid output,
        /// one-hot rows); otherwise as <see cref="WithTokenIds(int[], int, int[], int)"/>.</summary>
        /// <exception cref="ArgumentException">The lengths disagree, or an id is negative or not below 2^24 (the message names the row).</exception>
        public static Dataset WithTokenIds(int[] tokenIds, int tokensPerRow, float[] targets, int targetWidth)
        {
            ArgumentNullException.ThrowIfNull(targets);
            if (targetWidth <= 0)
                throw new ArgumentOutOfRangeException(nameof(targetWidth), targetWidth, "The target width must be positive.");
            float[] features = TokenFeatures(tokenIds, tokensPerRow, targets.Length / targetWidth);
            Dataset withTargets = WithTargets(features, tokensPerRow, targets, targetWidth);
            return new Dataset(features, tokensPerRow, withTargets.Count, null, 0, targets, targetWidth, null, tokenIds);
        }

        /// <summary>Largest id a float holds exactly (2^24): the training loop reads ids through floats.</summary>
        private const int MaxExactId = 1 << 24;

        private static float[] TokenFeatures(int[] tokenIds, int tokensPerRow, int rows)
        {
            ArgumentNullException.ThrowIfNull(tokenIds);
            if (tokensPerRow <= 0)
                throw new ArgumentOutOfRangeException(nameof(tokensPerRow), tokensPerRow, "The number of tokens per row must be positive.");
            long expected = (long)rows * tokensPerRow;
            if (tokenIds.Length != expected)
                throw new ArgumentException(
                    $"Expected {rows} rows x {tokensPerRow} tokens = {expected} token ids (one row per label or target row), got {tokenIds.Length}.", nameof(tokenIds));
            var features = new float[tokenIds.Length];
            for (int i = 0; i < tokenIds.Length; i++)
            {
                int id = tokenIds[i];
                if ((uint)id >= MaxExactId)
                    throw new ArgumentException(
                        $"The token id at row {i / tokensPerRow}, position {i % tokensPerRow} is {id}; ids must be in [0, {MaxExactId}).", nameof(tokenIds));
                features[i] = id;
            }
            return features;
        }

        /// <summary>One weight per row (Keras <c>sample_weight</c>), or <see langword="null"/> for none: training multiplies each row's loss by its
        /// weight (the sum still divided by the batch size), and evaluation reports the weighted loss. See <see cref="WithSampleWeights"/>.</summary>
        public float[]? SampleWeights { get; }

        /// <summary>
        /// This data set with a weight per row (Keras <c>fit(x, y, sample_weight=w)</c>; PyTorch <c>(w * loss(reduction="none")).mean()</c>):
        /// a row of weight 2 counts as two copies of it, a row of weight 0 is ignored by the loss. The arrays are shared, not copied;
        /// <see cref="Subset"/> and the splits carry the weights along.
        /// </summary>
        /// <exception cref="ArgumentException">The count is not one per row, or a weight is negative, NaN or infinite (the message names the row).</exception>
        public Dataset WithSampleWeights(float[] weights)
        {
            ArgumentNullException.ThrowIfNull(weights);
            if (weights.Length != Count)
                throw new ArgumentException($"Expected one sample weight per row ({Count}), got {weights.Length}.", nameof(weights));
            Kernels.ValueChecks.SampleWeights(weights, Count, nameof(weights));
            return new Dataset(Features, FeatureCount, Count, Labels, ClassCount, Targets, TargetWidth, weights, TokenIds);
        }

        /// <summary>The class of a row for class weights: its label; for float targets, the index of the largest target (one-hot rows), or,
        /// with one target per row, 1 when it is above 0.5 and 0 otherwise (binary 0/1 targets), as Keras reads <c>class_weight</c>.</summary>
        internal int ClassOf(int row)
        {
            if (Labels is { } labels) return labels[row];
            int width = TargetWidth;
            ReadOnlySpan<float> t = Targets.AsSpan(row * width, width);
            if (width == 1) return t[0] > 0.5f ? 1 : 0;
            int best = 0;
            for (int c = 1; c < width; c++)
                if (t[c] > t[best]) best = c;
            return best;
        }

        /// <summary>Whether rows carry class labels (<see cref="Labels"/>) rather than float targets.</summary>
        public bool HasLabels => Labels is not null;

        /// <summary>The features of one row.</summary>
        public ReadOnlySpan<float> Row(int row)
        {
            if ((uint)row >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(row), row, $"The data set has {Count} rows.");
            return Features.AsSpan(row * FeatureCount, FeatureCount);
        }

        /// <summary>
        /// A labelled data set over <paramref name="features"/> (row-major, <paramref name="featureCount"/> per row) and one
        /// label in [0, <paramref name="classCount"/>) per row. The arrays are not copied. Keras: <c>fit(x, y)</c> with integer
        /// <c>y</c> and sparse categorical cross-entropy; PyTorch: <c>TensorDataset(x, y)</c> with a <c>long</c> <c>y</c>.
        /// </summary>
        /// <exception cref="ArgumentException">The lengths disagree, or a label is out of range (the message names the row).</exception>
        public static Dataset WithLabels(float[] features, int featureCount, int[] labels, int classCount)
        {
            ArgumentNullException.ThrowIfNull(features);
            ArgumentNullException.ThrowIfNull(labels);
            if (featureCount <= 0)
                throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "The feature count must be positive.");
            if (classCount <= 0)
                throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "The class count must be positive.");
            long expected = (long)labels.Length * featureCount;
            if (features.Length != expected)
                throw new ArgumentException(
                    $"Expected {labels.Length} rows x {featureCount} features = {expected} feature values (one row per label), got {features.Length}.",
                    nameof(features));
            for (int row = 0; row < labels.Length; row++)
            {
                if ((uint)labels[row] >= (uint)classCount)
                    throw new ArgumentException(
                        $"The label of row {row} is {labels[row]}; expected a class in [0, {classCount}).", nameof(labels));
            }
            return new Dataset(features, featureCount, labels.Length, labels, classCount, null, 0);
        }

        /// <summary>
        /// A data set with float targets: <paramref name="targetWidth"/> targets per row (regression values, binary 0/1
        /// targets, one-hot vectors). The arrays are not copied. Keras: <c>fit(x, y)</c> with float <c>y</c>; PyTorch:
        /// <c>TensorDataset(x, y)</c> with a float <c>y</c>.
        /// </summary>
        /// <exception cref="ArgumentException">The lengths disagree.</exception>
        public static Dataset WithTargets(float[] features, int featureCount, float[] targets, int targetWidth)
        {
            ArgumentNullException.ThrowIfNull(features);
            ArgumentNullException.ThrowIfNull(targets);
            if (featureCount <= 0)
                throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "The feature count must be positive.");
            if (targetWidth <= 0)
                throw new ArgumentOutOfRangeException(nameof(targetWidth), targetWidth, "The target width must be positive.");
            if (targets.Length % targetWidth != 0)
                throw new ArgumentException(
                    $"Expected a multiple of the target width {targetWidth} target values, got {targets.Length}.", nameof(targets));
            int count = targets.Length / targetWidth;
            long expected = (long)count * featureCount;
            if (features.Length != expected)
                throw new ArgumentException(
                    $"Expected {count} rows x {featureCount} features = {expected} feature values (one row per {targetWidth} targets), got {features.Length}.",
                    nameof(features));
            return new Dataset(features, featureCount, count, null, 0, targets, targetWidth);
        }

        /// <summary>A new data set holding copies of the given rows, in the given order (rows may repeat). NumPy <c>x[rows], y[rows]</c>.</summary>
        public Dataset Subset(ReadOnlySpan<int> rows)
        {
            var features = new float[rows.Length * FeatureCount];
            int[]? labels = Labels is null ? null : new int[rows.Length];
            float[]? targets = Targets is null ? null : new float[rows.Length * TargetWidth];
            float[]? weights = SampleWeights is null ? null : new float[rows.Length];
            int[]? tokenIds = TokenIds is null ? null : new int[rows.Length * FeatureCount];
            for (int i = 0; i < rows.Length; i++)
            {
                int row = rows[i];
                if ((uint)row >= (uint)Count)
                    throw new ArgumentOutOfRangeException(nameof(rows), row, $"rows[{i}] is {row}; the data set has {Count} rows.");
                Array.Copy(Features, row * FeatureCount, features, i * FeatureCount, FeatureCount);
                if (labels is not null) labels[i] = Labels![row];
                if (targets is not null) Array.Copy(Targets!, row * TargetWidth, targets, i * TargetWidth, TargetWidth);
                if (weights is not null) weights[i] = SampleWeights![row];
                if (tokenIds is not null) Array.Copy(TokenIds!, row * FeatureCount, tokenIds, i * FeatureCount, FeatureCount);
            }
            return new Dataset(features, FeatureCount, rows.Length, labels, ClassCount, targets, TargetWidth, weights, tokenIds);
        }

        /// <summary>
        /// Splits off the last <paramref name="validationFraction"/> of the rows, unshuffled, as Keras <c>fit(validation_split=...)</c>
        /// does: the first <c>floor(Count * (1 - validationFraction))</c> rows train, the rest validate. Both parts are copies.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1).</exception>
        /// <exception cref="ArgumentException">One part would be empty (Keras raises the same error).</exception>
        public (Dataset Train, Dataset Validation) SplitTail(double validationFraction)
        {
            if (!(validationFraction > 0 && validationFraction < 1))
                throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be in (0, 1).");
            int splitAt = (int)Math.Floor(Count * (1.0 - validationFraction));
            if (splitAt == 0 || splitAt == Count)
                throw new ArgumentException(
                    $"{Count} rows are too few to split off a validation fraction of {validationFraction}: the training part would have {splitAt} rows and the validation part {Count - splitAt}.",
                    nameof(validationFraction));
            return (Range(0, splitAt), Range(splitAt, Count - splitAt));
        }

        /// <summary>
        /// A stratified, shuffled train/test split, as scikit-learn's <c>train_test_split(test_size=testFraction, stratify=y)</c>
        /// (its <c>StratifiedShuffleSplit</c>), for labelled data sets:
        /// <list type="number">
        /// <item>The test set has <c>ceil(testFraction * Count)</c> rows, the training set the rest.</item>
        /// <item>Class c (with n_c rows) gets <c>floor(n_c / Count * nTest)</c> test rows; the rows still missing go one each to the
        /// classes with the largest fractional parts (scikit-learn's <c>_approximate_mode</c>; where it breaks ties at random, this
        /// gives them to the lowest class index). So every class is represented in proportion, within one row.</item>
        /// <item>The rows of each class, in class order, are shuffled with <paramref name="random"/>; the first
        /// <c>n_c - t_c</c> go to train, the next <c>t_c</c> to test.</item>
        /// <item>The train rows and then the test rows are shuffled once more, so neither part is sorted by class.</item>
        /// </list>
        /// The split is a deterministic function of the data and the random stream, not the same rows scikit-learn picks.
        /// </summary>
        /// <exception cref="InvalidOperationException">The data set has targets, not labels.</exception>
        /// <exception cref="ArgumentException">A class has a single row, or a part would hold fewer rows than there are classes (scikit-learn's checks).</exception>
        public (Dataset Train, Dataset Test) StratifiedSplit(double testFraction, SeededRandom random)
        {
            ArgumentNullException.ThrowIfNull(random);
            if (Labels is null)
                throw new InvalidOperationException("A stratified split needs class labels; this data set has float targets.");
            if (!(testFraction > 0 && testFraction < 1))
                throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be in (0, 1).");

            int n = Count;
            var classCounts = new int[ClassCount];
            foreach (int label in Labels) classCounts[label]++;
            int presentClasses = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                if (classCounts[c] == 1)
                    throw new ArgumentException($"Class {c} has only 1 row; a stratified split needs at least 2 per class.", nameof(testFraction));
                if (classCounts[c] > 0) presentClasses++;
            }
            int testCount = (int)Math.Ceiling(testFraction * n);
            int trainCount = n - testCount;
            if (testCount < presentClasses || trainCount < presentClasses)
                throw new ArgumentException(
                    $"A test fraction of {testFraction} of {n} rows gives {trainCount} train and {testCount} test rows; each part needs at least one row per class ({presentClasses}).",
                    nameof(testFraction));

            int[] testPerClass = ApproximateMode(classCounts, n, testCount);

            // Rows grouped by class, each group in original order, as the input to the per-class shuffles.
            var byClass = new int[n];
            var classStart = new int[ClassCount + 1];
            for (int c = 0; c < ClassCount; c++) classStart[c + 1] = classStart[c] + classCounts[c];
            var fill = (int[])classStart.Clone();
            for (int row = 0; row < n; row++) byClass[fill[Labels[row]]++] = row;

            var train = new int[trainCount];
            var test = new int[testCount];
            int trainFill = 0, testFill = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                Span<int> rows = byClass.AsSpan(classStart[c], classCounts[c]);
                random.Shuffle(rows);
                int classTrain = classCounts[c] - testPerClass[c];
                rows[..classTrain].CopyTo(train.AsSpan(trainFill));
                rows[classTrain..].CopyTo(test.AsSpan(testFill));
                trainFill += classTrain;
                testFill += testPerClass[c];
            }
            random.Shuffle(train.AsSpan());
            random.Shuffle(test.AsSpan());
            return (Subset(train), Subset(test));
        }

        /// <summary>The labels as one-hot float targets (width <see cref="ClassCount"/>), for a categorical cross-entropy model. Keras <c>to_categorical</c>.</summary>
        public Dataset ToOneHot()
        {
            if (Labels is null)
                throw new InvalidOperationException("One-hot targets need class labels; this data set already has float targets.");
            var targets = new float[Count * ClassCount];
            for (int row = 0; row < Count; row++) targets[row * ClassCount + Labels[row]] = 1f;
            return new Dataset((float[])Features.Clone(), FeatureCount, Count, null, 0, targets, ClassCount, (float[]?)SampleWeights?.Clone(), (int[]?)TokenIds?.Clone());
        }

        /// <summary>Two-class labels as one 0/1 float target per row, for a single sigmoid output with binary cross-entropy (or hinge).</summary>
        public Dataset ToBinaryTargets()
        {
            if (Labels is null)
                throw new InvalidOperationException("Binary targets need class labels; this data set already has float targets.");
            if (ClassCount != 2)
                throw new InvalidOperationException($"Binary targets need 2 classes; this data set has {ClassCount}.");
            var targets = new float[Count];
            for (int row = 0; row < Count; row++) targets[row] = Labels[row];
            return new Dataset((float[])Features.Clone(), FeatureCount, Count, null, 0, targets, 1, (float[]?)SampleWeights?.Clone(), (int[]?)TokenIds?.Clone());
        }

        /// <summary>A copy of this data set's structure with other features (same row count and feature count); labels/targets are copied.</summary>
        internal Dataset WithFeatures(float[] features) =>
            new Dataset(features, FeatureCount, Count, (int[]?)Labels?.Clone(), ClassCount, (float[]?)Targets?.Clone(), TargetWidth, (float[]?)SampleWeights?.Clone());

        private Dataset Range(int start, int count)
        {
            var features = Features.AsSpan(start * FeatureCount, count * FeatureCount).ToArray();
            int[]? labels = Labels?.AsSpan(start, count).ToArray();
            float[]? targets = Targets?.AsSpan(start * TargetWidth, count * TargetWidth).ToArray();
            float[]? weights = SampleWeights?.AsSpan(start, count).ToArray();
            int[]? tokenIds = TokenIds?.AsSpan(start * FeatureCount, count * FeatureCount).ToArray();
            return new Dataset(features, FeatureCount, count, labels, ClassCount, targets, TargetWidth, weights, tokenIds);
        }

        // scikit-learn's _approximate_mode with ties broken by class index: floor of the proportional share, then one more
        // row for the classes with the largest remainders until the total is reached.
        private static int[] ApproximateMode(int[] classCounts, int total, int draws)
        {
            int classes = classCounts.Length;
            var result = new int[classes];
            var remainder = new double[classes];
            int assigned = 0;
            for (int c = 0; c < classes; c++)
            {
                double continuous = (double)classCounts[c] / total * draws;
                double floored = Math.Floor(continuous);
                result[c] = (int)floored;
                remainder[c] = continuous - floored;
                assigned += result[c];
            }
            for (int needed = draws - assigned; needed > 0; needed--)
            {
                int best = -1;
                for (int c = 0; c < classes; c++)
                {
                    if (remainder[c] >= 0 && (best < 0 || remainder[c] > remainder[best])) best = c;
                }
                result[best]++;
                remainder[best] = -1;
            }
            return result;
        }
    }
}
