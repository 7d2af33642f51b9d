using System;
using System.Globalization;
using System.IO;

namespace Unroll
{
    /// <summary>
    /// Reads the CSV format of the small tables scikit-learn ships in <c>sklearn/datasets/data/</c> (iris, wine, breast cancer),
    /// what <c>sklearn.datasets.load_iris()</c> and its siblings parse:
    /// <code>
    /// rows,features,class name 0,class name 1,...
    /// feature 1,...,feature k,label
    /// ...
    /// </code>
    /// Numbers use the invariant culture. Empty lines are skipped. Any other deviation is a <see cref="FormatException"/>
    /// whose message starts with <c>file, line L, column C:</c> (both 1-based; a column is a comma-separated field).
    /// </summary>
    public static class TabularCsv
    {
        /// <summary>Loads a labelled <see cref="Dataset"/> from a file in the scikit-learn format; <see cref="Dataset.ClassCount"/> is the number of class names in the header.</summary>
        /// <exception cref="FormatException">The file does not follow the format; the message names the file, line and column.</exception>
        public static Dataset LoadSklearn(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            using var reader = new StreamReader(path);
            return ReadSklearn(reader, path);
        }

        /// <summary>The class names listed in the header of a file in the scikit-learn format (<c>load_iris().target_names</c>).</summary>
        /// <exception cref="FormatException">The header does not follow the format.</exception>
        public static string[] ClassNames(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            using var reader = new StreamReader(path);
            return ReadHeader(reader, path).ClassNames;
        }

        /// <summary>Reads a labelled <see cref="Dataset"/> in the scikit-learn format from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
        /// <exception cref="FormatException">The text does not follow the format; the message names the source, line and column.</exception>
        public static Dataset ReadSklearn(TextReader reader, string source)
        {
            ArgumentNullException.ThrowIfNull(reader);
            ArgumentNullException.ThrowIfNull(source);
            Header header = ReadHeader(reader, source);
            int rows = header.Rows, featureCount = header.Features, classCount = header.ClassNames.Length;
            var features = new float[rows * featureCount];
            var labels = new int[rows];

            int lineNumber = header.Line;
            int row = 0;
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                lineNumber++;
                if (line.Length == 0) continue;
                if (row == rows)
                    throw Error(source, lineNumber, 1,
                        $"found more than the {rows} data rows the header (line {header.Line}, column 1) declares.");

                int columns = CountColumns(line);
                if (columns != featureCount + 1)
                    throw Error(source, lineNumber, columns > featureCount + 1 ? featureCount + 2 : columns + 1,
                        $"expected {featureCount + 1} columns ({featureCount} features and the label), found {columns}.");

                ReadOnlySpan<char> rest = line;
                for (int column = 1; column <= featureCount + 1; column++)
                {
                    int comma = rest.IndexOf(',');
                    ReadOnlySpan<char> field = comma < 0 ? rest : rest[..comma];
                    rest = comma < 0 ? ReadOnlySpan<char>.Empty : rest[(comma + 1)..];
                    if (column <= featureCount)
                    {
                        if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                            throw Error(source, lineNumber, column, $"'{field.ToString()}' is not a finite number.");
                        features[row * featureCount + column - 1] = value;
                    }
                    else
                    {
                        if (!int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out int label))
                            throw Error(source, lineNumber, column, $"the label '{field.ToString()}' is not an integer.");
                        if ((uint)label >= (uint)classCount)
                            throw Error(source, lineNumber, column,
                                $"the label {label} is outside [0, {classCount}) (the header names {classCount} classes).");
                        labels[row] = label;
                    }
                }
                row++;
            }
            if (row != rows)
                throw Error(source, lineNumber + 1, 1,
                    $"the file ends after {row} data rows; the header (line {header.Line}, column 1) declares {rows}.");
            return Dataset.WithLabels(features, featureCount, labels, classCount);
        }

        private readonly record struct Header(int Line, int Rows, int Features, string[] ClassNames);

        private static Header ReadHeader(TextReader reader, string source)
        {
            int lineNumber = 0;
            string? line;
            do
            {
                line = reader.ReadLine();
                lineNumber++;
                if (line is null)
                    throw Error(source, lineNumber, 1, "the file is empty; expected the header 'rows,features,class names...'.");
            }
            while (line.Length == 0);

            string[] fields = line.Split(',');
            if (fields.Length < 3)
                throw Error(source, lineNumber, fields.Length + 1,
                    $"the header has {fields.Length} columns; expected 'rows,features,' and at least one class name.");
            int rows = ParseCount(fields[0], source, lineNumber, 1, "row count", 0);
            int featureCount = ParseCount(fields[1], source, lineNumber, 2, "feature count", 1);
            if ((long)rows * featureCount > Array.MaxLength)
                throw Error(source, lineNumber, 1, $"{rows} rows x {featureCount} features is too large for one array.");
            var names = new string[fields.Length - 2];
            for (int i = 0; i < names.Length; i++)
            {
                names[i] = fields[i + 2].Trim();
                if (names[i].Length == 0)
                    throw Error(source, lineNumber, i + 3, "a class name is empty.");
            }
            return new Header(lineNumber, rows, featureCount, names);
        }

        private static int ParseCount(string field, string source, int line, int column, string what, int minimum)
        {
            if (!int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < minimum)
                throw Error(source, line, column, $"the header's {what} '{field}' is not an integer >= {minimum}.");
            return value;
        }

        private static int CountColumns(string line)
        {
            int count = 1;
            foreach (char c in line)
            {
                if (c == ',') count++;
            }
            return count;
        }

        private static FormatException Error(string source, int line, int column, string message) =>
            new FormatException(string.Create(CultureInfo.InvariantCulture, $"{source}, line {line}, column {column}: {message}"));
    }
}
