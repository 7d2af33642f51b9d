using System;
using System.Collections.Generic;

namespace Unroll
{
    /// <summary>One named parameter tensor of a layer, located in the model's flat parameter span.</summary>
    public sealed class ParameterTensor
    {
        /// <summary>Creates the description of a tensor; generated code calls this once per tensor.</summary>
        public ParameterTensor(string name, string fullName, int offset, params int[] shape)
        {
            Name = name;
            FullName = fullName;
            Offset = offset;
            Shape = shape;
            int length = 1;
            foreach (int d in shape) length *= d;
            Length = length;
        }

        /// <summary>The tensor's name within its layer: <c>weight</c>, <c>bias</c> or <c>alpha</c>.</summary>
        public string Name { get; }

        /// <summary>The name used in safetensors files, <c>layer.weight</c>, as in a PyTorch <c>state_dict</c>.</summary>
        public string FullName { get; }

        /// <summary>Offset of the first value in the model's flat <c>Parameters</c> span.</summary>
        public int Offset { get; }

        /// <summary>Dimensions, row-major, in PyTorch's layout (a dense weight is (units, inputs)).</summary>
        public IReadOnlyList<int> Shape { get; }

        /// <summary>Number of values.</summary>
        public int Length { get; }
    }

    /// <summary>
    /// A view of one layer of a generated model: its parameters and gradients as spans into the model's
    /// flat buffers, and whether the optimizer updates it.
    /// </summary>
    public sealed class Layer
    {
        private readonly Memory<float> _parameters;
        private readonly Memory<float> _gradients;
        private readonly ParameterTensor[] _tensors;
        private readonly Kernels.PackedWeights _packed;

        /// <summary>Creates the view; generated code calls this once per layer, in the model's constructor. <see cref="Load"/> tells
        /// <paramref name="packed"/> the parameters changed, and a writable view (<see cref="Parameters"/>, <see cref="Weight"/>,
        /// <see cref="Bias"/>, the indexer) that it may be written through (<see cref="Kernels.PackedWeights.ViewTaken"/>).</summary>
        /// <param name="name">The member name.</param>
        /// <param name="kind">The kind of layer.</param>
        /// <param name="parameters">All of the model's parameters (its <c>Parameters</c>), which <paramref name="offset"/> indexes.</param>
        /// <param name="gradients">All of the model's gradients, laid out as <paramref name="parameters"/>.</param>
        /// <param name="offset">This layer's first parameter.</param>
        /// <param name="length">This layer's number of parameters.</param>
        /// <param name="frozen">Whether the optimizer leaves the layer unchanged.</param>
        /// <param name="packed">The model's packed weights, which Predict reads.</param>
        /// <param name="tensors">The layer's tensors, offsets in <paramref name="parameters"/>.</param>
        public Layer(string name, string kind, Memory<float> parameters, Memory<float> gradients, int offset, int length, bool frozen,
            Kernels.PackedWeights packed, params ParameterTensor[] tensors)
        {
            ArgumentNullException.ThrowIfNull(packed);
            _packed = packed;
            Name = name;
            Kind = kind;
            _parameters = parameters;
            _gradients = gradients;
            Offset = offset;
            ParameterCount = length;
            Frozen = frozen;
            _tensors = tensors;
        }

        /// <summary>The member name the layer was declared with.</summary>
        public string Name { get; }

        /// <summary>The kind of layer: <c>Input</c>, <c>Dense</c>, <c>Activation</c>, <c>Dropout</c>.</summary>
        public string Kind { get; }

        /// <summary>When true, the optimizer leaves this layer's parameters unchanged (gradients are still computed for the layers below).</summary>
        public bool Frozen { get; set; }

        /// <summary>Offset of this layer's first parameter in the model's flat <c>Parameters</c> span.</summary>
        public int Offset { get; }

        /// <summary>Number of parameters of this layer.</summary>
        public int ParameterCount { get; }

        /// <summary>The parameter tensors of this layer, in storage order.</summary>
        public IReadOnlyList<ParameterTensor> Tensors => _tensors;

        /// <summary>All parameters of this layer, writable. Once a writable view is taken, the model's <c>Predict</c> packs its weights on
        /// every call until the model's <c>ParametersChanged()</c> says the writing is over (see <see cref="Kernels.PackedWeights"/>).</summary>
        public Span<float> Parameters
        {
            get
            {
                _packed.ViewTaken();
                return _parameters.Span.Slice(Offset, ParameterCount);
            }
        }

        /// <summary>The gradients of all parameters of this layer, from the last backward pass.</summary>
        public Span<float> Gradients => _gradients.Span.Slice(Offset, ParameterCount);

        /// <summary>The values of the tensor named <paramref name="tensorName"/> (<c>weight</c>, <c>bias</c>, <c>alpha</c>), writable: as
        /// <see cref="Parameters"/>, call the model's <c>ParametersChanged()</c> after writing.</summary>
        /// <exception cref="KeyNotFoundException">The layer has no such tensor; the message lists the ones it has.</exception>
        public Span<float> this[string tensorName]
        {
            get
            {
                ParameterTensor t = Find(tensorName);
                _packed.ViewTaken();
                return _parameters.Span.Slice(t.Offset, t.Length);
            }
        }

        /// <summary>
        /// Copies <paramref name="values"/>, row-major in the tensor's <see cref="ParameterTensor.Shape"/>, into the tensor named
        /// <paramref name="tensorName"/>: typically a pretrained embedding table, <c>model.Embed.Load("weight", vectors)</c> with
        /// vectors of (vocabulary, dimension) floats, as PyTorch's <c>nn.Embedding.from_pretrained(vectors)</c> or Keras'
        /// <c>embeddings_initializer=Constant(vectors)</c>. Set <see cref="Frozen"/> (or declare the layer with
        /// <c>Trainable = false</c>) to keep it fixed, as <c>from_pretrained(..., freeze=True)</c>. Unlike copying into
        /// <c>this[tensorName]</c>, a table of the wrong size is an error, not a partial copy.
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="values"/> does not have exactly the tensor's number of values; the
        /// message names the layer, the tensor, its shape and both lengths. Nothing is copied.</exception>
        /// <exception cref="KeyNotFoundException">The layer has no such tensor; the message lists the ones it has.</exception>
        public void Load(string tensorName, ReadOnlySpan<float> values)
        {
            ParameterTensor t = Find(tensorName);
            if (values.Length != t.Length)
                throw new ArgumentException(
                    $"Layer '{Name}' ({Kind}) tensor '{t.Name}' has shape [{string.Join(", ", t.Shape)}] = {t.Length} values, but {values.Length} were given.",
                    nameof(values));
            values.CopyTo(_parameters.Span.Slice(t.Offset, t.Length));
            _packed.Modified();
        }

        /// <summary>The gradient of the tensor named <paramref name="tensorName"/>.</summary>
        public Span<float> GradientOf(string tensorName)
        {
            ParameterTensor t = Find(tensorName);
            return _gradients.Span.Slice(t.Offset, t.Length);
        }

        /// <summary>The weight matrix, (units, inputs) row-major.</summary>
        public Span<float> Weight => this["weight"];

        /// <summary>The bias vector.</summary>
        public Span<float> Bias => this["bias"];

        private ParameterTensor Find(string tensorName)
        {
            foreach (ParameterTensor t in _tensors)
                if (t.Name == tensorName)
                    return t;
            var names = new List<string>();
            foreach (ParameterTensor t in _tensors) names.Add(t.Name);
            throw new KeyNotFoundException(
                $"Layer '{Name}' ({Kind}) has no tensor '{tensorName}'; it has: {(names.Count == 0 ? "none" : string.Join(", ", names))}.");
        }

        /// <inheritdoc/>
        public override string ToString() => $"{Name} ({Kind}, {ParameterCount} parameters{(Frozen ? ", frozen" : "")})";
    }
}
