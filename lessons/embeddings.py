# ---
# jupyter:
#   lesson:
#     title:
#       es: Incrustaciones de palabras
#       en: Word embeddings
#     summary:
#       es: "`nn.Embedding` como tabla de consulta, vectores de palabras entrenados con skip-gram y muestreo negativo sobre el corpus del curso, vecinos más cercanos, una proyección en 2-D y lo que esos vectores capturan y lo que no."
#       en: "`nn.Embedding` as a lookup table, word vectors trained with skip-gram and negative sampling on the course corpus, nearest neighbours, a 2-D projection, and what those vectors do and do not capture."
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
#     - Explore the learned vectors with nearest neighbours and a 2-D projection with PCA.
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
# Es decir, una capa de incrustación es una capa lineal sin sesgo aplicada a vectores *one-hot*. `nn.Embedding` se salta la construcción del vector *one-hot*, que es casi todo ceros, y copia la fila directamente. Lo comprobamos con $V = 6$ y $d = 3$: el producto matricial y la consulta dan exactamente los mismos números, y al retropropagar solo reciben gradiente las filas consultadas.

# %% [markdown] lang="en"
# ## A lookup table
#
# After tokenization, each word is an integer $i \in \{0, \dots, V-1\}$. An **embedding** assigns it a row of a trainable matrix $E \in \mathbb{R}^{V \times d}$, with $d \ll V$. If $\mathbf{x}_i \in \{0, 1\}^V$ is the word's one-hot vector (a 1 in position $i$, zeros elsewhere),
#
# $$
# \mathbf{e}_i = E^\top \mathbf{x}_i = E[i, :] .
# $$
#
# In other words, an embedding layer is a linear layer without bias applied to one-hot vectors. `nn.Embedding` skips building the one-hot vector, which is almost all zeros, and copies the row directly. We check it with $V = 6$ and $d = 3$: the matrix product and the lookup give exactly the same numbers, and backpropagation only sends a gradient to the rows that were looked up.

# %%
from collections import Counter

import torch
import torch.nn.functional as F
from dlcourse.data import corpus
from dlcourse.lessons.embeddings import (
    category_agreement,
    chance_agreement,
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
print("one-hot vectors of ids [4, 1, 4]:")
print(F.one_hot(ids, 6))
print("lookup E[ids]:", [[round(x, 3) for x in row] for row in looked_up.tolist()])
print("one-hot @ E  :", [[round(x, 3) for x in row] for row in by_matmul.tolist()])
print("identical:", torch.equal(looked_up, by_matmul))
looked_up.sum().backward()
touched = torch.nonzero(table.weight.grad.abs().sum(1)).flatten().tolist()
print("rows of E with a non-zero gradient:", touched)

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
# Dos detalles útiles: al empezar, word2vec pone a cero los vectores de contexto, así que todos los productos escalares valen 0 y la pérdida inicial es exactamente $(1 + K)\log 2$. Y la pérdida nunca llega a 0: una misma palabra central aparece con muchos contextos distintos, y el modelo no puede dar probabilidad 1 a todos.

# %% [markdown] lang="en"
# ## Skip-gram with negative sampling
#
# How do we learn rows of $E$ that mean something without labels? With the **distributional hypothesis**: words that appear in similar contexts tend to mean similar things. Mikolov, Chen, Corrado and Dean (2013, [arXiv:1301.3781](https://arxiv.org/abs/1301.3781)) proposed two very cheap models, word2vec: **CBOW** predicts a word from the words around it and **skip-gram** predicts the words around a word. Here we use skip-gram. Given a text $w_1, \dots, w_T$ and a window of size $c$, it maximises
#
# $$
# \frac{1}{T} \sum_{t=1}^{T} \sum_{\substack{-c \le j \le c \\ j \ne 0}} \log p(w_{t+j} \mid w_t),
# \qquad
# p(o \mid c) = \frac{\exp(\mathbf{u}_o^\top \mathbf{v}_c)}{\sum_{w=1}^{V} \exp(\mathbf{u}_w^\top \mathbf{v}_c)} ,
# $$
#
# where each word has two vectors: $\mathbf{v}_w$ when it is the **centre** word and $\mathbf{u}_w$ when it is **context**. The denominator runs over the whole vocabulary for every pair, which is expensive. Mikolov, Sutskever, Chen, Corrado and Dean (2013, [arXiv:1310.4546](https://arxiv.org/abs/1310.4546)) replace it with **negative sampling**: tell the real context $o$ apart from $K$ "noise" words $w_1, \dots, w_K$ drawn from a distribution $P_n$, with one logistic regression per word. The loss per pair $(c, o)$ is
#
# $$
# \mathcal{L}(c, o) = -\log \sigma(\mathbf{u}_o^\top \mathbf{v}_c) - \sum_{k=1}^{K} \log \sigma(-\mathbf{u}_{w_k}^\top \mathbf{v}_c),
# \qquad w_k \sim P_n(w) \propto U(w)^{3/4},
# $$
#
# where $U(w)$ is the word's frequency in the corpus. Raising it to $3/4$ flattens the distribution: rare words are drawn as noise somewhat more often than their frequency, and very frequent ones somewhat less. The paper reports that this power worked clearly better than the plain frequency and than the uniform distribution, and that values of $K$ between 5 and 20 are useful for small datasets. After training, the table of centre vectors $\mathbf{v}_w$ is the embedding matrix $E$; the context table is thrown away.
#
# Two useful details: at the start, word2vec sets the context vectors to zero, so every dot product is 0 and the initial loss is exactly $(1 + K)\log 2$. And the loss never reaches 0: the same centre word appears with many different contexts, and the model cannot give all of them probability 1.

# %% [markdown] lang="es"
# ## Pares (centro, contexto)
#
# Los datos de entrenamiento son pares: cada palabra con cada vecina a una distancia de hasta $c$ posiciones, sin cruzar el final de la frase. Con $c = 2$, en una frase de 8 palabras:

# %% [markdown] lang="en"
# ## (Centre, context) pairs
#
# The training data are pairs: every word with each neighbour up to $c$ positions away, never crossing the end of the sentence. With $c = 2$, in a sentence of 8 words:

# %%
sentence = corpus.words("Mi madre compró pan en el mercado.")  # lowercased, "." apart
pairs = skipgram_pairs([list(range(len(sentence)))], window=2)  # (N, 2) positions in the sentence
print(f"{len(sentence)} words, window 2 -> {len(pairs)} (centre, context) pairs")
for centre in ("mi", "compró"):
    i = sentence.index(centre)
    print(f"  centre {centre!r:>9}:", [sentence[j] for j in pairs[pairs[:, 0] == i, 1].tolist()])

# %% [markdown] lang="es"
# ## El corpus
#
# El corpus del curso ([`dlcourse.data.corpus`](../api/data/corpus.md)) tiene dos partes en español. La **prosa** son las frases sobre la vida diaria y sobre el propio curso que usamos en la lección de tokenización: unos 4.300 tokens (palabras y signos de puntuación), muy poco para word2vec, que se entrenó con miles de millones de palabras. Las **frases de plantilla** (`everyday_sentences`) se generan rellenando huecos como «el {días} mi {familia} compró {comida} en el {lugares} .» con palabras de ocho categorías fijas. Entrenamos con las dos juntas: la prosa aporta vocabulario variado y las plantillas, una señal distribucional controlada y abundante.
#
# Aprovechamos para ver la distribución de ruido: el punto, la palabra más frecuente, sale como ruido la mitad de veces de las que aparece en el texto, y las palabras raras, unas dos veces y media más.

# %% [markdown] lang="en"
# ## The corpus
#
# The course corpus ([`dlcourse.data.corpus`](../api/data/corpus.md)) has two parts in Spanish. The **prose** is the sentences about everyday life and about the course itself that we used in the tokenization lesson: about 4,300 tokens (words and punctuation marks), very little for word2vec, which was trained on billions of words. The **template sentences** (`everyday_sentences`) are generated by filling slots such as "el {días} mi {familia} compró {comida} en el {lugares} ." ("on {day} my {relative} bought {food} at the {place}") with words from eight fixed categories. We train on both together: the prose brings a varied vocabulary and the templates a controlled, plentiful distributional signal.
#
# We also take a look at the noise distribution: the full stop, the most frequent word, is drawn as noise half as often as it occurs in the text, and rare words about two and a half times as often.

# %%
prose = [corpus.words(s) for s in corpus.sentences("es")]
templates = [s.split() for s in corpus.everyday_sentences(2000, seed=0)]
for name, part in (("course prose", prose), ("template sentences", templates)):
    distinct = len({t for s in part for t in s})
    tokens = sum(map(len, part))
    print(
        f"{name:<19} {len(part):5d} sentences · {tokens:6d} tokens · {distinct:4d} distinct words"
    )
print("three template sentences:")
for s in templates[:3]:
    print("  ", " ".join(s))

sentences = prose + templates
counts = Counter(t for s in sentences for t in s)
words_seen = sorted(counts)
noise = noise_distribution(torch.tensor([counts[w] for w in words_seen], dtype=torch.float))
total = sum(counts.values())
print("\nword       count   share of tokens   noise probability")
for w in (".", "mi", "madre", "invierno", "café"):
    print(f"{w:<9} {counts[w]:6d}   {counts[w] / total:15.4f}   {noise[words_seen.index(w)]:17.4f}")
print(f"the noise probabilities sum to {noise.sum():.4f}")

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
run = train_skipgram(sentences, dim=32, window=2, negatives=K, epochs=10, seed=0)
vectors = run.vectors  # (V, 32)
print(f"vocabulary (words seen at least twice): {len(run.vocab)} · pairs per epoch: {run.n_pairs}")
print(
    f"loss at the start, every dot product 0: (1 + K) log 2 = {(1 + K) * torch.log(torch.tensor(2.0)):.3f}"
)
for epoch, loss in enumerate(run.losses, start=1):
    if epoch in (1, 2, 3, 5, 10):
        print(f"epoch {epoch:2d}   mean loss {loss:.3f}")

# %% [markdown] lang="es"
# ## Vecinos más cercanos
#
# Comparamos vectores con la **similitud coseno**, $\cos(\mathbf{a}, \mathbf{b}) = \mathbf{a}^\top \mathbf{b} / (\lVert \mathbf{a} \rVert \lVert \mathbf{b} \rVert)$, que ignora la longitud. Para cada palabra mostramos cuántas veces aparece en el corpus ($n$) y sus cuatro vecinas más cercanas. Las cinco primeras son palabras de las plantillas; las tres últimas aparecen solo en la prosa.

# %% [markdown] lang="en"
# ## Nearest neighbours
#
# We compare vectors with **cosine similarity**, $\cos(\mathbf{a}, \mathbf{b}) = \mathbf{a}^\top \mathbf{b} / (\lVert \mathbf{a} \rVert \lVert \mathbf{b} \rVert)$, which ignores length. For each word we show how many times it occurs in the corpus ($n$) and its four nearest neighbours. The first five are template words; the last three occur only in the prose.

# %%
for word in ("lunes", "madre", "perro", "pan", "rojo", "invierno", "café", "modelo"):
    near = ", ".join(f"{w} {s:.2f}" for w, s in nearest_neighbours(vectors, run.vocab, word, k=4))
    print(f"{word:<9} (n={counts[word]:3d}) -> {near}")

# %% [markdown] lang="es"
# ## Una proyección en 2-D
#
# Los vectores tienen 32 dimensiones. Para dibujarlos los proyectamos sobre sus dos **componentes principales** (PCA), las dos direcciones en las que más varían. Es una vista con pérdidas: el porcentaje de varianza que recoge cada eje dice cuánto de la geometría real se ve.

# %% [markdown] lang="en"
# ## A 2-D projection
#
# The vectors have 32 dimensions. To draw them we project them onto their two **principal components** (PCA), the two directions along which they vary most. It is a lossy view: the share of variance each axis captures says how much of the real geometry we get to see.

# %%
categories = corpus.WORD_CATEGORIES
CATEGORY_EN = {
    "familia": "family",
    "días": "days",
    "comida": "food",
    "lugares": "places",
    "animales": "animals",
    "colores": "colours",
    "números": "numbers",
    "meses": "months",
}
words = [w for members in categories.values() for w in members if w in run.vocab]
coords, explained = pca_2d(vectors[[run.vocab.stoi[w] for w in words]])  # (n, 2)
print(
    f"{len(words)} category words · variance explained: {explained[0]:.1%} and {explained[1]:.1%}"
)

fig, ax = new_figure(width=7.0, height=5.4)
for k, (name, members) in enumerate(categories.items()):
    rows = [i for i, w in enumerate(words) if w in members]
    ax.scatter(
        coords[rows, 0],
        coords[rows, 1],
        s=30,
        color=PALETTE[k],
        edgecolors="#333333",
        linewidths=0.4,
        label=f"{name} / {CATEGORY_EN[name]}",
    )
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
ax.set(
    title="Vectores de palabras en 2-D (PCA) / Word vectors in 2-D (PCA)",
    xlabel=f"componente 1 ({explained[0]:.0%}) / component 1",
    ylabel=f"componente 2 ({explained[1]:.0%}) / component 2",
)
ax.legend(fontsize=8, ncols=2)
set_alt(
    fig,
    es=f"Diagrama de dispersión de las {len(words)} palabras de categoría proyectadas con PCA, coloreadas por categoría: familia, días, comida, lugares, animales, colores, números y meses. Cada categoría forma un grupo compacto y separado de los demás; se rotula una palabra por grupo (madre, lunes, pan, mercado, perro, rojo, dos, enero). Los dos ejes recogen el {100 * explained[0]:.0f} % y el {100 * explained[1]:.0f} % de la varianza.",
    en=f"Scatter plot of the {len(words)} category words projected with PCA, coloured by category: family, days, food, places, animals, colours, numbers and months. Each category forms a compact group apart from the others; one word per group is labelled (madre, lunes, pan, mercado, perro, rojo, dos, enero). The two axes capture {explained[0]:.0%} and {explained[1]:.0%} of the variance.",
)

# %% [markdown] lang="es"
# ## Qué capturan los vectores y qué no
#
# ### Frente a vectores al azar
#
# Una medida sencilla y honesta: para cada palabra de categoría miramos sus 3 vecinas más cercanas **entre las palabras de categoría** y contamos qué fracción es de su misma categoría. Lo comparamos con vectores gaussianos al azar de la misma forma y con el valor esperado por azar. Y repetimos el entrenamiento **solo con la prosa**, sin plantillas, para ver qué da un corpus real de unos 4.300 tokens.

# %% [markdown] lang="en"
# ## What the vectors do and do not capture
#
# ### Against random vectors
#
# A simple, honest measure: for each category word we look at its 3 nearest neighbours **among the category words** and count what fraction belongs to its own category. We compare with random Gaussian vectors of the same shape and with the value expected by chance. And we repeat the training **on the prose only**, without templates, to see what a real corpus of about 4,300 tokens gives.

# %%
prose_run = train_skipgram(prose, dim=32, window=2, negatives=K, epochs=10, seed=0)
random_generator = seeded_generator(1)
print("trained on          category words   trained   random   chance")
for name, r in (("prose + templates", run), ("prose only", prose_run)):
    n = sum(w in r.vocab for members in categories.values() for w in members)
    random_vectors = torch.randn(r.vectors.shape, generator=random_generator)
    trained = category_agreement(r.vectors, r.vocab, categories)
    baseline = category_agreement(random_vectors, r.vocab, categories)
    chance = chance_agreement(r.vocab, categories)
    print(f"{name:<18} {n:15d}   {trained:7.3f}   {baseline:6.3f}   {chance:6.3f}")
print()
for word in ("madre", "lunes", "invierno"):
    near = nearest_neighbours(prose_run.vectors, prose_run.vocab, word, k=4)
    print(f"prose only: {word:<9} -> " + ", ".join(f"{w} {s:.2f}" for w, s in near))

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


print(f"n(perro) = {counts['perro']} · n(perros) = {counts['perros']}")
print(
    f"cos(perro, perros) = {cosine('perro', 'perros'):.2f} · cos(perro, gato) = {cosine('perro', 'gato'):.2f}"
)
near = nearest_neighbours(vectors, run.vocab, "perros", k=4)
print("perros ->", ", ".join(f"{w} {s:.2f}" for w, s in near))
print(
    f"cos(madre, padre) = {cosine('madre', 'padre'):.2f} · cos(lunes, domingo) = {cosine('lunes', 'domingo'):.2f}"
)

# %% [markdown] lang="es"
# ### Una palabra, un vector
#
# «Naranja» es una fruta y un color. En nuestro corpus aparece 115 veces: una en la prosa («zumo de naranja») y el resto como color en las plantillas, así que su único vector es el de un color. Para ver qué pasa cuando los dos sentidos tienen peso, fabricamos una palabra ambigua: sustituimos cada «pan» del corpus por «naranja», de modo que «naranja» ocupa también los huecos de comida, y volvemos a entrenar. Medimos la similitud coseno media de «naranja» con las palabras de cada categoría.

# %% [markdown] lang="en"
# ### One word, one vector
#
# "Naranja" is both a fruit (orange) and a colour (orange). In our corpus it appears 115 times: once in the prose ("zumo de naranja", orange juice) and the rest as a colour in the templates, so its only vector is a colour's. To see what happens when both senses carry weight, we manufacture an ambiguous word: we replace every "pan" (bread) in the corpus by "naranja", so that "naranja" also fills food slots, and train again. We measure the mean cosine similarity of "naranja" to the words of each category.

# %%
swapped = [["naranja" if t == "pan" else t for t in s] for s in sentences]
mixed_run = train_skipgram(swapped, dim=32, window=2, negatives=K, epochs=10, seed=0)
in_prose = sum(s.count("naranja") for s in prose)
print(
    f"naranja: {counts['naranja']} times ({in_prose} in the prose) · pan, renamed naranja: {counts['pan']} times"
)
senses = {
    "colour only": similarity_to_groups(vectors, run.vocab, "naranja", categories),
    "colour + food": similarity_to_groups(
        mixed_run.vectors, mixed_run.vocab, "naranja", categories
    ),
}
print("mean cosine of naranja to   " + "  ".join(f"{c[:8]:>8}" for c in categories))
for name, sims in senses.items():
    print(f"{name:<26}" + "  ".join(f"{sims[c]:8.2f}" for c in categories))
near = nearest_neighbours(mixed_run.vectors, mixed_run.vocab, "naranja", k=5)
print("colour + food: naranja ->", ", ".join(f"{w} {s:.2f}" for w, s in near))

fig, ax = new_figure(width=6.8, height=3.6)
positions = torch.arange(len(categories), dtype=torch.float)
for k, (name, label) in enumerate(
    (
        ("colour only", "solo color / colour only"),
        ("colour + food", "color y comida / colour + food"),
    )
):
    values = [senses[name][c] for c in categories]
    ax.bar(positions + (k - 0.5) * 0.38, values, width=0.38, color=PALETTE[k], label=label)
ax.set_xticks(positions.tolist(), [f"{c}\n{CATEGORY_EN[c]}" for c in categories], fontsize=8)
ax.set(
    title="«naranja»: un vector para dos sentidos / one vector for two senses",
    xlabel="categoría / category",
    ylabel="coseno medio / mean cosine",
    ylim=(0, 1.05),
)
ax.legend(fontsize=8)
colour, food = ("colores", "comida")


from dlcourse.formatting import decimal_comma

set_alt(
    fig,
    es=f"Barras con la similitud coseno media de «naranja» con cada categoría. Casi solo como color es {decimal_comma(senses['colour only'][colour], 2)} con los colores y {decimal_comma(senses['colour only'][food], 2)} con la comida; cuando la palabra también hace de comida pasa a {decimal_comma(senses['colour + food'][colour], 2)} con los colores y {decimal_comma(senses['colour + food'][food], 2)} con la comida: el vector queda entre los dos grupos.",
    en=f"Bars with the mean cosine similarity of “naranja” to each category. Almost only as a colour it is {senses['colour only'][colour]:.2f} to colours and {senses['colour only'][food]:.2f} to food; when the word also serves as a food it becomes {senses['colour + food'][colour]:.2f} to colours and {senses['colour + food'][food]:.2f} to food: the vector sits between the two groups.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - La consulta y el producto por el vector *one-hot* dan exactamente los mismos números, y solo las filas 1 y 4 de $E$ reciben gradiente: una capa de incrustación es una capa lineal que se salta las multiplicaciones por cero.
# - La pérdida empieza en $(1 + K)\log 2 \approx 4{,}159$, baja a 2,627 de media en la primera época y se estanca en torno a 1,645: no puede llegar a 0 porque cada palabra central tiene muchos contextos posibles.
# - Las palabras de las plantillas tienen como vecinas palabras de su categoría, con cosenos entre 0,96 y 0,99, y en la proyección forman ocho grupos compactos aunque los dos ejes solo recogen el 21 % y el 19 % de la varianza. La concordancia de categoría es 1,000 frente a 0,122 con vectores al azar y 0,111 esperado por azar. **Pero es un resultado de diseño**: las plantillas hacen intercambiables, por construcción, a las palabras de una misma categoría.
# - Con la prosa sola, un corpus real de 4.264 tokens, la concordancia baja a 0,368: casi el triple del azar (0,129), así que algo se aprende («madre» tiene cerca a «padre» y «abuela»), pero con mucho ruido («lunes» tiene cerca a «primero» y «cumpleaños»). Las palabras que solo están en la prosa lo confirman en el modelo completo: «invierno» ($n = 5$) acierta con «verano» y luego falla; «café» ($n = 4$) solo tiene vecinas sin relación; «modelo» se acerca a «código», «entreno» y «aprende», palabras de los mismos párrafos sobre el curso: relación temática, no de significado.
# - Parecido de uso no es igualdad de significado: $\cos(\text{madre}, \text{padre}) = 0{,}99$ y $\cos(\text{lunes}, \text{domingo}) = 0{,}97$. Los vectores dicen «se usan en los mismos sitios», y aquí no saben distinguir a la madre del padre porque ninguna plantilla lo hace. En corpus grandes, antónimos como «frío» y «calor» suelen quedar cerca por la misma razón. También se acercan categorías que aparecen juntas: el color «naranja» está más cerca de los animales (0,47) y los lugares (0,42) que de la familia (0,14), porque las plantillas dicen «un {animales} {colores}» y «la puerta del {lugares} de color {colores}».
# - «perros» aparece 169 veces, más que «perro», y aun así $\cos(\text{perro}, \text{perros}) = 0{,}38$ frente a 0,96 con «gato»: cada palabra es un símbolo independiente y el modelo no ve que comparten raíz. Modelos como fastText (Bojanowski et al., 2017, [arXiv:1607.04606](https://arxiv.org/abs/1607.04606)) construyen el vector a partir de los n-gramas de caracteres de la palabra; las subpalabras de la lección de [tokenización](tokenization.md) atacan el mismo problema.
# - Con dos sentidos, el único vector de «naranja» pasa de un coseno medio de 0,98 con los colores a 0,60, y de 0,25 con la comida a 0,76; sus vecinas son ahora todas comida, el sentido más frecuente aquí (143 apariciones frente a 114). Queda entre los dos grupos, sin representar bien ninguno. Las [incrustaciones contextuales](contextual-embeddings.md) ([ELMo](../papers/elmo.md), [BERT](../papers/bert.md)) lo resuelven calculando un vector distinto para cada aparición de la palabra a partir de la frase entera.

# %% [markdown] lang="en"
# ## What to notice
#
# - The lookup and the product with the one-hot vector give exactly the same numbers, and only rows 1 and 4 of $E$ get a gradient: an embedding layer is a linear layer that skips the multiplications by zero.
# - The loss starts at $(1 + K)\log 2 \approx 4.159$, falls to a mean of 2.627 in the first epoch and levels off around 1.645: it cannot reach 0 because each centre word has many possible contexts.
# - Template words have words of their own category as neighbours, with cosines between 0.96 and 0.99, and in the projection they form eight compact groups even though the two axes only capture 21 % and 19 % of the variance. Category agreement is 1.000 against 0.122 with random vectors and 0.111 expected by chance. **But this result is by design**: the templates make words of the same category interchangeable, by construction.
# - With the prose alone, a real corpus of 4,264 tokens, agreement drops to 0.368: almost three times chance (0.129), so something is learned ("madre", mother, has "padre" and "abuela", father and grandmother, nearby), but with a lot of noise ("lunes", Monday, has "primero" and "cumpleaños", first and birthday, nearby). The words that occur only in the prose confirm it in the full model: "invierno" (winter, $n = 5$) gets "verano" (summer) right and then misses; "café" ($n = 4$) only has unrelated neighbours; "modelo" (model) comes close to "código", "entreno" and "aprende" (code, I train, learns), words from the same paragraphs about the course: a topical relation, not one of meaning.
# - Similar use is not the same meaning: $\cos(\text{madre}, \text{padre}) = 0.99$ and $\cos(\text{lunes}, \text{domingo}) = 0.97$. The vectors say "used in the same places", and here they cannot tell mother from father because no template does. In large corpora, antonyms such as "frío" and "calor" (cold and heat) often end up close for the same reason. Categories that appear together also come closer: the colour "naranja" is nearer to animals (0.47) and places (0.42) than to family (0.14), because the templates say "un {animales} {colores}" and "la puerta del {lugares} de color {colores}" (an {animal} {colour}, the door of the {place} in {colour}).
# - "perros" (dogs) appears 169 times, more than "perro" (dog), and yet $\cos(\text{perro}, \text{perros}) = 0.38$ against 0.96 with "gato" (cat): each word is an independent symbol and the model does not see that they share a stem. Models such as fastText (Bojanowski et al., 2017, [arXiv:1607.04606](https://arxiv.org/abs/1607.04606)) build the vector from the word's character n-grams; the subwords of the [tokenization](tokenization.md) lesson tackle the same problem.
# - With two senses, the single vector of "naranja" goes from a mean cosine of 0.98 with colours to 0.60, and from 0.25 with food to 0.76; its neighbours are now all food, the more frequent sense here (143 occurrences against 114). It sits between the two groups, representing neither well. [Contextual embeddings](contextual-embeddings.md) ([ELMo](../papers/elmo.md), [BERT](../papers/bert.md)) solve this by computing a different vector for each occurrence of the word from the whole sentence.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Cuántos parámetros tiene el modelo skip-gram que hemos entrenado ($V = 496$, $d = 32$) y cuántos conservamos al final? Si un lote de 512 identificadores se pasara como vectores *one-hot*, ¿cuántos números tendría esa matriz y cuántos de ellos serían distintos de cero?
# 2. Entrena con la prosa sola activando el submuestreo de palabras frecuentes del artículo (`subsample=1e-3`) y compara el número de pares por época y la concordancia de categoría con las de `prose_run`. ¿Por qué empeora?
# 3. Escribe la pérdida de **CBOW** con muestreo negativo: la media de los vectores de las cuatro palabras de contexto (dos a cada lado) predice la palabra central. Reutiliza las dos tablas de `SkipGram`, entrena 10 épocas con los mismos datos y mide la concordancia de categoría.
#
# ??? success "Solución 1"
#     Dos tablas de $496 \times 32$: $2 \cdot 496 \cdot 32 = 31\,744$ parámetros, de los que conservamos la mitad, $15\,872$ (la tabla central). La matriz *one-hot* del lote tendría $512 \times 496 = 253\,952$ números, de los que solo 512 son unos; la consulta directa copia $512 \times 32 = 16\,384$ números y no multiplica nada.
#
# ??? success "Solución 2"
#     ```python
#     subsampled = train_skipgram(prose, subsample=1e-3, seed=0)
#     print(subsampled.n_pairs, prose_run.n_pairs)  # 4652 frente a 11788
#     print(category_agreement(subsampled.vectors, subsampled.vocab, categories))  # 0.184
#     ```
#     Con $t = 10^{-3}$, toda palabra con más de un 0,1 % de los tokens (en 4.264 tokens, las que aparecen más de 4 veces) se descarta a veces, y las más frecuentes casi siempre: «de», con 174 apariciones, se conserva con probabilidad $\sqrt{0{,}001 \cdot 4264 / 174} \approx 0{,}16$. Se pierden más de la mitad de los pares y la concordancia cae de 0,368 a 0,184, mucho más cerca del azar (0,129). El submuestreo está pensado para corpus de miles de millones de palabras, donde «de» o «la» aparecen millones de veces y sobran ejemplos.
#
# ??? success "Solución 3"
#     ```python
#     from dlcourse.lessons.embeddings import SkipGram
#
#     def cbow_loss(model, contexts, centre, negatives):
#         h = model.center(contexts).mean(1)  # (B, d): the mean of the context words' vectors
#         positive = (h * model.context(centre)).sum(-1)  # (B,)
#         negative = torch.bmm(model.context(negatives), h.unsqueeze(2)).squeeze(2)  # (B, K)
#         return -(F.logsigmoid(positive) + F.logsigmoid(-negative).sum(-1)).mean()
#
#     windows = []
#     for s in sentences:
#         x = run.vocab.encode(s)
#         for i in range(2, len(x) - 2):  # only positions with two words on each side
#             windows.append(x[i - 2 : i] + x[i + 1 : i + 3] + [x[i]])
#     data = torch.tensor(windows)  # (N, 5): four context ids, then the centre
#     noise = noise_distribution(torch.bincount(data.flatten(), minlength=len(run.vocab)).float())
#     g = torch.Generator().manual_seed(0)
#     cbow = SkipGram(len(run.vocab), 32, generator=g)
#     optimizer = torch.optim.Adam(cbow.parameters(), lr=0.01)
#     for epoch in range(10):
#         for batch in data[torch.randperm(len(data), generator=g)].split(512):
#             negatives = torch.multinomial(noise, len(batch) * 5, replacement=True, generator=g)
#             loss = cbow_loss(cbow, batch[:, :4], batch[:, 4], negatives.view(-1, 5))
#             optimizer.zero_grad()
#             loss.backward()
#             optimizer.step()
#     print(category_agreement(cbow.vectors, run.vocab, categories))  # 1.0
#     print(nearest_neighbours(cbow.vectors, run.vocab, "madre", k=4))
#     ```
#     CBOW también alcanza una concordancia de 1,000 y «madre» tiene como vecinas palabras de familia. Es más barato que skip-gram (un ejemplo por posición en lugar de uno por pareja de palabras), pero al promediar el contexto mezcla la información de las cuatro vecinas en un solo vector.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. How many parameters does the skip-gram model we trained have ($V = 496$, $d = 32$), and how many do we keep at the end? If a batch of 512 ids were passed as one-hot vectors, how many numbers would that matrix hold and how many of them would be non-zero?
# 2. Train on the prose alone with the paper's subsampling of frequent words switched on (`subsample=1e-3`) and compare the number of pairs per epoch and the category agreement with those of `prose_run`. Why does it get worse?
# 3. Write the **CBOW** loss with negative sampling: the mean of the vectors of the four context words (two on each side) predicts the centre word. Reuse the two tables of `SkipGram`, train for 10 epochs on the same data and measure the category agreement.
#
# ??? success "Solution 1"
#     Two tables of $496 \times 32$: $2 \cdot 496 \cdot 32 = 31{,}744$ parameters, of which we keep half, $15{,}872$ (the centre table). The batch's one-hot matrix would hold $512 \times 496 = 253{,}952$ numbers, only 512 of them ones; the direct lookup copies $512 \times 32 = 16{,}384$ numbers and multiplies nothing.
#
# ??? success "Solution 2"
#     ```python
#     subsampled = train_skipgram(prose, subsample=1e-3, seed=0)
#     print(subsampled.n_pairs, prose_run.n_pairs)  # 4652 against 11788
#     print(category_agreement(subsampled.vectors, subsampled.vocab, categories))  # 0.184
#     ```
#     With $t = 10^{-3}$, every word with more than 0.1 % of the tokens (in 4,264 tokens, those occurring more than 4 times) is sometimes dropped, and the most frequent ones almost always: "de", with 174 occurrences, is kept with probability $\sqrt{0.001 \cdot 4264 / 174} \approx 0.16$. More than half of the pairs are lost and agreement falls from 0.368 to 0.184, much closer to chance (0.129). Subsampling is meant for corpora of billions of words, where "de" or "la" occur millions of times and there are examples to spare.
#
# ??? success "Solution 3"
#     ```python
#     from dlcourse.lessons.embeddings import SkipGram
#
#     def cbow_loss(model, contexts, centre, negatives):
#         h = model.center(contexts).mean(1)  # (B, d): the mean of the context words' vectors
#         positive = (h * model.context(centre)).sum(-1)  # (B,)
#         negative = torch.bmm(model.context(negatives), h.unsqueeze(2)).squeeze(2)  # (B, K)
#         return -(F.logsigmoid(positive) + F.logsigmoid(-negative).sum(-1)).mean()
#
#     windows = []
#     for s in sentences:
#         x = run.vocab.encode(s)
#         for i in range(2, len(x) - 2):  # only positions with two words on each side
#             windows.append(x[i - 2 : i] + x[i + 1 : i + 3] + [x[i]])
#     data = torch.tensor(windows)  # (N, 5): four context ids, then the centre
#     noise = noise_distribution(torch.bincount(data.flatten(), minlength=len(run.vocab)).float())
#     g = torch.Generator().manual_seed(0)
#     cbow = SkipGram(len(run.vocab), 32, generator=g)
#     optimizer = torch.optim.Adam(cbow.parameters(), lr=0.01)
#     for epoch in range(10):
#         for batch in data[torch.randperm(len(data), generator=g)].split(512):
#             negatives = torch.multinomial(noise, len(batch) * 5, replacement=True, generator=g)
#             loss = cbow_loss(cbow, batch[:, :4], batch[:, 4], negatives.view(-1, 5))
#             optimizer.zero_grad()
#             loss.backward()
#             optimizer.step()
#     print(category_agreement(cbow.vectors, run.vocab, categories))  # 1.0
#     print(nearest_neighbours(cbow.vectors, run.vocab, "madre", k=4))
#     ```
#     CBOW also reaches an agreement of 1.000 and "madre" has family words as neighbours. It is cheaper than skip-gram (one example per position instead of one per pair of words), but by averaging the context it mixes the information of the four neighbours into a single vector.
