using System;

namespace Unroll
{
    /// <summary>The safetensors dtypes this runtime accepts and their element sizes.</summary>
    internal static class SafeTensorDTypes
    {
        // The 8-bit float formats (F8_E4M3, F8_E5M2, ...) are left out on purpose: nothing here can
        // convert them, and rejecting them at read time gives a clearer error than failing later.
        private static readonly string[] Names = { "BOOL", "U8", "I8", "U16", "I16", "F16", "BF16", "U32", "I32", "F32", "F64", "U64", "I64" };
        private static readonly int[] Sizes = { 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 8, 8, 8 };

        /// <summary>Comma-separated list of the accepted dtypes, for error messages.</summary>
        public static readonly string KnownList = string.Join(", ", Names);

        /// <summary>Element size in bytes of <paramref name="dtype"/>, or false when the dtype is unknown (case-sensitive, as in the format).</summary>
        public static bool TryGetSize(string dtype, out int size)
        {
            int i = Array.IndexOf(Names, dtype);
            size = i < 0 ? 0 : Sizes[i];
            return i >= 0;
        }

        /// <summary>True for the dtypes <see cref="SafeTensor.ToFloat32"/> converts.</summary>
        public static bool IsFloat(string dtype) => dtype is "F32" or "F64" or "F16" or "BF16";
    }
}
