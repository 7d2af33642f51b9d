using System.Collections.Generic;
using Unroll.Generator.Layers;
using Unroll.Generator.Model;

namespace Unroll.Generator.Graph
{
    /// <summary>One attributed member of the model: a layer of the catalogue applied to 0..n input nodes. The checker links
    /// the nodes into a DAG and infers their shapes; the planner adds parameters and buffers; the emitter walks them in
    /// <see cref="Order"/> for forward passes and in reverse for backward.</summary>
    internal sealed class Node
    {
        public Node(LayerSpec member, LayerSpec layer, LayerDefinition definition)
        {
            Member = member;
            Spec = layer;
            Layer = definition;
            Owner = this;
        }

        /// <summary>The member as declared: its name, locations, inputs and [Output].</summary>
        public LayerSpec Member { get; }

        /// <summary>The layer it applies: the member itself, or for a [Shared] member the layer whose weights it shares.</summary>
        public LayerSpec Spec { get; }

        public LayerDefinition Layer { get; }

        public string Name => Member.Name;

        /// <summary>The node whose parameters this one uses: itself, or the layer it shares.</summary>
        public Node Owner { get; set; }

        public bool IsShared => !ReferenceEquals(Owner, this);

        public T Options<T>() where T : LayerOptions => (T)Spec.Options;

        public List<Node> Inputs { get; } = new();

        /// <summary>The nodes that read this one's output (its gradient is the sum of theirs).</summary>
        public List<Node> Consumers { get; } = new();

        /// <summary>Nodes that must run before this one besides its inputs (a recurrent layer's InitialState source).</summary>
        public List<Node> Dependencies { get; } = new();

        public Shape Shape { get; set; } = null!;

        public Shape InputShape(int i) => Inputs[i].Shape;

        /// <summary>Position in execution order (topological, declaration order among independent nodes).</summary>
        public int Order { get; set; }

        public bool IsModelInput => Layer.IsModelInput;

        // Parameters: set on the owner; a shared node reads its owner's.
        public int ParameterOffset { get; set; }
        public int ParameterCount { get; set; }
        public List<TensorPlan> Tensors { get; } = new();

        /// <summary>The buffers in the arenas: the output (suffix "") first, then what the layer asked for.</summary>
        public List<BufferPlan> Buffers { get; } = new();

        public BufferPlan? Output => Find("");

        public BufferPlan? Find(string suffix)
        {
            foreach (BufferPlan b in Buffers)
                if (b.Suffix == suffix) return b;
            return null;
        }

        /// <summary>The padding mask (steps, B) of this node's time axis, or null.</summary>
        public BufferPlan? Mask { get; set; }

        /// <summary>When the node's inputs bring different masks: those masks, whose product is <see cref="Mask"/> (a step is
        /// padding if it is padding in any input).</summary>
        public List<BufferPlan> MaskSources { get; } = new();

        /// <summary>Set when the node is one of the model's outputs.</summary>
        public OutputPlan? OutputOf { get; set; }

        /// <summary>Whether anything wants the gradient of this node's output (not for token ids).</summary>
        public bool NeedsGradient => !Shape.IsTokens;

        /// <summary>The unique camelCase base of every local the generated code names after this node.</summary>
        public string Local { get; set; } = "";

        /// <summary>What the layer kind keeps between planning and emitting (a recurrent layer's directions).</summary>
        public object? State { get; set; }

        public override string ToString() => Name + " (" + Layer.Name + ")";
    }
}
