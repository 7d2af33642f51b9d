using System.Globalization;
using Unroll.Generator.Model;
using Unroll.Generator.Shapes;

namespace Unroll.Generator.Emit
{
    /// <summary>Names and literals used in generated code.</summary>
    internal static class Names
    {
        public const string Span = "global::System.Span<float>";
        public const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
        public const string Kernels = "global::Unroll.Kernels.";

        private static readonly string[] Reserved = { "batch", "inputs", "outputs", "targets", "labels", "loss", "training", "lr", "step", "penalty", "tokens", "arena", "id", "i" };

        /// <summary>The local holding a layer's output: camelCase of the member name, suffixed when it would clash with a reserved local.</summary>
        public static string Local(NodePlan node)
        {
            string name = char.ToLowerInvariant(node.Name[0]) + node.Name.Substring(1);
            foreach (string r in Reserved)
                if (r == name) return name + "Layer";
            // A member named In or Out is fine, but the local 'in' would be a keyword.
            if (Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None)
                return name + "Layer";
            return name;
        }

        /// <summary>The member as written in code: a layer declared as <c>@class</c> is named "class" by Roslyn.</summary>
        public static string Member(string name) =>
            Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

        public static string Pascal(NodePlan node) => char.ToUpperInvariant(node.Name[0]) + node.Name.Substring(1);

        public static string Float(float value)
        {
            if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
            if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
            if (float.IsNaN(value)) return "float.NaN";
            return value.ToString("R", CultureInfo.InvariantCulture) + "f";
        }

        public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Enum(Initializer value) => "global::Unroll.Initializer." + value;
        public static string Enum(Loss value) => "global::Unroll.Loss." + value;

        public static string Shape(int[] shape) => "(" + string.Join(", ", shape) + ")";

        /// <summary>A C# string literal.</summary>
        public static string Literal(string text)
        {
            var sb = new System.Text.StringBuilder("\"");
            foreach (char c in text)
            {
                switch (c)
                {
                    case '\\': sb.Append("\\\\"); break;
                    case '"': sb.Append("\\\""); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default: sb.Append(c); break;
                }
            }
            return sb.Append('"').ToString();
        }

        public static string ActivationName(Activation activation) => activation switch
        {
            Activation.Linear => "linear",
            Activation.Sigmoid => "sigmoid",
            Activation.Tanh => "tanh",
            Activation.Relu => "relu",
            Activation.LeakyRelu => "leaky relu",
            Activation.PRelu => "prelu",
            Activation.Elu => "elu",
            Activation.Selu => "selu",
            Activation.Gelu => "gelu",
            _ => "softmax",
        };
    }
}
