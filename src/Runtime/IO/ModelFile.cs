using System;
using System.Collections.Generic;
using System.IO;

namespace Unroll
{
    /// <summary>
    /// Saves and loads a model's flat parameter span as a safetensors file with one tensor per
    /// <see cref="ParameterTensor"/>, named by its <see cref="ParameterTensor.FullName"/>
    /// (<c>hidden.weight</c>), so the file is a PyTorch <c>state_dict</c>. Generated models call this from
    /// their <c>Save</c>/<c>Load</c> methods.
    /// </summary>
    public static class ModelFile
    {
        /// <summary>
        /// Writes each tensor's slice of <paramref name="parameters"/> to <paramref name="path"/> as F32, with
        /// metadata <c>format=pt</c>, <c>producer=Unroll</c> and <c>model=</c><paramref name="modelName"/>;
        /// the equivalent of <c>safetensors.torch.save_file(model.state_dict(), path, {"format": "pt"})</c>.
        /// The write is atomic (see <see cref="SafeTensors.Write"/>).
        /// </summary>
        /// <exception cref="ArgumentException">A tensor lies outside <paramref name="parameters"/> or two tensors share a name.</exception>
        public static void Save(string path, ReadOnlySpan<float> parameters, IReadOnlyList<ParameterTensor> tensors, string modelName)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            ArgumentNullException.ThrowIfNull(modelName);
            CheckLayout(parameters.Length, tensors);
            // One copy so the writer can hold the slices as ReadOnlyMemory; Save is not a hot path.
            float[] copy = parameters.ToArray();
            var items = new List<(string Name, int[] Shape, ReadOnlyMemory<float> Data)>(tensors.Count);
            foreach (ParameterTensor t in tensors)
                items.Add((t.FullName, ToArray(t.Shape), copy.AsMemory(t.Offset, t.Length)));
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["format"] = "pt",
                ["producer"] = "Unroll",
                ["model"] = modelName,
            };
            SafeTensors.Write(path, items, metadata);
        }

        /// <summary>
        /// Copies the tensors of the safetensors file at <paramref name="path"/> into their slices of
        /// <paramref name="parameters"/>, as <c>model.load_state_dict(load_file(path), strict=not allowExtraTensors)</c>.
        /// Everything is validated first: the file format, every expected tensor present with exactly the expected
        /// shape and a floating-point dtype (F32, F64, F16 and BF16 are converted to float), and, unless
        /// <paramref name="allowExtraTensors"/>, no other tensors. Only then are values copied, so on any error
        /// <paramref name="parameters"/> is unchanged.
        /// </summary>
        /// <exception cref="SafeTensorsFormatException">The file is not a valid safetensors file.</exception>
        /// <exception cref="ModelFileMismatchException">The file's tensors do not match <paramref name="tensors"/>; the message lists every
        /// difference, each naming the tensor and the expected and found shape or dtype.</exception>
        /// <exception cref="ArgumentException">A tensor lies outside <paramref name="parameters"/> or two tensors share a name.</exception>
        public static void Load(string path, Span<float> parameters, IReadOnlyList<ParameterTensor> tensors, bool allowExtraTensors = false)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            CheckLayout(parameters.Length, tensors);
            IReadOnlyDictionary<string, SafeTensor> file = SafeTensors.Read(path);

            var problems = new List<string>();
            var values = new float[tensors.Count][];
            var expectedNames = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < tensors.Count; i++)
            {
                ParameterTensor expected = tensors[i];
                expectedNames.Add(expected.FullName);
                string expectedShape = SafeTensorsHeader.FormatShape(expected.Shape);
                if (!file.TryGetValue(expected.FullName, out SafeTensor? found))
                    problems.Add($"tensor '{expected.FullName}' is missing (expected shape {expectedShape})");
                else if (!SameShape(expected.Shape, found.Shape))
                    problems.Add($"tensor '{expected.FullName}' has shape {SafeTensorsHeader.FormatShape(found.Shape)}, expected {expectedShape}");
                else if (!SafeTensorDTypes.IsFloat(found.DType))
                    problems.Add($"tensor '{expected.FullName}' has dtype {found.DType}, expected F32, F64, F16 or BF16");
                else
                    values[i] = found.ToFloat32();
            }
            if (!allowExtraTensors)
            {
                foreach (SafeTensor t in file.Values)
                    if (!expectedNames.Contains(t.Name))
                        problems.Add($"unexpected tensor '{t.Name}' ({t.DType}, shape {SafeTensorsHeader.FormatShape(t.Shape)}) that the model does not have");
            }
            if (problems.Count > 0)
                throw new ModelFileMismatchException(path, problems);

            for (int i = 0; i < tensors.Count; i++)
                values[i].CopyTo(parameters.Slice(tensors[i].Offset, tensors[i].Length));
        }

        private static void CheckLayout(int parameterCount, IReadOnlyList<ParameterTensor> tensors)
        {
            ArgumentNullException.ThrowIfNull(tensors);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (ParameterTensor t in tensors)
            {
                ArgumentNullException.ThrowIfNull(t, nameof(tensors));
                if (!names.Add(t.FullName))
                    throw new ArgumentException($"Two parameter tensors are named '{t.FullName}'; names must be unique.", nameof(tensors));
                if (t.Offset < 0 || (long)t.Offset + t.Length > parameterCount)
                    throw new ArgumentException(
                        $"Tensor '{t.FullName}' covers parameters [{t.Offset}, {(long)t.Offset + t.Length}) but the span has {parameterCount} values.", nameof(tensors));
            }
        }

        private static bool SameShape(IReadOnlyList<int> a, IReadOnlyList<int> b)
        {
            if (a.Count != b.Count) return false;
            for (int i = 0; i < a.Count; i++)
                if (a[i] != b[i]) return false;
            return true;
        }

        private static int[] ToArray(IReadOnlyList<int> shape)
        {
            var result = new int[shape.Count];
            for (int i = 0; i < result.Length; i++) result[i] = shape[i];
            return result;
        }
    }
}
