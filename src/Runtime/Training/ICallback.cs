namespace Unroll
{
    /// <summary>Hooks into <see cref="Trainer.Fit{TModel}"/>: Keras <c>keras.callbacks.Callback</c> (the training-level hooks only).</summary>
    public interface ICallback
    {
        /// <summary>Called once before the first epoch (Keras <c>on_train_begin</c>).</summary>
        void OnTrainBegin(ITrainableModel model);

        /// <summary>Called after each epoch with its log (Keras <c>on_epoch_end</c>). Return <see langword="true"/> to stop training
        /// after this epoch (Keras <c>model.stop_training = True</c>); the remaining callbacks still see this epoch.</summary>
        bool OnEpochEnd(ITrainableModel model, EpochLog log);

        /// <summary>Called once after the last epoch, whether training ran out or was stopped (Keras <c>on_train_end</c>).</summary>
        void OnTrainEnd(ITrainableModel model, History history);
    }
}
