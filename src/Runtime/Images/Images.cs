using System;
using System.IO;
using System.Text;

namespace Unroll
{
    /// <summary>The range 8-bit pixels are scaled to.</summary>
    public enum PixelRange
    {
        /// <summary>p / 255: 0 is black, 1 is white (the range of a sigmoid output).</summary>
        ZeroToOne = 0,
        /// <summary>p / 127.5 - 1: -1 is black, 1 is white (the range of a tanh output, as GANs use).</summary>
        MinusOneToOne,
    }

    /// <summary>Helpers for image data: scaling 8-bit pixels, adding noise, and writing a grid of images to look at.</summary>
    public static class Images
    {
        /// <summary>Scales 8-bit pixels (0..255) into <paramref name="destination"/>, one float per pixel, in <paramref name="range"/>.</summary>
        /// <exception cref="ArgumentException">The spans differ in length.</exception>
        public static void Scale(ReadOnlySpan<byte> pixels, Span<float> destination, PixelRange range = PixelRange.ZeroToOne)
        {
            if (destination.Length != pixels.Length)
                throw new ArgumentException($"destination holds {destination.Length} floats for {pixels.Length} pixels; one float per pixel was expected.", nameof(destination));
            (float divisor, float offset) = Affine(range);
            for (int i = 0; i < pixels.Length; i++)
                destination[i] = pixels[i] / divisor + offset;
        }

        /// <summary>The pixels of an unsigned-byte IDX tensor (such as MNIST's images), scaled into <paramref name="range"/>, one float per pixel.</summary>
        public static float[] Scale(IdxTensor images, PixelRange range = PixelRange.ZeroToOne)
        {
            ArgumentNullException.ThrowIfNull(images);
            var result = new float[images.ElementCount];
            Scale(images.Bytes, result, range);
            return result;
        }

        /// <summary>
        /// Writes <paramref name="source"/> plus Gaussian noise of standard deviation <paramref name="standardDeviation"/>
        /// into <paramref name="destination"/> (which may be the same span), clipped to <paramref name="clipTo"/> when given,
        /// as the input of a denoising autoencoder. Draws one normal sample per value from <paramref name="random"/>; allocates nothing.
        /// </summary>
        /// <exception cref="ArgumentException">The spans differ in length.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The standard deviation is negative or not finite.</exception>
        public static void AddGaussianNoise(ReadOnlySpan<float> source, Span<float> destination, float standardDeviation, SeededRandom random, PixelRange? clipTo = null)
        {
            ArgumentNullException.ThrowIfNull(random);
            if (destination.Length != source.Length)
                throw new ArgumentException($"destination holds {destination.Length} floats for {source.Length} source values; the lengths must match.", nameof(destination));
            if (!(standardDeviation >= 0) || float.IsInfinity(standardDeviation))
                throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "The standard deviation must be finite and at least 0.");
            float low = clipTo == PixelRange.MinusOneToOne ? -1f : 0f;
            for (int i = 0; i < source.Length; i++)
            {
                float v = source[i] + standardDeviation * random.NextNormal();
                destination[i] = clipTo is null ? v : Math.Clamp(v, low, 1f);
            }
        }

        /// <summary>
        /// Writes <paramref name="count"/> grayscale images of <paramref name="width"/> x <paramref name="height"/> pixels,
        /// laid out in a grid of <paramref name="columns"/> columns with a one-pixel gap, as a binary PGM file (Netpbm P5,
        /// opened by most image viewers and converters). Values are read in <paramref name="range"/> and clipped to it.
        /// The file is written to a temporary file beside it, then renamed, so a failure never leaves half an image.
        /// </summary>
        public static void WritePgmGrid(string path, ReadOnlySpan<float> images, int count, int width, int height, int columns, PixelRange range = PixelRange.ZeroToOne)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
            if ((long)count * width * height != images.Length)
                throw new ArgumentException($"images holds {images.Length} floats; {count} images of {width} x {height} pixels need {(long)count * width * height}.", nameof(images));
            int cols = Math.Min(columns, count);
            int rows = (count + cols - 1) / cols;
            int gridWidth = cols * (width + 1) - 1, gridHeight = rows * (height + 1) - 1;
            byte[] header = Encoding.ASCII.GetBytes($"P5\n{gridWidth} {gridHeight}\n255\n");
            var pixels = new byte[(long)gridWidth * gridHeight];
            (float divisor, float offset) = Affine(range);
            for (int k = 0; k < count; k++)
            {
                int x0 = k % cols * (width + 1), y0 = k / cols * (height + 1);
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                    {
                        float v = (images[(k * height + y) * width + x] - offset) * divisor;
                        pixels[(long)(y0 + y) * gridWidth + x0 + x] = (byte)Math.Clamp(MathF.Round(float.IsNaN(v) ? 0 : v), 0, 255);
                    }
            }
            string full = Path.GetFullPath(path);
            string temporary = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                {
                    file.Write(header);
                    file.Write(pixels);
                }
                File.Move(temporary, full, overwrite: true);
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
        }

        /// <summary>value = pixel / divisor + offset; dividing (rather than multiplying by 1/255) maps 255 to exactly 1.</summary>
        private static (float Divisor, float Offset) Affine(PixelRange range) => range switch
        {
            PixelRange.ZeroToOne => (255f, 0f),
            PixelRange.MinusOneToOne => (127.5f, -1f),
            _ => throw new ArgumentOutOfRangeException(nameof(range), range, "Expected PixelRange.ZeroToOne or PixelRange.MinusOneToOne."),
        };
    }
}
