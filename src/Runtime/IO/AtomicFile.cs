using System;
using System.IO;

namespace Unroll
{
    /// <summary>Writes a file so that a reader sees the old file or the whole new one, never half of it: the bytes go to a temporary
    /// file beside the target, are flushed to disk, then the temporary file is renamed over the target.</summary>
    internal static class AtomicFile
    {
        /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on failure the temporary file is removed and the target is untouched.</summary>
        public static void Write(string path, Action<Stream> write)
        {
            string full = Path.GetFullPath(path);
            string fileName = Path.GetFileName(full);
            if (fileName.Length == 0)
                throw new ArgumentException($"'{path}' names a directory, not a file.", nameof(path));
            string directory = Path.GetDirectoryName(full)!;
            string temp = Path.Combine(directory, "." + fileName + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = new FileStream(temp, new FileStreamOptions
                       {
                           Mode = FileMode.CreateNew,
                           Access = FileAccess.Write,
                           Share = FileShare.None,
                           BufferSize = 1 << 16,
                       }))
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temp, full, overwrite: true);
            }
            catch
            {
                try { File.Delete(temp); }
                catch (IOException) { } // the original error matters more than a leftover temporary file
                catch (UnauthorizedAccessException) { }
                throw;
            }
        }
    }
}
