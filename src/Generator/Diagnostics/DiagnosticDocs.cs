using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace Unroll.Generator.Diagnostics
{
    /// <summary>
    /// The descriptions of the diagnostics, which the IDE shows offline: the explanation section of each page
    /// docs/diagnostics/UNRxxxx.md, as plain text. The build embeds the pages into this assembly (Unroll.Generator.csproj), so
    /// the pages are the one source of the text; <c>DiagnosticTests</c> compares every description with its page.
    /// </summary>
    internal static class DiagnosticDocs
    {
        /// <summary>The heading of the section whose paragraphs are the description.</summary>
        public const string ExplanationHeading = "## Why";

        /// <summary>The manifest name of an embedded page, followed by its file name (UNR0001.md).</summary>
        public const string ResourcePrefix = "Unroll.Generator.Docs.";

        private static readonly Regex Link = new(@"\[([^\]]+)\]\([^)]*\)");
        private static readonly Regex Strong = new(@"\*\*(\S(?:[^*]*\S)?)\*\*");
        private static readonly Regex Emphasis = new(@"(?<![\w*])\*(\S(?:[^*]*\S)?)\*(?![\w*])");

        /// <summary>The explanation on the page of <paramref name="id"/>, or <paramref name="fallback"/> if the page is not
        /// embedded or has no explanation section. Never throws: the descriptors are built from it while the compiler loads
        /// the generator.</summary>
        public static string Explanation(string id, string fallback)
        {
            try
            {
                using Stream? stream = typeof(DiagnosticDocs).Assembly.GetManifestResourceStream(ResourcePrefix + id + ".md");
                if (stream is null) return fallback;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return Explain(reader.ReadToEnd()) ?? fallback;
            }
            catch (Exception)
            {
                return fallback;
            }
        }

        /// <summary>The paragraphs under <see cref="ExplanationHeading"/> up to the next heading, as plain text: each paragraph's
        /// lines joined into one, paragraphs separated by a blank line, link targets and the marks of code spans and emphasis
        /// left out. Null if the page has no such section, or it is empty.</summary>
        public static string? Explain(string page)
        {
            string[] lines = page.Replace("\r\n", "\n").Split('\n');
            int start = Array.IndexOf(lines, ExplanationHeading);
            if (start < 0) return null;

            var paragraphs = new List<string>();
            var paragraph = new StringBuilder();
            for (int i = start + 1; i < lines.Length && !lines[i].StartsWith("#", StringComparison.Ordinal); i++)
            {
                string line = lines[i].Trim();
                if (line.Length == 0)
                {
                    Flush();
                    continue;
                }
                if (paragraph.Length > 0) paragraph.Append(' ');
                paragraph.Append(line);
            }
            Flush();
            return paragraphs.Count == 0 ? null : string.Join("\n\n", paragraphs);

            void Flush()
            {
                if (paragraph.Length == 0) return;
                string text = Link.Replace(paragraph.ToString(), "$1").Replace("`", "");
                paragraphs.Add(Emphasis.Replace(Strong.Replace(text, "$1"), "$1"));
                paragraph.Clear();
            }
        }
    }
}
