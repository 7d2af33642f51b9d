using System.Collections.Generic;
using System.Linq;
using Unroll.Generator.Graph;
using Unroll.Generator.Layers;
using Unroll.Generator.Model;
using Unroll.Generator.Planning;
using static Unroll.Generator.Emit.Names;

namespace Unroll.Generator.Emit
{
    // The backward passes. Backward seeds each output's gradient from its loss, BackwardFrom from gradients the caller gives
    // (a model chained after this one, a saliency map); both then run Propagate, which walks the nodes in reverse order, each
    // layer adding its inputs' and parameters' gradients, and hands each float input's gradient to the caller if asked.
    internal static partial class ModelEmitter
    {
        /// <summary>The loss kernel call for an output's loss form; <paramref name="gradient"/> is "default" for evaluation.</summary>
        /// <param name="weights">The per-sample weights' span, or null for an unweighted call.</param>
        private static string LossCall(ModelSpec spec, OutputPlan o, string gradient, string output, string targets, string rows, string? weights = null)
        {
            string c = Int(o.Node.Shape.Features);
            string end = weights is null ? ")" : ", " + weights + ")";
            string L = Kernels + "Losses.";
            switch (o.Loss)
            {
                case Loss.MeanSquaredError: return L + "MeanSquaredError(" + gradient + ", " + output + ", " + targets + end;
                case Loss.MeanAbsoluteError: return L + "MeanAbsoluteError(" + gradient + ", " + output + ", " + targets + end;
                case Loss.Huber: return L + "Huber(" + gradient + ", " + output + ", " + targets + ", " + Float(spec.HuberDelta) + end;
                case Loss.Hinge: return L + "Hinge(" + gradient + ", " + output + ", " + targets + end;
                case Loss.BinaryCrossEntropy:
                    return o.Form switch
                    {
                        LossForm.FusedWithActivation => L + "SigmoidBinaryCrossEntropy(" + gradient + ", " + output + ", " + targets + end,
                        LossForm.FromLogits => L + "BinaryCrossEntropyWithLogits(" + gradient + ", " + output + ", " + targets + end,
                        _ => L + "BinaryCrossEntropy(" + gradient + ", " + output + ", " + targets + end,
                    };
                case Loss.CategoricalCrossEntropy:
                    return o.Form switch
                    {
                        LossForm.FusedWithActivation => L + "SoftmaxCrossEntropy(" + gradient + ", " + output + ", " + targets + ", " + rows + ", " + c + end,
                        LossForm.FromLogits => L + "SoftmaxCrossEntropyWithLogits(" + gradient + ", " + output + ", " + targets + ", " + rows + ", " + c + end,
                        _ => L + "CategoricalCrossEntropy(" + gradient + ", " + output + ", " + targets + ", " + rows + ", " + c + end,
                    };
                default:
                    return o.Form switch
                    {
                        LossForm.FusedWithActivation => L + "SparseSoftmaxCrossEntropy(" + gradient + ", " + output + ", " + targets + ", " + rows + ", " + c + end,
                        LossForm.FromLogits => L + "SparseSoftmaxCrossEntropyWithLogits(" + gradient + ", " + output + ", " + targets + ", " + rows + ", " + c + end,
                        _ => L + "SparseCategoricalCrossEntropy(" + gradient + ", " + output + ", " + targets + ", " + rows + ", " + c + end,
                    };
            }
        }

        /// <summary>Where an output's loss writes its gradient: the logits' when fused with the output's softmax/sigmoid.</summary>
        private static string LossGradientTarget(SourceWriter w, ModelPlan plan, OutputPlan o)
        {
            EmitContext e = Context(w, plan, o.Node, Pass.Backward, fused: true);
            return o.Form == LossForm.FusedWithActivation ? o.Node.Layer.LogitsGradient(e)! : e.DY;
        }

        private static void WriteTargetChecks(SourceWriter w, ModelPlan plan)
        {
            foreach (OutputPlan o in plan.Outputs)
            {
                string t = o.TargetName;
                if (o.UsesLabels && o.IsSequence)
                {
                    string steps = StepsOf(plan, o.Node.Shape);
                    w.Line("if (" + t + ".Length != batch * " + steps + ")");
                    w.Line("    throw new global::System.ArgumentException($\"" + t + " holds {" + t + ".Length} values for a batch of {batch} samples; one class label per step ({batch} x {"
                        + steps + "} = {batch * " + steps + "}) was expected.\", nameof(" + t + "));");
                }
                else if (o.UsesLabels)
                {
                    w.Line("if (" + t + ".Length != batch)");
                    w.Line("    throw new global::System.ArgumentException($\"" + t + " holds {" + t + ".Length} values for a batch of {batch} samples; one class label per sample was expected.\", nameof(" + t + "));");
                }
                else
                {
                    w.Line("if (" + t + ".Length != batch * " + o.SizeConstant + ")");
                    w.Line("    throw new global::System.ArgumentException($\"" + t + " holds {" + t + ".Length} floats for a batch of {batch} samples; {batch * " + o.SizeConstant
                        + "} ({batch} x {" + o.SizeConstant + "}) were expected.\", nameof(" + t + "));");
                    WriteValueCheck(w, plan, o, t, o.Loss == Loss.BinaryCrossEntropy ? "Probabilities" : "Finite");
                }
            }
        }

        /// <summary>A check of an output's targets or given gradients, batch-major (B, steps, features) as the caller holds them.
        /// Binary cross-entropy's targets must be probabilities, on probabilities or on logits alike.</summary>
        private static void WriteValueCheck(SourceWriter w, ModelPlan plan, OutputPlan o, string span, string check)
        {
            Shape s = o.Node.Shape;
            string steps = o.IsSequence ? StepsOf(plan, s) : "1";
            string features = o.IsSequence ? Int(s.Features) : o.SizeConstant;
            w.Line(Kernels + "ValueChecks." + check + "(" + span + ", " + steps + ", " + features + ", nameof(" + span + "));");
        }

        /// <summary>The constant (or literal) of a shape's declared steps.</summary>
        private static string StepsOf(ModelPlan plan, Shape shape)
        {
            InputPlan? input = plan.Inputs.FirstOrDefault(i => i.Node.Name == shape.Time!.Source);
            return input is not null ? StepsConstant(plan, input) : Int(shape.Steps);
        }

        private static void WriteInputGradientChecks(SourceWriter w, ModelPlan plan)
        {
            foreach (InputPlan i in FloatInputs(plan))
                w.Line("CheckGradient(" + i.GradientParameter + ", batch * " + i.SizeConstant + ", nameof(" + i.GradientParameter + "));");
        }

        private static string StepsArguments(ModelPlan plan) => plan.Truncated ? ", steps" : "";

        private static void WriteBackward(SourceWriter w, ModelPlan plan)
        {
            ModelSpec spec = plan.Spec;
            bool labels = plan.Outputs.Any(o => o.UsesLabels);
            w.Line("/// <summary>The backward pass after <see cref=\"Forward\"/>: computes the mean loss against the batch's " + (plan.SingleOutput ? (labels ? "class labels" : "targets") : "targets of every output"));
            w.Line("/// and the gradient of every parameter into <see cref=\"Gradients\"/> (overwriting the previous ones). Updates nothing.</summary>");
            foreach (InputPlan i in FloatInputs(plan))
                w.Line("/// <param name=\"" + i.GradientParameter + "\">When not empty, receives the gradient of the loss with respect to " + (plan.SingleInput ? "the inputs" : i.Node.Name)
                    + ", " + i.SizeConstant + " floats per sample (a saliency map; the gradient to hand to a model before this one).</param>");
            if (SampleWeighted(plan)) w.Line(SampleWeightsDoc);
            w.Line("/// <returns>The mean loss over the batch" + (plan.SingleOutput ? "" : ", each output's weighted and summed (each one's own in <see cref=\"OutputLosses\"/>)") + ", including L1/L2 penalties.</returns>");
            w.Line(SingleThreadedRemark);
            w.Open("public float Backward(" + TargetParameters(plan) + GradientParameters(plan) + SampleWeightsParameter(plan) + ")");
            w.Line("using var trainingScope = _guard.Enter(nameof(Backward)); // single-threaded: a second thread throws instead of corrupting the model");
            int body = w.Mark();
            WriteBackwardStart(w, plan);
            WriteTargetChecks(w, plan);
            WriteSampleWeightsCheck(w, plan);
            WriteInputGradientChecks(w, plan);
            w.Line("ClearGradients(batch" + StepsArguments(plan) + ");");
            DeclareParameters(w, plan, gradients: true);
            DeclareBuffers(w, plan, Pass.Backward);
            w.Line();
            bool single = plan.SingleOutput;
            if (!single) w.Line("float loss = 0f;");
            foreach (OutputPlan o in plan.Outputs)
            {
                Node n = o.Node;
                string lossComment = o.Form switch
                {
                    LossForm.FusedWithActivation => " (fused with " + ActivationName(n.Layer.Activation(n)) + ": writes the gradient of the logits)",
                    LossForm.FromLogits => " (the outputs are logits)",
                    _ => "",
                };
                w.Line("// Loss" + (single ? "" : " of " + n.Name) + ": " + LossName(o.Loss) + " over " + (o.IsSequence
                    ? "every step" + (n.Mask is null ? "" : " that is not padding") + ", (steps, B, " + Int(n.Shape.Features) + ")"
                    : "(B, " + Int(n.Shape.Features) + ")") + lossComment + (o.Weight == 1f ? "" : ", weight " + Float(o.Weight).TrimEnd('f')));
                string target = LossGradientTarget(w, plan, o);
                EmitContext e = Context(w, plan, n, Pass.Backward);
                string call = o.IsSequence
                    ? GeneratedMembers.SequenceLossName(plan, o) + "(" + e.Y + ", " + (n.Mask is { } mask ? e.Value(mask) : "default") + ", " + o.TargetName + ", batch, "
                        + (plan.Truncated ? "_start" : "0") + ", " + n.Shape.Time!.Var + ", " + target + ")"
                    : LossCall(spec, o, target, e.Y, o.TargetName, "batch", SampleWeighted(plan) ? "sampleWeights" : null);
                string local = single ? "loss" : n.Local + "Loss";
                w.Line("float " + local + " = " + call + ";");
                if (o.Weight != 1f)
                    w.Line("global::System.Numerics.Tensors.TensorPrimitives.Multiply(" + target + ", " + Float(o.Weight) + ", " + target + "); // the weight scales its gradient");
                if (!single)
                {
                    w.Line("_outputLosses[" + Int(o.Index) + "] = " + local + ";");
                    w.Line("loss += " + (o.Weight == 1f ? local : Float(o.Weight) + " * " + local) + ";");
                }
            }
            foreach (Node n in plan.Nodes)
                foreach (var (tensor, l1, l2) in n.Layer.Penalties(n))
                    w.Line("loss += " + Kernels + "Regularization.L1L2(" + ParamLocal(n, tensor, true) + ", " + ParamLocal(n, tensor, false) + ", "
                        + Float(l1) + ", " + Float(l2) + "); // " + n.Name + " " + tensor + " penalty");
            w.Line("Propagate(batch" + StepsArguments(plan) + ", fromLoss: true" + GradientArguments(plan) + ");");
            w.Line("return loss;");
            w.RemoveUnusedLocals(body);
            w.Close();
            w.Line();
            WriteBackwardFrom(w, plan);
            WriteClearGradients(w, plan);
            WritePropagate(w, plan);
        }

        /// <summary>Whether the model's losses take per-sample weights: every output predicts once per sample (a sequence output's
        /// per-step loss, masked or windowed, takes none yet).</summary>
        private static bool SampleWeighted(ModelPlan plan) => !plan.Truncated && plan.Outputs.All(o => !o.IsSequence);

        private const string SampleWeightsDoc = "/// <param name=\"sampleWeights\">One non-negative weight per sample, or empty for none (Keras <c>sample_weight</c>): each sample's loss and gradient "
            + "are multiplied by its weight, and the sum is still divided by the batch size.</param>";

        private static string SampleWeightsParameter(ModelPlan plan) => SampleWeighted(plan) ? ", " + ReadOnlySpan + " sampleWeights = default" : "";

        private static void WriteSampleWeightsCheck(SourceWriter w, ModelPlan plan)
        {
            if (SampleWeighted(plan)) w.Line(Kernels + "ValueChecks.SampleWeights(sampleWeights, batch, nameof(sampleWeights));");
        }

        private static void WriteBackwardStart(SourceWriter w, ModelPlan plan)
        {
            w.Line("int batch = _batch;");
            w.Line("if (batch == 0)");
            w.Line("    throw new global::System.InvalidOperationException(\"Backward needs the activations of a Forward call on the same batch; call Forward first.\");");
            DeclareSteps(w, plan, plan.Truncated ? WindowSteps.Field : WindowSteps.Declared);
        }

        private static void WriteBackwardFrom(SourceWriter w, ModelPlan plan)
        {
            w.Line("/// <summary>The backward pass after <see cref=\"Forward\"/> from given gradients of the outputs instead of a loss: how a model trains through");
            w.Line("/// the model after it (a GAN's generator through its discriminator), or how a saliency map is drawn. Writes the gradient of every");
            w.Line("/// parameter into <see cref=\"Gradients\"/> (overwriting the previous ones); frozen layers pass gradients on too. Updates nothing.</summary>");
            foreach (OutputPlan o in plan.Outputs)
                w.Line("/// <param name=\"" + o.GradientName + "\">The gradient with respect to " + (plan.SingleOutput ? "the outputs" : o.Node.Name) + ", " + o.SizeConstant
                    + " floats per sample" + (o.IsSequence ? ", step by step" : "") + (plan.SingleOutput ? "" : "; empty for none") + ".</param>");
            foreach (InputPlan i in FloatInputs(plan))
                w.Line("/// <param name=\"" + i.GradientParameter + "\">When not empty, receives the gradient with respect to " + (plan.SingleInput ? "the inputs" : i.Node.Name) + ".</param>");
            w.Line(SingleThreadedRemark);
            w.Open("public void BackwardFrom(" + string.Join(", ", plan.Outputs.Select(o => ReadOnlySpan + " " + o.GradientName)) + GradientParameters(plan) + ")");
            w.Line("using var trainingScope = _guard.Enter(nameof(BackwardFrom)); // single-threaded: a second thread throws instead of corrupting the model");
            int body = w.Mark();
            WriteBackwardStart(w, plan);
            foreach (OutputPlan o in plan.Outputs)
            {
                string g = o.GradientName;
                w.Line("if (" + (plan.SingleOutput ? "" : "!" + g + ".IsEmpty && ") + g + ".Length != batch * " + o.SizeConstant + ")");
                w.Line("    throw new global::System.ArgumentException($\"" + g + " holds {" + g + ".Length} floats for a batch of {batch} samples; {batch * " + o.SizeConstant
                    + "} ({batch} x {" + o.SizeConstant + "}) were expected" + (plan.SingleOutput ? "" : ", or none") + ".\", nameof(" + g + "));");
                WriteValueCheck(w, plan, o, g, "Finite");
            }
            WriteInputGradientChecks(w, plan);
            w.Line("ClearGradients(batch" + StepsArguments(plan) + ");");
            DeclareBuffers(w, plan, Pass.Backward);
            foreach (OutputPlan o in plan.Outputs)
            {
                Node n = o.Node;
                string dy = Context(w, plan, n, Pass.Backward).DY;
                string copy = o.IsSequence
                    ? Kernels + "Layers.Sequence_ToTimeMajor(" + dy + ", " + o.GradientName + ", batch, " + n.Shape.Time!.Var + ", " + Int(n.Shape.Features) + ");"
                    : o.GradientName + ".CopyTo(" + dy + ");";
                if (plan.SingleOutput)
                    w.Line(copy + " // " + n.Name);
                else if (n.Output!.ClearGradient)
                    w.Line("if (!" + o.GradientName + ".IsEmpty) " + copy + " // " + n.Name);
                else
                    w.Line("if (" + o.GradientName + ".IsEmpty) " + dy + ".Clear(); else " + copy + " // " + n.Name);
            }
            w.Line("Propagate(batch" + StepsArguments(plan) + ", fromLoss: false" + GradientArguments(plan) + ");");
            w.RemoveUnusedLocals(body);
            w.Close();
            w.Line();
        }

        /// <summary>The gradient buffers every backward pass adds into, zeroed once per pass (for this batch and step count only).</summary>
        private static void WriteClearGradients(SourceWriter w, ModelPlan plan)
        {
            w.Line("/// <summary>Zeroes the parameter gradients and, for this batch" + (plan.HasSequences ? " and step count" : "") + ", the activation gradients the backward kernels add into;");
            w.Line("/// the ones a kernel overwrites (its scratch) are left alone.</summary>");
            w.Open("private void ClearGradients(int batch" + (plan.Truncated ? ", int steps" : "") + ")");
            int body = w.Mark();
            DeclareSteps(w, plan, WindowSteps.Parameter);
            w.Line("global::System.Array.Clear(_gradients);");
            var cleared = new HashSet<BufferPlan>();
            foreach (BufferPlan b in plan.Nodes.SelectMany(n => n.Buffers))
            {
                if (!b.ClearGradient || b.GradientComment is null || !b.Node.NeedsGradient) continue;
                BufferPlan root = b.Root(inference: false);
                if (!cleared.Add(root)) continue;
                w.Line(Slice("_activationGradients", root.Offset, root.Length()) + ".Clear(); // " + (root.GradientComment ?? "gradient of " + root.Node.Name));
            }
            w.RemoveUnusedLocals(body);
            w.Close();
            w.Line();
        }

        private static void WritePropagate(SourceWriter w, ModelPlan plan)
        {
            w.Line("/// <summary>From the seeded output gradients back to every parameter (and to the inputs the caller asked for), layer by layer");
            w.Line("/// in reverse order. <paramref name=\"fromLoss\"/>: the seeds came from a loss fused with an output's activation, which is then skipped.</summary>");
            w.Open("private void Propagate(int batch" + (plan.Truncated ? ", int steps" : "") + ", bool fromLoss" + GradientParameters(plan, defaults: false) + ")");
            int body = w.Mark();
            DeclareSteps(w, plan, WindowSteps.Parameter);
            DeclareParameters(w, plan, gradients: true);
            DeclareBuffers(w, plan, Pass.Backward);
            w.Line();
            for (int i = plan.Nodes.Count - 1; i >= 0; i--)
            {
                Node n = plan.Nodes[i];
                if (n.IsModelInput) continue;
                bool fused = n.OutputOf is { Form: LossForm.FusedWithActivation };
                w.Line("// " + n.Name + ": " + n.Layer.Describe(n) + (n.IsShared ? " (the weights of " + n.Owner.Name + ", gradients added)" : "")
                    + (fused ? " (activation fused into the loss)" : n.Output?.TrainingAlias is not null ? " (a view: its gradient is its input's)" : ""));
                n.Layer.Backward(Context(w, plan, n, Pass.Backward, fused));
            }
            var naming = new Naming(plan, Pass.Backward);
            foreach (InputPlan input in FloatInputs(plan))
            {
                Node n = input.Node;
                string dx = naming.Gradient(n.Output!);
                w.Line(n.Shape.IsSequence
                    ? "if (!" + input.GradientParameter + ".IsEmpty) " + Kernels + "Layers.Sequence_ToBatchMajor(" + input.GradientParameter + ", " + dx + ", batch, "
                        + n.Shape.Time!.Var + ", " + Int(n.Shape.Features) + "); // (steps, B, " + Int(n.Shape.Features) + ") -> (B, steps, " + Int(n.Shape.Features) + ")"
                    : "if (!" + input.GradientParameter + ".IsEmpty) " + dx + ".CopyTo(" + input.GradientParameter + ");");
            }
            w.RemoveUnusedLocals(body);
            w.Close();
            w.Line();
        }

        /// <summary>The mean loss of a sequence output over the window [start, start + steps) of every sample, leaving out padded steps,
        /// with the gradient written to <c>gradient</c> (empty: loss only). Backward and EvaluateBatch share it.</summary>
        private static void WriteSequenceLoss(SourceWriter w, ModelPlan plan, OutputPlan o)
        {
            Node output = o.Node;
            bool labels = o.UsesLabels;
            long width = output.Shape.Features, targetWidth = labels ? 1 : width;
            string element = labels ? "int" : "float";
            string targetType = labels ? TokensType + " labels" : ReadOnlySpan + " targets";
            string stepsConstant = StepsOf(plan, output.Shape);
            string F(string name) => GeneratedMembers.OutputField(plan, o, name);
            string Rows(long perStep) => "batch * steps" + (perStep == 1 ? "" : " * " + Int(perStep));
            w.Line("/// <summary>" + LossName(o.Loss) + " of " + output.Name + " over the steps [start, start + steps) of every sample" + (output.Mask is null ? "" : " that are not padding")
                + ", as a mean over those steps (PyTorch's mean with ignored padding; Keras' masked loss). Writes the gradient unless <paramref name=\"gradient\"/> is empty.</summary>");
            w.Open("private float " + GeneratedMembers.SequenceLossName(plan, o) + "(" + ReadOnlySpan + " output, " + ReadOnlySpan + " mask, " + targetType
                + ", int batch, int start, int steps, " + Span + " gradient)");
            w.Line("var stepTargets = new global::System.Span<" + element + ">(" + F("stepTargets") + ", 0, " + Rows(targetWidth) + "); // the window's " + (labels ? "labels" : "targets") + ", time-major");
            w.Line(Kernels + "Layers.Sequence_WindowToTimeMajor<" + element + ">(stepTargets, " + (labels ? "labels" : "targets") + ", batch, " + stepsConstant + ", start, steps, " + Int(targetWidth) + ");");
            if (output.Mask is null)
            {
                w.Line("return " + LossCall(plan.Spec, o, "gradient", "output", "stepTargets", "batch * steps") + ";");
                w.Close();
                w.Line();
                return;
            }
            w.Line("// Only the steps that are not padding count: gather their rows, take the loss, scatter the gradient back.");
            w.Line("var outputRows = new " + Span + "(" + F("stepOutputs") + ", 0, " + Rows(width) + ");");
            w.Line("var targetRows = new global::System.Span<" + element + ">(" + F("stepTargetRows") + ", 0, " + Rows(targetWidth) + ");");
            w.Line("var gradientRows = new " + Span + "(" + F("stepGradients") + ", 0, " + Rows(width) + ");");
            w.Line("int rows = " + Kernels + "Layers.Sequence_GatherRows<float>(outputRows, output, mask, " + Int(width) + ");");
            w.Line("if (rows == 0) return 0f; // every step of the window is padding: no loss, no gradient");
            w.Line(Kernels + "Layers.Sequence_GatherRows<" + element + ">(targetRows, stepTargets, mask, " + Int(targetWidth) + ");");
            w.Line("float loss = " + LossCall(plan.Spec, o, "gradient.IsEmpty ? default : gradientRows.Slice(0, rows * " + Int(width) + ")", "outputRows.Slice(0, rows * " + Int(width) + ")",
                "targetRows.Slice(0, rows" + (targetWidth == 1 ? "" : " * " + Int(targetWidth)) + ")", "rows") + ";");
            w.Line("if (!gradient.IsEmpty) " + Kernels + "Layers.Sequence_ScatterRows(gradient, gradientRows, mask, " + Int(width) + ");");
            w.Line("return loss;");
            w.Close();
            w.Line();
        }
    }
}
