using System;
using System.Threading;

namespace Unroll.Kernels;

/// <summary>
/// One weight matrix of a generated model, (rows, columns) row-major at <see cref="Offset"/> in its parameters, kept laid out the way the
/// packed matrix products read it as the B operand of x·Wᵀ (a dense layer's weight, a recurrent layer's input and recurrent weights).
/// Without it, every product that takes the packed path lays the weight out again: for the mlp workload's first layer, about a fifth of a
/// batch's inference. <see cref="PackedWeights"/> decides when the copy is current; a kernel given one reads it instead of packing.
/// </summary>
public sealed unsafe class PackedWeight
{
    private float[]? _storage;
    private float* _packed;

    /// <summary>Describes the weight; generated code calls this once per weight, in the model's constructor. Nothing is packed yet.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative offset or a size below 1.</exception>
    public PackedWeight(int offset, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        (Offset, Rows, Columns) = (offset, rows, columns);
    }

    /// <summary>The weight's first value in the model's parameters.</summary>
    public int Offset { get; }

    /// <summary>Output features: the n of the products that read it.</summary>
    public int Rows { get; }

    /// <summary>Input features: the k of the products that read it.</summary>
    public int Columns { get; }

    /// <summary>The packed copy (GemmDriver.PackWhole's layout, NT); valid once <see cref="PackedWeights.Current"/> returned its owner.</summary>
    internal float* Pointer => _packed;

    /// <summary>Lays the weight out again from <paramref name="parameters"/>, in the storage of the first call (allocated then, pinned).</summary>
    internal void Pack(ReadOnlySpan<float> parameters)
    {
        if ((long)Offset + (long)Rows * Columns > parameters.Length)
            throw new ArgumentException(
                $"The weight at {Offset} of {Rows} x {Columns} values does not fit in {parameters.Length} parameters.", nameof(parameters));
        if (_storage is null)
        {
            _storage = AlignedFloats.Allocate(checked((int)GemmDriver.PackedLength(GemmDriver.DefaultKernel, Rows, Columns)), out int start);
            fixed (float* p = _storage) _packed = p + start; // the array is pinned: the address stays valid
        }
        GemmDriver.PackWholeInto(GemmDriver.DefaultKernel, _packed, parameters.Slice(Offset, Rows * Columns), Rows, Columns, GemmLayout.NT);
    }

    /// <summary>Throws unless the copy is of a (<paramref name="rows"/>, <paramref name="columns"/>) weight.</summary>
    internal void CheckShape(int rows, int columns, string paramName)
    {
        if (rows != Rows || columns != Columns)
            throw new ArgumentException($"Expected a packed weight of {rows} x {columns}, but it is {Rows} x {Columns}.", paramName);
        if (_packed is null)
            throw new ArgumentException($"The {Rows} x {Columns} weight at {Offset} has not been packed yet: pass one from what PackedWeights.Current returned.", paramName);
    }
}

/// <summary>
/// The packed weights of one generated model, and when they are current. <c>Predict</c> asks for them at the start of each call
/// (<see cref="Current"/>): they are packed again only after the parameters changed, so a model that serves many calls between training
/// steps lays its weights out once, as ONNX Runtime does when it loads a model.
/// <para>
/// A change the model makes itself (a training step, <c>Load</c>, <c>SetParameters</c>, <see cref="Layer.Load"/>) is counted by
/// <see cref="Modified"/>. A write through a span is not seen by anything, so once a writable view of the parameters has been handed out
/// (the model's <c>Parameters</c>, a layer's <see cref="Layer.Parameters"/>, <see cref="Layer.Weight"/>, <see cref="Layer.Bias"/> or
/// indexer: <see cref="ViewTaken"/>) the packed copies are not used at all, and every call packs what it needs as it did before, until
/// the model's <c>ParametersChanged()</c> says the writing is over (<see cref="ViewsReleased"/>). So no write is ever missed.
/// </para>
/// </summary>
public sealed class PackedWeights
{
    private readonly PackedWeight[] _weights;
    private readonly object _gate = new();
    private long _version;
    private long _packedVersion = -1;
    private int _viewsOut;

    /// <summary>The model's weights to keep packed; generated code calls this once, in the model's constructor.</summary>
    public PackedWeights(params PackedWeight[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _weights = (PackedWeight[])weights.Clone();
    }

    /// <summary>How many weights are kept packed.</summary>
    public int Count => _weights.Length;

    /// <summary>Weight <paramref name="index"/>, in the order given to the constructor.</summary>
    public PackedWeight this[int index] => _weights[index];

    /// <summary>Whether <see cref="Current"/> would use the packed copies: no writable view is out.</summary>
    public bool InUse => Volatile.Read(ref _viewsOut) == 0;

    /// <summary>The model changed its parameters itself: the next <see cref="Current"/> packs again.</summary>
    public void Modified() => Interlocked.Increment(ref _version);

    /// <summary>A writable view of the parameters went to the caller: from now on the packed copies are not used.</summary>
    public void ViewTaken() => Volatile.Write(ref _viewsOut, 1);

    /// <summary>The caller is done writing through the views it took: the next <see cref="Current"/> packs again and the copies are used.</summary>
    public void ViewsReleased()
    {
        Interlocked.Increment(ref _version);
        Volatile.Write(ref _viewsOut, 0);
    }

    /// <summary>
    /// These weights packed from <paramref name="parameters"/> (the model's, whole), packing them first if the parameters changed since
    /// they were last packed; or null when there are none, or a writable view is out, and each kernel packs for itself. Thread-safe: calls
    /// that find the copies stale pack them once, the others wait. The parameters must not change while a call uses what this returned
    /// (as they must not change during a <c>Predict</c> anyway).
    /// </summary>
    public PackedWeights? Current(ReadOnlySpan<float> parameters)
    {
        if (_weights.Length == 0 || Volatile.Read(ref _viewsOut) != 0) return null;
        if (Volatile.Read(ref _packedVersion) == Volatile.Read(ref _version)) return this;
        lock (_gate)
        {
            // The version is read before packing: a change made meanwhile leaves the copies stale for the next call.
            long version = Volatile.Read(ref _version);
            if (_packedVersion != version)
            {
                foreach (PackedWeight weight in _weights) weight.Pack(parameters);
                Volatile.Write(ref _packedVersion, version);
            }
        }
        return this;
    }
}
