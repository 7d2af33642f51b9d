using System;

namespace Unroll
{
    /// <summary>
    /// Marks a <c>partial class</c> as a network. Its layers are the partial properties of type
    /// <c>Unroll.Layer</c> that carry a layer attribute, in declaration order; the first must be an
    /// <see cref="InputAttribute"/>. The generator adds the constructor, <c>TrainStep</c>, <c>Predict</c>,
    /// <c>Fit</c>, <c>Save</c>/<c>Load</c> and <c>Summary</c>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class ModelAttribute : Attribute
    {
        /// <summary>The training objective. Default <see cref="Unroll.Loss.MeanSquaredError"/>.</summary>
        public Loss Loss { get; set; }

        /// <summary>The optimizer. Default <see cref="Unroll.Optimizer.Adam"/>.</summary>
        public Optimizer Optimizer { get; set; } = Optimizer.Adam;

        /// <summary>Initial learning rate; changeable between steps through the generated <c>LearningRate</c> property.
        /// When omitted: 0.01 for SGD, momentum and Nesterov, 0.001 for the others (Keras defaults).</summary>
        public float LearningRate { get; set; }

        /// <summary>Momentum coefficient for <see cref="Unroll.Optimizer.Momentum"/> and <see cref="Unroll.Optimizer.Nesterov"/>. Default 0.9.</summary>
        public float Momentum { get; set; } = 0.9f;

        /// <summary>Adam/AdamW first-moment decay. Default 0.9 (Keras <c>beta_1</c>, PyTorch <c>betas[0]</c>).</summary>
        public float Beta1 { get; set; } = 0.9f;

        /// <summary>Adam/AdamW second-moment decay. Default 0.999 (Keras <c>beta_2</c>, PyTorch <c>betas[1]</c>).</summary>
        public float Beta2 { get; set; } = 0.999f;

        /// <summary>Numerical-stability term of Adagrad, RMSprop, Adam and AdamW. Default 1e-7 (Keras; PyTorch uses 1e-8, or 1e-10 for Adagrad).</summary>
        public float Epsilon { get; set; } = 1e-7f;

        /// <summary>RMSprop decay of the squared-gradient average. Default 0.9 (Keras <c>rho</c>; PyTorch <c>alpha</c>, whose default is 0.99).</summary>
        public float Rho { get; set; } = 0.9f;

        /// <summary>Adagrad's initial accumulator value. Default 0.1 (Keras <c>initial_accumulator_value</c>; PyTorch default 0).</summary>
        public float InitialAccumulator { get; set; } = 0.1f;

        /// <summary>AdamW's decoupled weight decay. Default 0.004 (Keras; PyTorch default 0.01).</summary>
        public float WeightDecay { get; set; } = 0.004f;

        /// <summary>Threshold of the <see cref="Unroll.Loss.Huber"/> loss. Default 1 (Keras <c>delta</c>, PyTorch <c>delta</c>).</summary>
        public float HuberDelta { get; set; } = 1f;

        /// <summary>When true, cross-entropy losses take the output layer's values as logits (a linear output). Default false (Keras <c>from_logits</c>).</summary>
        public bool FromLogits { get; set; }

        /// <summary>The largest batch the model accepts; buffers are sized for it once, at construction. Default 32.</summary>
        public int MaxBatch { get; set; } = 32;

        /// <summary>When positive, every gradient is clamped to [-ClipValue, ClipValue] before the update (Keras <c>clipvalue</c>, PyTorch <c>clip_grad_value_</c>). Default 0 (off).</summary>
        public float ClipValue { get; set; }

        /// <summary>When positive, all gradients are scaled together so that their global L2 norm is at most this value (Keras <c>global_clipnorm</c>, PyTorch <c>clip_grad_norm_</c>). Default 0 (off).</summary>
        public float ClipNorm { get; set; }

        /// <summary>Truncated backpropagation through time: when positive, a training step splits the sequence into windows of this
        /// many steps and runs forward, backward and an optimizer update on each in turn, carrying the recurrent state from one window
        /// to the next without gradient (80 steps with window 20 give 4 updates). Needs a model whose output is a sequence
        /// (per-step targets). Default 0: full backpropagation through time, one update per step.</summary>
        public int BpttWindow { get; set; }
    }
}
