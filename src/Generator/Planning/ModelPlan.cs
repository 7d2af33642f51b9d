using System.Collections.Generic;
using System.Linq;
using Unroll.Generator.Graph;
using Unroll.Generator.Model;

namespace Unroll.Generator.Planning
{
    /// <summary>The checked model: the nodes in execution order with their shapes, tensors and buffer offsets, ready to emit.</summary>
    internal sealed class ModelPlan
    {
        public ModelPlan(ModelSpec spec, List<Node> nodes, List<InputPlan> inputs, List<OutputPlan> outputs)
        {
            Spec = spec;
            Nodes = nodes;
            Inputs = inputs;
            Outputs = outputs;
        }

        public ModelSpec Spec { get; }

        /// <summary>Every computed node, in execution order (inputs first among equals).</summary>
        public List<Node> Nodes { get; }

        public List<InputPlan> Inputs { get; }
        public List<OutputPlan> Outputs { get; }

        /// <summary>The members not on any path to an output (warned), whose properties throw.</summary>
        public List<LayerSpec> Unused { get; } = new();

        /// <summary>The distinct time axes, each with its run-time local.</summary>
        public List<TimeAxis> TimeAxes { get; } = new();

        public int ParameterCount { get; set; }

        /// <summary>The (rows, columns) weights the model keeps packed for its inference products, in <see cref="TensorPlan.PackedIndex"/> order.</summary>
        public List<TensorPlan> PackedWeights { get; } = new();
        public int TrainableParameterCount { get; set; }

        /// <summary>Floats of the activation arena (and of the gradient arena, which mirrors it).</summary>
        public int ActivationFloats { get; set; }

        /// <summary>Floats of the inference arena: buffers reused once the layers that read them have run.</summary>
        public int InferenceFloats { get; set; }

        public float LearningRate { get; set; }

        /// <summary>The graph is not a plain chain (several inputs or outputs, merges, skips, shared layers): the summary
        /// shows what each layer is connected to, as Keras does for functional models.</summary>
        public bool IsFunctional { get; set; }

        public bool SingleInput => Inputs.Count == 1;
        public bool SingleOutput => Outputs.Count == 1;
        public InputPlan Input => Inputs[0];
        public OutputPlan Output => Outputs[0];

        public bool HasSequences => Nodes.Any(n => n.Shape.IsSequence);
        public bool Truncated => Spec.BpttWindow > 0;

        /// <summary>Nodes that own parameters, in order.</summary>
        public IEnumerable<Node> WithParameters => Nodes.Where(n => !n.IsShared && n.ParameterCount > 0);

        /// <summary>Nodes that get a Layer view of their own (a shared member shows its owner's).</summary>
        public IEnumerable<Node> LayerViews => Nodes.Where(n => !n.IsShared);
    }
}
