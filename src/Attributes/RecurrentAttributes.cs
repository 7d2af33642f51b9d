using System;

namespace Unroll
{
    /// <summary>Maps token ids to dense vectors (Keras <c>Embedding</c>; PyTorch <c>nn.Embedding</c>). Its input must be an
    /// <see cref="InputAttribute"/> with a <see cref="InputAttribute.Vocabulary"/>; its output is a sequence of
    /// <see cref="Dimension"/> floats per step. The table is saved as <c>name.weight</c>, (vocabulary, dimension), as PyTorch.
    /// A pretrained table (word2vec, GloVe, <c>nn.Embedding.from_pretrained</c>) is loaded with <c>model.Embed.Load("weight", vectors)</c>,
    /// vectors row-major (vocabulary, dimension), or with the model's <c>Load</c> from a safetensors file; declare the layer with
    /// <see cref="LayerAttribute.Trainable"/> = false (or set <c>Layer.Frozen</c>) to keep it fixed (<c>freeze=True</c>).</summary>
    public sealed class EmbeddingAttribute : LayerAttribute
    {
        /// <summary>Length of each token's vector. Required, at least 1 (Keras <c>output_dim</c>; PyTorch <c>embedding_dim</c>).</summary>
        public int Dimension { get; set; }

        /// <summary>Number of rows of the table. Default 0: the input's <see cref="InputAttribute.Vocabulary"/>; when given it
        /// must equal it (Keras <c>input_dim</c>; PyTorch <c>num_embeddings</c>).</summary>
        public int Vocabulary { get; set; }

        /// <summary>Whether token id 0 is padding: padded steps are skipped by every recurrent layer after this one (they carry the
        /// state through unchanged, output zeros and get no gradient) and are left out of per-step losses. Default false
        /// (Keras <c>mask_zero</c>; PyTorch: packed sequences).</summary>
        public bool MaskZero { get; set; }

        /// <summary>Initializer of the table. Default <see cref="Initializer.Uniform"/> with scale 0.05 (Keras; PyTorch draws N(0, 1)).</summary>
        public Initializer Initializer { get; set; } = Initializer.Uniform;

        /// <summary>As <see cref="DenseAttribute.KernelScale"/>, for the table.</summary>
        public float Scale { get; set; }
    }

    /// <summary>What the recurrent layers share: units, which outputs they return, dropout, direction and initializers.
    /// Weights use PyTorch's layout and names (<c>name.weight_ih</c> (gates*units, inputs), <c>name.weight_hh</c> (gates*units, units),
    /// <c>name.bias</c>); Keras' kernel and recurrent kernel are their transposes.</summary>
    public abstract class RecurrentAttribute : LayerAttribute
    {
        /// <summary>Size of the hidden state. Required, at least 1.</summary>
        public int Units { get; set; }

        /// <summary>Whether the layer outputs its state at every step (a sequence, for a stacked recurrent layer or a
        /// <see cref="TimeDistributedAttribute"/> dense layer) or only after the last step. Default false (Keras <c>return_sequences</c>).</summary>
        public bool ReturnSequences { get; set; }

        /// <summary>Whether the final state (h, and c for an LSTM) is made available as the initial state of another recurrent layer
        /// (see <see cref="InitialState"/>). Default false (Keras <c>return_state</c>).</summary>
        public bool ReturnState { get; set; }

        /// <summary>A recurrent layer with <see cref="ReturnState"/> whose final state starts this layer, written <c>nameof(Encoder)</c>;
        /// its units must equal this layer's. Gradients flow back into it. Default: a zero initial state (Keras <c>initial_state=</c>).</summary>
        public string? InitialState { get; set; }

        /// <summary>Dropout rate on the layer's inputs while training, one mask per sample held for every step. Default 0 (Keras <c>dropout</c>).</summary>
        public float Dropout { get; set; }

        /// <summary>Dropout rate on the recurrent state before the recurrent product while training, one mask per sample held for every step.
        /// Default 0 (Keras <c>recurrent_dropout</c>).</summary>
        public float RecurrentDropout { get; set; }

        /// <summary>Whether the layer reads the sequence from its last step to its first. Its sequence output stays aligned with the input
        /// steps (as PyTorch's reverse direction; Keras <c>go_backwards</c> returns it reversed). Default false.</summary>
        public bool GoBackwards { get; set; }

        /// <summary>Whether the layer has a bias. Default true.</summary>
        public bool UseBias { get; set; } = true;

        /// <summary>Initializer of the input weights. Default <see cref="Initializer.GlorotUniform"/> (Keras).</summary>
        public Initializer KernelInitializer { get; set; } = Initializer.GlorotUniform;

        /// <summary>Initializer of the recurrent weights. Default <see cref="Initializer.Orthogonal"/> (Keras).</summary>
        public Initializer RecurrentInitializer { get; set; } = Initializer.Orthogonal;

        /// <summary>Initializer of the bias. Default <see cref="Initializer.Zeros"/> (Keras).</summary>
        public Initializer BiasInitializer { get; set; } = Initializer.Zeros;
    }

    /// <summary>A fully connected recurrent layer h_t = act(x_t W_ih^T + h_(t-1) W_hh^T + b) (Keras <c>SimpleRNN</c>; PyTorch <c>nn.RNN</c>,
    /// whose two biases are summed into the one bias on import). A 100-input, 50-unit layer has 7,550 parameters.</summary>
    public sealed class SimpleRnnAttribute : RecurrentAttribute
    {
        /// <summary>The state's activation: <see cref="Unroll.Activation.Tanh"/> (default) or <see cref="Unroll.Activation.Relu"/>.</summary>
        public Activation Activation { get; set; } = Activation.Tanh;
    }

    /// <summary>Long short-term memory (Keras <c>LSTM</c>; PyTorch <c>nn.LSTM</c>). Gates in PyTorch and Keras order: input, forget,
    /// cell candidate, output; sigmoid gates, tanh candidate and output. One bias of 4 * units (PyTorch's two are summed on import).</summary>
    public sealed class LstmAttribute : RecurrentAttribute
    {
        /// <summary>Whether the forget gate's bias starts at 1 (Keras <c>unit_forget_bias</c>, default true).</summary>
        public bool UnitForgetBias { get; set; } = true;
    }

    /// <summary>Gated recurrent unit in the formulation of PyTorch's <c>nn.GRU</c>, which is Keras <c>GRU(reset_after=True)</c>:
    /// gates reset, update, new (PyTorch order); the reset gate multiplies the recurrent product after its bias, so the layer has
    /// two biases of 3 * units (<c>name.bias_ih</c>, <c>name.bias_hh</c>).</summary>
    public sealed class GruAttribute : RecurrentAttribute
    {
    }

    /// <summary>Runs the recurrent layer on the same member both forwards and backwards and merges the two outputs (Keras
    /// <c>Bidirectional</c>; PyTorch <c>bidirectional=True</c>). Put it beside <see cref="SimpleRnnAttribute"/>,
    /// <see cref="LstmAttribute"/> or <see cref="GruAttribute"/>. The backward half's tensors are saved with the suffix
    /// <c>_reverse</c>, as PyTorch.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class BidirectionalAttribute : Attribute
    {
        /// <summary>Wraps the recurrent layer.</summary>
        /// <param name="merge">How the two outputs are combined. Default <see cref="MergeMode.Concat"/>.</param>
        public BidirectionalAttribute(MergeMode merge = MergeMode.Concat) => Merge = merge;

        /// <summary>How the two outputs are combined.</summary>
        public MergeMode Merge { get; }
    }

    /// <summary>Applies the <see cref="DenseAttribute"/> on the same member at every step of its input sequence, with one set of
    /// weights (Keras <c>TimeDistributed(Dense(...))</c>; PyTorch: <c>nn.Linear</c> on a (batch, steps, features) tensor).</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public sealed class TimeDistributedAttribute : Attribute
    {
    }
}
