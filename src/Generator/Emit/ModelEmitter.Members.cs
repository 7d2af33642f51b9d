using System.Linq;
using Unroll.Generator.Model;
using Unroll.Generator.Shapes;
using static Unroll.Generator.Emit.Names;

namespace Unroll.Generator.Emit
{
    internal static partial class ModelEmitter
    {
        private static void WriteTrainingLoop(SourceWriter w, ModelPlan plan)
        {
            w.Line("/// <summary>Trains on <paramref name=\"train\"/> as Keras <c>fit</c> does: epochs of shuffled mini-batches, optional validation,");
            w.Line("/// callbacks such as <see cref=\"global::Unroll.EarlyStopping\"/>. Each step allocates nothing.</summary>");
            if (plan.Spec.FromLogits || plan.TakesTokens)
            {
                w.Open("public global::Unroll.History Fit(global::Unroll.Dataset train, global::Unroll.FitOptions options)");
                if (plan.TakesTokens)
                {
                    w.Line("CheckTokenIds(train, nameof(train));");
                    w.Line("if (options.Validation is { } validation) CheckTokenIds(validation, \"FitOptions.Validation\");");
                }
                if (plan.Spec.FromLogits)
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
            w.Open("public global::Unroll.History Fit(global::Unroll.Dataset train, int epochs, int batchSize = 0, global::Unroll.Dataset? validation = null, double validationSplit = 0, bool shuffle = true, global::System.Action<global::Unroll.EpochLog>? onEpoch = null, params global::Unroll.ICallback[] callbacks)");
            w.Line("var options = new global::Unroll.FitOptions { Epochs = epochs, BatchSize = batchSize > 0 ? batchSize : global::System.Math.Min(32, MaxBatch), Validation = validation, ValidationSplit = validationSplit, Shuffle = shuffle, OnEpoch = onEpoch" + (plan.Spec.FromLogits ? ", FromLogits = true" : "") + " };");
            w.Line("foreach (global::Unroll.ICallback callback in callbacks) options.Callbacks.Add(callback);");
            w.Line("return Fit(train, options);");
            w.Close();
            w.Line();
            w.Line("/// <summary>Mean loss and accuracy over <paramref name=\"data\"/>, in inference mode.</summary>");
            if (plan.TakesTokens)
            {
                w.Open("public global::Unroll.Evaluation Evaluate(global::Unroll.Dataset data)");
                w.Line("CheckTokenIds(data, nameof(data));");
                w.Line("return global::Unroll.Trainer.Evaluate(this, data" + (plan.Spec.FromLogits ? ", fromLogits: true" : "") + ");");
                w.Close();
            }
            else
            {
                w.Line("public global::Unroll.Evaluation Evaluate(global::Unroll.Dataset data) => global::Unroll.Trainer.Evaluate(this, data" + (plan.Spec.FromLogits ? ", fromLogits: true" : "") + ");");
            }
            w.Line();
            w.Line("/// <summary>Writes every parameter to a safetensors file (names such as <c>" + (plan.Nodes.SelectMany(n => n.Tensors).FirstOrDefault()?.FullName ?? "layer.weight")
                + "</c>, PyTorch layouts), through a temporary file so a crash never leaves a partial file.</summary>");
            w.Line("public void Save(string path) => global::Unroll.ModelFile.Save(path, _parameters, _tensors, " + Literal(plan.Spec.ClassName) + ");");
            w.Line();
            w.Line("/// <summary>Reads every parameter from a safetensors file. The whole file is validated first (format, names, shapes); on any error");
            w.Line("/// an exception names the problem and the model is unchanged.</summary>");
            w.Line("public void Load(string path) => global::Unroll.ModelFile.Load(path, _parameters, _tensors);");
            w.Line();
        }

        private static void WriteInterface(SourceWriter w, ModelPlan plan)
        {
            const string I = "global::Unroll.ITrainableModel.";
            w.Line("int " + I + "InputSize => InputSize;");
            w.Line("int " + I + "OutputSize => OutputSize;");
            w.Line("int " + I + "BatchCapacity => MaxBatch;");
            w.Line("global::Unroll.Loss " + I + "Loss => " + Enum(plan.Spec.Loss) + ";");
            w.Line("global::Unroll.TargetKind " + I + "TargetKind => global::Unroll.TargetKind." + (plan.UsesLabels ? "ClassLabels" : "Values") + ";");
            w.Line("global::Unroll.SeededRandom " + I + "Random => _random;");
            if (plan.Output.Steps > 0)
                w.Line("int " + I + "OutputSteps => Steps;");
            w.Line(Span + " " + I + "Parameters => _parameters;");
            string modelInputs = plan.TakesTokens ? "TokensOf(inputs)" : "inputs";
            w.Open("float " + I + "TrainBatch(" + ReadOnlySpan + " inputs, " + ReadOnlySpan + " targets, global::System.ReadOnlySpan<int> labels, " + Span + " outputs)");
            w.Line("float loss = TrainStep(" + modelInputs + ", " + TargetName(plan) + ");");
            if (plan.Spec.BpttWindow > 0)
            {
                w.Line("if (!outputs.IsEmpty) // the trainer asks for none: a sequence output has no per-sample accuracy");
                w.Line("    throw new global::System.NotSupportedException(\"Under truncated BPTT only the last window's activations remain, so a training step has no outputs to return.\");");
            }
            else
            {
                w.Line("// The update leaves the activations alone: these are the outputs of this step's training forward pass.");
                w.Line("if (!outputs.IsEmpty) " + (plan.Output.Steps > 0 ? "new " + Span + "(_outputs, 0, _batch * OutputSize)" : Slice("_activations", plan.Output.OutputOffset, "_batch * OutputSize")) + ".CopyTo(outputs);");
            }
            w.Line("return loss;");
            w.Close();
            w.Open("float " + I + "EvaluateBatch(" + ReadOnlySpan + " inputs, " + ReadOnlySpan + " targets, global::System.ReadOnlySpan<int> labels, " + Span + " outputs)");
            w.Line("Predict(" + modelInputs + ", outputs);");
            w.Line("int batch = inputs.Length / InputSize;");
            WriteTargetCheck(w, plan);
            if (plan.Output.Steps > 0)
                w.Line("float loss = SequenceLoss(_inference, " + TargetName(plan) + ", batch, 0, Steps, default);");
            else
                w.Line("float loss = " + LossCall(plan, "default", "outputs") + ";");
            foreach (NodePlan n in Regularized(plan))
            {
                TensorPlan weight = n.Weight!;
                w.Line("loss += " + Kernels + "Regularization.L1L2(default, " + Slice("_parameters", weight.Offset, Int(weight.Length)) + ", "
                    + Float(n.Layer.L1) + ", " + Float(n.Layer.L2) + "); // " + n.Name + " weight penalty");
            }
            w.Line("return loss;");
            w.Close();
            w.Line();
        }

        private static void WriteHelpers(SourceWriter w, ModelPlan plan)
        {
            if (plan.TakesTokens)
            {
                int vocabulary = plan.Input.Layer.Seq.Vocabulary;
                w.Open("private static int BatchOf(global::System.ReadOnlySpan<int> tokens)");
                w.Line("if (tokens.Length == 0 || tokens.Length % InputSize != 0)");
                w.Line("    throw new global::System.ArgumentException($\"tokens holds {tokens.Length} ids, which is not a whole, non-zero number of samples of {InputSize} tokens.\", nameof(tokens));");
                w.Line("int batch = tokens.Length / InputSize;");
                w.Line("if (batch > MaxBatch)");
                w.Line("    throw new global::System.ArgumentException($\"tokens holds {batch} samples, more than MaxBatch = {MaxBatch} declared in [Model]; split the batch or raise MaxBatch.\", nameof(tokens));");
                w.Line("return batch;");
                w.Close();
                w.Line();
                w.Line("/// <summary>Checks a whole data set before training or evaluation, so a bad value is reported by its row and changes nothing.</summary>");
                w.Line("private static void CheckTokenIds(global::Unroll.Dataset data, string name) =>");
                w.Line("    " + Kernels + "Layers.Embedding_TokenIds(default, data.Features, " + Int(vocabulary) + ", InputSize, $\"the data set '{name}'\", name);");
                w.Line();
                w.Line("/// <summary>A Dataset holds features as floats; token ids must be whole numbers in [0, " + Int(vocabulary) + ").</summary>");
                w.Open("private global::System.ReadOnlySpan<int> TokensOf(" + ReadOnlySpan + " inputs)");
                w.Line("BatchOf(inputs);");
                w.Line("var tokens = new global::System.Span<int>(_tokenInputs, 0, inputs.Length);");
                w.Line(Kernels + "Layers.Embedding_TokenIds(tokens, inputs, " + Int(vocabulary) + ", InputSize, \"the batch\", nameof(inputs));");
                w.Line("return tokens;");
                w.Close();
                w.Line();
            }
            w.Open("private static int BatchOf(" + ReadOnlySpan + " inputs)");
            w.Line("if (inputs.Length == 0 || inputs.Length % InputSize != 0)");
            w.Line("    throw new global::System.ArgumentException($\"inputs holds {inputs.Length} floats, which is not a whole, non-zero number of samples of {InputSize} features.\", nameof(inputs));");
            w.Line("int batch = inputs.Length / InputSize;");
            w.Line("if (batch > MaxBatch)");
            w.Line("    throw new global::System.ArgumentException($\"inputs holds {batch} samples, more than MaxBatch = {MaxBatch} declared in [Model]; split the batch or raise MaxBatch.\", nameof(inputs));");
            w.Line("return batch;");
            w.Close();
        }
    }
}
