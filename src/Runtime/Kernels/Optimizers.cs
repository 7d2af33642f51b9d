using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Unroll.Kernels
{
    /// <summary>
    /// Optimizer update kernels: one call updates a flat parameter span in place from its gradient span and
    /// its optimizer state. Each kernel follows PyTorch's <c>torch.optim</c> update rule exactly (including
    /// where epsilon is added); the learning rate is a plain argument, so a schedule can change it every step.
    /// Every kernel is one fused SIMD pass over the spans and allocates nothing.
    /// </summary>
    public static class Optimizers
    {
        /// <summary>
        /// Plain gradient descent: p -= lr * g. PyTorch <c>torch.optim.SGD(lr)</c>; Keras <c>SGD(momentum=0)</c>.
        /// </summary>
        /// <param name="p">Parameters, updated in place.</param>
        /// <param name="g">Gradients, same length as <paramref name="p"/>.</param>
        /// <param name="learningRate">Step size for this step.</param>
        public static void Sgd_Step(Span<float> p, ReadOnlySpan<float> g, float learningRate)
        {
            CheckLength(p.Length, g.Length, nameof(g));
            ref float pr = ref MemoryMarshal.GetReference(p);
            ref float gr = ref MemoryMarshal.GetReference(g);
            int n = p.Length, i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var lr = new Vector<float>(learningRate);
                for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                {
                    nuint o = (nuint)i;
                    (Vector.LoadUnsafe(ref pr, o) - lr * Vector.LoadUnsafe(ref gr, o)).StoreUnsafe(ref pr, o);
                }
            }
            for (; i < n; i++)
                Unsafe.Add(ref pr, i) -= learningRate * Unsafe.Add(ref gr, i);
        }

        /// <summary>
        /// Momentum gradient descent as PyTorch <c>torch.optim.SGD(lr, momentum, nesterov)</c> with dampening 0:
        /// v = mu * v + g; p -= lr * v (heavy ball) or p -= lr * (g + mu * v) (Nesterov).
        /// With v starting at zero the first step gives v = g, as PyTorch's lazily created buffer.
        /// Keras <c>SGD(momentum)</c> keeps lr inside its velocity instead, which differs only when lr changes.
        /// </summary>
        /// <param name="p">Parameters, updated in place.</param>
        /// <param name="g">Gradients, same length as <paramref name="p"/>.</param>
        /// <param name="velocity">Momentum buffer, same length, zero before the first step; updated in place.</param>
        /// <param name="learningRate">Step size for this step.</param>
        /// <param name="momentum">Momentum factor mu (0.9 is the usual value).</param>
        /// <param name="nesterov">Use the Nesterov form of the update.</param>
        public static void Momentum_Step(Span<float> p, ReadOnlySpan<float> g, Span<float> velocity,
            float learningRate, float momentum, bool nesterov)
        {
            CheckLength(p.Length, g.Length, nameof(g));
            CheckLength(p.Length, velocity.Length, nameof(velocity));
            ref float pr = ref MemoryMarshal.GetReference(p);
            ref float gr = ref MemoryMarshal.GetReference(g);
            ref float vr = ref MemoryMarshal.GetReference(velocity);
            int n = p.Length, i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var lr = new Vector<float>(learningRate);
                var mu = new Vector<float>(momentum);
                for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                {
                    nuint o = (nuint)i;
                    Vector<float> gi = Vector.LoadUnsafe(ref gr, o);
                    Vector<float> v = mu * Vector.LoadUnsafe(ref vr, o) + gi;
                    v.StoreUnsafe(ref vr, o);
                    Vector<float> d = nesterov ? gi + mu * v : v;
                    (Vector.LoadUnsafe(ref pr, o) - lr * d).StoreUnsafe(ref pr, o);
                }
            }
            for (; i < n; i++)
            {
                float gi = Unsafe.Add(ref gr, i);
                float v = momentum * Unsafe.Add(ref vr, i) + gi;
                Unsafe.Add(ref vr, i) = v;
                Unsafe.Add(ref pr, i) -= learningRate * (nesterov ? gi + momentum * v : v);
            }
        }

        /// <summary>
        /// Adagrad: s += g^2; p -= lr * g / (sqrt(s) + eps). PyTorch <c>torch.optim.Adagrad(lr, lr_decay=0,
        /// initial_accumulator_value, eps)</c>; Keras <c>Adagrad</c> (initial accumulator 0.1, eps 1e-7).
        /// </summary>
        /// <param name="p">Parameters, updated in place.</param>
        /// <param name="g">Gradients, same length as <paramref name="p"/>.</param>
        /// <param name="accumulator">Sum of squared gradients s, same length; the caller sets it to the initial
        /// accumulator value (Keras 0.1) before the first step. Updated in place.</param>
        /// <param name="learningRate">Step size for this step.</param>
        /// <param name="epsilon">Added to sqrt(s) before dividing (Keras 1e-7).</param>
        public static void Adagrad_Step(Span<float> p, ReadOnlySpan<float> g, Span<float> accumulator,
            float learningRate, float epsilon)
        {
            CheckLength(p.Length, g.Length, nameof(g));
            CheckLength(p.Length, accumulator.Length, nameof(accumulator));
            ref float pr = ref MemoryMarshal.GetReference(p);
            ref float gr = ref MemoryMarshal.GetReference(g);
            ref float sr = ref MemoryMarshal.GetReference(accumulator);
            int n = p.Length, i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var lr = new Vector<float>(learningRate);
                var eps = new Vector<float>(epsilon);
                for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                {
                    nuint o = (nuint)i;
                    Vector<float> gi = Vector.LoadUnsafe(ref gr, o);
                    Vector<float> s = Vector.LoadUnsafe(ref sr, o) + gi * gi;
                    s.StoreUnsafe(ref sr, o);
                    (Vector.LoadUnsafe(ref pr, o) - lr * gi / (Vector.SquareRoot(s) + eps)).StoreUnsafe(ref pr, o);
                }
            }
            for (; i < n; i++)
            {
                float gi = Unsafe.Add(ref gr, i);
                float s = Unsafe.Add(ref sr, i) + gi * gi;
                Unsafe.Add(ref sr, i) = s;
                Unsafe.Add(ref pr, i) -= learningRate * gi / (MathF.Sqrt(s) + epsilon);
            }
        }

        /// <summary>
        /// RMSprop: s = rho * s + (1 - rho) * g^2; p -= lr * g / (sqrt(s) + eps). PyTorch
        /// <c>torch.optim.RMSprop(lr, alpha=rho, eps, momentum=0, centered=False)</c>; Keras <c>RMSprop</c>
        /// (rho 0.9, eps 1e-7), which also adds eps outside the square root.
        /// </summary>
        /// <param name="p">Parameters, updated in place.</param>
        /// <param name="g">Gradients, same length as <paramref name="p"/>.</param>
        /// <param name="meanSquare">Running mean of squared gradients s, same length, zero before the first step; updated in place.</param>
        /// <param name="learningRate">Step size for this step.</param>
        /// <param name="rho">Decay of the running mean (PyTorch <c>alpha</c>; Keras 0.9).</param>
        /// <param name="epsilon">Added to sqrt(s) before dividing (Keras 1e-7).</param>
        public static void RmsProp_Step(Span<float> p, ReadOnlySpan<float> g, Span<float> meanSquare,
            float learningRate, float rho, float epsilon)
        {
            CheckLength(p.Length, g.Length, nameof(g));
            CheckLength(p.Length, meanSquare.Length, nameof(meanSquare));
            ref float pr = ref MemoryMarshal.GetReference(p);
            ref float gr = ref MemoryMarshal.GetReference(g);
            ref float sr = ref MemoryMarshal.GetReference(meanSquare);
            float oneMinusRho = 1f - rho;
            int n = p.Length, i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var lr = new Vector<float>(learningRate);
                var eps = new Vector<float>(epsilon);
                var rhoV = new Vector<float>(rho);
                var oneMinusRhoV = new Vector<float>(oneMinusRho);
                for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                {
                    nuint o = (nuint)i;
                    Vector<float> gi = Vector.LoadUnsafe(ref gr, o);
                    Vector<float> s = rhoV * Vector.LoadUnsafe(ref sr, o) + oneMinusRhoV * (gi * gi);
                    s.StoreUnsafe(ref sr, o);
                    (Vector.LoadUnsafe(ref pr, o) - lr * gi / (Vector.SquareRoot(s) + eps)).StoreUnsafe(ref pr, o);
                }
            }
            for (; i < n; i++)
            {
                float gi = Unsafe.Add(ref gr, i);
                float s = rho * Unsafe.Add(ref sr, i) + oneMinusRho * (gi * gi);
                Unsafe.Add(ref sr, i) = s;
                Unsafe.Add(ref pr, i) -= learningRate * gi / (MathF.Sqrt(s) + epsilon);
            }
        }

        /// <summary>
        /// Adam with bias correction, in PyTorch's form <c>torch.optim.Adam(lr, betas, eps)</c>:
        /// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
        /// p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
        /// Keras <c>Adam</c> has the same defaults (0.9, 0.999, eps 1e-7) but adds eps to the uncorrected
        /// sqrt(v), which differs slightly in the first steps; this kernel follows PyTorch.
        /// </summary>
        /// <param name="p">Parameters, updated in place.</param>
        /// <param name="g">Gradients, same length as <paramref name="p"/>.</param>
        /// <param name="m">First-moment estimate, same length, zero before the first step; updated in place.</param>
        /// <param name="v">Second-moment estimate, same length, zero before the first step; updated in place.</param>
        /// <param name="learningRate">Step size for this step.</param>
        /// <param name="beta1">Decay of the first moment (0.9).</param>
        /// <param name="beta2">Decay of the second moment (0.999).</param>
        /// <param name="epsilon">Added to the corrected sqrt(v) before dividing (Keras 1e-7, PyTorch 1e-8).</param>
        /// <param name="step">The 1-based number t of this step, used for bias correction.</param>
        public static void Adam_Step(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
            float learningRate, float beta1, float beta2, float epsilon, int step)
        {
            CheckLength(p.Length, g.Length, nameof(g));
            CheckLength(p.Length, m.Length, nameof(m));
            CheckLength(p.Length, v.Length, nameof(v));
            CheckStep(step);
            AdamCore(p, g, m, v, learningRate, beta1, beta2, epsilon, 1f, step);
        }

        /// <summary>
        /// Adam with decoupled weight decay, PyTorch <c>torch.optim.AdamW(lr, betas, eps, weight_decay)</c>:
        /// first p *= 1 - lr * wd, then exactly the <see cref="Adam_Step"/> update. Keras <c>AdamW</c> defaults:
        /// weight decay 0.004, otherwise as Adam.
        /// </summary>
        /// <param name="p">Parameters, updated in place.</param>
        /// <param name="g">Gradients, same length as <paramref name="p"/>.</param>
        /// <param name="m">First-moment estimate, same length, zero before the first step; updated in place.</param>
        /// <param name="v">Second-moment estimate, same length, zero before the first step; updated in place.</param>
        /// <param name="learningRate">Step size for this step; also scales the decay.</param>
        /// <param name="beta1">Decay of the first moment (0.9).</param>
        /// <param name="beta2">Decay of the second moment (0.999).</param>
        /// <param name="epsilon">Added to the corrected sqrt(v) before dividing (Keras 1e-7, PyTorch 1e-8).</param>
        /// <param name="weightDecay">Decoupled weight decay wd (Keras 0.004, PyTorch 0.01).</param>
        /// <param name="step">The 1-based number t of this step, used for bias correction.</param>
        public static void AdamW_Step(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
            float learningRate, float beta1, float beta2, float epsilon, float weightDecay, int step)
        {
            CheckLength(p.Length, g.Length, nameof(g));
            CheckLength(p.Length, m.Length, nameof(m));
            CheckLength(p.Length, v.Length, nameof(v));
            CheckStep(step);
            // The decay is applied inside the same pass as the Adam term (PyTorch does two passes over p).
            AdamCore(p, g, m, v, learningRate, beta1, beta2, epsilon, 1f - learningRate * weightDecay, step);
        }

        /// <summary>From this many parameters an Adam step splits its elements across threads (a memory-bound pass: two cores stream
        /// more; each element's update is the same operations on any thread).</summary>
        private const int AdamParallelThreshold = 1 << 16;

        private unsafe struct AdamJob
        {
            public float* P, G, M, V;
            public int N;
            public float LearningRate, Beta1, Beta2, Epsilon, ParameterScale;
            public int Step;
        }

        // parameterScale is AdamW's 1 - lr * wd (1 for Adam), applied in the same pass as the Adam term.
        private static unsafe void AdamCore(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
            float learningRate, float beta1, float beta2, float epsilon, float parameterScale, int step)
        {
            int parts = Math.Min(Parallelism.ThreadCount, p.Length / (AdamParallelThreshold / 2));
            if (p.Length >= AdamParallelThreshold && parts > 1)
            {
                fixed (float* pp = p, pg = g, pm = m, pv = v)
                {
                    var job = new AdamJob
                    {
                        P = pp, G = pg, M = pm, V = pv, N = p.Length, LearningRate = learningRate, Beta1 = beta1, Beta2 = beta2, Epsilon = epsilon,
                        ParameterScale = parameterScale, Step = step,
                    };
                    if (WorkerPool.TryRun(parts, &AdamPart, &job)) return;
                }
            }
            AdamRange(p, g, m, v, learningRate, beta1, beta2, epsilon, parameterScale, step);
        }

        /// <summary>One thread's share of a split Adam step: a run of elements, boundaries on multiples of 64.</summary>
        private static unsafe void AdamPart(int part, int parts, void* context)
        {
            ref AdamJob j = ref Unsafe.AsRef<AdamJob>(context);
            int blocks = (j.N + 63) / 64;
            int start = (int)Math.Min(j.N, (long)blocks * part / parts * 64), end = (int)Math.Min(j.N, (long)blocks * (part + 1) / parts * 64);
            if (start >= end) return;
            int count = end - start;
            AdamRange(new Span<float>(j.P + start, count), new ReadOnlySpan<float>(j.G + start, count), new Span<float>(j.M + start, count),
                new Span<float>(j.V + start, count), j.LearningRate, j.Beta1, j.Beta2, j.Epsilon, j.ParameterScale, j.Step);
        }

        private static void AdamRange(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
            float learningRate, float beta1, float beta2, float epsilon, float parameterScale, int step)
        {
            // PyTorch computes the bias corrections on Python floats, i.e. in double.
            double correction1 = 1.0 - Math.Pow(beta1, step);
            double correction2 = 1.0 - Math.Pow(beta2, step);
            float stepSize = (float)(learningRate / correction1);
            float inverseSqrtCorrection2 = (float)(1.0 / Math.Sqrt(correction2));
            float oneMinusBeta1 = 1f - beta1, oneMinusBeta2 = 1f - beta2;

            ref float pr = ref MemoryMarshal.GetReference(p);
            ref float gr = ref MemoryMarshal.GetReference(g);
            ref float mr = ref MemoryMarshal.GetReference(m);
            ref float vr = ref MemoryMarshal.GetReference(v);
            int n = p.Length, i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var b1 = new Vector<float>(beta1);
                var b2 = new Vector<float>(beta2);
                var c1 = new Vector<float>(oneMinusBeta1);
                var c2 = new Vector<float>(oneMinusBeta2);
                var size = new Vector<float>(stepSize);
                var scale = new Vector<float>(inverseSqrtCorrection2);
                var eps = new Vector<float>(epsilon);
                var shrink = new Vector<float>(parameterScale);
                for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                {
                    nuint o = (nuint)i;
                    Vector<float> gi = Vector.LoadUnsafe(ref gr, o);
                    Vector<float> mi = b1 * Vector.LoadUnsafe(ref mr, o) + c1 * gi;
                    Vector<float> vi = b2 * Vector.LoadUnsafe(ref vr, o) + c2 * (gi * gi);
                    mi.StoreUnsafe(ref mr, o);
                    vi.StoreUnsafe(ref vr, o);
                    Vector<float> denominator = Vector.SquareRoot(vi) * scale + eps;
                    (shrink * Vector.LoadUnsafe(ref pr, o) - size * mi / denominator).StoreUnsafe(ref pr, o);
                }
            }
            for (; i < n; i++)
            {
                float gi = Unsafe.Add(ref gr, i);
                float mi = beta1 * Unsafe.Add(ref mr, i) + oneMinusBeta1 * gi;
                float vi = beta2 * Unsafe.Add(ref vr, i) + oneMinusBeta2 * (gi * gi);
                Unsafe.Add(ref mr, i) = mi;
                Unsafe.Add(ref vr, i) = vi;
                float denominator = MathF.Sqrt(vi) * inverseSqrtCorrection2 + epsilon;
                Unsafe.Add(ref pr, i) = parameterScale * Unsafe.Add(ref pr, i) - stepSize * mi / denominator;
            }
        }

        private static void CheckLength(int expected, int actual, string name)
        {
            if (actual != expected) ThrowLength(expected, actual, name);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowLength(int expected, int actual, string name) =>
            throw new ArgumentException(
                $"{name} has {actual} values but the parameter span p has {expected}; they must be the same length.", name);

        private static void CheckStep(int step)
        {
            if (step < 1) ThrowStep(step);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowStep(int step) =>
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step number t is 1-based and must be at least 1.");
    }
}
