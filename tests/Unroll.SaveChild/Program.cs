using Unroll;

// Saves version A, then B, then A ... of a 4-million-float "model" to args[0] until killed, printing "ready" after the first save.
// Version v holds v + i * 1e-3 at index i, so a reader can tell a whole version from a torn one.
string path = args[0];
const int Count = 4 << 20;
var layout = new[] { new ParameterTensor("weight", "layer.weight", 0, Count) };
float[][] versions = { Version(1), Version(2) };
for (long i = 0; ; i++)
{
    ModelFile.Save(path, versions[i % 2], layout, "Child");
    if (i == 0) Console.WriteLine("ready");
}

static float[] Version(int v)
{
    var values = new float[Count];
    for (int i = 0; i < Count; i++) values[i] = v + (i % 1000) * 1e-3f;
    return values;
}
