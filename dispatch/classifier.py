"""Text classifier for routing: TF-IDF over hashed character unigrams and bigrams, linear SVM.

Accepts raw Chinese text and pre-tokenised text alike: the features are taken from the text with
whitespace and punctuation removed, so "市 西湖 建筑" and "市西湖建筑" give the same vector and no word
segmenter is needed on the hot path. Hashing (2^19 buckets) keeps the model small and transform fast.
Optionally (``use_words=True``) word 1–2-grams are added: the given tokens when the text is already
space-separated, otherwise jieba's segmentation; measured slower for a small gain (docs/routing.md).
Confidence is a softmax over the SVM margins (monotone in the margin, used only against the triage
threshold).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.svm import LinearSVC

PUNCT_RE = re.compile(r"[\s\W_]+", re.UNICODE)
CJK_SPACED_RE = re.compile(r"[\u4e00-\u9fff] [\u4e00-\u9fff]")
FORMAT_VERSION = 2
N_FEATURES = 2**19


def char_text(text: str) -> str:
    return PUNCT_RE.sub("", text)


def word_text(text: str) -> str:
    if CJK_SPACED_RE.search(text):  # already tokenised
        return text
    import jieba

    jieba.setLogLevel(60)
    return " ".join(w for w in jieba.lcut(PUNCT_RE.sub(" ", text)) if w.strip())


def _identity(text):
    return text


def char_unigrams_bigrams(text: str) -> list[str]:
    grams = list(text)
    grams += map(operator.add, text, text[1:])
    return grams


@dataclass
class Prediction:
    label: str
    confidence: float
    top: list[tuple[str, float]]


class TextClassifier:
    def __init__(self, *, C: float = 1.0, use_words: bool = False):
        self.C = C
        self.use_words = use_words
        self.char_hash = HashingVectorizer(analyzer=char_unigrams_bigrams, n_features=N_FEATURES,
                                           alternate_sign=False, norm=None, dtype=np.float32)
        self.char_tfidf = TfidfTransformer(sublinear_tf=True)
        self.word_vec = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True,
                                        preprocessor=_identity, dtype=np.float32)
        self.model: LinearSVC | None = None
        self.meta: dict = {}

    def _features(self, texts: list[str], fit: bool = False):
        counts = self.char_hash.transform([char_text(t) for t in texts])
        parts = [self.char_tfidf.fit_transform(counts) if fit else self.char_tfidf.transform(counts)]
        if self.use_words:
            words = [word_text(t) for t in texts]
            parts.append(self.word_vec.fit_transform(words) if fit else self.word_vec.transform(words))
        return parts[0] if len(parts) == 1 else hstack(parts).tocsr()

    def fit(self, texts: list[str], labels: list[str], **meta) -> TextClassifier:
        if len(set(labels)) < 2:
            raise ValueError("need at least two classes to train")
        X = self._features(texts, fit=True)
        self.model = LinearSVC(C=self.C, class_weight="balanced").fit(X, labels)
        self.meta = {"format": FORMAT_VERSION, "n_train": len(texts), "classes": list(self.model.classes_), **meta}
        return self

    @property
    def classes(self) -> list[str]:
        return list(self.model.classes_)

    def predict(self, texts: list[str]) -> list[str]:
        return list(self.model.predict(self._features(texts)))

    def predict_with_confidence(self, texts: list[str], top: int = 3) -> list[Prediction]:
        scores = self.model.decision_function(self._features(texts))
        if scores.ndim == 1:  # binary
            scores = np.vstack([-scores, scores]).T
        exp = np.exp((scores - scores.max(axis=1, keepdims=True)) * 3.0)
        probs = exp / exp.sum(axis=1, keepdims=True)
        out = []
        classes = self.model.classes_
        for row in probs:
            order = np.argsort(row)[::-1][:top]
            out.append(Prediction(str(classes[order[0]]), float(row[order[0]]),
                                  [(str(classes[i]), round(float(row[i]), 4)) for i in order]))
        return out

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=3)

    @staticmethod
    def load(path: Path) -> TextClassifier:
        model = joblib.load(path)
        if not isinstance(model, TextClassifier) or model.meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"{path} is not an OpenEnforce routing model (format {FORMAT_VERSION})")
        return model
