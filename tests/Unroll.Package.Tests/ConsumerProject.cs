using System.Security;

namespace Unroll.Package.Tests;

/// <summary>
/// A console project as a user would write it, referencing only the <c>Unroll</c> package: a 2-4-1 XOR network
/// (2*4+4 + 4*1+1 = 17 parameters) trained with MSE and Adam by TrainStep and again by Fit, saved and loaded through a
/// stream, and a matrix product big enough for the packed GEMM kernels checked against a plain loop; it prints the
/// runtime it runs on, its losses, predictions and the product's error.
/// </summary>
internal static class ConsumerProject
{
    /// <summary>Writes NuGet.config and empty Directory.Build.* into <paramref name="root"/> (so nothing above it leaks in)
    /// and the project into <paramref name="projectDirectory"/>, for <paramref name="targetFramework"/> with
    /// <paramref name="properties"/> (MSBuild property elements) added to its PropertyGroup.</summary>
    public static void Write(string root, string projectDirectory, string feed, string version, string packagesDirectory,
        string targetFramework = "net10.0", string properties = "")
    {
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />\n");
        // The local feed for Unroll, nuget.org for System.Numerics.Tensors; the mapping keeps any other "Unroll" out.
        File.WriteAllText(Path.Combine(root, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="unroll-local" value="{SecurityElement.Escape(feed)}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="unroll-local"><package pattern="Unroll" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(projectDirectory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{targetFramework}</TargetFramework>{properties}
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <InvariantGlobalization>true</InvariantGlobalization>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NuGetAudit>false</NuGetAudit>
                <RestorePackagesPath>{SecurityElement.Escape(packagesDirectory)}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Unroll" Version="[{version}]" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(projectDirectory, "Program.cs"), """
            using System.Runtime.InteropServices;
            using System.Runtime.Intrinsics;
            using System.Runtime.Intrinsics.X86;
            using Unroll;
            using Unroll.Kernels;

            Console.WriteLine($"runtime: {RuntimeInformation.FrameworkDescription}");
            Console.WriteLine($"hardware: Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, Fma {Fma.IsSupported}");

            float[] inputs = [0, 0, 0, 1, 1, 0, 1, 1];
            float[] targets = [0, 1, 1, 0];
            var model = new Xor(seed: 7);
            float firstLoss = model.TrainStep(inputs, targets);
            float loss = firstLoss;
            for (int step = 1; step < 400; step++)
                loss = model.TrainStep(inputs, targets);
            float[] predictions = new float[4];
            model.Predict(inputs, predictions);

            Console.WriteLine($"ParameterCount: {Xor.ParameterCount}");
            Console.WriteLine($"first loss: {firstLoss:F6}");
            Console.WriteLine($"final loss: {loss:F6}");
            for (int i = 0; i < 4; i++)
                Console.WriteLine($"xor({inputs[2 * i]}, {inputs[2 * i + 1]}) = {predictions[i]:F4} (target {targets[i]})");

            // The runtime's own loop over a Dataset.
            var fitted = new Xor(seed: 11);
            History history = fitted.Fit(Dataset.WithTargets(inputs, 2, targets, 1), epochs: 300, batchSize: 4);
            Console.WriteLine($"fit first epoch loss: {history.Loss[0]:F6}");
            Console.WriteLine($"fit last epoch loss: {history.Loss[^1]:F6}");

            // Weights through a stream into a differently seeded model: the same predictions.
            using var stream = new MemoryStream();
            model.Save(stream);
            stream.Position = 0;
            var loaded = new Xor(seed: 1);
            loaded.Load(stream);
            Console.WriteLine($"loaded predicts the same: {loaded.Predict(inputs).SequenceEqual(predictions)}");

            // 67*83*97 multiply-adds are above the small-product threshold: the packed path and the widest vector
            // micro-kernel the machine has.
            const int m = 67, n = 83, k = 97;
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < a.Length; i++) a[i] = (i % 13 - 6) / 8f;
            for (int i = 0; i < b.Length; i++) b[i] = (i % 7 - 3) / 4f;
            Gemm.NN(c, a, b, m, n, k, accumulate: false);
            double maxError = 0;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++) sum += (double)a[i * k + p] * b[p * n + j];
                    maxError = Math.Max(maxError, Math.Abs(sum - c[i * n + j]));
                }
            Console.WriteLine($"gemm max error: {maxError.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");

            [Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.05f, MaxBatch = 4)]
            public partial class Xor
            {
                [Input(Features = 2)] public partial Layer Inputs { get; }
                [Dense(Units = 4, Activation = Activation.Tanh)] public partial Layer Hidden { get; }
                [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Output { get; }
            }
            """);
    }
}
