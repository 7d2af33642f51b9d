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

            // The path from the output back to the input.
            var chain = new List<LayerSpec> { output };
            string name = output.Name;
            while (predecessor.TryGetValue(name, out string? previous))
            {
                LayerSpec previousLayer = byName[previous];
                if (!previousLayer.IsValidMember) return (null, diagnostics);
                chain.Add(previousLayer);
                name = previous;
            }
            chain.Reverse();
            if (chain[0].Kind != LayerKind.Input)
                return (null, diagnostics);

            var onPath = new HashSet<string>(chain.Select(l => l.Name));
            foreach (LayerSpec layer in layers)
                if (!onPath.Contains(layer.Name) && layer.Kind != LayerKind.Input)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedLayerId, layer.NameLocation, layer.Name, output.Name));

            ModelPlan? plan = BuildPlan(spec, chain, diagnostics);
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
                case LayerKind.Input when layer.Size < 1:
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSizeId, layer.LocationOf("Features"), "Features", layer.Name, Format(layer.Size)));
                    break;
                case LayerKind.Dense when layer.Size < 1:
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSizeId, layer.LocationOf("Units"), "Units", layer.Name, Format(layer.Size)));
                    break;
                case LayerKind.Dropout when !(layer.Rate >= 0f && layer.Rate < 1f):
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DropoutRateId, layer.LocationOf("Rate"), layer.Name, Format(layer.Rate)));
                    break;
            }
            if (layer.Kind == LayerKind.Dense)
            {
                NonNegative(layer.L1, $"L1 of layer '{layer.Name}'", layer.LocationOf("L1"), diagnostics);
                NonNegative(layer.L2, $"L2 of layer '{layer.Name}'", layer.LocationOf("L2"), diagnostics);
            }
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

        private static ModelPlan? BuildPlan(ModelSpec spec, List<LayerSpec> chain, List<DiagnosticInfo> diagnostics)
        {
            var nodes = new List<NodePlan>();
            long maxBatch = spec.MaxBatch;
            // Sizes are summed in long so an oversized model is reported instead of wrapping around; offsets are cast to
            // int as they are assigned and only used when every total fits an array.
            long parameterOffset = 0, trainable = 0, arena = 0;
            int width = 0;
            NodePlan? previous = null;
            foreach (LayerSpec layer in chain)
            {
                int inputWidth = width;
                width = layer.Kind is LayerKind.Input or LayerKind.Dense ? layer.Size : inputWidth;
                var node = new NodePlan(layer, inputWidth, width) { Input = previous, ParameterOffset = (int)parameterOffset };
                string prefix = TensorPrefix(layer.Name);

                if (layer.Kind == LayerKind.Dense)
                {
                    node.Tensors.Add(new TensorPlan("weight", prefix + ".weight", (int)parameterOffset, new[] { width, inputWidth }, unchecked(width * inputWidth),
                        layer.KernelInitializer, Scale(layer.KernelInitializer, layer.KernelScale), inputWidth, width));
                    parameterOffset += (long)width * inputWidth;
                    if (layer.UseBias)
                    {
                        node.Tensors.Add(new TensorPlan("bias", prefix + ".bias", (int)parameterOffset, new[] { width }, width,
                            layer.BiasInitializer, Scale(layer.BiasInitializer, layer.BiasScale), inputWidth, width));
                        parameterOffset += width;
                    }
                }
                if (node.Activation == Activation.PRelu)
                {
                    // A standalone PReLU layer names its slopes "weight", as PyTorch's nn.PReLU does.
                    string tensorName = layer.Kind == LayerKind.Activation ? "weight" : "alpha";
                    node.Tensors.Add(new TensorPlan(tensorName, prefix + "." + tensorName, (int)parameterOffset, new[] { width }, width,
                        Initializer.Constant, layer.Alpha ?? 0.25f, width, width));
                    parameterOffset += width;
                }
                node.Alpha = node.Activation switch
                {
                    Activation.LeakyRelu => layer.Alpha ?? 0.2f,
                    Activation.Elu => layer.Alpha ?? 1f,
                    _ => 0f,
                };
                node.ParameterCount = unchecked((int)parameterOffset - node.ParameterOffset);
                if (layer.Trainable) trainable += node.ParameterCount;

                if (layer.Kind == LayerKind.Dense && node.Activation != Activation.Linear)
                {
                    node.PreActivationOffset = (int)arena;
                    arena += maxBatch * width;
                }
                node.OutputOffset = (int)arena;
                arena += maxBatch * width;
                if (layer.Kind == LayerKind.Dropout)
                {
                    node.MaskOffset = (int)arena;
                    arena += maxBatch * width;
                }
                nodes.Add(node);
                previous = node;
            }

            int maxWidth = nodes.Max(n => n.Width);
            foreach ((long floats, string what) in new[]
            {
                (parameterOffset, "parameters"),
                (arena, "training activations at MaxBatch " + Format(spec.MaxBatch)),
                (2 * maxBatch * maxWidth, "inference buffers at MaxBatch " + Format(spec.MaxBatch)),
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

        private static float Scale(Initializer initializer, float? scale) => initializer switch
        {
            Initializer.Constant => scale ?? 0f,
            Initializer.Uniform or Initializer.Normal => scale ?? 0.05f,
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
