using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace Unroll
{
    /// <summary>
    /// The training loop over any <see cref="ITrainableModel"/>: Keras <c>Model.fit</c> and <c>Model.evaluate</c>, or the
    /// epoch/batch loop one writes around a PyTorch <c>DataLoader</c>. Generated models call it from their typed
    /// <c>Fit</c> and <c>Evaluate</c>. Each call allocates its batch buffers once; the batch loop itself allocates nothing.
    /// </summary>
    public static class Trainer
    {
        /// <summary>
        /// Trains <paramref name="model"/> on <paramref name="train"/> for <see cref="FitOptions.Epochs"/> epochs, as Keras
        /// <c>fit(x, y, batch_size, epochs, validation_split | validation_data, shuffle, callbacks)</c>:
        /// <list type="number">
        /// <item>With <see cref="FitOptions.ValidationSplit"/> (and no <see cref="FitOptions.Validation"/>), the last rows are held
        /// out, before any shuffling.</item>
        /// <item>Each epoch visits every training row once, in a fresh random order drawn from <see cref="ITrainableModel.Random"/>
        /// when <see cref="FitOptions.Shuffle"/> is on (a permutation of 0..n-1 each epoch), in batches of
        /// <see cref="FitOptions.BatchSize"/>; the last, smaller batch is trained too.</item>
        /// <item>The epoch loss is the batch losses' mean weighted by batch size; the validation loss and accuracy are measured
        /// after the epoch's last update.</item>
        /// <item><see cref="FitOptions.OnEpoch"/> and then every callback see the epoch's log; training stops after the epoch if any
        /// callback asks to.</item>
        /// </list>
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The batch size, epoch count or validation split is out of range.</exception>
        /// <exception cref="ArgumentException">A data set does not fit the model (feature count, labels versus targets, widths).</exception>
        public static History Fit<TModel>(TModel model, Dataset train, FitOptions options) where TModel : ITrainableModel
        {
            if (model is null) throw new ArgumentNullException(nameof(model));
            ArgumentNullException.ThrowIfNull(train);
            ArgumentNullException.ThrowIfNull(options);
            if (options.Verbose is < 0 or > 2)
                throw new ArgumentOutOfRangeException(nameof(options), options.Verbose, $"FitOptions.Verbose is {options.Verbose}; it must be 0, 1 or 2.");
            int capacity = model.BatchCapacity;
            int batchSize = options.BatchSize;
            if (batchSize < 1)
                throw new ArgumentOutOfRangeException(nameof(options), batchSize,
                    $"FitOptions.BatchSize is {batchSize}; it must be at least 1 (above the model's BatchCapacity, {capacity}, micro-batches are accumulated).");
            if (options.Epochs < 0)
                throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, $"FitOptions.Epochs is {options.Epochs}; it cannot be negative.");
            if (!(options.ValidationSplit >= 0 && options.ValidationSplit < 1))
                throw new ArgumentOutOfRangeException(nameof(options), options.ValidationSplit,
                    $"FitOptions.ValidationSplit is {options.ValidationSplit}; it must be in [0, 1).");
            CheckFits(model, train, nameof(train));

            Dataset trainSet = train;
            Dataset? validation = options.Validation;
            if (validation is not null) CheckFits(model, validation, "FitOptions.Validation");
            else if (options.ValidationSplit > 0) (trainSet, validation) = train.SplitTail(options.ValidationSplit);

            IList<ICallback> callbacks = options.Callbacks ?? Array.Empty<ICallback>();
            int n = trainSet.Count;
            int inputSize = model.InputSize, outputSize = model.OutputSize;
            bool labelled = model.TargetKind == TargetKind.ClassLabels;
            AccuracyRule rule = AccuracyRule.For(model, options.FromLogits);
            bool trainingAccuracy = options.TrainingAccuracy && rule.Kind != AccuracyKind.None;
            IList<Metric> metrics = options.Metrics ?? Array.Empty<Metric>();
            CheckMetrics(metrics);
            bool scoring = metrics.Count > 0;
            bool binary = OneBinaryOutput(model);

            float[]? classWeights = CheckClassWeights(model, options.ClassWeights);
            bool weighted = classWeights is not null || trainSet.SampleWeights is not null;

            // Every buffer of the run, allocated here once; the loops below only slice them.
            var order = new int[n];
            var weights = weighted ? new float[batchSize] : Array.Empty<float>();
            var inputs = new float[batchSize * inputSize];
            float[] targets = labelled ? Array.Empty<float>() : new float[batchSize * outputSize];
            int[] labels = labelled ? new int[batchSize] : Array.Empty<int>();
            int outputRows = Math.Max(trainingAccuracy ? batchSize : 0, validation is null ? 0 : capacity);
            var outputs = new float[outputRows * outputSize];
            // With metrics, the epoch's training outputs and their targets are kept in the order they were visited, and the validation
            // outputs whole, so each metric can be scored over all of them after the epoch.
            float[] epochOutputs = scoring ? new float[n * outputSize] : Array.Empty<float>();
            int[]? epochLabels = scoring && labelled ? new int[n] : null;
            float[]? epochTargets = scoring && !labelled ? new float[n * outputSize] : null;
            float[] validationOutputs = scoring && validation is not null ? new float[validation.Count * outputSize] : Array.Empty<float>();
            int confusionClasses = scoring ? rule.ConfusionClasses : 0;
            ConfusionMatrix? epochConfusion = confusionClasses > 0 ? new ConfusionMatrix(confusionClasses) : null;
            ConfusionMatrix? validationConfusion = confusionClasses > 0 && validation is not null ? new ConfusionMatrix(confusionClasses) : null;
            // Above the capacity a batch runs as micro-batches whose gradients are summed, each weighted by its share of the batch.
            float[] accumulated = batchSize > capacity ? new float[model.ParameterCount] : Array.Empty<float>();
            var history = new History(options.Epochs);
            // One boxing for struct models, not one per epoch and callback.
            ITrainableModel? callbackModel = callbacks.Count > 0 ? model : null;

            ProgressPrinter? printer = options.Verbose > 0 ? new ProgressPrinter(options.Verbose, options.Output) : null;
            IProgress<TrainingProgress>? progress = options.Progress;
            int batchCount = (n + batchSize - 1) / batchSize;
            TerminateOnNaN? terminate = null;
            for (int i = 0; i < callbacks.Count; i++) terminate ??= callbacks[i] as TerminateOnNaN;
            CancellationToken cancellation = options.CancellationToken;

            int firstEpoch = 0;
            string? backup = options.BackupPath;
            var start = new TrainingBackup.RunStart(model.Iterations, model.LearningRate);
            if (backup is not null && File.Exists(backup))
            {
                (firstEpoch, start) = TrainingBackup.Restore(backup, model, history);
                // Callbacks begin seeing the model as the run began (a schedule takes its base rate and first step then),
                // and the restored step and rate are put back after.
                (int iterations, float rate) = (model.Iterations, model.LearningRate);
                model.LearningRate = start.LearningRate;
                model.RestoreIterations(start.Iterations);
                for (int i = 0; i < callbacks.Count; i++) callbacks[i].OnTrainBegin(callbackModel!);
                model.RestoreIterations(iterations);
                model.LearningRate = rate;
            }
            else
            {
                for (int i = 0; i < callbacks.Count; i++) callbacks[i].OnTrainBegin(callbackModel!);
            }
            for (int epoch = firstEpoch; epoch < options.Epochs; epoch++)
            {
                long started = Stopwatch.GetTimestamp();
                for (int i = 0; i < n; i++) order[i] = i;
                if (options.Shuffle) model.Random.Shuffle(order.AsSpan());
                for (int i = 0; i < callbacks.Count; i++) callbacks[i].OnEpochBegin(callbackModel!, epoch);
                printer?.EpochBegin(epoch, options.Epochs);
                epochConfusion?.Clear();

                double lossSum = 0, correct = 0;
                for (int begin = 0, batch = 0; begin < n; begin += batchSize, batch++)
                {
                    // Between steps only: a cancelled Fit leaves the weights of a whole step.
                    cancellation.ThrowIfCancellationRequested();
                    int count = Math.Min(batchSize, n - begin);
                    Gather(trainSet, order.AsSpan(begin, count), inputs, targets, labels, classWeights, weights);
                    ReadOnlySpan<float> x = inputs.AsSpan(0, count * inputSize);
                    ReadOnlySpan<float> w = weighted ? weights.AsSpan(0, count) : default;
                    ReadOnlySpan<float> t = labelled ? default : targets.AsSpan(0, count * outputSize);
                    ReadOnlySpan<int> y = labelled ? labels.AsSpan(0, count) : default;
                    Span<float> predicted = scoring ? epochOutputs.AsSpan(begin * outputSize, count * outputSize)
                        : trainingAccuracy ? outputs.AsSpan(0, count * outputSize) : default;
                    if (epochLabels is not null) y.CopyTo(epochLabels.AsSpan(begin));
                    if (epochTargets is not null) t.CopyTo(epochTargets.AsSpan(begin * outputSize));
                    for (int i = 0; i < callbacks.Count; i++) callbacks[i].OnBatchBegin(callbackModel!, batch);
                    double loss;
                    try
                    {
                        loss = batchSize > capacity
                            ? AccumulatedStep(model, x, t, y, w, predicted, count, capacity, inputSize, outputSize, accumulated)
                            : model.TrainBatch(x, t, y, w, predicted);
                    }
                    catch (NonFiniteLossException e) when (terminate is not null)
                    {
                        terminate.StoppedAt = (epoch, batch);
                        terminate.Cause = e;
                        history.StoppedEpoch = epoch;
                        for (int i = 0; i < callbacks.Count; i++) callbacks[i].OnTrainEnd(callbackModel!, history);
                        return history;
                    }
                    lossSum += loss * count;
                    for (int i = 0; i < callbacks.Count; i++) callbacks[i].OnBatchEnd(callbackModel!, batch, loss);
                    if (trainingAccuracy || epochConfusion is not null)
                        correct += rule.Score(predicted, t, y, count, epochConfusion);
                    if (printer is not null || progress is not null)
                    {
                        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
                        int seen = begin + count;
                        var now = new TrainingProgress(epoch, options.Epochs, batch + 1, batchCount, lossSum / seen,
                            trainingAccuracy ? correct / seen : double.NaN, elapsed, elapsed * ((double)(n - seen) / seen));
                        printer?.Batch(now);
                        progress?.Report(now);
                    }
                }

                double? validationLoss = null, validationAccuracy = null;
                Dictionary<string, double>? scores = scoring ? new Dictionary<string, double>(2 * metrics.Count) : null;
                if (scores is not null)
                {
                    var seen = new Evaluation(lossSum / n, trainingAccuracy ? correct / n : double.NaN, n, epochConfusion, epochOutputs, epochTargets,
                        epochLabels, outputSize, binary);
                    for (int i = 0; i < metrics.Count; i++) scores[metrics[i].Name] = metrics[i].Score(seen);
                }
                if (validation is not null)
                {
                    validationConfusion?.Clear();
                    (double loss, double right) = scoring
                        ? EvaluateCore(model, validation, capacity, validationOutputs, rule, validationConfusion, keepAll: true)
                        : EvaluateCore(model, validation, capacity, outputs, rule, null);
                    validationLoss = loss;
                    validationAccuracy = rule.Kind == AccuracyKind.None ? double.NaN : right / validation.Count;
                    if (scores is not null)
                    {
                        var held = new Evaluation(loss, validationAccuracy.Value, validation.Count, validationConfusion, validationOutputs, validation, binary);
                        for (int i = 0; i < metrics.Count; i++) scores["val_" + metrics[i].Name] = metrics[i].Score(held);
                    }
                }

                var log = new EpochLog
                {
                    Epoch = epoch,
                    EpochCount = options.Epochs,
                    Loss = lossSum / n,
                    Accuracy = trainingAccuracy ? correct / n : double.NaN,
                    ValidationLoss = validationLoss,
                    ValidationAccuracy = validationAccuracy,
                    Elapsed = Stopwatch.GetElapsedTime(started),
                    LearningRate = model.LearningRate,
                    Metrics = scores ?? EpochLog.NoMetrics,
                };
                history.Add(log);
                printer?.EpochEnd(log, batchCount);
                if (backup is not null) TrainingBackup.Write(backup, model, epoch + 1, history, start);
                options.OnEpoch?.Invoke(log);
                bool stop = false;
                for (int i = 0; i < callbacks.Count; i++) stop |= callbacks[i].OnEpochEnd(callbackModel!, log);
                if (stop)
                {
                    history.StoppedEpoch = epoch;
                    break;
                }
            }
            for (int i = 0; i < callbacks.Count; i++) callbacks[i].OnTrainEnd(callbackModel!, history);
            if (backup is not null && !options.KeepBackup) File.Delete(backup);
            return history;
        }

        /// <summary>
        /// One optimizer step on a batch larger than the model takes at once: forward and backward on micro-batches of at most
        /// <paramref name="capacity"/> samples, their gradients summed with weights n_k / n (so the sum is the gradient of the mean
        /// loss over the whole batch, as one big batch would give), then one update. Losses are combined alike. Per-step losses of a
        /// masked sequence output are weighted by samples, not by real steps.
        /// </summary>
        private static float AccumulatedStep<TModel>(TModel model, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels,
            ReadOnlySpan<float> weights, Span<float> outputs, int count, int capacity, int inputSize, int outputSize, float[] accumulated) where TModel : ITrainableModel
        {
            Array.Clear(accumulated);
            double loss = 0;
            for (int start = 0; start < count; start += capacity)
            {
                int n = Math.Min(capacity, count - start);
                float weight = (float)n / count;
                float part = model.ComputeGradients(
                    inputs.Slice(start * inputSize, n * inputSize),
                    targets.IsEmpty ? default : targets.Slice(start * outputSize, n * outputSize),
                    labels.IsEmpty ? default : labels.Slice(start, n),
                    weights.IsEmpty ? default : weights.Slice(start, n),
                    outputs.IsEmpty ? default : outputs.Slice(start * outputSize, n * outputSize));
                loss += (double)part * weight;
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(model.Gradients, weight, accumulated, accumulated);
            }
            if (!double.IsFinite(loss))
                throw new NonFiniteLossException(
                    $"The loss is {loss} at step {model.Iterations + 1} (a batch of {count} samples in micro-batches of {capacity}), so the parameters were not updated. " +
                    $"Lower the learning rate (now {model.LearningRate}).");
            accumulated.CopyTo(model.Gradients);
            model.ApplyGradients();
            return (float)loss;
        }

        /// <summary>
        /// The loss (mean per sample) and accuracy of <paramref name="model"/> on the whole of <paramref name="data"/>, without
        /// updating it, in batches of <paramref name="batchSize"/> (0 means <see cref="ITrainableModel.BatchCapacity"/>); Keras
        /// <c>model.evaluate(x, y)</c>, PyTorch an <c>eval()</c>/<c>no_grad()</c> loop. For single-label classifiers it also fills
        /// <see cref="Evaluation.Confusion"/>. <paramref name="fromLogits"/> is as <see cref="FitOptions.FromLogits"/>.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The batch size is out of range.</exception>
        /// <exception cref="ArgumentException">The data set is empty or does not fit the model.</exception>
        public static Evaluation Evaluate<TModel>(TModel model, Dataset data, int batchSize = 0, bool fromLogits = false)
            where TModel : ITrainableModel
        {
            if (model is null) throw new ArgumentNullException(nameof(model));
            ArgumentNullException.ThrowIfNull(data);
            int capacity = model.BatchCapacity;
            if (batchSize == 0) batchSize = capacity;
            if (batchSize < 1 || batchSize > capacity)
                throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize,
                    $"The batch size is {batchSize}; it must be between 1 and the model's BatchCapacity, {capacity} (or 0 for the capacity).");
            CheckFits(model, data, nameof(data));
            AccuracyRule rule = AccuracyRule.For(model, fromLogits);
            int classes = rule.ConfusionClasses;
            ConfusionMatrix? confusion = classes > 0 ? new ConfusionMatrix(classes) : null;
            // Every prediction is kept (one array for the call) so the result can score metrics over the whole data set.
            var predictions = new float[data.Count * model.OutputSize];
            (double loss, double correct) = EvaluateCore(model, data, batchSize, predictions, rule, confusion, keepAll: true);
            double accuracy = rule.Kind == AccuracyKind.None ? double.NaN : correct / data.Count;
            return new Evaluation(loss, accuracy, data.Count, confusion, predictions, data, OneBinaryOutput(model));
        }

        // Batches are contiguous rows, so they are slices of the data set itself: only the outputs need a buffer.
        private static (double Loss, double Correct) EvaluateCore<TModel>(TModel model, Dataset data, int batchSize, float[] outputs,
            AccuracyRule rule, ConfusionMatrix? confusion, bool keepAll = false) where TModel : ITrainableModel
        {
            int inputSize = model.InputSize, outputSize = model.OutputSize;
            bool labelled = model.TargetKind == TargetKind.ClassLabels;
            double lossSum = 0, correct = 0;
            for (int begin = 0; begin < data.Count; begin += batchSize)
            {
                int count = Math.Min(batchSize, data.Count - begin);
                ReadOnlySpan<float> x = data.Features.AsSpan(begin * inputSize, count * inputSize);
                ReadOnlySpan<float> t = labelled ? default : data.Targets.AsSpan(begin * outputSize, count * outputSize);
                ReadOnlySpan<int> y = labelled ? data.Labels.AsSpan(begin, count) : default;
                Span<float> predicted = outputs.AsSpan(keepAll ? begin * outputSize : 0, count * outputSize);
                ReadOnlySpan<float> w = data.SampleWeights is { } weights ? weights.AsSpan(begin, count) : default;
                lossSum += (double)model.EvaluateBatch(x, t, y, w, predicted) * count;
                if (rule.Kind != AccuracyKind.None) correct += rule.Score(predicted, t, y, count, confusion);
            }
            return (lossSum / data.Count, correct);
        }

        private static void Gather(Dataset data, ReadOnlySpan<int> rows, float[] inputs, float[] targets, int[] labels, float[]? classWeights, float[] weights)
        {
            int featureCount = data.FeatureCount;
            ReadOnlySpan<float> features = data.Features;
            float[]? sampleWeights = data.SampleWeights;
            for (int i = 0; i < rows.Length; i++)
            {
                int row = rows[i];
                if (weights.Length > 0)
                    weights[i] = (sampleWeights is null ? 1f : sampleWeights[row]) * (classWeights is null ? 1f : classWeights[data.ClassOf(row)]);
                features.Slice(row * featureCount, featureCount).CopyTo(inputs.AsSpan(i * featureCount, featureCount));
                if (data.Labels is int[] rowLabels) labels[i] = rowLabels[row];
                else
                {
                    int width = data.TargetWidth;
                    data.Targets.AsSpan(row * width, width).CopyTo(targets.AsSpan(i * width, width));
                }
            }
        }

        /// <summary>Whether the model is a binary classifier with one output, whose outputs are scores for ROC AUC.</summary>
        private static bool OneBinaryOutput<TModel>(TModel model) where TModel : ITrainableModel =>
            model.Loss is Loss.BinaryCrossEntropy or Loss.Hinge && model.OutputSize == 1;

        private static void CheckMetrics(IList<Metric> metrics)
        {
            for (int i = 0; i < metrics.Count; i++)
            {
                if (metrics[i] is null) throw new ArgumentException($"FitOptions.Metrics[{i}] is null.", nameof(metrics));
                for (int j = 0; j < i; j++)
                    if (metrics[j].Name == metrics[i].Name)
                        throw new ArgumentException($"FitOptions.Metrics has two metrics named '{metrics[i].Name}' (at {j} and {i}); each needs its own name in the log.", nameof(metrics));
            }
        }

        /// <summary>The class weights, checked against the classes the model predicts.</summary>
        private static float[]? CheckClassWeights<TModel>(TModel model, float[]? classWeights) where TModel : ITrainableModel
        {
            if (classWeights is null) return null;
            if (model.OutputSteps > 1)
                throw new NotSupportedException($"The model predicts at each of {model.OutputSteps} steps; class weights need one class per sample.");
            int classes = model.TargetKind == TargetKind.ClassLabels || model.OutputSize > 1 ? Math.Max(2, model.OutputSize) : 2;
            if (model.Loss is Loss.MeanSquaredError or Loss.MeanAbsoluteError or Loss.Huber && model.OutputSize > 1)
                throw new ArgumentException($"FitOptions.ClassWeights needs a classifier; the model's loss is {model.Loss} over {model.OutputSize} values.", nameof(classWeights));
            if (classWeights.Length != classes)
                throw new ArgumentException(
                    $"FitOptions.ClassWeights holds {classWeights.Length} weights; the model predicts {classes} classes, so one weight per class ({classes}) was expected.",
                    nameof(classWeights));
            for (int c = 0; c < classes; c++)
            {
                if (!float.IsFinite(classWeights[c]) || classWeights[c] < 0f)
                    throw new ArgumentException($"FitOptions.ClassWeights[{c}] is {classWeights[c]}; a class weight must be finite and not negative.", nameof(classWeights));
            }
            return classWeights;
        }

        private static void CheckFits<TModel>(TModel model, Dataset data, string name) where TModel : ITrainableModel
        {
            if (data.Count == 0)
                throw new ArgumentException($"The data set '{name}' is empty.", name);
            if (data.FeatureCount != model.InputSize)
                throw new ArgumentException(
                    $"The model takes {model.InputSize} features per sample; the data set '{name}' has {data.FeatureCount}.", name);
            int outputSize = model.OutputSize;
            if (model.TargetKind == TargetKind.ClassLabels && model.OutputSteps > 1)
                throw new NotSupportedException(
                    $"The model predicts a class at each of {model.OutputSteps} steps; a Dataset holds one label per row, so Fit and Evaluate cannot train it yet. " +
                    "Call TrainStep with one label per step per sample, or use one-hot targets (Dataset.WithTargets) and CategoricalCrossEntropy.");
            if (model.TargetKind == TargetKind.ClassLabels)
            {
                if (!data.HasLabels)
                    throw new ArgumentException(
                        $"The model (loss {model.Loss}) expects one integer class label per sample (TargetKind.ClassLabels); the data set '{name}' has {data.TargetWidth} float targets per row.",
                        name);
                int classes = outputSize == 1 ? 2 : outputSize;
                if (data.ClassCount > classes)
                    throw new ArgumentException(
                        $"The model predicts {classes} classes; the data set '{name}' has {data.ClassCount}.", name);
            }
            else
            {
                if (data.HasLabels)
                    throw new ArgumentException(
                        $"The model (loss {model.Loss}) expects {outputSize} float targets per sample (TargetKind.Values); the data set '{name}' has class labels (convert with ToOneHot() or ToBinaryTargets()).",
                        name);
                if (data.TargetWidth != outputSize)
                    throw new ArgumentException(
                        $"The model expects {outputSize} float targets per sample; the data set '{name}' has {data.TargetWidth}.", name);
            }
            // The whole data set before the first step: a bad row found mid-epoch would leave the earlier batches applied.
            int steps = Math.Max(1, model.OutputSteps);
            Kernels.ValueChecks.Finite(data.Features, 1, data.FeatureCount, name, $"The features of the data set '{name}'");
            if (data.Targets is { } targets)
            {
                string what = $"The targets of the data set '{name}'";
                if (model.Loss == Loss.BinaryCrossEntropy)
                    Kernels.ValueChecks.Probabilities(targets, steps, data.TargetWidth / steps, name, what);
                else
                    Kernels.ValueChecks.Finite(targets, steps, data.TargetWidth / steps, name, what);
            }
        }
    }
}
