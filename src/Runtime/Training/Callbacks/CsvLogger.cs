using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace Unroll
{
    /// <summary>
    /// Writes one CSV line per epoch (Keras <c>CSVLogger</c>): <c>epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds</c>,
    /// then a column per metric of <see cref="FitOptions.Metrics"/> (training values, then <c>val_</c> ones, in the order the metrics were
    /// chosen), epochs 0-based as Keras writes them, empty cells for what the epoch did not measure. The file is started (or, with
    /// <see cref="Append"/>, continued) when training begins; each line is appended and the file closed again, so it can be watched
    /// while training runs and no handle stays open if training fails.
    /// </summary>
    public sealed class CsvLogger : ICallback
    {
        private static readonly UTF8Encoding Utf8 = new(false);
        private bool _started, _headerDone;

        /// <summary>Logs to <paramref name="path"/>.</summary>
        public CsvLogger(string path)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            Path = path;
        }

        /// <summary>The CSV file.</summary>
        public string Path { get; }

        /// <summary>Continue an existing file instead of starting a new one (Keras <c>append</c>). Default false.</summary>
        public bool Append { get; set; }

        /// <summary>The header line.</summary>
        public const string Header = "epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds";

        /// <inheritdoc/>
        public void OnTrainBegin(ITrainableModel model)
        {
            bool continuing = Append && File.Exists(Path) && new FileInfo(Path).Length > 0;
            if (!continuing) File.WriteAllText(Path, Header + "\n", Utf8);
            _started = true;
            // A new file's header learns the metric columns from the first epoch's log.
            _headerDone = continuing;
        }

        /// <inheritdoc/>
        public bool OnEpochEnd(ITrainableModel model, EpochLog log)
        {
            if (!_started) throw new InvalidOperationException("CsvLogger.OnEpochEnd came before OnTrainBegin.");
            var line = new StringBuilder(string.Join(",",
                log.Epoch.ToString(CultureInfo.InvariantCulture), Cell(log.Value("loss")), Cell(log.Value("accuracy")), Cell(log.Value("val_loss")),
                Cell(log.Value("val_accuracy")), Cell(log.Value("learning_rate")), log.Elapsed.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)));
            var header = new StringBuilder(Header);
            foreach (var m in log.MetricsInLogOrder())
            {
                header.Append(',').Append(m.Key);
                line.Append(',').Append(Cell(double.IsNaN(m.Value) ? null : m.Value));
            }
            if (!_headerDone)
            {
                if (log.Metrics.Count > 0) File.WriteAllText(Path, header.Append('\n').ToString(), Utf8);
                _headerDone = true;
            }
            File.AppendAllText(Path, line.Append('\n').ToString(), Utf8);
            return false;
        }

        /// <inheritdoc/>
        public void OnTrainEnd(ITrainableModel model, History history) => _started = false;

        private static string Cell(double? value) => value is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "";
    }
}
