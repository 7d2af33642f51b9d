"""Keras 2's text preprocessing, transcribed (Keras 3 and this machine's Python have no keras.preprocessing.text), run on a
small corpus to give Unroll.Text.Tokenizer / Sequences.Pad golden ids: tests/Unroll.Runtime.Tests/Goldens/text.json.

Transcribed from keras 2.15 keras/src/preprocessing/text.py (text_to_word_sequence, Tokenizer.fit_on_texts,
texts_to_sequences_generator, sequences_to_matrix(mode="binary")) and keras/src/utils/data_utils.py (pad_sequences),
keeping their order of operations: lower, filter to spaces, split on " ", count in an OrderedDict, stable sort by count,
oov_token first at id 1, ids >= num_words become the oov id or are dropped. No torch needed.
Run: /usr/bin/python3 tools/reference/text_reference.py
"""
from collections import OrderedDict

from golden import write_golden

FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def text_to_word_sequence(text, filters=FILTERS, lower=True, split=" "):
    if lower:
        text = text.lower()
    text = text.translate(str.maketrans({c: split for c in filters}))
    return [w for w in text.split(split) if w]


class Tokenizer:
    def __init__(self, num_words=None, oov_token=None):
        self.num_words = num_words
        self.oov_token = oov_token
        self.word_counts = OrderedDict()

    def fit_on_texts(self, texts):
        for text in texts:
            for w in text_to_word_sequence(text):
                self.word_counts[w] = self.word_counts.get(w, 0) + 1
        wcounts = list(self.word_counts.items())
        wcounts.sort(key=lambda x: x[1], reverse=True)  # stable: ties keep first-seen order
        sorted_voc = [] if self.oov_token is None else [self.oov_token]
        sorted_voc.extend(wc[0] for wc in wcounts)
        self.word_index = dict(zip(sorted_voc, range(1, len(sorted_voc) + 1)))

    def texts_to_sequences(self, texts):
        num_words = self.num_words
        oov_index = self.word_index.get(self.oov_token)
        result = []
        for text in texts:
            vect = []
            for w in text_to_word_sequence(text):
                i = self.word_index.get(w)
                if i is not None:
                    if num_words and i >= num_words:
                        if oov_index is not None:
                            vect.append(oov_index)
                    else:
                        vect.append(i)
                elif self.oov_token is not None:
                    vect.append(oov_index)
            result.append(vect)
        return result


def pad_sequences(sequences, maxlen, padding="pre", truncating="pre", value=0):
    out = []
    for s in sequences:
        if not len(s):
            out.append([value] * maxlen)
            continue
        trunc = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        fill = [value] * (maxlen - len(trunc))
        out.append(fill + list(trunc) if padding == "pre" else list(trunc) + fill)
    return [v for row in out for v in row]


def sequences_to_matrix(sequences, num_words):
    rows = []
    for seq in sequences:
        row = [0.0] * num_words
        for j in seq:
            if j >= num_words:
                continue
            row[j] = 1.0
        rows.append(row)
    return [v for row in rows for v in row]


# Three labelled sentences of the UCI set (samples/Sentiment/data) and some made-up ones with ties, punctuation and case.
FIT = [
    "Wow... Loved this place.",
    "Crust is not good.",
    "Not tasty and the texture was just nasty.",
    "The food, the service -- and the PLACE: all good!",
    "Would not go back; the service was slow.",
    "It's good, it's cheap, it's back.",
]
APPLY = [
    "The place was good, not nasty!",
    "Never been here; it's new.",
    "",
    "good good good good good good good good good good good good",
]

cases = []
for num_words, oov_token in [(None, None), (None, "<OOV>"), (8, None), (8, "<OOV>")]:
    tok = Tokenizer(num_words=num_words, oov_token=oov_token)
    tok.fit_on_texts(FIT)
    seqs = tok.texts_to_sequences(APPLY)
    vocabulary = len(tok.word_index) + 1 if num_words is None else min(len(tok.word_index) + 1, num_words)
    cases.append({
        "num_words": num_words,
        "oov_token": oov_token,
        "word_index": tok.word_index,
        "sequences": seqs,
        "vocabulary_size": vocabulary,
        "padded": {f"{p}_{t}": pad_sequences(seqs, 6, p, t) for p in ("pre", "post") for t in ("pre", "post")},
        "multi_hot": sequences_to_matrix(seqs, vocabulary),
    })

write_golden("text.json", {"fit": FIT, "apply": APPLY, "pad_length": 6, "cases": cases})
