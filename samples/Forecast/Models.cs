namespace Unroll.Samples.Forecast;

/// <summary>Reads the last <see cref="ForecastExperiment.Window"/> month-to-month changes, each step with the sine and cosine of its
/// calendar month (three features per step, <see cref="ForecastExperiment.WithMonths"/>), and predicts the next change:
/// LSTM(32) -> Dense(1), mean squared error, Adam at 0.003 under a cosine decay (how these were chosen: <see cref="ForecastExperiment.Window"/>).</summary>
[Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.003f, MaxBatch = 32)]
public partial class Co2Forecaster
{
    [Input(Length = ForecastExperiment.Window, Features = 3)] public partial Layer Changes { get; }
    [Lstm(Units = 32)] public partial Layer Memory { get; }
    [Dense(Units = 1)] public partial Layer NextChange { get; }
}

/// <summary>
/// Three inputs and two merges: an LSTM reads the last <see cref="ForecastExperiment.SeasonalWindow"/> changes, the target's calendar
/// month comes in as a one-hot vector and joins the LSTM's state in a Concatenate, and the network's output is added (Add) to the
/// change of the same month a year earlier, so it learns a correction to the seasonal-naive forecast instead of the whole seasonal
/// cycle. The Keras functional equivalent: <c>Add()([Dense(1)(Dense(16, "tanh")(Concatenate()([LSTM(32)(changes), month]))), last_year])</c>.
/// </summary>
[Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.003f, MaxBatch = 32)]
public partial class Co2SeasonalForecaster
{
    [Input(Length = ForecastExperiment.SeasonalWindow, Features = 1)] public partial Layer Changes { get; }
    [Lstm(Units = 32)] public partial Layer Memory { get; }
    [Input(Features = 12)] public partial Layer Month { get; }
    [Concatenate(nameof(Memory), nameof(Month))] public partial Layer Context { get; }
    [Dense(Units = 16, Activation = Activation.Tanh)] public partial Layer Hidden { get; }
    [Dense(Units = 1)] public partial Layer Correction { get; }
    [Input(Features = 1)] public partial Layer LastYear { get; }
    [Add(nameof(Correction), nameof(LastYear))] public partial Layer NextChange { get; }
}
