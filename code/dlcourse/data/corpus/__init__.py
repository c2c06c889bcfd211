"""Text written for the course, and seeded generators of labeled Spanish text.

Four unrelated sources, one module each, so that a lesson depends only on the text it reads:

* :mod:`~dlcourse.data.corpus.course_text`: a small parallel corpus (Spanish and English,
  aligned sentence by sentence, grouped by topic);
* :mod:`~dlcourse.data.corpus.everyday`: template sentences filled from word categories;
* :mod:`~dlcourse.data.corpus.entities`: sentences with people, places, organizations and
  dates, tagged in the BIO scheme;
* :mod:`~dlcourse.data.corpus.reviews`: Spanish reviews labeled with their sentiment.

``from dlcourse.data import corpus`` gives all of them under one name, as lessons use it.
Introduced in lesson "Tokenization".
"""

from dlcourse.data.corpus.course_text import (
    TOPICS,
    WORD_PATTERN,
    Language,
    Topic,
    corpus_text,
    english_text,
    paragraphs,
    parallel_sentences,
    sentences,
    spanish_text,
    train_test_sentences,
    words,
)
from dlcourse.data.corpus.entities import (
    ENTITY_TYPES,
    FIRST_NAMES,
    ORGANIZATIONS,
    PLACES,
    SURNAMES,
    TaggedSentence,
    tagged_sentences,
)
from dlcourse.data.corpus.everyday import WORD_CATEGORIES, everyday_sentences
from dlcourse.data.corpus.reviews import (
    SENTIMENT_LABELS,
    Review,
    adjective_forms,
    inflect,
    review_texts,
    reviews,
)

__all__ = [
    "adjective_forms",
    "ENTITY_TYPES",
    "FIRST_NAMES",
    "ORGANIZATIONS",
    "PLACES",
    "SENTIMENT_LABELS",
    "SURNAMES",
    "TOPICS",
    "WORD_CATEGORIES",
    "WORD_PATTERN",
    "Language",
    "Review",
    "TaggedSentence",
    "Topic",
    "corpus_text",
    "english_text",
    "everyday_sentences",
    "inflect",
    "paragraphs",
    "parallel_sentences",
    "review_texts",
    "reviews",
    "sentences",
    "spanish_text",
    "tagged_sentences",
    "train_test_sentences",
    "words",
]
