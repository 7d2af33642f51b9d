namespace Unroll.Samples;

/// <summary>Finds the data sets that samples/fetch-data.sh puts in samples/.data, and says how to fetch them when they are missing.</summary>
public static class SampleData
{
    /// <summary>samples/.data/<paramref name="name"/>, found by walking up from the program's directory (or UNROLL_SAMPLE_DATA when set).</summary>
    /// <exception cref="DirectoryNotFoundException">The data set is not there; the message gives the command that fetches it.</exception>
    public static string Directory(string name)
    {
        string? root = Environment.GetEnvironmentVariable("UNROLL_SAMPLE_DATA");
        if (root is null)
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "samples", "fetch-data.sh")))
                {
                    root = Path.Combine(dir.FullName, "samples", ".data");
                    break;
                }
            }
        }
        string path = Path.Combine(root ?? Path.Combine(AppContext.BaseDirectory, ".data"), name);
        if (!System.IO.Directory.Exists(path))
            throw new DirectoryNotFoundException($"The {name} data set is not in '{path}'. Fetch it once with: samples/fetch-data.sh {name}");
        return path;
    }
}
