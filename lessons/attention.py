# ---
# jupyter:
#   lesson:
#     title:
#       es: Atención paso a paso
#       en: Attention by hand
#     summary:
#       es: Atención aditiva y de producto escalar escalada calculadas paso a paso sobre una frase pequeña, comprobadas contra PyTorch, y por qué se divide por la raíz de la dimensión.
#       en: Additive and scaled dot-product attention computed step by step on a small sentence, checked against PyTorch, and why one divides by the square root of the dimension.
#     order: 27
#     budget_cpu_s: 90
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Calcular a mano las tres etapas de la atención: puntuaciones, pesos (softmax) y promedio ponderado de los valores.
#     - Comprobar que nuestra atención de producto escalar escalada coincide con `F.scaled_dot_product_attention` de PyTorch.
#     - Escribir la puntuación aditiva de Bahdanau y ver en qué se diferencia.
#     - Medir por qué se divide por $\sqrt{d_k}$: sin ese factor, la softmax se satura al crecer la dimensión.
#
# Artículos asociados: notas sobre la [atención de Bahdanau](../papers/bahdanau-attention.md) y el [Transformer](../papers/transformer.md). Lecciones relacionadas: [tensores y multiplicación de matrices](tensors.md) y [secuencias largas y LSH](lsh.md). Referencia de la API: [`dlcourse.models.attention`](../api/models/attention.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Compute by hand the three stages of attention: scores, weights (softmax) and the weighted average of the values.
#     - Check that our scaled dot-product attention matches PyTorch's `F.scaled_dot_product_attention`.
#     - Write Bahdanau's additive score and see how it differs.
#     - Measure why one divides by $\sqrt{d_k}$: without that factor the softmax saturates as the dimension grows.
#
# Related papers: notes on [Bahdanau attention](../papers/bahdanau-attention.md) and the [Transformer](../papers/transformer.md). Related lessons: [tensors and matrix multiplication](tensors.md) and [long sequences and LSH](lsh.md). API reference: [`dlcourse.models.attention`](../api/models/attention.md).

# %% [markdown] lang="es"
# ## La idea
#
# La atención responde, para cada **consulta** $\mathbf{q}_i$, a qué **claves** $\mathbf{k}_j$ se parece más, y devuelve la media de los **valores** $\mathbf{v}_j$ pesada por ese parecido:
#
# $$
# s_{ij} = \operatorname{score}(\mathbf{q}_i, \mathbf{k}_j), \qquad
# \alpha_{ij} = \frac{e^{s_{ij}}}{\sum_{j'} e^{s_{ij'}}}, \qquad
# \mathbf{o}_i = \sum_j \alpha_{ij}\, \mathbf{v}_j .
# $$
#
# Bahdanau, Cho y Bengio (2014, [arXiv:1409.0473](https://arxiv.org/abs/1409.0473)) usan una puntuación **aditiva**, una pequeña red: $s_{ij} = \mathbf{w}^\top \tanh(W_q \mathbf{q}_i + W_k \mathbf{k}_j)$. El Transformer (Vaswani et al., 2017, [arXiv:1706.03762](https://arxiv.org/abs/1706.03762)) usa el **producto escalar escalado**, que en forma matricial es
#
# $$
# \operatorname{Attention}(Q, K, V) = \operatorname{softmax}\!\Big(\frac{QK^\top}{\sqrt{d_k}}\Big) V .
# $$
#
# Si las componentes de $\mathbf{q}$ y $\mathbf{k}$ tienen media 0 y varianza 1, su producto escalar tiene varianza $d_k$; dividir por $\sqrt{d_k}$ la devuelve a 1, y la softmax no se satura.
#
# Las dos puntuaciones, tal como están en `dlcourse.models.attention`:
#
# {{ source: dlcourse.models.attention.scaled_dot_product }}
#
# {{ source: dlcourse.models.attention.AdditiveScore }}

# %% [markdown] lang="en"
# ## The idea
#
# Attention answers, for each **query** $\mathbf{q}_i$, which **keys** $\mathbf{k}_j$ it resembles most, and returns the average of the **values** $\mathbf{v}_j$ weighted by that resemblance:
#
# $$
# s_{ij} = \operatorname{score}(\mathbf{q}_i, \mathbf{k}_j), \qquad
# \alpha_{ij} = \frac{e^{s_{ij}}}{\sum_{j'} e^{s_{ij'}}}, \qquad
# \mathbf{o}_i = \sum_j \alpha_{ij}\, \mathbf{v}_j .
# $$
#
# Bahdanau, Cho and Bengio (2014, [arXiv:1409.0473](https://arxiv.org/abs/1409.0473)) use an **additive** score, a small network: $s_{ij} = \mathbf{w}^\top \tanh(W_q \mathbf{q}_i + W_k \mathbf{k}_j)$. The Transformer (Vaswani et al., 2017, [arXiv:1706.03762](https://arxiv.org/abs/1706.03762)) uses the **scaled dot product**, which in matrix form is
#
# $$
# \operatorname{Attention}(Q, K, V) = \operatorname{softmax}\!\Big(\frac{QK^\top}{\sqrt{d_k}}\Big) V .
# $$
#
# If the components of $\mathbf{q}$ and $\mathbf{k}$ have mean 0 and variance 1, their dot product has variance $d_k$; dividing by $\sqrt{d_k}$ brings it back to 1, and the softmax does not saturate.
#
# Both scores, exactly as `dlcourse.models.attention` has them:
#
# {{ source: dlcourse.models.attention.scaled_dot_product }}
#
# {{ source: dlcourse.models.attention.AdditiveScore }}

# %% [markdown] lang="es"
# ## Una frase de juguete
#
# Para que los pesos se puedan interpretar, damos a cada palabra de «la gata negra duerme y el perro negro ladra» un vector de 5 números que marca su tipo (artículo, animal, color, verbo, conjunción), más un poco de ruido. Usamos los mismos vectores como consultas, claves y valores (autoatención sin proyecciones), así que cada palabra debería atender sobre todo a las de su mismo tipo.

# %% [markdown] lang="en"
# ## A toy sentence
#
# So that the weights can be interpreted, we give each word of the Spanish sentence "la gata negra duerme y el perro negro ladra" ("the black cat sleeps and the black dog barks") a vector of 5 numbers marking its type (article, animal, color, verb, conjunction), plus a little noise. We use the same vectors as queries, keys and values (self-attention without projections), so each word should attend mostly to words of its own type.

# %%
import torch
import torch.nn.functional as F
from dlcourse.bilingual import (
    align,
    claim,
    number,
    percent,
    publish,
    quote,
    tr,
)
from dlcourse.models.attention import (
    AdditiveScore,
    additive,
    scaled_dot_product,
    softmax_peak,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all, seed_torch, seeded_generator


def yes_no(answer: bool) -> str:
    return tr(es="sí", en="yes") if answer else tr(es="no", en="no")


seed_all(0)
words = ["la", "gata", "negra", "duerme", "y", "el", "perro", "negro", "ladra"]
kinds = [
    "article",
    "animal",
    "color",
    "verb",
    "and",
    "article",
    "animal",
    "color",
    "verb",
]
types = ["article", "animal", "color", "verb", "and"]
generator = seeded_generator(0)
kind_ids = torch.tensor([types.index(k) for k in kinds])  # (9,)
x = 3.0 * F.one_hot(kind_ids, len(types)).float()  # (9, 5)
x = x + 0.3 * torch.randn(x.shape, generator=generator)

steps = scaled_dot_product(x, x, x)
shapes = {
    tr(es="consultas", en="queries"): x,
    tr(es="puntuaciones", en="scores"): steps.scores,
    tr(es="salida", en="output"): steps.output,
}
print(
    tr(es="formas:", en="shapes:"),
    " · ".join(f"{name} {tuple(t.shape)}" for name, t in shapes.items()),
)
print(
    tr(
        es="pesos de «gata» sobre la frase:",
        en="weights of “gata” over the sentence:",
    )
)
for word, weight in zip(words, steps.weights[1].tolist(), strict=True):
    print(f"  {align(quote(word), 9)} {number(weight)}")
rows_sum_to_one = torch.allclose(steps.weights.sum(-1), torch.ones(len(words)))
print(
    tr(es="cada fila de pesos suma 1:", en="each row of weights sums to 1:"),
    yes_no(rows_sum_to_one),
)
batch = x[None]  # (1, 9, 5): one sentence
reference = F.scaled_dot_product_attention(batch, batch, batch)[0]  # (9, 5)
largest = (steps.output - reference).abs().max().item()
print(
    tr(
        es="mayor diferencia con F.scaled_dot_product_attention:",
        en="largest difference from F.scaled_dot_product_attention:",
    ),
    number(largest, ".1e"),
)
publish("largest_difference", number(largest, ".0e"))
claim(
    "matches_pytorch",
    rows_sum_to_one and largest < 1e-5,
    es="las filas suman 1 y la salida difiere de PyTorch en menos de 10⁻⁵",
    en="the rows sum to 1 and the output differs from PyTorch's by under 10⁻⁵",
)

# %%
fig, ax = new_figure(width=5.6, height=4.8)
image = ax.imshow(steps.weights, cmap="Blues", vmin=0, vmax=1)
ax.grid(False)
ax.set(
    xticks=range(len(words)),
    yticks=range(len(words)),
    xticklabels=words,
    yticklabels=words,
    title=tr(es="Pesos de atención", en="Attention weights"),
    xlabel=tr(es="clave", en="key"),
    ylabel=tr(es="consulta", en="query"),
)
ax.tick_params(axis="x", rotation=45)
fig.colorbar(image, ax=ax, shrink=0.8)
self_weight = torch.diag(steps.weights)  # (9,)
others = steps.weights - torch.diag(self_weight)  # without its own weight
partner = {w: words[int(others[i].argmax())] for i, w in enumerate(words)}
set_alt(
    fig,
    es="Mapa de calor de 9 por 9 con los pesos de atención de cada palabra "
    "(filas) sobre las demás (columnas). Cada palabra pone casi todo su peso "
    "en sí misma y en la palabra de su mismo tipo (salvo «y», la única de su "
    f"tipo): «gata» con «{partner['gata']}», «negra» con "
    f"«{partner['negra']}», «duerme» con «{partner['duerme']}».",
    en="A 9 by 9 heat map with the attention weights of each word (rows) over "
    "the others (columns). Each word puts almost all its weight on itself and "
    "on the word of the same type (except “y”, the only one of its type): "
    f"“gata” with “{partner['gata']}”, “negra” with “{partner['negra']}”, "
    f"“duerme” with “{partner['duerme']}”.",
)
same_kind = kind_ids[:, None] == kind_ids[None]  # (9, 9)
mates = same_kind & ~torch.eye(len(words), dtype=torch.bool)  # the same type
paired = mates.any(-1)  # (9,): every word but "y"
kind_share = (steps.weights * same_kind).sum(-1)  # weight on itself and mate
goes_to_mate = mates[torch.arange(len(words)), others.argmax(-1)]  # (9,)
y = words.index("y")
publish("kind_share", percent(kind_share[paired].min().item()))
publish("y_self", percent(self_weight[y].item()))
claim(
    "partners",
    goes_to_mate[paired].all() and kind_share[paired].min() > 0.75,
    es="cada palabra con pareja pone más de 3/4 de su peso en sí misma y en su "
    "pareja, y su pareja es la otra palabra a la que más atiende",
    en="every word with a partner puts over 3/4 of its weight on itself and "
    "its partner, and the partner is the other word it attends to most",
)
claim(
    "y_alone",
    self_weight[y] > 0.5 and others[y].max() < 0.1,
    es="«y» pone más de la mitad del peso en sí y menos de 0,1 en cada otra",
    en="“y” puts over half its weight on itself and under 0.1 on each other",
)

# %% [markdown] lang="es"
# ## La puntuación aditiva
#
# La atención de Bahdanau calcula la puntuación con una red de una capa oculta de tanh. Sus pesos se aprenden junto con el traductor; aquí están sin entrenar, así que los pesos de atención no significan nada todavía, pero el mecanismo es el mismo: puntuaciones, softmax por filas y promedio de los valores.

# %% [markdown] lang="en"
# ## The additive score
#
# Bahdanau attention computes the score with a network with one tanh hidden layer. Its weights are learned together with the translator; here they are untrained, so the attention weights do not mean anything yet, but the mechanism is the same: scores, a row-wise softmax and an average of the values.


# %%
seed_torch(0)
score = AdditiveScore(query_dim=5, key_dim=5, hidden=8)
with torch.no_grad():
    bahdanau = additive(score, x, x, x)
additive_rows = torch.allclose(bahdanau.weights.sum(-1), torch.ones(len(words)))
print(
    tr(es="puntuaciones aditivas", en="additive scores"),
    tuple(bahdanau.scores.shape),
    tr(es="· las filas suman 1:", en="· rows sum to 1:"),
    yes_no(additive_rows),
)
n_score = sum(p.numel() for p in score.parameters())
network = tr(
    es="parámetros de la red de puntuación:",
    en="parameters of the score network:",
)
none = tr(es="(el producto escalar no tiene)", en="(the dot product has none)")
print(network, n_score, none)
additive_peak = bahdanau.weights.max(-1).values.mean().item()
dot_peak = steps.weights.max(-1).values.mean().item()
print(
    tr(
        es="mayor peso medio por consulta, aditiva (sin entrenar):",
        en="largest weight per query, additive (untrained):",
    ),
    number(additive_peak),
    tr(es="· producto escalar:", en="· dot product:"),
    number(dot_peak),
)
publish("n_score", n_score)
publish("additive_peak", additive_peak, ".2f")
publish("dot_peak", dot_peak, ".2f")
flat_enough = additive_rows and bahdanau.weights.max() < 2 / len(words)
claim(
    "additive_flat",
    flat_enough and dot_peak > 2 * additive_peak,
    es="sin entrenar, ningún peso aditivo pasa de 2/9 y el mayor peso medio "
    "del producto escalar es más del doble",
    en="untrained, no additive weight exceeds 2/9 and the dot product's mean "
    "largest weight is over twice as large",
)

# %% [markdown] lang="es"
# ## Por qué $\sqrt{d_k}$
#
# Con consultas y claves aleatorias de componentes de varianza 1, medimos el mayor peso medio de la softmax sobre 16 claves, con y sin dividir por $\sqrt{d_k}$, para dimensiones crecientes. Un peso máximo cercano a 1 significa que la softmax se ha saturado: elige una sola clave y su gradiente respecto a las demás es casi nulo.

# %% [markdown] lang="en"
# ## Why $\sqrt{d_k}$
#
# With random queries and keys whose components have variance 1, we measure the average largest softmax weight over 16 keys, with and without dividing by $\sqrt{d_k}$, for growing dimensions. A largest weight close to 1 means the softmax has saturated: it picks a single key and its gradient with respect to the others is almost zero.


# %%
dims = [4, 16, 64, 256, 1024]
peaks = {}
for scaled in (False, True):
    peaks[scaled] = [softmax_peak(d, scaled=scaled) for d in dims]
uniform = 1 / 16
columns = (
    tr(es="mayor peso, sin escalar", en="largest weight, unscaled"),
    tr(es="escalado por 1/sqrt(d_k)", en="scaled by 1/sqrt(d_k)"),
)
print("  d_k" + "".join(align(column, 27) for column in columns))
for d, raw, scaled in zip(dims, peaks[False], peaks[True], strict=True):
    print(f"{d:5d}" + number(raw, "27.3f") + number(scaled, "27.3f"))
print(
    tr(es="(uniforme sería 1/16 = ", en="(uniform would be 1/16 = "),
    number(uniform, ".4f") + ")",
    sep="",
)

fig, ax = new_figure(width=5.8, height=3.6)
unscaled_word = tr(es="sin escalar", en="unscaled")
ax.plot(dims, peaks[False], "o-", color=PALETTE[3], label=unscaled_word)
scaled_word = tr(es="escalado", en="scaled")
ax.plot(dims, peaks[True], "o-", color=PALETTE[0], label=scaled_word)
ax.set_xscale("log", base=2)
ax.set(
    title=tr(es="Saturación de la softmax", en="Softmax saturation"),
    xlabel="$d_k$ (log)",
    ylabel=tr(es="mayor peso medio", en="mean largest weight"),
    ylim=(0, 1.05),
)
ax.legend()
raw_first, raw_last = (number(peaks[False][i], ".2f") for i in (0, -1))
scaled_last = number(peaks[True][-1], ".2f")
set_alt(
    fig,
    es="Mayor peso medio de la softmax frente a la dimensión, de 4 a 1024. Sin "
    f"escalar sube de {raw_first} a {raw_last}, casi una sola clave; escalado "
    f"se queda en torno a {scaled_last} en todas las dimensiones.",
    en="Mean largest softmax weight against the dimension, from 4 to 1024. "
    f"Unscaled it rises from {raw_first} to {raw_last}, almost a single key; "
    f"scaled it stays around {scaled_last} at every dimension.",
)
raw = torch.tensor(peaks[False])  # (5,)
scaled_peaks = torch.tensor(peaks[True])  # (5,)
publish("raw_first", peaks[False][0], ".2f")
publish("raw_last", peaks[False][-1], ".2f")
publish("scaled_low", scaled_peaks.min().item(), ".2f")
publish("scaled_high", scaled_peaks.max().item(), ".2f")
claim(
    "unscaled_saturates",
    bool((raw.diff() > 0).all()) and raw[-1] > 0.9,
    es="sin escalar, el mayor peso crece con cada dimensión y pasa de 0,9",
    en="unscaled, the largest weight grows with every dimension and passes 0.9",
)
claim(
    "scaled_stable",
    scaled_peaks.max() - scaled_peaks.min() < 0.05,
    es="escalado, el mayor peso varía menos de 0,05 entre dimensiones",
    en="scaled, the largest weight varies by less than 0.05 across dimensions",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Nuestra atención paso a paso y la función de PyTorch dan el mismo resultado salvo redondeo (la mayor diferencia es {{ value: largest_difference }}) {{ claim: matches_pytorch }}: `F.scaled_dot_product_attention` hace exactamente $\operatorname{softmax}(QK^\top/\sqrt{d_k})V$, solo que más deprisa y con menos memoria.
# - En la frase de juguete cada palabra atiende sobre todo a sí misma y a su pareja del mismo tipo («gata» a «perro», «negra» a «negro»): entre las dos reciben al menos el {{ value: kind_share }} de su peso {{ claim: partners }}. La conjunción «y», sin pareja, se queda el {{ value: y_self }} de su peso para sí misma y reparte el resto entre las demás {{ claim: y_alone }}. La atención mide parecido entre vectores, y aquí el parecido es el tipo de palabra. En un modelo real, las proyecciones $W_Q$, $W_K$ y $W_V$ aprendidas deciden qué parecido importa.
# - La puntuación aditiva necesita parámetros propios ({{ value: n_score }}) y, sin entrenar, reparte los pesos casi por igual: su mayor peso medio por consulta es {{ value: additive_peak }}, cerca del uniforme, 1/9, frente a {{ value: dot_peak }} con el producto escalar {{ claim: additive_flat }}. El producto escalar no tiene parámetros y su resultado depende solo de los vectores.
# - Sin dividir por $\sqrt{d_k}$, el mayor peso crece con la dimensión, de {{ value: raw_first }} a {{ value: raw_last }}, hasta acercarse a 1 {{ claim: unscaled_saturates }}; con la división se mantiene estable, entre {{ value: scaled_low }} y {{ value: scaled_high }} {{ claim: scaled_stable }}. Es el motivo del factor en la fórmula del Transformer.

# %% [markdown] lang="en"
# ## What to notice
#
# - Our step-by-step attention and PyTorch's function give the same result up to rounding (the largest difference is {{ value: largest_difference }}) {{ claim: matches_pytorch }}: `F.scaled_dot_product_attention` does exactly $\operatorname{softmax}(QK^\top/\sqrt{d_k})V$, only faster and with less memory.
# - In the toy sentence each word attends mostly to itself and to its partner of the same type ("gata" to "perro", "negra" to "negro"): together the two get at least {{ value: kind_share }} of its weight {{ claim: partners }}. The conjunction "y", with no partner, keeps {{ value: y_self }} of its weight for itself and spreads the rest over the others {{ claim: y_alone }}. Attention measures similarity between vectors, and here similarity is the word type. In a real model the learned projections $W_Q$, $W_K$ and $W_V$ decide which similarity matters.
# - The additive score needs parameters of its own ({{ value: n_score }}) and, untrained, spreads the weights almost evenly: its mean largest weight per query is {{ value: additive_peak }}, close to the uniform 1/9, against {{ value: dot_peak }} with the dot product {{ claim: additive_flat }}. The dot product has no parameters and its result depends only on the vectors.
# - Without dividing by $\sqrt{d_k}$, the largest weight grows with the dimension, from {{ value: raw_first }} to {{ value: raw_last }}, until it nears 1 {{ claim: unscaled_saturates }}; with the division it stays stable, between {{ value: scaled_low }} and {{ value: scaled_high }} {{ claim: scaled_stable }}. That is the reason for the factor in the Transformer's formula.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Si todas las puntuaciones de una fila son iguales, ¿qué pesos da la softmax y qué salida produce la atención?
# 2. Añade una máscara causal (cada palabra solo puede atender a sí misma y a las anteriores) poniendo $-\infty$ en las puntuaciones por encima de la diagonal. Compruébalo con `F.scaled_dot_product_attention(..., is_causal=True)`.
# 3. ¿Por qué el producto escalar de dos vectores de $d_k$ componentes independientes de varianza 1 tiene varianza $d_k$?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. If all the scores in a row are equal, which weights does the softmax give and what does attention output?
# 2. Add a causal mask (each word may attend only to itself and earlier words) by putting $-\infty$ in the scores above the diagonal. Check it against `F.scaled_dot_product_attention(..., is_causal=True)`.
# 3. Why does the dot product of two vectors of $d_k$ independent variance-1 components have variance $d_k$?

# %% [markdown] lang="es" solution="1"
# Pesos uniformes, $1/K$ cada uno, y la salida es la media simple de los valores: con una fila de puntuaciones iguales sobre las 9 palabras de la frase, cada peso vale {{ value: uniform_weight }} y la salida coincide con la media de los vectores {{ claim: uniform_mean }}. Es el extremo opuesto a la saturación. En la prueba de $\sqrt{d_k}$, la softmax escalada no llega a ser uniforme, pero se queda mucho más cerca que el sin escalar: con $d_k = 1024$, su mayor peso es {{ value: scaled_last }} frente a {{ value: raw_last }}, cuando el uniforme sería 1/16 {{ claim: scaled_nearer_uniform }}.

# %% [markdown] lang="en" solution="1"
# Uniform weights, $1/K$ each, and the output is the plain mean of the values: with a row of equal scores over the 9 words of the sentence, each weight is {{ value: uniform_weight }} and the output matches the mean of the vectors {{ claim: uniform_mean }}. It is the opposite end from saturation. In the $\sqrt{d_k}$ test the scaled softmax does not become uniform, but it stays much closer to it than the unscaled one: at $d_k = 1024$ its largest weight is {{ value: scaled_last }} against {{ value: raw_last }}, where uniform would be 1/16 {{ claim: scaled_nearer_uniform }}.

# %% solution="1"
equal = torch.zeros(1, len(words))  # one row of equal scores
uniform_weights = torch.softmax(equal, dim=-1)  # (1, 9)
uniform_output = uniform_weights @ x  # (1, 5)
gap_to_mean = (uniform_output[0] - x.mean(0)).abs().max().item()
print(
    tr(es="pesos:", en="weights:"),
    " ".join(number(w) for w in uniform_weights[0].tolist()),
)
print(
    tr(es="salida − media de los valores:", en="output − mean of the values:"),
    number(gap_to_mean, ".1e"),
)
publish("uniform_weight", uniform_weights[0, 0].item())
publish("scaled_last", peaks[True][-1], ".2f")
flat = torch.full_like(uniform_weights, 1 / len(words))
claim(
    "uniform_mean",
    torch.allclose(uniform_weights, flat) and gap_to_mean < 1e-6,
    es="cada peso vale 1/9 y la salida es la media de los valores",
    en="each weight is 1/9 and the output is the mean of the values",
)
claim(
    "scaled_nearer_uniform",
    abs(peaks[True][-1] - uniform) < abs(peaks[False][-1] - uniform) / 2,
    es="con d_k = 1024 el peso escalado está a menos de la mitad de distancia "
    "del uniforme que el sin escalar",
    en="at d_k = 1024 the scaled weight is less than half as far from "
    "uniform as the unscaled weight is",
)

# %% [markdown] lang="es" solution="2"
# Poner $-\infty$ por encima de la diagonal deja a cero los pesos de las palabras posteriores: la primera, «la», solo puede atenderse a sí misma, con peso {{ value: first_self }}. La salida coincide con la de PyTorch con `is_causal=True` salvo redondeo (mayor diferencia, {{ value: causal_difference }}) {{ claim: causal_matches }}.

# %% [markdown] lang="en" solution="2"
# Putting $-\infty$ above the diagonal leaves the weights of later words at zero: the first word, "la", can only attend to itself, with weight {{ value: first_self }}. The output matches PyTorch's with `is_causal=True` up to rounding (largest difference, {{ value: causal_difference }}) {{ claim: causal_matches }}.

# %% solution="2"
scores = x @ x.T / x.shape[-1] ** 0.5  # (9, 9)
n = len(words)
mask = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)  # the future
causal_weights = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
causal = causal_weights @ x  # (9, 5)
torch_causal = F.scaled_dot_product_attention(
    batch,
    batch,
    batch,
    is_causal=True,
)[0]
causal_difference = (causal - torch_causal).abs().max().item()
print(
    tr(
        es="pesos causales de las tres primeras palabras:",
        en="causal weights of the first three words:",
    )
)
for word, row in zip(words[:3], causal_weights[:3].tolist(), strict=True):
    cells = " ".join(number(w, ".2f") for w in row)
    print(f"  {align(quote(word), 7)} {cells}")
print(
    tr(
        es="mayor diferencia con is_causal=True:",
        en="largest difference from is_causal=True:",
    ),
    number(causal_difference, ".1e"),
)
publish("first_self", causal_weights[0, 0].item())
publish("causal_difference", number(causal_difference, ".0e"))
claim(
    "causal_matches",
    bool((causal_weights[mask] == 0).all()) and causal_difference < 1e-5,
    es="los pesos por encima de la diagonal son cero y la salida difiere de "
    "la de PyTorch en menos de 10⁻⁵",
    en="the weights above the diagonal are zero and the output differs from "
    "PyTorch's by under 10⁻⁵",
)

# %% [markdown] lang="es" solution="3"
# $\mathbf{q}^\top\mathbf{k} = \sum_{i=1}^{d_k} q_i k_i$. Cada término tiene media 0 y varianza $\mathbb{E}[q_i^2]\,\mathbb{E}[k_i^2] = 1$, y los términos son independientes, así que las varianzas se suman: $d_k$. Una simulación con {{ value: n_pairs }} pares de vectores aleatorios lo confirma: la varianza medida es {{ value: variance_16 }} con $d_k = 16$ y {{ value: variance_256 }} con $d_k = 256$ {{ claim: variance_is_dk }}.

# %% [markdown] lang="en" solution="3"
# $\mathbf{q}^\top\mathbf{k} = \sum_{i=1}^{d_k} q_i k_i$. Each term has mean 0 and variance $\mathbb{E}[q_i^2]\,\mathbb{E}[k_i^2] = 1$, and the terms are independent, so the variances add up: $d_k$. A simulation with {{ value: n_pairs }} pairs of random vectors confirms it: the measured variance is {{ value: variance_16 }} with $d_k = 16$ and {{ value: variance_256 }} with $d_k = 256$ {{ claim: variance_is_dk }}.

# %% solution="3"
sampler = seeded_generator(1)
n_pairs = 20_000
variances = {}
print(tr(es="d_k  varianza de q·k", en="d_k  variance of q·k"))
for d in (16, 256):
    q = torch.randn(n_pairs, d, generator=sampler)
    k = torch.randn(n_pairs, d, generator=sampler)
    variances[d] = (q * k).sum(-1).var().item()
    print(f"{d:4d}  {number(variances[d], '.1f')}")
publish("n_pairs", n_pairs, ",d")
publish("variance_16", variances[16], ".1f")
publish("variance_256", variances[256], ".1f")
claim(
    "variance_is_dk",
    all(abs(v / d - 1) < 0.1 for d, v in variances.items()),
    es="la varianza medida está a menos de un 10 % de d_k en ambos casos",
    en="the measured variance is within 10% of d_k for both dimensions",
)
