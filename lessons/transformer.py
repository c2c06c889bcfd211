# ---
# jupyter:
#   lesson:
#     title:
#       es: Un Transformer paso a paso
#       en: A transformer by hand
#     summary:
#       es: Atención multicabeza con máscaras, codificación posicional y bloques de codificador y decodificador escritos a mano, comprobados contra PyTorch y entrenados en la tarea de fechas frente a la LSTM con atención.
#       en: Multi-head attention with masks, positional encoding and encoder and decoder blocks written by hand, checked against PyTorch and trained on the date task against the LSTM with attention.
#     order: 29
#     budget_cpu_s: 60
#     gpu_helps: true
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Escribir la atención multicabeza a mano (proyecciones, división en cabezas, producto escalar escalado, máscaras, concatenación y proyección de salida) y comprobar que coincide con `nn.MultiheadAttention`.
#     - Ver qué hace la máscara causal y comprobar que el decodificador no puede mirar el futuro.
#     - Construir la codificación posicional sinusoidal y los bloques de codificador y decodificador con conexiones residuales y normalización de capa.
#     - Entrenar el Transformer en la tarea de fechas y compararlo con la LSTM con atención de Bahdanau: exactitud, parámetros y tiempo.
#
# Artículos asociados: notas sobre el [Transformer](../papers/transformer.md) y la [atención de Bahdanau](../papers/bahdanau-attention.md), y [T5](../papers/t5.md), que usa este mismo esquema codificador–decodificador para plantear cualquier tarea como texto a texto, como aquí la de fechas. Lecciones previas: [atención paso a paso](attention.md) y [seq2seq con atención](seq2seq-attention.md), de la que vienen la tarea y el modelo de comparación. Siguiente paso: [preentrenamiento](pretraining.md). Referencia de la API: [`dlcourse.models.transformer`](../api/models/transformer.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Write multi-head attention by hand (projections, splitting into heads, scaled dot product, masks, concatenation and output projection) and check that it matches `nn.MultiheadAttention`.
#     - See what the causal mask does and check that the decoder cannot look at the future.
#     - Build the sinusoidal positional encoding and the encoder and decoder blocks with residual connections and layer normalization.
#     - Train the transformer on the date task and compare it with the LSTM with Bahdanau attention: accuracy, parameters and time.
#
# Related papers: notes on the [Transformer](../papers/transformer.md) and [Bahdanau attention](../papers/bahdanau-attention.md), and [T5](../papers/t5.md), which uses this same encoder–decoder layout to cast any task as text to text, as our date task is here. Earlier lessons: [attention by hand](attention.md) and [seq2seq with attention](seq2seq-attention.md), where the task and the model we compare with come from. Next step: [pretraining](pretraining.md). API reference: [`dlcourse.models.transformer`](../api/models/transformer.md).

# %% [markdown] lang="es"
# ## La idea
#
# El traductor de la lección anterior lee la frase carácter a carácter con una LSTM y, antes de escribir cada carácter de salida, atiende a los estados del codificador. El Transformer (Vaswani et al., 2017, [arXiv:1706.03762](https://arxiv.org/abs/1706.03762)) conserva el esquema codificador–decodificador pero quita la recurrencia: **todo** es atención y capas densas aplicadas a cada posición. La atención aparece en tres lugares:
#
# - **Autoatención del codificador**: cada carácter de la fuente mira a todos los demás.
# - **Autoatención enmascarada del decodificador**: cada carácter de la salida mira solo a los anteriores, porque al generar todavía no existen los siguientes.
# - **Atención cruzada**: las consultas salen del decodificador y las claves y valores, del codificador. Es el papel que cumplía la atención de Bahdanau.
#
# Sin recurrencia, el modelo no sabe en qué orden vienen los caracteres; ese dato se lo da la **codificación posicional**, un vector que se suma a cada incrustación.

# %% [markdown] lang="en"
# ## The idea
#
# The translator of the previous lesson reads the sentence character by character with an LSTM and, before writing each output character, attends to the encoder states. The Transformer (Vaswani et al., 2017, [arXiv:1706.03762](https://arxiv.org/abs/1706.03762)) keeps the encoder–decoder layout but removes the recurrence: **everything** is attention and dense layers applied to each position. Attention appears in three places:
#
# - **Encoder self-attention**: each source character looks at all the others.
# - **Masked decoder self-attention**: each output character looks only at earlier ones, because when generating, later ones do not exist yet.
# - **Cross-attention**: queries come from the decoder, keys and values from the encoder. This is the role Bahdanau attention played.
#
# Without recurrence the model does not know in which order the characters come; that information comes from the **positional encoding**, a vector added to each embedding.

# %% [markdown] lang="es"
# ## Atención multicabeza a mano
#
# Con $h$ cabezas y dimensión de modelo $d$, cada cabeza trabaja en un subespacio de $d_k = d/h$ dimensiones:
#
# $$
# \mathrm{head}_i = \operatorname{softmax}\!\Big(\frac{Q W_i^Q (K W_i^K)^\top}{\sqrt{d_k}} + M\Big)\, V W_i^V,
# \qquad
# \operatorname{MultiHead}(Q, K, V) = \operatorname{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h)\, W^O .
# $$
#
# $M$ es la **máscara**: vale $0$ donde se permite atender y $-\infty$ donde no, así que tras la softmax esos pesos son exactamente 0. Hay dos: la de **relleno**, que tapa las columnas de las posiciones `<pad>` de la fuente (distinta en cada ejemplo), y la **causal**, que tapa lo que está por encima de la diagonal (igual para todos). Las $h$ matrices $W_i^Q$ de $d \times d_k$ se guardan juntas en una sola de $d \times d$: se multiplica una vez y el resultado se corta en $h$ trozos. Es la misma cuenta, hecha con un único producto de matrices.
#
# La función `scaled_dot_product` de la [lección de atención](attention.md) trabaja con matrices de dos dimensiones y sin máscaras; aquí necesitamos dimensiones de lote y de cabeza y las dos máscaras, así que `attention_with_masks` repite la fórmula con esos añadidos. Comprobamos primero que una cabeza sin máscara da lo mismo que la función de la lección anterior y después copiamos nuestros pesos en un `nn.MultiheadAttention` de PyTorch (que guarda $W^Q$, $W^K$ y $W^V$ apiladas en `in_proj_weight`) y comparamos salidas y pesos con las dos máscaras.
#
# Esta es `attention_with_masks`, tal como está en `dlcourse.models.transformer`:
#
# {{ source: dlcourse.models.transformer.attention_with_masks }}

# %% [markdown] lang="en"
# ## Multi-head attention by hand
#
# With $h$ heads and model dimension $d$, each head works in a subspace of $d_k = d/h$ dimensions:
#
# $$
# \mathrm{head}_i = \operatorname{softmax}\!\Big(\frac{Q W_i^Q (K W_i^K)^\top}{\sqrt{d_k}} + M\Big)\, V W_i^V,
# \qquad
# \operatorname{MultiHead}(Q, K, V) = \operatorname{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h)\, W^O .
# $$
#
# $M$ is the **mask**: $0$ where attending is allowed and $-\infty$ where it is not, so after the softmax those weights are exactly 0. There are two: the **padding** mask, which hides the columns of the source's `<pad>` positions (different for each example), and the **causal** mask, which hides everything above the diagonal (the same for all). The $h$ matrices $W_i^Q$ of size $d \times d_k$ are stored together as one $d \times d$ matrix: one multiplies once and cuts the result into $h$ pieces. It is the same computation, done with a single matrix product.
#
# The `scaled_dot_product` function of the [attention lesson](attention.md) works on two-dimensional matrices without masks; here we need batch and head dimensions and both masks, so `attention_with_masks` repeats the formula with those additions. We first check that one head without a mask gives the same as the previous lesson's function, and then copy our weights into a PyTorch `nn.MultiheadAttention` (which keeps $W^Q$, $W^K$ and $W^V$ stacked in `in_proj_weight`) and compare outputs and weights with both masks.
#
# This is `attention_with_masks`, exactly as `dlcourse.models.transformer` has it:
#
# {{ source: dlcourse.models.transformer.attention_with_masks }}

# %%
import torch
from dlcourse.bilingual import (
    align,
    claim,
    number,
    percent,
    publish,
    quote,
    tr,
)
from dlcourse.data.dates import (
    BOS,
    PAD,
    SOURCE_VOCAB,
    TARGET_VOCAB,
    date_pairs,
    encode_pairs,
)
from dlcourse.models import count_parameters
from dlcourse.models.attention import scaled_dot_product
from dlcourse.models.seq2seq import AttentionSeq2Seq
from dlcourse.models.transformer import (
    DateTransformer,
    MultiHeadAttention,
    causal_mask,
    sinusoidal_encoding,
    to_torch_attention,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import (
    pick_device,
    seed_all,
    seed_torch,
    seeded_generator,
)
from dlcourse.training.translation import (
    exact_match,
    field_accuracy,
    train_translator,
    translate,
)


def loss_and_exact(loss: float, exact: float, width: int) -> str:
    """``loss / exact match`` right-aligned in ``width`` characters."""
    loss_text = align(number(loss, ".3f"), width - 10)
    return loss_text + " / " + align(number(exact, ".3f"), 7)


difference = tr(es="diferencia máxima", en="max |difference|")
output_word = tr(es="salida", en="output")
weights_word = tr(es="pesos", en="weights")

seed_all(0)
mine = MultiHeadAttention(d_model=32, n_heads=4).eval()
theirs = to_torch_attention(mine).eval()
generator = seeded_generator(0)
# (B, T, D): 3 "decoder" sequences
queries = torch.randn(3, 6, 32, generator=generator)
# (B, S, D): 3 "encoder" outputs
memory = torch.randn(3, 9, 32, generator=generator)
real_lengths = (9, 7, 4)  # keys from these positions on are padding
# (B, S), True = <pad>
padding = torch.arange(9) >= torch.tensor(real_lengths)[:, None]

with torch.no_grad():
    _, weights = mine(queries, queries, queries)
    projections = (mine.q_proj, mine.k_proj, mine.v_proj)
    q, k, v = (proj(queries[0])[:, :8] for proj in projections)
    first_head = scaled_dot_product(q, k, v).weights  # head 0 of example 0
    gaps = {"one_head": (weights[0, 0] - first_head).abs().max().item()}
    print(
        tr(
            es="una cabeza frente a scaled_dot_product "
            "de la lección de atención",
            en="one head vs the attention lesson's scaled_dot_product",
        )
        + f": {number(gaps['one_head'], '.1e')}"
    )

    ours, our_w = mine(queries, memory, memory, key_padding_mask=padding)
    ref, ref_w = theirs(
        queries,
        memory,
        memory,
        key_padding_mask=padding,
        average_attn_weights=False,
    )
    gaps["padding_output"] = (ours - ref).abs().max().item()
    gaps["padding_weights"] = (our_w - ref_w).abs().max().item()
    print(
        tr(
            es="atención cruzada con máscara de relleno",
            en="cross-attention with padding mask",
        )
        + f" · {difference}: {output_word} "
        f"{number(gaps['padding_output'], '.1e')}, "
        f"{weights_word} {number(gaps['padding_weights'], '.1e')}"
    )
    on_padding = [
        our_w[b, :, :, n:].sum().item() for b, n in enumerate(real_lengths)
    ]
    example = tr(es="ejemplo", en="example")
    print(
        tr(es="peso en las claves de relleno", en="weight on padded keys")
        + f": {number(on_padding[1], '.1f')} ({example} 1), "
        f"{number(on_padding[2], '.1f')} ({example} 2)"
    )

    mask = causal_mask(6)
    ours, our_w = mine(queries, queries, queries, attn_mask=mask)
    ref, ref_w = theirs(
        queries,
        queries,
        queries,
        attn_mask=mask,
        average_attn_weights=False,
    )
    fused, _ = theirs(
        queries, queries, queries, attn_mask=mask, need_weights=False
    )
    gaps["causal_output"] = (ours - ref).abs().max().item()
    gaps["causal_weights"] = (our_w - ref_w).abs().max().item()
    gaps["fused"] = (ours - fused).abs().max().item()
    print(
        tr(
            es="autoatención con máscara causal",
            en="self-attention with causal mask",
        )
        + f" · {difference}: {output_word} "
        f"{number(gaps['causal_output'], '.1e')}, "
        f"{weights_word} {number(gaps['causal_weights'], '.1e')}"
    )
    print(
        tr(
            es="frente a la vía fusionada de PyTorch (sin pedir los pesos)",
            en="against PyTorch's fused path (without asking for the weights)",
        )
        + f": {number(gaps['fused'], '.1e')}"
    )
publish("attention_gap", max(gaps.values()), ".1e")
claim(
    "matches_pytorch",
    max(gaps.values()) < 1e-5,
    es="todas las diferencias con scaled_dot_product y nn.MultiheadAttention "
    "están por debajo de 1e-5, redondeo de float32",
    en="every difference from scaled_dot_product and "
    "nn.MultiheadAttention is below 1e-5, float32 rounding",
)
claim(
    "padding_zero",
    max(on_padding) == 0,
    es="las claves de relleno reciben un peso exactamente 0",
    en="padded keys get a weight of exactly 0",
)

# %% [markdown] lang="es"
# ## La máscara causal
#
# La máscara causal de longitud 6 tiene `True` (prohibido) por encima de la diagonal. Después vienen los pesos de la primera cabeza para la primera secuencia: la fila $t$ reparte su peso solo entre las posiciones $0, \dots, t$.

# %% [markdown] lang="en"
# ## The causal mask
#
# The causal mask of length 6 has `True` (forbidden) above the diagonal. Then come the weights of the first head for the first sequence: row $t$ spreads its weight only over positions $0, \dots, t$.

# %%
print(tr(es="máscara causal (x = bloqueado):", en="causal mask (x = blocked):"))
for row in mask.tolist():
    print("  " + " ".join("x" if blocked else "." for blocked in row))
print(
    tr(
        es="pesos de la cabeza 0, secuencia 0 "
        "(filas: consultas, columnas: claves):",
        en="weights of head 0, sequence 0 (rows: queries, columns: keys):",
    )
)
for row in our_w[0, 0].tolist():
    print("  " + " ".join(number(w, ".2f") for w in row))
claim(
    "causal_zero",
    (our_w.triu(diagonal=1) == 0).all(),
    es="todos los pesos por encima de la diagonal son exactamente 0",
    en="every weight above the diagonal is exactly 0",
)

# %% [markdown] lang="es"
# ## Codificación posicional
#
# La atención trata la fuente como un conjunto: si se permutan las posiciones, las salidas se permutan igual. Para que el orden cuente, Vaswani et al. suman a cada incrustación un vector fijo que depende de la posición $p$:
#
# $$
# PE_{(p,\, 2i)} = \sin\!\Big(\frac{p}{10000^{2i/d}}\Big), \qquad
# PE_{(p,\, 2i+1)} = \cos\!\Big(\frac{p}{10000^{2i/d}}\Big).
# $$
#
# Cada par de columnas es un seno y un coseno de la misma frecuencia, y las longitudes de onda crecen en progresión geométrica desde $2\pi$ hasta $10000 \cdot 2\pi$. Una consecuencia útil: el producto escalar de dos posiciones, $PE_p \cdot PE_{p+k} = \sum_i \cos(k\,\omega_i)$, depende solo de la distancia $k$, no de $p$. Las incrustaciones se multiplican por $\sqrt{d}$ antes de sumar (sección 3.4 del artículo); por eso las iniciamos con desviación típica $1/\sqrt{d}$, de modo que, tras escalarlas, tengan la misma escala que la codificación posicional y no la tapen.

# %% [markdown] lang="en"
# ## Positional encoding
#
# Attention treats the source as a set: if the positions are permuted, the outputs are permuted the same way. So that order counts, Vaswani et al. add to each embedding a fixed vector that depends on the position $p$:
#
# $$
# PE_{(p,\, 2i)} = \sin\!\Big(\frac{p}{10000^{2i/d}}\Big), \qquad
# PE_{(p,\, 2i+1)} = \cos\!\Big(\frac{p}{10000^{2i/d}}\Big).
# $$
#
# Each pair of columns is a sine and a cosine of the same frequency, and the wavelengths grow geometrically from $2\pi$ to $10000 \cdot 2\pi$. A useful consequence: the dot product of two positions, $PE_p \cdot PE_{p+k} = \sum_i \cos(k\,\omega_i)$, depends only on the offset $k$, not on $p$. Embeddings are multiplied by $\sqrt{d}$ before the sum (section 3.4 of the paper); that is why we initialize them with standard deviation $1/\sqrt{d}$, so that after scaling they have the same scale as the positional encoding and do not drown it.

# %%
D_MODEL = 64
table = sinusoidal_encoding(50, D_MODEL)  # (positions, dimensions)
first = "; ".join(number(x, ".4f") for x in table[1, :4].tolist())
print(f"PE[1, :4] = ({first}) (sin 1, cos 1, sin 1/10000^(2/{D_MODEL}), ...)")
dots = {}  # offset k -> PE[p] · PE[p + k] for p = 0, 10, 30
for k in (1, 5):
    dots[k] = [(table[p] @ table[p + k]).item() for p in (0, 10, 30)]
    shown = "; ".join(number(d) for d in dots[k])
    print(
        f"PE[p] · PE[p+{k}] "
        + tr(es="para p = 0, 10 y 30", en="for p = 0, 10 and 30")
        + f": {shown}"
    )
publish("pe_dot_1", dots[1][0], ".1f")
publish("pe_dot_5", dots[5][0], ".1f")
claim(
    "pe_offset_only",
    all(max(d) - min(d) < 1e-4 for d in dots.values()),
    es="PE_p · PE_{p+k} da lo mismo en p = 0, "
    "10 y 30 (diferencias menores que 1e-4)",
    en="PE_p · PE_{p+k} is the same at p = "
    "0, 10 and 30 (differences below 1e-4)",
)
claim(
    "pe_farther_smaller",
    max(dots[5]) < min(dots[1]),
    es="el producto es menor con k = 5 que con k = 1",
    en="the product is smaller for k = 5 than for k = 1",
)

position_word = tr(es="posición", en="position")
columns = (0, 6, 16, 32)
fig, (ax_map, ax_cols) = new_figure(ncols=2, width=4.8, height=3.8)
image = ax_map.imshow(table, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
ax_map.grid(False)
ax_map.set(
    title=tr(es="Codificación posicional", en="Positional encoding"),
    xlabel=tr(es="dimensión", en="dimension"),
    ylabel=position_word,
)
fig.colorbar(image, ax=ax_map, shrink=0.8)
for color, column in zip(PALETTE, columns, strict=False):
    ax_cols.plot(
        table[:, column],
        color=color,
        label=tr(es=f"dimensión {column}", en=f"dimension {column}"),
    )
ax_cols.set(
    title=tr(es="Columnas pares", en="Even columns"),
    xlabel=position_word,
    ylabel=tr(es="valor", en="value"),
)
ax_cols.legend(
    loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=8
)
# column 2i is sin(p / 10000^(2i/d)): its period is 2π · 10000^(2i/d) positions
periods = [2 * torch.pi * 10000 ** (column / D_MODEL) for column in columns]
periods_es = (
    ", ".join(f"{p:.0f}" for p in periods[:-1]) + f" y {periods[-1]:.0f}"
)
periods_en = (
    ", ".join(f"{p:.0f}" for p in periods[:-1]) + f" and {periods[-1]:.0f}"
)
set_alt(
    fig,
    es="A la izquierda, mapa de calor de la codificación posicional "
    f"sinusoidal de {len(table)} posiciones por {D_MODEL} dimensiones: "
    "las primeras columnas oscilan deprisa entre -1 y 1 y las últimas "
    "apenas cambian. A la derecha, las columnas 0, 6, 16 y 32 frente a "
    f"la posición: senos con periodos de unas {periods_es} posiciones.",
    en="On the left, a heat map of the sinusoidal positional encoding "
    f"for {len(table)} positions by {D_MODEL} dimensions: the first "
    "columns oscillate fast between -1 and 1 and the last ones barely "
    "change. On the right, columns 0, 6, 16 and 32 against the "
    f"position: sines with periods of about {periods_en} positions.",
)

# %% [markdown] lang="es"
# ## Bloques de codificador y decodificador
#
# Cada subcapa (autoatención, atención cruzada o la red prealimentada $\operatorname{FFN}(\mathbf{x}) = \max(0, \mathbf{x}W_1 + \mathbf{b}_1)W_2 + \mathbf{b}_2$, aplicada a cada posición por separado) va envuelta en una conexión residual con normalización de capa. El artículo original normaliza **después** de sumar (*post-norm*); nosotros normalizamos **antes**, dentro de la rama (*pre-norm*):
#
# $$
# \text{post-norm: } \mathbf{x} \leftarrow \operatorname{LayerNorm}\big(\mathbf{x} + \operatorname{Sublayer}(\mathbf{x})\big),
# \qquad
# \text{pre-norm: } \mathbf{x} \leftarrow \mathbf{x} + \operatorname{Sublayer}\big(\operatorname{LayerNorm}(\mathbf{x})\big).
# $$
#
# Con *pre-norm* el camino residual va de la entrada a la salida sin pasar por ninguna normalización, y Xiong et al. (2020, [arXiv:2002.04745](https://arxiv.org/abs/2002.04745)) muestran que así el entrenamiento es estable sin la fase de calentamiento de la tasa de aprendizaje que necesita *post-norm*. Como `train_translator` usa Adam con una tasa constante y sin calentamiento (la misma que para la LSTM), elegimos *pre-norm*; una normalización final cierra el codificador y el decodificador. El bloque del codificador tiene autoatención y FFN; el del decodificador, autoatención enmascarada, atención cruzada y FFN.
#
# Una comprobación que la máscara de relleno debe garantizar: añadir `<pad>` al final de una fuente no cambia la salida del codificador en las posiciones reales.

# %% [markdown] lang="en"
# ## Encoder and decoder blocks
#
# Each sublayer (self-attention, cross-attention or the feed-forward network $\operatorname{FFN}(\mathbf{x}) = \max(0, \mathbf{x}W_1 + \mathbf{b}_1)W_2 + \mathbf{b}_2$, applied to each position separately) is wrapped in a residual connection with layer normalization. The original paper normalizes **after** the sum (post-norm); we normalize **before**, inside the branch (pre-norm):
#
# $$
# \text{post-norm: } \mathbf{x} \leftarrow \operatorname{LayerNorm}\big(\mathbf{x} + \operatorname{Sublayer}(\mathbf{x})\big),
# \qquad
# \text{pre-norm: } \mathbf{x} \leftarrow \mathbf{x} + \operatorname{Sublayer}\big(\operatorname{LayerNorm}(\mathbf{x})\big).
# $$
#
# With pre-norm the residual path goes from input to output without passing through any normalization, and Xiong et al. (2020, [arXiv:2002.04745](https://arxiv.org/abs/2002.04745)) show that training is then stable without the learning-rate warm-up that post-norm needs. Since `train_translator` uses Adam with a constant rate and no warm-up (the same as for the LSTM), we choose pre-norm; a final normalization closes the encoder and the decoder. The encoder block has self-attention and an FFN; the decoder block, masked self-attention, cross-attention and an FFN.
#
# One check the padding mask must guarantee: appending `<pad>` to a source does not change the encoder output at the real positions.

# %%
device = pick_device()
print(f"{tr(es='dispositivo', en='device')}: {device.type}")
CONFIG = dict(d_model=D_MODEL, n_heads=4, n_layers=2, d_ff=2 * D_MODEL)
seed_torch(0)
transformer = DateTransformer(len(SOURCE_VOCAB), len(TARGET_VOCAB), **CONFIG)
blocks = CONFIG["n_layers"]
parts = {
    ("incrustaciones", "embeddings"): [
        transformer.source_embed,
        transformer.target_embed,
    ],
    (f"codificador ({blocks} bloques)", f"encoder ({blocks} blocks)"): [
        transformer.encoder,
        transformer.encoder_norm,
    ],
    (f"decodificador ({blocks} bloques)", f"decoder ({blocks} blocks)"): [
        transformer.decoder,
        transformer.decoder_norm,
    ],
    ("capa de salida", "output layer"): [transformer.output],
}
for (es, en), modules in parts.items():
    size = sum(count_parameters(m) for m in modules)
    label = tr(es="parámetros", en="parameters")
    part = align(tr(es=es, en=en), 26, "<")
    print(f"{part} {align(number(size, ',d'), 7)} {label}")
total = number(count_parameters(transformer), ",d")
print(f"{'total':<26} {align(total, 7)}")

sample = encode_pairs(date_pairs(2, seed=7)).source  # (2, S)
extra = 12
# 12 more <pad>
padded_sample = torch.cat([sample, torch.full((2, extra), PAD)], dim=1)
transformer.eval()
with torch.no_grad():
    short, _ = transformer.encode(sample)
    long, _ = transformer.encode(padded_sample)
real = sample != PAD
pad_change = (short[real] - long[:, : sample.shape[1]][real]).abs().max().item()
at_real = tr(
    es="salida del codificador en las posiciones reales",
    en="encoder output at real positions",
)
with_pad = tr(
    es=f"con y sin {extra} <pad> más",
    en=f"with and without {extra} extra <pad>",
)
print(f"{at_real}, {with_pad}: {difference} {number(pad_change, '.1e')}")
publish("pad_change", number(pad_change, ".1e") if pad_change else "0")
claim(
    "padding_invariant",
    pad_change < 1e-6,
    es="con más <pad> al final, la salida del codificador en las posiciones "
    "reales cambia menos de 1e-6",
    en="with more <pad> at the end, the encoder output at the real positions "
    "changes by less than 1e-6",
)

target_in = encode_pairs(date_pairs(2, seed=7)).target_in  # (2, 11): <s> + ISO
changed = target_in.clone()
nine, zero = TARGET_VOCAB.stoi["9"], TARGET_VOCAB.stoi["0"]
changed[:, 5] = nine if changed[0, 5] != nine else zero
with torch.no_grad():
    logits = transformer(sample, target_in), transformer(sample, changed)
    delta = (logits[0] - logits[1]).abs().amax(dim=(0, 2))  # (T,)
print(
    tr(
        es="cambiando la entrada 5 del decodificador · "
        "cambio máximo de los logits en cada posición:",
        en="changing decoder input 5 · max "
        "|change| in the logits at each position:",
    )
)
changes = (f"{t}: {number(d, '.1e')}" for t, d in enumerate(delta.tolist()))
print("  " + "  ".join(changes))
claim(
    "causal_logits",
    (delta[:5] == 0).all() and (delta[5:] > 0).all(),
    es="los logits de las posiciones 0 a 4 no cambian y los de las demás, sí",
    en="the logits of positions 0 to 4 do not "
    "change at all and those from 5 on do",
)

# %% [markdown] lang="es"
# ## Entrenar con fechas
#
# Usamos la tarea de la lección anterior: fechas en español escritas con palabras, como «martes, 3 de marzo de 2021», que hay que pasar a ISO, «2021-03-03». El conjunto de prueba tiene {{ value: n_test }} fechas y la validación {{ value: n_val }}; las {{ value: n_train }} de entrenamiento se sortean con `exclude=` para que ninguna **fecha** de prueba o validación aparezca en el entrenamiento, ni siquiera escrita de otra forma {{ claim: no_overlap }}. Los dos modelos se entrenan con los mismos datos y la misma llamada a `train_translator`: Adam con tasa $3 \cdot 10^{-3}$, lotes de 64, 6 épocas, *teacher forcing* y recorte del gradiente. La exactitud de validación se mide al final de cada época con decodificación voraz.

# %% [markdown] lang="en"
# ## Training on dates
#
# We use the task of the previous lesson: Spanish dates written with words, such as "martes, 3 de marzo de 2021", to be turned into ISO, "2021-03-03". The test set has {{ value: n_test }} dates and the validation set {{ value: n_val }}; the {{ value: n_train }} training dates are drawn with `exclude=` so that no test or validation **date** appears in training, not even spelled differently {{ claim: no_overlap }}. Both models are trained on the same data with the same call to `train_translator`: Adam with rate $3 \cdot 10^{-3}$, batches of 64, 6 epochs, teacher forcing and gradient clipping. Validation accuracy is measured at the end of every epoch with greedy decoding.

# %%
test_pairs = date_pairs(1000, seed=1)
val_pairs = date_pairs(200, seed=2, exclude={p.iso for p in test_pairs})
held_out = {p.iso for p in test_pairs + val_pairs}
train_pairs = date_pairs(3000, seed=0, exclude=held_out)
overlap = len({p.iso for p in train_pairs} & held_out)
publish("n_test", len(test_pairs))
publish("n_val", len(val_pairs))
publish("n_train", len(train_pairs))
print(
    tr(
        es="fechas comunes al entrenamiento y a la prueba o la validación:",
        en="dates shared by training and test or validation:",
    ),
    overlap,
)
claim(
    "no_overlap",
    overlap == 0,
    es="ninguna fecha de entrenamiento está en la prueba o la validación",
    en="no training date is in the test or validation set",
)
for pair in train_pairs[:4]:
    source = align(quote(pair.spanish), 42, "<")
    print(f"  {source} -> {pair.iso}")
splits = (train_pairs, val_pairs, test_pairs)
train, val, test = (encode_pairs(p).to(device) for p in splits)
val_targets = [p.iso for p in val_pairs]
test_targets = [p.iso for p in test_pairs]

EPOCHS = 6
seed_torch(0)  # the transformer was also created right after this seed
models = {
    "LSTM + Bahdanau": AttentionSeq2Seq(len(SOURCE_VOCAB), len(TARGET_VOCAB)),
    "Transformer": transformer,
}
data = (train, val, val_targets)  # training set, validation set and its answers
histories = {
    name: train_translator(model.to(device), *data, epochs=EPOCHS, seed=0)
    for name, model in models.items()
}
lstm_history = histories["LSTM + Bahdanau"]
tr_history = histories["Transformer"]

WIDTH = 42  # characters of each model's column
print(
    align(tr(es="época", en="epoch"), 5)
    + "".join(
        align(
            tr(
                es=f"{name}: pérdida / exacta (val.)",
                en=f"{name}: loss / exact (val.)",
            ),
            WIDTH,
        )
        for name in models
    )
)
runs = list(histories.values())
for epoch in range(EPOCHS):
    cells = [
        loss_and_exact(h.loss[epoch], h.val_exact[epoch], WIDTH) for h in runs
    ]
    print(f"{epoch + 1:5d}" + "".join(cells))

# %% [markdown] lang="es"
# ## Comparación
#
# La coincidencia exacta cuenta una fecha como acierto solo si los diez caracteres coinciden; la exactitud por campo mira el año, el mes y el día por separado. El tiempo es el de `train_translator` e incluye la decodificación de validación de cada época.

# %% [markdown] lang="en"
# ## Comparison
#
# Exact match counts a date as right only if all ten characters match; per-field accuracy looks at the year, the month and the day separately. The time is `train_translator`'s and includes each epoch's validation decoding.

# %%
predictions = {name: translate(model, test) for name, model in models.items()}
print(
    align(tr(es="modelo", en="model"), 17, "<")
    + align(tr(es="parámetros", en="parameters"), 11)
    + align(tr(es="exacta", en="exact"), 7)
    + align(tr(es="año", en="year"), 7)
    + align(tr(es="mes", en="month"), 7)
    + align(tr(es="día", en="day"), 7)
    + tr(es="  tiempo de entrenamiento", en="  training time")
)
scores = {}
for name, model in models.items():
    fields = field_accuracy(predictions[name], test_targets)
    scores[name] = {
        "exact": exact_match(predictions[name], test_targets),
        **fields,
    }
    print(
        f"{name:<17}{align(number(count_parameters(model), ',d'), 11)}"
        + "".join(
            align(number(scores[name][key], ".3f"), 7)
            for key in ("exact", *fields)
        )
        + f"  {number(histories[name].seconds, '.1f')} s"
    )

fig, ax = new_figure(width=5.8, height=3.6)
for color, (name, history) in zip(PALETTE, histories.items(), strict=False):
    ax.plot(
        range(1, EPOCHS + 1), history.val_exact, "o-", color=color, label=name
    )
ax.set(
    title=tr(es="Exactitud de validación", en="Validation accuracy"),
    xlabel=tr(es="época", en="epoch"),
    ylabel=tr(es="coincidencia exacta", en="exact match"),
    ylim=(-0.02, 1.02),
)
ax.legend()
lstm_curve, tr_curve = lstm_history.val_exact, tr_history.val_exact
ends = [
    number(curve[i], ".2f") for curve in (lstm_curve, tr_curve) for i in (0, -1)
]
set_alt(
    fig,
    es="Coincidencia exacta de validación por época para los dos "
    f"modelos. La LSTM con atención pasa de {ends[0]} a {ends[1]} "
    f"en {EPOCHS} épocas; el Transformer, de {ends[2]} a {ends[3]}.",
    en="Validation exact match per epoch for both models. The LSTM "
    f"with attention goes from {ends[0]} to {ends[1]} in {EPOCHS} "
    f"epochs; the transformer, from {ends[2]} to {ends[3]}.",
)

lstm_scores, tr_scores = scores["LSTM + Bahdanau"], scores["Transformer"]
lstm_size = count_parameters(models["LSTM + Bahdanau"])
tr_size = count_parameters(transformer)
# the first epoch at the LSTM's best
best_epoch = lstm_curve.index(max(lstm_curve)) + 1
publish("lstm_exact", lstm_scores["exact"])
publish("tr_exact", tr_scores["exact"])
publish("tr_params", tr_size, ",d")
publish("lstm_params", lstm_size, ",d")
publish("tr_val_first", tr_curve[0], ".3f")
publish("lstm_val_first", lstm_curve[0], ".3f")
publish("tr_loss_first", tr_history.loss[0], ".2f")
publish("lstm_loss_first", lstm_history.loss[0], ".2f")
publish("lstm_val_best", max(lstm_curve))
publish("lstm_best_epoch", best_epoch)
publish("tr_val_best", max(tr_curve))
publish("tr_month", percent(tr_scores["month"], 1))
publish("tr_day", percent(tr_scores["day"], 1))
publish("tr_year", percent(tr_scores["year"], 1))
claim(
    "lstm_wins",
    lstm_scores["exact"] > tr_scores["exact"] + 0.1,
    es="la coincidencia exacta de prueba de la LSTM supera en más de 0,1 "
    "a la del Transformer",
    en="the LSTM's test exact match is more than 0.1 above the transformer's",
)
claim(
    "transformer_larger",
    tr_size > lstm_size,
    es="el Transformer tiene más parámetros que la LSTM",
    en="the transformer has more parameters than the LSTM",
)
claim(
    "transformer_starts_faster",
    tr_history.loss[0] < lstm_history.loss[0] and tr_curve[0] >= lstm_curve[0],
    es="tras la primera época, el Transformer tiene menos pérdida de "
    "entrenamiento y no menos exactitud de validación que la LSTM",
    en="after the first epoch the transformer has a lower "
    "training loss and no lower validation accuracy than the LSTM",
)
claim(
    "transformer_slower_later",
    tr_curve[-1] - tr_curve[1] < lstm_curve[-1] - lstm_curve[1]
    and max(tr_curve) < max(lstm_curve) - 0.1,
    es="de la segunda época a la última, la LSTM gana más exactitud que el "
    "Transformer, y su mejor exactitud de validación supera en más de 0,1 a la "
    "del Transformer",
    en="from the second epoch to the last the LSTM gains more "
    "accuracy than the transformer, and its best validation "
    "accuracy is more than 0.1 above the transformer's",
)
claim(
    "year_weakest",
    tr_scores["year"] < min(tr_scores["day"], tr_scores["month"])
    and tr_scores["day"] < tr_scores["month"],
    es="el año es el campo que el Transformer "
    "acierta menos, y el mes, el que más",
    en="the year is the field the transformer "
    "gets right least often, the month most",
)
times = [h.seconds for h in histories.values()]
claim(
    "same_order_time",
    max(times) < 3 * min(times),
    es="los dos tiempos de entrenamiento difieren en menos de un factor 3",
    en="the training times of the two models differ by less than a factor of 3",
)

# %% [markdown] lang="es"
# Algunas traducciones de prueba: las cinco primeras y los cinco errores siguientes del Transformer.

# %% [markdown] lang="en"
# Some test translations: the first five and the transformer's next five mistakes.

# %%
guesses = predictions["Transformer"]
scored = zip(guesses, test_targets, strict=True)
wrong = [i for i, (guess, target) in enumerate(scored) if guess != target]
print(
    align(tr(es="fuente", en="source"), 46, "<")
    + align(tr(es="objetivo", en="target"), 12, "<")
    + f"{'LSTM':<12}{'Transformer':<11}"
)
for i in list(range(5)) + [i for i in wrong if i >= 5][:5]:
    outputs = [
        predictions[name][i]
        + (" " if predictions[name][i] == test_targets[i] else "*")
        for name in models
    ]
    row = [
        align(quote(test_pairs[i].spanish), 45, "<"),
        f"{test_targets[i]:<11}",
    ]
    print(" ".join(row + [f"{text:<11}" for text in outputs]))
print(tr(es="(* = error)", en="(* = wrong)"))
reordered = [i for i in wrong if sorted(guesses[i]) == sorted(test_targets[i])]
print(
    tr(
        es=f"errores del Transformer: {len(wrong)} de {len(test_targets)}; con "
        f"exactamente los caracteres correctos en otro orden: {len(reordered)}",
        en=f"transformer mistakes: {len(wrong)} of {len(test_targets)}; with "
        f"exactly the right characters in the wrong order: {len(reordered)}",
    )
)
# the first mistake that only reorders the digits of the year
swapped_year = next(
    i for i in reordered if guesses[i][4:] == test_targets[i][4:]
)
publish("reordered_share", percent(len(reordered) / len(wrong)))
publish(
    "year_swap",
    f"{test_targets[swapped_year][:4]} → {guesses[swapped_year][:4]}",
)
claim(
    "mostly_reordered",
    len(reordered) > len(wrong) / 2,
    es="más de la mitad de los errores son "
    "los caracteres correctos en otro orden",
    en="more than half the mistakes are the right characters in another order",
)

# %% [markdown] lang="es"
# ## ¿Adónde mira la atención cruzada?
#
# Para un ejemplo de prueba que el Transformer traduce bien, pedimos los pesos de la atención cruzada mientras genera su propia respuesta: cada fila es un carácter de salida y cada columna, un carácter de la fuente. De las cuatro cabezas de la última capa mostramos la más concentrada (la de mayor peso máximo medio por fila) y, al lado, los pesos de Bahdanau de la LSTM para el mismo ejemplo.

# %% [markdown] lang="en"
# ## Where does cross-attention look?
#
# For a test example that the transformer translates correctly, we ask for the cross-attention weights while it generates its own answer: each row is an output character and each column a source character. Of the four heads of the last layer we show the most concentrated one (the one with the largest mean per-row maximum weight) and, next to it, the LSTM's Bahdanau weights for the same example.

# %%
index = next(
    i
    for i, p in enumerate(test_pairs)
    if predictions["Transformer"][i] == p.iso
    and "," in p.spanish
    and not p.spanish.split()[1][0].isdigit()
)
example_pair = test_pairs[index]
source = test.source[index : index + 1]
length = int((source != PAD).sum())
answer = [BOS] + TARGET_VOCAB.encode(test_targets[index])  # decoder input
target_in = torch.tensor([answer], device=device)
with torch.no_grad():
    # (L, 1, H, T, S)
    _, cross = transformer.forward_with_attention(source, target_in)
    _, bahdanau = models["LSTM + Bahdanau"].forward_with_attention(
        source, target_in
    )
cross = cross[:, 0, :, :-1, :length].cpu()  # drop the row that predicts </s>
bahdanau = bahdanau[0, :-1, :length].cpu()  # (T, S)
sharpness = cross.max(dim=-1).values.mean(dim=-1)  # (L, H)
layer_word, head_word = tr(es="capa", en="layer"), tr(es="cabeza", en="head")
print(
    tr(
        es="peso máximo medio de la atención cruzada en cada cabeza:",
        en="mean largest cross-attention weight per head:",
    )
)
for layer, row in enumerate(sharpness.tolist(), start=1):
    heads = "  ".join(
        f"{head_word} {h}: {number(w, '.2f')}" for h, w in enumerate(row)
    )
    print(f"  {layer_word} {layer}: {heads}")
head = int(sharpness[-1].argmax())
last = CONFIG["n_layers"]
panels = {
    tr(
        es=f"Transformer, capa {last}, cabeza {head}",
        en=f"Transformer, layer {last}, head {head}",
    ): cross[-1, head],
    "LSTM + Bahdanau": bahdanau,
}
source_chars = list(example_pair.spanish)
fig, axes = new_figure(nrows=2, width=9.0, height=2.6)
for ax, (title, weights) in zip(axes, panels.items(), strict=True):
    ax.imshow(weights, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.grid(False)
    ax.set(
        title=title,
        xticks=range(length),
        xticklabels=source_chars,
        yticks=range(len(test_targets[index])),
        yticklabels=list(test_targets[index]),
        xlabel=tr(es="carácter de la fuente", en="source character"),
        ylabel=tr(es="salida", en="output"),
    )
fig.suptitle(
    tr(
        es=f"Atención cruzada: «{example_pair.spanish}»",
        en=f"Cross-attention: “{example_pair.spanish}”",
    ),
    fontweight="bold",
)
set_alt(
    fig,
    es=f"Dos mapas de calor de pesos de atención para «{example_pair.spanish}» "
    f"→ {example_pair.iso}: arriba una cabeza de la atención cruzada del "
    "Transformer, abajo la atención de Bahdanau de la LSTM. Filas: caracteres "
    "de salida; columnas: caracteres de la fuente. La atención de la LSTM "
    "recorre los dígitos del año en diagonal; la cabeza del Transformer pone "
    "el peso de los dígitos del día en la palabra que lo escribe.",
    en=f"Two heat maps of attention weights for “{example_pair.spanish}” "
    f"→ {example_pair.iso}: on top one head of the transformer's "
    "cross-attention, below the LSTM's Bahdanau attention. Rows: output "
    "characters; columns: source characters. The LSTM's attention goes "
    "through the year's digits along the diagonal; the transformer head "
    "puts the weight of the day's digits on the word that spells the day.",
)

# Where the day, the month and the year are in "weekday, day de month de year"
weekday, rest = example_pair.spanish.split(", ", 1)
day_text, month_text, year_text = rest.split(" de ")
day_start = len(weekday) + 2
day_span = slice(day_start, day_start + len(day_text))
month_start = day_span.stop + len(" de ")
month_span = slice(month_start, month_start + len(month_text))
year_start = month_span.stop + len(" de ")
chosen = cross[-1, head]  # (T, S); rows: the characters of yyyy-mm-dd
# (2,): the two digits of the day
on_day_word = chosen[8:10, day_span].sum(dim=-1)
# the second digit of the month
on_month_word = chosen[6, month_span].sum().item()
# the source position each year digit reads
head_year = chosen[:4].argmax(dim=-1).tolist()
lstm_year = bahdanau[:4].argmax(dim=-1).tolist()
year_positions = list(range(year_start, year_start + 4))
publish("day_word", day_text)
publish("month_word", month_text)
claim(
    "head_reads_day_word",
    (on_day_word > 0.5).all(),
    es="más de la mitad del peso de cada "
    "dígito del día va a la palabra del día",
    en="the head puts over half the weight of each day digit on the day's word",
)
claim(
    "head_reads_month_word",
    on_month_word > 0.5,
    es="más de la mitad del peso del segundo "
    "dígito del mes va a la palabra del mes",
    en="over half the weight of the month's "
    "second digit goes to the month's word",
)
claim(
    "head_not_diagonal",
    head_year != year_positions,
    es="para los dígitos del año, la cabeza no mira los de la fuente en orden",
    en="for the year's digits the head does "
    "not look at the source's digits in order",
)
claim(
    "lstm_diagonal",
    lstm_year == year_positions,
    es="para el dígito i del año, la LSTM "
    "mira sobre todo al dígito i de la fuente",
    en="for year digit i, the LSTM looks "
    "mostly at digit i of the source's year",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Nuestra atención multicabeza y `nn.MultiheadAttention` con los mismos pesos difieren como mucho en {{ value: attention_gap }}, el redondeo de `float32`, tanto con la máscara de relleno como con la causal, y también frente a la vía fusionada de PyTorch {{ claim: matches_pytorch }}. Las claves de relleno reciben un peso exactamente 0 {{ claim: padding_zero }}, y añadir `<pad>` al final de una fuente no cambia la salida del codificador en las posiciones reales: la diferencia máxima es {{ value: pad_change }} {{ claim: padding_invariant }}.
# - La máscara causal se ve en los números: los pesos por encima de la diagonal son 0 {{ claim: causal_zero }}, y cambiar la entrada 5 del decodificador deja **exactamente** iguales los *logits* de las posiciones 0 a 4 y cambia los de la 5 en adelante {{ claim: causal_logits }}. Sin esa máscara el modelo aprende a copiar la respuesta (ejercicio 1) {{ claim: no_mask_loss_collapses }} {{ claim: no_mask_cannot_generate }}.
# - El producto $PE_p \cdot PE_{p+k}$ vale lo mismo en $p = 0$, $10$ y $30$ {{ claim: pe_offset_only }}: depende solo de la distancia, y es menor cuanto más lejos están las posiciones ({{ value: pe_dot_1 }} con $k = 1$; {{ value: pe_dot_5 }} con $k = 5$) {{ claim: pe_farther_smaller }}.
# - Con estos datos y este presupuesto gana la LSTM con atención: coincidencia exacta de {{ value: lstm_exact }} en la prueba, frente a {{ value: tr_exact }} del Transformer {{ claim: lstm_wins }}, que además tiene más parámetros ({{ value: tr_params }} frente a {{ value: lstm_params }}) {{ claim: transformer_larger }}. El Transformer arranca más deprisa (tras la primera época, pérdida de {{ value: tr_loss_first }} frente a {{ value: lstm_loss_first }}, y exactitud de validación de {{ value: tr_val_first }} frente a {{ value: lstm_val_first }} de la LSTM) {{ claim: transformer_starts_faster }}, pero luego avanza despacio: la LSTM llega a {{ value: lstm_val_best }} en la época {{ value: lstm_best_epoch }}, y lo mejor del Transformer es {{ value: tr_val_best }} {{ claim: transformer_slower_later }}.
# - Sus errores son sobre todo de **posición**: acierta el mes en el {{ value: tr_month }} de los casos y el día en el {{ value: tr_day }}, pero el año ({{ value: tr_year }}) es su punto débil {{ claim: year_weakest }}, y el {{ value: reordered_share }} de sus errores tienen exactamente los caracteres correctos en otro orden ({{ value: year_swap }}) {{ claim: mostly_reordered }}. El Transformer tiene que aprender solo a partir de la codificación posicional qué dígito va primero; la LSTM lee los caracteres en orden, y esa suposición incorporada en su arquitectura vale mucho con {{ value: n_train }} ejemplos. No es un fallo de nuestra implementación: los bloques de `nn.Transformer` de PyTorch se comportan igual (ejercicio 3) {{ claim: torch_blocks_like_ours }} {{ claim: torch_blocks_far_from_lstm }}.
# - Con estos tamaños, los dos modelos tardan un tiempo del mismo orden {{ claim: same_order_time }} (la tabla da el de esta ejecución, y el pie de la página, el dispositivo que la produjo). La ventaja del Transformer, procesar todas las posiciones de una secuencia a la vez en lugar de una tras otra, apenas cuenta en una CPU con pocos hilos; crece con la longitud de las secuencias y con el paralelismo del hardware, como el de una GPU.
# - En el mapa de calor, la cabeza elegida saca los dos dígitos del día de la palabra que lo escribe, «{{ value: day_word }}», donde pone más de la mitad del peso de cada uno {{ claim: head_reads_day_word }}, y el segundo dígito del mes, de «{{ value: month_word }}» {{ claim: head_reads_month_word }}: la autoatención del codificador ha reunido en esas posiciones lo que dice la palabra entera. Para los dígitos del año, en cambio, no recorre en orden los de la fuente {{ claim: head_not_diagonal }}, que solo se distinguen por su posición. La atención de Bahdanau de la LSTM recorre los dígitos del año uno a uno, en diagonal {{ claim: lstm_diagonal }}.

# %% [markdown] lang="en"
# ## What to notice
#
# - Our multi-head attention and `nn.MultiheadAttention` with the same weights differ by at most {{ value: attention_gap }}, `float32` rounding, with the padding mask as well as with the causal one, and also against PyTorch's fused path {{ claim: matches_pytorch }}. Padded keys get a weight of exactly 0 {{ claim: padding_zero }}, and appending `<pad>` to a source does not change the encoder output at the real positions: the largest difference is {{ value: pad_change }} {{ claim: padding_invariant }}.
# - The causal mask shows in the numbers: the weights above the diagonal are 0 {{ claim: causal_zero }}, and changing decoder input 5 leaves the logits of positions 0 to 4 **exactly** the same while it changes those from 5 on {{ claim: causal_logits }}. Without that mask the model learns to copy the answer (exercise 1) {{ claim: no_mask_loss_collapses }} {{ claim: no_mask_cannot_generate }}.
# - The dot product $PE_p \cdot PE_{p+k}$ is the same at $p = 0$, $10$ and $30$ {{ claim: pe_offset_only }}: it depends only on the offset, and it is smaller the further apart the positions are ({{ value: pe_dot_1 }} for $k = 1$; {{ value: pe_dot_5 }} for $k = 5$) {{ claim: pe_farther_smaller }}.
# - With this data and this budget the LSTM with attention wins: an exact match of {{ value: lstm_exact }} on the test set, against {{ value: tr_exact }} for the transformer {{ claim: lstm_wins }}, which also has more parameters ({{ value: tr_params }} against {{ value: lstm_params }}) {{ claim: transformer_larger }}. The transformer starts faster (after the first epoch, a loss of {{ value: tr_loss_first }} against {{ value: lstm_loss_first }}, and a validation accuracy of {{ value: tr_val_first }} against {{ value: lstm_val_first }} for the LSTM) {{ claim: transformer_starts_faster }}, but then progresses slowly: the LSTM reaches {{ value: lstm_val_best }} in epoch {{ value: lstm_best_epoch }}, and the transformer's best is {{ value: tr_val_best }} {{ claim: transformer_slower_later }}.
# - Its mistakes are mostly about **position**: it gets the month right {{ value: tr_month }} of the time and the day {{ value: tr_day }}, but the year ({{ value: tr_year }}) is its weak spot {{ claim: year_weakest }}, and {{ value: reordered_share }} of its mistakes have exactly the right characters in another order ({{ value: year_swap }}) {{ claim: mostly_reordered }}. The transformer must learn from the positional encoding alone which digit comes first; the LSTM reads the characters in order, and that assumption built into its architecture is worth a lot with {{ value: n_train }} examples. It is not a flaw of our implementation: PyTorch's `nn.Transformer` blocks behave the same (exercise 3) {{ claim: torch_blocks_like_ours }} {{ claim: torch_blocks_far_from_lstm }}.
# - At these sizes both models take a time of the same order {{ claim: same_order_time }} (the table gives this run's, and the foot of the page the device that produced it). The transformer's advantage, processing all positions of a sequence at once instead of one after another, hardly counts on a CPU with few threads; it grows with sequence length and with the parallelism of the hardware, such as a GPU's.
# - In the heat map, the chosen head takes both digits of the day from the word that spells it, "{{ value: day_word }}", where it puts more than half the weight of each {{ claim: head_reads_day_word }}, and the month's second digit from "{{ value: month_word }}" {{ claim: head_reads_month_word }}: the encoder's self-attention has gathered what the whole word says into those positions. For the year's digits, on the other hand, it does not go through the source's digits in order {{ claim: head_not_diagonal }}, which can only be told apart by their position. The LSTM's Bahdanau attention goes through the year's digits one by one, along the diagonal {{ claim: lstm_diagonal }}.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Entrena durante 2 épocas un modelo sin máscara causal (`DateTransformer(..., **CONFIG, causal=False)`). ¿Qué pasa con la pérdida de entrenamiento y con la exactitud de validación? ¿Por qué?
# 2. Repite el entrenamiento con *post-norm* (`norm_first=False`), como en el artículo original. ¿Se entrena peor sin calentamiento de la tasa de aprendizaje?
# 3. Sustituye nuestros bloques por los de `nn.Transformer` de PyTorch (`norm_first=True`, mismas dimensiones, sin *dropout*), conservando nuestras incrustaciones, codificación posicional y capa de salida, y entrénalo igual. ¿Se acerca a la LSTM?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Train a model without the causal mask (`DateTransformer(..., **CONFIG, causal=False)`) for 2 epochs. What happens to the training loss and to validation accuracy? Why?
# 2. Repeat the training with post-norm (`norm_first=False`), as in the original paper. Does it train worse without learning-rate warm-up?
# 3. Replace our blocks with those of PyTorch's `nn.Transformer` (`norm_first=True`, same sizes, no dropout), keeping our embeddings, positional encoding and output layer, and train it the same way. Does it get closer to the LSTM?

# %% [markdown] lang="es" solution="1"
# La pérdida baja de {{ value: cheat_loss_first }} a {{ value: cheat_loss_last }} en dos épocas, mucho más deprisa que con la máscara ({{ value: masked_loss_second }} tras la segunda época) {{ claim: no_mask_loss_collapses }}, pero la exactitud de validación se queda en {{ value: cheat_val }} y las traducciones son basura («{{ value: cheat_example }}») {{ claim: no_mask_cannot_generate }}. Con *teacher forcing*, la entrada del decodificador en la posición $t+1$ es justo el carácter que hay que predecir en la posición $t$: sin máscara, el modelo aprende a copiarlo. Al generar, ese carácter todavía no existe.

# %% [markdown] lang="en" solution="1"
# The loss falls from {{ value: cheat_loss_first }} to {{ value: cheat_loss_last }} in two epochs, much faster than with the mask ({{ value: masked_loss_second }} after the second epoch) {{ claim: no_mask_loss_collapses }}, but validation accuracy stays at {{ value: cheat_val }} and the translations are rubbish ("{{ value: cheat_example }}") {{ claim: no_mask_cannot_generate }}. With teacher forcing, the decoder input at position $t+1$ is exactly the character to be predicted at position $t$: without the mask, the model learns to copy it. When generating, that character does not exist yet.

# %% solution="1"
seed_torch(0)
cheat = DateTransformer(
    len(SOURCE_VOCAB), len(TARGET_VOCAB), **CONFIG, causal=False
)
cheat_history = train_translator(cheat.to(device), *data, epochs=2, seed=0)
loss_word = tr(es="pérdida", en="loss")
exact_word = tr(es="exactitud de validación", en="validation accuracy")
for epoch, (loss, exact) in enumerate(
    zip(cheat_history.loss, cheat_history.val_exact, strict=True), start=1
):
    print(
        f"{tr(es='época', en='epoch')} {epoch}: {loss_word} {number(loss)} · "
        f"{exact_word} {number(exact)}"
    )
cheat_outputs = translate(cheat, test.subset(torch.arange(3, device=device)))
print(tr(es="primeras traducciones:", en="first translations:"), cheat_outputs)
publish("cheat_loss_first", cheat_history.loss[0], ".2f")
publish("cheat_loss_last", cheat_history.loss[-1], ".2f")
publish("masked_loss_second", tr_history.loss[1], ".2f")
publish("cheat_val", max(cheat_history.val_exact))
publish("cheat_example", cheat_outputs[0])
claim(
    "no_mask_loss_collapses",
    cheat_history.loss[-1] < 0.2 * tr_history.loss[1],
    es="sin máscara, la pérdida tras dos épocas es menos de una quinta "
    "parte de la que tiene el modelo con máscara en la misma época",
    en="without the mask the loss after two epochs is less than a fifth of the "
    "masked model's loss in the same epoch",
)
claim(
    "no_mask_cannot_generate",
    max(cheat_history.val_exact) < 0.05,
    es="sin máscara, la exactitud de validación "
    "no llega a 0,05 en ninguna época",
    en="without the mask validation accuracy stays below 0.05 in every epoch",
)

# %% [markdown] lang="es" solution="2"
# Para que la página siga siendo barata, entrenamos solo las {{ value: short_epochs }} primeras épocas y las comparamos con las mismas épocas de nuestro Transformer *pre-norm*. La pérdida de entrenamiento de *post-norm* sigue de cerca a la de *pre-norm* en cada época ({{ value: post_loss_last }} frente a {{ value: pre_loss_short }} en la última) {{ claim: post_norm_keeps_up }}, y su exactitud de validación llega a {{ value: post_val }}, frente a {{ value: pre_val_short }} de *pre-norm* {{ claim: post_norm_learns }}. Con solo dos capas, recorte del gradiente y esta tasa, *post-norm* también se entrena: el problema que analizan Xiong et al. no aparece a este tamaño.

# %% [markdown] lang="en" solution="2"
# To keep the page cheap we train only the first {{ value: short_epochs }} epochs and compare them with the same epochs of our pre-norm transformer. The post-norm training loss follows the pre-norm one closely in every epoch ({{ value: post_loss_last }} against {{ value: pre_loss_short }} in the last) {{ claim: post_norm_keeps_up }}, and its validation accuracy reaches {{ value: post_val }}, against {{ value: pre_val_short }} for pre-norm {{ claim: post_norm_learns }}. With only two layers, gradient clipping and this rate, post-norm trains too: the problem Xiong et al. analyze does not show up at this size.

# %% solution="2"
SHORT = 4  # epochs: the first four of the lesson's six


def side_by_side(columns: dict[str, tuple[list[float], list[float]]]) -> None:
    """One row per epoch: training loss / validation exact match of each run."""
    width = 36
    titles = [
        tr(es=f"{title}: pérdida / exacta", en=f"{title}: loss / exact")
        for title in columns
    ]
    epoch_word = align(tr(es="época", en="epoch"), 5)
    print(epoch_word + "".join(align(title, width) for title in titles))
    runs = list(columns.values())
    for epoch in range(SHORT):
        cells = [
            loss_and_exact(run[0][epoch], run[1][epoch], width) for run in runs
        ]
        print(f"{epoch + 1:5d}" + "".join(cells))


pre_norm = (tr_history.loss[:SHORT], tr_history.val_exact[:SHORT])
seed_torch(0)
post = DateTransformer(
    len(SOURCE_VOCAB), len(TARGET_VOCAB), **CONFIG, norm_first=False
)
post_history = train_translator(post.to(device), *data, epochs=SHORT, seed=0)
post_norm = (post_history.loss, post_history.val_exact)
side_by_side({"pre-norm": pre_norm, "post-norm": post_norm})
publish("short_epochs", SHORT)
publish("post_loss_last", post_history.loss[-1])
publish("pre_loss_short", tr_history.loss[SHORT - 1])
publish("post_val", post_history.val_exact[-1])
publish("pre_val_short", tr_history.val_exact[SHORT - 1])
claim(
    "post_norm_keeps_up",
    all(
        abs(a - b) < 0.25 * b
        for a, b in zip(post_norm[0], pre_norm[0], strict=True)
    ),
    es="en cada época, la pérdida post-norm "
    "está a menos de un 25 % de la pre-norm",
    en="in every epoch the post-norm loss is within 25% of the pre-norm loss",
)
claim(
    "post_norm_learns",
    post_history.val_exact[-1] > 0.5,
    es="la exactitud de validación de post-norm pasa de 0,5 en la última época",
    en="post-norm's validation accuracy is above 0.5 in the last epoch",
)

# %% [markdown] lang="es" solution="3"
# Con el mismo número de parámetros que nuestro Transformer, {{ value: torch_params }} {{ claim: torch_blocks_same_size }}, y las mismas {{ value: short_epochs }} épocas que en el ejercicio 2, su pérdida sigue a la nuestra época a época y su exactitud de validación llega a {{ value: torch_val }}, como la de nuestro Transformer ({{ value: pre_val_short }}) {{ claim: torch_blocks_like_ours }} y lejos de la que alcanza la LSTM en la misma época ({{ value: lstm_val_short }}) {{ claim: torch_blocks_far_from_lstm }}: la diferencia con la LSTM viene de la arquitectura, no de nuestra implementación.

# %% [markdown] lang="en" solution="3"
# With exactly the same number of parameters as our transformer, {{ value: torch_params }} {{ claim: torch_blocks_same_size }}, and the same {{ value: short_epochs }} epochs as in exercise 2, its loss follows ours epoch by epoch and its validation accuracy reaches {{ value: torch_val }}, like our transformer's ({{ value: pre_val_short }}) {{ claim: torch_blocks_like_ours }} and far from the LSTM's in the same epoch ({{ value: lstm_val_short }}) {{ claim: torch_blocks_far_from_lstm }}: the gap with the LSTM comes from the architecture, not from our implementation.

# %% solution="3"
import warnings

from torch import nn


class TorchBlocks(DateTransformer):
    """Our embeddings, positions and output layer around nn.Transformer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # replaced by PyTorch's blocks, which bring their own final LayerNorms
        del self.encoder, self.decoder, self.encoder_norm, self.decoder_norm
        # silences a notice: no nested tensors with pre-norm
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            self.blocks = nn.Transformer(
                d_model=D_MODEL,
                nhead=CONFIG["n_heads"],
                num_encoder_layers=CONFIG["n_layers"],
                num_decoder_layers=CONFIG["n_layers"],
                dim_feedforward=CONFIG["d_ff"],
                dropout=0.0,
                batch_first=True,
                norm_first=True,
            )

    def forward(self, source, target_in):
        pad = source == PAD
        out = self.blocks(
            self._embed(source, self.source_embed),
            self._embed(target_in, self.target_embed),
            tgt_mask=causal_mask(target_in.shape[1], device=source.device),
            src_key_padding_mask=pad,
            memory_key_padding_mask=pad,
        )
        return self.output(out)


seed_torch(0)
blocks_model = TorchBlocks(len(SOURCE_VOCAB), len(TARGET_VOCAB), **CONFIG)
blocks_model = blocks_model.to(device)
torch_history = train_translator(blocks_model, *data, epochs=SHORT, seed=0)
print(
    tr(es="parámetros", en="parameters")
    + f": nn.Transformer {number(count_parameters(blocks_model), ',d')} · "
    + tr(es="nuestro Transformer", en="our transformer")
    + f" {number(tr_size, ',d')}"
)
torch_run = (torch_history.loss, torch_history.val_exact)
side_by_side(
    {
        "LSTM + Bahdanau": (lstm_history.loss, lstm_history.val_exact),
        "Transformer": pre_norm,
        "nn.Transformer": torch_run,
    }
)
publish("torch_params", count_parameters(blocks_model), ",d")
publish("torch_val", torch_history.val_exact[-1])
publish("lstm_val_short", lstm_history.val_exact[SHORT - 1])
claim(
    "torch_blocks_same_size",
    count_parameters(blocks_model) == tr_size,
    es="con los bloques de PyTorch hay los mismos parámetros que en el nuestro",
    en="with PyTorch's blocks the model has "
    "the same number of parameters as ours",
)
claim(
    "torch_blocks_like_ours",
    all(
        abs(a - b) < 0.25 * b
        for a, b in zip(torch_run[0], pre_norm[0], strict=True)
    )
    and abs(torch_history.val_exact[-1] - pre_norm[1][-1]) < 0.15,
    es="con los bloques de PyTorch, la pérdida está en "
    "cada época a menos de un 25 % de la nuestra, y la "
    "exactitud de validación final, a menos de 0,15",
    en="with PyTorch's blocks the loss is within 25% of ours in "
    "every epoch, and the final validation accuracy within 0.15",
)
claim(
    "torch_blocks_far_from_lstm",
    torch_history.val_exact[-1] < lstm_history.val_exact[SHORT - 1] - 0.15,
    es="con los bloques de PyTorch, la exactitud de validación "
    "queda más de 0,15 por debajo de la de la LSTM en la misma época",
    en="with PyTorch's blocks validation accuracy stays "
    "more than 0.15 below the LSTM's in the same epoch",
)
