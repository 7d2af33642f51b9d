using System;
using System.Collections.Generic;
using System.IO;

namespace Unroll
{
    /// <summary>
    /// What every generated model offers, whatever its inputs and outputs: its summary and size, its weights and their gradients,
    /// the optimizer's learning rate and step, saving and loading. Write reusable code against it: a callback, a learning-rate
    /// schedule, a serving helper, a checkpoint writer. Models with one input and one output also implement
    /// <see cref="IModel{TInput}"/>, which adds prediction, fitting and evaluation.
    /// </summary>
    public interface IModel
    {
        /// <summary>A Keras-style table of the layers, their output shapes and parameter counts.</summary>
        string Summary { get; }

        /// <summary>How many floats the parameters take (the generated <c>ParameterCount</c> constant).</summary>
        int ParameterCount { get; }

        /// <summary>The most samples one training step takes (the generated <c>MaxBatch</c> constant); <c>Predict</c> takes any number.</summary>
        int MaxBatch { get; }

        /// <summary>The optimizer's learning rate; finite and at least 0.</summary>
        float LearningRate { get; set; }

        /// <summary>Optimizer steps taken so far.</summary>
        int Iterations { get; }

        /// <summary>All parameters, flat, in the order of <see cref="Tensors"/>, writable. <c>Predict</c> keeps the weights it multiplies laid
        /// out for its matrix products, and stops using that copy once a writable view is taken (this, or a layer's), so a write through one
        /// is never missed; call <see cref="ParametersChanged"/> when done writing, and it packs them again and keeps them.</summary>
        Span<float> Parameters { get; }

        /// <summary>Says that writing through the views taken of the parameters (<see cref="Parameters"/>, a layer's views) is over: the next
        /// <c>Predict</c> lays the weights out again for its matrix products and later calls reuse that, until the parameters change again.
        /// Do not write through a view taken before this call afterwards (take a new one). Training, <c>Load</c>, <see cref="SetParameters"/>
        /// and <see cref="Layer.Load"/> need no call.</summary>
        void ParametersChanged();

        /// <summary>Copies every parameter, in the order of <see cref="Tensors"/>, to <paramref name="destination"/> (Keras
        /// <c>get_weights</c>, flat). Takes no view: <c>Predict</c> keeps its packed weights.</summary>
        /// <exception cref="ArgumentException"><paramref name="destination"/> does not hold exactly <see cref="ParameterCount"/> floats.</exception>
        void CopyParametersTo(Span<float> destination);

        /// <summary>Copies <paramref name="values"/> into every parameter, in the order of <see cref="Tensors"/> (Keras <c>set_weights</c>,
        /// flat); <c>Predict</c> packs the new weights on its next call. Single-threaded, as training.</summary>
        /// <exception cref="ArgumentException"><paramref name="values"/> does not hold exactly <see cref="ParameterCount"/> floats; nothing
        /// is copied.</exception>
        void SetParameters(ReadOnlySpan<float> values);

        /// <summary>The gradients of the last backward pass, laid out as <see cref="Parameters"/>.</summary>
        Span<float> Gradients { get; }

        /// <summary>Each parameter tensor: its name, shape and place in <see cref="Parameters"/>.</summary>
        IReadOnlyList<ParameterTensor> Tensors { get; }

        /// <summary>The layers, in declaration order.</summary>
        IReadOnlyList<Layer> Layers { get; }

        /// <summary>The optimizer step on the gradients of the last backward pass.</summary>
        void ApplyGradients();

        /// <summary>Writes every parameter to a safetensors file, atomically.</summary>
        void Save(string path);

        /// <summary>Writes every parameter to a stream in safetensors format.</summary>
        void Save(Stream stream);

        /// <summary>Reads every parameter from a safetensors file; the model is unchanged on any error.</summary>
        void Load(string path, bool allowNonFinite = false);

        /// <summary>Reads every parameter from a safetensors stream; the model is unchanged on any error.</summary>
        void Load(Stream stream, bool allowNonFinite = false);
    }

    /// <summary>
    /// A model with one input and one output: <typeparamref name="TInput"/> is <see langword="float"/> for features (vectors or
    /// sequences) and <see langword="int"/> for token ids. Adds Keras' <c>predict</c>, <c>fit</c> and <c>evaluate</c>.
    /// </summary>
    public interface IModel<TInput> : IModel where TInput : unmanaged
    {
        /// <summary>Values per input sample (features, or steps x features, or token ids).</summary>
        int InputSize { get; }

        /// <summary>Floats per output sample.</summary>
        int OutputSize { get; }

        /// <summary>Inference on any number of samples into <paramref name="outputs"/>; allocates nothing; thread-safe.</summary>
        void Predict(ReadOnlySpan<TInput> inputs, Span<float> outputs);

        /// <summary>Inference on any number of samples, into a new array.</summary>
        float[] Predict(ReadOnlySpan<TInput> inputs);

        /// <summary>Trains on a data set (Keras <c>fit</c>).</summary>
        History Fit(Dataset train, FitOptions options);

        /// <summary>Mean loss and accuracy over a data set, in inference mode (Keras <c>evaluate</c>).</summary>
        Evaluation Evaluate(Dataset data);
    }
}
