using System.Text.Json;

namespace Unroll.Samples.Sentiment;

/// <summary>One review sentence with its label (0 negative, 1 positive) and the site it comes from (imdb, yelp, amazon).</summary>
public sealed record LabelledSentence(string Text, int Label, string Source);

/// <summary>The UCI Sentiment Labelled Sentences (see data/SOURCE.md): 1,000 sentences from each of three sites, half positive.</summary>
public static class SentimentCorpus
{
    public static readonly string[] Sources = { "imdb", "yelp", "amazon" };

    /// <summary>Reads <c>imdb.json</c>, <c>yelp.json</c> and <c>amazon.json</c> from <paramref name="dataDirectory"/>, in that order,
    /// dropping the record with a null class that ends each file.</summary>
    public static IReadOnlyList<LabelledSentence> Load(string dataDirectory)
    {
        var sentences = new List<LabelledSentence>();
        foreach (string source in Sources)
        {
            string path = Path.Combine(dataDirectory, source + ".json");
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            int index = 0;
            foreach (JsonElement record in document.RootElement.EnumerateArray())
            {
                JsonElement label = record.GetProperty("class");
                string text = record.GetProperty("text").GetString()
                    ?? throw new FormatException($"{path}: record {index} has a null text.");
                if (label.ValueKind == JsonValueKind.Null)
                {
                    if (text.Length != 0)
                        throw new FormatException($"{path}: record {index} has a null class but a text; only the empty trailing record may.");
                }
                else
                {
                    int value = label.GetInt32();
                    if (value is not (0 or 1))
                        throw new FormatException($"{path}: record {index} has class {value}; expected 0 or 1.");
                    sentences.Add(new LabelledSentence(text.Trim(), value, source));
                }
                index++;
            }
        }
        return sentences;
    }
}
