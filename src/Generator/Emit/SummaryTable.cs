using System.Globalization;
using System.Text;
using Unroll.Generator.Model;
using Unroll.Generator.Shapes;

namespace Unroll.Generator.Emit
{
    /// <summary>The Keras-style model summary, computed at build time.</summary>
    internal static class SummaryTable
    {
        // Keras' Sequential summary: 65 columns, fields ending at 45%, 85% and 100% of the line.
        private const int LineLength = 65;
        private static readonly int[] Positions = { 29, 55, 65 };

        public static string Build(ModelPlan plan)
        {
            var sb = new StringBuilder();
            sb.Append("Model: \"").Append(plan.Spec.ClassName).Append("\"\n");
            sb.Append('_', LineLength).Append('\n');
            Row(sb, "Layer (type)", "Output Shape", "Param #");
            sb.Append('=', LineLength).Append('\n');
            for (int i = 1; i < plan.Nodes.Count; i++)
            {
                NodePlan n = plan.Nodes[i];
                // Sequence lengths vary at run time up to the declared length, so the steps print as None, as Keras prints them.
                string shape = n.Steps > 0 ? "(None, None, " + n.Width.ToString(CultureInfo.InvariantCulture) + ")" : "(None, " + n.Width.ToString(CultureInfo.InvariantCulture) + ")";
                Row(sb, n.Name + " (" + KerasType(n) + ")", shape, n.ParameterCount.ToString(CultureInfo.InvariantCulture));
            }
            sb.Append('=', LineLength).Append('\n');
            int frozen = plan.ParameterCount - plan.TrainableParameterCount;
            sb.Append("Total params: ").Append(Count(plan.ParameterCount)).Append('\n');
            sb.Append("Trainable params: ").Append(Count(plan.TrainableParameterCount)).Append('\n');
            sb.Append("Non-trainable params: ").Append(Count(frozen)).Append('\n');
            sb.Append('_', LineLength);
            return sb.ToString();
        }

        /// <summary>The Keras class a layer corresponds to, as the summary's type column shows it.</summary>
        private static string KerasType(NodePlan n) => n.Layer.Seq switch
        {
            { Bidirectional: true } => "Bidirectional",
            { TimeDistributed: true } => "TimeDistributed",
            _ => n.Kind switch
            {
                LayerKind.SimpleRnn => "SimpleRNN",
                LayerKind.Lstm => "LSTM",
                LayerKind.Gru => "GRU",
                _ => n.Kind.ToString(),
            },
        };

        private static void Row(StringBuilder sb, params string[] fields)
        {
            var line = new StringBuilder(" ");
            for (int i = 0; i < fields.Length; i++)
            {
                if (i > 0 && line[line.Length - 1] != ' ') line.Append(' ');
                line.Append(fields[i]);
                if (line.Length > Positions[i]) line.Length = Positions[i];
                line.Append(' ', Positions[i] - line.Length);
            }
            sb.Append(line.ToString().TrimEnd()).Append('\n');
        }

        /// <summary>"343805 (1.31 MB)": the count and its size as float32, as Keras prints it.</summary>
        private static string Count(int parameters)
        {
            double bytes = parameters * 4.0;
            string[] units = { "Byte", "KB", "MB", "GB" };
            int unit = 0;
            while (bytes >= 1024 && unit < units.Length - 1)
            {
                bytes /= 1024;
                unit++;
            }
            return parameters.ToString(CultureInfo.InvariantCulture) + " (" + bytes.ToString("F2", CultureInfo.InvariantCulture) + " " + units[unit] + ")";
        }
    }
}
