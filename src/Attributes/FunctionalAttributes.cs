using System;

namespace Unroll
{
    /// <summary>
    /// Marks the layer on the same member as an output of the model, with its own loss and weight (Keras functional models with
    /// <c>loss={...}</c> and <c>loss_weights={...}</c>; in PyTorch, the sum of weighted losses). A model with several outputs trains
    /// on the weighted sum of their losses, and its <c>TrainStep</c>, <c>Predict</c> and <c>Backward</c> take one span per output.
    /// Without any [Output], the output is the last declared layer with the [Model]'s loss.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class OutputAttribute : Attribute
    {
        /// <summary>This output's loss. Default: the <see cref="ModelAttribute.Loss"/> of the model, which must then be set.</summary>
        public Loss Loss { get; set; }

        /// <summary>This output's weight in the total loss, greater than 0. Default 1 (Keras <c>loss_weights</c>).</summary>
        public float Weight { get; set; } = 1f;

        /// <summary>Whether this output's cross-entropy loss takes logits (a linear output). Default: the model's <see cref="ModelAttribute.FromLogits"/>.</summary>
        public bool FromLogits { get; set; }
    }

    /// <summary>
    /// Applies another layer of the model, with the same weights, to this member's input: Keras calling one layer on several inputs
    /// (Siamese towers, a shared embedding), PyTorch calling one module twice. The gradients of every use are summed into the one
    /// set of weights, which is saved once, under the shared layer's name, and frozen or trained as that layer is (<c>Trainable</c>
    /// belongs on that layer, UNR0039 here). The input must have the shape the shared layer takes.
    /// </summary>
    public sealed class SharedAttribute : LayerAttribute
    {
        /// <summary>Applies <paramref name="layer"/> to this member's input.</summary>
        /// <param name="layer">The layer whose weights to use, written <c>nameof(Tower)</c>.</param>
        public SharedAttribute(string layer) => Layer = layer;

        /// <summary>The layer whose weights this member uses.</summary>
        public string Layer { get; }
    }
}
