using Unroll.Text;

namespace Unroll.Samples.Sentiment;

/// <summary>One seeded train/test split of the corpus, with the tokenizer fitted on its training sentences only.</summary>
public sealed record SentimentSplit(
    IReadOnlyList<string> TrainTexts, int[] TrainLabels, IReadOnlyList<string> TestTexts, int[] TestLabels, Tokenizer Tokenizer);

/// <summary>A model trained on one split: its held-out accuracy, a function giving P(positive) for new sentences, its training history
/// (with the held-out sentences' loss and accuracy per epoch, for the curves; nothing is tuned on them) and its held-out confusion matrix.</summary>
public sealed record TrainedModel(double HeldOutAccuracy, Func<IReadOnlyList<string>, float[]> PositiveProbability, History History, ConfusionMatrix Confusion);

/// <summary>A model of the experiment: a name and a method that trains it on a split with a seed.</summary>
public sealed record SentimentModel(string Name, Func<SentimentSplit, ulong, TrainedModel> Train);

/// <summary>A model's held-out accuracy on each seeded split, and the model trained on the last one.</summary>
public sealed record ModelResult(string Name, IReadOnlyList<double> Accuracies, TrainedModel Last)
{
    public double MeanAccuracy => Accuracies.Average();
}

/// <summary>
/// The protocol of the sample: for each seed, a stratified 80/20 split of the 3,000 sentences; a <see cref="Tokenizer"/> fitted on
/// the training 80% (so no test word leaks into the vocabulary), capped at <see cref="Vocabulary"/> ids with an OOV token; each model
/// in <see cref="Models"/> trained on the training part and scored on the held-out 20%.
/// </summary>
public sealed class SentimentExperiment
{
    /// <summary>Tokenizer cap (Keras <c>num_words</c>): ids run below it, so models declare it as their input width or vocabulary.
    /// The 2,400 training sentences of a split have about 4,650 distinct words; the 1,998 most frequent keep an id (1 is the OOV token, 0 padding).</summary>
    public const int Vocabulary = 2000;

    public const string OovToken = "<oov>";

    /// <summary>Words per sentence the recurrent models read: longer sentences keep their last 40 words (Keras' default pre
    /// truncation), shorter ones are padded with id 0, which the embedding masks. 98% of the sentences have at most 40 words.</summary>
    public const int SentenceLength = 40;

    /// <summary>Epochs of the recurrent models.</summary>
    public const int RecurrentEpochs = 10;

    public static readonly ulong[] Seeds = { 1, 2, 3 };

    private readonly IReadOnlyList<LabelledSentence> _sentences;

    public SentimentExperiment(IReadOnlyList<LabelledSentence> sentences) => _sentences = sentences;

    public static SentimentExperiment Load(string dataDirectory) => new(SentimentCorpus.Load(dataDirectory));

    public int SentenceCount => _sentences.Count;

    /// <summary>The models compared, side by side. Each is a method below taking a split and a seed.</summary>
    public static IReadOnlyList<SentimentModel> Models { get; } = new[]
    {
        new SentimentModel("bag of words + logistic regression", BagOfWords),
        new SentimentModel("embedding + LSTM", (split, seed) => Recurrent(new LstmSentimentNet(seed), split)),
        new SentimentModel("embedding + GRU", (split, seed) => Recurrent(new GruSentimentNet(seed), split)),
        new SentimentModel("embedding + SimpleRNN", (split, seed) => Recurrent(new SimpleRnnSentimentNet(seed), split)),
    };

    /// <summary>A stratified 80/20 split drawn with <paramref name="seed"/>, and the tokenizer fitted on its training sentences.</summary>
    public SentimentSplit Split(ulong seed)
    {
        // Dataset.StratifiedSplit works on rows of floats: split the row numbers, then look the sentences up.
        int n = _sentences.Count;
        var rows = new float[n];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            rows[i] = i;
            labels[i] = _sentences[i].Label;
        }
        var (train, test) = Dataset.WithLabels(rows, 1, labels, 2).StratifiedSplit(0.2, new SeededRandom(seed));
        LabelledSentence[] trainSentences = train.Features.Select(r => _sentences[(int)r]).ToArray();
        LabelledSentence[] testSentences = test.Features.Select(r => _sentences[(int)r]).ToArray();

        string[] trainTexts = trainSentences.Select(s => s.Text).ToArray();
        var tokenizer = new Tokenizer { MaxWords = Vocabulary, OovToken = OovToken }.Fit(trainTexts);
        return new SentimentSplit(trainTexts, trainSentences.Select(s => s.Label).ToArray(),
            testSentences.Select(s => s.Text).ToArray(), testSentences.Select(s => s.Label).ToArray(), tokenizer);
    }

    /// <summary>Runs every model in <paramref name="models"/> (default <see cref="Models"/>) on the split of every seed.</summary>
    public IReadOnlyList<ModelResult> Run(IReadOnlyList<SentimentModel>? models = null, IReadOnlyList<ulong>? seeds = null,
        Action<string>? log = null)
    {
        models ??= Models;
        seeds ??= Seeds;
        var accuracies = models.Select(_ => new List<double>()).ToArray();
        var last = new TrainedModel[models.Count];
        foreach (ulong seed in seeds)
        {
            SentimentSplit split = Split(seed);
            log?.Invoke($"seed {seed}: {split.TrainTexts.Count} training and {split.TestTexts.Count} held-out sentences, " +
                $"{split.Tokenizer.WordIndex.Count - 1} distinct training words, vocabulary {split.Tokenizer.VocabularySize} ids");
            for (int m = 0; m < models.Count; m++)
            {
                last[m] = models[m].Train(split, seed);
                accuracies[m].Add(last[m].HeldOutAccuracy);
                log?.Invoke($"  {models[m].Name}: held-out accuracy {last[m].HeldOutAccuracy:F4}");
            }
        }
        return models.Select((model, m) => new ModelResult(model.Name, accuracies[m], last[m])).ToArray();
    }

    /// <summary>Logistic regression on a multi-hot bag of words (<see cref="BagOfWordsNet"/>): 10 epochs of Adam, batches of 32.</summary>
    public static TrainedModel BagOfWords(SentimentSplit split, ulong seed)
    {
        Dataset train = BagOfWordsData(split.Tokenizer, split.TrainTexts, split.TrainLabels);
        Dataset test = BagOfWordsData(split.Tokenizer, split.TestTexts, split.TestLabels);
        var model = new BagOfWordsNet(seed);
        History history = model.Fit(train, new FitOptions { Epochs = 10, BatchSize = 32, Validation = test });
        Evaluation result = model.Evaluate(test);
        return new TrainedModel(result.Accuracy, texts =>
        {
            return model.Predict(Sequences.ToMultiHot(split.Tokenizer.TextsToSequences(texts), Vocabulary)); // any number of texts
        }, history, result.Confusion!);
    }

    /// <summary>A recurrent model (<see cref="LstmSentimentNet"/> and its GRU and SimpleRNN twins) trained for <see cref="RecurrentEpochs"/>
    /// epochs of Adam on padded word ids. Its own tokenizer maps the words seen only once in training to the OOV token, so the
    /// embedding does not spend rows on words it sees once.</summary>
    public static TrainedModel Recurrent(IModel<int> model, SentimentSplit split)
    {
        var tokenizer = new Tokenizer { MaxWords = Vocabulary, OovToken = OovToken, MinCount = 2 }.Fit(split.TrainTexts);
        Dataset train = SequenceData(tokenizer, split.TrainTexts, split.TrainLabels);
        Dataset test = SequenceData(tokenizer, split.TestTexts, split.TestLabels);
        History history = model.Fit(train, new FitOptions { Epochs = RecurrentEpochs, BatchSize = 32, Validation = test });
        Evaluation result = model.Evaluate(test);
        return new TrainedModel(result.Accuracy, texts => model.Predict(Sequences.Pad(tokenizer.TextsToSequences(texts), SentenceLength)),
            history, result.Confusion!);
    }

    /// <summary>Word ids padded to <see cref="SentenceLength"/>, kept as ids (<see cref="Dataset.TokenIds"/>), with one 0/1 target each.</summary>
    public static Dataset SequenceData(Tokenizer tokenizer, IReadOnlyList<string> texts, int[] labels)
    {
        int[] tokens = Sequences.Pad(tokenizer.TextsToSequences(texts), SentenceLength);
        return Dataset.WithTokenIds(tokens, SentenceLength, labels.Select(l => (float)l).ToArray(), 1);
    }

    /// <summary>Multi-hot rows of <see cref="Vocabulary"/> floats with one 0/1 target each, for a sigmoid output.</summary>
    public static Dataset BagOfWordsData(Tokenizer tokenizer, IReadOnlyList<string> texts, int[] labels)
    {
        float[] features = Sequences.ToMultiHot(tokenizer.TextsToSequences(texts), Vocabulary);
        return Dataset.WithTargets(features, Vocabulary, labels.Select(l => (float)l).ToArray(), 1);
    }
}


