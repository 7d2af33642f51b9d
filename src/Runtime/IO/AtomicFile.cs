using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace Unroll
{
    /// <summary>
    /// Writes a file so that a reader sees the old file or the whole new one, never half of it: the bytes go to a temporary file
    /// beside the target (<c>.name.&lt;pid&gt;.&lt;guid&gt;.tmp</c>), are flushed to disk, the temporary file is renamed over the target,
    /// and the directory is flushed so that the rename survives a power cut. On failure the temporary file is removed; one left
    /// by a process that was killed mid-write is removed by the next write to the same path (its process is gone).
    /// </summary>
    internal static partial class AtomicFile
    {
        /// <summary>The temporary files this process is writing now, which a concurrent write to the same path must not remove.</summary>
        private static readonly ConcurrentDictionary<string, byte> InFlight = new(StringComparer.Ordinal);

        /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on failure the target is untouched.</summary>
        public static void Write(string path, Action<Stream> write)
        {
            string full = Path.GetFullPath(path);
            string fileName = Path.GetFileName(full);
            if (fileName.Length == 0)
                throw new ArgumentException($"'{path}' names a directory, not a file.", nameof(path));
            string directory = Path.GetDirectoryName(full)!;
            RemoveStale(directory, fileName);
            string temp = Path.Combine(directory, "." + fileName + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            InFlight[temp] = 0;
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
                FlushDirectory(directory);
            }
            catch
            {
                try { File.Delete(temp); }
                catch (IOException) { } // the original error matters more than a leftover temporary file
                catch (UnauthorizedAccessException) { }
                throw;
            }
            finally
            {
                InFlight.TryRemove(temp, out _);
            }
        }

        /// <summary>Removes the temporary files of earlier writes to <paramref name="fileName"/> whose process no longer runs (killed
        /// mid-write), and this process's own that no write is using.</summary>
        private static void RemoveStale(string directory, string fileName)
        {
            string prefix = "." + fileName + ".";
            string[] candidates;
            try { candidates = Directory.GetFiles(directory, prefix + "*.tmp"); }
            catch (IOException) { return; }
            catch (UnauthorizedAccessException) { return; }
            foreach (string candidate in candidates)
            {
                string name = Path.GetFileName(candidate);
                if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length <= prefix.Length + ".tmp".Length)
                    continue; // a name with wildcard characters can match other files: only ours, exactly
                string middle = name[prefix.Length..^".tmp".Length]; // "<pid>.<guid>"
                int dot = middle.IndexOf('.');
                if (dot <= 0 || !int.TryParse(middle.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                    || middle.Length - dot - 1 != 32 || InFlight.ContainsKey(candidate) || (pid != Environment.ProcessId && IsRunning(pid)))
                    continue;
                try { File.Delete(candidate); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }

        private static bool IsRunning(int pid)
        {
            try
            {
                using Process process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException) { return false; }        // no such process
            catch (InvalidOperationException) { return false; }
            catch (PlatformNotSupportedException) { return true; } // cannot tell: leave the file alone
        }

        /// <summary>fsync on the directory, so the rename itself is on disk (POSIX; Windows journals the rename with the file).</summary>
        private static void FlushDirectory(string directory)
        {
            if (OperatingSystem.IsWindows()) return;
            int fd = Open(directory, 0); // O_RDONLY
            if (fd < 0) return;          // best effort: some file systems refuse to open a directory
            FSync(fd);
            Close(fd);
        }

        [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
        private static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync")]
        private static partial int FSync(int fd);

        [LibraryImport("libc", EntryPoint = "close")]
        private static partial int Close(int fd);
    }
}
