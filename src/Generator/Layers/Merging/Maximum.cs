using Unroll.Generator.Graph;

namespace Unroll.Generator.Layers.Merging
{
    internal sealed class Maximum : Extremum
    {
        public override string Name => "Maximum";
        public override string Describe(Node node) => "elementwise maximum of " + Names(node);
    }
}
