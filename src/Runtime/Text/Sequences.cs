using System;
using System.Collections.Generic;

namespace Unroll.Text
{
    /// <summary>Which end of a sequence <see cref="Sequences.Pad"/> fills (Keras <c>pad_sequences(padding=...)</c>).</summary>
    public enum Padding
    {
        /// <summary>Fill before the sequence, so it ends at the last step (Keras <c>"pre"</c>, the default).</summary>
        Pre,
        /// <summary>Fill after the sequence (Keras <c>"post"</c>).</summary>
        Post,
    }

    /// <summary>Which end of a too-long sequence <see cref="Sequences.Pad"/> cuts off (Keras <c>pad_sequences(truncating=...)</c>).</summary>
    public enum Truncating
    {
        /// <summary>Drop the first ids, keeping the end (Keras <c>"pre"</c>, the default).</summary>
        Pre,
        /// <summary>Drop the last ids, keeping the start (Keras <c>"post"</c>).</summary>
        Post,
    }

    /// <summary>Turns id sequences of varying length (from <see cref="Tokenizer.TextsToSequences"/>) into the fixed-width,
    /// row-major batches a model takes.</summary>
    public static class Sequences
    {
        /// <summary>
        /// Pads or truncates every sequence to <paramref name="length"/> ids and returns them row-major, <c>sequences.Count * length</c>
        /// ids: Keras <c>pad_sequences(sequences, maxlen=length, padding, truncating, value)</c> with its defaults (pad and truncate at
        /// the start), where Keras returns a <c>(batch, length)</c> array. An empty sequence becomes a row of <paramref name="value"/>.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="sequences"/> or one of them is <see langword="null"/>.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not positive, or an enum is out of range.</exception>
        public static int[] Pad(IReadOnlyList<int[]> sequences, int length, Padding padding = Padding.Pre,
            Truncating truncating = Truncating.Pre, int value = 0)
        {
            ArgumentNullException.ThrowIfNull(sequences);
            if (length <= 0)
                throw new ArgumentOutOfRangeException(nameof(length), length, "The padded length must be positive.");
            if (padding is not (Padding.Pre or Padding.Post))
                throw new ArgumentOutOfRangeException(nameof(padding), padding, "Expected Padding.Pre or Padding.Post.");
            if (truncating is not (Truncating.Pre or Truncating.Post))
                throw new ArgumentOutOfRangeException(nameof(truncating), truncating, "Expected Truncating.Pre or Truncating.Post.");

            var padded = new int[checked(sequences.Count * length)];
            for (int row = 0; row < sequences.Count; row++)
            {
                ReadOnlySpan<int> sequence = sequences[row]
                    ?? throw new ArgumentNullException(nameof(sequences), $"sequences[{row}] is null.");
                if (sequence.Length > length)
                    sequence = truncating == Truncating.Pre ? sequence[^length..] : sequence[..length];
                Span<int> destination = padded.AsSpan(row * length, length);
                destination.Fill(value);
                sequence.CopyTo(padding == Padding.Pre ? destination[(length - sequence.Length)..] : destination);
            }
            return padded;
        }

        /// <summary>
        /// A bag-of-words matrix: one row of <paramref name="width"/> floats per sequence, 1 in column <c>id</c> for every id the
        /// sequence holds and 0 elsewhere, row-major; the input of a bag-of-words baseline. Keras
        /// <c>Tokenizer.sequences_to_matrix(sequences, mode="binary")</c> with <c>num_words = width</c> (use
        /// <see cref="Tokenizer.VocabularySize"/>, or the tokenizer's <see cref="Tokenizer.MaxWords"/> for a width fixed in advance);
        /// scikit-learn <c>CountVectorizer(binary=True)</c>. Padding (id 0) sets nothing, so padded and unpadded sequences give the
        /// same rows.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="sequences"/> or one of them is <see langword="null"/>.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is not positive.</exception>
        /// <exception cref="ArgumentException">An id is outside [0, <paramref name="width"/>) (the message names the sequence and
        /// position; Keras skips such ids silently).</exception>
        public static float[] ToMultiHot(IReadOnlyList<int[]> sequences, int width)
        {
            ArgumentNullException.ThrowIfNull(sequences);
            if (width <= 0)
                throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be positive.");
            var matrix = new float[checked(sequences.Count * width)];
            for (int row = 0; row < sequences.Count; row++)
            {
                int[] sequence = sequences[row] ?? throw new ArgumentNullException(nameof(sequences), $"sequences[{row}] is null.");
                Span<float> destination = matrix.AsSpan(row * width, width);
                for (int i = 0; i < sequence.Length; i++)
                {
                    int id = sequence[i];
                    if ((uint)id >= (uint)width)
                        throw new ArgumentException($"sequences[{row}][{i}] is {id}; expected an id in [0, {width}).", nameof(sequences));
                    if (id != Tokenizer.PaddingId) destination[id] = 1f;
                }
            }
            return matrix;
        }
    }
}
