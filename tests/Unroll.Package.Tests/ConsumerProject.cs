using System.Security;

namespace Unroll.Package.Tests;

/// <summary>
/// A console project as a user would write it, referencing only the <c>Unroll</c> package: a 2-4-1 XOR network
/// (2*4+4 + 4*1+1 = 17 parameters) trained with MSE and Adam, printing its loss and predictions.
/// </summary>
internal static class ConsumerProject
{
    /// <summary>Writes NuGet.config and empty Directory.Build.* into <paramref name="root"/> (so nothing above it leaks in)
    /// and the project into <paramref name="projectDirectory"/>.</summary>
    public static void Write(string root, string projectDirectory, string feed, string version, string packagesDirectory)
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
                <TargetFramework>net10.0</TargetFramework>
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
            using Unroll;

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
