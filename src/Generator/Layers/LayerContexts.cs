using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Unroll.Generator.Emit;
using Unroll.Generator.Graph;
using Unroll.Generator.Model;

namespace Unroll.Generator.Layers
{
    /// <summary>What a layer's option checks see: its spec and a way to report.</summary>
    internal class CheckContext
    {
        private readonly List<DiagnosticInfo> _diagnostics;

        public CheckContext(ModelSpec model, LayerSpec spec, List<DiagnosticInfo> diagnostics)
        {
            Model = model;
            Spec = spec;
            _diagnostics = diagnostics;
        }

        public ModelSpec Model { get; }

        /// <summary>The layer (for a shared member, the layer it shares).</summary>
        public LayerSpec Spec { get; }

        public bool Reported { get; private set; }

        public void Report(string id, LocationInfo? location, params string[] args)
        {
            _diagnostics.Add(DiagnosticInfo.Create(id, location, args));
            Reported = true;
        }

        public static string F(int value) => value.ToString(CultureInfo.InvariantCulture);
        public static string F(long value) => value.ToString(CultureInfo.InvariantCulture);
        public static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>What a layer's shape rule sees: its node, the shapes of its inputs, the other nodes by name.</summary>
    internal sealed class ShapeContext : CheckContext
    {
        private readonly IReadOnlyDictionary<string, Node> _nodes;

        public ShapeContext(ModelSpec model, Node node, IReadOnlyDictionary<string, Node> nodes, List<DiagnosticInfo> diagnostics)
            : base(model, node.Spec, diagnostics)
        {
            Node = node;
            _nodes = nodes;
        }

        public Node Node { get; }

        /// <summary>The member as declared (its name and locations; for a shared member, its own).</summary>
        public LayerSpec Member => Node.Member;

        public int InputCount => Node.Inputs.Count;
        public Shape Input(int i) => Node.Inputs[i].Shape;
        public Node InputNode(int i) => Node.Inputs[i];

        /// <summary>Where a diagnostic about the whole layer points: the member's attribute.</summary>
        public LocationInfo? At => Member.AttributeLocation ?? Member.NameLocation;

        /// <summary>The location of an argument of the layer's attribute (the member's own for a shared member's inputs).</summary>
        public LocationInfo? LocationOf(string argument) => Node.IsShared ? Member.AttributeLocation ?? Member.NameLocation : Spec.LocationOf(argument);

        public Node? Find(string name) => _nodes.TryGetValue(name, out Node? node) ? node : null;
    }

    /// <summary>What a layer's plan step uses: its node, and ways to add parameter tensors and buffers.</summary>
    internal sealed class PlanContext
    {
        private readonly Func<Node, string, int[], Initializer, float, int, int, int, int, TensorPlan> _tensor;
        private readonly Action<TensorPlan> _packAtInference;
        private readonly IReadOnlyDictionary<string, Node> _nodes;

        public PlanContext(ModelSpec model, Node node, IReadOnlyDictionary<string, Node> nodes,
            Func<Node, string, int[], Initializer, float, int, int, int, int, TensorPlan> tensor, Action<TensorPlan> packAtInference)
        {
            Model = model;
            Node = node;
            _nodes = nodes;
            _tensor = tensor;
            _packAtInference = packAtInference;
        }

        public ModelSpec Model { get; }
        public Node Node { get; }

        /// <summary>Whether this node owns its parameters (false for a [Shared] member, which uses its owner's).</summary>
        public bool OwnsParameters => !Node.IsShared;

        public Node? Find(string name) => _nodes.TryGetValue(name, out Node? node) ? node : null;

        /// <summary>Adds a parameter tensor named <c>member.name</c> in PyTorch's layout.</summary>
        public TensorPlan Tensor(string name, int[] shape, Initializer initializer, float scale, int fanIn, int fanOut, int onesFrom = 0, int onesCount = 0) =>
            _tensor(Node, name, shape, initializer, scale, fanIn, fanOut, onesFrom, onesCount);

        /// <summary>Keeps a (rows, columns) weight that the layer's inference multiplies as x·Wᵀ packed between <c>Predict</c> calls
        /// (<c>Unroll.Kernels.PackedWeights</c>); the layer passes <see cref="EmitContext.Packed"/> to its kernel.</summary>
        public void PackAtInference(TensorPlan tensor) => _packAtInference(tensor);

        /// <summary>Adds a buffer named by <paramref name="suffix"/> (the local is the node's plus the suffix).</summary>
        public BufferPlan Buffer(string suffix, long perRow, Extent extent, string comment, string? gradientComment = null,
            bool clearGradient = false, InferenceUse inference = InferenceUse.None, TimeAxis? time = null)
        {
            var buffer = new BufferPlan(Node, suffix, perRow, extent, extent == Extent.Sample ? null : time ?? Node.Shape.Time ?? Node.InputShape(0).Time,
                comment, gradientComment, clearGradient, inference);
            Node.Buffers.Add(buffer);
            return buffer;
        }

        /// <summary>"Hidden" for comments; a shape in the arena's layout: "(B, 8)", "(steps, B, 8)".</summary>
        public static string Layout(Shape shape) =>
            shape.IsSequence ? "(steps, B, " + Dims(shape) + ")" : "(B, " + Dims(shape) + ")";

        public static string Dims(Shape shape) => string.Join(", ", shape.Dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Which generated method a layer is writing into.</summary>
    internal enum Pass { Forward, Backward, Inference }

    /// <summary>
    /// What a layer's emission uses: the names of its inputs' and output's views and gradients, its buffers and parameters,
    /// the row counts of the run-time batch and steps, and the writer. Every name comes from here, so a layer never builds
    /// a local's name itself.
    /// </summary>
    internal sealed class EmitContext
    {
        private readonly INaming _names;

        /// <summary>How the method being written names things: its views, the caller's spans, the arena.</summary>
        internal interface INaming
        {
            /// <summary>The value of a node's output: its view, the caller's span, or a token span.</summary>
            string Value(Node node);
            string Value(BufferPlan buffer);
            string Gradient(BufferPlan buffer);
            /// <summary>Whether a node's gradient may be empty at run time (a model input whose gradient was not asked for).</summary>
            bool GradientOptional(Node node);
            /// <summary>A view of the arena beyond a buffer's run-time view.</summary>
            string Slice(BufferPlan buffer, string start, string length);
        }

        public EmitContext(SourceWriter writer, Node node, Pass pass, bool fused, bool truncated, INaming names)
        {
            W = writer;
            Node = node;
            Pass = pass;
            Fused = fused;
            Truncated = truncated;
            _names = names;
        }

        private string _value(BufferPlan b) => _names.Value(b);
        private string _gradient(BufferPlan b) => _names.Gradient(b);
        private bool _gradientOptional(Node n) => _names.GradientOptional(n);
        private string _slice(BufferPlan b, string start, string length) => _names.Slice(b, start, length);

        public SourceWriter W { get; }
        public Node Node { get; }
        public Pass Pass { get; }

        /// <summary>Backward: the loss was fused with this layer's activation (see <see cref="LayerDefinition.LogitsGradient"/>).</summary>
        public bool Fused { get; }

        /// <summary>The model trains with truncated BPTT (recurrent layers carry state between windows).</summary>
        public bool Truncated { get; }

        public bool IsInference => Pass == Pass.Inference;

        /// <summary>The expression that says whether dropout is on: "training" in the training forward pass.</summary>
        public string Training => "training";

        /// <summary>In backward: the parameter that says the output gradient came from the loss (fused activations are skipped).</summary>
        public string FromLoss => "fromLoss";

        public void Line(string text) => W.Line(text);

        public Node Input(int i) => Node.Inputs[i];

        /// <summary>The value of input <paramref name="i"/>: a view, a token span, or the caller's span.</summary>
        public string X(int i = 0) => Value(Node.Inputs[i]);

        public string Value(Node node) => _names.Value(node);

        /// <summary>The gradient of input <paramref name="i"/>, or "default" when nothing wants it.</summary>
        public string DX(int i = 0) => Node.Inputs[i].NeedsGradient ? _gradient(Node.Inputs[i].Output!) : "default";

        /// <summary>Whether input <paramref name="i"/>'s gradient may be empty at run time (a model input whose gradient was not asked for).</summary>
        public bool GradientOptional(int i = 0) => _gradientOptional(Node.Inputs[i]);

        /// <summary>Writes a statement that only computes input <paramref name="i"/>'s gradient: not at all when nothing wants it,
        /// guarded when it may be empty.</summary>
        public void InputGradient(int i, string statement)
        {
            if (!Node.Inputs[i].NeedsGradient) return;
            if (GradientOptional(i)) Line("if (!" + DX(i) + ".IsEmpty) " + statement);
            else Line(statement);
        }

        /// <summary>Whether the node's output is its input's floats in this pass (a view, or the identity at inference), so writing
        /// it needs no code.</summary>
        public bool Aliased => Node.Output is { } b && (IsInference ? b.InferenceAlias : b.TrainingAlias) is not null;

        public string Y => _value(Node.Output!);
        public string DY => _gradient(Node.Output!);

        public string GradientOf(Node node) => _gradient(node.Output!);

        /// <summary>A view of <paramref name="length"/> floats from <paramref name="start"/> into one of the node's buffers, beyond the
        /// run-time view if need be (truncated BPTT reads the previous window's last state).</summary>
        public string Slice(string suffix, string start, string length) => _slice(Node.Find(suffix)!, start, length);

        public string Buf(string suffix) => _value(Node.Find(suffix)!);
        public string DBuf(string suffix) => _gradient(Node.Find(suffix)!);
        public string Buf(Node node, string suffix) => _value(node.Find(suffix)!);
        public string DBuf(Node node, string suffix) => _gradient(node.Find(suffix)!);
        public bool Has(string suffix) => Node.Find(suffix) is not null;

        /// <summary>The local of a parameter tensor (of the owner, for a shared layer): hidden + weight -> hiddenWeight.</summary>
        public string Param(string tensor) => Emit.Names.ParamLocal(Node.Owner, tensor, gradient: false);
        public string DParam(string tensor) => Emit.Names.ParamLocal(Node.Owner, tensor, gradient: true);
        public bool HasParam(string tensor) => Node.Owner.Tensors.Any(t => t.Name == tensor);
        public TensorPlan Tensor(string tensor) => Node.Owner.Tensors.First(t => t.Name == tensor);

        /// <summary>In the inference pass, the packed copy of a tensor kept by <see cref="PlanContext.PackAtInference"/>, as an extra kernel
        /// argument (", packed?[0]", or named by <paramref name="parameter"/>); otherwise, or for a tensor not kept packed, nothing (the kernel
        /// packs for itself).</summary>
        public string Packed(string tensor, string? parameter = null) =>
            IsInference && Tensor(tensor).PackedIndex is int index and >= 0 ? ", " + (parameter is null ? "" : parameter + ": ") + "packed?[" + I(index) + "]" : "";

        /// <summary>The rows a kernel sees for a shape: the batch, or every step of every sample of a sequence.</summary>
        public static string Rows(Shape shape) => shape.IsSequence ? "batch * " + shape.Time!.Var : "batch";

        public string Rows() => Rows(Node.Shape);
        public string InputRows(int i = 0) => Rows(Node.InputShape(i));

        /// <summary>The run-time steps of a shape's time axis.</summary>
        public static string Steps(Shape shape) => shape.Time?.Var ?? "1";

        /// <summary>The padding mask (steps, B) of input <paramref name="i"/>, or "default" when it has none.</summary>
        public string InputMask(int i = 0) => Node.Inputs[i].Mask is { } mask ? _value(mask) : "default";

        /// <summary>The value view of any buffer (a padding mask).</summary>
        public string Value(BufferPlan buffer) => _value(buffer);

        public static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
        public static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
        public static string Float(float value) => Emit.Names.Float(value);
        public const string K = Emit.Names.Kernels;
    }
}
