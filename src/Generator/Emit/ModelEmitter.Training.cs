using System.Linq;
using Unroll.Generator.Graph;
using Unroll.Generator.Model;
using Unroll.Generator.Planning;
using static Unroll.Generator.Emit.Names;

namespace Unroll.Generator.Emit
{
    // The training surface: ApplyGradients, TrainStep (plain or with truncated BPTT), Fit/Evaluate through ITrainableModel for
    // one-input, one-output models, Save/Load, and the small helpers the passes call.
    internal static partial class ModelEmitter
    {
        private static void WriteApplyGradients(SourceWriter w, ModelPlan plan)
        {
            ModelSpec spec = plan.Spec;
            w.Line("/// <summary>The optimizer step on the gradients of the last <see cref=\"Backward\"/>: " + spec.Optimizer
                + (spec.ClipValue > 0 ? ", after clipping each gradient to ±" + Float(spec.ClipValue).TrimEnd('f') : "")
                + (spec.ClipNorm > 0 ? ", after scaling the gradients to a global norm of at most " + Float(spec.ClipNorm).TrimEnd('f') : "")
                + ". Frozen layers are left unchanged.</summary>");
            w.Line(SingleThreadedRemark);
            w.Open("public void ApplyGradients()");
            w.Line("using var trainingScope = _guard.Enter(nameof(ApplyGradients)); // single-threaded: a second thread throws instead of corrupting the model");
            w.Line("// Frozen layers get no gradient, so they neither move nor count in clipping (as requires_grad=False in PyTorch).");
            foreach (Node n in plan.WithParameters)
                w.Line("if (" + Member(n.Name) + ".Frozen) " + Member(n.Name) + ".Gradients.Clear();");
            if (spec.ClipValue > 0)
                w.Line(Kernels + "GradientClipping.ByValue(_gradients, " + Float(spec.ClipValue) + ");");
            if (spec.ClipNorm > 0)
                w.Line(Kernels + "GradientClipping.ByGlobalNorm(_gradients, " + Float(spec.ClipNorm) + ");");
            w.Line("_step++;");
            foreach (Node n in plan.WithParameters)
            {
                // The parameters sliced as the layer's own views (not through them: a view taken counts as one a caller may write through),
                // the gradients through the layer's view; the optimizer state is sliced the same way.
                string p = ParameterSlice(n.ParameterOffset, Int(n.ParameterCount));
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
            w.Line("_packedWeights.Modified(); // Predict packs the new weights");
            w.Close();
            w.Line();
        }

        private static void WriteTrainStep(SourceWriter w, ModelPlan plan)
        {
            if (plan.Truncated)
            {
                WriteTruncatedTrainStep(w, plan);
                return;
            }
            w.Line("/// <summary>One training step on a batch: <see cref=\"Forward\"/>, <see cref=\"Backward\"/>, <see cref=\"ApplyGradients\"/>.");
            w.Line("/// Allocates nothing. If the loss is not finite, throws before any parameter changes.</summary>");
            foreach (InputPlan i in plan.Inputs)
                w.Line("/// <param name=\"" + i.Parameter + "\">" + i.SizeConstant + (i.IsTokens ? " token ids per sample (0 is padding)" : " floats per sample") + ", at most MaxBatch samples.</param>");
            foreach (OutputPlan o in plan.Outputs)
                w.Line("/// <param name=\"" + o.TargetName + "\">" + (o.UsesLabels ? "One class label in [0, " + Int(o.Node.Shape.Features) + ") per " + (o.IsSequence ? "step" : "sample")
                    : o.SizeConstant + " floats per sample") + (plan.SingleOutput ? "" : " for " + o.Node.Name) + ".</param>");
            if (SampleWeighted(plan)) w.Line(SampleWeightsDoc);
            w.Line("/// <returns>The mean loss over the batch before the update.</returns>");
            w.Line(SingleThreadedRemark);
            w.Open("public float TrainStep(" + InputParameters(plan) + ", " + TargetParameters(plan) + SampleWeightsParameter(plan) + ")");
            w.Line("using var trainingScope = _guard.Enter(nameof(TrainStep)); // single-threaded: a second thread throws instead of corrupting the model");
            w.Line("Forward(" + InputArguments(plan) + ", training: true);");
            w.Line("float loss = Backward(" + TargetArguments(plan) + (SampleWeighted(plan) ? ", sampleWeights: sampleWeights" : "") + ");");
            w.Line("if (!float.IsFinite(loss))");
            w.Line("    throw new global::Unroll.NonFiniteLossException($\"The loss is {loss} at step {_step + 1} (batch of {_batch} samples), so the parameters were not updated. Look for NaN or infinite inputs or targets, or lower the learning rate (now {LearningRate}).\");");
            w.Line("ApplyGradients();");
            w.Line("return loss;");
            w.Close();
            w.Line();
        }

        /// <summary>TrainStep under truncated BPTT: the sequence in windows of BpttWindow steps, each with its own forward, backward
        /// and update; the recurrent state runs on from window to window, but no gradient flows back across a window's start.</summary>
        private static void WriteTruncatedTrainStep(SourceWriter w, ModelPlan plan)
        {
            InputPlan input = plan.Input;
            OutputPlan output = plan.Output;
            w.Line("/// <summary>One training step on a batch with truncated backpropagation through time: the " + Int(input.Node.Shape.Steps) + " steps run in windows of "
                + Int(plan.Spec.BpttWindow) + ", each with its own forward, backward and optimizer update (" + Int((input.Node.Shape.Steps + plan.Spec.BpttWindow - 1) / plan.Spec.BpttWindow)
                + " updates); the recurrent state carries over from window to window without gradient. Allocates nothing.");
            w.Line("/// If a window's loss is not finite, throws before that window's update.</summary>");
            w.Line("/// <returns>The mean of the windows' losses, each taken before its update.</returns>");
            w.Line(SingleThreadedRemark);
            w.Open("public float TrainStep(" + InputParameters(plan) + ", " + TargetParameters(plan) + ")");
            w.Line("using var trainingScope = _guard.Enter(nameof(TrainStep)); // single-threaded: a second thread throws instead of corrupting the model");
            w.Line("int batch = BatchOf(" + input.Parameter + ", InputSize, nameof(" + input.Parameter + "));");
            w.Line("_batch = batch;");
            WriteTargetChecks(w, plan);
            // A later window's NaN would otherwise fail the step after earlier windows had updated the weights.
            foreach (string? values in new[] { input.IsTokens ? null : "inputs", output.UsesLabels ? null : "targets" })
            {
                if (values is null) continue;
                string size = values == "inputs" ? "InputSize" : "OutputSize";
                string bad = values == "inputs" ? "badInput" : "badTarget";
                w.Line("if (" + Kernels + "Layers.IndexOfNonFinite(" + values + ") is int " + bad + " and >= 0)");
                w.Line("    throw new global::System.ArgumentException($\"" + values + " holds {" + values + "[" + bad + "]} at sample {" + bad + " / " + size
                    + "}, position {" + bad + " % " + size + "}; a truncated-BPTT step checks the whole batch before its first update, so nothing was changed.\", nameof(" + values + "));");
            }
            w.Line("float total = 0f;");
            w.Line("int windows = 0;");
            w.Open("for (int start = 0; start < Steps; start += BpttWindow)");
            w.Line("int steps = global::System.Math.Min(BpttWindow, Steps - start);");
            w.Line("_start = start;");
            w.Line("_steps = steps;");
            if (input.IsTokens)
            {
                w.Line("var window = new global::System.Span<int>(_tokens, 0, batch * steps); // kept for the embedding's backward");
                w.Line(Kernels + "Layers.Sequence_Window<int>(window, tokens, batch, Steps, start, steps, 1);");
            }
            else
            {
                long features = input.Node.Shape.Features;
                w.Line("var window = new " + Span + "(_windowInputs, 0, batch * steps * " + Int(features) + ");");
                w.Line(Kernels + "Layers.Sequence_Window<float>(window, inputs, batch, Steps, start, steps, " + Int(features) + ");");
            }
            w.Line("Run(window, batch, steps, carry: start == 0 ? 0 : BpttWindow, training: true);");
            w.Line("float loss = Backward(" + TargetArguments(plan) + ");");
            w.Line("if (!float.IsFinite(loss))");
            w.Line("    throw new global::Unroll.NonFiniteLossException($\"The loss is {loss} in the window of steps [{start}, {start + steps}) at step {_step + 1} (batch of {batch} samples), so the parameters were not updated. Look for NaN or infinite inputs or targets, or lower the learning rate (now {LearningRate}).\");");
            w.Line("ApplyGradients();");
            w.Line("total += loss;");
            w.Line("windows++;");
            w.Close();
            w.Line("return total / windows;");
            w.Close();
            w.Line();
        }

        private static void WriteTrainingLoop(SourceWriter w, ModelPlan plan)
        {
            bool tokens = plan.Input.IsTokens;
            bool fromLogits = plan.Output.FromLogits;
            w.Line("/// <summary>Trains on <paramref name=\"train\"/> as Keras <c>fit</c> does: epochs of shuffled mini-batches, optional validation,");
            w.Line("/// callbacks such as <see cref=\"global::Unroll.EarlyStopping\"/>. Each step allocates nothing.</summary>");
            w.Line(SingleThreadedRemark);
            if (fromLogits || tokens)
            {
                w.Open("public global::Unroll.History Fit(global::Unroll.Dataset train, global::Unroll.FitOptions options)");
                if (tokens)
                {
                    w.Line("CheckTokenIds(train, nameof(train));");
                    w.Line("if (options.Validation is { } validation) CheckTokenIds(validation, \"FitOptions.Validation\");");
                }
                if (fromLogits)
                    w.Line("options.FromLogits = true; // the outputs are logits: accuracy thresholds them at 0");
                w.Line("return global::Unroll.Trainer.Fit(this, train, options);");
                w.Close();
            }
            else
            {
                w.Line("public global::Unroll.History Fit(global::Unroll.Dataset train, global::Unroll.FitOptions options) => global::Unroll.Trainer.Fit(this, train, options);");
            }
            w.Line();
            w.Line("/// <summary>Trains for <paramref name=\"epochs\"/> epochs of mini-batches of <paramref name=\"batchSize\"/> samples (0: the smaller of 32 and MaxBatch).</summary>");
            w.Line(SingleThreadedRemark);
            w.Open("public global::Unroll.History Fit(global::Unroll.Dataset train, int epochs, int batchSize = 0, global::Unroll.Dataset? validation = null, double validationSplit = 0, bool shuffle = true, global::System.Action<global::Unroll.EpochLog>? onEpoch = null, params global::Unroll.ICallback[] callbacks)");
            w.Line("var options = new global::Unroll.FitOptions { Epochs = epochs, BatchSize = batchSize == 0 ? global::System.Math.Min(32, MaxBatch) : batchSize, Validation = validation, ValidationSplit = validationSplit, Shuffle = shuffle, OnEpoch = onEpoch" + (fromLogits ? ", FromLogits = true" : "") + " };");
            w.Line("foreach (global::Unroll.ICallback callback in callbacks) options.Callbacks.Add(callback);");
            w.Line("return Fit(train, options);");
            w.Close();
            w.Line();
            w.Line("/// <summary>Mean loss and accuracy over <paramref name=\"data\"/>, in inference mode.</summary>");
            if (tokens)
            {
                w.Open("public global::Unroll.Evaluation Evaluate(global::Unroll.Dataset data)");
                w.Line("CheckTokenIds(data, nameof(data));");
                w.Line("return global::Unroll.Trainer.Evaluate(this, data" + (fromLogits ? ", fromLogits: true" : "") + ");");
                w.Close();
            }
            else
            {
                w.Line("public global::Unroll.Evaluation Evaluate(global::Unroll.Dataset data) => global::Unroll.Trainer.Evaluate(this, data" + (fromLogits ? ", fromLogits: true" : "") + ");");
            }
            w.Line();
        }

        private static void WriteSaveLoad(SourceWriter w, ModelPlan plan)
        {
            string name = Literal(plan.Spec.ClassName);
            w.Line("/// <summary>Writes every parameter to a safetensors file (names such as <c>" + (plan.WithParameters.SelectMany(n => n.Tensors).FirstOrDefault()?.FullName ?? "layer.weight")
                + "</c>, PyTorch layouts), through a temporary file so a crash never leaves a partial file.</summary>");
            w.Line("public void Save(string path) => global::Unroll.ModelFile.Save(path, AllParameters, _tensors, " + name + ");");
            w.Line();
            w.Line("/// <summary>Writes the same bytes as <see cref=\"Save(string)\"/> to <paramref name=\"stream\"/> (a blob, a response), from its position; the stream stays open.</summary>");
            w.Line("public void Save(global::System.IO.Stream stream) => global::Unroll.ModelFile.Save(stream, AllParameters, _tensors, " + name + ");");
            w.Line();
            w.Line("/// <summary>Reads every parameter from a safetensors file. Names, dtypes and shapes are checked from the header before any data is read,");
            w.Line("/// then the values, which must be finite unless <paramref name=\"allowNonFinite\"/>; on any error an exception names the problem and the model is unchanged.</summary>");
            w.Line(SingleThreadedRemark);
            w.Open("public void Load(string path, bool allowNonFinite = false)");
            w.Line("using var trainingScope = _guard.Enter(nameof(Load)); // single-threaded: a second thread throws instead of corrupting the model");
            w.Line("global::Unroll.ModelFile.Load(path, AllParameters, _tensors, allowNonFinite: allowNonFinite);");
            w.Line("_packedWeights.Modified(); // Predict packs the new weights");
            w.Close();
            w.Line();
            w.Line("/// <summary>Reads every parameter from a safetensors stream (an embedded resource, a blob) as <see cref=\"Load(string, bool)\"/> does; the stream stays open.</summary>");
            w.Line(SingleThreadedRemark);
            w.Open("public void Load(global::System.IO.Stream stream, bool allowNonFinite = false)");
            w.Line("using var trainingScope = _guard.Enter(nameof(Load)); // single-threaded: a second thread throws instead of corrupting the model");
            w.Line("global::Unroll.ModelFile.Load(stream, AllParameters, _tensors, allowNonFinite: allowNonFinite, sourceName: " + name + " + \" stream\");");
            w.Line("_packedWeights.Modified(); // Predict packs the new weights");
            w.Close();
            w.Line();
        }

        private static void WriteInterface(SourceWriter w, ModelPlan plan)
        {
            const string I = "global::Unroll.ITrainableModel.";
            InputPlan input = plan.Input;
            OutputPlan output = plan.Output;
            w.Line("int " + I + "InputSize => InputSize;");
            w.Line("int " + I + "OutputSize => OutputSize;");
            w.Line("int " + I + "BatchCapacity => MaxBatch;");
            w.Line("global::Unroll.Loss " + I + "Loss => " + Enum(output.Loss) + ";");
            w.Line("global::Unroll.TargetKind " + I + "TargetKind => global::Unroll.TargetKind." + (output.UsesLabels ? "ClassLabels" : "Values") + ";");
            w.Line("global::Unroll.SeededRandom " + I + "Random => _random;");
            if (output.IsSequence)
                w.Line("int " + I + "OutputSteps => " + StepsOf(plan, output.Node.Shape) + ";");
            var state = ModelEmitter.OptimizerStateFields(plan.Spec.Optimizer);
            w.Line("global::System.Collections.Generic.IReadOnlyList<(string Name, float[] Values)> " + I + "OptimizerState => new (string, float[])[] { "
                + string.Join(", ", state.Select(f => "(" + Literal(f.Name) + ", " + f.Field + ")")) + " };");
            w.Open("void " + I + "RestoreIterations(int iterations)");
            w.Line("global::System.ArgumentOutOfRangeException.ThrowIfNegative(iterations);");
            w.Line("_step = iterations;");
            w.Close();
            string modelInputs = input.IsTokens ? "TokensOf(inputs)" : "inputs";
            bool weighted = SampleWeighted(plan);
            string weightsParameter = ReadOnlySpan + " sampleWeights, ";
            string weightsArgument = weighted ? ", sampleWeights: sampleWeights" : "";
            void Unweighted()
            {
                if (weighted) return;
                w.Line("if (!sampleWeights.IsEmpty)");
                w.Line("    throw new global::System.NotSupportedException(\"" + (plan.Truncated
                    ? "The model trains with truncated backpropagation through time, whose windowed losses take no sample weights yet"
                    : "The model's output is a sequence, whose per-step loss takes no sample weights yet") + "; train without sample or class weights.\");");
            }
            w.Open("float " + I + "TrainBatch(" + ReadOnlySpan + " inputs, " + ReadOnlySpan + " targets, global::System.ReadOnlySpan<int> labels, " + weightsParameter + Span + " outputs)");
            Unweighted();
            w.Line("float loss = TrainStep(" + modelInputs + ", " + output.TargetName + weightsArgument + ");");
            if (plan.Truncated)
            {
                w.Line("if (!outputs.IsEmpty) // the trainer asks for none: a sequence output has no per-sample accuracy");
                w.Line("    throw new global::System.NotSupportedException(\"Under truncated BPTT only the last window's activations remain, so a training step has no outputs to return.\");");
            }
            else
            {
                w.Line("// The update leaves the activations alone: these are the outputs of this step's training forward pass.");
                w.Line("if (!outputs.IsEmpty) " + (output.IsSequence ? "new " + Span + "(_outputs, 0, _batch * OutputSize)" : Slice("_activations", output.Node.Output!.Root(inference: false).Offset, "_batch * OutputSize")) + ".CopyTo(outputs);");
            }
            w.Line("return loss;");
            w.Close();
            w.Open("float " + I + "ComputeGradients(" + ReadOnlySpan + " inputs, " + ReadOnlySpan + " targets, global::System.ReadOnlySpan<int> labels, " + weightsParameter + Span + " outputs)");
            if (plan.Truncated)
            {
                w.Line("throw new global::System.NotSupportedException(\"Under truncated BPTT a training step updates the weights after every window, so micro-batches cannot be summed into one step; \"");
                w.Line("    + \"use a batch size of at most MaxBatch = \" + MaxBatch + \".\");");
            }
            else
            {
                Unweighted();
                w.Line("Forward(" + modelInputs + ", training: true);");
                w.Line("float loss = Backward(" + output.TargetName + weightsArgument + ");");
                w.Line("if (!outputs.IsEmpty) " + (output.IsSequence ? "new " + Span + "(_outputs, 0, _batch * OutputSize)" : Slice("_activations", output.Node.Output!.Root(inference: false).Offset, "_batch * OutputSize")) + ".CopyTo(outputs);");
                w.Line("return loss;");
            }
            w.Close();
            w.Open("float " + I + "EvaluateBatch(" + ReadOnlySpan + " inputs, " + ReadOnlySpan + " targets, global::System.ReadOnlySpan<int> labels, " + weightsParameter + Span + " outputs)");
            Unweighted();
            w.Line("Predict(" + modelInputs + ", outputs);");
            w.Line("int batch = inputs.Length / InputSize;");
            WriteTargetChecks(w, plan);
            WriteSampleWeightsCheck(w, plan);
            if (output.IsSequence)
            {
                // After Predict the output's and its mask's regions of this thread's inference arena still hold this batch's values.
                Node n = output.Node;
                BufferPlan value = n.Output!.Root(inference: true);
                string mask = n.Mask is { } m ? Slice("InferenceArena()", m.Root(inference: true).InferenceOffset, "batch * " + StepsOf(plan, n.Shape)) : "default";
                w.Line("float loss = SequenceLoss(" + Slice("InferenceArena()", value.InferenceOffset, "batch * OutputSize") + ", " + mask + ", " + output.TargetName + ", batch, 0, "
                    + StepsOf(plan, n.Shape) + ", default);");
            }
            else
            {
                w.Line("float loss = " + LossCall(plan.Spec, output, "default", "outputs", output.TargetName, "batch", weighted ? "sampleWeights" : null) + ";");
            }
            foreach (Node n in plan.Nodes)
                foreach (var (tensor, l1, l2) in n.Layer.Penalties(n))
                {
                    TensorPlan weight = n.Tensors.First(t => t.Name == tensor);
                    w.Line("loss += " + Kernels + "Regularization.L1L2(default, " + ParameterSlice(weight.Offset, Int(weight.Length)) + ", "
                        + Float(l1) + ", " + Float(l2) + "); // " + n.Name + " " + tensor + " penalty");
                }
            w.Line("return loss;");
            w.Close();
            w.Line();
        }

        private static void WriteHelpers(SourceWriter w, ModelPlan plan)
        {
            bool anyTokens = plan.Inputs.Any(i => i.IsTokens), anyFloats = plan.Inputs.Any(i => !i.IsTokens);
            if (anyTokens)
            {
                w.Open("private static int SamplesOf(global::System.ReadOnlySpan<int> tokens, int size, string name)");
                w.Line("if (tokens.Length == 0 || tokens.Length % size != 0)");
                w.Line("    throw new global::System.ArgumentException($\"{name} holds {tokens.Length} ids, which is not a whole, non-zero number of samples of {size} tokens.\", name);");
                w.Line("return tokens.Length / size;");
                w.Close();
                w.Line();
                w.Open("private static int BatchOf(global::System.ReadOnlySpan<int> tokens, int size, string name)");
                w.Line("if (tokens.Length == 0 || tokens.Length % size != 0)");
                w.Line("    throw new global::System.ArgumentException($\"{name} holds {tokens.Length} ids, which is not a whole, non-zero number of samples of {size} tokens.\", name);");
                w.Line("int batch = tokens.Length / size;");
                w.Line("if (batch > MaxBatch)");
                w.Line("    throw new global::System.ArgumentException($\"{name} holds {batch} samples, more than MaxBatch = {MaxBatch} declared in [Model]; split the batch or raise MaxBatch.\", name);");
                w.Line("return batch;");
                w.Close();
                w.Line();
            }
            if (anyFloats || Trainable(plan))
            {
                w.Open("private static int SamplesOf(" + ReadOnlySpan + " inputs, int size, string name)");
                w.Line("if (inputs.Length == 0 || inputs.Length % size != 0)");
                w.Line("    throw new global::System.ArgumentException($\"{name} holds {inputs.Length} floats, which is not a whole, non-zero number of samples of {size} features.\", name);");
                w.Line("return inputs.Length / size;");
                w.Close();
                w.Line();
                w.Open("private static int BatchOf(" + ReadOnlySpan + " inputs, int size, string name)");
                w.Line("if (inputs.Length == 0 || inputs.Length % size != 0)");
                w.Line("    throw new global::System.ArgumentException($\"{name} holds {inputs.Length} floats, which is not a whole, non-zero number of samples of {size} features.\", name);");
                w.Line("int batch = inputs.Length / size;");
                w.Line("if (batch > MaxBatch)");
                w.Line("    throw new global::System.ArgumentException($\"{name} holds {batch} samples, more than MaxBatch = {MaxBatch} declared in [Model]; split the batch or raise MaxBatch.\", name);");
                w.Line("return batch;");
                w.Close();
                w.Line();
            }
            if (!plan.SingleInput)
            {
                w.Open("private static void SameBatch(int batch, int expected, string name, string first)");
                w.Line("if (batch != expected)");
                w.Line("    throw new global::System.ArgumentException($\"{name} holds {batch} samples, but {first} holds {expected}; every input needs one row per sample of the batch.\", name);");
                w.Close();
                w.Line();
            }
            if (anyFloats)
            {
                w.Open("private void CheckGradient(" + Span + " gradient, int expected, string name)");
                w.Line("if (!gradient.IsEmpty && gradient.Length != expected)");
                w.Line("    throw new global::System.ArgumentException($\"{name} holds {gradient.Length} floats for a batch of {_batch} samples; {expected} were expected, or none.\", name);");
                w.Close();
                w.Line();
            }
            if (Trainable(plan) && plan.Input.IsTokens)
            {
                InputPlan input = plan.Input;
                int vocabulary = input.Node.Shape.Vocabulary;
                w.Line("/// <summary>Checks a whole data set before training or evaluation, so a bad value is reported by its row and changes nothing.</summary>");
                w.Line("private static void CheckTokenIds(global::Unroll.Dataset data, string name) =>");
                w.Line("    " + Kernels + "Layers.Embedding_TokenIds(default, data.Features, " + Int(vocabulary) + ", InputSize, $\"the data set '{name}'\", name);");
                w.Line();
                w.Line("/// <summary>A Dataset holds features as floats; token ids must be whole numbers in [0, " + Int(vocabulary) + ").</summary>");
                w.Open("private global::System.ReadOnlySpan<int> TokensOf(" + ReadOnlySpan + " inputs)");
                w.Line("BatchOf(inputs, InputSize, nameof(inputs));");
                w.Line("var tokens = new global::System.Span<int>(_tokenInputs, 0, inputs.Length);");
                w.Line(Kernels + "Layers.Embedding_TokenIds(tokens, inputs, " + Int(vocabulary) + ", InputSize, \"the batch\", nameof(inputs));");
                w.Line("return tokens;");
                w.Close();
                w.Line();
            }
        }
    }
}
