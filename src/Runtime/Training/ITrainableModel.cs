using System;

namespace Unroll
{
    /// <summary>How a model's training targets are given.</summary>
    public enum TargetKind
    {
        /// <summary><c>OutputSize</c> floats per sample (regression, binary and one-hot targets).</summary>
        Values,
        /// <summary>One integer class label in [0, <c>OutputSize</c>) per sample (sparse categorical cross-entropy).</summary>
        ClassLabels,
    }

    /// <summary>
    /// What the training loop (<c>Trainer</c>) and its callbacks need from a model: everything of <see cref="IModel"/>, and untyped
    /// batch steps. Generated models with one input and one output implement it; its own members explicitly, as users call the
    /// generated, typed <c>TrainStep</c>, <c>Predict</c> and <c>Fit</c> instead.
    /// </summary>
    public interface ITrainableModel : IModel
    {
        /// <summary>Floats per input sample.</summary>
        int InputSize { get; }

        /// <summary>Floats per output sample.</summary>
        int OutputSize { get; }

        /// <summary>The largest batch one call accepts.</summary>
        int BatchCapacity { get; }

        /// <summary>Steps per sample of a sequence output (a model whose output is a sequence predicts every step; its
        /// <see cref="OutputSize"/> spans all of them); 1 for one output per sample.</summary>
        int OutputSteps => 1;

        /// <summary>The training objective.</summary>
        Loss Loss { get; }

        /// <summary>How targets are given for <see cref="Loss"/>.</summary>
        TargetKind TargetKind { get; }

        /// <summary>The model's random source (shuffling uses it, so a seed fixes a whole run).</summary>
        SeededRandom Random { get; }

        /// <summary>One training step on a batch: forward, loss, backward, update. Returns the mean loss.
        /// Exactly one of <paramref name="targets"/> and <paramref name="labels"/> is used, per <see cref="TargetKind"/>.
        /// <paramref name="sampleWeights"/> holds one weight per sample, or is empty for none (Keras <c>sample_weight</c>: each sample's
        /// loss is multiplied by its weight, the sum still divided by the batch size).
        /// When <paramref name="outputs"/> is not empty it receives the outputs of this step's (training-mode) forward pass,
        /// from before the update, so training metrics need no second pass (as Keras computes them).</summary>
        /// <exception cref="System.NotSupportedException">Weights were given to a model with a sequence output, whose per-step loss takes none.</exception>
        float TrainBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels, ReadOnlySpan<float> sampleWeights, Span<float> outputs);

        /// <summary>Forward and backward on a batch of at most <see cref="BatchCapacity"/> samples without the update: returns the mean loss
        /// and leaves the gradients in <see cref="IModel.Gradients"/> (overwritten), for a trainer that accumulates micro-batches into one
        /// step. <paramref name="sampleWeights"/> and <paramref name="outputs"/> as in <see cref="TrainBatch"/>.</summary>
        /// <exception cref="System.NotSupportedException">The model trains with truncated backpropagation through time, which updates per window.</exception>
        float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels, ReadOnlySpan<float> sampleWeights, Span<float> outputs);

        /// <summary>The optimizer's state buffers by name (<c>first_moment</c>, <c>second_moment</c>, <c>velocity</c>, ...), each laid out as
        /// <see cref="IModel.Parameters"/>; empty for plain SGD. A resumable checkpoint saves and restores them.</summary>
        System.Collections.Generic.IReadOnlyList<(string Name, float[] Values)> OptimizerState { get; }

        /// <summary>Sets the optimizer step count (<see cref="IModel.Iterations"/>) when a checkpoint is restored; Adam's bias correction reads it.</summary>
        void RestoreIterations(int iterations);

        /// <summary>Inference on a batch, writing <paramref name="outputs"/>, and the mean loss against the targets (weighted by
        /// <paramref name="sampleWeights"/> unless empty), without updating anything.</summary>
        float EvaluateBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels, ReadOnlySpan<float> sampleWeights, Span<float> outputs);
    }
}
