"""Derives the Chebyshev coefficients of src/Runtime/Kernels/SpecialFunctions.cs (not a golden).

Run with /usr/bin/python3 (needs mpmath). Prints the C# array. The scaled complementary error function
erfcx(a) = exp(a^2) erfc(a) is smooth and bounded on [0, inf); mapped onto t = (a - K) / (a + K) in [-1, 1)
it has a rapidly converging Chebyshev series, so erfc(a) = exp(-a^2) * sum c_j T_j(t) is accurate to a few
ulps of double with 26 terms, and relative accuracy holds deep into the tail (what the GELU of a very
negative input needs). The coefficients come from 40-digit interpolation at 200 Chebyshev nodes.
"""
import mpmath as mp

K = 3
TERMS = 26
NODES = 200

mp.mp.dps = 40


def main():
    nodes = [mp.cos(mp.pi * (j + mp.mpf(1) / 2) / NODES) for j in range(NODES)]
    values = []
    for t in nodes:
        a = K * (1 + t) / (1 - t)
        values.append(mp.erfc(a) * mp.exp(a * a))
    coefficients = []
    for m in range(TERMS):
        s = mp.fsum(values[j] * mp.cos(mp.pi * m * (j + mp.mpf(1) / 2) / NODES) for j in range(NODES))
        coefficients.append(2 * s / NODES)
    coefficients[0] /= 2  # so that the series is the plain sum c_0 T_0 + c_1 T_1 + ...
    print("private static readonly double[] ErfcxChebyshev =\n[")
    for c in coefficients:
        print(f"    {float(c)!r},")
    print("];")


if __name__ == "__main__":
    main()
