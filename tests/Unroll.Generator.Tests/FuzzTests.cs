using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Unroll.Generator.Analyzers;

namespace Unroll.Generator.Tests;

/// <summary>
/// Thousands of random model declarations, valid and malformed (sizes out of range, enum casts, dangling and cyclic references,
/// wrappers on the wrong layers, names of generated members, merges of mismatched shapes, outputs without losses...), through the
/// real generator, analyzer and compiler. No exception may escape, and no error may appear inside a generated file: a valid model
/// compiles, and a model with an Unroll error gets a stub that compiles, so the Unroll error is the one the user sees.
/// </summary>
public class FuzzTests
{
    private const int Declarations = 5200;
    private const int PerCompilation = 130;

    [Fact]
    public void RandomDeclarationsNeverBreakTheBuildWithoutAnUnrollError()
    {
        var failures = new ConcurrentBag<string>();
        int batches = Declarations / PerCompilation;
        int[] valid = new int[batches], generatedErrors = new int[batches];
        Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, batch =>
        {
            var random = new Random(1000 + batch);
            var sources = new List<string>();
            for (int i = 0; i < PerCompilation; i++) sources.Add(new Declaration(random, batch * PerCompilation + i).Write());
            CSharpCompilation input = GeneratorHarness.Compilation(sources.ToArray());
            GeneratorDriver driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
            foreach (Diagnostic d in generatorDiagnostics.Concat(driver.GetRunResult().Diagnostics))
                failures.Add("generator: " + d);

            ImmutableArray<Diagnostic> analyzer = input.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ModelAnalyzer()))
                .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            foreach (Diagnostic d in analyzer.Where(d => d.Id == "UNR9999" || d.Id.StartsWith("AD", StringComparison.Ordinal)))
                failures.Add("analyzer: " + d);
            var unrollErrors = analyzer.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is not null)
                .Select(d => d.Location.SourceTree!.FilePath).ToHashSet();

            var userTrees = input.SyntaxTrees.ToHashSet();
            foreach (SyntaxTree tree in output.SyntaxTrees.Where(t => !userTrees.Contains(t)))
            {
                var errors = output.GetSemanticModel(tree).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (errors.Count == 0) continue;
                generatedErrors[batch]++;
                // Generated files are named after the model's namespace, Fuzz{n}, which is also its source file's.
                string model = tree.FilePath.Substring(tree.FilePath.LastIndexOf("Fuzz", StringComparison.Ordinal)).Split('.')[0];
                int index = int.Parse(model.Substring(4), CultureInfo.InvariantCulture);
                string file = $"Model{index - batch * PerCompilation}.cs";
                // Stricter than "not without an Unroll error": a model with errors gets a stub that adds no compiler error, because a
                // command-line build shows analyzer diagnostics only for a compilation without errors.
                failures.Add($"{model}: {errors.Count} error(s) in the generated file ({(unrollErrors.Contains(file) ? "with" : "and no")} Unroll error), first {errors[0]}\n{sources[index - batch * PerCompilation]}");
            }
            valid[batch] = PerCompilation - unrollErrors.Count;
        });
        Assert.True(failures.IsEmpty, failures.Count + " failures; the first ones:\n" + string.Join("\n\n", failures.Take(5)));
        // The generator's space is covered, not just its errors: a fair share of the declarations are valid models.
        Assert.InRange(valid.Sum(), Declarations / 10, Declarations - Declarations / 10);
    }

    /// <summary>One random model: mostly well-formed layers wired in plausible ways, with a malformation now and then.</summary>
    private sealed class Declaration
    {
        private static readonly string[] SpecialNames =
        {
            "Parameters", "Forward", "Steps", "Outputs", "MaxBatch", "Save", "batch", "@class", "@event", "value", "Value", "HiddenLayer",
            "Hidden_Layer", "hidden", "Net", "dHidden", "HiddenZ", "Summary", "Layers", "inputs", "Predict", "_parameters", "fromLoss", "Run",
            "OutputLosses", "InputGradient", "steps", "training", "Tokens", "Labels", "InputSize",
        };

        private static readonly string[] Activations = { "Linear", "Sigmoid", "Tanh", "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Gelu", "Softmax" };
        private static readonly string[] Losses = { "MeanSquaredError", "MeanAbsoluteError", "Huber", "BinaryCrossEntropy", "CategoricalCrossEntropy", "SparseCategoricalCrossEntropy", "Hinge" };
        private static readonly string[] Optimizers = { "Sgd", "Momentum", "Nesterov", "Adagrad", "RmsProp", "Adam", "AdamW" };

        private readonly Random _r;
        private readonly int _index;
        private readonly List<string> _names = new();
        private readonly List<char> _kinds = new(); // t: token ids, s: sequence, v: vector, g: several axes, ?: unknown
        private readonly StringBuilder _members = new();

        public Declaration(Random random, int index)
        {
            _r = random;
            _index = index;
        }

        private bool Chance(double p) => _r.NextDouble() < p;
        private T Pick<T>(IReadOnlyList<T> items) => items[_r.Next(items.Count)];

        private int Size() => Chance(0.96) ? Pick(new[] { 1, 2, 3, 4, 6, 8 }) : Pick(new[] { 0, -1, 100000, 600000000, int.MaxValue });

        private string Enum(string type, string[] values) => Chance(0.97) ? type + "." + Pick(values) : "(" + type + ")" + _r.Next(10, 60).ToString(CultureInfo.InvariantCulture);

        private string NewName()
        {
            string name = Chance(0.06) ? Pick(SpecialNames) : "L" + _names.Count.ToString(CultureInfo.InvariantCulture);
            if (_names.Contains(name) || (name.TrimStart('@') is var n && _names.Contains(n))) name = "L" + _names.Count.ToString(CultureInfo.InvariantCulture) + "x";
            return name;
        }

        /// <summary>A reference to an earlier member (usually), a later one, itself, or a name that is no layer.</summary>
        private string Reference(string self)
        {
            double p = _r.NextDouble();
            if (_names.Count == 0 || p < 0.03) return "\"Missing\"";
            if (p < 0.05) return "nameof(" + self + ")";
            string target = p < 0.5 ? _names[_names.Count - 1] : Pick(_names);
            return "nameof(" + target + ")";
        }

        private void Member(string attributes, string name, char kind = '?')
        {
            _kinds.Add(kind);
            string decorated = attributes;
            if (Chance(0.12))
                decorated += ", Output(" + (Chance(0.8) ? "Loss = " + Enum("Loss", Losses) : "") + (Chance(0.2) ? (Chance(0.8) ? ", " : "") + "Weight = " + Pick(new[] { "0.5f", "2f", "0f", "-1f" }) : "")
                    .TrimStart(',', ' ') + ")";
            _members.Append("    [").Append(decorated).Append("] public partial Layer ").Append(name).Append(" { get; }\n");
            _names.Add(name.TrimStart('@'));
        }

        public string Write()
        {
            int inputs = Chance(0.8) ? 1 : _r.Next(2, 4);
            for (int i = 0; i < inputs; i++)
            {
                string name = NewName();
                double p = _r.NextDouble();
                string input = p < 0.6 ? $"Input(Features = {Size()})"
                    : p < 0.75 ? $"Input(Length = {Size()}, Features = {Size()})"
                    : p < 0.9 ? $"Input(Length = {Size()}, Vocabulary = {Pick(new[] { 5, 12, 50, 12, 0, -3 })})"
                    : $"Input(Shape = new[] {{ {Size()}, {Size()}{(Chance(0.5) ? ", " + Size() : "")} }})";
                Member(input, name, p < 0.6 ? 'v' : p < 0.75 ? 's' : p < 0.9 ? 't' : 'g');
            }
            int layers = _r.Next(1, 9);
            for (int i = 0; i < layers; i++) Layer();

            string model = "Model(" + string.Join(", ", new[]
            {
                Chance(0.8) ? "Loss = " + (Chance(0.5) ? "Loss.MeanSquaredError" : Enum("Loss", Losses)) : null,
                Chance(0.5) ? "Optimizer = " + Enum("Optimizer", Optimizers) : null,
                Chance(0.3) ? "MaxBatch = " + Pick(new[] { "1", "4", "16", "0", "100000" }) : null,
                Chance(0.1) ? "FromLogits = true" : null,
                Chance(0.1) ? "BpttWindow = " + Pick(new[] { "2", "3", "-1" }) : null,
                Chance(0.1) ? "LearningRate = " + Pick(new[] { "0.01f", "0f", "float.PositiveInfinity" }) : null,
                Chance(0.05) ? "ClipNorm = 1f" : null,
            }.Where(a => a is not null)) + ")";
            string ns = "Fuzz" + _index.ToString(CultureInfo.InvariantCulture);
            return "using Unroll;\nnamespace " + ns + "\n{\n[" + model + "]\npublic partial class Net\n{\n" + _members + "}\n}\n";
        }

        private void Layer()
        {
            string name = NewName();
            string from = Chance(0.15) ? ", From = " + Reference(name) : "";
            string Inputs()
            {
                int n = Chance(0.9) ? 2 : Pick(new[] { 1, 3 });
                return string.Join(", ", Enumerable.Range(0, n).Select(_ => Reference(name)));
            }
            // Mostly a layer that fits what the member before gives, sometimes any.
            char last = _kinds.Count > 0 ? _kinds[_kinds.Count - 1] : '?';
            double p = _r.NextDouble();
            if (from.Length == 0 && Chance(0.75))
                p = last switch
                {
                    't' => 0.36,
                    's' => Pick(new[] { 0.45, 0.50, 0.88, 0.75, 0.30, 0.25 }),
                    'g' => Pick(new[] { 0.75, 0.79, 0.70 }),
                    'v' => Pick(new[] { 0.05, 0.10, 0.15, 0.25, 0.30, 0.84 }),
                    _ => p,
                };
            char kind = p < 0.22 || p >= 0.86 && p < 0.92 || (p >= 0.72 && p < 0.77) ? 'v' : p < 0.28 || p < 0.33 ? last : p < 0.53 ? 's' : '?';
            string layer =
                p < 0.22 ? $"{(last == 's' && Chance(0.5) || Chance(0.05) ? "TimeDistributed, " : "")}Dense(Units = {Size()}, Activation = {Enum("Activation", Activations)}{(Chance(0.1) ? ", L2 = 0.01f" : "")}{from})"
                : p < 0.28 ? $"Activation({Enum("Activation", Activations)}{from})"
                : p < 0.33 ? $"Dropout({Pick(new[] { "0.1f", "0.5f", "0.2f", "1f", "-0.2f" })}{from})"
                : p < 0.40 ? $"Embedding(Dimension = {Size()}{(Chance(0.5) ? ", MaskZero = true" : "")}{from})"
                : p < 0.53 ? $"{(Chance(0.2) ? "Bidirectional, " : "")}{Pick(new[] { "SimpleRnn", "Lstm", "Gru" })}(Units = {Size()}{(Chance(0.5) ? ", ReturnSequences = true" : "")}"
                    + $"{(Chance(0.15) ? ", ReturnState = true" : "")}{(Chance(0.05) ? ", GoBackwards = true" : "")}{(Chance(0.05) ? ", InitialState = " + Reference(name) : "")}"
                    + $"{(Chance(0.1) ? ", Dropout = 0.2f" : "")}{from})"
                : p < 0.66 ? $"{Pick(new[] { "Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Dot" })}({Inputs()}"
                    + $"{(Chance(0.15) ? ", Axis = " + Pick(new[] { "-1", "1", "2", "5" }) : "")})"
                : p < 0.72 ? $"Reshape({Pick(new[] { "2, 2", "-1", "4", "2, -1", "3, 1", "-1, -1" })}{from})"
                : p < 0.77 ? $"Flatten{(from.Length > 0 ? "(" + from.TrimStart(',', ' ') + ")" : "")}"
                : p < 0.81 ? $"Permute({Pick(new[] { "2, 1", "1, 2", "1", "3, 1, 2", "1, 1" })}{from})"
                : p < 0.86 ? $"RepeatVector({Pick(new[] { "3", "2", "1", "0" })}{from})"
                : p < 0.92 ? $"{Pick(new[] { "GlobalAveragePooling1D", "GlobalMaxPooling1D" })}{(from.Length > 0 ? "(" + from.TrimStart(',', ' ') + ")" : "")}"
                : $"Shared({Reference(name)}{from})";
            if (p >= 0.40 && p < 0.53) kind = layer.Contains("ReturnSequences") ? 's' : 'v';
            if (p >= 0.36 && p < 0.40) kind = 's';
            if (p >= 0.81 && p < 0.86) kind = 's';
            // Dot and Concatenate take Axes/Axis; the other merges take neither.
            if (!layer.StartsWith("Concatenate", StringComparison.Ordinal)) layer = layer.Replace(", Axis = -1)", ")").Replace(", Axis = 1)", ")").Replace(", Axis = 2)", ")").Replace(", Axis = 5)", ")");
            if (layer.StartsWith("Dot", StringComparison.Ordinal) && Chance(0.3)) layer = layer.TrimEnd(')') + ", Normalize = true)";
            Member(layer, name, kind);
        }
    }
}
