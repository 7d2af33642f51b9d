using Unroll.Generator.Graph;

namespace Unroll.Generator.Layers.Merging
{
    internal sealed class Minimum : Extremum
    {
        public override string Name => "Minimum";
        public override string Describe(Node node) => "elementwise minimum of " + Names(node);
    }
}
