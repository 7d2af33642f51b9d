using System.Collections.Generic;
using Unroll.Generator.Model;

namespace Unroll.Generator.Shapes
{
    /// <summary>One parameter tensor: where it lives in the flat parameter buffer and how it is initialized.</summary>
    internal sealed record TensorPlan(string Name, string FullName, int Offset, int[] Shape, int Length, Initializer Initializer, float Scale, int FanIn, int FanOut);

    /// <summary>A layer on the path from the input to the output, with its shapes and buffer offsets.</summary>
    internal sealed class NodePlan
    {
        public NodePlan(LayerSpec layer, int inputWidth, int width)
        {
            Layer = layer;
            InputWidth = inputWidth;
            Width = width;
        }

        public LayerSpec Layer { get; }
        public string Name => Layer.Name;
        public LayerKind Kind => Layer.Kind;

        /// <summary>Floats per sample entering the layer.</summary>
        public int InputWidth { get; }

        /// <summary>Floats per sample leaving the layer.</summary>
        public int Width { get; }

        /// <summary>The layer before this one on the path (null for the input).</summary>
        public NodePlan? Input { get; set; }

        /// <summary>The activation this layer applies (Dense and Activation layers), Linear otherwise.</summary>
        public Activation Activation => Kind is LayerKind.Dense or LayerKind.Activation ? Layer.Activation : Activation.Linear;

        /// <summary>Leaky ReLU slope or ELU alpha (PReLU's initial slope is in its tensor's initializer).</summary>
        public float Alpha { get; set; }

        public int ParameterOffset { get; set; }
        public int ParameterCount { get; set; }
        public List<TensorPlan> Tensors { get; } = new();

        /// <summary>Offset of the output (B, Width) in the activation arena.</summary>
        public int OutputOffset { get; set; } = -1;

        /// <summary>Offset of the pre-activation (B, Width) of a Dense layer with an activation, else -1.</summary>
        public int PreActivationOffset { get; set; } = -1;

        /// <summary>Offset of the dropout mask (B, Width), else -1.</summary>
        public int MaskOffset { get; set; } = -1;

        public TensorPlan? Weight => Find("weight");
        public TensorPlan? Bias => Find("bias");
        public TensorPlan? Slopes => Kind == LayerKind.Activation ? Find("weight") : Find("alpha");

        private TensorPlan? Find(string name)
        {
            foreach (TensorPlan t in Tensors)
                if (t.Name == name) return t;
            return null;
        }
    }

    /// <summary>How the loss meets the output layer.</summary>
    internal enum LossForm
    {
        /// <summary>The loss takes the output and gives its gradient; backward then runs through the output activation.</summary>
        OnOutput,
        /// <summary>The loss takes the softmax/sigmoid output and gives the gradient of the logits directly (the activation's backward is skipped).</summary>
        FusedWithActivation,
        /// <summary>The output is linear and the loss treats it as logits.</summary>
        FromLogits,
    }

    /// <summary>The checked model: every shape, tensor and buffer offset, ready to emit.</summary>
    internal sealed class ModelPlan
    {
        public ModelPlan(ModelSpec spec, List<NodePlan> nodes)
        {
            Spec = spec;
            Nodes = nodes;
        }

        public ModelSpec Spec { get; }

        /// <summary>The layers on the path from the input to the output, in execution order; the first is the input.</summary>
        public List<NodePlan> Nodes { get; }

        public NodePlan Input => Nodes[0];
        public NodePlan Output => Nodes[Nodes.Count - 1];

        public int ParameterCount { get; set; }
        public int TrainableParameterCount { get; set; }

        /// <summary>Floats of the activation arena (and of the activation-gradient arena, which mirrors it).</summary>
        public int ActivationFloats { get; set; }

        /// <summary>Floats per sample of the widest layer: the size of each inference ping-pong buffer row.</summary>
        public int MaxWidth { get; set; }

        public LossForm LossForm { get; set; }

        public float LearningRate { get; set; }

        public bool UsesLabels => Spec.Loss == Loss.SparseCategoricalCrossEntropy;
    }
}
