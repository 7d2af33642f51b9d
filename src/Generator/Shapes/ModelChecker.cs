using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Layers;
using Unroll.Generator.Model;
using Unroll.Generator.Planning;

namespace Unroll.Generator.Shapes
{
    /// <summary>
    /// Check: a pure function from a <see cref="ModelSpec"/> to a <see cref="ModelPlan"/> (null when the model has errors) and its
    /// diagnostics; the analyzer and the generator both call it. It links the members into a DAG (inputs, From, merge lists,
    /// InitialState, shared layers), reports what cannot be linked, orders the nodes, infers every shape by asking each node's
    /// layer, then hands the graph to the <see cref="ModelPlanner"/>.
    /// </summary>
    internal static class ModelChecker
    {
        public static (ModelPlan? Plan, List<DiagnosticInfo> Diagnostics) Check(ModelSpec spec)
        {
            var diagnostics = new List<DiagnosticInfo>(spec.ParseDiagnostics);
            CheckHyperparameters(spec, diagnostics);
            Graph? graph = Link(spec, diagnostics);
            if (graph is null || HasErrors(diagnostics))
                return (null, diagnostics);
            if (!InferShapes(spec, graph, diagnostics))
                return (null, diagnostics);
            ModelPlan? plan = ModelPlanner.Plan(spec, graph.Nodes, graph.Outputs, graph.Unused, diagnostics);
            return (plan is null || HasErrors(diagnostics) ? null : plan, diagnostics);
        }

        public static bool HasErrors(List<DiagnosticInfo> diagnostics) =>
            diagnostics.Any(d => DiagnosticDescriptors.Find(d.Id)?.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);

        /// <summary>The linked graph: the nodes that feed an output, in execution order, and the outputs.</summary>
        internal sealed class Graph
        {
            public List<Node> Nodes { get; } = new();
            public List<Node> Outputs { get; } = new();
            public List<LayerSpec> Unused { get; } = new();
        }

        /// <summary>An edge the user wrote: the member, the argument that names its source, and the source.</summary>
        private readonly record struct Edge(LayerSpec Member, string Argument, string Source);

        private static Graph? Link(ModelSpec spec, List<DiagnosticInfo> diagnostics)
        {
            List<LayerSpec> layers = spec.Layers.Where(l => l.IsValidMember).ToList();
            var byName = new Dictionary<string, LayerSpec>();
            foreach (LayerSpec l in spec.Layers) byName[l.Name] = l;
            bool IsInput(LayerSpec l) => LayerCatalogue.Find(l.Kind)?.IsModelInput == true;

            List<LayerSpec> inputs = layers.Where(IsInput).ToList();
            if (inputs.Count == 0)
            {
                if (!spec.Layers.Any(IsInput))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoInputId, spec.ClassLocation, spec.ClassName));
                return null;
            }

            // Options first: a layer whose own arguments are wrong is not linked or shaped.
            foreach (LayerSpec layer in layers)
                if (LayerCatalogue.Find(layer.Kind) is { } definition)
                    definition.CheckOptions(new CheckContext(spec, layer, diagnostics));
            CheckNames(spec, layers, diagnostics);

            // Each member's sources: the ones it names, else the member declared before it.
            var sources = new Dictionary<string, List<string>>();
            var edges = new List<Edge>();
            for (int i = 0; i < layers.Count; i++)
            {
                LayerSpec layer = layers[i];
                LayerDefinition? definition = LayerCatalogue.Find(layer.Kind);
                int min = definition?.MinInputs ?? 1, max = definition?.MaxInputs ?? 1;
                if (max == 0) continue;
                var named = new List<string>();
                for (int j = 0; j < layer.Inputs.Count; j++)
                {
                    string source = layer.Inputs[j];
                    string argument = definition?.InputArgument(j) ?? "From";
                    if (!byName.ContainsKey(source))
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownFromId, layer.LocationOf(argument), layer.Name, source, spec.ClassName,
                            argument == "From" ? "'From'" : "Input " + (j + 1).ToString(CultureInfo.InvariantCulture)));
                    else
                    {
                        named.Add(source);
                        edges.Add(new Edge(layer, argument, source));
                    }
                }
                if (layer.Inputs.Count == 0 && min <= 1)
                {
                    if (i == 0)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerBeforeInputId, layer.AttributeLocation, layer.Name, inputs[0].Name));
                    else
                        named.Add(layers[i - 1].Name);
                }
                else if (layer.Inputs.Count < min || layer.Inputs.Count > max)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MergeInputsId, layer.AttributeLocation, layer.Name, layer.Kind,
                        "it takes " + (max == int.MaxValue ? CheckContext.F(min) + " or more inputs" : min == max ? "exactly " + CheckContext.F(min) + " inputs" : CheckContext.F(min) + " to " + CheckContext.F(max) + " inputs")
                            + ", and " + CheckContext.F(layer.Inputs.Count) + (layer.Inputs.Count == 1 ? " is" : " are") + " listed",
                        "list them as [" + layer.Kind + "(nameof(A), nameof(B))]"));
                }
                sources[layer.Name] = named;
                if (definition is not null)
                    foreach (var (dependency, argument) in definition.Dependencies(layer))
                        if (byName.ContainsKey(dependency)) edges.Add(new Edge(layer, argument, dependency));
                if (layer.Options is SharedOptions shared && byName.ContainsKey(shared.Layer))
                    edges.Add(new Edge(layer, "Layer", shared.Layer));
            }

            // Every edge the user wrote that closes a loop is reported where it was written.
            var successors = new Dictionary<string, List<string>>();
            void Link(string from, string to)
            {
                if (!successors.TryGetValue(from, out List<string>? list)) successors[from] = list = new List<string>();
                if (!list.Contains(to)) list.Add(to);
            }
            foreach (var pair in sources)
                foreach (string source in pair.Value) Link(source, pair.Key);
            foreach (Edge edge in edges) Link(edge.Source, edge.Member.Name);
            bool cyclic = false;
            foreach (Edge edge in edges)
            {
                List<string>? path = PathBetween(edge.Member.Name, edge.Source, successors);
                if (path is null) continue;
                cyclic = true;
                path.Add(edge.Member.Name);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CycleId, edge.Member.LocationOf(edge.Argument), edge.Member.Name, edge.Source,
                    string.Join(" -> ", path)));
            }

            // The outputs: the members marked [Output], else the last one declared.
            List<LayerSpec> marked = layers.Where(l => l.Output is not null).ToList();
            List<LayerSpec> outputs = marked.Count > 0 ? marked : new List<LayerSpec> { layers[layers.Count - 1] };
            if (marked.Count == 0 && IsInput(outputs[0]))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayerAfterInputId, spec.ClassLocation, spec.ClassName, outputs[0].Name));
                return null;
            }
            foreach (LayerSpec output in marked.Where(IsInput))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputLossId, output.Output!.Location, output.Name,
                    "it is an [Input]; mark the layer that computes the prediction"));
            if (cyclic || HasErrors(diagnostics))
                return null;

            // What the outputs depend on, through inputs, InitialState and shared weights.
            var needed = new HashSet<string>();
            var stack = new Stack<string>(outputs.Select(o => o.Name));
            while (stack.Count > 0)
            {
                string name = stack.Pop();
                if (!needed.Add(name)) continue;
                foreach (string source in sources.TryGetValue(name, out List<string>? s) ? s : new List<string>()) stack.Push(source);
                foreach (Edge edge in edges.Where(e => e.Member.Name == name)) stack.Push(edge.Source);
            }
            var graph = new Graph();
            string outputNames = string.Join(", ", outputs.Select(o => "'" + o.Name + "'"));
            foreach (LayerSpec layer in layers)
            {
                if (needed.Contains(layer.Name)) continue;
                graph.Unused.Add(layer);
                if (IsInput(layer))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedInputId, layer.NameLocation, layer.Name, outputNames));
                else
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedLayerId, layer.NameLocation, layer.Name, outputNames));
            }

            // Nodes in topological order, declaration order among the ready ones.
            var nodes = new Dictionary<string, Node>();
            var remaining = layers.Where(l => needed.Contains(l.Name)).ToList();
            while (remaining.Count > 0)
            {
                LayerSpec? ready = remaining.FirstOrDefault(l =>
                    (sources.TryGetValue(l.Name, out List<string>? s) ? s : new List<string>()).All(nodes.ContainsKey)
                    && edges.Where(e => e.Member.Name == l.Name).All(e => nodes.ContainsKey(e.Source)));
                if (ready is null) return null; // unreachable: cycles were reported
                remaining.Remove(ready);
                if (CreateNode(ready, nodes, byName, spec, diagnostics) is not { } node) return null;
                node.Order = graph.Nodes.Count;
                foreach (string source in sources.TryGetValue(ready.Name, out List<string>? s) ? s : new List<string>())
                {
                    node.Inputs.Add(nodes[source]);
                    nodes[source].Consumers.Add(node);
                }
                if (LayerCatalogue.Find(node.Spec.Kind) is { } definition)
                    foreach (var (dependency, _) in definition.Dependencies(node.Spec))
                        if (nodes.TryGetValue(dependency, out Node? d)) node.Dependencies.Add(d);
                nodes[ready.Name] = node;
                graph.Nodes.Add(node);
            }
            graph.Outputs.AddRange(outputs.Select(o => nodes[o.Name]));
            return HasErrors(diagnostics) ? null : graph;
        }

        /// <summary>A layer named like the class or like a member every model gets (the planner checks the names that depend on the
        /// inputs and outputs): reported with the declaration errors, before any shape.</summary>
        private static void CheckNames(ModelSpec spec, List<LayerSpec> layers, List<DiagnosticInfo> diagnostics)
        {
            var always = new HashSet<string>(Emit.GeneratedMembers.Always);
            foreach (LayerSpec layer in layers)
            {
                if (layer.Name == spec.ClassName)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedNameId, layer.NameLocation, layer.Name, "the model class's own name"));
                else if (always.Contains(layer.Name))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedNameId, layer.NameLocation, layer.Name, "a member Unroll generates for the model"));
            }
        }

        /// <summary>The node of a member; a [Shared] member applies the layer it names (through chains of sharing) with its weights.</summary>
        private static Node? CreateNode(LayerSpec member, Dictionary<string, Node> nodes, Dictionary<string, LayerSpec> byName, ModelSpec spec,
            List<DiagnosticInfo> diagnostics)
        {
            if (member.Options is not SharedOptions shared)
                return new Node(member, member, LayerCatalogue.Find(member.Kind)!);
            string? problem = null;
            Node? owner = null;
            if (!nodes.TryGetValue(shared.Layer, out Node? source))
                problem = byName.ContainsKey(shared.Layer) ? "which is not a valid layer member" : "which is not a layer of model '" + spec.ClassName + "'";
            else if (source.IsModelInput)
                problem = "which is an [Input] and has no weights to share";
            else if (source.Member.Name == member.Name)
                problem = "which is this member itself";
            else
                owner = source.Owner;
            if (owner is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SharedLayerId, member.LocationOf("Layer"), member.Name, shared.Layer, problem!));
                return null;
            }
            if (member.ExactLocationOf("Trainable") is { } trainable)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SharedLayerId, trainable, member.Name, shared.Layer,
                    "whose one set of weights is trained or frozen as '" + owner.Name + "' says; set Trainable there"));
                return null;
            }
            return new Node(member, owner.Spec, owner.Layer) { Owner = owner };
        }

        /// <summary>A path of data flow from <paramref name="from"/> to <paramref name="to"/>, or null.</summary>
        private static List<string>? PathBetween(string from, string to, Dictionary<string, List<string>> successors)
        {
            var previous = new Dictionary<string, string?> { [from] = null };
            var queue = new Queue<string>();
            queue.Enqueue(from);
            while (queue.Count > 0)
            {
                string current = queue.Dequeue();
                if (current == to)
                {
                    var path = new List<string>();
                    for (string? at = to; at is not null; at = previous[at]) path.Insert(0, at);
                    return path;
                }
                if (!successors.TryGetValue(current, out List<string>? next)) continue;
                foreach (string n in next)
                    if (!previous.ContainsKey(n))
                    {
                        previous[n] = current;
                        queue.Enqueue(n);
                    }
            }
            return null;
        }

        /// <summary>Asks each node's layer for its shape, in order; a node fed a misshapen input says nothing more (its shape would
        /// follow from that mistake). Returns false when any shape was reported.</summary>
        private static bool InferShapes(ModelSpec spec, Graph graph, List<DiagnosticInfo> diagnostics)
        {
            var byName = graph.Nodes.ToDictionary(n => n.Name);
            var misshapen = new HashSet<Node>();
            foreach (Node node in graph.Nodes)
            {
                if (node.Inputs.Any(misshapen.Contains) || node.Dependencies.Any(misshapen.Contains) || (node.IsShared && misshapen.Contains(node.Owner)))
                {
                    misshapen.Add(node);
                    continue;
                }
                var context = new ShapeContext(spec, node, byName, diagnostics);
                Shape? shape = null;
                if (node.Inputs.FirstOrDefault(i => i.Shape.IsTokens) is { } tokens && !node.Layer.AcceptsTokens)
                    context.Report(DiagnosticDescriptors.TokensNeedEmbeddingId, context.At, node.Name, tokens.Name);
                else if (node.IsShared && SharedInputMismatch(node) is { } mismatch)
                    context.Report(DiagnosticDescriptors.SharedLayerId, node.Member.AttributeLocation, node.Name, node.Owner.Name, mismatch);
                else
                    shape = node.Layer.InferShape(context);
                if (shape is null)
                {
                    misshapen.Add(node);
                    node.Shape = new Shape(null, new[] { 1 });
                    continue;
                }
                node.Shape = shape;
            }
            return misshapen.Count == 0;
        }

        /// <summary>Why a shared member's inputs do not fit the layer it shares, or null.</summary>
        private static string? SharedInputMismatch(Node node)
        {
            Node owner = node.Owner;
            if (node.Inputs.Count != owner.Inputs.Count)
                return "which takes " + CheckContext.F(owner.Inputs.Count) + " inputs, but this member has " + CheckContext.F(node.Inputs.Count);
            for (int i = 0; i < node.Inputs.Count; i++)
                if (!node.InputShape(i).SameAs(owner.InputShape(i)))
                    return "whose input '" + owner.Inputs[i].Name + "' gives " + owner.InputShape(i).Text() + ", while this member's input '" + node.Inputs[i].Name
                        + "' gives " + node.InputShape(i).Text() + "; a shared layer has one set of weights for one input shape";
            return null;
        }

        private static void CheckHyperparameters(ModelSpec spec, List<DiagnosticInfo> diagnostics)
        {
            if (spec.MaxBatch < 1)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MaxBatchId, spec.LocationOf("MaxBatch"), spec.ClassName, CheckContext.F(spec.MaxBatch)));
            if (spec.LearningRate is float lr && !(lr > 0f))
                Invalid("LearningRate", "greater than 0", lr, spec, diagnostics);
            else if (spec.LearningRate is float infinite && float.IsInfinity(infinite))
                Invalid("LearningRate", "finite", infinite, spec, diagnostics);
            if (!(spec.Momentum >= 0f && spec.Momentum < 1f)) Invalid("Momentum", "in [0, 1)", spec.Momentum, spec, diagnostics);
            if (!(spec.Beta1 >= 0f && spec.Beta1 < 1f)) Invalid("Beta1", "in [0, 1)", spec.Beta1, spec, diagnostics);
            if (!(spec.Beta2 >= 0f && spec.Beta2 < 1f)) Invalid("Beta2", "in [0, 1)", spec.Beta2, spec, diagnostics);
            if (!(spec.Rho >= 0f && spec.Rho < 1f)) Invalid("Rho", "in [0, 1)", spec.Rho, spec, diagnostics);
            if (!(spec.Epsilon > 0f)) Invalid("Epsilon", "greater than 0", spec.Epsilon, spec, diagnostics);
            if (!(spec.HuberDelta > 0f)) Invalid("HuberDelta", "greater than 0", spec.HuberDelta, spec, diagnostics);
            NonNegative(spec.InitialAccumulator, "InitialAccumulator", spec, diagnostics);
            NonNegative(spec.WeightDecay, "WeightDecay", spec, diagnostics);
            NonNegative(spec.ClipValue, "ClipValue", spec, diagnostics);
            NonNegative(spec.ClipNorm, "ClipNorm", spec, diagnostics);
        }

        private static void Invalid(string argument, string expected, float value, ModelSpec spec, List<DiagnosticInfo> diagnostics) =>
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHyperparameterId, spec.LocationOf(argument), argument, expected, CheckContext.F(value)));

        private static void NonNegative(float value, string argument, ModelSpec spec, List<DiagnosticInfo> diagnostics)
        {
            if (!(value >= 0f))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHyperparameterId, spec.LocationOf(argument), argument, "at least 0", CheckContext.F(value)));
        }
    }
}
