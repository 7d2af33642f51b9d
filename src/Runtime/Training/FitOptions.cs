using System;
using System.Collections.Generic;
using System.Threading;

namespace Unroll
{
    /// <summary>The settings of one <see cref="Trainer.Fit{TModel}"/> call: the arguments of Keras <c>Model.fit</c>.</summary>
    public sealed class FitOptions
    {
        /// <summary>Passes over the training set (Keras <c>epochs</c>). Default 1.</summary>
        public int Epochs { get; set; } = 1;

        /// <summary>Rows per optimizer step, at least 1 (Keras <c>batch_size</c>). Default 32. Above the model's
        /// <see cref="ITrainableModel.BatchCapacity"/> (its MaxBatch), a batch runs as micro-batches whose gradients are summed, weighted
        /// by their share of the batch, into one step: the gradient of one big batch, in the memory of a small one.
        /// The last batch of an epoch holds the remaining rows and is trained too, as in Keras.</summary>
        public int BatchSize { get; set; } = 32;

        /// <summary>Whether to visit the training rows in a new random order each epoch, drawn from the model's
        /// <see cref="ITrainableModel.Random"/> (Keras <c>shuffle</c>, PyTorch <c>DataLoader(shuffle=True)</c>). Default true.</summary>
        public bool Shuffle { get; set; } = true;

        /// <summary>Data to compute <c>val_loss</c> and <c>val_accuracy</c> on after each epoch (Keras <c>validation_data</c>).
        /// When set, <see cref="ValidationSplit"/> is ignored, as in Keras.</summary>
        public Dataset? Validation { get; set; }

        /// <summary>Fraction in [0, 1) of the training set to hold out for validation: the LAST rows, taken before any
        /// shuffling (Keras <c>validation_split</c>; see <see cref="Dataset.SplitTail"/>). Default 0 (none).</summary>
        public double ValidationSplit { get; set; }

        /// <summary>What <c>Fit</c> writes to <see cref="Output"/> (Keras <c>verbose</c>): 0 nothing (default), 1 a progress bar per epoch with the
        /// batch count, ETA, loss and metrics (on a redirected output only the finished bar of each epoch), 2 one line per epoch.</summary>
        public int Verbose { get; set; }

        /// <summary>Where <see cref="Verbose"/> output goes; <see langword="null"/> (default) for the console.</summary>
        public System.IO.TextWriter? Output { get; set; }

        /// <summary>Told after every batch where training is (a GUI's progress bar); <see cref="TrainingProgress"/> is a struct, so reporting
        /// itself allocates nothing (what the receiver does is up to it).</summary>
        public IProgress<TrainingProgress>? Progress { get; set; }

        /// <summary>A resumable checkpoint (Keras <c>BackupAndRestore</c>): after every epoch the parameters, the optimizer's state, the
        /// step, the learning rate, the model's random state and the history are written there (atomically); if the file exists when
        /// <c>Fit</c> starts, training resumes from it, and ends with exactly the weights of a run that never stopped. The file is
        /// deleted when training ends normally, unless <see cref="KeepBackup"/>. Callbacks start afresh on resume.</summary>
        public string? BackupPath { get; set; }

        /// <summary>Keep the <see cref="BackupPath"/> file after training ends. Default false.</summary>
        public bool KeepBackup { get; set; }

        /// <summary>Stops training between two steps: <c>Fit</c> throws <see cref="OperationCanceledException"/>, and the model keeps the
        /// weights of the last whole step (to carry on later, call <c>Fit</c> again).</summary>
        public CancellationToken CancellationToken { get; set; }

        /// <summary>Callbacks with epoch and batch hooks, run in order (Keras <c>callbacks</c>): <see cref="EarlyStopping"/>,
        /// <see cref="ModelCheckpoint"/>, <see cref="StepDecay"/>, <see cref="ExponentialDecay"/>, <see cref="CosineDecay"/>,
        /// <see cref="ReduceLROnPlateau"/>, <see cref="CsvLogger"/>, <see cref="TerminateOnNaN"/>, or your own <see cref="ICallback"/>.</summary>
        public IList<ICallback> Callbacks { get; set; } = new List<ICallback>();

        /// <summary>Called with each epoch's log as soon as it is complete, before the callbacks: progress reporting
        /// (Keras <c>verbose</c>); e.g. <c>OnEpoch = log =&gt; Console.WriteLine(log)</c>.</summary>
        public Action<EpochLog>? OnEpoch { get; set; }

        /// <summary>Whether a binary model's single output is a logit rather than a sigmoid probability (Keras
        /// <c>from_logits</c>): it moves the accuracy's decision threshold from 0.5 to 0. Generated models set it from their declaration.</summary>
        public bool FromLogits { get; set; }

        /// <summary>Metrics to log each epoch beside the loss and accuracy (Keras <c>compile(metrics=[...])</c>): each is scored on the epoch's
        /// training outputs under its <see cref="Metric.Name"/> and on the validation data under <c>val_</c> + its name, e.g.
        /// <c>Metrics = { Metric.F1(), Metric.TopKAccuracy(3) }</c>. Costs one buffer of the training set's outputs per <c>Fit</c>.</summary>
        public IList<Metric> Metrics { get; set; } = new List<Metric>();

        /// <summary>A weight per class, indexed by class (Keras <c>class_weight</c>): each training row's loss is multiplied by the weight of its
        /// class (its label; the largest of one-hot targets; for one 0/1 target, 1 above 0.5), times its own sample weight when the data set has
        /// them (<see cref="Dataset.WithSampleWeights"/>), the sum still divided by the batch size. Give every class the model predicts a
        /// finite, non-negative weight, e.g. <c>n / (classes * n_c)</c> to balance them (scikit-learn's <c>"balanced"</c>). Validation losses
        /// are not class-weighted, as in Keras. <see langword="null"/> (default) for none.</summary>
        public float[]? ClassWeights { get; set; }

        /// <summary>Whether to report training accuracy, scored on each step's training-mode outputs (dropout active,
        /// before the update) as Keras does. It costs a copy of the outputs per batch. Default true.</summary>
        public bool TrainingAccuracy { get; set; } = true;
    }
}
