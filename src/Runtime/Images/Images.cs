using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

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
        /// laid out in a grid of <paramref name="columns"/> columns with a one-pixel gap, as an 8-bit grayscale PNG file.
        /// Values are read in <paramref name="range"/> and clipped to it. The file is written to a temporary file beside it,
        /// then renamed, so a failure never leaves half an image.
        /// </summary>
        public static void WritePngGrid(string path, ReadOnlySpan<float> images, int count, int width, int height, int columns, PixelRange range = PixelRange.ZeroToOne)
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
            // PNG scanlines: one filter byte (0, none) then the row's pixels.
            int stride = gridWidth + 1;
            var scanlines = new byte[(long)stride * gridHeight];
            (float divisor, float offset) = Affine(range);
            for (int k = 0; k < count; k++)
            {
                int x0 = k % cols * (width + 1), y0 = k / cols * (height + 1);
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                    {
                        float v = (images[(k * height + y) * width + x] - offset) * divisor;
                        scanlines[(long)(y0 + y) * stride + 1 + x0 + x] = (byte)Math.Clamp(MathF.Round(float.IsNaN(v) ? 0 : v), 0, 255);
                    }
            }
            using var compressed = new MemoryStream();
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
                zlib.Write(scanlines);

            var header = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header, gridWidth);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), gridHeight);
            header[8] = 8; // bits per sample; colour type 0 (grayscale), deflate, adaptive filtering, no interlace
            AtomicFile.Write(path, file =>
            {
                file.Write(stackalloc byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
                WriteChunk(file, "IHDR"u8, header);
                WriteChunk(file, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
                WriteChunk(file, "IEND"u8, ReadOnlySpan<byte>.Empty);
            });
        }

        private static void WriteChunk(Stream file, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
        {
            Span<byte> word = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
            file.Write(word);
            file.Write(type);
            file.Write(data);
            BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, type), data)));
            file.Write(word);
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
