using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Model;

namespace Unroll.Generator.Shapes
{
    /// <summary>
    /// Shape inference and validation: a pure function from a <see cref="ModelSpec"/> to a <see cref="ModelPlan"/>
    /// (null when the model has errors) and its diagnostics. The analyzer and the generator both call it.
    /// </summary>
    internal static class ModelChecker
    {
        public static (ModelPlan? Plan, List<DiagnosticInfo> Diagnostics) Check(ModelSpec spec)
        {
            var diagnostics = new List<DiagnosticInfo>(spec.ParseDiagnostics);
            CheckHyperparameters(spec, diagnostics);

            List<LayerSpec> layers = spec.Layers.Where(l => l.IsValidMember).ToList();
            var byName = new Dictionary<string, LayerSpec>();
            foreach (LayerSpec l in spec.Layers) byName[l.Name] = l;

            int inputIndex = layers.FindIndex(l => l.Kind == LayerKind.Input);
            if (inputIndex < 0)
            {
                if (spec.Layers.All(l => l.Kind != LayerKind.Input))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoInputId, spec.ClassLocation, spec.ClassName));
                return (null, diagnostics);
            }
            LayerSpec input = layers[inputIndex];
            for (int i = 0; i < inputIndex; i++)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerBeforeInputId, layers[i].AttributeLocation, layers[i].Name, input.Name));
            for (int i = inputIndex + 1; i < layers.Count; i++)
                if (layers[i].Kind == LayerKind.Input)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MultipleInputsId, layers[i].NameLocation, spec.ClassName, layers[i].Name));
            if (input.From is not null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FromOnInputId, input.LocationOf("From"), input.Name));

            foreach (LayerSpec layer in layers)
                CheckLayer(layer, diagnostics);

            // Each layer's input: the one named by From, else the layer declared just before it.
            var predecessor = new Dictionary<string, string>();
            for (int i = inputIndex + 1; i < layers.Count; i++)
            {
                LayerSpec layer = layers[i];
                if (layer.Kind == LayerKind.Input) continue;
                if (layer.From is null)
                {
                    predecessor[layer.Name] = layers[i - 1].Name;
                }
                else if (!byName.ContainsKey(layer.From))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownFromId, layer.LocationOf("From"), layer.Name, layer.From, spec.ClassName));
                }
                else
                {
                    predecessor[layer.Name] = layer.From;
                }
            }

            bool cyclic = false;
            foreach (LayerSpec layer in layers)
            {
                if (layer.From is null || !predecessor.ContainsKey(layer.Name)) continue;
                var path = new List<string> { layer.Name };
                string current = layer.Name;
                while (predecessor.TryGetValue(current, out string? next))
                {
                    path.Add(next);
                    if (next == layer.Name)
                    {
                        cyclic = true;
                        path.Reverse();
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CycleId, layer.LocationOf("From"), layer.Name, layer.From, string.Join(" -> ", path)));
                        break;
                    }
                    if (path.Count > layers.Count + 1) break;
                    current = next;
                }
            }

            LayerSpec output = layers[layers.Count - 1];
            if (output.Kind == LayerKind.Input)
            {
                if (layers.Count(l => l.Kind == LayerKind.Input) == 1)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayerAfterInputId, spec.ClassLocation, spec.ClassName, input.Name));
                return (null, diagnostics);
            }
            if (cyclic || HasErrors(diagnostics))
                return (null, diagnostics);

            // Every layer the output depends on (through From and InitialState), inputs before the layers they feed.
            var chain = new List<LayerSpec>();
            var visited = new HashSet<string>();
            var inProgress = new HashSet<string>();
            var visiting = new List<string>(); // inProgress in visiting order: each layer is a dependency of the one before it
            bool complete = true;
            void Visit(LayerSpec layer)
            {
                if (inProgress.Contains(layer.Name))
                {
                    // Only an InitialState edge can close a cycle here: From cycles were reported above.
                    complete = false;
                    return;
                }
                if (!visited.Add(layer.Name)) return;
                inProgress.Add(layer.Name);
                visiting.Add(layer.Name);
                if (layer.Kind != LayerKind.Input)
                {
                    if (predecessor.TryGetValue(layer.Name, out string? source) && byName[source] is { IsValidMember: true } sourceLayer) Visit(sourceLayer);
                    else complete = false;
                }
                if (layer.IsRecurrent && layer.Seq.InitialState is { } stateName && byName.TryGetValue(stateName, out LayerSpec? stateLayer)
                    && stateLayer.IsValidMember && stateLayer.Name != layer.Name)
                {
                    if (inProgress.Contains(stateLayer.Name))
                    {
                        // The data flows from this layer through the layers being visited to the state's source, and back through the state.
                        List<string> loop = visiting.Skip(visiting.IndexOf(stateLayer.Name)).Reverse().ToList();
                        loop.Add(layer.Name);
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CycleId, layer.LocationOf("InitialState"), layer.Name, stateLayer.Name,
                            string.Join(" -> ", loop)));
                    }
                    Visit(stateLayer);
                }
                inProgress.Remove(layer.Name);
                visiting.RemoveAt(visiting.Count - 1);
                chain.Add(layer);
            }
            Visit(output);
            if (!complete || chain[0].Kind != LayerKind.Input)
                return (null, diagnostics);

            var onPath = new HashSet<string>(chain.Select(l => l.Name));
            foreach (LayerSpec layer in layers)
                if (!onPath.Contains(layer.Name) && layer.Kind != LayerKind.Input)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedLayerId, layer.NameLocation, layer.Name, output.Name));

            ModelPlan? plan = BuildPlan(spec, chain, predecessor, diagnostics);
            if (plan is null)
                return (null, diagnostics);
            CheckTraining(plan, diagnostics);
            return (HasErrors(diagnostics) ? null : plan, diagnostics);
        }

        private static bool HasErrors(List<DiagnosticInfo> diagnostics) =>
            diagnostics.Any(d => DiagnosticDescriptors.Find(d.Id)?.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);

        private static void CheckLayer(LayerSpec layer, List<DiagnosticInfo> diagnostics)
        {
            switch (layer.Kind)
            {
                case LayerKind.Input:
                    CheckInput(layer, diagnostics);
                    break;
                case LayerKind.Dense or LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru when layer.Size < 1:
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSizeId, layer.LocationOf("Units"), "Units", layer.Name, Format(layer.Size)));
                    break;
                case LayerKind.Embedding when layer.Size < 1:
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSizeId, layer.LocationOf("Dimension"), "Dimension", layer.Name, Format(layer.Size)));
                    break;
                case LayerKind.Dropout when !(layer.Rate >= 0f && layer.Rate < 1f):
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DropoutRateId, layer.LocationOf("Rate"), layer.Name, Format(layer.Rate), "Dropout rate"));
                    break;
            }
            SequenceSpec seq = layer.Seq;
            if (layer.IsRecurrent)
            {
                foreach ((float rate, string argument) in new[] { (seq.Dropout, "Dropout"), (seq.RecurrentDropout, "RecurrentDropout") })
                    if (!(rate >= 0f && rate < 1f))
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DropoutRateId, layer.LocationOf(argument), layer.Name, Format(rate), argument));
                if (layer.Kind == LayerKind.SimpleRnn && layer.Activation is not (Activation.Tanh or Activation.Relu))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHyperparameterId, layer.LocationOf("Activation"),
                        $"Activation of SimpleRnn layer '{layer.Name}'", "Tanh or Relu", layer.Activation.ToString()));
                if (seq.Bidirectional && seq.ReturnState)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrapperMisuseId, seq.BidirectionalLocation, layer.Name, "[Bidirectional]",
                        "the layer sets ReturnState, and handing over the states of both directions is not supported"));
                if (seq.Bidirectional && seq.InitialState is not null)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrapperMisuseId, seq.BidirectionalLocation, layer.Name, "[Bidirectional]",
                        "the layer sets InitialState, and starting both directions from a handed-over state is not supported"));
            }
            else if (seq.Bidirectional)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrapperMisuseId, seq.BidirectionalLocation, layer.Name, "[Bidirectional]",
                    "it wraps only a SimpleRnn, Lstm or Gru, and this member is " + KindName(layer.Kind)));
            }
            if (seq.TimeDistributed && layer.Kind != LayerKind.Dense)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrapperMisuseId, seq.TimeDistributedLocation, layer.Name, "[TimeDistributed]",
                    "it wraps only a Dense layer, and this member is " + KindName(layer.Kind)));
            if (layer.Kind == LayerKind.Dense)
            {
                NonNegative(layer.L1, $"L1 of layer '{layer.Name}'", layer.LocationOf("L1"), diagnostics);
                NonNegative(layer.L2, $"L2 of layer '{layer.Name}'", layer.LocationOf("L2"), diagnostics);
            }
        }

        private static string KindName(LayerKind kind) => kind switch
        {
            LayerKind.Input => "an [Input]",
            LayerKind.Activation => "an [Activation]",
            LayerKind.Embedding => "an [Embedding]",
            LayerKind.Lstm => "an [Lstm]",
            _ => "a [" + kind + "]",
        };

        private static void CheckInput(LayerSpec layer, List<DiagnosticInfo> diagnostics)
        {
            SequenceSpec seq = layer.Seq;
            if (seq.Length < 0)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputShapeId, layer.LocationOf("Length"), layer.Name,
                    "Length must not be negative (it is the number of steps of a sequence, 0 for a vector), but is " + Format(seq.Length)));
            if (seq.Vocabulary < 0)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputShapeId, layer.LocationOf("Vocabulary"), layer.Name,
                    "Vocabulary must not be negative (it is the number of token ids, 0 for float features), but is " + Format(seq.Vocabulary)));
            if (seq.Vocabulary > 0 && seq.Length == 0)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputShapeId, layer.LocationOf("Vocabulary"), layer.Name,
                    "token ids come as a sequence; set Length to the number of tokens per sample"));
            else if (seq.Vocabulary > 0 && layer.Size != 0)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputShapeId, layer.LocationOf("Features"), layer.Name,
                    "a token-id input has one id per step and no Features; remove Features = " + Format(layer.Size)));
            else if (seq.Vocabulary == 0 && layer.Size < 1)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSizeId, layer.LocationOf("Features"), "Features", layer.Name, Format(layer.Size)));
        }

        private static void CheckHyperparameters(ModelSpec spec, List<DiagnosticInfo> diagnostics)
        {
            if (spec.MaxBatch < 1)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MaxBatchId, spec.LocationOf("MaxBatch"), spec.ClassName, Format(spec.MaxBatch)));
            if (spec.LearningRate is float lr && !(lr > 0f))
                Invalid("LearningRate", "greater than 0", lr, spec, diagnostics);
            if (!(spec.Momentum >= 0f && spec.Momentum < 1f)) Invalid("Momentum", "in [0, 1)", spec.Momentum, spec, diagnostics);
            if (!(spec.Beta1 >= 0f && spec.Beta1 < 1f)) Invalid("Beta1", "in [0, 1)", spec.Beta1, spec, diagnostics);
            if (!(spec.Beta2 >= 0f && spec.Beta2 < 1f)) Invalid("Beta2", "in [0, 1)", spec.Beta2, spec, diagnostics);
            if (!(spec.Rho >= 0f && spec.Rho < 1f)) Invalid("Rho", "in [0, 1)", spec.Rho, spec, diagnostics);
            if (!(spec.Epsilon > 0f)) Invalid("Epsilon", "greater than 0", spec.Epsilon, spec, diagnostics);
            if (!(spec.HuberDelta > 0f)) Invalid("HuberDelta", "greater than 0", spec.HuberDelta, spec, diagnostics);
            NonNegative(spec.InitialAccumulator, "InitialAccumulator", spec.LocationOf("InitialAccumulator"), diagnostics);
            NonNegative(spec.WeightDecay, "WeightDecay", spec.LocationOf("WeightDecay"), diagnostics);
            NonNegative(spec.ClipValue, "ClipValue", spec.LocationOf("ClipValue"), diagnostics);
            NonNegative(spec.ClipNorm, "ClipNorm", spec.LocationOf("ClipNorm"), diagnostics);
        }

        private static void Invalid(string argument, string expected, float value, ModelSpec spec, List<DiagnosticInfo> diagnostics) =>
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHyperparameterId, spec.LocationOf(argument), argument, expected, Format(value)));

        private static void NonNegative(float value, string what, LocationInfo? location, List<DiagnosticInfo> diagnostics)
        {
            if (!(value >= 0f))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHyperparameterId, location, what, "at least 0", Format(value)));
        }

        private static void CheckTraining(ModelPlan plan, List<DiagnosticInfo> diagnostics)
        {
            ModelSpec spec = plan.Spec;
            NodePlan output = plan.Output;
            foreach (NodePlan node in plan.Nodes)
                if (node.Activation == Activation.Softmax && !OnlyDropoutsAfter(plan, node))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxOnHiddenId, node.Layer.LocationOf("Activation"), node.Name));

            // The activation that produces the output, looking through trailing dropouts.
            NodePlan producer = output;
            while (producer.Kind == LayerKind.Dropout && producer.Input is not null) producer = producer.Input;
            Activation activation = producer.Activation;
            string described = $"{output.Width} unit{(output.Width == 1 ? "" : "s")}, {activation.ToString().ToLowerInvariant()}";
            string loss = LossName(spec.Loss);
            LocationInfo? at = spec.LocationOf("Loss");

            bool crossEntropy = spec.Loss is Loss.CategoricalCrossEntropy or Loss.SparseCategoricalCrossEntropy;
            if (crossEntropy && output.Width < 2)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossMismatchId, at, loss, output.Name, described,
                    "it needs one unit per class (at least 2); for two classes with one unit use BinaryCrossEntropy with a sigmoid"));
            if (spec.Loss == Loss.BinaryCrossEntropy && activation == Activation.Softmax)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossMismatchId, at, loss, output.Name, described,
                    "softmax makes the units compete, but binary cross-entropy treats each unit as an independent probability; use a sigmoid"));
            if ((crossEntropy || spec.Loss == Loss.BinaryCrossEntropy) && activation == Activation.Linear && !spec.FromLogits)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CrossEntropyOnLinearId, at, loss, producer.Name,
                    spec.Loss == Loss.BinaryCrossEntropy ? "sigmoid" : "softmax"));

            plan.LossForm = spec.FromLogits && (crossEntropy || spec.Loss == Loss.BinaryCrossEntropy) ? LossForm.FromLogits
                : (crossEntropy && output.Activation == Activation.Softmax) || (spec.Loss == Loss.BinaryCrossEntropy && output.Activation == Activation.Sigmoid)
                    ? LossForm.FusedWithActivation
                    : LossForm.OnOutput;
        }

        private static bool OnlyDropoutsAfter(ModelPlan plan, NodePlan node)
        {
            for (int i = plan.Nodes.IndexOf(node) + 1; i < plan.Nodes.Count; i++)
                if (plan.Nodes[i].Kind != LayerKind.Dropout) return false;
            return true;
        }

        public static string LossName(Loss loss) => loss switch
        {
            Loss.MeanSquaredError => "MeanSquaredError",
            Loss.MeanAbsoluteError => "MeanAbsoluteError",
            Loss.Huber => "Huber",
            Loss.BinaryCrossEntropy => "BinaryCrossEntropy",
            Loss.CategoricalCrossEntropy => "CategoricalCrossEntropy",
            Loss.SparseCategoricalCrossEntropy => "SparseCategoricalCrossEntropy",
            _ => "Hinge",
        };

        /// <summary>The largest array .NET allocates (Array.MaxLength), which bounds every buffer of a model.</summary>
        public const long MaxArrayLength = 0x7FFFFFC7;

        private static ModelPlan? BuildPlan(ModelSpec spec, List<LayerSpec> chain, Dictionary<string, string> predecessor, List<DiagnosticInfo> diagnostics)
        {
            var nodes = new List<NodePlan>();
            var byName = new Dictionary<string, NodePlan>();
            long maxBatch = spec.MaxBatch;
            // Sizes are summed in long so an oversized model is reported instead of wrapping around; offsets are cast to
            // int as they are assigned and only used when every total fits an array.
            long parameterOffset = 0, trainable = 0, arena = 0;
            int Region(long floats)
            {
                int offset = (int)arena;
                arena += floats;
                return offset;
            }
            bool shapeErrors = false;
            void Report(string id, LocationInfo? location, params string[] args)
            {
                diagnostics.Add(DiagnosticInfo.Create(id, location, args));
                shapeErrors = true;
            }
            TensorPlan AddTensor(NodePlan node, string name, int[] shape, Initializer initializer, float scale, int fanIn, int fanOut, int onesFrom = 0, int onesCount = 0)
            {
                long length = 1;
                foreach (int d in shape) length *= d;
                var tensor = new TensorPlan(name, TensorPrefix(node.Name) + "." + name, (int)parameterOffset, shape, unchecked((int)length),
                    initializer, scale, fanIn, fanOut, onesFrom, onesCount);
                node.Tensors.Add(tensor);
                parameterOffset += length;
                return tensor;
            }

            var misshapen = new HashSet<string>();
            foreach (LayerSpec layer in chain)
            {
                NodePlan? input = layer.Kind == LayerKind.Input ? null : byName[predecessor[layer.Name]];
                int inputWidth = input?.Width ?? 0, inputSteps = input?.Steps ?? 0;
                SequenceSpec seq = layer.Seq;
                if (input is not null && misshapen.Contains(input.Name))
                {
                    // The input's own shape was reported; what this layer would get follows from that mistake, so say nothing more.
                    misshapen.Add(layer.Name);
                }
                else if (input is not null)
                {
                    int reported = diagnostics.Count;
                    CheckInputShape(layer, input, Report);
                    if (diagnostics.Count > reported) misshapen.Add(layer.Name);
                }

                int width, steps;
                switch (layer.Kind)
                {
                    case LayerKind.Input:
                        steps = seq.Length;
                        width = seq.Vocabulary > 0 ? 1 : layer.Size;
                        break;
                    case LayerKind.Embedding:
                        steps = inputSteps;
                        width = layer.Size;
                        break;
                    case LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru:
                        steps = seq.ReturnSequences ? inputSteps : 0;
                        width = seq.Bidirectional && seq.Merge == MergeMode.Concat ? 2 * layer.Size : layer.Size;
                        break;
                    case LayerKind.Dense:
                        steps = seq.TimeDistributed ? inputSteps : 0;
                        width = layer.Size;
                        break;
                    default:
                        steps = inputSteps;
                        width = inputWidth;
                        break;
                }
                var node = new NodePlan(layer, inputWidth, width, inputSteps, steps) { Input = input, ParameterOffset = (int)parameterOffset };
                node.IsTokens = layer.Kind == LayerKind.Input && seq.Vocabulary > 0;
                if (steps > 0 && input is not null)
                    node.MaskSource = layer.Kind == LayerKind.Embedding ? (seq.MaskZero ? node : null) : input.MaskSource;

                if (layer.Kind == LayerKind.Dense)
                {
                    AddTensor(node, "weight", new[] { width, inputWidth }, layer.KernelInitializer, Scale(layer.KernelInitializer, layer.KernelScale), inputWidth, width);
                    if (layer.UseBias)
                        AddTensor(node, "bias", new[] { width }, layer.BiasInitializer, Scale(layer.BiasInitializer, layer.BiasScale), inputWidth, width);
                }
                if (layer.Kind == LayerKind.Embedding)
                {
                    int vocabulary = input?.Layer.Seq.Vocabulary ?? 0;
                    AddTensor(node, "weight", new[] { vocabulary, width }, layer.KernelInitializer, Scale(layer.KernelInitializer, layer.KernelScale), vocabulary, width);
                }
                if (layer.IsRecurrent)
                {
                    int units = layer.Size, gates = node.Gates;
                    foreach (bool reverse in seq.Bidirectional ? new[] { false, true } : new[] { seq.GoBackwards })
                    {
                        var direction = new DirectionPlan(reverse) { Bidirectional = seq.Bidirectional };
                        string suffix = seq.Bidirectional && reverse ? "_reverse" : "";
                        direction.WeightIh = AddTensor(node, "weight_ih" + suffix, new[] { gates * units, inputWidth }, layer.KernelInitializer,
                            Scale(layer.KernelInitializer, layer.KernelScale), inputWidth, gates * units);
                        direction.WeightHh = AddTensor(node, "weight_hh" + suffix, new[] { gates * units, units }, seq.RecurrentInitializer,
                            Scale(seq.RecurrentInitializer, null), units, gates * units);
                        if (layer.UseBias)
                        {
                            float biasScale = Scale(layer.BiasInitializer, layer.BiasScale);
                            bool forgetBias = layer.Kind == LayerKind.Lstm && seq.UnitForgetBias;
                            direction.Bias = AddTensor(node, (layer.Kind == LayerKind.Gru ? "bias_ih" : "bias") + suffix, new[] { gates * units },
                                layer.BiasInitializer, biasScale, inputWidth, gates * units, forgetBias ? units : 0, forgetBias ? units : 0);
                            if (layer.Kind == LayerKind.Gru)
                                direction.BiasHh = AddTensor(node, "bias_hh" + suffix, new[] { gates * units }, layer.BiasInitializer, biasScale, inputWidth, gates * units);
                        }
                        node.Directions.Add(direction);
                    }
                    if (seq.InitialState is { } stateName)
                        node.InitialStateSource = byName.TryGetValue(stateName, out NodePlan? source) ? source : null;
                }
                if (node.Activation == Activation.PRelu)
                {
                    // A standalone PReLU layer names its slopes "weight", as PyTorch's nn.PReLU does.
                    AddTensor(node, layer.Kind == LayerKind.Activation ? "weight" : "alpha", new[] { width }, Initializer.Constant, layer.Alpha ?? 0.25f, width, width);
                }
                node.Alpha = node.Activation switch
                {
                    Activation.LeakyRelu => layer.Alpha ?? 0.2f,
                    Activation.Elu => layer.Alpha ?? 1f,
                    _ => 0f,
                };
                node.ParameterCount = unchecked((int)parameterOffset - node.ParameterOffset);
                if (layer.Trainable) trainable += node.ParameterCount;

                // Activation arena. Rows are MaxBatch samples; sequences are time-major, (steps, B, width).
                long rows = maxBatch * System.Math.Max(1, steps);
                if (layer.Kind == LayerKind.Dense && node.Activation != Activation.Linear)
                    node.PreActivationOffset = Region(rows * width);
                if (!node.IsTokens)
                    node.OutputOffset = Region(rows * width);
                if (layer.Kind == LayerKind.Dropout)
                    node.MaskOffset = Region(rows * width);
                if (node.MaskSource == node)
                    node.TimeMaskOffset = Region(maxBatch * steps);
                if (layer.IsRecurrent)
                {
                    long t = System.Math.Max(1, inputSteps), units = layer.Size;
                    foreach (DirectionPlan d in node.Directions)
                    {
                        if (seq.Dropout > 0f)
                        {
                            d.DropoutMaskOffset = Region(maxBatch * inputWidth);
                            d.DroppedInputOffset = Region(t * maxBatch * inputWidth);
                        }
                        if (seq.RecurrentDropout > 0f)
                            d.RecurrentMaskOffset = Region(maxBatch * units);
                        d.StatesOffset = Region((t + 1) * maxBatch * units);
                        if (layer.Kind == LayerKind.Lstm)
                            d.CellsOffset = Region((t + 1) * maxBatch * units);
                        if (layer.Kind != LayerKind.SimpleRnn)
                            d.GatesOffset = Region(t * maxBatch * node.Gates * units);
                        if (layer.Kind == LayerKind.Gru)
                            d.HiddenNOffset = Region(t * maxBatch * units);
                        d.ScratchOffset = Region((node.Gates + 1) * maxBatch * units);
                        // Two directions are merged from their own outputs: the sequences, or the final states.
                        if (seq.Bidirectional)
                            d.OutputOffset = Region((seq.ReturnSequences ? t : 1) * maxBatch * units);
                    }
                    if (seq.ReturnState && seq.ReturnSequences)
                        node.FinalStateOffset = Region(maxBatch * units);
                    if (seq.ReturnState && layer.Kind == LayerKind.Lstm)
                        node.FinalCellOffset = Region(maxBatch * units);
                }
                nodes.Add(node);
                byName[layer.Name] = node;
            }

            foreach (NodePlan node in nodes)
                if (node.Layer.IsRecurrent && node.Layer.Seq.InitialState is not null)
                    CheckInitialState(node, byName, Report);
            CheckBptt(spec, nodes, Report);
            if (shapeErrors)
                return null;

            int maxWidth = nodes.Max(n => n.Width);
            bool sequences = nodes.Exists(n => n.Steps > 0 || n.InputSteps > 0);
            foreach ((long floats, string what) in new[]
            {
                (parameterOffset, "parameters"),
                (arena, "training activations at MaxBatch " + Format(spec.MaxBatch)),
                (sequences ? arena : 2 * maxBatch * maxWidth, "inference buffers at MaxBatch " + Format(spec.MaxBatch)),
            })
            {
                if (floats > MaxArrayLength)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelTooLargeId, spec.ClassLocation, spec.ClassName,
                        floats.ToString("N0", CultureInfo.InvariantCulture), what, MaxArrayLength.ToString("N0", CultureInfo.InvariantCulture)));
                    return null;
                }
            }

            return new ModelPlan(spec, nodes)
            {
                ParameterCount = (int)parameterOffset,
                TrainableParameterCount = (int)trainable,
                ActivationFloats = (int)arena,
                MaxWidth = maxWidth,
                LearningRate = spec.LearningRate ?? (spec.Optimizer is Optimizer.Sgd or Optimizer.Momentum or Optimizer.Nesterov ? 0.01f : 0.001f),
            };
        }

        /// <summary>"(30 steps, 100)", "(50)" or "30 token ids": a node's output as a diagnostic shows it.</summary>
        private static string DescribeShape(NodePlan node) =>
            node.IsTokens ? Format(node.Steps) + " token ids"
            : node.Steps > 0 ? "the sequence (" + Format(node.Steps) + " steps, " + Format(node.Width) + ")"
            : "one vector of " + Format(node.Width) + " per sample";

        /// <summary>What a layer accepts: sequences for recurrent layers, token ids for embeddings only, vectors for Dense.</summary>
        private static void CheckInputShape(LayerSpec layer, NodePlan input, System.Action<string, LocationInfo?, string[]> report)
        {
            SequenceSpec seq = layer.Seq;
            if (layer.Kind == LayerKind.Embedding)
            {
                if (!input.IsTokens)
                    report(DiagnosticDescriptors.EmbeddingInputId, layer.AttributeLocation, new[] { layer.Name, input.Name, DescribeShape(input) });
                else if (seq.Vocabulary != 0 && seq.Vocabulary != input.Layer.Seq.Vocabulary)
                    report(DiagnosticDescriptors.VocabularyMismatchId, layer.LocationOf("Vocabulary"),
                        new[] { layer.Name, Format(seq.Vocabulary), input.Name, Format(input.Layer.Seq.Vocabulary) });
                return;
            }
            if (input.IsTokens)
            {
                report(DiagnosticDescriptors.TokensNeedEmbeddingId, layer.AttributeLocation, new[] { layer.Name, input.Name });
                return;
            }
            if (layer.IsRecurrent && input.Steps == 0)
            {
                if (input.Layer.IsRecurrent && input.Layer.Seq.ReturnState)
                    report(DiagnosticDescriptors.StateIsNotASequenceId, layer.AttributeLocation, new[] { layer.Name, input.Name });
                else
                    report(DiagnosticDescriptors.NotASequenceId, layer.AttributeLocation, new[] { layer.Name, input.Name, DescribeShape(input),
                        input.Layer.IsRecurrent ? "set ReturnSequences = true on '" + input.Name + "' to pass on every step"
                        : input.Kind == LayerKind.Input ? "declare '" + input.Name + "' with Length (steps) and Features (per step)"
                        : "feed it an [Input] with Length, an [Embedding] or a recurrent layer with ReturnSequences = true" });
            }
            if (layer.Kind == LayerKind.Dense && !seq.TimeDistributed && input.Steps > 0)
                report(DiagnosticDescriptors.DenseOnSequenceId, layer.AttributeLocation, new[] { layer.Name,
                    "(" + Format(input.Steps) + " steps, " + Format(input.Width) + ")", input.Name,
                    input.Layer.IsRecurrent
                        ? "set ReturnSequences = false on '" + input.Name + "' to feed only its last step, or add [TimeDistributed] to apply '" + layer.Name + "' at every step"
                        : "put a recurrent layer between them to read the sequence and pass on its last output, or add [TimeDistributed] to apply '" + layer.Name + "' at every step" });
            if (layer.Kind == LayerKind.Dense && seq.TimeDistributed && input.Steps == 0)
                report(DiagnosticDescriptors.WrapperMisuseId, seq.TimeDistributedLocation, new[] { layer.Name, "[TimeDistributed]",
                    "its input '" + input.Name + "' gives " + DescribeShape(input) + ", not a sequence" });
        }

        private static void CheckInitialState(NodePlan node, Dictionary<string, NodePlan> byName, System.Action<string, LocationInfo?, string[]> report)
        {
            string name = node.Layer.Seq.InitialState!;
            LocationInfo? at = node.Layer.LocationOf("InitialState");
            NodePlan? source = node.InitialStateSource;
            string? problem =
                name == node.Name ? "is the layer itself; its initial state must come from another layer, which runs before it"
                : source is null ? (byName.ContainsKey(name) ? null : "is not a layer of this model")
                : !source.Layer.IsRecurrent ? "is not a recurrent layer (SimpleRnn, Lstm or Gru)"
                : !source.Layer.Seq.ReturnState ? "does not set ReturnState = true"
                : source.Layer.Seq.Bidirectional ? "is bidirectional; handing over the states of both directions is not supported"
                : (source.Kind == LayerKind.Lstm) != (node.Kind == LayerKind.Lstm)
                    ? "is " + (source.Kind == LayerKind.Lstm ? "an Lstm, whose state (h, c) does not fit a " + node.Kind : "a " + source.Kind + ", whose state h does not fit an Lstm's (h, c)")
                : null;
            if (source is null && problem is null)
                problem = "is not a layer of this model";
            if (problem is not null)
            {
                report(DiagnosticDescriptors.InitialStateSourceId, at, new[] { node.Name, name, problem });
                return;
            }
            if (source!.Units != node.Units)
                report(DiagnosticDescriptors.InitialStateSizeId, at, new[] { node.Name, source.Name, Format(source.Units), Format(node.Units) });
        }

        private static void CheckBptt(ModelSpec spec, List<NodePlan> nodes, System.Action<string, LocationInfo?, string[]> report)
        {
            if (spec.BpttWindow == 0) return;
            LocationInfo? at = spec.LocationOf("BpttWindow");
            int length = nodes[0].Steps;
            NodePlan output = nodes[nodes.Count - 1];
            string? problem =
                spec.BpttWindow < 0 ? "it must be at least 1"
                : length == 0 ? "the input '" + nodes[0].Name + "' is not a sequence"
                : spec.BpttWindow > length ? "it must not exceed the sequence length " + Format(length) + " of '" + nodes[0].Name + "'"
                : output.Steps == 0 ? "the output '" + output.Name + "' is one vector per sample; each window needs its own loss, so the output must be a sequence (ReturnSequences = true, [TimeDistributed] Dense)"
                : nodes.Find(n => n.Layer.IsRecurrent && (n.Layer.Seq.Bidirectional || n.Layer.Seq.GoBackwards)) is { } backwards
                    ? "'" + backwards.Name + "' reads the sequence backwards (" + (backwards.Layer.Seq.Bidirectional ? "[Bidirectional]" : "GoBackwards") + "), and a window cannot hand its state on to the steps before it"
                : nodes.Find(n => n.InitialStateSource is not null) is { } handover
                    ? "'" + handover.Name + "' starts from the state of '" + handover.InitialStateSource!.Name + "'; under truncated BPTT each layer carries its own state from window to window"
                : null;
            if (problem is not null)
                report(DiagnosticDescriptors.BpttWindowId, at, new[] { spec.ClassName, Format(spec.BpttWindow), problem });
        }

        private static float Scale(Initializer initializer, float? scale) => initializer switch
        {
            Initializer.Constant => scale ?? 0f,
            Initializer.Uniform or Initializer.Normal => scale ?? 0.05f,
            Initializer.Orthogonal => scale ?? 1f,
            _ => 0f,
        };

        /// <summary>PyTorch-style tensor prefix: the member name in snake_case (OutputLayer -> output_layer).</summary>
        public static string TensorPrefix(string memberName)
        {
            var sb = new System.Text.StringBuilder();
            for (int i = 0; i < memberName.Length; i++)
            {
                char c = memberName[i];
                if (char.IsUpper(c))
                {
                    bool boundary = i > 0 && (char.IsLower(memberName[i - 1]) || char.IsDigit(memberName[i - 1])
                        || (i + 1 < memberName.Length && char.IsLower(memberName[i + 1]) && char.IsUpper(memberName[i - 1])));
                    if (boundary && sb.Length > 0 && sb[sb.Length - 1] != '_') sb.Append('_');
                    sb.Append(char.ToLowerInvariant(c));
                }
                else
                {
                    sb.Append(c);
                }
            }
            return sb.ToString();
        }

        public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

        public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
