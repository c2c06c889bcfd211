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
# y la granularidad decide dos números que tiran en sentidos opuestos: el tamaño del vocabulario $|\mathcal{V}|$ (cuántas filas tendrá la tabla de *embeddings* y cuántas clases la capa de salida) y la longitud $n$ de las secuencias (cuántos pasos tendrá que dar una red recurrente, o cuánto cuesta la atención, que crece como $n^2$).
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
# No hay red, así que el texto lo hemos escrito nosotros: unas 3700 palabras por idioma sobre la vida diaria y sobre el propio curso, alineadas frase a frase entre español e inglés ([`dlcourse.data.corpus`](../api/data/corpus.md)). Una de cada cinco frases se reserva como texto de prueba, la misma en los dos idiomas, para medir cómo se comporta cada tokenizador con texto que no vio al entrenar.

# %% [markdown] lang="en"
# ## The corpus
#
# There is no network, so we wrote the text ourselves: about 3,700 words per language about everyday life and about the course itself, aligned sentence by sentence between Spanish and English ([`dlcourse.data.corpus`](../api/data/corpus.md)). One sentence in five is held out as test text, the same in both languages, to measure how each tokenizer copes with text it did not see during training.

# %%
from dlcourse.data import corpus
from dlcourse.plotting import new_figure, set_alt
from dlcourse.runtime import seed_all
from dlcourse.text.tokenizers import BPETokenizer, Vocabulary, char_tokenize, word_tokenize

seed_all(0)
LANGS = ("es", "en")
splits = {lang: corpus.train_test_sentences(lang) for lang in LANGS}
train_text = {lang: " ".join(train) for lang, (train, _) in splits.items()}
test_text = {lang: " ".join(test) for lang, (_, test) in splits.items()}
for lang in LANGS:
    text = train_text[lang]
    print(
        f"{lang}: {len(splits[lang][0])} training sentences, {len(splits[lang][1])} test sentences · "
        f"training text: {len(word_tokenize(text))} words, {len(text)} characters, "
        f"{len(text.encode('utf-8'))} UTF-8 bytes"
    )

# %% [markdown] lang="es"
# ## Tres maneras de cortar una frase
#
# La misma frase en caracteres, en palabras (con la puntuación aparte y en minúsculas) y en los bytes UTF-8 que la representan. Las letras acentuadas ocupan dos bytes.

# %% [markdown] lang="en"
# ## Three ways to cut a sentence
#
# The same sentence as characters, as words (punctuation split off, lowercased) and as the UTF-8 bytes that represent it. Accented letters take two bytes.

# %%
sentence = "Arreglar un grifo que gotea es más fácil de lo que parece."
print(f"characters ({len(char_tokenize(sentence))}):", char_tokenize(sentence)[:20], "…")
print(f"words ({len(word_tokenize(sentence))}):", word_tokenize(sentence))
utf8 = list(sentence.encode("utf-8"))
print(f"bytes ({len(utf8)}):", utf8[:20], "…")
print("'á' as bytes:", list("á".encode()), "· 'a' as bytes:", list(b"a"))

# %% [markdown] lang="es"
# ## Vocabularios cerrados: palabras y caracteres
#
# Construimos un vocabulario de palabras y otro de caracteres con el texto de entrenamiento ([`Vocabulary`](../api/text/tokenizers.md)) y contamos qué parte del texto de prueba queda fuera.

# %% [markdown] lang="en"
# ## Closed vocabularies: words and characters
#
# We build a word vocabulary and a character vocabulary from the training text ([`Vocabulary`](../api/text/tokenizers.md)) and count how much of the test text falls outside them.

# %%
closed = {}  # (lang, level) -> (vocabulary size, test tokens, unknown share)
for lang in LANGS:
    for level, split_fn in (("word", word_tokenize), ("char", char_tokenize)):
        vocab = Vocabulary.build(split_fn(train_text[lang]))
        test_tokens = split_fn(test_text[lang])
        closed[lang, level] = (len(vocab), len(test_tokens), vocab.unknown_rate(test_tokens))
        print(
            f"{lang} {level:>4}: vocabulary {len(vocab):>5} · test tokens {len(test_tokens):>5} · "
            f"unknown {vocab.unknown_rate(test_tokens):6.2%}"
        )
    word_vocab = Vocabulary.build(word_tokenize(train_text[lang]))
    unseen = sorted({w for w in word_tokenize(test_text[lang]) if w not in word_vocab})
    print(f"   {len(unseen)} distinct unknown words, e.g.: {', '.join(unseen[:10])}")

# %% [markdown] lang="es"
# ## Entrenar BPE
#
# [`BPETokenizer.train`](../api/text/tokenizers.md) aprende hasta 1000 fusiones con el texto de entrenamiento de cada idioma. Imprimimos las primeras y las últimas (el símbolo `▁` marca un espacio inicial) y comprobamos que decodificar el texto de prueba codificado devuelve exactamente el texto original.

# %% [markdown] lang="en"
# ## Training BPE
#
# [`BPETokenizer.train`](../api/text/tokenizers.md) learns up to 1,000 merges from each language's training text. We print the first and the last ones (the symbol `▁` marks a leading space) and check that decoding the encoded test text gives back exactly the original text.

# %%
bpe = {lang: BPETokenizer.train(train_text[lang], 1000) for lang in LANGS}
for lang, tokenizer in bpe.items():
    first = ", ".join(
        f"{tokenizer.token_text(a)}+{tokenizer.token_text(b)}" for a, b in tokenizer.merges[:10]
    )
    n_merges = len(tokenizer.merges)
    last = ", ".join(tokenizer.token_text(256 + k) for k in range(n_merges - 10, n_merges))
    print(f"{lang}: vocabulary {tokenizer.vocab_size} (256 bytes + {len(tokenizer.merges)} merges)")
    print(f"   first merges: {first}")
    print(f"   last tokens:  {last}")
    print(
        f"   pair frequency at merge 1: {tokenizer.merge_counts[0]} · at merge 1000: "
        f"{tokenizer.merge_counts[-1]}"
    )
    round_trip = tokenizer.decode(tokenizer.encode(test_text[lang])) == test_text[lang]
    print(f"   decode(encode(test text)) == test text: {round_trip}")

# %% [markdown] lang="es"
# ## Dónde corta BPE
#
# Segmentamos una frase de prueba de cada idioma y dos frases inventadas con palabras que no aparecen en el corpus. El último ejemplo pasa una frase en español por el tokenizador entrenado en inglés.

# %% [markdown] lang="en"
# ## Where BPE cuts
#
# We segment one test sentence per language and two invented sentences with words that do not appear in the corpus. The last example feeds a Spanish sentence to the tokenizer trained on English.

# %%
examples = [
    ("es", splits["es"][1][3]),
    ("es", "Los investigadores entrenaríamos redes neuronales gigantescas."),
    ("en", splits["en"][1][3]),
    ("en", "The researchers were retraining gigantic neural networks."),
    ("en", "El niño come piña."),
]
for lang, text in examples:
    tokens = bpe[lang].encode(text)
    print(f"[{lang} tokenizer, {len(tokens)} tokens] {bpe[lang].segment(text)}")
print(f"[es tokenizer] {bpe['es'].segment('El niño come piña.')}")

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
    n_words = len(word_tokenize(test_text[lang]))
    tokens_per_word[lang] = [
        len(bpe[lang].truncated(k).encode(test_text[lang])) / n_words for k in merge_grid
    ]
    print(f"{lang} BPE tokens per test word:", " ".join(f"{v:.2f}" for v in tokens_per_word[lang]))

colors = {"es": "#D55E00", "en": "#0072B2"}
fig, (ax_len, ax_freq) = new_figure(ncols=2, width=5.4)
for lang in LANGS:
    n_words = len(word_tokenize(test_text[lang]))
    ax_len.plot(
        [256 + k for k in merge_grid], tokens_per_word[lang], marker="o", color=colors[lang],
        label=f"BPE {lang}",
    )  # fmt: skip
    for level, marker in (("char", "s"), ("word", "^")):
        size, n_tokens, _ = closed[lang, level]
        ax_len.scatter(size, n_tokens / n_words, marker=marker, s=60, color=colors[lang])
        ax_len.annotate(f"{level} {lang}", (size, n_tokens / n_words), textcoords="offset points",
                        xytext=(6, 4 if lang == "es" else -12), fontsize=9)  # fmt: skip
    ax_freq.plot(range(1, len(bpe[lang].merge_counts) + 1), bpe[lang].merge_counts,
                 color=colors[lang], label=lang)  # fmt: skip
ax_len.set(
    title="Vocabulario y longitud / Vocabulary and length",
    xlabel="tamaño del vocabulario / vocabulary size",
    ylabel="tokens por palabra / tokens per word",
    xscale="log",
)
ax_len.legend()
ax_freq.set(
    title="Frecuencia del par fusionado / Merged pair count",
    xlabel="fusión / merge",
    ylabel="apariciones / occurrences",
    yscale="log",
)
ax_freq.legend()
set_alt(
    fig,
    es="Izquierda: tokens por palabra del texto de prueba frente al tamaño del vocabulario, en escala logarítmica. "
    f"Las curvas BPE bajan de {tokens_per_word['es'][0]:.1f} (español) y {tokens_per_word['en'][0]:.1f} (inglés) "
    f"bytes por palabra a {tokens_per_word['es'][-1]:.2f} y {tokens_per_word['en'][-1]:.2f} tokens con 1000 fusiones; "
    "los caracteres quedan arriba a la izquierda y las palabras, a la derecha con un token por palabra. "
    "Derecha: la frecuencia del par fusionado cae de cientos de apariciones a solo "
    f"{bpe['es'].merge_counts[-1]} al final.",
    en="Left: tokens per test word against vocabulary size, on a log scale. "
    f"The BPE curves fall from {tokens_per_word['es'][0]:.1f} (Spanish) and {tokens_per_word['en'][0]:.1f} (English) "
    f"bytes per word to {tokens_per_word['es'][-1]:.2f} and {tokens_per_word['en'][-1]:.2f} tokens after 1,000 merges; "
    "characters sit top left and words on the right at one token per word. "
    f"Right: the merged pair's count falls from hundreds of occurrences to only {bpe['es'].merge_counts[-1]} at the end.",
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
print(f"{'':14}{'vocabulary':>11}{'test tokens':>13}{'per word':>10}{'unknown':>9}")
for lang in LANGS:
    n_words = len(word_tokenize(test_text[lang]))
    rows = [(level, *closed[lang, level]) for level in ("char", "word")]
    rows.append(("BPE 1000", bpe[lang].vocab_size, len(bpe[lang].encode(test_text[lang])), 0.0))
    for name, size, n_tokens, unknown in rows:
        print(
            f"{lang} {name:<11}{size:>11}{n_tokens:>13}{n_tokens / n_words:>10.2f}{unknown:>9.1%}"
        )

# %% [markdown] lang="es"
# ## Qué observar
#
# - Con unas 3400 palabras de entrenamiento, el vocabulario de palabras ya supera las mil entradas y aun así alrededor de una de cada cinco palabras de prueba es desconocida. En español la proporción es algo mayor que en inglés: formas como *bajarán* o *apetecen* no aparecieron al entrenar aunque sí lo hicieran otras formas del mismo verbo.
# - El vocabulario de caracteres es minúsculo (menos de 60 símbolos) y casi no deja nada fuera, pero cada palabra cuesta más de cinco tokens.
# - BPE recorre el espacio entre los dos extremos: cada fusión alarga el vocabulario en uno y acorta el texto. Las primeras fusiones unen letras y espacios frecuentes (`▁+e`, `o+s`, `d+e` en español; `▁+t`, `h+e`, `▁t+he` en inglés) y reducen mucho la longitud; las últimas apenas la tocan, porque fusionan pares vistos solo dos o tres veces, muchos de ellos palabras completas del corpus o trozos de ellas. Son fusiones que reflejan este corpus más que el idioma.
# - Con el mismo número de fusiones, el español necesita algo más de tokens por palabra que el inglés: las palabras son más largas, las tildes y la eñe ocupan dos bytes y la morfología reparte la frecuencia entre más formas. Una palabra rara como *entrenaríamos* se escribe con varios trozos reconocibles, y el tokenizador inglés parte la `ñ` en dos bytes sueltos (`\xc3`, `\xb1`) que por sí solos no son un carácter.
# - BPE nunca produce `<unk>`: la última columna es cero por construcción. Y la primera palabra de una frase, sin espacio delante, es otro fragmento distinto de la misma palabra tras un espacio (`M|i` frente a `▁Mi`): un detalle de implementación que los tokenizadores reales también tienen.

# %% [markdown] lang="en"
# ## What to notice
#
# - With about 3,400 training words, the word vocabulary already has more than a thousand entries, and still about one test word in five is unknown. The share is somewhat higher in Spanish than in English: forms such as *bajarán* or *apetecen* did not appear in training even though other forms of the same verb did.
# - The character vocabulary is tiny (fewer than 60 symbols) and leaves almost nothing out, but each word costs more than five tokens.
# - BPE travels the space between the two extremes: each merge grows the vocabulary by one and shortens the text. The first merges join frequent letters and spaces (`▁+e`, `o+s`, `d+e` in Spanish; `▁+t`, `h+e`, `▁t+he` in English) and cut the length a lot; the last ones barely touch it, because they merge pairs seen only two or three times, many of them whole words of the corpus or pieces of them. Those merges reflect this corpus more than the language.
# - With the same number of merges, Spanish needs somewhat more tokens per word than English: words are longer, accents and the eñe take two bytes, and morphology spreads frequency over more forms. A rare word such as *entrenaríamos* is spelled with several recognisable pieces, and the English tokenizer splits the `ñ` into two loose bytes (`\xc3`, `\xb1`) that are not a character on their own.
# - BPE never produces `<unk>`: the last column is zero by construction. And the first word of a sentence, with no space before it, is a different chunk from the same word after a space (`M|i` versus `▁Mi`): an implementation detail that real tokenizers share.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Entrena un único tokenizador BPE con 1000 fusiones sobre el texto de entrenamiento de los dos idiomas juntos. ¿Cuántos tokens por palabra necesita ahora cada idioma en su texto de prueba?
# 2. Codifica y decodifica `"¡Hola! 🙂 你好"` con el tokenizador español. ¿Se recupera el texto? ¿Cuántos tokens ocupa cada símbolo que nunca vio?
# 3. Construye el vocabulario de palabras con `min_count=2`, como se hace a menudo para no guardar palabras vistas una sola vez. ¿Cuánto cambian el tamaño del vocabulario y la proporción de desconocidas en español?
#
# ??? success "Solución 1"
#     ```python
#     both = BPETokenizer.train(train_text["es"] + " " + train_text["en"], 1000)
#     for lang in LANGS:
#         print(lang, len(both.encode(test_text[lang])) / len(word_tokenize(test_text[lang])))
#     ```
#     Los dos idiomas tienen que repartirse las mismas 1000 fusiones, así que cada uno sale peor que con su tokenizador propio: unos 2.4 tokens por palabra en español y unos 2.2 en inglés, frente a 1.99 y 1.90. Es lo que pasa en los modelos multilingües: los idiomas con menos texto en el corpus del tokenizador pagan más tokens por palabra.
#
# ??? success "Solución 2"
#     ```python
#     text = "¡Hola! 🙂 你好"
#     ids = bpe["es"].encode(text)
#     print(bpe["es"].decode(ids) == text, [bpe["es"].token_text(i) for i in ids])
#     ```
#     Sí: el texto vuelve intacto, porque todo se puede escribir con bytes. El emoji ocupa cuatro tokens (sus cuatro bytes UTF-8) y cada carácter chino tres. Ningún token es `<unk>`, pero la secuencia se alarga mucho: el coste de lo desconocido pasa del vocabulario a la longitud.
#
# ??? success "Solución 3"
#     ```python
#     vocab = Vocabulary.build(word_tokenize(train_text["es"]), min_count=2)
#     print(len(vocab), vocab.unknown_rate(word_tokenize(test_text["es"])))
#     ```
#     El vocabulario baja a menos de la mitad (unas 480 entradas frente a 1105), porque la mayoría de las palabras aparece una sola vez, y la proporción de desconocidas sube de un 22 % a alrededor de un 32 %. Es la ley de Zipf en acción: pocas palabras muy frecuentes y una cola larguísima de palabras raras.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Train a single BPE tokenizer with 1,000 merges on the training text of both languages together. How many tokens per word does each language need now on its test text?
# 2. Encode and decode `"¡Hola! 🙂 你好"` with the Spanish tokenizer. Is the text recovered? How many tokens does each symbol it never saw take?
# 3. Build the word vocabulary with `min_count=2`, as is often done to avoid storing words seen only once. How much do the vocabulary size and the unknown share change in Spanish?
#
# ??? success "Solution 1"
#     ```python
#     both = BPETokenizer.train(train_text["es"] + " " + train_text["en"], 1000)
#     for lang in LANGS:
#         print(lang, len(both.encode(test_text[lang])) / len(word_tokenize(test_text[lang])))
#     ```
#     The two languages have to share the same 1,000 merges, so each does worse than with its own tokenizer: about 2.4 tokens per word in Spanish and about 2.2 in English, against 1.99 and 1.90. This is what happens in multilingual models: languages with less text in the tokenizer's corpus pay more tokens per word.
#
# ??? success "Solution 2"
#     ```python
#     text = "¡Hola! 🙂 你好"
#     ids = bpe["es"].encode(text)
#     print(bpe["es"].decode(ids) == text, [bpe["es"].token_text(i) for i in ids])
#     ```
#     Yes: the text comes back intact, because everything can be written with bytes. The emoji takes four tokens (its four UTF-8 bytes) and each Chinese character three. No token is `<unk>`, but the sequence gets much longer: the cost of the unknown moves from the vocabulary to the length.
#
# ??? success "Solution 3"
#     ```python
#     vocab = Vocabulary.build(word_tokenize(train_text["es"]), min_count=2)
#     print(len(vocab), vocab.unknown_rate(word_tokenize(test_text["es"])))
#     ```
#     The vocabulary shrinks to less than half (about 480 entries against 1,105), because most words appear only once, and the unknown share rises from 22 % to around 32 %. This is Zipf's law at work: a few very frequent words and a very long tail of rare ones.
