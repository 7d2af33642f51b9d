using System;

namespace Unroll.Kernels
{
    /// <summary>
    /// The error function, which .NET's Math lacks and the exact GELU needs. Double precision throughout, so a
    /// float kernel built on it is limited by float rounding, not by the approximation.
    /// </summary>
    internal static class SpecialFunctions
    {
        private const double TwoOverSqrtPi = 1.1283791670955125739;
        private const double ChebyshevCenter = 3.0;

        // erfcx(a) = exp(a^2) erfc(a) on a in [0, inf), as a Chebyshev series in t = (a - 3) / (a + 3).
        // Derived by tools/reference/erf_coefficients.py; truncation error below 1e-17.
        private static ReadOnlySpan<double> ErfcxChebyshev =>
        [
            0.32986277475303677,
            -0.45366152053780207,
            0.16039834082156296,
            -0.044908121151122825,
            0.009641428650695697,
            -0.0014425080777443955,
            0.00010099436735379916,
            1.20850245344553e-05,
            -3.6254206027537556e-06,
            7.186810742476415e-08,
            8.914235859898217e-08,
            -7.421566624959606e-09,
            -2.389336570265878e-09,
            3.062235535489925e-10,
            7.788945388151088e-11,
            -1.0973745829245584e-11,
            -3.0915207311917734e-12,
            3.525433881723422e-13,
            1.3990452179771617e-13,
            -8.246037476838809e-15,
            -6.6399614269893215e-15,
            -7.978348824752611e-17,
            3.0472412376040985e-16,
            3.032131711022567e-17,
            -1.2182012212997152e-17,
            -2.804010100719011e-18,
        ];

        /// <summary>erf(x) = 2/sqrt(pi) * integral from 0 to x of exp(-t^2) dt; torch.erf.</summary>
        public static double Erf(double x)
        {
            double a = Math.Abs(x);
            if (a < 0.5)
                return TaylorErf(x);
            double r = 1.0 - ErfcOfNonNegative(a);
            return x < 0 ? -r : r;
        }

        /// <summary>erfc(x) = 1 - erf(x), accurate in relative terms in the right tail; torch.erfc.</summary>
        public static double Erfc(double x)
        {
            if (x >= 0.5)
                return ErfcOfNonNegative(x);
            if (x > -0.5)
                return 1.0 - TaylorErf(x);
            if (x <= -0.5)
                return 2.0 - ErfcOfNonNegative(-x);
            return double.NaN;
        }

        // Near 0, 1 - erfc(x) would lose the relative accuracy of erf(x) ~ 1.13 x; the Maclaurin series keeps it.
        // For |x| < 0.5 its 14 terms leave a remainder below 1e-17.
        private static double TaylorErf(double x)
        {
            double x2 = x * x;
            double power = x;
            double sum = x;
            for (int n = 1; n <= 13; n++)
            {
                power *= -x2 / n;
                sum += power / (2 * n + 1);
            }
            return TwoOverSqrtPi * sum;
        }

        private static double ErfcOfNonNegative(double a)
        {
            if (a >= 27.3)
                return 0.0; // exp(-a^2) underflows double; also keeps t finite for a = infinity
            double t = (a - ChebyshevCenter) / (a + ChebyshevCenter);
            ReadOnlySpan<double> c = ErfcxChebyshev;
            // Clenshaw's recurrence for sum c_j T_j(t).
            double b1 = 0, b2 = 0;
            for (int j = c.Length - 1; j >= 1; j--)
            {
                double b0 = 2.0 * t * b1 - b2 + c[j];
                b2 = b1;
                b1 = b0;
            }
            double erfcx = c[0] + t * b1 - b2;
            return Math.Exp(-a * a) * erfcx;
        }
    }
}
