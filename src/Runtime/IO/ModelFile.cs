using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics.Tensors;
using Microsoft.Win32.SafeHandles;

namespace Unroll
{
    /// <summary>
    /// Saves and loads a model's flat parameter span as a safetensors file with one tensor per
    /// <see cref="ParameterTensor"/>, named by its <see cref="ParameterTensor.FullName"/>
    /// (<c>hidden.weight</c>), so the file is a PyTorch <c>state_dict</c>. Recurrent layers keep Unroll's names on
    /// <see cref="Save(string, ReadOnlySpan{float}, IReadOnlyList{ParameterTensor}, string)"/>; <see cref="Load(string, Span{float}, IReadOnlyList{ParameterTensor}, bool, bool)"/> also accepts PyTorch's (<see cref="PyTorchNames"/>). Generated models call this
    /// from their <c>Save</c>/<c>Load</c> methods.
    /// </summary>
    public static class ModelFile
    {
        /// <summary>
        /// Writes each tensor's slice of <paramref name="parameters"/> to <paramref name="path"/> as F32, with
        /// metadata <c>format=pt</c>, <c>producer=Unroll</c> and <c>model=</c><paramref name="modelName"/>;
        /// the equivalent of <c>safetensors.torch.save_file(model.state_dict(), path, {"format": "pt"})</c>.
        /// The write is atomic (see <see cref="SafeTensors.Write"/>).
        /// </summary>
        /// <remarks>
        /// Tensors keep Unroll's names, which are PyTorch's for Dense (<c>x.weight</c>, <c>x.bias</c>) and Embedding
        /// (<c>x.weight</c>) but not for recurrent layers: <c>x.weight_ih</c>, <c>x.weight_hh</c>, one <c>x.bias</c> for a SimpleRnn
        /// or Lstm, <c>x.bias_ih</c> and <c>x.bias_hh</c> for a Gru, and <c>_reverse</c> after each name for the reverse direction
        /// of a bidirectional layer, where PyTorch writes <c>x.weight_ih_l0</c>, <c>x.bias_ih_l0</c> + <c>x.bias_hh_l0</c>,
        /// <c>x.weight_ih_l0_reverse</c>. <see cref="Load(string, Span{float}, IReadOnlyList{ParameterTensor}, bool, bool)"/> accepts either; <see cref="PyTorchNames"/> gives the table.
        /// </remarks>
        /// <exception cref="ArgumentException">A tensor lies outside <paramref name="parameters"/> or two tensors share a name.</exception>
        public static void Save(string path, ReadOnlySpan<float> parameters, IReadOnlyList<ParameterTensor> tensors, string modelName)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            Writer(parameters, tensors, modelName).WriteAtomically(path);
        }

        /// <summary>Writes the same bytes as <see cref="Save(string, ReadOnlySpan{float}, IReadOnlyList{ParameterTensor}, string)"/> to
        /// <paramref name="stream"/> (a blob, a response, an archive entry), from its current position. The stream is not closed.</summary>
        public static void Save(Stream stream, ReadOnlySpan<float> parameters, IReadOnlyList<ParameterTensor> tensors, string modelName)
        {
            ArgumentNullException.ThrowIfNull(stream);
            Writer(parameters, tensors, modelName).WriteTo(stream);
        }

        private static SafeTensorsWriter Writer(ReadOnlySpan<float> parameters, IReadOnlyList<ParameterTensor> tensors, string modelName)
        {
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
            return SafeTensorsWriter.Prepare(items, metadata);
        }

        /// <summary>
        /// Copies the tensors of the safetensors file at <paramref name="path"/> into their slices of
        /// <paramref name="parameters"/>, as <c>model.load_state_dict(load_file(path), strict=not allowExtraTensors)</c>.
        /// Everything is validated first: the file format, every expected tensor present with exactly the expected
        /// shape and a floating-point dtype (F32, F64, F16 and BF16 are converted to float), and, unless
        /// <paramref name="allowExtraTensors"/>, no other tensors. All of that is decided from the header, before any tensor's
        /// data is read, so a file with a huge unexpected tensor fails at once. Then the values are read and, unless
        /// <paramref name="allowNonFinite"/>, checked to be finite (a NaN weight would only show later, as NaN predictions).
        /// Only then are values copied, so on any error <paramref name="parameters"/> is unchanged. A message lists the first
        /// <see cref="ModelFileMismatchException.MaxListed"/> problems and counts the rest.
        /// </summary>
        /// <remarks>
        /// A PyTorch <c>state_dict</c> of the same layers loads as it is: a recurrent tensor missing from the file is taken
        /// from PyTorch's name for it (see <see cref="PyTorchNames"/>), <c>x.weight_ih</c> from <c>x.weight_ih_l0</c>, the
        /// reverse direction's <c>x.weight_ih_reverse</c> from <c>x.weight_ih_l0_reverse</c>, a GRU's <c>x.bias_ih</c> and
        /// <c>x.bias_hh</c> from <c>x.bias_ih_l0</c> and <c>x.bias_hh_l0</c>, and the one bias <c>x.bias</c> of a SimpleRnn or
        /// Lstm from the sum <c>x.bias_ih_l0 + x.bias_hh_l0</c> (PyTorch adds both to the same gates). Gate order is
        /// PyTorch's, so no matrix is reordered. These tensors are validated like the others and count as used; it is an error
        /// when only one of the two biases is present, when a file holds a tensor under both names, and when a layer
        /// is stacked in PyTorch (<c>x.weight_ih_l1</c>, <c>num_layers</c> &gt; 1), even with <paramref name="allowExtraTensors"/>:
        /// Unroll declares one recurrent layer per member.
        /// </remarks>
        /// <exception cref="SafeTensorsFormatException">The file is not a valid safetensors file.</exception>
        /// <exception cref="ModelFileMismatchException">The file's tensors do not match <paramref name="tensors"/>; the message lists every
        /// difference, each naming the tensor and the expected and found shape or dtype.</exception>
        /// <exception cref="ArgumentException">A tensor lies outside <paramref name="parameters"/> or two tensors share a name.</exception>
        public static void Load(string path, Span<float> parameters, IReadOnlyList<ParameterTensor> tensors, bool allowExtraTensors = false,
            bool allowNonFinite = false)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            Load(SafeTensorsReader.Open(file, path), parameters, tensors, allowExtraTensors, allowNonFinite);
        }

        /// <summary>
        /// Loads as <see cref="Load(string, Span{float}, IReadOnlyList{ParameterTensor}, bool, bool)"/> does, from <paramref name="stream"/>
        /// (an embedded resource, a blob) starting at its current position; <paramref name="sourceName"/> names it in messages. A stream that
        /// cannot seek is read into memory first. The stream is not closed.
        /// </summary>
        public static void Load(Stream stream, Span<float> parameters, IReadOnlyList<ParameterTensor> tensors, bool allowExtraTensors = false,
            bool allowNonFinite = false, string sourceName = "stream")
        {
            ArgumentNullException.ThrowIfNull(stream);
            ArgumentNullException.ThrowIfNull(sourceName);
            Load(SafeTensorsReader.Open(stream, sourceName), parameters, tensors, allowExtraTensors, allowNonFinite);
        }

        private static void Load(SafeTensorsReader reader, Span<float> parameters, IReadOnlyList<ParameterTensor> tensors, bool allowExtraTensors,
            bool allowNonFinite)
        {
            HashSet<string> layoutNames = CheckLayout(parameters.Length, tensors);
            var file = new Dictionary<string, SafeTensorEntry>(reader.Header.Tensors.Count, StringComparer.Ordinal);
            foreach (SafeTensorEntry e in reader.Header.Tensors) file[e.Name] = e;

            // The header alone decides whether the file fits: no tensor is read before every name, dtype and shape checks out.
            var problems = new ProblemList();
            var sourcesOf = new SafeTensorEntry[]?[tensors.Count];
            var used = new HashSet<string>(layoutNames, StringComparer.Ordinal);
            for (int i = 0; i < tensors.Count; i++)
            {
                ParameterTensor expected = tensors[i];
                string[] sources = PyTorchStateDict.SourcesOf(expected, layoutNames);
                var present = new List<string>(sources.Length);
                foreach (string source in sources)
                    if (file.ContainsKey(source)) present.Add(source);
                used.UnionWith(present);
                sourcesOf[i] = present.Count == 0
                    ? PlanOwn(file, expected, sources, problems)
                    : PlanPyTorch(file, expected, sources, present, problems);
            }
            AddStackedLayers(file, tensors, layoutNames, used, problems);
            if (!allowExtraTensors)
            {
                foreach (SafeTensorEntry t in reader.Header.Tensors)
                    if (!used.Contains(t.Name))
                        problems.Add($"unexpected tensor '{Short(t.Name)}' ({t.DType}, shape {SafeTensorsHeader.FormatShape(t.Shape)}) that the model does not have");
            }
            problems.ThrowIfAny(reader.Source);

            var values = new float[tensors.Count][];
            for (int i = 0; i < tensors.Count; i++)
            {
                float[]? sum = null;
                foreach (SafeTensorEntry entry in sourcesOf[i]!)
                {
                    float[] v = reader.Read(entry).ToFloat32();
                    if (sum is null) sum = v;
                    else for (int j = 0; j < sum.Length; j++) sum[j] += v[j];
                }
                values[i] = sum!;
                if (!allowNonFinite && !TensorPrimitives.IsFiniteAll(values[i]))
                {
                    int first = 0, count = 0;
                    for (int j = values[i].Length - 1; j >= 0; j--)
                        if (!float.IsFinite(values[i][j])) { first = j; count++; }
                    problems.Add($"tensor '{tensors[i].FullName}' holds {values[i][first].ToString(CultureInfo.InvariantCulture)} at index {first}" +
                                 (count > 1 ? $" and {count - 1} more non-finite values" : "") + "; pass allowNonFinite: true to load non-finite weights anyway");
                }
            }
            problems.ThrowIfAny(reader.Source);

            for (int i = 0; i < tensors.Count; i++)
                values[i].CopyTo(parameters.Slice(tensors[i].Offset, tensors[i].Length));
        }

        /// <summary>
        /// The PyTorch names <see cref="Load(string, Span{float}, IReadOnlyList{ParameterTensor}, bool, bool)"/> accepts for <paramref name="tensors"/> (a generated model's <c>Tensors</c>), keyed by
        /// Unroll name: one name (<c>encoder.weight_ih</c> → <c>encoder.weight_ih_l0</c>), or two for the one bias of a SimpleRnn or
        /// Lstm, which is their sum (<c>encoder.bias</c> → <c>encoder.bias_ih_l0</c>, <c>encoder.bias_hh_l0</c>). Tensors that
        /// PyTorch names as Unroll does (Dense, Embedding) are left out. To load a file written by <see cref="Save(string, ReadOnlySpan{float}, IReadOnlyList{ParameterTensor}, string)"/> into PyTorch,
        /// rename by this table and give PyTorch the summed bias as <c>bias_ih_l0</c> and zeros as <c>bias_hh_l0</c>.
        /// </summary>
        public static IReadOnlyDictionary<string, IReadOnlyList<string>> PyTorchNames(IReadOnlyList<ParameterTensor> tensors)
        {
            ArgumentNullException.ThrowIfNull(tensors);
            var layoutNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (ParameterTensor t in tensors) layoutNames.Add(t.FullName);
            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (ParameterTensor t in tensors)
            {
                string[] sources = PyTorchStateDict.SourcesOf(t, layoutNames);
                if (sources.Length > 0) result[t.FullName] = sources;
            }
            return result;
        }

        /// <summary>The tensor under its own name, or null after adding a problem (missing, other shape, not a float).</summary>
        private static SafeTensorEntry[]? PlanOwn(Dictionary<string, SafeTensorEntry> file, ParameterTensor expected, string[] sources, ProblemList problems)
        {
            string expectedShape = SafeTensorsHeader.FormatShape(expected.Shape);
            if (!file.TryGetValue(expected.FullName, out SafeTensorEntry? found))
            {
                string alternative = sources.Length == 0 ? "" : sources.Length == 1
                    ? $", or PyTorch's '{sources[0]}'"
                    : $", or the sum of PyTorch's {Quoted(sources)}";
                problems.Add($"tensor '{expected.FullName}' is missing (expected shape {expectedShape}{alternative})");
                return null;
            }
            return Check($"tensor '{expected.FullName}'", found, expected.Shape, problems) ? new[] { found } : null;
        }

        /// <summary>The tensor from PyTorch's name, or PyTorch's two biases to sum; null after adding a problem.</summary>
        private static SafeTensorEntry[]? PlanPyTorch(Dictionary<string, SafeTensorEntry> file, ParameterTensor expected, string[] sources,
            List<string> present, ProblemList problems)
        {
            if (file.ContainsKey(expected.FullName))
            {
                problems.Add($"tensor '{expected.FullName}' is in the file twice, under its own name and as PyTorch's {Quoted(present)}; keep one");
                return null;
            }
            if (present.Count < sources.Length)
            {
                string absent = sources[present.Contains(sources[0]) ? 1 : 0];
                problems.Add($"tensor '{expected.FullName}' is the sum of PyTorch's {Quoted(sources)}, but the file has '{present[0]}' " +
                             $"without '{absent}'");
                return null;
            }
            var entries = new SafeTensorEntry[sources.Length];
            bool ok = true;
            for (int k = 0; k < sources.Length; k++)
            {
                entries[k] = file[sources[k]];
                ok &= Check($"tensor '{expected.FullName}' (PyTorch's '{sources[k]}')", entries[k], expected.Shape, problems);
            }
            return ok ? entries : null;
        }

        private static bool Check(string what, SafeTensorEntry found, IReadOnlyList<int> expectedShape, ProblemList problems)
        {
            if (!SameShape(expectedShape, found.Shape))
                problems.Add($"{what} has shape {SafeTensorsHeader.FormatShape(found.Shape)}, expected {SafeTensorsHeader.FormatShape(expectedShape)}");
            else if (!SafeTensorDTypes.IsFloat(found.DType))
                problems.Add($"{what} has dtype {found.DType}, expected F32, F64, F16 or BF16");
            else
                return true;
            return false;
        }

        /// <summary>A name as a message shows it: a long one (a malformed or hostile file) is cut, with its length.</summary>
        private static string Short(string name) => name.Length <= 120 ? name : name.Substring(0, 100) + $"… ({name.Length} characters)";

        /// <summary>The problems of one load: the first <see cref="ModelFileMismatchException.MaxListed"/> kept as text, the rest counted,
        /// so a file with a million unexpected tensors costs a counter, not a million messages.</summary>
        private sealed class ProblemList
        {
            private readonly List<string> _listed = new();

            public int Count { get; private set; }

            public void Add(string problem)
            {
                if (_listed.Count < ModelFileMismatchException.MaxListed) _listed.Add(problem);
                Count++;
            }

            public void ThrowIfAny(string source)
            {
                if (Count > 0) throw new ModelFileMismatchException(source, _listed, Count);
            }
        }

        /// <summary>One problem per recurrent layer whose PyTorch module has more than one layer (<c>x.weight_ih_l1</c>);
        /// those tensors count as used, so they are not also reported as unexpected.</summary>
        private static void AddStackedLayers(Dictionary<string, SafeTensorEntry> file, IReadOnlyList<ParameterTensor> tensors,
            IReadOnlySet<string> layoutNames, HashSet<string> used, ProblemList problems)
        {
            var layers = new List<string>();
            foreach (ParameterTensor t in tensors)
                if (t.Name == "weight_ih" && PyTorchStateDict.LayerOf(t) is { } layer && !layers.Contains(layer))
                    layers.Add(layer);
            foreach (string layer in layers)
            {
                int top = 0;
                string? example = null;
                foreach (string name in file.Keys)
                {
                    int number = PyTorchStateDict.LayerNumber(name, layer);
                    if (number < 1 || layoutNames.Contains(name)) continue;
                    used.Add(name);
                    if (number > top || (number == top && string.CompareOrdinal(name, example) < 0))
                        (top, example) = (number, name);
                }
                if (example is not null)
                    problems.Add($"'{layer}' is stacked in PyTorch (the file has '{example}': num_layers={top + 1}) but Unroll declares one " +
                                 $"recurrent layer per member; declare {top + 1} members and split the file, renaming each '_l<k>' layer to its member");
            }
        }

        private static string Quoted(IReadOnlyList<string> names) =>
            names.Count == 1 ? $"'{names[0]}'" : $"'{string.Join("' + '", names)}'";

        private static HashSet<string> CheckLayout(int parameterCount, IReadOnlyList<ParameterTensor> tensors)
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
            return names;
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
