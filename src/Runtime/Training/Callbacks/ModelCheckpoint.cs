using System;
using System.Globalization;

namespace Unroll
{
    /// <summary>
    /// Saves the model during training (Keras <c>ModelCheckpoint</c>): after every <see cref="Every"/> epochs, or with
    /// <see cref="BestOnly"/> only when the monitored value improves. <c>{epoch}</c> in the path becomes the 1-based epoch number
    /// (as Keras formats <c>{epoch:02d}</c>, two digits at least). Each save is atomic (a temporary file renamed into place), so a
    /// crash mid-save leaves the previous checkpoint.
    /// </summary>
    public sealed class ModelCheckpoint : ICallback
    {
        private string _monitor = "val_loss";
        private double _best;

        /// <summary>Saves to <paramref name="path"/>, which may hold <c>{epoch}</c>.</summary>
        public ModelCheckpoint(string path)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            Path = path;
        }

        /// <summary>Where to save; <c>{epoch}</c> becomes the epoch number.</summary>
        public string Path { get; }

        /// <summary>Save only when <see cref="Monitor"/> improves on the best so far (Keras <c>save_best_only</c>). Default false.</summary>
        public bool BestOnly { get; set; }

        /// <summary>Without <see cref="BestOnly"/>: save after every this many epochs. Default 1.</summary>
        public int Every { get; set; } = 1;

        /// <summary>What <see cref="BestOnly"/> watches. Default <c>"val_loss"</c>.</summary>
        public string Monitor { get => _monitor; set { Monitored.Check(value); _monitor = value; } }

        /// <summary>Whether lower or higher is better. Default <see cref="MonitorMode.Auto"/>.</summary>
        public MonitorMode Mode { get; set; }

        /// <summary>The 0-based epochs saved in this run, in order.</summary>
        public System.Collections.Generic.List<int> SavedEpochs { get; } = new();

        /// <summary>The path of the last save, or <see langword="null"/>.</summary>
        public string? LastPath { get; private set; }

        /// <inheritdoc/>
        public void OnTrainBegin(ITrainableModel model)
        {
            if (Every < 1) throw new InvalidOperationException($"ModelCheckpoint.Every is {Every}; it must be at least 1.");
            _best = Monitored.Minimizing(_monitor, Mode) ? double.PositiveInfinity : double.NegativeInfinity;
            SavedEpochs.Clear();
            LastPath = null;
        }

        /// <inheritdoc/>
        public bool OnEpochEnd(ITrainableModel model, EpochLog log)
        {
            bool save;
            if (BestOnly)
            {
                double current = log.Monitored(_monitor, "ModelCheckpoint");
                save = Monitored.Improves(current, _best, Monitored.Minimizing(_monitor, Mode), 0);
                if (save) _best = current;
            }
            else
            {
                save = (log.Epoch + 1) % Every == 0;
            }
            if (save)
            {
                LastPath = Path.Replace("{epoch}", (log.Epoch + 1).ToString("D2", CultureInfo.InvariantCulture), StringComparison.Ordinal);
                model.Save(LastPath);
                SavedEpochs.Add(log.Epoch);
            }
            return false;
        }

        /// <inheritdoc/>
        public void OnTrainEnd(ITrainableModel model, History history) { }
    }
}
