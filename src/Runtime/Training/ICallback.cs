namespace Unroll
{
    /// <summary>Hooks into <see cref="Trainer.Fit{TModel}"/>: Keras <c>keras.callbacks.Callback</c>. The epoch and batch hooks have empty
    /// default bodies, so a callback implements only what it needs. The model is an <see cref="IModel"/> too: a callback may read
    /// its parameters or change its learning rate.</summary>
    public interface ICallback
    {
        /// <summary>Called once before the first epoch (Keras <c>on_train_begin</c>).</summary>
        void OnTrainBegin(ITrainableModel model);

        /// <summary>Called before each epoch with its 0-based index (Keras <c>on_epoch_begin</c>).</summary>
        void OnEpochBegin(ITrainableModel model, int epoch) { }

        /// <summary>Called before each training batch with its 0-based index in the epoch (Keras <c>on_train_batch_begin</c>);
        /// <c>model.Iterations</c> counts the optimizer steps taken so far.</summary>
        void OnBatchBegin(ITrainableModel model, int batch) { }

        /// <summary>Called after each training batch with its loss, the mean over the batch before the update (Keras <c>on_train_batch_end</c>).</summary>
        void OnBatchEnd(ITrainableModel model, int batch, double loss) { }

        /// <summary>Called after each epoch with its log (Keras <c>on_epoch_end</c>). Return <see langword="true"/> to stop training
        /// after this epoch (Keras <c>model.stop_training = True</c>); the remaining callbacks still see this epoch.</summary>
        bool OnEpochEnd(ITrainableModel model, EpochLog log);

        /// <summary>Called once after the last epoch, whether training ran out or was stopped (Keras <c>on_train_end</c>).</summary>
        void OnTrainEnd(ITrainableModel model, History history);
    }
}
