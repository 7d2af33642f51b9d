using System.Linq;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Helpers;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;

namespace Unroll.Generator.Layers.Core
{
    /// <param name="Features">Floats per sample (per step of a sequence).</param>
    /// <param name="Length">Steps of a sequence; 0: not a sequence.</param>
    /// <param name="Vocabulary">For token ids: the number of ids; 0: floats.</param>
    /// <param name="Shape">Feature axes of rank 2 or more ((28, 28, 1)); empty: (Features).</param>
    internal sealed record InputOptions(int Features, int Length, int Vocabulary, EquatableArray<int> Shape) : LayerOptions;

    /// <summary>
    /// Keras <c>Input(shape=...)</c>: where data enters the model. A vector of Features floats, a sequence of Length steps, a rank-N
    /// sample (Shape), or Length token ids of a Vocabulary. It computes nothing: the generated passes copy the caller's span into the
    /// arena (time-major for sequences) and keep token ids for the embedding's backward; its gradient is what the caller asks
    /// <c>Backward</c> for.
    /// </summary>
    internal sealed class Input : LayerDefinition
    {
        public override string Name => "Input";
        public override string KerasName(Node node) => "InputLayer";
        public override bool IsModelInput => true;
        public override int MinInputs => 0;
        public override int MaxInputs => 0;
        public override MaskRule Mask => MaskRule.None;

        public override bool TakesTokens(LayerOptions options) => ((InputOptions)options).Vocabulary > 0;

        public override LayerOptions Read(AttributeArguments args) =>
            new InputOptions(args.Int("Features", 0), args.Int("Length", 0), args.Int("Vocabulary", 0), args.Ints("Shape"));

        public override void CheckOptions(CheckContext c)
        {
            var o = (InputOptions)c.Spec.Options;
            string name = c.Spec.Name;
            if (c.Spec.Inputs.Count > 0)
                c.Report(DiagnosticDescriptors.FromOnInputId, c.Spec.LocationOf("From"), name);
            if (o.Length < 0)
                c.Report(DiagnosticDescriptors.InputShapeId, c.Spec.LocationOf("Length"), name,
                    "Length must not be negative (it is the number of steps of a sequence, 0 for a vector), but is " + CheckContext.F(o.Length));
            if (o.Vocabulary < 0)
                c.Report(DiagnosticDescriptors.InputShapeId, c.Spec.LocationOf("Vocabulary"), name,
                    "Vocabulary must not be negative (it is the number of token ids, 0 for float features), but is " + CheckContext.F(o.Vocabulary));
            if (o.Vocabulary > 0 && o.Length == 0)
                c.Report(DiagnosticDescriptors.InputShapeId, c.Spec.LocationOf("Vocabulary"), name,
                    "token ids come as a sequence; set Length to the number of tokens per sample");
            else if (o.Vocabulary > 0 && o.Features != 0)
                c.Report(DiagnosticDescriptors.InputShapeId, c.Spec.LocationOf("Features"), name,
                    "a token-id input has one id per step and no Features; remove Features = " + CheckContext.F(o.Features));
            else if (o.Vocabulary > 0 && o.Shape.Count > 0)
                c.Report(DiagnosticDescriptors.InputShapeId, c.Spec.LocationOf("Shape"), name,
                    "a token-id input has one id per step and no Shape; remove Shape");
            else if (o.Shape.Count > 0 && o.Features != 0)
                c.Report(DiagnosticDescriptors.InputShapeId, c.Spec.LocationOf("Features"), name,
                    "give either Features (a vector) or Shape (several axes), not both; remove Features = " + CheckContext.F(o.Features));
            else if (o.Shape.Count > 0 && o.Shape.Any(d => d < 1))
                c.Report(DiagnosticDescriptors.NonPositiveSizeId, c.Spec.LocationOf("Shape"), "Every axis of Shape", name,
                    "(" + string.Join(", ", o.Shape.Select(CheckContext.F)) + ")");
            else if (o.Vocabulary == 0 && o.Shape.Count == 0 && o.Features < 1)
                c.Report(DiagnosticDescriptors.NonPositiveSizeId, c.Spec.LocationOf("Features"), "Features", name, CheckContext.F(o.Features));
        }

        public override Shape? InferShape(ShapeContext c)
        {
            var o = c.Node.Options<InputOptions>();
            TimeAxis? time = o.Length > 0 ? new TimeAxis(o.Length, c.Member.Name) : null;
            if (o.Vocabulary > 0) return new Shape(time, System.Array.Empty<int>(), o.Vocabulary);
            return new Shape(time, o.Shape.Count > 0 ? o.Shape.ToArray() : new[] { o.Features });
        }

        // The passes' boundary with the caller (copies in, gradients out) is written by the emitter for every model input.
        public override void Forward(EmitContext e)
        {
        }

        public override void Backward(EmitContext e)
        {
        }

        public override string Describe(Node node)
        {
            Shape s = node.Shape;
            if (s.IsTokens) return "input, " + CheckContext.F(s.Steps) + " token ids of a vocabulary of " + CheckContext.F(s.Vocabulary);
            string features = s.Rank == 1 ? CheckContext.F(s.Dims[0]) + " features" : "(" + PlanContext.Dims(s) + ")";
            return s.IsSequence ? "input, " + CheckContext.F(s.Steps) + " steps of " + features : "input, " + features;
        }
    }
}
