using System.Globalization;
using Unroll.Generator.Model;

namespace Unroll.Generator.Graph
{
    /// <summary>One parameter tensor: where it lives in the flat parameter buffer and how it is initialized.</summary>
    /// <remarks><paramref name="OnesFrom"/>/<paramref name="OnesCount"/>: a slice set to 1 after the initializer (an LSTM's forget-gate
    /// bias under Keras <c>unit_forget_bias</c>); count 0 for none.</remarks>
    internal sealed record TensorPlan(string Name, string FullName, int Offset, int[] Shape, long Length, Initializer Initializer, float Scale, int FanIn, int FanOut,
        int OnesFrom = 0, int OnesCount = 0)
    {
        /// <summary>Its place among the weights the model keeps packed for inference (<c>PackedWeights</c>), or -1 for none.</summary>
        public int PackedIndex { get; set; } = -1;
    }

    /// <summary>How many rows of a buffer there are per sample.</summary>
    internal enum Extent
    {
        /// <summary>One row per sample: (B, perRow).</summary>
        Sample,
        /// <summary>One row per step of every sample: (steps, B, perRow), time-major.</summary>
        Steps,
        /// <summary>steps + 1 rows per sample: a recurrent layer's states, the initial one first.</summary>
        Slots,
    }

    /// <summary>When a buffer exists in the inference pass.</summary>
    internal enum InferenceUse
    {
        /// <summary>Training only (pre-activations, dropout masks: what backward reads).</summary>
        None,
        /// <summary>Only while its layer runs (recurrent states and gates).</summary>
        Scratch,
        /// <summary>From its layer until the last layer that reads it (outputs).</summary>
        Value,
        /// <summary>Until the end of the pass (padding masks, which every later layer on the time axis may read).</summary>
        Pinned,
    }

    /// <summary>One buffer of a node in the activation arena (its gradient, if any, at the same offset of the gradient arena)
    /// and, unless training-only, in the inference arena. Sizes are for MaxBatch; at run time each view is sliced to the batch.</summary>
    internal sealed class BufferPlan
    {
        public BufferPlan(Node node, string suffix, long perRow, Extent extent, TimeAxis? time, string comment, string? gradientComment,
            bool clearGradient, InferenceUse inference)
        {
            Node = node;
            Suffix = suffix;
            PerRow = perRow;
            Extent = extent;
            Time = time;
            Comment = comment;
            GradientComment = gradientComment;
            ClearGradient = clearGradient;
            Inference = inference;
        }

        public Node Node { get; }

        /// <summary>Appended to the node's local: "" for the output, "Z", "Mask", "States"...</summary>
        public string Suffix { get; }

        public long PerRow { get; }
        public Extent Extent { get; }
        public TimeAxis? Time { get; }

        /// <summary>What the view declaration says, e.g. "Hidden pre-activation (B, 8)".</summary>
        public string Comment { get; }

        /// <summary>What the gradient view says; null when the buffer's gradient is never used.</summary>
        public string? GradientComment { get; }

        /// <summary>Whether backward kernels add into its gradient, so it is zeroed before each backward pass; a scratch
        /// gradient (a kernel's carry) is overwritten instead.</summary>
        public bool ClearGradient { get; set; }

        public InferenceUse Inference { get; set; }

        /// <summary>The buffer this one shares its floats with in the training arena (a Flatten over a vector), or null.</summary>
        public BufferPlan? TrainingAlias { get; set; }

        /// <summary>The buffer this one shares its floats with in the inference arena (Dropout is the identity there), or null.</summary>
        public BufferPlan? InferenceAlias { get; set; }

        public int Offset { get; set; } = -1;
        public int InferenceOffset { get; set; } = -1;

        /// <summary>
        /// Rows per sample in the inference arena when the layer keeps fewer there than in training, or null for the same rows: a
        /// recurrent layer's state slots roll through two rows, and its gates are computed a block of steps at a time, because
        /// nothing reads them back at inference.
        /// </summary>
        public int? InferenceRows { get; private set; }

        /// <summary>What the inference view declaration says when <see cref="InferenceRows"/> is set.</summary>
        public string? InferenceComment { get; private set; }

        /// <summary>Keeps <paramref name="rows"/> rows per sample in the inference arena instead of the training extent.</summary>
        public BufferPlan AtInference(int rows, string comment)
        {
            InferenceRows = rows;
            InferenceComment = comment;
            return this;
        }

        /// <summary>Whether the <see cref="InferenceRows"/> are a block of steps that grows as the batch shrinks, filling the same floats.</summary>
        public bool InferenceRowsFillMaxBatch { get; private set; }

        /// <summary>
        /// Keeps a block of <paramref name="steps"/> steps per sample at MaxBatch in the inference arena, and for a smaller batch as many
        /// more as the same floats hold: a recurrent layer's gates, so that a batch of one projects up to MaxBatch times as many steps in
        /// one product.
        /// </summary>
        public BufferPlan AtInferenceBlock(int steps, string comment)
        {
            InferenceRowsFillMaxBatch = true;
            return AtInference(steps, comment);
        }

        /// <summary>Rows per sample at the declared length.</summary>
        public long RowsPerSample => Extent switch
        {
            Extent.Steps => Time!.Length,
            Extent.Slots => Time!.Length + 1,
            _ => 1,
        };

        /// <summary>Floats at MaxBatch and the declared length, in the training arena or the inference arena.</summary>
        public long Floats(int maxBatch, bool inference = false) =>
            Shape.Multiply(Shape.Multiply(maxBatch, inference && InferenceRows is { } rows ? rows : RowsPerSample), PerRow);

        /// <summary>The run-time length: "batch * 8", "batch * steps * 18", "batch * (steps + 1) * 6"; at inference "batch * 2 * 6"
        /// for a buffer with <see cref="InferenceRows"/>, "batch * (16 * MaxBatch / batch) * 6" for a block that fills MaxBatch's floats.</summary>
        public string Length(bool inference = false)
        {
            string per = PerRow == 1 ? "" : " * " + PerRow.ToString(CultureInfo.InvariantCulture);
            if (inference && InferenceRows is { } rows)
                return InferenceRowsFillMaxBatch
                    ? "batch * (" + rows.ToString(CultureInfo.InvariantCulture) + " * MaxBatch / batch)" + per
                    : "batch * " + rows.ToString(CultureInfo.InvariantCulture) + per;
            return Extent switch
            {
                Extent.Steps => "batch * " + Time!.Var + per,
                Extent.Slots => "batch * (" + Time!.Var + " + 1)" + per,
                _ => "batch" + per,
            };
        }

        public BufferPlan Root(bool inference)
        {
            BufferPlan b = this;
            while ((inference ? b.InferenceAlias : b.TrainingAlias) is { } next) b = next;
            return b;
        }
    }

    /// <summary>How the loss meets an output layer.</summary>
    internal enum LossForm
    {
        /// <summary>The loss takes the output and gives its gradient; backward then runs through the output activation.</summary>
        OnOutput,
        /// <summary>The loss takes the softmax/sigmoid output and gives the gradient of the logits directly (the activation's backward is skipped).</summary>
        FusedWithActivation,
        /// <summary>The output is linear and the loss treats it as logits.</summary>
        FromLogits,
    }

    /// <summary>One output of the model with its loss.</summary>
    internal sealed class OutputPlan
    {
        public OutputPlan(Node node, int index, Loss loss, float weight, bool fromLogits)
        {
            Node = node;
            Index = index;
            Loss = loss;
            Weight = weight;
            FromLogits = fromLogits;
        }

        public Node Node { get; }
        public int Index { get; }
        public Loss Loss { get; }
        public float Weight { get; }
        public bool FromLogits { get; }
        public LossForm Form { get; set; }

        public bool UsesLabels => Loss == Loss.SparseCategoricalCrossEntropy;
        public bool IsSequence => Node.Shape.IsSequence;

        /// <summary>The user's names for this output (targets/labels, outputs, gradient), set by the planner.</summary>
        public string TargetName { get; set; } = "targets";
        public string OutputName { get; set; } = "outputs";
        public string GradientName { get; set; } = "outputGradient";
        public string SizeConstant { get; set; } = "OutputSize";
    }

    /// <summary>One [Input] with the user's names for it.</summary>
    internal sealed class InputPlan
    {
        public InputPlan(Node node, int index)
        {
            Node = node;
            Index = index;
        }

        public Node Node { get; }
        public int Index { get; }
        public bool IsTokens => Node.Shape.IsTokens;

        /// <summary>The parameter of the passes: "inputs"/"tokens" for a model with one input, else "titleTokens", "imageInputs".</summary>
        public string Parameter { get; set; } = "inputs";

        /// <summary>The parameter that receives this input's gradient ("inputGradient", "imageGradient").</summary>
        public string GradientParameter { get; set; } = "inputGradient";

        /// <summary>The constant of floats (ids) per sample: "InputSize", or "TitleSize".</summary>
        public string SizeConstant { get; set; } = "InputSize";

        /// <summary>The field that keeps a token input's ids for backward ("_tokens", "_titleTokens").</summary>
        public string TokensField { get; set; } = "_tokens";

        /// <summary>The field for ids converted from a Dataset's floats.</summary>
        public string TokenInputsField { get; set; } = "_tokenInputs";
    }
}
