using System;

namespace Unroll.Kernels;

/// <summary>The cheap argument checks at kernel entry: O(1) each, with messages that name both lengths.</summary>
internal static class KernelChecks
{
    public static void SameLength(int expected, int actual, string expectedName, string actualName)
    {
        if (expected != actual)
            ThrowLength(expected, actual, expectedName, actualName);
    }

    /// <summary>An empty gradient span means "loss only"; any other length must match the input.</summary>
    public static void GradientLength(int expected, int actual, string expectedName, string gradientName)
    {
        if (actual != 0 && expected != actual)
            ThrowLength(expected, actual, expectedName, gradientName);
    }

    /// <summary>A row-major (rows, cols) matrix.</summary>
    public static void MatrixLength(int length, int rows, int cols, string name)
    {
        if (rows < 0)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, "The row count must not be negative.");
        if (cols < 0)
            throw new ArgumentOutOfRangeException(nameof(cols), cols, "The column count must not be negative.");
        if (length != (long)rows * cols)
            throw new ArgumentException(
                $"{name} has length {length}, expected rows * cols = {rows} * {cols} = {(long)rows * cols}.", name);
    }

    private static void ThrowLength(int expected, int actual, string expectedName, string actualName) =>
        throw new ArgumentException(
            $"{actualName} has length {actual} but {expectedName} has length {expected}; they must be equal.", actualName);
}
