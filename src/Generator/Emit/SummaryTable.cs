using System.Globalization;
using System.Linq;
using System.Text;
using Unroll.Generator.Graph;
using Unroll.Generator.Planning;

namespace Unroll.Generator.Emit
{
    /// <summary>The Keras-style model summary, computed at build time: Keras' Sequential table for a chain of layers, its functional
    /// table (input rows and a "Connected to" column) for anything else.</summary>
    internal static class SummaryTable
    {
        // Keras' Sequential summary: 65 columns, fields ending at 45%, 85% and 100% of the line.
        private const int SequentialLength = 65;
        private static readonly int[] SequentialPositions = { 29, 55, 65 };

        // Keras' functional summary: 98 columns, fields ending at 33%, 55%, 67% and 100% of the line.
        private const int FunctionalLength = 98;
        private static readonly int[] FunctionalPositions = { 32, 53, 65, 98 };

        public static string Build(ModelPlan plan)
        {
            bool functional = plan.IsFunctional;
            int length = functional ? FunctionalLength : SequentialLength;
            int[] positions = functional ? FunctionalPositions : SequentialPositions;
            var sb = new StringBuilder();
            sb.Append("Model: \"").Append(plan.Spec.ClassName).Append("\"\n");
            sb.Append('_', length).Append('\n');
            if (functional) Row(sb, positions, "Layer (type)", "Output Shape", "Param #", "Connected to");
            else Row(sb, positions, "Layer (type)", "Output Shape", "Param #");
            sb.Append('=', length).Append('\n');
            foreach (Node n in plan.Nodes)
            {
                if (n.IsModelInput && !functional) continue;
                string type = n.IsShared ? "shares " + n.Owner.Name : n.Layer.KerasName(n);
                // Sequence lengths vary at run time up to the declared length, so the steps print as None, as Keras prints them.
                string shape = n.IsModelInput ? "[" + Keras(n.Shape) + "]" : Keras(n.Shape);
                string parameters = (n.IsShared ? 0 : n.ParameterCount).ToString(CultureInfo.InvariantCulture);
                if (!functional)
                {
                    Row(sb, positions, n.Name + " (" + type + ")", shape, parameters);
                    continue;
                }
                var sources = n.Inputs.Concat(n.Dependencies).Select(s => "'" + s.Name + "[0][0]'").ToList();
                if (sources.Count == 0)
                {
                    Row(sb, positions, n.Name + " (" + type + ")", shape, parameters, "[]");
                    continue;
                }
                for (int i = 0; i < sources.Count; i++)
                {
                    string connection = (i == 0 ? "[" : " ") + sources[i] + (i == sources.Count - 1 ? "]" : ",");
                    if (i == 0) Row(sb, positions, n.Name + " (" + type + ")", shape, parameters, connection);
                    else Row(sb, positions, "", "", "", connection);
                }
            }
            sb.Append('=', length).Append('\n');
            int frozen = plan.ParameterCount - plan.TrainableParameterCount;
            sb.Append("Total params: ").Append(Count(plan.ParameterCount)).Append('\n');
            sb.Append("Trainable params: ").Append(Count(plan.TrainableParameterCount)).Append('\n');
            sb.Append("Non-trainable params: ").Append(Count(frozen)).Append('\n');
            sb.Append('_', length);
            return sb.ToString();
        }

        /// <summary>"(None, 8)", "(None, None, 100)" for a sequence, "(None, None)" for token ids.</summary>
        private static string Keras(Shape shape) => shape.IsTokens ? "(None, None)" : shape.Keras();

        private static void Row(StringBuilder sb, int[] positions, params string[] fields)
        {
            var line = new StringBuilder(" ");
            for (int i = 0; i < fields.Length; i++)
            {
                if (i > 0 && line[line.Length - 1] != ' ') line.Append(' ');
                line.Append(fields[i]);
                if (line.Length > positions[i]) line.Length = positions[i];
                line.Append(' ', positions[i] - line.Length);
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
