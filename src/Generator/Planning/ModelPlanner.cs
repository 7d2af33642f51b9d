using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Emit;
using Unroll.Generator.Graph;
using Unroll.Generator.Layers;
using Unroll.Generator.Model;

namespace Unroll.Generator.Planning
{
    /// <summary>
    /// Plan: from the shaped graph to everything the emitter needs. Each node's layer adds its tensors and buffers; the planner
    /// adds each output buffer, propagates padding masks, lays the buffers out in the training arena (one region each, mirrored by
    /// the gradient arena) and in the inference arena (regions reused once their last reader has run), names every local, and checks
    /// what only a whole plan shows: the losses against the outputs, truncated BPTT, sizes, and names that would clash in code.
    /// </summary>
    internal static class ModelPlanner
    {
        /// <summary>The largest array .NET allocates (Array.MaxLength), which bounds every buffer of a model.</summary>
        public const long MaxArrayLength = 0x7FFFFFC7;

        public static ModelPlan? Plan(ModelSpec spec, List<Node> nodes, List<Node> outputNodes, List<LayerSpec> unused, List<DiagnosticInfo> diagnostics)
        {
            var byName = nodes.ToDictionary(n => n.Name);
            var inputs = nodes.Where(n => n.IsModelInput).Select((n, i) => new InputPlan(n, i)).ToList();
            var outputs = new List<OutputPlan>();
            foreach (Node node in outputNodes)
                if (OutputOf(spec, node, outputs.Count, diagnostics) is { } output)
                {
                    node.OutputOf = output;
                    outputs.Add(output);
                }
            if (outputs.Count != outputNodes.Count) return null;
            var plan = new ModelPlan(spec, nodes, inputs, outputs);
            plan.Unused.AddRange(unused);

            // Time axes, each with its run-time local: "steps" when the model has one.
            foreach (Node node in nodes)
                foreach (TimeAxis? axis in new[] { node.Shape.Time }.Concat(node.Inputs.Select(i => i.Shape.Time)))
                    if (axis is not null && !plan.TimeAxes.Contains(axis)) plan.TimeAxes.Add(axis);
            var vars = new HashSet<string>();
            foreach (TimeAxis axis in plan.TimeAxes)
            {
                string name = plan.TimeAxes.Count == 1 ? "steps" : Names.Camel(axis.Source) + "Steps";
                axis.Var = name;
                for (int n = 2; !vars.Add(axis.Var); n++) axis.Var = name + n.ToString(CultureInfo.InvariantCulture);
            }

            if (!PlanParameters(spec, plan, byName, diagnostics)) return null;
            PlanMasks(plan);
            CheckLosses(plan, diagnostics);
            CheckBptt(plan, diagnostics);
            if (!LayOut(plan, diagnostics)) return null;
            NameEverything(plan);
            CheckNames(plan, diagnostics);
            plan.LearningRate = spec.LearningRate ?? (spec.Optimizer is Optimizer.Sgd or Optimizer.Momentum or Optimizer.Nesterov ? 0.01f : 0.001f);
            plan.IsFunctional = inputs.Count > 1 || outputs.Count > 1 || nodes.Any(n => n.IsShared || n.Inputs.Count > 1 || n.Dependencies.Count > 0)
                || nodes.Where(n => !n.IsModelInput).Any(n => n.Inputs[0].Order != n.Order - 1 || n.Member.Inputs.Count > 0);
            return plan;
        }

        private static OutputPlan? OutputOf(ModelSpec spec, Node node, int index, List<DiagnosticInfo> diagnostics)
        {
            OutputSpec? declared = node.Member.Output;
            Loss? loss = declared?.Loss ?? (spec.LossSet || declared is null ? spec.Loss : null);
            if (loss is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputLossId, declared!.Location, node.Name,
                    "it has no loss: set Loss on [Output], or on [Model] for every output"));
                return null;
            }
            float weight = declared?.Weight ?? 1f;
            if (!(weight > 0f) || float.IsInfinity(weight))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputLossId, declared!.LocationOf("Weight"), node.Name,
                    "its Weight is " + weight.ToString("R", CultureInfo.InvariantCulture) + ", and a loss weight must be greater than 0 and finite"));
                return null;
            }
            return new OutputPlan(node, index, loss.Value, weight, declared?.FromLogits ?? spec.FromLogits);
        }

        private static bool PlanParameters(ModelSpec spec, ModelPlan plan, Dictionary<string, Node> byName, List<DiagnosticInfo> diagnostics)
        {
            long parameters = 0, trainable = 0;
            bool tooLarge = false;
            TensorPlan AddTensor(Node node, string name, int[] shape, Initializer initializer, float scale, int fanIn, int fanOut, int onesFrom, int onesCount)
            {
                long length = 1;
                foreach (int d in shape) length = Shape.Multiply(length, d);
                string fullName = TensorPrefix(node.Name) + "." + name;
                if (length > MaxArrayLength && !tooLarge)
                {
                    tooLarge = true;
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelTooLargeId, node.Member.AttributeLocation ?? spec.ClassLocation, spec.ClassName,
                        length.ToString("N0", CultureInfo.InvariantCulture), "tensor " + fullName + " " + Names.Shape(shape),
                        MaxArrayLength.ToString("N0", CultureInfo.InvariantCulture)));
                }
                var tensor = new TensorPlan(name, fullName, unchecked((int)parameters), shape, length, initializer, scale, fanIn, fanOut, onesFrom, onesCount);
                node.Tensors.Add(tensor);
                parameters += length;
                return tensor;
            }

            void PackAtInference(TensorPlan tensor)
            {
                if (tensor.Shape.Length != 2) throw new System.ArgumentException("Only a (rows, columns) weight is kept packed: " + tensor.FullName);
                if (tensor.PackedIndex >= 0) return;
                tensor.PackedIndex = plan.PackedWeights.Count;
                plan.PackedWeights.Add(tensor);
            }

            foreach (Node node in plan.Nodes)
            {
                if (!node.Shape.IsTokens)
                    node.Buffers.Add(new BufferPlan(node, "", node.Shape.Features, node.Shape.IsSequence ? Extent.Steps : Extent.Sample, node.Shape.Time,
                        node.Name + " output " + PlanContext.Layout(node.Shape), node.NeedsGradient ? "gradient of " + node.Name + " output" : null,
                        clearGradient: node.Consumers.Count > 0, InferenceUse.Value));
                node.ParameterOffset = unchecked((int)parameters);
                node.Layer.Plan(new PlanContext(spec, node, byName, AddTensor, PackAtInference));
                node.ParameterCount = unchecked((int)(parameters - node.ParameterOffset));
                if (node.IsShared)
                {
                    node.ParameterOffset = node.Owner.ParameterOffset;
                    node.ParameterCount = node.Owner.ParameterCount;
                }
                else if (node.Spec.Trainable)
                {
                    trainable += node.ParameterCount;
                }
            }
            if (tooLarge) return false;
            if (parameters > MaxArrayLength)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelTooLargeId, spec.ClassLocation, spec.ClassName,
                    parameters.ToString("N0", CultureInfo.InvariantCulture), "parameters", MaxArrayLength.ToString("N0", CultureInfo.InvariantCulture)));
                return false;
            }
            plan.ParameterCount = (int)parameters;
            plan.TrainableParameterCount = (int)trainable;
            return true;
        }

        /// <summary>Padding masks follow the time axis: a layer that keeps its inputs' steps keeps their mask (the product of the
        /// masks when its inputs bring different ones), unless its layer makes its own or has none.</summary>
        private static void PlanMasks(ModelPlan plan)
        {
            foreach (Node node in plan.Nodes)
            {
                if (node.Mask is not null || !node.Shape.IsSequence || node.Layer.Mask != MaskRule.Propagate) continue;
                var masks = node.Inputs.Where(i => i.Shape.IsSequence && i.Shape.Steps == node.Shape.Steps && i.Mask is not null)
                    .Select(i => i.Mask!).Distinct().ToList();
                if (masks.Count == 1)
                {
                    node.Mask = masks[0];
                }
                else if (masks.Count > 1)
                {
                    node.MaskSources.AddRange(masks);
                    node.Mask = new BufferPlan(node, "TimeMask", 1, Extent.Steps, node.Shape.Time,
                        node.Name + " padding mask (steps, B): the product of its inputs' masks", null, false, InferenceUse.Pinned);
                    node.Buffers.Add(node.Mask);
                }
            }
        }

        private static void CheckLosses(ModelPlan plan, List<DiagnosticInfo> diagnostics)
        {
            ModelSpec spec = plan.Spec;
            foreach (Node node in plan.Nodes)
                if (node.Layer.Activation(node) == Activation.Softmax && !node.Layer.PassesValuesThrough && !ReachesOutputUnchanged(node))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxOnHiddenId, node.Spec.LocationOf("Activation"), node.Name));

            foreach (OutputPlan output in plan.Outputs)
            {
                Node node = output.Node;
                Activation activation = node.Layer.Activation(node);
                long width = node.Shape.Features;
                string described = $"{width} unit{(width == 1 ? "" : "s")}, {activation.ToString().ToLowerInvariant()}";
                string loss = Names.LossName(output.Loss);
                LocationInfo? at = node.Member.Output?.Loss is not null ? node.Member.Output.LocationOf("Loss") : spec.LocationOf("Loss");
                bool crossEntropy = output.Loss is Loss.CategoricalCrossEntropy or Loss.SparseCategoricalCrossEntropy;
                if (crossEntropy && width < 2)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossMismatchId, at, loss, node.Name, described,
                        "it needs one unit per class (at least 2); for two classes with one unit use BinaryCrossEntropy with a sigmoid"));
                if (output.Loss == Loss.BinaryCrossEntropy && activation == Activation.Softmax)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossMismatchId, at, loss, node.Name, described,
                        "softmax makes the units compete, but binary cross-entropy treats each unit as an independent probability; use a sigmoid"));
                bool logitsLoss = crossEntropy || output.Loss == Loss.BinaryCrossEntropy;
                if (logitsLoss && output.FromLogits && activation is Activation.Softmax or Activation.Sigmoid)
                {
                    LocationInfo? flag = node.Member.Output?.FromLogits is not null ? node.Member.Output.LocationOf("FromLogits") : spec.LocationOf("FromLogits");
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FromLogitsOnProbabilitiesId, flag, node.Name, Names.ActivationName(activation), loss));
                }
                if (logitsLoss && activation == Activation.Linear && !output.FromLogits)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CrossEntropyOnLinearId, at, loss, Producer(node).Name,
                        output.Loss == Loss.BinaryCrossEntropy ? "sigmoid" : "softmax"));
                output.Form = output.FromLogits && logitsLoss ? LossForm.FromLogits
                    : ((crossEntropy && activation == Activation.Softmax) || (output.Loss == Loss.BinaryCrossEntropy && activation == Activation.Sigmoid))
                        && node.Consumers.Count == 0 && node.Layer.CanFuseLoss(node)
                        ? LossForm.FusedWithActivation
                        : LossForm.OnOutput;
                // A masked sequence loss writes only the rows that are not padding; the others must start at zero.
                if (output.IsSequence && node.Mask is not null && output.Form != LossForm.FusedWithActivation && node.Output is { } buffer) buffer.ClearGradient = true;
            }
        }

        /// <summary>The layer that produces an output's values, looking through layers that pass them on (Dropout).</summary>
        private static Node Producer(Node node)
        {
            while (node.Layer.PassesValuesThrough && node.Inputs.Count == 1) node = node.Inputs[0];
            return node;
        }

        private static bool ReachesOutputUnchanged(Node node) =>
            node.OutputOf is not null || (node.Consumers.Count > 0 && node.Consumers.All(c => c.Layer.PassesValuesThrough && ReachesOutputUnchanged(c)));

        private static void CheckBptt(ModelPlan plan, List<DiagnosticInfo> diagnostics)
        {
            ModelSpec spec = plan.Spec;
            if (spec.BpttWindow == 0) return;
            LocationInfo? at = spec.LocationOf("BpttWindow");
            Node first = plan.Inputs[0].Node;
            int length = first.Shape.Steps;
            Node output = plan.Outputs[0].Node;
            string? problem =
                spec.BpttWindow < 0 ? "it must be at least 1"
                : plan.Inputs.Count > 1 ? "the model has " + plan.Inputs.Count.ToString(CultureInfo.InvariantCulture) + " inputs; windows of steps need exactly one sequence input"
                : plan.Outputs.Count > 1 ? "the model has " + plan.Outputs.Count.ToString(CultureInfo.InvariantCulture) + " outputs; truncated BPTT trains one sequence output"
                : length == 0 ? "the input '" + first.Name + "' is not a sequence"
                : spec.BpttWindow > length ? "it must not exceed the sequence length " + length.ToString(CultureInfo.InvariantCulture) + " of '" + first.Name + "'"
                : !output.Shape.IsSequence ? "the output '" + output.Name + "' is one vector per sample; each window needs its own loss, so the output must be a sequence (ReturnSequences = true, [TimeDistributed] Dense)"
                : plan.Nodes.Where(n => !n.IsModelInput).Select(n => n.Layer.WindowProblem(n, first)).FirstOrDefault(p => p is not null)
                ?? plan.Nodes.Where(n => !n.IsModelInput && !(n.Shape.IsSequence && n.Inputs.All(i => ReferenceEquals(i.Shape.Time, n.Shape.Time))))
                    .Select(n => "'" + n.Name + "' does not keep the steps of '" + first.Name + "' one by one, so it cannot run on a window of them").FirstOrDefault();
            if (problem is not null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BpttWindowId, at, spec.ClassName, spec.BpttWindow.ToString(CultureInfo.InvariantCulture), problem));
        }

        /// <summary>Offsets in the training arena (a region per buffer, views sharing their input's) and in the inference arena
        /// (first fit over the buffers alive at once).</summary>
        private static bool LayOut(ModelPlan plan, List<DiagnosticInfo> diagnostics)
        {
            ModelSpec spec = plan.Spec;
            int maxBatch = spec.MaxBatch;
            foreach (Node node in plan.Nodes)
            {
                BufferPlan? output = node.Output;
                if (output is null || node.Inputs.Count == 0) continue;
                BufferPlan? input = node.Inputs[0].Output;
                if (input is null) continue;
                if (node.Layer.IsView(node))
                {
                    // An output's gradient is seeded by its loss, so it cannot be another buffer's: a view that is an output gets
                    // floats of its own in training (a copy forward, its gradient added to its input's backward).
                    if (node.OutputOf is null) output.TrainingAlias = input;
                    output.InferenceAlias = input;
                }
                else if (node.Layer.IsIdentityAtInference(node))
                {
                    output.InferenceAlias = input;
                }
            }

            long arena = 0;
            foreach (BufferPlan b in plan.Nodes.SelectMany(n => n.Buffers))
            {
                if (b.TrainingAlias is not null) continue;
                b.Offset = unchecked((int)arena);
                arena = System.Math.Min(arena + b.Floats(maxBatch), Shape.Huge);
            }
            foreach (BufferPlan b in plan.Nodes.SelectMany(n => n.Buffers))
                if (b.TrainingAlias is not null) b.Offset = b.Root(inference: false).Offset;

            // Inference: the last node that reads each buffer (through views and identities) bounds its life.
            int end = plan.Nodes.Count;
            var last = new Dictionary<BufferPlan, int>();
            void Read(BufferPlan b, int order)
            {
                BufferPlan root = b.Root(inference: true);
                last[root] = System.Math.Max(last.TryGetValue(root, out int l) ? l : -1, order);
            }
            foreach (Node node in plan.Nodes)
            {
                foreach (Node input in node.Inputs)
                    if (input.Output is { } b) Read(b, node.Order);
                foreach (Node dependency in node.Dependencies)
                    foreach (BufferPlan b in dependency.Buffers.Where(x => x.Inference == InferenceUse.Value)) Read(b, node.Order);
                if (node.OutputOf is not null && node.Output is { } o) Read(o, end);
                foreach (BufferPlan mask in node.MaskSources) Read(mask, node.Order);
            }
            var live = new List<(long Offset, long Floats, int End)>();
            long inference = 0;
            foreach (Node node in plan.Nodes)
            {
                foreach (BufferPlan b in node.Buffers)
                {
                    if (b.Inference == InferenceUse.None || b.InferenceAlias is not null || InferenceOnCallerSpan(plan, b)) continue;
                    int until = b.Inference switch
                    {
                        InferenceUse.Scratch => node.Order,
                        InferenceUse.Pinned => end,
                        _ => last.TryGetValue(b, out int l) ? System.Math.Max(l, node.Order) : node.Order,
                    };
                    live.RemoveAll(x => x.End < node.Order);
                    long floats = b.Floats(maxBatch, inference: true), offset = 0;
                    foreach (var (o, f, _) in live.OrderBy(x => x.Offset))
                    {
                        if (offset + floats <= o) break;
                        offset = System.Math.Max(offset, o + f);
                    }
                    b.InferenceOffset = unchecked((int)offset);
                    live.Add((offset, floats, until));
                    inference = System.Math.Max(inference, offset + floats);
                }
            }
            foreach (BufferPlan b in plan.Nodes.SelectMany(n => n.Buffers))
                if (b.InferenceAlias is not null) b.InferenceOffset = b.Root(inference: true).InferenceOffset;

            foreach ((long floats, string what) in new[]
            {
                (arena, "training activations at MaxBatch " + spec.MaxBatch.ToString(CultureInfo.InvariantCulture)),
                (inference, "inference buffers at MaxBatch " + spec.MaxBatch.ToString(CultureInfo.InvariantCulture)),
            })
            {
                if (floats <= MaxArrayLength) continue;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelTooLargeId, spec.ClassLocation, spec.ClassName,
                    floats.ToString("N0", CultureInfo.InvariantCulture), what, MaxArrayLength.ToString("N0", CultureInfo.InvariantCulture)));
                return false;
            }
            plan.ActivationFloats = (int)arena;
            plan.InferenceFloats = (int)inference;
            return true;
        }

        /// <summary>At inference a vector input is read straight from the caller's span, and a vector output written straight
        /// into the caller's span, so neither takes room in the arena.</summary>
        public static bool InferenceOnCallerSpan(ModelPlan plan, BufferPlan b) =>
            b.Suffix == "" && !b.Node.Shape.IsSequence && (b.Node.IsModelInput || (b.Node.OutputOf is not null && b.InferenceAlias is null));

        /// <summary>Locals are named after their nodes (camelCase), each node's every name unique in the model: a clash gets
        /// "Layer" (as a keyword does), then a number.</summary>
        private static void NameEverything(ModelPlan plan)
        {
            var used = new HashSet<string>(Reserved);
            foreach (TimeAxis axis in plan.TimeAxes) used.Add(axis.Var);
            bool singleInput = plan.SingleInput, singleOutput = plan.SingleOutput;
            foreach (Node node in plan.Nodes)
            {
                string camel = Names.Camel(node.Name);
                string baseName = Reserved.Contains(camel) || SyntaxFacts.GetKeywordKind(camel) != SyntaxKind.None
                    || SyntaxFacts.GetContextualKeywordKind(camel) == SyntaxKind.VarKeyword ? camel + "Layer" : camel;
                string candidate = baseName;
                for (int n = 2; Derived(node, candidate, singleInput, singleOutput).Any(d => used.Contains(d) || SyntaxFacts.GetKeywordKind(d) != SyntaxKind.None); n++)
                    candidate = baseName + n.ToString(CultureInfo.InvariantCulture);
                node.Local = candidate;
                foreach (string d in Derived(node, candidate, singleInput, singleOutput)) used.Add(d);
            }

            foreach (InputPlan input in plan.Inputs)
            {
                string local = input.Node.Local;
                input.Parameter = singleInput ? (input.IsTokens ? "tokens" : "inputs") : local + (input.IsTokens ? "Tokens" : "Inputs");
                input.GradientParameter = singleInput ? "inputGradient" : local + "Gradient";
                input.SizeConstant = singleInput ? "InputSize" : Names.Pascal(input.Node.Name) + "Size";
                input.TokensField = singleInput ? "_tokens" : "_" + local + "Tokens";
                input.TokenInputsField = singleInput ? "_tokenInputs" : "_" + local + "TokenInputs";
            }
            foreach (OutputPlan output in plan.Outputs)
            {
                string local = output.Node.Local;
                output.TargetName = singleOutput ? (output.UsesLabels ? "labels" : "targets") : local + (output.UsesLabels ? "Labels" : "Targets");
                output.OutputName = singleOutput ? "outputs" : local + "Outputs";
                output.GradientName = singleOutput ? "outputGradient" : local + "OutputGradient";
                output.SizeConstant = singleOutput ? "OutputSize" : Names.Pascal(output.Node.Name) + "Size";
            }
        }

        /// <summary>Every local the generated code names after a node with this base.</summary>
        private static IEnumerable<string> Derived(Node node, string local, bool singleInput, bool singleOutput)
        {
            string gradient = "d" + Names.Pascal(local);
            foreach (BufferPlan b in node.Buffers)
            {
                yield return local + b.Suffix;
                yield return gradient + b.Suffix;
            }
            yield return local;
            yield return gradient;
            foreach (TensorPlan t in node.Tensors)
            {
                yield return local + Names.PascalTensor(t.Name);
                yield return gradient + Names.PascalTensor(t.Name);
            }
            if (node.IsModelInput && !singleInput)
                foreach (string s in new[] { "Tokens", "Inputs", "Gradient" }) yield return local + s;
            if (node.OutputOf is not null && !singleOutput)
                foreach (string s in new[] { "Targets", "Labels", "Outputs", "OutputGradient" }) yield return local + s;
        }

        /// <summary>Locals the generated methods declare themselves.</summary>
        private static readonly HashSet<string> Reserved = new()
        {
            "batch", "steps", "inputs", "outputs", "targets", "labels", "loss", "training", "lr", "step", "penalty", "tokens", "arena", "id", "i",
            "carry", "start", "window", "total", "windows", "fromLoss", "inputGradient", "outputGradient", "rows", "value", "badInput", "badTarget", "inference", "trainingScope", "sampleWeights",
            "packed",
        };

        private static void CheckNames(ModelPlan plan, List<DiagnosticInfo> diagnostics)
        {
            ModelSpec spec = plan.Spec;
            // The class's name and the members every model gets were checked with the declaration; these depend on the inputs and outputs.
            var generated = new HashSet<string>(GeneratedMembers.For(plan).Except(GeneratedMembers.Always));
            foreach (LayerSpec layer in spec.Layers.Where(l => l.IsValidMember && l.Name != spec.ClassName && generated.Contains(l.Name)))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedNameId, layer.NameLocation, layer.Name, "a member Unroll generates for the model"));
            var tensors = new Dictionary<string, Node>();
            foreach (Node node in plan.Nodes)
                foreach (TensorPlan t in node.Tensors)
                {
                    if (!tensors.TryGetValue(t.FullName, out Node? other))
                    {
                        tensors[t.FullName] = node;
                        continue;
                    }
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TensorNameClashId, node.Member.NameLocation, node.Name, other.Name, t.FullName));
                    break; // one report per layer names the first clash
                }
        }

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
    }
}
