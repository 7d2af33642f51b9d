namespace Unroll
{
    /// <summary>The result of <see cref="Trainer.Evaluate{TModel}"/>: Keras <c>model.evaluate(x, y)</c> returning loss and accuracy.</summary>
    public sealed class Evaluation
    {
        /// <summary>Creates a result.</summary>
        public Evaluation(double loss, double accuracy, int count, ConfusionMatrix? confusion)
        {
            Loss = loss;
            Accuracy = accuracy;
            Count = count;
            Confusion = confusion;
        }

        /// <summary>The mean loss per sample over the whole data set.</summary>
        public double Loss { get; }

        /// <summary>The accuracy over the whole data set (see <see cref="Metrics"/>); NaN for regression losses.</summary>
        public double Accuracy { get; }

        /// <summary>Number of samples evaluated.</summary>
        public int Count { get; }

        /// <summary>Actual versus predicted classes, for single-label classifiers (class labels, one-hot targets, or one binary output); otherwise <see langword="null"/>.</summary>
        public ConfusionMatrix? Confusion { get; }
    }
}
