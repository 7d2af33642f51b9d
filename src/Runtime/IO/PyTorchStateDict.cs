using System;
using System.Collections.Generic;
using System.Globalization;

namespace Unroll
{
    /// <summary>
    /// PyTorch's names for the tensors of a recurrent layer, which <see cref="ModelFile.Load(string, System.Span{float}, System.Collections.Generic.IReadOnlyList{ParameterTensor}, bool, bool)"/> accepts when a tensor's own
    /// name is absent. PyTorch numbers the layers of a stacked <c>nn.LSTM</c> (<c>weight_ih_l0</c>, <c>weight_ih_l1</c>) and
    /// gives SimpleRNN and LSTM two biases, where Unroll declares one layer per member and keeps one bias (Keras' layout).
    /// </summary>
    internal static class PyTorchStateDict
    {
        private const string Reverse = "_reverse";

        private static readonly string[] NumberedTensors = { "weight_ih", "weight_hh", "bias_ih", "bias_hh" };

        /// <summary>
        /// The PyTorch tensors <paramref name="tensor"/> is loaded from when the file lacks its own name: one name
        /// (<c>x.weight_ih</c> from <c>x.weight_ih_l0</c>), two biases that are summed (<c>x.bias</c> of a SimpleRnn or Lstm from
        /// <c>x.bias_ih_l0</c> + <c>x.bias_hh_l0</c>), or none when PyTorch uses the same name (Dense, Embedding).
        /// </summary>
        /// <param name="tensor">A tensor of the model.</param>
        /// <param name="layoutNames">The full names of all of the model's tensors; a <c>bias</c> is a recurrent bias only when its
        /// layer has a <c>weight_ih</c> of the same direction.</param>
        public static string[] SourcesOf(ParameterTensor tensor, IReadOnlySet<string> layoutNames)
        {
            string? layer = LayerOf(tensor);
            if (layer is null) return Array.Empty<string>();
            string name = tensor.Name, suffix = "";
            if (name.EndsWith(Reverse, StringComparison.Ordinal))
            {
                name = name[..^Reverse.Length];
                suffix = Reverse;
            }
            if (Array.IndexOf(NumberedTensors, name) >= 0)
                return new[] { $"{layer}.{name}_l0{suffix}" };
            if (name == "bias" && layoutNames.Contains($"{layer}.weight_ih{suffix}"))
                return new[] { $"{layer}.bias_ih_l0{suffix}", $"{layer}.bias_hh_l0{suffix}" };
            return Array.Empty<string>();
        }

        /// <summary>The layer part of <paramref name="tensor"/>'s full name (<c>encoder</c> of <c>encoder.weight_ih</c>), or null
        /// when the full name is not <c>layer.name</c>.</summary>
        public static string? LayerOf(ParameterTensor tensor)
        {
            string full = tensor.FullName, name = tensor.Name;
            if (full.Length <= name.Length + 1 || !full.EndsWith(name, StringComparison.Ordinal) || full[full.Length - name.Length - 1] != '.')
                return null;
            return full[..(full.Length - name.Length - 1)];
        }

        /// <summary>
        /// The layer number of a PyTorch recurrent tensor of <paramref name="layer"/> (1 for <c>layer.weight_hh_l1_reverse</c>),
        /// or -1 when <paramref name="fileName"/> is not one.
        /// </summary>
        public static int LayerNumber(string fileName, string layer)
        {
            if (fileName.Length <= layer.Length + 1 || !fileName.StartsWith(layer, StringComparison.Ordinal) || fileName[layer.Length] != '.')
                return -1;
            string rest = fileName[(layer.Length + 1)..];
            if (rest.EndsWith(Reverse, StringComparison.Ordinal)) rest = rest[..^Reverse.Length];
            foreach (string tensor in NumberedTensors)
            {
                if (!rest.StartsWith(tensor + "_l", StringComparison.Ordinal)) continue;
                string digits = rest[(tensor.Length + 2)..];
                if (digits.Length is > 0 and < 6 && (digits == "0" || digits[0] != '0')
                    && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                    return number;
            }
            return -1;
        }
    }
}
