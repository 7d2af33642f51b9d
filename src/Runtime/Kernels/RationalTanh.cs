using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Unroll.Kernels;

/// <summary>
/// tanh and the logistic sigmoid for the recurrent cells, as the rational function Eigen (and so TensorFlow's CPU kernels) evaluates for
/// float: an odd degree-13 polynomial over an even degree-6 one on [-7.9053, 7.9053] (where tanh is ±1 to float precision), and x itself
/// below 4e-4. It costs a dozen fused multiply-adds and one division, against an exponential and a division, and lets a recurrent cell
/// apply all its gates and its update in one pass over registers. σ(x) = ½ + ½·tanh(x/2). The scalar and vector forms run the same
/// operations in the same order, so an element gets the same bits in a vector, in a tail, or on another thread's share.
/// </summary>
/// <remarks>Largest absolute error against double precision over [-12, 12] in steps of 2^-12: 2.5e-7 for tanh (MathF.Tanh: 9.3e-8) and
/// 1.5e-7 for σ (<c>RationalTanhTests</c>).</remarks>
internal static class RationalTanh
{
    private const float Clamp = 7.90531110763549805f, Tiny = 0.0004f;
    private const float A1 = 4.89352455891786e-03f, A3 = 6.37261928875436e-04f, A5 = 1.48572235717979e-05f, A7 = 5.12229709037114e-08f;
    private const float A9 = -8.60467152213735e-11f, A11 = 2.00018790482477e-13f, A13 = -2.76076847742355e-16f;
    private const float B0 = 4.89352518554385e-03f, B2 = 2.26843463243900e-03f, B4 = 1.18534705686654e-04f, B6 = 1.19825839466702e-06f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x)
    {
        float c = x < -Clamp ? -Clamp : x > Clamp ? Clamp : x;
        float x2 = c * c;
        float p = MathF.FusedMultiplyAdd(x2, A13, A11);
        p = MathF.FusedMultiplyAdd(x2, p, A9);
        p = MathF.FusedMultiplyAdd(x2, p, A7);
        p = MathF.FusedMultiplyAdd(x2, p, A5);
        p = MathF.FusedMultiplyAdd(x2, p, A3);
        p = MathF.FusedMultiplyAdd(x2, p, A1);
        p *= c;
        float q = MathF.FusedMultiplyAdd(x2, B6, B4);
        q = MathF.FusedMultiplyAdd(x2, q, B2);
        q = MathF.FusedMultiplyAdd(x2, q, B0);
        return MathF.Abs(x) < Tiny ? x : p / q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => MathF.FusedMultiplyAdd(0.5f, Tanh(0.5f * x), 0.5f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<float> c = Vector512.Min(Vector512.Max(x, Vector512.Create(-Clamp)), Vector512.Create(Clamp));
        Vector512<float> x2 = c * c;
        Vector512<float> p = Vector512.FusedMultiplyAdd(x2, Vector512.Create(A13), Vector512.Create(A11));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A9));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A7));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A5));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A3));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A1));
        p *= c;
        Vector512<float> q = Vector512.FusedMultiplyAdd(x2, Vector512.Create(B6), Vector512.Create(B4));
        q = Vector512.FusedMultiplyAdd(x2, q, Vector512.Create(B2));
        q = Vector512.FusedMultiplyAdd(x2, q, Vector512.Create(B0));
        return Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x), Vector512.Create(Tiny)), x, p / q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) =>
        Vector512.FusedMultiplyAdd(Vector512.Create(0.5f), Tanh(Vector512.Create(0.5f) * x), Vector512.Create(0.5f));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<float> c = Vector256.Min(Vector256.Max(x, Vector256.Create(-Clamp)), Vector256.Create(Clamp));
        Vector256<float> x2 = c * c;
        Vector256<float> p = Vector256.FusedMultiplyAdd(x2, Vector256.Create(A13), Vector256.Create(A11));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A9));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A7));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A5));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A3));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A1));
        p *= c;
        Vector256<float> q = Vector256.FusedMultiplyAdd(x2, Vector256.Create(B6), Vector256.Create(B4));
        q = Vector256.FusedMultiplyAdd(x2, q, Vector256.Create(B2));
        q = Vector256.FusedMultiplyAdd(x2, q, Vector256.Create(B0));
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), Vector256.Create(Tiny)), x, p / q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) =>
        Vector256.FusedMultiplyAdd(Vector256.Create(0.5f), Tanh(Vector256.Create(0.5f) * x), Vector256.Create(0.5f));

    /// <summary>y = tanh(x) element by element (x and y may be the same span).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException($"Expected at least {x.Length} floats but got {y.Length}.", nameof(y));
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= x.Length; i += 16) Tanh(Vector512.Create(x.Slice(i, 16))).CopyTo(y.Slice(i, 16));
        else if (Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported)
            for (; i + 8 <= x.Length; i += 8) Tanh(Vector256.Create(x.Slice(i, 8))).CopyTo(y.Slice(i, 8));
        for (; i < x.Length; i++) y[i] = Tanh(x[i]);
    }

    /// <summary>y = σ(x) element by element (x and y may be the same span).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException($"Expected at least {x.Length} floats but got {y.Length}.", nameof(y));
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= x.Length; i += 16) Sigmoid(Vector512.Create(x.Slice(i, 16))).CopyTo(y.Slice(i, 16));
        else if (Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported)
            for (; i + 8 <= x.Length; i += 8) Sigmoid(Vector256.Create(x.Slice(i, 8))).CopyTo(y.Slice(i, 8));
        for (; i < x.Length; i++) y[i] = Sigmoid(x[i]);
    }
}
