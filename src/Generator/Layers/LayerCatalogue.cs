using System.Collections.Generic;
using Unroll.Generator.Layers.Core;
using Unroll.Generator.Layers.Merging;
using Unroll.Generator.Layers.Pooling;
using Unroll.Generator.Layers.Recurrent;
using Unroll.Generator.Layers.Reshaping;

namespace Unroll.Generator.Layers
{
    /// <summary>Every layer kind Unroll knows, grouped as Keras groups its layers. Adding a layer adds one line here.</summary>
    internal static class LayerCatalogue
    {
        public static readonly IReadOnlyList<LayerDefinition> All = new LayerDefinition[]
        {
            // Core
            new Input(), new Dense(), new ActivationLayer(), new Dropout(), new Embedding(),
            // Recurrent
            new SimpleRnn(), new Lstm(), new Gru(),
            // Merging
            new Concatenate(), new Add(), new Subtract(), new Multiply(), new Average(), new Maximum(), new Minimum(), new Dot(),
            // Reshaping
            new Reshape(), new Flatten(), new Permute(), new RepeatVector(),
            // Pooling
            new GlobalAveragePooling1D(), new GlobalMaxPooling1D(),
        };

        private static readonly Dictionary<string, LayerDefinition> ByAttribute = Index(d => d.AttributeName);
        private static readonly Dictionary<string, LayerDefinition> ByName = Index(d => d.Name);

        private static Dictionary<string, LayerDefinition> Index(System.Func<LayerDefinition, string> key)
        {
            var index = new Dictionary<string, LayerDefinition>();
            foreach (LayerDefinition d in All) index[key(d)] = d;
            return index;
        }

        /// <summary>The layer whose attribute has this metadata name (<c>Unroll.DenseAttribute</c>), or null.</summary>
        public static LayerDefinition? FromAttribute(string metadataName) => ByAttribute.TryGetValue(metadataName, out LayerDefinition? d) ? d : null;

        /// <summary>The layer of a spec's Kind (<c>Dense</c>), or null.</summary>
        public static LayerDefinition? Find(string name) => ByName.TryGetValue(name, out LayerDefinition? d) ? d : null;

        /// <summary>The wrapper attributes (beside a layer attribute on one member), by metadata name.</summary>
        public static readonly IReadOnlyDictionary<string, string> WrapperAttributes = new Dictionary<string, string>
        {
            ["Unroll.BidirectionalAttribute"] = RecurrentLayer.BidirectionalWrapper,
            ["Unroll.TimeDistributedAttribute"] = Dense.TimeDistributed,
        };
    }
}
