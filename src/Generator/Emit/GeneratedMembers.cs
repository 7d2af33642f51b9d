using System.Collections.Generic;
using System.Linq;
using Unroll.Generator.Planning;

namespace Unroll.Generator.Emit
{
    /// <summary>Every member the generator adds to a model class, so a layer named like one is reported (UNR0042) instead of
    /// breaking the generated file. The fuzz test keeps this list honest: a name missing here shows as an error in generated code.</summary>
    internal static class GeneratedMembers
    {
        /// <summary>The members every model gets, whatever its inputs and outputs.</summary>
        public static readonly string[] Always =
        {
            "ParameterCount", "InputSize", "OutputSize", "MaxBatch", "Steps", "BpttWindow", "LearningRate", "Iterations", "Parameters", "ParametersChanged", "CopyParametersTo", "SetParameters", "Gradients",
            "Tensors", "Layers", "Summary", "Forward", "Backward", "BackwardFrom", "ApplyGradients", "TrainStep", "Predict", "Fit", "Evaluate",
            "Save", "Load", "OutputLosses", "Outputs",
            "ActivationFloats", "InferenceFloats", "BatchOf", "SamplesOf", "PredictBatch", "SameBatch", "TokensOf", "CheckTokenIds", "CheckGradient", "ClearGradients", "Propagate",
            "Run", "SequenceLoss",
            "_parameters", "_parametersStart", "AllParameters", "_packedWeights", "_gradients", "_velocity", "_accumulator", "_meanSquare", "_firstMoment", "_secondMoment", "_activations",
            "_activationGradients", "t_inference", "InferenceArena", "_guard", "_learningRate", "_tensors", "_layers", "_random", "_batch", "_steps", "_start", "_step", "_outputs", "_tokens",
            "_tokenInputs", "_stepTargets", "_stepOutputs", "_stepTargetRows", "_stepGradients", "_windowInputs", "_outputLosses",
        };

        public static IEnumerable<string> For(ModelPlan plan)
        {
            foreach (string name in Always) yield return name;
            foreach (var input in plan.Inputs)
            {
                yield return input.SizeConstant;
                yield return StepsConstant(plan, input);
                yield return input.TokensField;
                yield return input.TokenInputsField;
            }
            foreach (var output in plan.Outputs)
            {
                yield return output.SizeConstant;
                foreach (string field in OutputFields(plan, output)) yield return field;
                yield return SequenceLossName(plan, output);
            }
        }

        public static string StepsConstant(ModelPlan plan, Graph.InputPlan input) =>
            plan.Inputs.Count(i => i.Node.Shape.IsSequence) == 1 && plan.SingleInput ? "Steps" : Names.Pascal(input.Node.Name) + "Steps";

        public static string SequenceLossName(ModelPlan plan, Graph.OutputPlan output) =>
            plan.SingleOutput ? "SequenceLoss" : Names.Pascal(output.Node.Local) + "SequenceLoss";

        /// <summary>The fields a sequence output keeps: Forward's batch-major outputs, a window's targets, and (masked) the rows that are not padding.</summary>
        public static IEnumerable<string> OutputFields(ModelPlan plan, Graph.OutputPlan output)
        {
            string prefix = plan.SingleOutput ? "_" : "_" + output.Node.Local;
            string Field(string name) => plan.SingleOutput ? prefix + name : prefix + Names.Pascal(name);
            yield return Field("outputs");
            yield return Field("stepTargets");
            yield return Field("stepOutputs");
            yield return Field("stepTargetRows");
            yield return Field("stepGradients");
        }

        public static string OutputField(ModelPlan plan, Graph.OutputPlan output, string name) =>
            plan.SingleOutput ? "_" + name : "_" + output.Node.Local + Names.Pascal(name);
    }
}
