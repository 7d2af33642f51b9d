namespace Unroll.Samples.Forecast;

/// <summary>Reads the last <see cref="ForecastExperiment.Window"/> month-to-month changes (one feature per step, scaled) and predicts the
/// next change: LSTM(32) -> Dense(1), mean squared error, Adam.</summary>
[Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.003f, MaxBatch = 32)]
public partial class Co2Forecaster
{
    [Input(Length = ForecastExperiment.Window, Features = 1)] public partial Layer Changes { get; }
    [Lstm(Units = 32)] public partial Layer Memory { get; }
    [Dense(Units = 1)] public partial Layer NextChange { get; }
}
