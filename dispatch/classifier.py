"""Text classifier for routing: TF-IDF over character 1–3-grams and word 1–2-grams, linear SVM.

Accepts raw Chinese text and pre-tokenised text alike: character n-grams are taken from the text with
whitespace and punctuation removed (identical for both forms); words are the given tokens when the
text is already space-separated, otherwise jieba's segmentation. Confidence is a softmax over the SVM
margins (monotone in the margin, used only against the triage threshold).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

PUNCT_RE = re.compile(r"[\s\W_]+", re.UNICODE)
CJK_SPACED_RE = re.compile(r"[\u4e00-\u9fff] [\u4e00-\u9fff]")
FORMAT_VERSION = 1


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


@dataclass
class Prediction:
    label: str
    confidence: float
    top: list[tuple[str, float]]


class TextClassifier:
    def __init__(self, *, C: float = 1.0, use_words: bool = True):
        self.C = C
        self.use_words = use_words
        self.char_vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2,
                                        preprocessor=_identity, dtype=np.float32)
        self.word_vec = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True,
                                        preprocessor=_identity, dtype=np.float32)
        self.model: LinearSVC | None = None
        self.meta: dict = {}

    def _features(self, texts: list[str], fit: bool = False):
        chars = [char_text(t) for t in texts]
        parts = [self.char_vec.fit_transform(chars) if fit else self.char_vec.transform(chars)]
        if self.use_words:
            words = [word_text(t) for t in texts]
            parts.append(self.word_vec.fit_transform(words) if fit else self.word_vec.transform(words))
        return hstack(parts).tocsr()

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
