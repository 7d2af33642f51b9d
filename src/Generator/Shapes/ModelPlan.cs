using System.Collections.Generic;
using Unroll.Generator.Model;

namespace Unroll.Generator.Shapes
{
    /// <summary>One parameter tensor: where it lives in the flat parameter buffer and how it is initialized.</summary>
    /// <remarks><paramref name="OnesFrom"/>/<paramref name="OnesCount"/>: a slice set to 1 after the initializer (an LSTM's forget-gate
    /// bias under Keras <c>unit_forget_bias</c>); count 0 for none.</remarks>
    internal sealed record TensorPlan(string Name, string FullName, int Offset, int[] Shape, int Length, Initializer Initializer, float Scale, int FanIn, int FanOut,
        int OnesFrom = 0, int OnesCount = 0);

    /// <summary>One direction of a recurrent layer: its tensors and its buffers in the activation arena (-1: absent).
    /// Sizes are for MaxBatch rows; at run time each buffer is sliced to the batch.</summary>
    internal sealed class DirectionPlan
    {
        public DirectionPlan(bool reverse) => Reverse = reverse;

        /// <summary>Reads the sequence from the last step to the first (the backward half of a bidirectional layer, or GoBackwards).</summary>
        public bool Reverse { get; }

        public string Suffix => Reverse && Bidirectional ? "Reverse" : "";
        public bool Bidirectional { get; set; }

        public TensorPlan WeightIh { get; set; } = null!;
        public TensorPlan WeightHh { get; set; } = null!;
        /// <summary>The one bias of SimpleRnn and Lstm, or the GRU's input bias.</summary>
        public TensorPlan? Bias { get; set; }
        /// <summary>The GRU's recurrent bias.</summary>
        public TensorPlan? BiasHh { get; set; }

        /// <summary>States h, (steps + 1) slots of (B, units): the initial state and the state after each step.</summary>
        public int StatesOffset { get; set; } = -1;
        /// <summary>LSTM cell states, laid out as <see cref="StatesOffset"/>.</summary>
        public int CellsOffset { get; set; } = -1;
        /// <summary>Post-activation gates (steps, B, gates * units) for LSTM and GRU.</summary>
        public int GatesOffset { get; set; } = -1;
        /// <summary>The GRU's recurrent part of the new gate before the reset gate multiplies it (steps, B, units).</summary>
        public int HiddenNOffset { get; set; } = -1;
        /// <summary>Per-step scratch ((gates + 1) * B * units); its mirror in the gradient arena is the backward's carry.</summary>
        public int ScratchOffset { get; set; } = -1;
        /// <summary>This direction's own output sequence (steps, B, units) when two directions are merged.</summary>
        public int OutputOffset { get; set; } = -1;
        /// <summary>Input dropout: the mask (B, inputs) and the dropped input (steps, B, inputs).</summary>
        public int DropoutMaskOffset { get; set; } = -1;
        public int DroppedInputOffset { get; set; } = -1;
        /// <summary>Recurrent dropout mask (B, units).</summary>
        public int RecurrentMaskOffset { get; set; } = -1;
    }

    /// <summary>A layer on the path from the input to the output, with its shapes and buffer offsets.</summary>
    internal sealed class NodePlan
    {
        public NodePlan(LayerSpec layer, int inputWidth, int width, int inputSteps = 0, int steps = 0)
        {
            Layer = layer;
            InputWidth = inputWidth;
            Width = width;
            InputSteps = inputSteps;
            Steps = steps;
        }

        /// <summary>Steps of the input sequence (0: the input is one vector per sample).</summary>
        public int InputSteps { get; }

        /// <summary>Steps of the output sequence (0: one vector per sample). Sequences are time-major (steps, B, Width) in the arenas.</summary>
        public int Steps { get; }

        /// <summary>Floats per sample of the output: Width, times Steps for a sequence.</summary>
        public int SampleFloats => Steps > 0 ? Steps * Width : Width;

        /// <summary>The output is token ids (a token-sequence input).</summary>
        public bool IsTokens { get; set; }

        /// <summary>The embedding whose padding mask applies to this node's sequence (null: unmasked).</summary>
        public NodePlan? MaskSource { get; set; }

        /// <summary>Offset of the padding mask (steps, B) that an embedding with MaskZero writes.</summary>
        public int TimeMaskOffset { get; set; } = -1;

        /// <summary>Units of one direction of a recurrent layer.</summary>
        public int Units => Layer.Size;

        /// <summary>Gate blocks of a recurrent layer: 1 SimpleRnn, 4 LSTM, 3 GRU.</summary>
        public int Gates => Kind switch { LayerKind.Lstm => 4, LayerKind.Gru => 3, _ => 1 };

        /// <summary>A recurrent layer's directions: one, or forward and reverse when bidirectional.</summary>
        public List<DirectionPlan> Directions { get; } = new();

        /// <summary>The recurrent layer whose final state starts this one (InitialState), else null.</summary>
        public NodePlan? InitialStateSource { get; set; }

        /// <summary>Final h (B, units) of a recurrent layer with ReturnState and ReturnSequences (without ReturnSequences the output is the final h).</summary>
        public int FinalStateOffset { get; set; } = -1;

        /// <summary>Final c (B, units) of an LSTM with ReturnState.</summary>
        public int FinalCellOffset { get; set; } = -1;

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
        /// <summary>The model's input is token ids (a sequence of ints per sample).</summary>
        public bool TakesTokens => Input.IsTokens;

        /// <summary>Some layer works on sequences, so the model uses the sequence code paths (full inference arena, time-major buffers).</summary>
        public bool HasSequences => Nodes.Exists(n => n.Steps > 0 || n.InputSteps > 0);

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
