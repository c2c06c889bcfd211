# ---
# jupyter:
#   lesson:
#     title:
#       es: Tokenización
#       en: Tokenization
#     summary:
#       es: Caracteres, palabras y subpalabras; un tokenizador BPE escrito desde cero y entrenado con el corpus del curso, comparado en español e inglés.
#       en: Characters, words and subwords; a BPE tokenizer written from scratch and trained on the course corpus, compared in Spanish and English.
#     order: 20
#     budget_cpu_s: 90
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Convertir texto en una secuencia de enteros con tres granularidades: caracteres, palabras y subpalabras.
#     - Entender el compromiso entre el tamaño del vocabulario, la longitud de las secuencias y las palabras desconocidas.
#     - Entrenar desde cero un tokenizador BPE (*byte-pair encoding*) sobre bytes UTF-8 y comprobar que decodifica exactamente lo que codifica.
#     - Comparar cómo se comportan el español y el inglés con el mismo tokenizador.
#
# Nota conceptual: [tokenización](../concepts/tokenization.md). Referencia de la API: [`dlcourse.text.tokenizers`](../api/text/tokenizers.md) y [`dlcourse.data.corpus`](../api/data/corpus.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Turn text into a sequence of integers at three granularities: characters, words and subwords.
#     - Understand the trade-off between vocabulary size, sequence length and unknown words.
#     - Train a BPE (byte-pair encoding) tokenizer from scratch on UTF-8 bytes and check that it decodes exactly what it encodes.
#     - Compare how Spanish and English behave under the same tokenizer.
#
# Concept note: [tokenization](../concepts/tokenization.md). API reference: [`dlcourse.text.tokenizers`](../api/text/tokenizers.md) and [`dlcourse.data.corpus`](../api/data/corpus.md).

# %% [markdown] lang="es"
# ## La idea
#
# Una red neuronal no lee letras: recibe números. Antes de nada hay que cortar el texto en unidades, los **tokens**, y asignar a cada uno un entero de un vocabulario $\mathcal{V}$. Un tokenizador es un par de funciones
#
# $$
# \text{encode}: \text{texto} \to (t_1, \dots, t_n) \in \{0, \dots, |\mathcal{V}| - 1\}^n, \qquad \text{decode}: (t_1, \dots, t_n) \to \text{texto},
# $$
#
# y la granularidad decide dos números que tiran en sentidos opuestos: el tamaño del vocabulario $|\mathcal{V}|$ (cuántas filas tendrá la tabla de incrustaciones y cuántas clases la capa de salida) y la longitud $n$ de las secuencias (cuántos pasos tendrá que dar una red recurrente, o cuánto cuesta la atención, que crece como $n^2$).
#
# - **Caracteres**: vocabulario diminuto, secuencias largas, casi nunca hay un símbolo desconocido.
# - **Palabras**: secuencias cortas, pero el vocabulario es enorme y toda palabra que no se vio al entrenar se convierte en `<unk>`. En español, con sus conjugaciones y sus formas de género y número, el problema es mayor.
# - **Subpalabras**: un punto intermedio que se *aprende* de los datos. Las palabras frecuentes acaban siendo un solo token; las raras se escriben con varios trozos.
#
# **BPE** ([Sennrich et al., 2016](https://arxiv.org/abs/1508.07909)) construye ese vocabulario de forma voraz. Parte de los 256 valores posibles de un byte y repite $K$ veces: cuenta los pares de tokens adyacentes en el corpus y fusiona el más frecuente en un token nuevo,
#
# $$
# (a^\star, b^\star) = \arg\max_{(a, b)} \operatorname{count}(a, b), \qquad ab \text{ pasa a ser el token } 256 + k .
# $$
#
# Cada fusión añade un token al vocabulario ($|\mathcal{V}| = 256 + K$) y acorta el corpus en $\operatorname{count}(a^\star, b^\star)$ tokens. Como la base son bytes, cualquier texto se puede codificar (no existe `<unk>`) y decodificar devuelve exactamente el original. Antes de contar, el texto se corta en fragmentos (una palabra con su espacio inicial, un grupo de signos de puntuación) y las fusiones nunca cruzan esos límites.

# %% [markdown] lang="en"
# ## The idea
#
# A neural network does not read letters: it receives numbers. First the text has to be cut into units, the **tokens**, and each token assigned an integer from a vocabulary $\mathcal{V}$. A tokenizer is a pair of functions
#
# $$
# \text{encode}: \text{text} \to (t_1, \dots, t_n) \in \{0, \dots, |\mathcal{V}| - 1\}^n, \qquad \text{decode}: (t_1, \dots, t_n) \to \text{text},
# $$
#
# and the granularity sets two numbers that pull in opposite directions: the vocabulary size $|\mathcal{V}|$ (how many rows the embedding table will have and how many classes the output layer) and the sequence length $n$ (how many steps a recurrent network must take, or how much attention costs, which grows as $n^2$).
#
# - **Characters**: a tiny vocabulary, long sequences, almost never an unknown symbol.
# - **Words**: short sequences, but the vocabulary is huge and every word not seen during training becomes `<unk>`. In Spanish, with its verb conjugations and gender and number forms, the problem is worse.
# - **Subwords**: a middle ground that is *learned* from data. Frequent words end up as a single token; rare ones are spelled with several pieces.
#
# **BPE** ([Sennrich et al., 2016](https://arxiv.org/abs/1508.07909)) builds that vocabulary greedily. It starts from the 256 possible byte values and repeats $K$ times: count the pairs of adjacent tokens in the corpus and merge the most frequent one into a new token,
#
# $$
# (a^\star, b^\star) = \arg\max_{(a, b)} \operatorname{count}(a, b), \qquad ab \text{ becomes token } 256 + k .
# $$
#
# Each merge adds one token to the vocabulary ($|\mathcal{V}| = 256 + K$) and shortens the corpus by $\operatorname{count}(a^\star, b^\star)$ tokens. Since the base is bytes, any text can be encoded (there is no `<unk>`) and decoding gives back exactly the original. Before counting, the text is cut into chunks (a word with its leading space, a run of punctuation marks) and merges never cross those boundaries.

# %% [markdown] lang="es"
# ## El corpus
#
# No hay red, así que el texto lo hemos escrito nosotros: {{ value: words_total_es }} palabras en español y {{ value: words_total_en }} en inglés sobre la vida diaria y sobre el propio curso, alineadas frase a frase entre español e inglés ([`dlcourse.data.corpus`](../api/data/corpus.md)). Una de cada cinco frases se reserva como texto de prueba, la misma en los dos idiomas, para medir cómo se comporta cada tokenizador con texto que no vio al entrenar.

# %% [markdown] lang="en"
# ## The corpus
#
# There is no network, so we wrote the text ourselves: {{ value: words_total_es }} words in Spanish and {{ value: words_total_en }} in English about everyday life and about the course itself, aligned sentence by sentence between Spanish and English ([`dlcourse.data.corpus`](../api/data/corpus.md)). One sentence in five is held out as test text, the same in both languages, to measure how each tokenizer copes with text it did not see during training.

# %%
from collections import Counter

from dlcourse.bilingual import align, claim, number, percent, publish, quote, tr
from dlcourse.data import corpus
from dlcourse.plotting import new_figure, set_alt
from dlcourse.runtime import seed_all
from dlcourse.text.tokenizers import (
    BPETokenizer,
    Vocabulary,
    char_tokenize,
    word_tokenize,
)

seed_all(0)
LANGS = ("es", "en")
LANG_NAME = {
    "es": tr(es="español", en="Spanish"),
    "en": tr(es="inglés", en="English"),
}
splits = {lang: corpus.train_test_sentences(lang) for lang in LANGS}
train_text = {lang: " ".join(train) for lang, (train, _) in splits.items()}
test_text = {lang: " ".join(test) for lang, (_, test) in splits.items()}
test_words = {lang: len(word_tokenize(test_text[lang])) for lang in LANGS}
for lang in LANGS:
    text = train_text[lang]
    n_train, n_test = len(splits[lang][0]), len(splits[lang][1])
    n_words = len(word_tokenize(text))
    print(
        f"{LANG_NAME[lang]}: "
        + tr(
            es=f"{n_train} frases de entrenamiento, {n_test} de prueba",
            en=f"{n_train} training sentences, {n_test} test sentences",
        )
    )
    print(
        tr(
            es=f"    texto de entrenamiento: {n_words} palabras, "
            f"{len(text)} caracteres, {len(text.encode('utf-8'))} bytes UTF-8",
            en=f"    training text: {n_words} words, {len(text)} characters, "
            f"{len(text.encode('utf-8'))} UTF-8 bytes",
        )
    )
    publish(f"train_words_{lang}", n_words)
    publish(f"words_total_{lang}", n_words + test_words[lang])

# %% [markdown] lang="es"
# ## Tres maneras de cortar una frase
#
# La misma frase en caracteres, en palabras (con la puntuación aparte y en minúsculas) y en los bytes UTF-8 que la representan. Las letras acentuadas ocupan dos bytes {{ claim: accents_two_bytes }}.

# %% [markdown] lang="en"
# ## Three ways to cut a sentence
#
# The same sentence as characters, as words (punctuation split off, lowercased) and as the UTF-8 bytes that represent it. Accented letters take two bytes {{ claim: accents_two_bytes }}.

# %%
sentence = "Arreglar un grifo que gotea es más fácil de lo que parece."
chars = char_tokenize(sentence)
chars_label = tr(es="caracteres", en="characters")
print(f"{chars_label} ({len(chars)}):", chars[:20], "…")
words = word_tokenize(sentence)
print(f"{tr(es='palabras', en='words')} ({len(words)}):", words)
utf8 = list(sentence.encode("utf-8"))
print(f"bytes ({len(utf8)}):", utf8[:20], "…")
print(
    tr(es="'á' en bytes:", en="'á' as bytes:"),
    list("á".encode()),
    tr(es="· 'a' en bytes:", en="· 'a' as bytes:"),
    list(b"a"),
)
accented = [c for c in sentence if c in "áéíóúñ"]
claim(
    "accents_two_bytes",
    accented
    and all(len(c.encode()) == 2 for c in accented)
    and len(utf8) == len(chars) + len(accented),
    es="cada letra acentuada de la frase ocupa dos bytes; el resto, uno",
    en="each accented letter of the sentence takes two bytes; the rest, one",
)

# %% [markdown] lang="es"
# ## Vocabularios cerrados: palabras y caracteres
#
# Construimos un vocabulario de palabras y otro de caracteres con el texto de entrenamiento ([`Vocabulary`](../api/text/tokenizers.md)) y contamos qué parte del texto de prueba queda fuera.

# %% [markdown] lang="en"
# ## Closed vocabularies: words and characters
#
# We build a word vocabulary and a character vocabulary from the training text ([`Vocabulary`](../api/text/tokenizers.md)) and count how much of the test text falls outside them.

# %%
LEVEL_NAME = {
    "word": tr(es="palabras", en="words"),
    "char": tr(es="caracteres", en="characters"),
}
closed = {}  # (lang, level) -> (vocabulary size, test tokens, unknown share)
unseen = {}  # lang -> distinct test words missing from the word vocabulary
for lang in LANGS:
    for level, split_fn in (("word", word_tokenize), ("char", char_tokenize)):
        vocab = Vocabulary.build(split_fn(train_text[lang]))
        test_tokens = split_fn(test_text[lang])
        unknown = vocab.unknown_rate(test_tokens)
        closed[lang, level] = (len(vocab), len(test_tokens), unknown)
        print(
            f"{align(LANG_NAME[lang], 7, '<')} "
            f"{align(LEVEL_NAME[level], 10, '<')} "
            + tr(es="vocabulario", en="vocabulary")
            + f" {len(vocab):>5} · "
            + tr(es="tokens de prueba", en="test tokens")
            + f" {len(test_tokens):>5} · "
            + tr(es="desconocidos", en="unknown")
            + f" {align(percent(unknown, 2), 7)}"
        )
    word_vocab = Vocabulary.build(word_tokenize(train_text[lang]))
    missing = {w for w in word_tokenize(test_text[lang]) if w not in word_vocab}
    unseen[lang] = sorted(missing)
    shown = ", ".join(quote(w) for w in unseen[lang][:8])
    print(
        "   "
        + tr(
            es=f"{len(unseen[lang])} palabras desconocidas distintas, p. ej.:",
            en=f"{len(unseen[lang])} distinct unknown words, e.g.:",
        ),
        shown,
    )
for lang in LANGS:
    size, n_tokens, unknown = closed[lang, "word"]
    publish(f"word_vocab_{lang}", size)
    publish(f"word_unknown_{lang}", percent(unknown))
    size, n_tokens, unknown = closed[lang, "char"]
    publish(f"char_vocab_{lang}", size)
    publish(f"char_unknown_{lang}", percent(unknown, 2))
    publish(f"char_per_word_{lang}", n_tokens / test_words[lang], ".2f")
train_vocab_es = set(word_tokenize(train_text["es"]))
verb_forms = ("cantaron", "trabajaba")
claim(
    "word_vocab_large",
    all(closed[lang, "word"][0] > 1000 for lang in LANGS)
    and all(0.1 < closed[lang, "word"][2] < 0.3 for lang in LANGS),
    es="cada vocabulario de palabras supera las mil entradas y deja fuera "
    "entre un 10 % y un 30 % de las palabras de prueba",
    en="each word vocabulary has over a thousand entries and misses "
    "between 10% and 30% of the test words",
)
claim(
    "spanish_more_unknown",
    closed["es", "word"][2] > closed["en", "word"][2],
    es="la proporción de palabras desconocidas es mayor en español",
    en="the share of unknown words is higher in Spanish",
)
relatives = train_vocab_es - set(verb_forms)
stems_seen = [any(w[:5] == form[:5] for w in relatives) for form in verb_forms]
claim(
    "unseen_verb_forms",
    all(form in unseen["es"] for form in verb_forms) and all(stems_seen),
    es="«cantaron» y «trabajaba» faltan en el vocabulario, pero otras formas "
    "del mismo verbo están en el texto de entrenamiento",
    en="«cantaron» and «trabajaba» are missing from the vocabulary, but other "
    "forms of the same verb are in the training text",
)
claim(
    "chars_tiny_but_long",
    all(closed[lang, "char"][0] < 100 for lang in LANGS)
    and all(closed[lang, "char"][2] < 0.01 for lang in LANGS)
    and all(closed[lang, "char"][1] > 4 * test_words[lang] for lang in LANGS),
    es="los vocabularios de caracteres tienen menos de 100 símbolos, dejan "
    "fuera menos de un 1 % y cuestan más de cuatro tokens por palabra",
    en="the character vocabularies have fewer than 100 symbols, miss less "
    "than 1% and cost more than four tokens per word",
)

# %% [markdown] lang="es"
# ## Entrenar BPE
#
# [`BPETokenizer.train`](../api/text/tokenizers.md) aprende hasta 1000 fusiones con el texto de entrenamiento de cada idioma. Imprimimos las primeras y las últimas (el símbolo `▁` marca un espacio inicial) y comprobamos que decodificar el texto de prueba codificado devuelve exactamente el texto original {{ claim: round_trip }}.

# %% [markdown] lang="en"
# ## Training BPE
#
# [`BPETokenizer.train`](../api/text/tokenizers.md) learns up to 1,000 merges from each language's training text. We print the first and the last ones (the symbol `▁` marks a leading space) and check that decoding the encoded test text gives back exactly the original text {{ claim: round_trip }}.

# %%
N_MERGES = 1000
bpe = {lang: BPETokenizer.train(train_text[lang], N_MERGES) for lang in LANGS}
round_trips = {}
last_tokens = {}
for lang, tokenizer in bpe.items():
    text_of = tokenizer.token_text
    merges = [f"{text_of(a)}+{text_of(b)}" for a, b in tokenizer.merges]
    n_merges, size = len(tokenizer.merges), tokenizer.vocab_size
    last_ids = range(256 + n_merges - 10, 256 + n_merges)
    last_tokens[lang] = [text_of(i) for i in last_ids]
    print(
        f"{LANG_NAME[lang]}: "
        + tr(
            es=f"vocabulario {size} (256 bytes + {n_merges} fusiones)",
            en=f"vocabulary {size} (256 bytes + {n_merges} merges)",
        )
    )
    first_label = tr(es="primeras fusiones:", en="first merges:")
    print(f"   {align(first_label, 19, '<')}", quote(", ".join(merges[:10])))
    last_label = tr(es="últimos tokens:", en="last tokens:")
    last_shown = quote(", ".join(last_tokens[lang]))
    print(f"   {align(last_label, 19, '<')}", last_shown)
    counts = tokenizer.merge_counts
    print(
        "   "
        + tr(
            es=f"frecuencia del par en la fusión 1: {counts[0]} · "
            f"en la fusión {n_merges}: {counts[-1]}",
            en=f"count of the merged pair at merge 1: {counts[0]} · "
            f"at merge {n_merges}: {counts[-1]}",
        )
    )
    decoded = tokenizer.decode(tokenizer.encode(test_text[lang]))
    round_trips[lang] = decoded == test_text[lang]
    print(
        "   "
        + tr(
            es="decode(encode(prueba)) == prueba:",
            en="decode(encode(test)) == test:",
        ),
        round_trips[lang],
    )
    publish(f"first_merges_{lang}", ", ".join(merges[:3]))
    publish(f"first_count_{lang}", counts[0])
    publish(f"last_count_{lang}", counts[-1])
claim(
    "round_trip",
    all(round_trips.values()),
    es="en los dos idiomas, decodificar el texto de prueba codificado "
    "devuelve exactamente el original, carácter a carácter",
    en="in both languages, decoding the encoded test text gives back "
    "exactly the original text, character by character",
)

# %% [markdown] lang="es"
# ## Dónde corta BPE
#
# Segmentamos una frase de prueba de cada idioma y dos frases inventadas con palabras que no aparecen en el corpus. El último ejemplo pasa una frase en español por el tokenizador entrenado en inglés.

# %% [markdown] lang="en"
# ## Where BPE cuts
#
# We segment one test sentence per language and two invented sentences with words that do not appear in the corpus. The last example feeds a Spanish sentence to the tokenizer trained on English.

# %%
invented_es = "Los investigadores entrenaríamos redes neuronales gigantescas."
examples = [
    ("es", splits["es"][1][3]),
    ("es", invented_es),
    ("en", splits["en"][1][3]),
    ("en", "The researchers were retraining gigantic neural networks."),
    ("en", "El niño come piña."),
    ("es", "El niño come piña."),
]
for lang, text in examples:
    tokens = bpe[lang].encode(text)
    label = tr(
        es=f"[tokenizador {LANG_NAME[lang]}, {len(tokens)} tokens]",
        en=f"[{LANG_NAME[lang]} tokenizer, {len(tokens)} tokens]",
    )
    print(label, quote(bpe[lang].segment(text)))
rare_ids = bpe["es"].encode(" entrenaríamos")  # as inside a sentence
rare_pieces = [bpe["es"].token_text(i) for i in rare_ids]
publish("rare_segmented", "|".join(rare_pieces))
en_on_spanish = [bpe["en"].token_text(i) for i in bpe["en"].encode("niño")]
first_word = splits["es"][1][3].split()[0]
at_start = bpe["es"].segment(first_word)
after_space = bpe["es"].segment(" " + first_word)
publish("start_chunk", at_start)
publish("space_chunk", after_space)

# %% [markdown] lang="es"
# ## Fusiones, vocabulario y longitud
#
# Un tokenizador con $K$ fusiones es el mismo con solo sus $K$ primeras ([`truncated`](../api/text/tokenizers.md)). Así recorremos toda la curva con un único entrenamiento: para cada $K$ codificamos el texto de prueba y medimos los tokens por palabra. Los vocabularios de palabras y de caracteres aparecen como dos puntos en el mismo gráfico.

# %% [markdown] lang="en"
# ## Merges, vocabulary and length
#
# A tokenizer with $K$ merges is the same one with only its first $K$ ([`truncated`](../api/text/tokenizers.md)). So a single training run gives the whole curve: for each $K$ we encode the test text and measure tokens per word. The word and character vocabularies appear as two points in the same plot.

# %%
merge_grid = [0, 25, 50, 100, 200, 400, 700, 1000]
tokens_per_word = {}
for lang in LANGS:
    cut = [bpe[lang].truncated(k) for k in merge_grid]
    lengths = [len(tokenizer.encode(test_text[lang])) for tokenizer in cut]
    tokens_per_word[lang] = [n / test_words[lang] for n in lengths]
    shown = " ".join(number(v, ".2f") for v in tokens_per_word[lang])
    print(
        tr(
            es=f"{LANG_NAME[lang]}, tokens BPE por palabra de prueba:",
            en=f"{LANG_NAME[lang]}, BPE tokens per test word:",
        ),
        shown,
    )

colors = {"es": "#D55E00", "en": "#0072B2"}
fig, (ax_len, ax_freq) = new_figure(ncols=2, width=5.4)
for lang in LANGS:
    ax_len.plot(
        [256 + k for k in merge_grid],
        tokens_per_word[lang],
        marker="o",
        color=colors[lang],
        label=f"BPE, {LANG_NAME[lang]}",
    )
    for level, marker in (("char", "s"), ("word", "^")):
        size, n_tokens, _ = closed[lang, level]
        point = (size, n_tokens / test_words[lang])
        ax_len.scatter(*point, marker=marker, s=60, color=colors[lang])
        ax_len.annotate(
            f"{LEVEL_NAME[level]}, {LANG_NAME[lang]}",
            point,
            textcoords="offset points",
            ha="left" if level == "char" else "right",
            xytext=(6 if level == "char" else -6, 4 if lang == "es" else -12),
            fontsize=9,
        )
    counts = bpe[lang].merge_counts
    ax_freq.plot(
        range(1, len(counts) + 1),
        counts,
        color=colors[lang],
        label=LANG_NAME[lang],
    )
ax_len.set(
    title=tr(es="Vocabulario y longitud", en="Vocabulary and length"),
    xlabel=tr(es="tamaño del vocabulario", en="vocabulary size"),
    ylabel=tr(es="tokens por palabra", en="tokens per word"),
    xscale="log",
    ylim=(0.6, None),
)
ax_len.legend()
ax_freq.set(
    title=tr(es="Frecuencia del par fusionado", en="Merged pair count"),
    xlabel=tr(es="fusión", en="merge"),
    ylabel=tr(es="apariciones", en="occurrences"),
    yscale="log",
)
ax_freq.legend()
tpw_es, tpw_en = tokens_per_word["es"], tokens_per_word["en"]
start_es, start_en = number(tpw_es[0], ".1f"), number(tpw_en[0], ".1f")
end_es, end_en = number(tpw_es[-1], ".2f"), number(tpw_en[-1], ".2f")
last_count = bpe["es"].merge_counts[-1]
set_alt(
    fig,
    es="Izquierda: tokens por palabra del texto de prueba frente al tamaño "
    "del vocabulario, en escala logarítmica. Las curvas BPE bajan de "
    f"{start_es} (español) y {start_en} (inglés) bytes por palabra a "
    f"{end_es} y {end_en} tokens con {N_MERGES} fusiones; los caracteres "
    "quedan arriba a la izquierda y las palabras, a la derecha con un token "
    "por palabra. Derecha: la frecuencia del par fusionado cae de cientos "
    f"de apariciones a solo {last_count} al final.",
    en="Left: tokens per test word against vocabulary size, on a log scale. "
    f"The BPE curves fall from {start_es} (Spanish) and {start_en} (English) "
    f"bytes per word to {end_es} and {end_en} tokens after {N_MERGES} "
    "merges; characters sit top left and words on the right at one token "
    "per word. Right: the merged pair's count falls from hundreds of "
    f"occurrences to only {last_count} at the end.",
)
k100, k700 = merge_grid.index(100), merge_grid.index(700)
for lang in LANGS:
    publish(f"bpe_per_word_{lang}", tokens_per_word[lang][-1], ".2f")
claim(
    "early_merges_cut_most",
    all(
        tokens_per_word[lang][0] - tokens_per_word[lang][k100]
        > 5 * (tokens_per_word[lang][k700] - tokens_per_word[lang][-1])
        for lang in LANGS
    ),
    es="las 100 primeras fusiones acortan el texto de prueba más de cinco "
    "veces lo que lo acortan las 300 últimas",
    en="the first 100 merges shorten the test text by more than five "
    "times as much as the last 300 merges do",
)
claim(
    "last_merges_rare",
    all(max(bpe[lang].merge_counts[-100:]) <= 3 for lang in LANGS),
    es="cada una de las 100 últimas fusiones une un par visto tres veces "
    "o menos en el texto de entrenamiento",
    en="each of the last 100 merges joins a pair seen three times or "
    "fewer in the whole training text",
)
claim(
    "last_tokens_words",
    all(sum(t.startswith("▁") for t in last_tokens[k]) >= 5 for k in LANGS),
    es="en cada idioma, la mitad o más de los diez últimos tokens "
    "empiezan una palabra (llevan el ▁ del espacio inicial)",
    en="in each language, half or more of the last ten tokens start a "
    "word (they carry the ▁ of the leading space)",
)
claim(
    "spanish_longer",
    all(e > n for e, n in zip(tpw_es, tpw_en, strict=True)),
    es="con cualquier número de fusiones de la rejilla, el español "
    "necesita más tokens por palabra que el inglés",
    en="for every number of merges in the grid, Spanish needs more "
    "tokens per word than English does",
)
claim(
    "rare_word_pieces",
    2 < len(rare_pieces) < len("entrenaríamos") and "amos" in rare_pieces,
    es="«entrenaríamos» se escribe con más de dos trozos, menos que letras, "
    "y uno de ellos es la terminación «amos»",
    en="«entrenaríamos» is spelled with more than two pieces, fewer than its "
    "letters, one of them the ending «amos»",
)
claim(
    "english_splits_enye",
    "\\xc3" in en_on_spanish and "\\xb1" in en_on_spanish,
    es="el tokenizador inglés parte la ñ en sus dos bytes sueltos",
    en="the English tokenizer splits the ñ into its two loose bytes",
)
claim(
    "start_differs",
    bpe["es"].encode(first_word) != bpe["es"].encode(" " + first_word)
    and len(bpe["es"].encode(" " + first_word)) == 1,
    es="la palabra tras un espacio es un solo token, y al principio de la "
    "frase se codifica de otra manera",
    en="the word after a space is a single token, and at the start of the "
    "sentence it is encoded differently",
)

# %% [markdown] lang="es"
# ## Resumen en una tabla
#
# Para cada idioma y cada granularidad: tamaño del vocabulario, longitud del texto de prueba en tokens y proporción de tokens desconocidos.

# %% [markdown] lang="en"
# ## Summary table
#
# For each language and granularity: vocabulary size, length of the test text in tokens and share of unknown tokens.

# %%
print(
    " " * 19
    + align(tr(es="vocabulario", en="vocabulary"), 12)
    + align(tr(es="tokens prueba", en="test tokens"), 14)
    + align(tr(es="por palabra", en="per word"), 12)
    + align(tr(es="desconocidos", en="unknown"), 13)
)
for lang in LANGS:
    rows = [(LEVEL_NAME[k], *closed[lang, k]) for k in ("char", "word")]
    n_bpe = len(bpe[lang].encode(test_text[lang]))
    rows.append((f"BPE {N_MERGES}", bpe[lang].vocab_size, n_bpe, 0.0))
    for name, size, n_tokens, unknown in rows:
        print(
            f"{align(LANG_NAME[lang], 8, '<')}{align(name, 11, '<')}"
            f"{size:>12}{n_tokens:>14}"
            + align(number(n_tokens / test_words[lang], ".2f"), 12)
            + align(percent(unknown, 1), 13)
        )

# %% [markdown] lang="es"
# ## Qué observar
#
# - Con {{ value: train_words_es }} palabras de entrenamiento en español, el vocabulario de palabras ya tiene {{ value: word_vocab_es }} entradas, y aun así queda fuera un {{ value: word_unknown_es }} de las palabras de prueba ({{ value: word_unknown_en }} en inglés) {{ claim: word_vocab_large }}. En español la proporción es mayor que en inglés {{ claim: spanish_more_unknown }}: formas como *cantaron* o *trabajaba* no aparecieron al entrenar aunque sí lo hicieran otras formas del mismo verbo {{ claim: unseen_verb_forms }}.
# - El vocabulario de caracteres es minúsculo ({{ value: char_vocab_es }} símbolos en español, {{ value: char_vocab_en }} en inglés) y casi no deja nada fuera ({{ value: char_unknown_es }} y {{ value: char_unknown_en }}), pero cada palabra cuesta {{ value: char_per_word_es }} tokens en español y {{ value: char_per_word_en }} en inglés {{ claim: chars_tiny_but_long }}.
# - BPE recorre el espacio entre los dos extremos: cada fusión alarga el vocabulario en uno y acorta el texto. Las primeras fusiones unen letras y espacios frecuentes (las tres primeras: {{ value: first_merges_es }} en español; {{ value: first_merges_en }} en inglés) y reducen mucho la longitud; las últimas apenas la tocan {{ claim: early_merges_cut_most }}, porque fusionan pares vistos solo dos o tres veces {{ claim: last_merges_rare }} (el primer par fusionado en español aparecía {{ value: first_count_es }} veces; el último, {{ value: last_count_es }}), muchos de ellos palabras completas del corpus o comienzos de palabra {{ claim: last_tokens_words }}. Son fusiones que reflejan este corpus más que el idioma.
# - Con el mismo número de fusiones, el español necesita más tokens por palabra que el inglés ({{ value: bpe_per_word_es }} frente a {{ value: bpe_per_word_en }} con todas las fusiones) {{ claim: spanish_longer }}: las palabras son más largas, las tildes y la eñe ocupan dos bytes y la morfología reparte la frecuencia entre más formas. Una palabra rara como *entrenaríamos* se escribe con varios trozos reconocibles ({{ value: rare_segmented }}) {{ claim: rare_word_pieces }}, y el tokenizador inglés parte la `ñ` en dos bytes sueltos (`\xc3`, `\xb1`) que por sí solos no son un carácter {{ claim: english_splits_enye }}.
# - BPE nunca produce `<unk>`: la última columna es cero por construcción. Y la primera palabra de una frase, sin espacio delante, es otro fragmento distinto de la misma palabra tras un espacio ({{ value: start_chunk }} frente a {{ value: space_chunk }}) {{ claim: start_differs }}: un detalle de implementación que los tokenizadores reales también tienen.

# %% [markdown] lang="en"
# ## What to notice
#
# - With {{ value: train_words_es }} training words in Spanish, the word vocabulary already has {{ value: word_vocab_es }} entries, and still {{ value: word_unknown_es }} of the test words are unknown ({{ value: word_unknown_en }} in English) {{ claim: word_vocab_large }}. The share is higher in Spanish than in English {{ claim: spanish_more_unknown }}: forms such as *cantaron* or *trabajaba* did not appear in training even though other forms of the same verb did {{ claim: unseen_verb_forms }}.
# - The character vocabulary is tiny ({{ value: char_vocab_es }} symbols in Spanish, {{ value: char_vocab_en }} in English) and leaves almost nothing out ({{ value: char_unknown_es }} and {{ value: char_unknown_en }}), but each word costs {{ value: char_per_word_es }} tokens in Spanish and {{ value: char_per_word_en }} in English {{ claim: chars_tiny_but_long }}.
# - BPE travels the space between the two extremes: each merge grows the vocabulary by one and shortens the text. The first merges join frequent letters and spaces (the first three: {{ value: first_merges_es }} in Spanish; {{ value: first_merges_en }} in English) and cut the length a lot; the last ones barely touch it {{ claim: early_merges_cut_most }}, because they merge pairs seen only two or three times {{ claim: last_merges_rare }} (the first pair merged in Spanish occurred {{ value: first_count_es }} times; the last one, {{ value: last_count_es }}), many of them whole words of the corpus or word beginnings {{ claim: last_tokens_words }}. Those merges reflect this corpus more than the language.
# - With the same number of merges, Spanish needs more tokens per word than English ({{ value: bpe_per_word_es }} against {{ value: bpe_per_word_en }} with all the merges) {{ claim: spanish_longer }}: words are longer, accents and the eñe take two bytes, and morphology spreads frequency over more forms. A rare word such as *entrenaríamos* is spelled with several recognizable pieces ({{ value: rare_segmented }}) {{ claim: rare_word_pieces }}, and the English tokenizer splits the `ñ` into two loose bytes (`\xc3`, `\xb1`) that are not a character on their own {{ claim: english_splits_enye }}.
# - BPE never produces `<unk>`: the last column is zero by construction. And the first word of a sentence, with no space before it, is a different chunk from the same word after a space ({{ value: start_chunk }} versus {{ value: space_chunk }}) {{ claim: start_differs }}: an implementation detail that real tokenizers share.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Entrena un único tokenizador BPE con 1000 fusiones sobre el texto de entrenamiento de los dos idiomas juntos. ¿Cuántos tokens por palabra necesita ahora cada idioma en su texto de prueba?
# 2. Codifica y decodifica `"¡Hola! 🙂 你好"` con el tokenizador español. ¿Se recupera el texto? ¿Cuántos tokens ocupa cada símbolo que nunca vio?
# 3. Construye el vocabulario de palabras con `min_count=2`, como se hace a menudo para no guardar palabras vistas una sola vez. ¿Cuánto cambian el tamaño del vocabulario y la proporción de desconocidas en español?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Train a single BPE tokenizer with 1,000 merges on the training text of both languages together. How many tokens per word does each language need now on its test text?
# 2. Encode and decode `"¡Hola! 🙂 你好"` with the Spanish tokenizer. Is the text recovered? How many tokens does each symbol it never saw take?
# 3. Build the word vocabulary with `min_count=2`, as is often done to avoid storing words seen only once. How much do the vocabulary size and the unknown share change in Spanish?

# %% [markdown] lang="es" solution="1"
# Los dos idiomas tienen que repartirse las mismas 1000 fusiones, así que cada uno sale peor que con su tokenizador propio: {{ value: joint_es }} tokens por palabra en español y {{ value: joint_en }} en inglés, frente a {{ value: bpe_per_word_es }} y {{ value: bpe_per_word_en }} {{ claim: joint_worse }}. Es lo que pasa en los modelos multilingües: los idiomas con menos texto en el corpus del tokenizador pagan más tokens por palabra.

# %% [markdown] lang="en" solution="1"
# The two languages have to share the same 1,000 merges, so each does worse than with its own tokenizer: {{ value: joint_es }} tokens per word in Spanish and {{ value: joint_en }} in English, against {{ value: bpe_per_word_es }} and {{ value: bpe_per_word_en }} {{ claim: joint_worse }}. This is what happens in multilingual models: languages with less text in the tokenizer's corpus pay more tokens per word.

# %% solution="1"
both = BPETokenizer.train(train_text["es"] + " " + train_text["en"], N_MERGES)
joint = {}
for lang in LANGS:
    joint[lang] = len(both.encode(test_text[lang])) / test_words[lang]
    own = tokens_per_word[lang][-1]
    print(
        f"{LANG_NAME[lang]}: "
        + tr(
            es=f"tokenizador conjunto {number(joint[lang], '.2f')} · "
            f"propio {number(own, '.2f')} tokens por palabra",
            en=f"joint tokenizer {number(joint[lang], '.2f')} · "
            f"own {number(own, '.2f')} tokens per word",
        )
    )
    publish(f"joint_{lang}", joint[lang], ".2f")
claim(
    "joint_worse",
    all(joint[lang] > tokens_per_word[lang][-1] for lang in LANGS),
    es="con el tokenizador conjunto, cada idioma necesita más tokens por "
    "palabra que con el tokenizador entrenado solo en su idioma",
    en="with the joint tokenizer, each language needs more tokens per "
    "word than with the tokenizer trained on its language alone",
)

# %% [markdown] lang="es" solution="2"
# Sí: el texto vuelve intacto, porque todo se puede escribir con bytes {{ claim: unseen_round_trip }}. El emoji ocupa {{ value: emoji_tokens }} tokens (sus bytes UTF-8) y cada carácter chino {{ value: hanzi_tokens }} {{ claim: unseen_symbols_bytes }}. Ningún token es `<unk>`, pero la secuencia se alarga mucho: el coste de lo desconocido pasa del vocabulario a la longitud.

# %% [markdown] lang="en" solution="2"
# Yes: the text comes back intact, because everything can be written with bytes {{ claim: unseen_round_trip }}. The emoji takes {{ value: emoji_tokens }} tokens (its UTF-8 bytes) and each Chinese character {{ value: hanzi_tokens }} {{ claim: unseen_symbols_bytes }}. No token is `<unk>`, but the sequence gets much longer: the cost of the unknown moves from the vocabulary to the length.

# %% solution="2"
text = "¡Hola! 🙂 你好"
ids = bpe["es"].encode(text)
recovered = bpe["es"].decode(ids) == text
print(tr(es="¿se recupera?", en="recovered?"), recovered)
print(quote("|".join(bpe["es"].token_text(i) for i in ids)))
per_symbol = {s: len(bpe["es"].encode(s)) for s in ("🙂", "你", "好")}
for symbol, n in per_symbol.items():
    print(
        tr(es=f"{symbol}: {n} tokens", en=f"{symbol}: {n} tokens"),
        f"({len(symbol.encode())} bytes)",
    )
publish("emoji_tokens", per_symbol["🙂"])
publish("hanzi_tokens", per_symbol["你"])
claim(
    "unseen_round_trip",
    recovered,
    es="decodificar devuelve el texto con emoji y chino intacto",
    en="decoding gives back the text with the emoji and Chinese intact",
)
claim(
    "unseen_symbols_bytes",
    all(n == len(s.encode()) for s, n in per_symbol.items())
    and per_symbol["你"] == per_symbol["好"],
    es="cada símbolo nunca visto ocupa tantos tokens como bytes UTF-8 tiene",
    en="each unseen symbol takes as many tokens as it has UTF-8 bytes",
)

# %% [markdown] lang="es" solution="3"
# El vocabulario baja a menos de la mitad ({{ value: min2_vocab }} entradas frente a {{ value: word_vocab_es }}) {{ claim: min2_halves }}, porque la mayoría de las palabras aparece una sola vez ({{ value: hapax_share }} de las palabras distintas del texto de entrenamiento) {{ claim: mostly_hapax }}, y la proporción de desconocidas sube de un {{ value: word_unknown_es }} a un {{ value: min2_unknown }} {{ claim: min2_more_unknown }}. Es la ley de Zipf en acción: pocas palabras muy frecuentes y una cola larguísima de palabras raras.

# %% [markdown] lang="en" solution="3"
# The vocabulary shrinks to less than half ({{ value: min2_vocab }} entries against {{ value: word_vocab_es }}) {{ claim: min2_halves }}, because most words appear only once ({{ value: hapax_share }} of the distinct words of the training text) {{ claim: mostly_hapax }}, and the unknown share rises from {{ value: word_unknown_es }} to {{ value: min2_unknown }} {{ claim: min2_more_unknown }}. This is Zipf's law at work: a few very frequent words and a very long tail of rare ones.

# %% solution="3"
train_words_es = word_tokenize(train_text["es"])
test_words_es = word_tokenize(test_text["es"])
vocab_min2 = Vocabulary.build(train_words_es, min_count=2)
unknown_min2 = vocab_min2.unknown_rate(test_words_es)
frequency = Counter(train_words_es)
hapax = sum(count == 1 for count in frequency.values()) / len(frequency)
full_size, _, full_unknown = closed["es", "word"]
for min_count, size, unknown in (
    (1, full_size, full_unknown),
    (2, len(vocab_min2), unknown_min2),
):
    share = percent(unknown, 1)
    print(
        f"min_count={min_count}: "
        + tr(
            es=f"vocabulario {size}, desconocidas {share}",
            en=f"vocabulary {size}, unknown {share}",
        )
    )
once = percent(hapax, 1)
print(
    tr(
        es=f"palabras vistas una sola vez: {once} de las distintas",
        en=f"words seen only once: {once} of the distinct ones",
    )
)
publish("min2_vocab", len(vocab_min2))
publish("min2_unknown", percent(unknown_min2))
publish("hapax_share", percent(hapax))
claim(
    "min2_halves",
    len(vocab_min2) < full_size / 2,
    es="con min_count=2 el vocabulario baja a menos de la mitad",
    en="with min_count=2 the vocabulary shrinks to less than half",
)
claim(
    "mostly_hapax",
    hapax > 0.5,
    es="más de la mitad de las palabras distintas aparece una sola vez",
    en="more than half of the distinct words appear only once",
)
claim(
    "min2_more_unknown",
    unknown_min2 > full_unknown,
    es="con min_count=2 sube la proporción de palabras de prueba desconocidas",
    en="with min_count=2 the share of unknown test words rises",
)
