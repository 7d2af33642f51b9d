using System.Collections.Generic;
using System.Linq;
using Unroll.Generator.Model;
using Unroll.Generator.Shapes;
using static Unroll.Generator.Emit.Names;

namespace Unroll.Generator.Emit
{
    internal static partial class ModelEmitter
    {
        private static string Slice(string array, int offset, string length) =>
            "new " + Span + "(" + array + ", " + Int(offset) + ", " + length + ")";

        private static string Rows(int width) => "batch * " + Int(width);

        /// <summary>The local of a parameter tensor or its gradient: the layer's local, then the tensor name in PascalCase
        /// (hidden + weight -> hiddenWeight, encoder + weight_ih_reverse -> encoderWeightIhReverse).</summary>
        private static string ParamLocal(NodePlan n, TensorPlan t, bool gradient) =>
            (gradient ? "d" + Pascal(n) : Local(n)) + string.Concat(t.Name.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part.Substring(1)));

        private static void DeclareParameters(SourceWriter w, ModelPlan plan, bool gradients)
        {
            foreach (NodePlan n in WithParameters(plan))
                foreach (TensorPlan t in n.Tensors)
                {
                    w.Line("var " + ParamLocal(n, t, false) + " = " + Slice("_parameters", t.Offset, Int(t.Length)) + "; // " + n.Name + "." + t.Name + " " + Shape(t.Shape));
                    if (gradients)
                        w.Line("var " + ParamLocal(n, t, true) + " = " + Slice("_gradients", t.Offset, Int(t.Length)) + "; // gradient of " + n.Name + "." + t.Name);
                }
        }

        private static void DeclareActivations(SourceWriter w, ModelPlan plan, bool gradients)
        {
            foreach (NodePlan n in plan.Nodes)
            {
                string shape = "(B, " + Int(n.Width) + ")";
                if (n.PreActivationOffset >= 0)
                {
                    w.Line("var " + Local(n) + "Z = " + Slice("_activations", n.PreActivationOffset, Rows(n.Width)) + "; // " + n.Name + " pre-activation " + shape);
                    if (gradients) w.Line("var d" + Pascal(n) + "Z = " + Slice("_activationGradients", n.PreActivationOffset, Rows(n.Width)) + "; // gradient of " + n.Name + " pre-activation");
                }
                w.Line("var " + Local(n) + " = " + Slice("_activations", n.OutputOffset, Rows(n.Width)) + "; // " + n.Name + " output " + shape);
                if (gradients) w.Line("var d" + Pascal(n) + " = " + Slice("_activationGradients", n.OutputOffset, Rows(n.Width)) + "; // gradient of " + n.Name + " output");
                if (n.MaskOffset >= 0)
                    w.Line("var " + Local(n) + "Mask = " + Slice("_activations", n.MaskOffset, Rows(n.Width)) + "; // " + n.Name + " dropout mask " + shape);
            }
        }

        private static string Slopes(NodePlan n, bool gradient) => ParamLocal(n, n.Slopes!, gradient);

        private static string ActivationForward(NodePlan n, string y, string x, string rows = "batch") => n.Activation switch
        {
            Activation.LeakyRelu or Activation.Elu => Kernels + "Activations." + n.Activation + "_Forward(" + y + ", " + x + ", " + Float(n.Alpha) + ");",
            Activation.PRelu => Kernels + "Activations.PRelu_Forward(" + y + ", " + x + ", " + Slopes(n, false) + ", " + rows + ", " + Int(n.Width) + ");",
            Activation.Softmax => Kernels + "Activations.Softmax_Forward(" + y + ", " + x + ", " + rows + ", " + Int(n.Width) + ");",
            Activation.Linear => x + ".CopyTo(" + y + ");",
            _ => Kernels + "Activations." + n.Activation + "_Forward(" + y + ", " + x + ");",
        };

        private static string ActivationBackward(NodePlan n, string dx, string dy, string x, string y, string rows = "batch") => n.Activation switch
        {
            Activation.Sigmoid or Activation.Tanh => Kernels + "Activations." + n.Activation + "_Backward(" + dx + ", " + dy + ", " + y + ");",
            Activation.Relu or Activation.Gelu => Kernels + "Activations." + n.Activation + "_Backward(" + dx + ", " + dy + ", " + x + ");",
            Activation.LeakyRelu => Kernels + "Activations.LeakyRelu_Backward(" + dx + ", " + dy + ", " + x + ", " + Float(n.Alpha) + ");",
            Activation.Elu => Kernels + "Activations.Elu_Backward(" + dx + ", " + dy + ", " + x + ", " + y + ", " + Float(n.Alpha) + ");",
            Activation.Selu => Kernels + "Activations.Selu_Backward(" + dx + ", " + dy + ", " + x + ", " + y + ");",
            Activation.PRelu => Kernels + "Activations.PRelu_Backward(" + dx + ", " + Slopes(n, true) + ", " + dy + ", " + x + ", " + Slopes(n, false) + ", " + rows + ", " + Int(n.Width) + ");",
            Activation.Softmax => Kernels + "Activations.Softmax_Backward(" + dx + ", " + dy + ", " + y + ", " + rows + ", " + Int(n.Width) + ");",
            _ => "global::System.Numerics.Tensors.TensorPrimitives.Add(" + dx + ", " + dy + ", " + dx + ");",
        };

        private static void WriteForward(SourceWriter w, ModelPlan plan)
        {
            if (plan.HasSequences)
            {
                WriteSequenceForward(w, plan);
                return;
            }
            w.Line("/// <summary>The training forward pass: runs the batch in <paramref name=\"inputs\"/> (InputSize floats per sample) and keeps");
            w.Line("/// every activation for <see cref=\"Backward\"/>. With <paramref name=\"training\"/> false, dropout is the identity.</summary>");
            w.Line("/// <returns>The outputs, OutputSize floats per sample, valid until the next call.</returns>");
            w.Open("public " + ReadOnlySpan + " Forward(" + ReadOnlySpan + " inputs, bool training = true)");
            int body = w.Mark();
            w.Line("int batch = BatchOf(inputs);");
            w.Line("_batch = batch;");
            DeclareParameters(w, plan, gradients: false);
            DeclareActivations(w, plan, gradients: false);
            w.Line();
            w.Line("inputs.CopyTo(" + Local(plan.Input) + ");");
            foreach (NodePlan n in plan.Nodes.Skip(1))
            {
                string x = Local(n.Input!), y = Local(n);
                w.Line("// " + n.Name + ": " + Describe(n));
                switch (n.Kind)
                {
                    case LayerKind.Dense:
                        string z = n.PreActivationOffset >= 0 ? y + "Z" : y;
                        w.Line(Kernels + "Layers.Dense_Forward(" + z + ", " + x + ", " + ParamLocal(n, n.Weight!, false) + ", "
                            + (n.Bias is { } b ? ParamLocal(n, b, false) : "default") + ", batch, " + Int(n.InputWidth) + ", " + Int(n.Width) + ");");
                        if (n.PreActivationOffset >= 0) w.Line(ActivationForward(n, y, z));
                        break;
                    case LayerKind.Activation:
                        w.Line(ActivationForward(n, y, x));
                        break;
                    case LayerKind.Dropout:
                        w.Line("if (training) " + Kernels + "Layers.Dropout_Forward(" + y + ", " + y + "Mask, " + x + ", " + Float(n.Layer.Rate) + ", _random);");
                        w.Line("else { " + x + ".CopyTo(" + y + "); " + y + "Mask.Fill(1f); }");
                        break;
                }
            }
            w.Line("return " + Local(plan.Output) + ";");
            w.RemoveUnusedLocals(body);
            w.Close();
            w.Line();
        }

        private static string TargetParameter(ModelPlan plan) =>
            plan.UsesLabels ? "global::System.ReadOnlySpan<int> labels" : ReadOnlySpan + " targets";

        private static string TargetName(ModelPlan plan) => plan.UsesLabels ? "labels" : "targets";

        /// <summary>The loss kernel call for the plan's loss form; <paramref name="gradient"/> is "default" for evaluation.</summary>
        private static string LossCall(ModelPlan plan, string gradient, string output, string? targets = null, string rows = "batch")
        {
            ModelSpec spec = plan.Spec;
            string t = targets ?? TargetName(plan), c = Int(plan.Output.Width);
            string L = Kernels + "Losses.";
            switch (spec.Loss)
            {
                case Loss.MeanSquaredError: return L + "MeanSquaredError(" + gradient + ", " + output + ", " + t + ")";
                case Loss.MeanAbsoluteError: return L + "MeanAbsoluteError(" + gradient + ", " + output + ", " + t + ")";
                case Loss.Huber: return L + "Huber(" + gradient + ", " + output + ", " + t + ", " + Float(spec.HuberDelta) + ")";
                case Loss.Hinge: return L + "Hinge(" + gradient + ", " + output + ", " + t + ")";
                case Loss.BinaryCrossEntropy:
                    return plan.LossForm switch
                    {
                        LossForm.FusedWithActivation => L + "SigmoidBinaryCrossEntropy(" + gradient + ", " + output + ", " + t + ")",
                        LossForm.FromLogits => L + "BinaryCrossEntropyWithLogits(" + gradient + ", " + output + ", " + t + ")",
                        _ => L + "BinaryCrossEntropy(" + gradient + ", " + output + ", " + t + ")",
                    };
                case Loss.CategoricalCrossEntropy:
                    return plan.LossForm switch
                    {
                        LossForm.FusedWithActivation => L + "SoftmaxCrossEntropy(" + gradient + ", " + output + ", " + t + ", " + rows + ", " + c + ")",
                        LossForm.FromLogits => L + "SoftmaxCrossEntropyWithLogits(" + gradient + ", " + output + ", " + t + ", " + rows + ", " + c + ")",
                        _ => L + "CategoricalCrossEntropy(" + gradient + ", " + output + ", " + t + ", " + rows + ", " + c + ")",
                    };
                default:
                    return plan.LossForm switch
                    {
                        LossForm.FusedWithActivation => L + "SparseSoftmaxCrossEntropy(" + gradient + ", " + output + ", " + t + ", " + rows + ", " + c + ")",
                        LossForm.FromLogits => L + "SparseSoftmaxCrossEntropyWithLogits(" + gradient + ", " + output + ", " + t + ", " + rows + ", " + c + ")",
                        _ => L + "SparseCategoricalCrossEntropy(" + gradient + ", " + output + ", " + t + ", " + rows + ", " + c + ")",
                    };
            }
        }

        /// <summary>Where the loss writes its gradient: the logits' gradient when fused with the output activation.</summary>
        private static string LossGradientTarget(ModelPlan plan)
        {
            NodePlan output = plan.Output;
            if (plan.LossForm != LossForm.FusedWithActivation) return "d" + Pascal(output);
            return output.Kind == LayerKind.Dense ? "d" + Pascal(output) + "Z" : "d" + Pascal(output.Input!);
        }

        private static void WriteTargetCheck(SourceWriter w, ModelPlan plan)
        {
            if (plan.UsesLabels && plan.Output.Steps > 0)
            {
                w.Line("if (labels.Length != batch * Steps)");
                w.Line("    throw new global::System.ArgumentException($\"labels holds {labels.Length} values for a batch of {batch} samples; one class label per step ({batch} x {Steps} = {batch * Steps}) was expected.\", nameof(labels));");
            }
            else if (plan.UsesLabels)
            {
                w.Line("if (labels.Length != batch)");
                w.Line("    throw new global::System.ArgumentException($\"labels holds {labels.Length} values for a batch of {batch} samples; one class label per sample was expected.\", nameof(labels));");
            }
            else
            {
                w.Line("if (targets.Length != batch * OutputSize)");
                w.Line("    throw new global::System.ArgumentException($\"targets holds {targets.Length} floats for a batch of {batch} samples; {batch * OutputSize} ({batch} x {OutputSize}) were expected.\", nameof(targets));");
            }
        }

        private static IEnumerable<NodePlan> Regularized(ModelPlan plan) =>
            plan.Nodes.Where(n => n.Kind == LayerKind.Dense && (n.Layer.L1 > 0f || n.Layer.L2 > 0f));

        private static void WriteBackward(SourceWriter w, ModelPlan plan)
        {
            bool sequences = plan.HasSequences;
            w.Line("/// <summary>The backward pass after <see cref=\"Forward\"/>: computes the mean loss against the batch's " + (plan.UsesLabels ? "class labels" : "targets"));
            w.Line("/// and the gradient of every parameter into <see cref=\"Gradients\"/> (overwriting the previous ones). Updates nothing.</summary>");
            w.Line("/// <returns>The mean loss over the batch, including L1/L2 penalties.</returns>");
            w.Open("public float Backward(" + TargetParameter(plan) + ")");
            int body = w.Mark();
            w.Line("int batch = _batch;");
            w.Line("if (batch == 0)");
            w.Line("    throw new global::System.InvalidOperationException(\"Backward needs the activations of a Forward call on the same batch; call Forward first.\");");
            if (sequences) w.Line("int steps = _steps;");
            WriteTargetCheck(w, plan);
            w.Line("global::System.Array.Clear(_gradients);");
            if (sequences)
            {
                if (plan.TakesTokens)
                    w.Line("var tokens = new global::System.ReadOnlySpan<int>(_tokens, 0, batch * steps); // the token ids of the forward pass");
                DeclareParameters(w, plan, gradients: true);
                DeclareSequenceBuffers(w, plan, "_activations", gradients: true);
                WriteGradientClears(w, plan);
            }
            else
            {
                // The input's gradient is never wanted, so its region (the arena's first) is left alone.
                int inputFloats = plan.Spec.MaxBatch * plan.Input.Width;
                w.Line("global::System.Array.Clear(_activationGradients, " + Int(inputFloats) + ", ActivationFloats - " + Int(inputFloats) + "); // all but the input's (B, "
                    + Int(plan.Input.Width) + ")");
                DeclareParameters(w, plan, gradients: true);
                DeclareActivations(w, plan, gradients: true);
            }
            w.Line();
            NodePlan output = plan.Output;
            string lossComment = plan.LossForm switch
            {
                LossForm.FusedWithActivation => " (fused with " + Names.ActivationName(output.Activation) + ": writes the gradient of the logits)",
                LossForm.FromLogits => " (the outputs are logits)",
                _ => "",
            };
            w.Line("// Loss: " + ModelChecker.LossName(plan.Spec.Loss) + " over " + (output.Steps > 0
                ? "every step" + (output.MaskSource is null ? "" : " that is not padding") + ", (steps, B, " + Int(output.Width) + ")"
                : "(B, " + Int(output.Width) + ")") + lossComment);
            if (output.Steps > 0)
                w.Line("float loss = SequenceLoss(_activations, " + TargetName(plan) + ", batch, " + (plan.Spec.BpttWindow > 0 ? "_start" : "0") + ", steps, " + LossGradientTarget(plan) + ");");
            else
                w.Line("float loss = " + LossCall(plan, LossGradientTarget(plan), Local(output)) + ";");
            foreach (NodePlan n in Regularized(plan))
                w.Line("loss += " + Kernels + "Regularization.L1L2(" + ParamLocal(n, n.Weight!, true) + ", " + ParamLocal(n, n.Weight!, false) + ", "
                    + Float(n.Layer.L1) + ", " + Float(n.Layer.L2) + "); // " + n.Name + " weight penalty");

            for (int i = plan.Nodes.Count - 1; i >= 1; i--)
            {
                NodePlan n = plan.Nodes[i];
                NodePlan input = n.Input!;
                bool inputIsModelInput = input.Kind == LayerKind.Input;
                bool fused = n == output && plan.LossForm == LossForm.FusedWithActivation;
                string dy = "d" + Pascal(n), dx = "d" + Pascal(input), x = Local(input), y = Local(n);
                w.Line("// " + n.Name + ": " + Describe(n) + (fused ? " (activation fused into the loss)" : ""));
                if (sequences)
                {
                    WriteSequenceBackwardLayer(w, plan, n, fused);
                    continue;
                }
                switch (n.Kind)
                {
                    case LayerKind.Dense:
                        string dz = dy;
                        if (n.PreActivationOffset >= 0)
                        {
                            dz = dy + "Z";
                            if (!fused) w.Line(ActivationBackward(n, dz, dy, y + "Z", y));
                        }
                        w.Line(Kernels + "Layers.Dense_Backward(" + (inputIsModelInput ? "default" : dx) + ", " + ParamLocal(n, n.Weight!, true) + ", "
                            + (n.Bias is { } b ? ParamLocal(n, b, true) : "default") + ", " + dz + ", " + x + ", " + ParamLocal(n, n.Weight!, false)
                            + ", batch, " + Int(n.InputWidth) + ", " + Int(n.Width) + ");");
                        break;
                    case LayerKind.Activation:
                        if (!fused && (!inputIsModelInput || n.Activation == Activation.PRelu))
                            w.Line(ActivationBackward(n, dx, dy, x, y));
                        break;
                    case LayerKind.Dropout:
                        if (!inputIsModelInput)
                            w.Line(Kernels + "Layers.Dropout_Backward(" + dx + ", " + dy + ", " + y + "Mask);");
                        break;
                }
            }
            w.Line("return loss;");
            w.RemoveUnusedLocals(body);
            w.Close();
            w.Line();
        }

        private static void WriteApplyGradients(SourceWriter w, ModelPlan plan)
        {
            ModelSpec spec = plan.Spec;
            w.Line("/// <summary>The optimizer step on the gradients of the last <see cref=\"Backward\"/>: " + spec.Optimizer
                + (spec.ClipValue > 0 ? ", after clipping each gradient to ±" + Float(spec.ClipValue).TrimEnd('f') : "")
                + (spec.ClipNorm > 0 ? ", after scaling the gradients to a global norm of at most " + Float(spec.ClipNorm).TrimEnd('f') : "")
                + ". Frozen layers are left unchanged.</summary>");
            w.Open("public void ApplyGradients()");
            w.Line("// Frozen layers get no gradient, so they neither move nor count in clipping (as requires_grad=False in PyTorch).");
            foreach (NodePlan n in WithParameters(plan))
                w.Line("if (" + Member(n.Name) + ".Frozen) " + Member(n.Name) + ".Gradients.Clear();");
            if (spec.ClipValue > 0)
                w.Line(Kernels + "GradientClipping.ByValue(_gradients, " + Float(spec.ClipValue) + ");");
            if (spec.ClipNorm > 0)
                w.Line(Kernels + "GradientClipping.ByGlobalNorm(_gradients, " + Float(spec.ClipNorm) + ");");
            w.Line("_step++;");
            foreach (NodePlan n in WithParameters(plan))
            {
                // The layer's own views for its parameters and gradients; the optimizer state is sliced the same way.
                string p = Member(n.Name) + ".Parameters";
                string g = Member(n.Name) + ".Gradients";
                string S(string field) => Slice(field, n.ParameterOffset, Int(n.ParameterCount));
                string call = spec.Optimizer switch
                {
                    Optimizer.Sgd => "Sgd_Step(" + p + ", " + g + ", LearningRate)",
                    Optimizer.Momentum => "Momentum_Step(" + p + ", " + g + ", " + S("_velocity") + ", LearningRate, " + Float(spec.Momentum) + ", nesterov: false)",
                    Optimizer.Nesterov => "Momentum_Step(" + p + ", " + g + ", " + S("_velocity") + ", LearningRate, " + Float(spec.Momentum) + ", nesterov: true)",
                    Optimizer.Adagrad => "Adagrad_Step(" + p + ", " + g + ", " + S("_accumulator") + ", LearningRate, " + Float(spec.Epsilon) + ")",
                    Optimizer.RmsProp => "RmsProp_Step(" + p + ", " + g + ", " + S("_meanSquare") + ", LearningRate, " + Float(spec.Rho) + ", " + Float(spec.Epsilon) + ")",
                    Optimizer.Adam => "Adam_Step(" + p + ", " + g + ", " + S("_firstMoment") + ", " + S("_secondMoment") + ", LearningRate, "
                        + Float(spec.Beta1) + ", " + Float(spec.Beta2) + ", " + Float(spec.Epsilon) + ", _step)",
                    _ => "AdamW_Step(" + p + ", " + g + ", " + S("_firstMoment") + ", " + S("_secondMoment") + ", LearningRate, "
                        + Float(spec.Beta1) + ", " + Float(spec.Beta2) + ", " + Float(spec.Epsilon) + ", " + Float(spec.WeightDecay) + ", _step)",
                };
                w.Line("// " + n.Name + " (" + Int(n.ParameterCount) + " parameters)");
                w.Line("if (!" + Member(n.Name) + ".Frozen) " + Kernels + "Optimizers." + call + ";");
            }
            w.Close();
            w.Line();
        }

        private static void WriteTrainStep(SourceWriter w, ModelPlan plan)
        {
            if (plan.Spec.BpttWindow > 0)
            {
                WriteTruncatedTrainStep(w, plan);
                return;
            }
            w.Line("/// <summary>One training step on a batch: <see cref=\"Forward\"/>, <see cref=\"Backward\"/>, <see cref=\"ApplyGradients\"/>.");
            w.Line("/// Allocates nothing. If the loss is not finite, throws before any parameter changes.</summary>");
            w.Line(plan.TakesTokens
                ? "/// <param name=\"tokens\">InputSize token ids per sample (0 is padding), at most MaxBatch samples.</param>"
                : "/// <param name=\"inputs\">InputSize floats per sample, at most MaxBatch samples.</param>");
            w.Line(plan.UsesLabels
                ? "/// <param name=\"labels\">One class label in [0, OutputSize) per sample.</param>"
                : "/// <param name=\"targets\">OutputSize floats per sample.</param>");
            w.Line("/// <returns>The mean loss over the batch before the update.</returns>");
            w.Open("public float TrainStep(" + InputParameter(plan) + ", " + TargetParameter(plan) + ")");
            w.Line("Forward(" + InputName(plan) + ", training: true);");
            w.Line("float loss = Backward(" + TargetName(plan) + ");");
            w.Line("if (!float.IsFinite(loss))");
            w.Line("    throw new global::System.InvalidOperationException($\"The loss is {loss} at step {_step + 1} (batch of {_batch} samples), so the parameters were not updated. Look for NaN or infinite inputs or targets, or lower the learning rate (now {LearningRate}).\");");
            w.Line("ApplyGradients();");
            w.Line("return loss;");
            w.Close();
            w.Line();
        }

        private static void WritePredict(SourceWriter w, ModelPlan plan)
        {
            if (plan.HasSequences)
            {
                WriteSequencePredict(w, plan);
                return;
            }
            w.Line("/// <summary>Inference on a batch: writes OutputSize floats per sample of <paramref name=\"inputs\"/> to <paramref name=\"outputs\"/>.");
            w.Line("/// Dropout is the identity; no activation is kept for backward. Allocates nothing.</summary>");
            w.Open("public void Predict(" + ReadOnlySpan + " inputs, " + Span + " outputs)");
            int body = w.Mark();
            w.Line("int batch = BatchOf(inputs);");
            w.Line("if (outputs.Length != batch * OutputSize)");
            w.Line("    throw new global::System.ArgumentException($\"outputs holds {outputs.Length} floats for a batch of {batch} samples; {batch * OutputSize} ({batch} x {OutputSize}) were expected.\", nameof(outputs));");
            DeclareParameters(w, plan, gradients: false);
            w.Line();
            int lastDense = plan.Nodes.FindLastIndex(n => n.Kind == LayerKind.Dense);
            string current = "inputs";
            bool writable = false;
            int buffer = 0;
            string NextBuffer(NodePlan n)
            {
                string local = Local(n);
                w.Line("var " + local + " = " + Slice("_inference", buffer * plan.Spec.MaxBatch * plan.MaxWidth, Rows(n.Width)) + "; // (B, " + Int(n.Width) + ")");
                buffer = 1 - buffer;
                return local;
            }
            for (int i = 1; i < plan.Nodes.Count; i++)
            {
                NodePlan n = plan.Nodes[i];
                w.Line("// " + n.Name + ": " + Describe(n) + (n.Kind == LayerKind.Dropout ? " (the identity at inference)" : ""));
                switch (n.Kind)
                {
                    case LayerKind.Dense:
                        string y = i == lastDense ? "outputs" : NextBuffer(n);
                        w.Line(Kernels + "Layers.Dense_Forward(" + y + ", " + current + ", " + ParamLocal(n, n.Weight!, false) + ", "
                            + (n.Bias is { } b ? ParamLocal(n, b, false) : "default") + ", batch, " + Int(n.InputWidth) + ", " + Int(n.Width) + ");");
                        if (n.Activation != Activation.Linear) w.Line(ActivationForward(n, y, y));
                        current = y;
                        writable = true;
                        break;
                    case LayerKind.Activation:
                        string target = writable ? current : i > lastDense ? "outputs" : NextBuffer(n);
                        w.Line(ActivationForward(n, target, current));
                        current = target;
                        writable = true;
                        break;
                }
            }
            if (current != "outputs")
                w.Line(current + ".CopyTo(outputs);");
            w.RemoveUnusedLocals(body);
            w.Close();
            w.Line();
        }
    }
}
