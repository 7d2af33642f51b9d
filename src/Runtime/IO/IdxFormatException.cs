using System;
using System.IO;

namespace Unroll
{
    /// <summary>
    /// A file or stream is not a valid IDX file. The message names the file and what was expected versus
    /// what was found. Derives from <see cref="IOException"/>, as <see cref="SafeTensorsFormatException"/> does.
    /// </summary>
    public sealed class IdxFormatException : IOException
    {
        /// <summary>Creates the exception for <paramref name="fileName"/>.</summary>
        public IdxFormatException(string fileName, string detail, Exception? innerException = null)
            : base($"Invalid IDX file '{fileName}': {detail}", innerException)
        {
            FileName = fileName;
        }

        /// <summary>The file path (or source name for streams) that failed validation.</summary>
        public string FileName { get; }
    }
}
