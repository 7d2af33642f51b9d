using System;
using System.IO;

namespace Unroll
{
    /// <summary>
    /// A file (or buffer) is not a valid safetensors file. The message names the file, the tensor when
    /// one is involved, and what was expected versus what was found. PyTorch's
    /// <c>safetensors.torch.load_file</c> raises <c>SafetensorError</c> for the same cases.
    /// It derives from <see cref="IOException"/> (<see cref="InvalidDataException"/> is sealed), so one
    /// <c>catch (IOException)</c> around a load also covers missing and unreadable files.
    /// </summary>
    public sealed class SafeTensorsFormatException : IOException
    {
        /// <summary>Creates the exception for <paramref name="fileName"/>, optionally about one tensor.</summary>
        public SafeTensorsFormatException(string fileName, string? tensorName, string detail, Exception? innerException = null)
            : base(Compose(fileName, tensorName, detail), innerException)
        {
            FileName = fileName;
            TensorName = tensorName;
        }

        /// <summary>The file path (or source name for in-memory buffers) that failed validation.</summary>
        public string FileName { get; }

        /// <summary>The tensor the problem is about, or <see langword="null"/> for file-level problems.</summary>
        public string? TensorName { get; }

        private static string Compose(string fileName, string? tensorName, string detail) =>
            tensorName is null
                ? $"Invalid safetensors file '{fileName}': {detail}"
                : $"Invalid safetensors file '{fileName}', tensor '{tensorName}': {detail}";
    }
}
