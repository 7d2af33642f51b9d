using System.Collections.Generic;
using System.IO;

namespace Unroll
{
    /// <summary>
    /// A valid safetensors file does not fit a model: a tensor is missing, has another shape or a non-float dtype,
    /// or the file has tensors the model lacks. PyTorch's <c>load_state_dict(strict=True)</c> raises a
    /// <c>RuntimeError</c> listing missing keys, unexpected keys and size mismatches for the same cases.
    /// </summary>
    public sealed class ModelFileMismatchException : IOException
    {
        /// <summary>Creates the exception; the message lists every problem.</summary>
        public ModelFileMismatchException(string fileName, IReadOnlyList<string> problems)
            : base($"'{fileName}' does not match the model ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}): {string.Join("; ", problems)}.")
        {
            FileName = fileName;
            Problems = problems;
        }

        /// <summary>The file that was being loaded.</summary>
        public string FileName { get; }

        /// <summary>Each difference between the file and the model, one sentence each.</summary>
        public IReadOnlyList<string> Problems { get; }
    }
}
