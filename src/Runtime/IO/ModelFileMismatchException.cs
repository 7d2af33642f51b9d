using System;
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
        /// <summary>The most problems a message lists; the rest are counted.</summary>
        public const int MaxListed = 8;

        /// <summary>Creates the exception; the message lists the first <see cref="MaxListed"/> problems and counts the rest.</summary>
        public ModelFileMismatchException(string fileName, IReadOnlyList<string> problems)
            : this(fileName, problems, problems.Count)
        {
        }

        /// <summary>Creates the exception for <paramref name="total"/> problems, of which <paramref name="problems"/> are the first few.</summary>
        public ModelFileMismatchException(string fileName, IReadOnlyList<string> problems, int total)
            : base(Compose(fileName, problems, total))
        {
            FileName = fileName;
            Problems = problems.Count <= MaxListed ? problems : new List<string>(problems).GetRange(0, MaxListed);
            ProblemCount = total;
        }

        private static string Compose(string fileName, IReadOnlyList<string> problems, int total)
        {
            int listed = Math.Min(Math.Min(problems.Count, MaxListed), total);
            var shown = new List<string>(listed);
            for (int i = 0; i < listed; i++) shown.Add(problems[i]);
            string more = total > listed ? $"; and {total - listed} more" : "";
            return $"'{fileName}' does not match the model ({total} problem{(total == 1 ? "" : "s")}): {string.Join("; ", shown)}{more}.";
        }

        /// <summary>How many problems the file has in all.</summary>
        public int ProblemCount { get; }

        /// <summary>The file that was being loaded.</summary>
        public string FileName { get; }

        /// <summary>The first differences between the file and the model (at most <see cref="MaxListed"/>), one sentence each;
        /// <see cref="ProblemCount"/> counts them all.</summary>
        public IReadOnlyList<string> Problems { get; }
    }
}
