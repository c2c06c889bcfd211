# ---
# jupyter:
#   lesson:
#     title:
#       es: Incrustaciones de palabras
#       en: Word embeddings
#     summary:
#       es: "`nn.Embedding` como tabla de consulta, vectores de palabras entrenados con skip-gram y muestreo negativo sobre el corpus del curso, vecinos más cercanos, una proyección en 2-D y lo que esos vectores capturan y lo que no."
#       en: "`nn.Embedding` as a lookup table, word vectors trained with skip-gram and negative sampling on the course corpus, nearest neighbors, a 2-D projection, and what those vectors do and do not capture."
#     order: 21
#     budget_cpu_s: 90
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Ver con números que `nn.Embedding` es una tabla de consulta: lo mismo que multiplicar un vector *one-hot* por una matriz.
#     - Escribir el objetivo de skip-gram con muestreo negativo y entrenarlo desde cero sobre el corpus del curso.
#     - Explorar los vectores aprendidos con vecinos más cercanos y una proyección en 2-D con PCA.
#     - Medir, frente a vectores al azar, qué capturan unos vectores entrenados con un corpus diminuto y qué no: palabras raras, morfología y polisemia.
#
# Nota de concepto: [incrustaciones](../concepts/embeddings.md). Lecciones relacionadas: [tokenización](tokenization.md), de donde vienen los vocabularios, e [incrustaciones contextuales](contextual-embeddings.md), que resuelven la polisemia. Referencia de la API: [`dlcourse.lessons.embeddings`](../api/lessons/embeddings.md) y [`dlcourse.data.corpus`](../api/data/corpus.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - See with numbers that `nn.Embedding` is a lookup table: the same as multiplying a one-hot vector by a matrix.
#     - Write the skip-gram objective with negative sampling and train it from scratch on the course corpus.
#     - Explore the learned vectors with nearest neighbors and a 2-D projection with PCA.
#     - Measure, against random vectors, what vectors trained on a tiny corpus do and do not capture: rare words, morphology and polysemy.
#
# Concept note: [embeddings](../concepts/embeddings.md). Related lessons: [tokenization](tokenization.md), where vocabularies come from, and [contextual embeddings](contextual-embeddings.md), which deal with polysemy. API reference: [`dlcourse.lessons.embeddings`](../api/lessons/embeddings.md) and [`dlcourse.data.corpus`](../api/data/corpus.md).

# %% [markdown] lang="es"
# ## Una tabla de consulta
#
# Tras la tokenización, cada palabra es un entero $i \in \{0, \dots, V-1\}$. Una **incrustación** (*embedding*) le asigna una fila de una matriz entrenable $E \in \mathbb{R}^{V \times d}$, con $d \ll V$. Si $\mathbf{x}_i \in \{0, 1\}^V$ es el vector *one-hot* de la palabra (un 1 en la posición $i$, ceros en el resto),
#
# $$
# \mathbf{e}_i = E^\top \mathbf{x}_i = E[i, :] .
# $$
#
# Es decir, una capa de incrustación es una capa lineal sin sesgo aplicada a vectores *one-hot*. `nn.Embedding` se salta la construcción del vector *one-hot*, que es casi todo ceros, y copia la fila directamente. Lo comprobamos con $V = 6$ y $d = 3$: el producto matricial y la consulta dan exactamente los mismos números, y al retropropagar solo reciben gradiente las filas consultadas. {{ claim: lookup_is_matmul }}

# %% [markdown] lang="en"
# ## A lookup table
#
# After tokenization, each word is an integer $i \in \{0, \dots, V-1\}$. An **embedding** assigns it a row of a trainable matrix $E \in \mathbb{R}^{V \times d}$, with $d \ll V$. If $\mathbf{x}_i \in \{0, 1\}^V$ is the word's one-hot vector (a 1 in position $i$, zeros elsewhere),
#
# $$
# \mathbf{e}_i = E^\top \mathbf{x}_i = E[i, :] .
# $$
#
# In other words, an embedding layer is a linear layer without bias applied to one-hot vectors. `nn.Embedding` skips building the one-hot vector, which is almost all zeros, and copies the row directly. We check it with $V = 6$ and $d = 3$: the matrix product and the lookup give exactly the same numbers, and backpropagation only sends a gradient to the rows that were looked up. {{ claim: lookup_is_matmul }}

# %%
from collections import Counter

import torch
import torch.nn.functional as F
from dlcourse.bilingual import align, claim, number, percent, publish, quote, tr
from dlcourse.data import corpus
from dlcourse.lessons.embeddings import (
    SkipGram,
    category_agreement,
    chance_agreement,
    keep_probabilities,
    nearest_neighbours,
    noise_distribution,
    one_hot_lookup,
    pca_2d,
    similarity_to_groups,
    skipgram_pairs,
    train_skipgram,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all, seeded_generator
from torch import nn

seed_all(0)
table = nn.Embedding(num_embeddings=6, embedding_dim=3)  # E: (V, d) = (6, 3)
ids = torch.tensor([4, 1, 4])
looked_up = table(ids)  # (3, 3): rows 4, 1 and 4 of E
by_matmul = one_hot_lookup(table, ids)  # one_hot(ids) (3, 6) @ E (6, 3)
print(
    tr(es="vectores one-hot de los ids", en="one-hot vectors of ids"),
    "[4, 1, 4]:",
)
print(F.one_hot(ids, 6))


def rounded(rows: torch.Tensor) -> list[list[float]]:
    return [[round(x, 3) for x in row] for row in rows.tolist()]


print(tr(es="consulta E[ids]:", en="lookup E[ids]:  "), rounded(looked_up))
print("one-hot @ E:    ", rounded(by_matmul))
identical = torch.equal(looked_up, by_matmul)
print(tr(es="idénticos:", en="identical:"), identical)
looked_up.sum().backward()
touched = torch.nonzero(table.weight.grad.abs().sum(1)).flatten().tolist()
print(
    tr(
        es="filas de E con gradiente distinto de cero:",
        en="rows of E with a non-zero gradient:",
    ),
    touched,
)
claim(
    "lookup_is_matmul",
    identical and touched == sorted(set(ids.tolist())),
    es="la consulta y el producto one-hot coinciden exactamente, y solo las "
    "filas consultadas reciben gradiente",
    en="the lookup and the one-hot product match exactly, and only the rows "
    "looked up get a gradient",
)

# %% [markdown] lang="es"
# ## Skip-gram con muestreo negativo
#
# ¿Cómo se aprenden unas filas de $E$ que signifiquen algo sin etiquetas? Con la **hipótesis distribucional**: las palabras que aparecen en contextos parecidos tienden a significar cosas parecidas. Mikolov, Chen, Corrado y Dean (2013, [arXiv:1301.3781](https://arxiv.org/abs/1301.3781)) propusieron dos modelos muy baratos, word2vec: **CBOW** predice una palabra a partir de las que la rodean y **skip-gram** predice las palabras que rodean a una palabra. Aquí usamos skip-gram. Dado un texto $w_1, \dots, w_T$ y una ventana de tamaño $c$, se maximiza
#
# $$
# \frac{1}{T} \sum_{t=1}^{T} \sum_{\substack{-c \le j \le c \\ j \ne 0}} \log p(w_{t+j} \mid w_t),
# \qquad
# p(o \mid c) = \frac{\exp(\mathbf{u}_o^\top \mathbf{v}_c)}{\sum_{w=1}^{V} \exp(\mathbf{u}_w^\top \mathbf{v}_c)} ,
# $$
#
# donde cada palabra tiene dos vectores: $\mathbf{v}_w$ cuando es la palabra **central** y $\mathbf{u}_w$ cuando es **contexto**. El denominador recorre todo el vocabulario en cada par, lo que es caro. Mikolov, Sutskever, Chen, Corrado y Dean (2013, [arXiv:1310.4546](https://arxiv.org/abs/1310.4546)) lo sustituyen por el **muestreo negativo**: distinguir el contexto real $o$ de $K$ palabras de «ruido» $w_1, \dots, w_K$ sorteadas de una distribución $P_n$, con una regresión logística por palabra. La pérdida por par $(c, o)$ es
#
# $$
# \mathcal{L}(c, o) = -\log \sigma(\mathbf{u}_o^\top \mathbf{v}_c) - \sum_{k=1}^{K} \log \sigma(-\mathbf{u}_{w_k}^\top \mathbf{v}_c),
# \qquad w_k \sim P_n(w) \propto U(w)^{3/4},
# $$
#
# donde $U(w)$ es la frecuencia de la palabra en el corpus. Elevarla a $3/4$ aplana la distribución: las palabras raras salen como ruido algo más a menudo que su frecuencia, y las muy frecuentes algo menos. El artículo informa de que esa potencia funcionó claramente mejor que la frecuencia sin modificar y que la distribución uniforme, y de que valores de $K$ entre 5 y 20 son útiles con conjuntos de datos pequeños. Tras entrenar, la tabla de vectores centrales $\mathbf{v}_w$ es la matriz de incrustaciones $E$; la tabla de contexto se descarta.
#
# Dos detalles útiles: al empezar, word2vec pone a cero los vectores de contexto, así que todos los productos escalares valen 0 y la pérdida inicial es exactamente $(1 + K)\log 2$. {{ claim: initial_loss }} Y la pérdida nunca llega a 0: una misma palabra central aparece con muchos contextos distintos, y el modelo no puede dar probabilidad 1 a todos.

# %% [markdown] lang="en"
# ## Skip-gram with negative sampling
#
# How do we learn rows of $E$ that mean something without labels? With the **distributional hypothesis**: words that appear in similar contexts tend to mean similar things. Mikolov, Chen, Corrado and Dean (2013, [arXiv:1301.3781](https://arxiv.org/abs/1301.3781)) proposed two very cheap models, word2vec: **CBOW** predicts a word from the words around it and **skip-gram** predicts the words around a word. Here we use skip-gram. Given a text $w_1, \dots, w_T$ and a window of size $c$, it maximizes
#
# $$
# \frac{1}{T} \sum_{t=1}^{T} \sum_{\substack{-c \le j \le c \\ j \ne 0}} \log p(w_{t+j} \mid w_t),
# \qquad
# p(o \mid c) = \frac{\exp(\mathbf{u}_o^\top \mathbf{v}_c)}{\sum_{w=1}^{V} \exp(\mathbf{u}_w^\top \mathbf{v}_c)} ,
# $$
#
# where each word has two vectors: $\mathbf{v}_w$ when it is the **center** word and $\mathbf{u}_w$ when it is **context**. The denominator runs over the whole vocabulary for every pair, which is expensive. Mikolov, Sutskever, Chen, Corrado and Dean (2013, [arXiv:1310.4546](https://arxiv.org/abs/1310.4546)) replace it with **negative sampling**: tell the real context $o$ apart from $K$ "noise" words $w_1, \dots, w_K$ drawn from a distribution $P_n$, with one logistic regression per word. The loss per pair $(c, o)$ is
#
# $$
# \mathcal{L}(c, o) = -\log \sigma(\mathbf{u}_o^\top \mathbf{v}_c) - \sum_{k=1}^{K} \log \sigma(-\mathbf{u}_{w_k}^\top \mathbf{v}_c),
# \qquad w_k \sim P_n(w) \propto U(w)^{3/4},
# $$
#
# where $U(w)$ is the word's frequency in the corpus. Raising it to $3/4$ flattens the distribution: rare words are drawn as noise somewhat more often than their frequency, and very frequent ones somewhat less. The paper reports that this power worked clearly better than the plain frequency and than the uniform distribution, and that values of $K$ between 5 and 20 are useful for small datasets. After training, the table of center vectors $\mathbf{v}_w$ is the embedding matrix $E$; the context table is thrown away.
#
# Two useful details: at the start, word2vec sets the context vectors to zero, so every dot product is 0 and the initial loss is exactly $(1 + K)\log 2$. {{ claim: initial_loss }} And the loss never reaches 0: the same center word appears with many different contexts, and the model cannot give all of them probability 1.

# %% [markdown] lang="es"
# ## Pares (centro, contexto)
#
# Los datos de entrenamiento son pares: cada palabra con cada vecina a una distancia de hasta $c$ posiciones, sin cruzar el final de la frase. Con $c = 2$, en una frase de 8 palabras:

# %% [markdown] lang="en"
# ## (Center, context) pairs
#
# The training data are pairs: every word with each neighbor up to $c$ positions away, never crossing the end of the sentence. With $c = 2$, in a sentence of 8 words:

# %%
# lowercased, with the full stop apart
sentence = corpus.words("Mi madre compró pan en el mercado.")
positions = [list(range(len(sentence)))]
pairs = skipgram_pairs(positions, window=2)  # (N, 2) positions in the sentence
n_words, n_pairs = len(sentence), len(pairs)
kind = tr(es="pares (centro, contexto)", en="(center, context) pairs")
print(
    tr(
        es=f"{n_words} palabras, ventana 2 -> {n_pairs} {kind}",
        en=f"{n_words} words, window 2 -> {n_pairs} {kind}",
    )
)
for centre in ("mi", "compró"):
    i = sentence.index(centre)
    context = [quote(sentence[j]) for j in pairs[pairs[:, 0] == i, 1].tolist()]
    label = tr(es="centro", en="center")
    print(f"  {label} {align(quote(centre), 8)}:", ", ".join(context))

# %% [markdown] lang="es"
# ## El corpus
#
# El corpus del curso ([`dlcourse.data.corpus`](../api/data/corpus.md)) tiene dos partes en español. La **prosa** son las frases sobre la vida diaria y sobre el propio curso que usamos en la lección de tokenización: {{ value: prose_tokens }} tokens (palabras y signos de puntuación), muy poco para word2vec, que se entrenó con miles de millones de palabras. Las **frases de plantilla** (`everyday_sentences`) se generan rellenando huecos como «el {días} mi {familia} compró {comida} en el {lugares} .» con palabras de ocho categorías fijas. Entrenamos con las dos juntas: la prosa aporta vocabulario variado y las plantillas, una señal distribucional controlada y abundante.
#
# Aprovechamos para ver la distribución de ruido: el punto, la palabra más frecuente, sale como ruido {{ value: stop_noise_ratio }} veces lo que aparece en el texto, y las palabras raras como «café», unas {{ value: rare_noise_ratio }} veces {{ claim: noise_flattens }}.

# %% [markdown] lang="en"
# ## The corpus
#
# The course corpus ([`dlcourse.data.corpus`](../api/data/corpus.md)) has two parts in Spanish. The **prose** is the sentences about everyday life and about the course itself that we used in the tokenization lesson: {{ value: prose_tokens }} tokens (words and punctuation marks), very little for word2vec, which was trained on billions of words. The **template sentences** (`everyday_sentences`) are generated by filling slots such as "el {días} mi {familia} compró {comida} en el {lugares} ." ("on {day} my {relative} bought {food} at the {place}") with words from eight fixed categories. We train on both together: the prose brings a varied vocabulary and the templates a controlled, plentiful distributional signal.
#
# We also take a look at the noise distribution: the full stop, the most frequent word, is drawn as noise {{ value: stop_noise_ratio }} times as often as it occurs in the text, and rare words such as "café" about {{ value: rare_noise_ratio }} times as often {{ claim: noise_flattens }}.

# %%
prose = [corpus.words(s) for s in corpus.sentences("es")]
templates = [s.split() for s in corpus.everyday_sentences(2000, seed=0)]
parts = (
    (tr(es="prosa del curso", en="course prose"), prose),
    (tr(es="frases de plantilla", en="template sentences"), templates),
)
for name, part in parts:
    distinct = len({t for s in part for t in s})
    tokens, n = sum(map(len, part)), len(part)
    print(
        align(name, 20, "<")
        + tr(es=f"{n:5d} frases", en=f"{n:5d} sentences")
        + f" · {tokens:6d} tokens · "
        + f"{distinct:4d} "
        + tr(es="palabras distintas", en="distinct words")
    )
publish("prose_tokens", sum(map(len, prose)), ",d")
print(tr(es="tres frases de plantilla:", en="three template sentences:"))
for s in templates[:3]:
    print("  ", quote(" ".join(s)))

sentences = prose + templates
counts = Counter(t for s in sentences for t in s)
words_seen = sorted(counts)
word_counts = torch.tensor([counts[w] for w in words_seen], dtype=torch.float)
noise = noise_distribution(word_counts)
total = sum(counts.values())
print()
print(
    align(tr(es="palabra", en="word"), 10, "<")
    + align(tr(es="apariciones", en="count"), 11)
    + align(tr(es="fracción de tokens", en="share of tokens"), 20)
    + align(tr(es="prob. de ruido", en="noise probability"), 19)
)
ratio = {}
for w in (".", "mi", "madre", "invierno", "café"):
    share, p = counts[w] / total, noise[words_seen.index(w)].item()
    ratio[w] = p / share
    print(
        align(quote(w), 10, "<")
        + f"{counts[w]:11d}"
        + align(number(share, ".4f"), 20)
        + align(number(p, ".4f"), 19)
    )
noise_sum = number(noise.sum().item(), ".4f")
print(
    tr(
        es=f"las probabilidades de ruido suman {noise_sum}",
        en=f"the noise probabilities sum to {noise_sum}",
    )
)
most_frequent = max(counts, key=counts.get)
publish("stop_noise_ratio", ratio["."], ".2f")
publish("rare_noise_ratio", ratio["café"], ".1f")
claim(
    "noise_flattens",
    most_frequent == "." and ratio["."] < 0.6 and ratio["café"] > 2,
    es="el punto es la palabra más frecuente y sale como ruido menos de 0,6 "
    "veces su frecuencia; «café», más del doble",
    en="the full stop is the most frequent word and is drawn as noise less "
    "than 0.6 times its frequency; “café”, more than twice",
)

# %% [markdown] lang="es"
# ## Entrenar
#
# Vectores de dimensión $d = 32$, ventana $c = 2$, $K = 5$ palabras de ruido por par y 10 épocas con Adam; las palabras vistas una sola vez se descartan, porque de una aparición no se aprende nada fiable. El [`train_skipgram`](../api/lessons/embeddings.md) del módulo baraja los pares en cada época y sortea el ruido con su propio generador, así que el resultado es reproducible. No usamos el submuestreo de palabras frecuentes del artículo: está pensado para corpus enormes (véase el ejercicio 2).

# %% [markdown] lang="en"
# ## Training
#
# Vectors of dimension $d = 32$, window $c = 2$, $K = 5$ noise words per pair and 10 epochs with Adam; words seen only once are dropped, because nothing reliable can be learned from a single occurrence. The module's [`train_skipgram`](../api/lessons/embeddings.md) shuffles the pairs every epoch and draws the noise with its own generator, so the result is reproducible. We do not use the paper's subsampling of frequent words: it is meant for huge corpora (see exercise 2).

# %%
K = 5
SETTINGS = {"dim": 32, "window": 2, "negatives": K, "epochs": 10}
run = train_skipgram(sentences, **SETTINGS, seed=0)
vectors = run.vectors  # (V, 32)
print(
    tr(
        es=f"vocabulario (palabras vistas al menos dos veces): {len(run.vocab)}"
        f" · pares por época: {run.n_pairs}",
        en=f"vocabulary (words seen at least twice): {len(run.vocab)}"
        f" · pairs per epoch: {run.n_pairs}",
    )
)
expected_start = (1 + K) * torch.log(torch.tensor(2.0)).item()
# the loss of a fresh model, context vectors at zero, on the first 512 pairs
all_ids = [[run.vocab.stoi[t] for t in s if t in run.vocab] for s in sentences]
some_pairs = skipgram_pairs(all_ids, window=2)[:512]  # (512, 2)
fresh_generator = seeded_generator(0)
fresh = SkipGram(len(run.vocab), 32, generator=fresh_generator)
noise_ids = torch.randint(len(run.vocab), (512, K), generator=fresh_generator)
with torch.no_grad():
    fresh_loss = fresh.loss(*some_pairs.T, noise_ids).item()
print(
    tr(
        es="pérdida al empezar, todos los productos escalares 0: "
        f"(1 + K) log 2 = {number(expected_start)}; "
        f"medida: {number(fresh_loss)}",
        en="loss at the start, every dot product 0: "
        f"(1 + K) log 2 = {number(expected_start)}; "
        f"measured: {number(fresh_loss)}",
    )
)
for epoch, loss in enumerate(run.losses, start=1):
    if epoch in (1, 2, 3, 5, 10):
        print(
            tr(
                es=f"época {epoch:2d}   pérdida media {number(loss)}",
                en=f"epoch {epoch:2d}   mean loss {number(loss)}",
            )
        )
publish("start_loss", expected_start)
publish("first_epoch_loss", run.losses[0])
publish("last_loss", run.losses[-1])
claim(
    "initial_loss",
    abs(fresh_loss - expected_start) < 1e-5,
    es="la pérdida de un modelo recién creado es (1 + K) log 2",
    en="the loss of a freshly built model is (1 + K) log 2",
)
claim(
    "loss_levels_off",
    run.losses[0] < expected_start
    and abs(run.losses[4] - run.losses[-1]) < 0.1
    and run.losses[-1] > 1,
    es="la pérdida baja ya en la primera época, se mueve menos de 0,1 entre "
    "las épocas 5 y 10 y sigue por encima de 1",
    en="the loss falls in the first epoch already, moves less than 0.1 "
    "between epochs 5 and 10 and stays above 1",
)

# %% [markdown] lang="es"
# ## Vecinos más cercanos
#
# Comparamos vectores con la **similitud del coseno**, $\cos(\mathbf{a}, \mathbf{b}) = \mathbf{a}^\top \mathbf{b} / (\lVert \mathbf{a} \rVert \lVert \mathbf{b} \rVert)$, que ignora la longitud. Para cada palabra mostramos cuántas veces aparece en el corpus ($n$) y sus cuatro vecinas más cercanas. Las cinco primeras son palabras de las plantillas; las tres últimas aparecen solo en la prosa.

# %% [markdown] lang="en"
# ## Nearest neighbors
#
# We compare vectors with **cosine similarity**, $\cos(\mathbf{a}, \mathbf{b}) = \mathbf{a}^\top \mathbf{b} / (\lVert \mathbf{a} \rVert \lVert \mathbf{b} \rVert)$, which ignores length. For each word we show how many times it occurs in the corpus ($n$) and its four nearest neighbors. The first five are template words; the last three occur only in the prose.

# %%
categories = corpus.WORD_CATEGORIES
category_of = {w: c for c, members in categories.items() for w in members}
template_words = ("lunes", "madre", "perro", "pan", "rojo")
prose_words = ("invierno", "café", "modelo")
listing = tr(es="; ", en=", ")  # a decimal comma needs another separator


def shown(near: list[tuple[str, float]]) -> str:
    return listing.join(f"{quote(w)} {number(s, '.2f')}" for w, s in near)


neighbours = {}
for word in template_words + prose_words:
    neighbours[word] = nearest_neighbours(vectors, run.vocab, word, k=4)
    print(
        f"{align(quote(word), 10, '<')} (n={counts[word]:3d}) ->",
        shown(neighbours[word]),
    )
template_cosines = [s for w in template_words for _, s in neighbours[w]]
prose_cosines = [s for w in prose_words for _, s in neighbours[w]]
in_prose = {t for s in prose for t in s}
publish("template_cos_min", min(template_cosines), ".2f")
publish("template_cos_max", max(template_cosines), ".2f")
for word in prose_words:
    publish(f"n_{word}".replace("é", "e"), counts[word])
    names = ", ".join(quote(w) for w, _ in neighbours[word])
    publish(f"near_{word}".replace("é", "e"), names)
claim(
    "template_neighbours_same_category",
    all(
        category_of.get(w) == category_of[word]
        for word in template_words
        for w, _ in neighbours[word]
    ),
    es="las cuatro vecinas de cada palabra de plantilla son de su categoría",
    en="the four neighbors of every template word are from its category",
)
claim(
    "prose_words_loose",
    max(prose_cosines) < min(template_cosines)
    and all(w in in_prose for word in prose_words for w, _ in neighbours[word])
    and not any(category_of.get(w) == "comida" for w, _ in neighbours["café"]),
    es="las vecinas de las palabras de la prosa tienen cosenos menores que "
    "todas las de las plantillas, son palabras de la prosa, y ninguna de las "
    "de «café» es una comida",
    en="the neighbors of the prose words have lower cosines than all those "
    "of the template words, are prose words, and none of “café”'s is a food",
)

# %% [markdown] lang="es"
# ## Una proyección en 2-D
#
# Los vectores tienen 32 dimensiones. Para dibujarlos los proyectamos sobre sus dos **componentes principales** (PCA), las dos direcciones en las que más varían. Es una vista con pérdidas: el porcentaje de varianza que recoge cada eje dice cuánto de la geometría real se ve.

# %% [markdown] lang="en"
# ## A 2-D projection
#
# The vectors have 32 dimensions. To draw them we project them onto their two **principal components** (PCA), the two directions along which they vary most. It is a lossy view: the share of variance each axis captures says how much of the real geometry we get to see.

# %%
CATEGORY_NAME = {
    "familia": tr(es="familia", en="family"),
    "días": tr(es="días", en="days"),
    "comida": tr(es="comida", en="food"),
    "lugares": tr(es="lugares", en="places"),
    "animales": tr(es="animales", en="animals"),
    "colores": tr(es="colores", en="colors"),
    "números": tr(es="números", en="numbers"),
    "meses": tr(es="meses", en="months"),
}
words = [w for w in category_of if w in run.vocab]  # in category order
word_rows = [run.vocab.stoi[w] for w in words]
coords, explained = pca_2d(vectors[word_rows])  # (n, 2), (2,)
n_words = len(words)
first, second = percent(explained[0].item(), 1), percent(explained[1].item(), 1)
print(
    tr(
        es=f"{n_words} palabras de categoría · varianza explicada: ",
        en=f"{n_words} category words · variance explained: ",
    )
    + tr(es=f"{first} y {second}", en=f"{first} and {second}")
)

fig, ax = new_figure(width=7.0, height=5.4)
labelled = []
for k, (name, members) in enumerate(categories.items()):
    rows = [i for i, w in enumerate(words) if w in members]
    ax.scatter(
        coords[rows, 0],
        coords[rows, 1],
        s=30,
        color=PALETTE[k],
        edgecolors="#333333",
        linewidths=0.4,
        label=CATEGORY_NAME[name],
    )
    labelled.append(words[rows[0]])
    ax.annotate(
        words[rows[0]],
        coords[rows[0]].tolist(),
        xytext=(7, 5),
        textcoords="offset points",
        bbox={
            "boxstyle": "round,pad=0.15",
            "facecolor": "white",
            "edgecolor": "none",
            "alpha": 0.8,
        },
    )
axis_share = [percent(e.item()) for e in explained]
ax.set(
    title=tr(
        es="Vectores de palabras en 2-D (PCA)",
        en="Word vectors in 2-D (PCA)",
    ),
    xlabel=tr(es="componente", en="component") + f" 1 ({axis_share[0]})",
    ylabel=tr(es="componente", en="component") + f" 2 ({axis_share[1]})",
)
ax.legend(fontsize=8, ncols=2)
labels_text = ", ".join(labelled)
set_alt(
    fig,
    es=f"Diagrama de dispersión de las {len(words)} palabras de categoría "
    "proyectadas con PCA, coloreadas por categoría: familia, días, comida, "
    "lugares, animales, colores, números y meses. Cada categoría forma un "
    "grupo compacto y separado de los demás; se rotula una palabra por grupo "
    f"({labels_text}). Los dos ejes recogen el {axis_share[0]} y el "
    f"{axis_share[1]} de la varianza.",
    en=f"Scatter plot of the {len(words)} category words projected with PCA, "
    "colored by category: family, days, food, places, animals, colors, "
    "numbers and months. Each category forms a compact group apart from the "
    f"others; one word per group is labeled ({labels_text}). The two axes "
    f"capture {axis_share[0]} and {axis_share[1]} of the variance.",
)
groups = categories.values()
centroids = torch.stack(
    [coords[[i for i, w in enumerate(words) if w in m]].mean(0) for m in groups]
)  # (8, 2)
nearest_centroid = torch.cdist(coords, centroids).argmin(1).tolist()  # (n,)
names = list(categories)
publish("explained_1", percent(explained[0].item()))
publish("explained_2", percent(explained[1].item()))
less_than_half = explained.sum().item() < 0.5
pairs_2d = zip(nearest_centroid, words, strict=True)
claim(
    "groups_in_2d",
    all(names[c] == category_of[w] for c, w in pairs_2d) and less_than_half,
    es="en la proyección, cada palabra está más cerca del centro de su "
    "categoría que del de cualquier otra, aunque los dos ejes recogen menos "
    "de la mitad de la varianza",
    en="in the projection every word is closer to its own category's center "
    "than to any other, although the two axes capture less than half of the "
    "variance",
)

# %% [markdown] lang="es"
# ## Qué capturan los vectores y qué no
#
# ### Frente a vectores al azar
#
# Una medida sencilla y honesta: para cada palabra de categoría miramos sus 3 vecinas más cercanas **entre las palabras de categoría** y contamos qué fracción es de su misma categoría. Lo comparamos con vectores gaussianos al azar de la misma forma y con el valor esperado por azar. Y repetimos el entrenamiento **solo con la prosa**, sin plantillas, para ver qué da un corpus real de {{ value: prose_tokens }} tokens.

# %% [markdown] lang="en"
# ## What the vectors do and do not capture
#
# ### Against random vectors
#
# A simple, honest measure: for each category word we look at its 3 nearest neighbors **among the category words** and count what fraction belongs to its own category. We compare with random Gaussian vectors of the same shape and with the value expected by chance. And we repeat the training **on the prose only**, without templates, to see what a real corpus of {{ value: prose_tokens }} tokens gives.

# %%
prose_run = train_skipgram(prose, **SETTINGS, seed=0)
random_generator = seeded_generator(1)
print(
    align(tr(es="entrenado con", en="trained on"), 20, "<")
    + align(tr(es="palabras de categoría", en="category words"), 22)
    + align(tr(es="entrenado", en="trained"), 11)
    + align(tr(es="azar", en="random"), 8)
    + align(tr(es="esperado", en="chance"), 10)
)
agreement = {}
WIDTHS = (11, 8, 10)
for key, name, r in (
    ("full", tr(es="prosa + plantillas", en="prose + templates"), run),
    ("prose", tr(es="solo prosa", en="prose only"), prose_run),
):
    n = sum(w in r.vocab for members in categories.values() for w in members)
    random_vectors = torch.randn(r.vectors.shape, generator=random_generator)
    agreement[key] = (
        category_agreement(r.vectors, r.vocab, categories),
        category_agreement(random_vectors, r.vocab, categories),
        chance_agreement(r.vocab, categories),
    )
    values = agreement[key]
    cells = [align(number(v), w) for v, w in zip(values, WIDTHS, strict=True)]
    print(align(name, 20, "<") + f"{n:22d}" + "".join(cells))
print()
prose_neighbours = {}
for word in ("madre", "lunes", "invierno"):
    near = nearest_neighbours(prose_run.vectors, prose_run.vocab, word, k=4)
    prose_neighbours[word] = near
    label = tr(es="solo prosa:", en="prose only:")
    print(f"{label} {align(quote(word), 10, '<')} ->", shown(near))
for key in ("full", "prose"):
    trained, baseline, chance = agreement[key]
    publish(f"agree_{key}", trained)
    publish(f"random_{key}", baseline)
    publish(f"chance_{key}", chance)
over_chance = agreement["prose"][0] / agreement["prose"][2]
publish("prose_over_chance", over_chance, ".1f")
for word in ("madre", "lunes"):
    names = ", ".join(quote(w) for w, _ in prose_neighbours[word])
    publish(f"prose_near_{word}", names)
full_trained, full_random, full_chance = agreement["full"]
claim(
    "full_agreement",
    full_trained > 0.95 and full_random < 2 * full_chance,
    es="con plantillas, la concordancia supera 0,95; la de vectores al azar "
    "no llega al doble de la esperada por azar",
    en="with templates, agreement is above 0.95; random vectors' stays "
    "below twice the chance level",
)
claim(
    "prose_agreement",
    2 * agreement["prose"][2] < agreement["prose"][0] < 0.7,
    es="con la prosa sola, la concordancia supera el doble del azar, "
    "pero se queda por debajo de 0,7",
    en="with the prose alone, agreement is above twice chance but below 0.7",
)
claim(
    "prose_madre_lunes",
    any(category_of.get(w) == "familia" for w, _ in prose_neighbours["madre"])
    and any(category_of.get(w) != "días" for w, _ in prose_neighbours["lunes"]),
    es="con la prosa sola, «madre» tiene alguna vecina de la familia y "
    "«lunes» alguna vecina que no es un día",
    en="with the prose alone, “madre” has a family word among its neighbors "
    "and “lunes” a neighbor that is not a day",
)

# %% [markdown] lang="es"
# ### Fallos
#
# Cada palabra es un símbolo aparte: el modelo no sabe que «perros» es el plural de «perro». En las plantillas, «perros» solo aparece en «vimos {números} perros», un contexto que no comparte con «perro». Medimos también cuánto se parecen dos palabras de significado distinto que las plantillas usan igual.

# %% [markdown] lang="en"
# ### Failures
#
# Each word is a separate symbol: the model does not know that "perros" is the plural of "perro". In the templates, "perros" only appears in "vimos {números} perros" ("we saw {number} dogs"), a context it does not share with "perro". We also measure how alike two words of different meaning are when the templates use them in the same way.

# %%
unit = F.normalize(vectors, dim=1)  # (V, 32), rows of length 1


def cosine(a: str, b: str) -> float:
    return (unit[run.vocab.stoi[a]] @ unit[run.vocab.stoi[b]]).item()


def cos_text(a: str, b: str) -> str:
    return f"cos({a}, {b}) = {number(cosine(a, b), '.2f')}"


print(f"n(perro) = {counts['perro']} · n(perros) = {counts['perros']}")
print(cos_text("perro", "perros"), "·", cos_text("perro", "gato"))
near = nearest_neighbours(vectors, run.vocab, "perros", k=4)
print(quote("perros"), "->", shown(near))
print(cos_text("madre", "padre"), "·", cos_text("lunes", "domingo"))
for a, b in (("perro", "perros"), ("perro", "gato"), ("madre", "padre")):
    publish(f"cos_{a}_{b}", cosine(a, b), ".2f")
publish("cos_lunes_domingo", cosine("lunes", "domingo"), ".2f")
publish("n_perros", counts["perros"])
claim(
    "plural_apart",
    counts["perros"] > counts["perro"]
    and cosine("perro", "perros") < 0.6
    and cosine("perro", "gato") > 0.9,
    es="«perros» aparece más que «perro», pero su coseno con «perro» es menor "
    "que 0,6, y el de «perro» con «gato» supera 0,9",
    en="“perros” occurs more often than “perro”, yet its cosine with “perro” "
    "is below 0.6, while “perro” and “gato” are above 0.9",
)
claim(
    "use_not_meaning",
    cosine("madre", "padre") > 0.9 and cosine("lunes", "domingo") > 0.9,
    es="madre y padre, y lunes y domingo, tienen cosenos mayores que 0,9",
    en="mother and father, and Monday and Sunday, have cosines above 0.9",
)

# %% [markdown] lang="es"
# ### Una palabra, un vector
#
# «Naranja» es una fruta y un color. En nuestro corpus aparece {{ value: n_naranja }} veces: {{ value: naranja_in_prose }} en la prosa («zumo de naranja») y el resto como color en las plantillas, así que su único vector es el de un color. Para ver qué pasa cuando los dos sentidos tienen peso, fabricamos una palabra ambigua: sustituimos cada «pan» del corpus por «naranja», de modo que «naranja» ocupa también los huecos de comida, y volvemos a entrenar. Medimos la similitud del coseno media de «naranja» con las palabras de cada categoría.

# %% [markdown] lang="en"
# ### One word, one vector
#
# "Naranja" is both a fruit (orange) and a color (orange). In our corpus it appears {{ value: n_naranja }} times: {{ value: naranja_in_prose }} in the prose ("zumo de naranja", orange juice) and the rest as a color in the templates, so its only vector is a color's. To see what happens when both senses carry weight, we manufacture an ambiguous word: we replace every "pan" (bread) in the corpus by "naranja", so that "naranja" also fills food slots, and train again. We measure the mean cosine similarity of "naranja" to the words of each category.

# %%
swapped = [["naranja" if t == "pan" else t for t in s] for s in sentences]
mixed_run = train_skipgram(swapped, **SETTINGS, seed=0)
in_prose = sum(s.count("naranja") for s in prose)
print(
    tr(
        es=f"naranja: {counts['naranja']} veces ({in_prose} en la prosa) · "
        f"pan, renombrado naranja: {counts['pan']} veces",
        en=f"naranja: {counts['naranja']} times ({in_prose} in the prose) · "
        f"pan, renamed naranja: {counts['pan']} times",
    )
)


def naranja_groups(r) -> dict[str, float]:
    return similarity_to_groups(r.vectors, r.vocab, "naranja", categories)


senses = {"colour": naranja_groups(run), "both": naranja_groups(mixed_run)}
SENSE_NAME = {
    "colour": tr(es="solo color", en="color only"),
    "both": tr(es="color y comida", en="color + food"),
}
print(
    align(
        tr(es="coseno medio de naranja con", en="mean cosine of naranja to"),
        27,
        "<",
    )
    + "".join(align(CATEGORY_NAME[c], 9) for c in categories)
)
for key, sims in senses.items():
    print(
        align(SENSE_NAME[key], 27, "<")
        + "".join(align(number(sims[c], ".2f"), 9) for c in categories)
    )
mixed_vectors, mixed_vocab = mixed_run.vectors, mixed_run.vocab
mixed_near = nearest_neighbours(mixed_vectors, mixed_vocab, "naranja", k=5)
print(SENSE_NAME["both"] + ": " + quote("naranja"), "->", shown(mixed_near))

fig, ax = new_figure(width=6.8, height=3.6)
positions = torch.arange(len(categories), dtype=torch.float)
for k, key in enumerate(senses):
    values = [senses[key][c] for c in categories]
    ax.bar(
        positions + (k - 0.5) * 0.38,
        values,
        width=0.38,
        color=PALETTE[k],
        label=SENSE_NAME[key],
    )
tick_labels = [CATEGORY_NAME[c] for c in categories]
ax.set_xticks(positions.tolist(), tick_labels, fontsize=8)
ax.set(
    title=tr(
        es="«naranja»: un vector para dos sentidos",
        en="“naranja”: one vector for two senses",
    ),
    xlabel=tr(es="categoría", en="category"),
    ylabel=tr(es="coseno medio", en="mean cosine"),
    ylim=(0, 1.05),
)
ax.legend(fontsize=8)
colour, food = TWO = ("colores", "comida")
before_c, before_f = (number(senses["colour"][c], ".2f") for c in TWO)
after_c, after_f = (number(senses["both"][c], ".2f") for c in TWO)
set_alt(
    fig,
    es="Barras con la media de la similitud del coseno de «naranja» con cada "
    f"categoría. Casi solo como color es {before_c} con los colores y "
    f"{before_f} con la comida; cuando la palabra también hace de comida "
    f"pasa a {after_c} con los colores y {after_f} con la comida: el vector "
    "queda entre los dos grupos.",
    en="Bars with the mean cosine similarity of “naranja” to each category. "
    f"Almost only as a color it is {before_c} to colors and {before_f} to "
    f"food; when the word also serves as a food it becomes {after_c} to "
    f"colors and {after_f} to food: the vector sits between the two groups.",
)
as_colour = counts["naranja"] - in_prose
publish("n_naranja", counts["naranja"])
publish("naranja_in_prose", in_prose)
publish("n_pan", counts["pan"])
publish("n_naranja_colour", as_colour)
TAGS = {
    "colores": "colours",
    "comida": "food",
    "familia": "family",
    "animales": "animals",
    "lugares": "places",
}
for key in senses:
    for c, tag in TAGS.items():
        publish(f"naranja_{key}_{tag}", senses[key][c], ".2f")
claim(
    "colour_neighbours_context",
    senses["colour"]["animales"] > senses["colour"]["familia"]
    and senses["colour"]["lugares"] > senses["colour"]["familia"],
    es="el color «naranja» está más cerca de los animales y de los "
    "lugares que de las palabras de la familia",
    en="the color “naranja” is closer to animals and to places than to family",
)
claim(
    "two_senses_between",
    senses["both"][colour] < senses["colour"][colour] - 0.2
    and senses["both"][food] > senses["colour"][food] + 0.3
    and all(category_of.get(w) == food for w, _ in mixed_near)
    and counts["pan"] > as_colour,
    es="con dos sentidos, el coseno con los colores baja más de 0,2, el de la "
    "comida sube más de 0,3, las cinco vecinas son comida y el sentido de "
    "comida es el más frecuente",
    en="with two senses the cosine to colors drops by more than 0.2, the one "
    "to food rises by more than 0.3, all five neighbors are food and the "
    "food sense is the more frequent one",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - La consulta y el producto por el vector *one-hot* dan exactamente los mismos números, y solo las filas 1 y 4 de $E$ reciben gradiente {{ claim: lookup_is_matmul }}: una capa de incrustación es una capa lineal que se salta las multiplicaciones por cero.
# - La pérdida empieza en $(1 + K)\log 2 \approx$ {{ value: start_loss }} {{ claim: initial_loss }}, baja a {{ value: first_epoch_loss }} de media en la primera época y se estanca en torno a {{ value: last_loss }} {{ claim: loss_levels_off }}: no puede llegar a 0 porque cada palabra central tiene muchos contextos posibles.
# - Las palabras de las plantillas tienen como vecinas palabras de su categoría, con cosenos entre {{ value: template_cos_min }} y {{ value: template_cos_max }} {{ claim: template_neighbours_same_category }}, y en la proyección forman ocho grupos compactos aunque los dos ejes solo recogen el {{ value: explained_1 }} y el {{ value: explained_2 }} de la varianza {{ claim: groups_in_2d }}. La concordancia de categoría es {{ value: agree_full }} frente a {{ value: random_full }} con vectores al azar y {{ value: chance_full }} esperado por azar {{ claim: full_agreement }}. **Pero es un resultado de diseño**: las plantillas hacen intercambiables, por construcción, a las palabras de una misma categoría.
# - Con la prosa sola, un corpus real de {{ value: prose_tokens }} tokens, la concordancia baja a {{ value: agree_prose }}: {{ value: prose_over_chance }} veces el azar ({{ value: chance_prose }}) {{ claim: prose_agreement }}, así que algo se aprende («madre» tiene cerca a {{ value: prose_near_madre }}), pero con mucho ruido («lunes» tiene cerca a {{ value: prose_near_lunes }}) {{ claim: prose_madre_lunes }}. Las palabras que solo están en la prosa lo confirman en el modelo completo: «invierno» ($n =$ {{ value: n_invierno }}) tiene como vecinas {{ value: near_invierno }}; «café» ($n =$ {{ value: n_cafe }}), {{ value: near_cafe }}; «modelo», {{ value: near_modelo }}. Son palabras de la propia prosa, con cosenos más bajos que los de cualquier palabra de plantilla y, en el caso de «café», ninguna comida {{ claim: prose_words_loose }}: con tan pocas apariciones, lo que se aprende es a lo sumo una relación temática (palabras de los mismos párrafos), no de significado.
# - Parecido de uso no es igualdad de significado: $\cos(\text{madre}, \text{padre}) =$ {{ value: cos_madre_padre }} y $\cos(\text{lunes}, \text{domingo}) =$ {{ value: cos_lunes_domingo }} {{ claim: use_not_meaning }}. Los vectores dicen «se usan en los mismos sitios», y aquí no saben distinguir a la madre del padre porque ninguna plantilla lo hace. En corpus grandes, antónimos como «frío» y «calor» suelen quedar cerca por la misma razón. También se acercan categorías que aparecen juntas: el color «naranja» está más cerca de los animales ({{ value: naranja_colour_animals }}) y los lugares ({{ value: naranja_colour_places }}) que de la familia ({{ value: naranja_colour_family }}) {{ claim: colour_neighbours_context }}, porque las plantillas dicen «un {animales} {colores}» y «la puerta del {lugares} de color {colores}».
# - «perros» aparece {{ value: n_perros }} veces, más que «perro», y aun así $\cos(\text{perro}, \text{perros}) =$ {{ value: cos_perro_perros }} frente a {{ value: cos_perro_gato }} con «gato» {{ claim: plural_apart }}: cada palabra es un símbolo independiente y el modelo no ve que comparten raíz. Modelos como fastText (Bojanowski et al., 2017, [arXiv:1607.04606](https://arxiv.org/abs/1607.04606)) construyen el vector a partir de los n-gramas de caracteres de la palabra; las subpalabras de la lección de [tokenización](tokenization.md) atacan el mismo problema.
# - Con dos sentidos, el único vector de «naranja» pasa de un coseno medio de {{ value: naranja_colour_colours }} con los colores a {{ value: naranja_both_colours }}, y de {{ value: naranja_colour_food }} con la comida a {{ value: naranja_both_food }}; sus vecinas son ahora todas comida, el sentido más frecuente aquí ({{ value: n_pan }} apariciones frente a {{ value: n_naranja_colour }}) {{ claim: two_senses_between }}. Queda entre los dos grupos, sin representar bien ninguno. Las [incrustaciones contextuales](contextual-embeddings.md) ([ELMo](../papers/elmo.md), [BERT](../papers/bert.md)) lo resuelven calculando un vector distinto para cada aparición de la palabra a partir de la frase entera.

# %% [markdown] lang="en"
# ## What to notice
#
# - The lookup and the product with the one-hot vector give exactly the same numbers, and only rows 1 and 4 of $E$ get a gradient {{ claim: lookup_is_matmul }}: an embedding layer is a linear layer that skips the multiplications by zero.
# - The loss starts at $(1 + K)\log 2 \approx$ {{ value: start_loss }} {{ claim: initial_loss }}, falls to a mean of {{ value: first_epoch_loss }} in the first epoch and levels off around {{ value: last_loss }} {{ claim: loss_levels_off }}: it cannot reach 0 because each center word has many possible contexts.
# - Template words have words of their own category as neighbors, with cosines between {{ value: template_cos_min }} and {{ value: template_cos_max }} {{ claim: template_neighbours_same_category }}, and in the projection they form eight compact groups even though the two axes only capture {{ value: explained_1 }} and {{ value: explained_2 }} of the variance {{ claim: groups_in_2d }}. Category agreement is {{ value: agree_full }} against {{ value: random_full }} with random vectors and {{ value: chance_full }} expected by chance {{ claim: full_agreement }}. **But this result is by design**: the templates make words of the same category interchangeable, by construction.
# - With the prose alone, a real corpus of {{ value: prose_tokens }} tokens, agreement drops to {{ value: agree_prose }}: {{ value: prose_over_chance }} times chance ({{ value: chance_prose }}) {{ claim: prose_agreement }}, so something is learned ("madre", mother, has {{ value: prose_near_madre }} nearby), but with a lot of noise ("lunes", Monday, has {{ value: prose_near_lunes }} nearby) {{ claim: prose_madre_lunes }}. The words that occur only in the prose confirm it in the full model: "invierno" (winter, $n =$ {{ value: n_invierno }}) has {{ value: near_invierno }} as neighbors; "café" ($n =$ {{ value: n_cafe }}), {{ value: near_cafe }}; "modelo" (model), {{ value: near_modelo }}. They are words of the prose itself, with lower cosines than any template word's and, for "café", not a single food {{ claim: prose_words_loose }}: with so few occurrences, what is learned is at most a topical relation (words from the same paragraphs), not one of meaning.
# - Similar use is not the same meaning: $\cos(\text{madre}, \text{padre}) =$ {{ value: cos_madre_padre }} and $\cos(\text{lunes}, \text{domingo}) =$ {{ value: cos_lunes_domingo }} {{ claim: use_not_meaning }}. The vectors say "used in the same places", and here they cannot tell mother from father because no template does. In large corpora, antonyms such as "frío" and "calor" (cold and heat) often end up close for the same reason. Categories that appear together also come closer: the color "naranja" is nearer to animals ({{ value: naranja_colour_animals }}) and places ({{ value: naranja_colour_places }}) than to family ({{ value: naranja_colour_family }}) {{ claim: colour_neighbours_context }}, because the templates say "un {animales} {colores}" and "la puerta del {lugares} de color {colores}" (an {animal} {color}, the door of the {place} in {color}).
# - "perros" (dogs) appears {{ value: n_perros }} times, more than "perro" (dog), and yet $\cos(\text{perro}, \text{perros}) =$ {{ value: cos_perro_perros }} against {{ value: cos_perro_gato }} with "gato" (cat) {{ claim: plural_apart }}: each word is an independent symbol and the model does not see that they share a stem. Models such as fastText (Bojanowski et al., 2017, [arXiv:1607.04606](https://arxiv.org/abs/1607.04606)) build the vector from the word's character n-grams; the subwords of the [tokenization](tokenization.md) lesson tackle the same problem.
# - With two senses, the single vector of "naranja" goes from a mean cosine of {{ value: naranja_colour_colours }} with colors to {{ value: naranja_both_colours }}, and from {{ value: naranja_colour_food }} with food to {{ value: naranja_both_food }}; its neighbors are now all food, the more frequent sense here ({{ value: n_pan }} occurrences against {{ value: n_naranja_colour }}) {{ claim: two_senses_between }}. It sits between the two groups, representing neither well. [Contextual embeddings](contextual-embeddings.md) ([ELMo](../papers/elmo.md), [BERT](../papers/bert.md)) solve this by computing a different vector for each occurrence of the word from the whole sentence.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Cuántos parámetros tiene el modelo skip-gram que hemos entrenado ($V =$ {{ value: vocab_size }}, $d = 32$) y cuántos conservamos al final? Si un lote de 512 identificadores se pasara como vectores *one-hot*, ¿cuántos números tendría esa matriz y cuántos de ellos serían distintos de cero?
# 2. Entrena con la prosa sola activando el submuestreo de palabras frecuentes del artículo (`subsample=1e-3`) y compara el número de pares por época y la concordancia de categoría con las de `prose_run`. ¿Por qué empeora?
# 3. Escribe la pérdida de **CBOW** con muestreo negativo: la media de los vectores de las cuatro palabras de contexto (dos a cada lado) predice la palabra central. Reutiliza las dos tablas de `SkipGram`, entrena 10 épocas con los mismos datos y mide la concordancia de categoría.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. How many parameters does the skip-gram model we trained have ($V =$ {{ value: vocab_size }}, $d = 32$), and how many do we keep at the end? If a batch of 512 ids were passed as one-hot vectors, how many numbers would that matrix hold and how many of them would be non-zero?
# 2. Train on the prose alone with the paper's subsampling of frequent words switched on (`subsample=1e-3`) and compare the number of pairs per epoch and the category agreement with those of `prose_run`. Why does it get worse?
# 3. Write the **CBOW** loss with negative sampling: the mean of the vectors of the four context words (two on each side) predicts the center word. Reuse the two tables of `SkipGram`, train for 10 epochs on the same data and measure the category agreement.

# %% [markdown] lang="es" solution="1"
# Dos tablas de $V \times d$: $2 \cdot V \cdot d =$ {{ value: n_params }} parámetros, de los que conservamos la mitad, {{ value: n_kept }} (la tabla central) {{ claim: params_two_tables }}. La matriz *one-hot* del lote tendría $512 \times V =$ {{ value: onehot_numbers }} números, de los que solo 512 son unos; la consulta directa copia $512 \times d =$ {{ value: lookup_numbers }} números y no multiplica nada {{ claim: onehot_sparse }}.

# %% [markdown] lang="en" solution="1"
# Two tables of $V \times d$: $2 \cdot V \cdot d =$ {{ value: n_params }} parameters, of which we keep half, {{ value: n_kept }} (the center table) {{ claim: params_two_tables }}. The batch's one-hot matrix would hold $512 \times V =$ {{ value: onehot_numbers }} numbers, only 512 of them ones; the direct lookup copies $512 \times d =$ {{ value: lookup_numbers }} numbers and multiplies nothing {{ claim: onehot_sparse }}.

# %% solution="1"
V, d = vectors.shape
n_params = sum(p.numel() for p in run.model.parameters())
n_kept = run.model.center.weight.numel()
batch_ids = torch.randint(V, (512,), generator=seeded_generator(2))
one_hot = F.one_hot(batch_ids, V)  # (512, V)
copied = run.model.center(batch_ids)  # (512, d)
print(
    tr(es="parámetros:", en="parameters:"),
    n_params,
    "·",
    tr(es="conservados:", en="kept:"),
    n_kept,
)
print(
    tr(es="matriz one-hot:", en="one-hot matrix:"),
    tuple(one_hot.shape),
    one_hot.numel(),
    tr(es="números,", en="numbers,"),
    int(one_hot.count_nonzero()),
    tr(es="distintos de cero", en="non-zero"),
)
print(
    tr(es="consulta:", en="lookup:"),
    tuple(copied.shape),
    copied.numel(),
    tr(es="números", en="numbers"),
)
publish("vocab_size", V)
publish("n_params", n_params, ",d")
publish("n_kept", n_kept, ",d")
publish("onehot_numbers", one_hot.numel(), ",d")
publish("lookup_numbers", copied.numel(), ",d")
claim(
    "params_two_tables",
    n_params == 2 * V * d and n_kept * 2 == n_params,
    es="el modelo tiene 2·V·d parámetros y la tabla central es la mitad",
    en="the model has 2·V·d parameters and the center table is half of them",
)
claim(
    "onehot_sparse",
    one_hot.numel() == 512 * V and int(one_hot.count_nonzero()) == 512,
    es="la matriz one-hot del lote tiene 512·V números y solo 512 unos",
    en="the batch's one-hot matrix holds 512·V numbers and only 512 ones",
)

# %% [markdown] lang="es" solution="2"
# Con $t = 10^{-3}$, toda palabra con más de un 0,1 % de los tokens (en {{ value: prose_tokens }} tokens, las que aparecen más de {{ value: subsample_count }} veces) se descarta a veces, y las más frecuentes casi siempre: «de», con {{ value: n_de }} apariciones, se conserva con probabilidad $\sqrt{t \cdot N / n}$, {{ value: keep_de }}. Se pierden más de la mitad de los pares ({{ value: sub_pairs }} frente a {{ value: prose_pairs }}) y la concordancia cae de {{ value: agree_prose }} a {{ value: agree_sub }} {{ claim: subsampling_hurts }}, más cerca del azar ({{ value: chance_prose }}). El submuestreo está pensado para corpus de miles de millones de palabras, donde «de» o «la» aparecen millones de veces y sobran ejemplos.

# %% [markdown] lang="en" solution="2"
# With $t = 10^{-3}$, every word with more than 0.1% of the tokens (in {{ value: prose_tokens }} tokens, those occurring more than {{ value: subsample_count }} times) is sometimes dropped, and the most frequent ones almost always: "de", with {{ value: n_de }} occurrences, is kept with probability $\sqrt{t \cdot N / n}$, {{ value: keep_de }}. More than half of the pairs are lost ({{ value: sub_pairs }} against {{ value: prose_pairs }}) and agreement falls from {{ value: agree_prose }} to {{ value: agree_sub }} {{ claim: subsampling_hurts }}, closer to chance ({{ value: chance_prose }}). Subsampling is meant for corpora of billions of words, where "de" or "la" occur millions of times and there are examples to spare.

# %% solution="2"
subsampled = train_skipgram(prose, subsample=1e-3, seed=0)
agree_sub = category_agreement(subsampled.vectors, subsampled.vocab, categories)
prose_counts = Counter(t for s in prose for t in s)
n_prose = sum(prose_counts.values())
n_de = prose_counts["de"]
keep = keep_probabilities(torch.tensor([n_de, n_prose - n_de]))  # (2,)
print(
    tr(es="pares por época:", en="pairs per epoch:"),
    subsampled.n_pairs,
    tr(es="con submuestreo,", en="with subsampling,"),
    prose_run.n_pairs,
    tr(es="sin él", en="without"),
)
print(
    tr(es="concordancia:", en="agreement:"),
    number(agree_sub),
    tr(es="con submuestreo,", en="with subsampling,"),
    number(agreement["prose"][0]),
    tr(es="sin él", en="without"),
)
print(
    tr(
        es=f"«de»: {prose_counts['de']} apariciones, se conserva con "
        f"probabilidad {number(keep[0].item(), '.2f')}",
        en=f"“de”: {prose_counts['de']} occurrences, kept with probability "
        f"{number(keep[0].item(), '.2f')}",
    )
)
publish("subsample_count", int(1e-3 * n_prose))
publish("n_de", prose_counts["de"])
publish("keep_de", keep[0].item(), ".2f")
publish("sub_pairs", subsampled.n_pairs)
publish("prose_pairs", prose_run.n_pairs)
publish("agree_sub", agree_sub)
sub_pairs, prose_pairs = subsampled.n_pairs, prose_run.n_pairs
claim(
    "subsampling_hurts",
    sub_pairs < prose_pairs / 2 and agree_sub < agreement["prose"][0],
    es="con submuestreo se pierde más de la mitad de los pares y baja la "
    "concordancia de categoría con respecto al entrenamiento sin submuestreo",
    en="with subsampling more than half of the pairs are lost and the "
    "category agreement drops with respect to training without subsampling",
)

# %% [markdown] lang="es" solution="3"
# CBOW también alcanza una concordancia de {{ value: agree_cbow }} y «madre» tiene como vecinas palabras de familia ({{ value: cbow_near_madre }}) {{ claim: cbow_groups }}. Es más barato que skip-gram: {{ value: cbow_examples }} ejemplos por época, uno por posición, frente a {{ value: full_pairs }} pares {{ claim: cbow_cheaper }}; pero al promediar el contexto mezcla la información de las cuatro vecinas en un solo vector.

# %% [markdown] lang="en" solution="3"
# CBOW also reaches an agreement of {{ value: agree_cbow }} and "madre" has family words as neighbors ({{ value: cbow_near_madre }}) {{ claim: cbow_groups }}. It is cheaper than skip-gram: {{ value: cbow_examples }} examples per epoch, one per position, against {{ value: full_pairs }} pairs {{ claim: cbow_cheaper }}; but by averaging the context it mixes the information of the four neighbors into a single vector.


# %% solution="3"
def cbow_loss(model, contexts, centre, negatives):
    h = model.center(contexts).mean(1)  # (B, d): mean of the context vectors
    positive = (h * model.context(centre)).sum(-1)  # (B,)
    negative = torch.bmm(model.context(negatives), h.unsqueeze(2)).squeeze(2)
    return -(F.logsigmoid(positive) + F.logsigmoid(-negative).sum(-1)).mean()


windows = []
for s in sentences:
    x = [i for i in run.vocab.encode(s) if i != run.vocab.unk_id]
    for i in range(2, len(x) - 2):  # only positions with two words on each side
        windows.append(x[i - 2 : i] + x[i + 1 : i + 3] + [x[i]])
data = torch.tensor(windows)  # (N, 5): four context ids, then the center
id_counts = torch.bincount(data.flatten(), minlength=len(run.vocab)).float()
cbow_noise = noise_distribution(id_counts)
g = seeded_generator(0)
cbow = SkipGram(len(run.vocab), 32, generator=g)
optimizer = torch.optim.Adam(cbow.parameters(), lr=0.01)
for _ in range(10):
    for batch in data[torch.randperm(len(data), generator=g)].split(512):
        n_drawn = len(batch) * K
        drawn = torch.multinomial(cbow_noise, n_drawn, True, generator=g)
        loss = cbow_loss(cbow, batch[:, :4], batch[:, 4], drawn.view(-1, K))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
agree_cbow = category_agreement(cbow.vectors, run.vocab, categories)
cbow_near = nearest_neighbours(cbow.vectors, run.vocab, "madre", k=4)
print(tr(es="concordancia CBOW:", en="CBOW agreement:"), number(agree_cbow))
print(quote("madre"), "->", shown(cbow_near))
print(
    tr(es="ejemplos por época:", en="examples per epoch:"),
    len(data),
    "CBOW ·",
    run.n_pairs,
    "skip-gram",
)
publish("agree_cbow", agree_cbow)
publish("cbow_near_madre", ", ".join(quote(w) for w, _ in cbow_near))
publish("cbow_examples", len(data), ",d")
publish("full_pairs", run.n_pairs, ",d")
all_family = all(category_of.get(w) == "familia" for w, _ in cbow_near)
claim(
    "cbow_groups",
    agree_cbow > 0.95 and all_family,
    es="CBOW supera 0,95 de concordancia y las cuatro vecinas de «madre» "
    "son palabras de la familia",
    en="CBOW's agreement is above 0.95 and all four neighbors of “madre” "
    "are words of the family category",
)
claim(
    "cbow_cheaper",
    len(data) < run.n_pairs,
    es="CBOW tiene menos ejemplos por época que pares skip-gram",
    en="CBOW has fewer examples per epoch than skip-gram has pairs",
)
