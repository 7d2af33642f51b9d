namespace Unroll.Generator.Model
{
    // Mirrors of the enums in Unroll.Attributes (same names, same values): the generator cannot load that
    // assembly, it reads the constants from attribute data. A test keeps the two in sync.

    internal enum Activation { Linear, Sigmoid, Tanh, Relu, LeakyRelu, PRelu, Elu, Selu, Gelu, Softmax }

    internal enum Loss { MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossEntropy, CategoricalCrossEntropy, SparseCategoricalCrossEntropy, Hinge }

    internal enum Optimizer { Sgd, Momentum, Nesterov, Adagrad, RmsProp, Adam, AdamW }

    internal enum Initializer { GlorotUniform, GlorotNormal, HeUniform, HeNormal, Zeros, Ones, Constant, Uniform, Normal, Orthogonal }

    internal enum MergeMode { Concat, Sum, Average, Multiply }
}
