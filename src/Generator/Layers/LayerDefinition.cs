using System.Collections.Generic;
using Unroll.Generator.Graph;
using Unroll.Generator.Helpers;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;

namespace Unroll.Generator.Layers
{
    /// <summary>How a layer's output time axis gets its padding mask.</summary>
    internal enum MaskRule
    {
        /// <summary>The mask of its inputs on the same time axis (the product when they differ), as Keras propagates masks.</summary>
        Propagate,
        /// <summary>The layer writes a mask of its own (an Embedding with MaskZero).</summary>
        Create,
        /// <summary>The output has no mask (a new time axis, or none).</summary>
        None,
    }

    /// <summary>
    /// One kind of layer, in one file: what it reads from its attribute, the shape it gives and the diagnostics it raises
    /// (pointing at the argument), its parameter tensors (PyTorch names and layouts) and buffers, and the code of its forward,
    /// backward and inference passes, which call its kernels (<c>Kernels/&lt;Layer&gt;.cs</c> in the runtime). The parser,
    /// checker, planner and emitter ask the node's definition; none of them switches on the kind. Families share a base
    /// (<see cref="Merging.MergeLayer"/>, <see cref="Recurrent.RecurrentLayer"/>), as Keras' <c>base_merge.py</c>.
    /// </summary>
    internal abstract class LayerDefinition
    {
        /// <summary>The attribute's name without "Attribute" (Dense, Lstm, Concatenate); also the kind a Layer view reports.</summary>
        public abstract string Name { get; }

        public string AttributeName => "Unroll." + Name + "Attribute";

        /// <summary>The type column of the Keras summary.</summary>
        public virtual string KerasName(Node node) => Name;

        /// <summary>Whether this is where data enters the model ([Input]).</summary>
        public virtual bool IsModelInput => false;

        /// <summary>For a model input: whether it takes token ids rather than floats (known from its options alone, for stubs).</summary>
        public virtual bool TakesTokens(LayerOptions options) => false;

        /// <summary>How many inputs the layer takes; a merge takes two or more.</summary>
        public virtual int MinInputs => 1;
        public virtual int MaxInputs => 1;

        /// <summary>The wrapper attributes this layer accepts on its member ("Bidirectional", "TimeDistributed").</summary>
        public virtual IReadOnlyList<string> Wrappers => System.Array.Empty<string>();

        /// <summary>Reads the layer's own arguments into its options record.</summary>
        public abstract LayerOptions Read(AttributeArguments args);

        /// <summary>The layers named as inputs: <c>From</c> by default; a merge lists them in its constructor.</summary>
        public virtual EquatableArray<string> ReadInputs(AttributeArguments args) =>
            args.String("From") is { } from ? new EquatableArray<string>(new[] { from }) : EquatableArray<string>.Empty;

        /// <summary>The argument whose location a diagnostic about input <paramref name="index"/> points at.</summary>
        public virtual string InputArgument(int index) => "From";

        /// <summary>Checks of the options alone (sizes, rates), before any shape is known.</summary>
        public virtual void CheckOptions(CheckContext c)
        {
        }

        /// <summary>Layers that must run before this one besides its inputs, with the argument that names them (InitialState).</summary>
        public virtual IEnumerable<(string Layer, string Argument)> Dependencies(LayerSpec spec) => System.Array.Empty<(string, string)>();

        /// <summary>The output shape from the input shapes, or null after reporting why the inputs do not fit.</summary>
        public abstract Shape? InferShape(ShapeContext c);

        public virtual MaskRule Mask => MaskRule.Propagate;

        /// <summary>Parameter tensors and buffers beyond the output (which the planner gives every node).</summary>
        public virtual void Plan(PlanContext p)
        {
        }

        /// <summary>Whether the output may share the input's floats (a reshape that moves nothing). The planner shares them unless
        /// the node is an output, whose gradient its loss seeds: then the layer copies forward and adds its gradient backward when
        /// <see cref="EmitContext.Aliased"/> is false.</summary>
        public virtual bool IsView(Node node) => false;

        /// <summary>Whether the output is the input at inference (Dropout).</summary>
        public virtual bool IsIdentityAtInference(Node node) => false;

        /// <summary>The training forward pass: reads the inputs' values, writes the output and what backward needs.</summary>
        public abstract void Forward(EmitContext e);

        /// <summary>The backward pass: adds the gradients of the inputs and parameters from the output's gradient.</summary>
        public abstract void Backward(EmitContext e);

        /// <summary>The inference pass; by default the forward pass on the inference buffers, with training off.</summary>
        public virtual void Inference(EmitContext e) => Forward(e);

        /// <summary>What the layer does, for comments and docs: "dense 4 -> 8, relu".</summary>
        public abstract string Describe(Node node);

        /// <summary>The activation at the layer's output (what a loss after it sees).</summary>
        public virtual Activation Activation(Node node) => Model.Activation.Linear;

        /// <summary>Whether a softmax before this layer still reaches an output unchanged (Dropout), for the softmax-on-hidden warning.</summary>
        public virtual bool PassesValuesThrough => false;

        /// <summary>Whether a loss on this node's output can be fused with its softmax/sigmoid (the node has no other readers).</summary>
        public virtual bool CanFuseLoss(Node node) => false;

        /// <summary>Why truncated BPTT cannot run this layer on windows of the input's steps ("'X' ..."), or null. Besides this, the
        /// planner requires every layer to keep the input's time axis step by step.</summary>
        public virtual string? WindowProblem(Node node, Node input) => null;

        /// <summary>When the loss is fused with this layer's softmax/sigmoid: the gradient the loss writes (the logits'); null
        /// when it cannot fuse. The layer's backward then skips that activation when <see cref="EmitContext.FromLoss"/>.</summary>
        public virtual string? LogitsGradient(EmitContext e) => null;

        /// <summary>L1/L2 penalties the loss adds for the layer's tensors (Keras <c>kernel_regularizer</c>).</summary>
        public virtual IEnumerable<(string Tensor, float L1, float L2)> Penalties(Node node) => System.Array.Empty<(string, float, float)>();

        /// <summary>Whether the layer reads token ids (an embedding); any other layer fed token ids is reported.</summary>
        public virtual bool AcceptsTokens => false;
    }
}
