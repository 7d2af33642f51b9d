using Unroll.Generator.Graph;
using Unroll.Generator.Model;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Merging
{
    internal sealed class Maximum : Extremum
    {
        public override string Name => "Maximum";
        public override string Describe(Node node) => "elementwise maximum of " + Names(node);
    }
}
