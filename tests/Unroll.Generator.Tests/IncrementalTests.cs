using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Unroll.Generator.Tests;

public class IncrementalTests
{
    private static readonly string[] TrackedSteps = { TrackingNames.Specs, TrackingNames.Sources };

    [Fact]
    public void UnrelatedEditLeavesEveryTrackedStepCachedOrUnchanged()
    {
        CSharpCompilation first = GeneratorHarness.Compilation(Models.IrisClassifier, "public class Other { }");
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(first);
        GeneratorRunResult run1 = driver.GetRunResult().Results.Single();

        SyntaxTree otherTree = first.SyntaxTrees.Last();
        CSharpCompilation second = first.ReplaceSyntaxTree(otherTree,
            CSharpSyntaxTree.ParseText("public class Other { public int Added => 1; }", GeneratorHarness.ParseOptions, path: otherTree.FilePath));
        driver = driver.RunGenerators(second);
        GeneratorRunResult run2 = driver.GetRunResult().Results.Single();

        foreach (string step in TrackedSteps)
        {
            Assert.True(run2.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            foreach (IncrementalGeneratorRunStep runStep in run2.TrackedSteps[step])
                foreach (var (_, reason) in runStep.Outputs)
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"step {step} re-ran with {reason} after an unrelated edit");
        }

        foreach (string step in TrackedSteps)
            foreach (IncrementalGeneratorRunStep runStep in run1.TrackedSteps[step])
                foreach (var (value, _) in runStep.Outputs)
                    AssertHoldsNoCompilerObjects(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
    }

    [Fact]
    public void EditingTheModelRegeneratesIt()
    {
        CSharpCompilation first = GeneratorHarness.Compilation(Models.IrisClassifier);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(first);
        SyntaxTree tree = first.SyntaxTrees.Single();
        CSharpCompilation second = first.ReplaceSyntaxTree(tree,
            CSharpSyntaxTree.ParseText(Models.IrisClassifier.Replace("Units = 8", "Units = 9"), GeneratorHarness.ParseOptions, path: tree.FilePath));
        driver = driver.RunGenerators(second);
        var reasons = driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.Sources].SelectMany(s => s.Outputs).Select(o => o.Reason);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
    }

    /// <summary>Walks a pipeline value's object graph and fails on any symbol, syntax node or compilation.</summary>
    private static void AssertHoldsNoCompilerObjects(object? value, string step, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value)) return;
        Assert.False(value is ISymbol, $"step {step} holds an ISymbol ({value.GetType()})");
        Assert.False(value is SyntaxNode, $"step {step} holds a SyntaxNode ({value.GetType()})");
        Assert.False(value is Compilation, $"step {step} holds a Compilation");
        Assert.False(value is Location, $"step {step} holds a Location");
        if (value is IEnumerable sequence)
        {
            foreach (object? item in sequence) AssertHoldsNoCompilerObjects(item, step, seen);
        }
        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            AssertHoldsNoCompilerObjects(field.GetValue(value), step, seen);
    }
}
