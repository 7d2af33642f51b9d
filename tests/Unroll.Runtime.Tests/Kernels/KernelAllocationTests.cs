using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

public class KernelAllocationTests
{
    private const int Rows = 8, Cols = 10, N = Rows * Cols;

    private sealed class Buffers
    {
        public readonly float[] X = new float[N], Y = new float[N], Dx = new float[N], Dy = new float[N];
        public readonly float[] Target = new float[N], Grad = new float[N], Mask = new float[N];
        public readonly float[] Alpha = new float[Cols], DAlpha = new float[Cols];
        public readonly int[] Labels = new int[Rows];
        public readonly SeededRandom Random = new(1);

        public Buffers()
        {
            for (int i = 0; i < N; i++)
            {
                X[i] = Random.NextNormal();
                Dy[i] = Random.NextNormal();
                Target[i] = Random.NextFloat();
            }
            for (int c = 0; c < Cols; c++) Alpha[c] = 0.1f * c;
            for (int r = 0; r < Rows; r++) Labels[r] = r % Cols;
        }
    }

    private static float RunAll(Buffers b, int times)
    {
        float sink = 0;
        for (int t = 0; t < times; t++)
        {
            Activations.Sigmoid_Forward(b.Y, b.X); Activations.Sigmoid_Backward(b.Dx, b.Dy, b.Y);
            Activations.Tanh_Forward(b.Y, b.X); Activations.Tanh_Backward(b.Dx, b.Dy, b.Y);
            Activations.Relu_Forward(b.Y, b.X); Activations.Relu_Backward(b.Dx, b.Dy, b.X);
            Activations.LeakyRelu_Forward(b.Y, b.X, 0.2f); Activations.LeakyRelu_Backward(b.Dx, b.Dy, b.X, 0.2f);
            Activations.PRelu_Forward(b.Y, b.X, b.Alpha, Rows, Cols);
            Activations.PRelu_Backward(b.Dx, b.DAlpha, b.Dy, b.X, b.Alpha, Rows, Cols);
            Activations.Elu_Forward(b.Y, b.X, 1f); Activations.Elu_Backward(b.Dx, b.Dy, b.X, b.Y, 1f);
            Activations.Selu_Forward(b.Y, b.X); Activations.Selu_Backward(b.Dx, b.Dy, b.X, b.Y);
            Activations.Gelu_Forward(b.Y, b.X); Activations.Gelu_Backward(b.Dx, b.Dy, b.X);
            Activations.Softmax_Forward(b.Y, b.X, Rows, Cols); Activations.Softmax_Backward(b.Dx, b.Dy, b.Y, Rows, Cols);

            sink += Losses.MeanSquaredError(b.Grad, b.Y, b.Target);
            sink += Losses.MeanAbsoluteError(b.Grad, b.Y, b.Target);
            sink += Losses.Huber(b.Grad, b.Y, b.Target, 1f);
            sink += Losses.BinaryCrossEntropy(b.Grad, b.Y, b.Target);
            sink += Losses.BinaryCrossEntropyWithLogits(b.Grad, b.X, b.Target);
            sink += Losses.SigmoidBinaryCrossEntropy(b.Grad, b.Y, b.Target);
            sink += Losses.CategoricalCrossEntropy(b.Grad, b.Y, b.Target, Rows, Cols);
            sink += Losses.SoftmaxCrossEntropy(b.Grad, b.Y, b.Target, Rows, Cols);
            sink += Losses.SoftmaxCrossEntropyWithLogits(b.Grad, b.X, b.Target, Rows, Cols);
            sink += Losses.SparseCategoricalCrossEntropy(b.Grad, b.Y, b.Labels, Rows, Cols);
            sink += Losses.SparseSoftmaxCrossEntropy(b.Grad, b.Y, b.Labels, Rows, Cols);
            sink += Losses.SparseSoftmaxCrossEntropyWithLogits(b.Grad, b.X, b.Labels, Rows, Cols);
            sink += Losses.Hinge(b.Grad, b.Y, b.Target);

            Layers.Dropout_Forward(b.Y, b.Mask, b.X, 0.3f, b.Random); Layers.Dropout_Backward(b.Dx, b.Dy, b.Mask);
            sink += Regularization.L1L2(b.Dx, b.X, 0.01f, 0.01f);
            GradientClipping.ByValue(b.Dx, 5f);
            sink += GradientClipping.ByGlobalNorm(b.Dx, 1f);
        }
        return sink;
    }

    [Fact]
    public void KernelsDoNotAllocate()
    {
        var buffers = new Buffers();
        RunAll(buffers, 1); // JIT and static initialization happen here
        long before = GC.GetAllocatedBytesForCurrentThread();
        float sink = RunAll(buffers, 100);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
        Assert.True(float.IsFinite(sink), $"kernel results should be finite, got {sink}");
    }
}
