using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Unroll.Generator.Graph;
using Unroll.Generator.Model;

namespace Unroll.Generator.Emit
{
    /// <summary>Names and literals used in generated code.</summary>
    internal static class Names
    {
        public const string Span = "global::System.Span<float>";
        public const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
        public const string Kernels = "global::Unroll.Kernels.";

        /// <summary>The remark on every training member's XML docs.</summary>
        public const string SingleThreadedRemark = "/// <remarks>Single-threaded: an instance trains on one thread at a time; a call while another thread is inside a training member "
            + "throws <see cref=\"global::System.InvalidOperationException\"/> before it changes anything. <c>Predict</c> may run on any number of threads.</remarks>";

        /// <summary>An identifier as C# source writes it: a keyword gets its @ (<c>@event</c>, <c>@fixed</c>).</summary>
        public static string Identifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        /// <summary>The member as written in code: a layer declared as <c>@class</c> is named "class" by Roslyn.</summary>
        public static string Member(string name) => Identifier(name);

        public static string Camel(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

        public static string Pascal(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);

        /// <summary>A tensor name in PascalCase: weight_ih_reverse -> WeightIhReverse.</summary>
        public static string PascalTensor(string tensor) =>
            string.Concat(tensor.Split('_').Where(p => p.Length > 0).Select(Pascal));

        /// <summary>The local of a parameter tensor or its gradient: the node's local, then the tensor name in PascalCase
        /// (hidden + weight -> hiddenWeight, encoder + weight_ih_reverse -> encoderWeightIhReverse).</summary>
        public static string ParamLocal(Node owner, string tensor, bool gradient) =>
            (gradient ? "d" + Pascal(owner.Local) : owner.Local) + PascalTensor(tensor);

        public static string Value(BufferPlan buffer) => buffer.Node.Local + buffer.Suffix;

        public static string Gradient(BufferPlan buffer) => "d" + Pascal(buffer.Node.Local) + buffer.Suffix;

        public static string Float(float value)
        {
            if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
            if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
            if (float.IsNaN(value)) return "float.NaN";
            return value.ToString("R", CultureInfo.InvariantCulture) + "f";
        }

        public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
        public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Enum(Initializer value) => "global::Unroll.Initializer." + value;
        public static string Enum(Loss value) => "global::Unroll.Loss." + value;

        public static string Shape(int[] shape) => "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";

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
                    case '{': sb.Append('{'); break;
                    default:
                        if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
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

        public static string LossName(Loss loss) => loss switch
        {
            Loss.MeanSquaredError => "MeanSquaredError",
            Loss.MeanAbsoluteError => "MeanAbsoluteError",
            Loss.Huber => "Huber",
            Loss.BinaryCrossEntropy => "BinaryCrossEntropy",
            Loss.CategoricalCrossEntropy => "CategoricalCrossEntropy",
            Loss.SparseCategoricalCrossEntropy => "SparseCategoricalCrossEntropy",
            _ => "Hinge",
        };
    }
}
