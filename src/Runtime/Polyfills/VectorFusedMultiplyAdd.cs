#if !NET9_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Unroll;

/// <summary>
/// .NET 8 lacks <c>Vector128/256/512.FusedMultiplyAdd</c> and <c>MultiplyAddEstimate</c> (added in .NET 9); the GEMM
/// kernels call them by those names, and on net8.0 these static extensions answer with the same instructions. On
/// net9.0 and later this file is empty and the BCL's own methods are called.
/// </summary>
/// <remarks>
/// Where the hardware has no fused multiply-add these fall back to an unfused multiply and add, as
/// <c>MultiplyAddEstimate</c> does. The kernels that call <c>FusedMultiplyAdd</c> run only where it is fused:
/// the 512-bit ones when <c>Vector512.IsHardwareAccelerated</c> (AVX-512F), the 256-bit one when <c>Fma.IsSupported</c>.
/// </remarks>
internal static class VectorFusedMultiplyAdd
{
    extension(Vector128)
    {
        /// <summary>(left * right) + addend, fused where FMA or NEON has it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> MultiplyAddEstimate(Vector128<float> left, Vector128<float> right, Vector128<float> addend)
        {
            if (Fma.IsSupported)
                return Fma.MultiplyAdd(left, right, addend);
            if (AdvSimd.IsSupported)
                return AdvSimd.FusedMultiplyAdd(addend, left, right);
            return left * right + addend;
        }
    }

    extension(Vector256)
    {
        /// <summary>(left * right) + addend, fused where FMA has it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> MultiplyAddEstimate(Vector256<float> left, Vector256<float> right, Vector256<float> addend) =>
            Fma.IsSupported ? Fma.MultiplyAdd(left, right, addend) : left * right + addend;

        /// <summary>(left * right) + addend with one rounding (FMA3).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> FusedMultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend) =>
            Fma.IsSupported ? Fma.MultiplyAdd(left, right, addend) : left * right + addend;
    }

    extension(Vector512)
    {
        /// <summary>(left * right) + addend with one rounding (AVX-512F).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> FusedMultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) =>
            Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(left, right, addend) : left * right + addend;
    }
}
#endif
