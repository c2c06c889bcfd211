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
#     - Medir por qué se divide por $\sqrt{d_k}$: sin ese factor, el softmax se satura al crecer la dimensión.
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
# Si las componentes de $\mathbf{q}$ y $\mathbf{k}$ tienen media 0 y varianza 1, su producto escalar tiene varianza $d_k$; dividir por $\sqrt{d_k}$ la devuelve a 1, y el softmax no se satura.
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
# So that the weights can be interpreted, we give each word of the Spanish sentence "la gata negra duerme y el perro negro ladra" ("the black cat sleeps and the black dog barks") a vector of 5 numbers marking its type (article, animal, colour, verb, conjunction), plus a little noise. We use the same vectors as queries, keys and values (self-attention without projections), so each word should attend mostly to words of its own type.

# %%
import torch
import torch.nn.functional as F
from dlcourse.models.attention import AdditiveScore, additive, scaled_dot_product, softmax_peak
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all, seed_torch, seeded_generator

seed_all(0)
words = ["la", "gata", "negra", "duerme", "y", "el", "perro", "negro", "ladra"]
kinds = ["article", "animal", "colour", "verb", "and", "article", "animal", "colour", "verb"]
types = ["article", "animal", "colour", "verb", "and"]
generator = seeded_generator(0)
x = 3.0 * F.one_hot(torch.tensor([types.index(k) for k in kinds]), len(types)).float()  # (9, 5)
x = x + 0.3 * torch.randn(x.shape, generator=generator)

steps = scaled_dot_product(x, x, x)
print(
    "shapes: queries",
    tuple(x.shape),
    "· scores",
    tuple(steps.scores.shape),
    "· output",
    tuple(steps.output.shape),
)
print("weights of 'gata' over the sentence:")
for word, weight in zip(words, steps.weights[1].tolist(), strict=True):
    print(f"  {word:>7} {weight:.3f}")
print(
    "each row of weights sums to 1:", torch.allclose(steps.weights.sum(-1), torch.ones(len(words)))
)
reference = F.scaled_dot_product_attention(x[None], x[None], x[None])[0]  # (9, 5)
print(
    f"largest difference from F.scaled_dot_product_attention: {(steps.output - reference).abs().max():.1e}"
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
    title="Pesos de atención / Attention weights",
    xlabel="clave / key",
    ylabel="consulta / query",
)
ax.tick_params(axis="x", rotation=45)
fig.colorbar(image, ax=ax, shrink=0.8)
others = steps.weights - torch.eye(len(words))  # ignore each word's weight on itself
partner = {w: words[int(others[i].argmax())] for i, w in enumerate(words)}
set_alt(
    fig,
    es="Mapa de calor de 9 por 9 con los pesos de atención de cada palabra (filas) sobre las demás (columnas). Cada palabra pone casi todo su peso en sí misma y en la palabra de su mismo tipo (salvo «y», la única de su tipo): "
    + f"gata con {partner['gata']}, negra con {partner['negra']}, duerme con {partner['duerme']}.",
    en="A 9 by 9 heat map with the attention weights of each word (rows) over the others (columns). Each word puts almost all its weight on itself and on the word of the same type (except “y”, the only one of its type): "
    + f"gata with {partner['gata']}, negra with {partner['negra']}, duerme with {partner['duerme']}.",
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
print(
    "additive scores",
    tuple(bahdanau.scores.shape),
    "· rows sum to 1:",
    torch.allclose(bahdanau.weights.sum(-1), torch.ones(len(words))),
)
print(
    f"parameters of the score network: {sum(p.numel() for p in score.parameters())} (the dot product has none)"
)
print(
    f"largest weight per query, additive (untrained): {bahdanau.weights.max(-1).values.mean():.3f} · dot product: {steps.weights.max(-1).values.mean():.3f}"
)

# %% [markdown] lang="es"
# ## Por qué $\sqrt{d_k}$
#
# Con consultas y claves aleatorias de componentes de varianza 1, medimos el mayor peso medio del softmax sobre 16 claves, con y sin dividir por $\sqrt{d_k}$, para dimensiones crecientes. Un peso máximo cercano a 1 significa que el softmax se ha saturado: elige una sola clave y su gradiente respecto a las demás es casi nulo.

# %% [markdown] lang="en"
# ## Why $\sqrt{d_k}$
#
# With random queries and keys whose components have variance 1, we measure the average largest softmax weight over 16 keys, with and without dividing by $\sqrt{d_k}$, for growing dimensions. A largest weight close to 1 means the softmax has saturated: it picks a single key and its gradient with respect to the others is almost zero.

# %%
dims = [4, 16, 64, 256, 1024]
peaks = {scaled: [softmax_peak(d, scaled=scaled) for d in dims] for scaled in (False, True)}
print("d_k     largest weight, unscaled   scaled by 1/sqrt(d_k)   (uniform would be 1/16 = 0.0625)")
for d, raw, scaled in zip(dims, peaks[False], peaks[True], strict=True):
    print(f"{d:5d}   {raw:24.3f}   {scaled:21.3f}")

fig, ax = new_figure(width=5.8, height=3.6)
ax.plot(dims, peaks[False], "o-", color=PALETTE[3], label="sin escalar / unscaled")
ax.plot(dims, peaks[True], "o-", color=PALETTE[0], label="escalado / scaled")
ax.set_xscale("log", base=2)
ax.set(
    title="Saturación del softmax / Softmax saturation",
    xlabel="$d_k$ (log)",
    ylabel="mayor peso medio / mean largest weight",
    ylim=(0, 1.05),
)
ax.legend()
set_alt(
    fig,
    es=f"Mayor peso medio del softmax frente a la dimensión, de 4 a 1024. Sin escalar sube de {peaks[False][0]:.2f} a {peaks[False][-1]:.2f}, casi una sola clave; escalado se queda en torno a {peaks[True][-1]:.2f} en todas las dimensiones.",
    en=f"Mean largest softmax weight against the dimension, from 4 to 1024. Unscaled it rises from {peaks[False][0]:.2f} to {peaks[False][-1]:.2f}, almost a single key; scaled it stays around {peaks[True][-1]:.2f} at every dimension.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Nuestra atención paso a paso y la función de PyTorch dan el mismo resultado salvo redondeo: `F.scaled_dot_product_attention` hace exactamente $\operatorname{softmax}(QK^\top/\sqrt{d_k})V$, solo que más deprisa y con menos memoria.
# - En la frase de juguete cada palabra atiende sobre todo a sí misma y a su pareja del mismo tipo («gata» a «perro», «negra» a «negro»; la conjunción «y», sin pareja, se reparte entre otras): la atención mide parecido entre vectores, y aquí el parecido es el tipo de palabra. En un modelo real, las proyecciones $W_Q$, $W_K$ y $W_V$ aprendidas deciden qué parecido importa.
# - La puntuación aditiva necesita parámetros propios y, sin entrenar, reparte los pesos casi al azar; el producto escalar no tiene parámetros y su resultado depende solo de los vectores.
# - Sin dividir por $\sqrt{d_k}$, el mayor peso crece con la dimensión hasta acercarse a 1; con la división se mantiene estable. Es el motivo del factor en la fórmula del Transformer.

# %% [markdown] lang="en"
# ## What to notice
#
# - Our step-by-step attention and PyTorch's function give the same result up to rounding: `F.scaled_dot_product_attention` does exactly $\operatorname{softmax}(QK^\top/\sqrt{d_k})V$, only faster and with less memory.
# - In the toy sentence each word attends mostly to itself and to its partner of the same type ("gata" to "perro", "negra" to "negro"; the conjunction "y", with no partner, spreads over others): attention measures similarity between vectors, and here similarity is the word type. In a real model the learned projections $W_Q$, $W_K$ and $W_V$ decide which similarity matters.
# - The additive score needs parameters of its own and, untrained, spreads the weights almost at random; the dot product has no parameters and its result depends only on the vectors.
# - Without dividing by $\sqrt{d_k}$, the largest weight grows with the dimension until it nears 1; with the division it stays stable. That is the reason for the factor in the Transformer's formula.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Si todas las puntuaciones de una fila son iguales, ¿qué pesos da el softmax y qué salida produce la atención?
# 2. Añade una máscara causal (cada palabra solo puede atender a sí misma y a las anteriores) poniendo $-\infty$ en las puntuaciones por encima de la diagonal. Compruébalo con `F.scaled_dot_product_attention(..., is_causal=True)`.
# 3. ¿Por qué el producto escalar de dos vectores de $d_k$ componentes independientes de varianza 1 tiene varianza $d_k$?
#
# ??? success "Solución 1"
#     Pesos uniformes, $1/K$ cada uno, y la salida es la media simple de los valores. Es lo que ocurre con el softmax de puntuaciones escaladas en la prueba de saturación cuando los vectores no se parecen.
#
# ??? success "Solución 2"
#     ```python
#     scores = x @ x.T / x.shape[-1] ** 0.5
#     mask = torch.triu(torch.ones(9, 9, dtype=torch.bool), diagonal=1)
#     causal = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1) @ x
#     print((causal - F.scaled_dot_product_attention(x[None], x[None], x[None], is_causal=True)[0]).abs().max())
#     ```
#
# ??? success "Solución 3"
#     $\mathbf{q}^\top\mathbf{k} = \sum_{i=1}^{d_k} q_i k_i$. Cada término tiene media 0 y varianza $\mathbb{E}[q_i^2]\,\mathbb{E}[k_i^2] = 1$, y los términos son independientes, así que las varianzas se suman: $d_k$.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. If all the scores in a row are equal, which weights does the softmax give and what does attention output?
# 2. Add a causal mask (each word may attend only to itself and earlier words) by putting $-\infty$ in the scores above the diagonal. Check it against `F.scaled_dot_product_attention(..., is_causal=True)`.
# 3. Why does the dot product of two vectors of $d_k$ independent variance-1 components have variance $d_k$?
#
# ??? success "Solution 1"
#     Uniform weights, $1/K$ each, and the output is the plain mean of the values. That is what happens with the softmax of scaled scores in the saturation test when the vectors are not alike.
#
# ??? success "Solution 2"
#     ```python
#     scores = x @ x.T / x.shape[-1] ** 0.5
#     mask = torch.triu(torch.ones(9, 9, dtype=torch.bool), diagonal=1)
#     causal = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1) @ x
#     print((causal - F.scaled_dot_product_attention(x[None], x[None], x[None], is_causal=True)[0]).abs().max())
#     ```
#
# ??? success "Solution 3"
#     $\mathbf{q}^\top\mathbf{k} = \sum_{i=1}^{d_k} q_i k_i$. Each term has mean 0 and variance $\mathbb{E}[q_i^2]\,\mathbb{E}[k_i^2] = 1$, and the terms are independent, so the variances add up: $d_k$.
