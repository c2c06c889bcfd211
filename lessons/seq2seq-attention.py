# ---
# jupyter:
#   lesson:
#     title:
#       es: Seq2seq con atención
#       en: Seq2seq with attention
#     summary:
#       es: Un codificador LSTM bidireccional y un decodificador LSTM traducen fechas españolas escritas en palabras a formato ISO, con y sin la atención de Bahdanau; exactitud por campo, traducciones de ejemplo y mapas de alineamiento.
#       en: A bidirectional LSTM encoder and an LSTM decoder translate Spanish dates written in words into ISO format, with and without Bahdanau attention; per-field accuracy, sample translations and alignment maps.
#     order: 28
#     budget_cpu_s: 90
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Plantear la traducción como un problema **secuencia a secuencia** (seq2seq): un codificador lee la entrada y un decodificador genera la salida carácter a carácter.
#     - Entrenar con *teacher forcing* y traducir con decodificación voraz, y entender la diferencia entre ambos modos.
#     - Escribir la atención aditiva de Bahdanau dentro de un decodificador, con las posiciones de relleno enmascaradas.
#     - Comparar un codificador-decodificador sin atención con el mismo modelo con atención, por coincidencia exacta y por exactitud de cada campo (año, mes y día), y leer los mapas de alineamiento que aprende la atención.
#
# Artículos asociados: notas sobre la [atención de Bahdanau](../papers/bahdanau-attention.md) y la [LSTM](../papers/lstm.md). Lecciones relacionadas: [atención paso a paso](attention.md), donde se presentó la puntuación aditiva, y [un Transformer a mano](transformer.md), la lección siguiente, que resuelve la misma tarea sin recurrencia y se compara con este modelo. Referencia de la API: [`dlcourse.models.seq2seq`](../api/models/seq2seq.md), [`dlcourse.data.dates`](../api/data/dates.md) y [`dlcourse.training.translation`](../api/training/translation.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Frame translation as a **sequence-to-sequence** (seq2seq) problem: an encoder reads the input and a decoder generates the output one character at a time.
#     - Train with teacher forcing and translate with greedy decoding, and understand how the two modes differ.
#     - Write Bahdanau's additive attention inside a decoder, with padding positions masked.
#     - Compare an encoder-decoder without attention with the same model with attention, by exact-match and per-field accuracy (year, month and day), and read the alignment maps the attention learns.
#
# Related papers: notes on [Bahdanau attention](../papers/bahdanau-attention.md) and the [LSTM](../papers/lstm.md). Related lessons: [attention by hand](attention.md), where the additive score was introduced, and [a transformer by hand](transformer.md), the next lesson, which solves the same task without recurrence and is compared with this model. API reference: [`dlcourse.models.seq2seq`](../api/models/seq2seq.md), [`dlcourse.data.dates`](../api/data/dates.md) and [`dlcourse.training.translation`](../api/training/translation.md).

# %% [markdown] lang="es"
# ## La tarea
#
# Traducimos fechas escritas en español, como «miércoles, 3 de marzo de 2021» o «el veintiocho de abril de 1961», a su forma ISO 8601, «2021-03-03». Es una traducción en miniatura, pero tiene lo que hace difícil traducir: hay que **reordenar** (el año va al final en español y al principio en ISO), leer números escritos con letras y **ignorar** lo que no aporta nada a la salida (el día de la semana, «el», «de»). Trabajamos con caracteres: la entrada es una secuencia de letras, cifras, comas y espacios, y la salida, una de cifras y guiones.
#
# Las fechas de prueba se eligen de modo que **ninguna** aparezca en el entrenamiento, ni siquiera escrita de otra forma {{ claim: no_leak }}: el modelo no puede acertar de memoria.

# %% [markdown] lang="en"
# ## The task
#
# We translate dates written in Spanish, such as "miércoles, 3 de marzo de 2021" ("Wednesday, 3 March 2021") or "el veintiocho de abril de 1961" ("the twenty-eighth of April 1961"), into their ISO 8601 form, "2021-03-03". It is translation in miniature, but it has what makes translation hard: words must be **reordered** (the year comes last in Spanish and first in ISO), numbers written in words must be read, and what contributes nothing to the output must be **ignored** (the weekday, "el", "de"). We work with characters: the input is a sequence of letters, digits, commas and spaces, and the output one of digits and hyphens.
#
# The test dates are chosen so that **none** of them appears in training, not even spelled differently {{ claim: no_leak }}: the model cannot get them right from memory.


# %%
import torch
from dlcourse.bilingual import align as fit
from dlcourse.bilingual import claim, number, percent, publish, quote, tr
from dlcourse.data.dates import (
    MONTHS,
    SOURCE_VOCAB,
    TARGET_VOCAB,
    WEEKDAYS,
    date_pairs,
    encode_pairs,
)
from dlcourse.models import count_parameters
from dlcourse.models.seq2seq import AttentionSeq2Seq, PlainSeq2Seq, align
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import pick_device, seed_all, seed_torch
from dlcourse.training.translation import (
    exact_match,
    field_accuracy,
    train_translator,
    translate,
)


def share(fraction: float, width: int) -> str:
    """A fraction as a percentage, right-aligned in ``width`` characters."""
    return fit(percent(fraction, 1), width)


def yes_no(answer: bool) -> str:
    return tr(es="sí", en="yes") if answer else tr(es="no", en="no")


seed_all(0)
train_pairs = date_pairs(8000, seed=0)
train_dates = {p.iso for p in train_pairs}
val_pairs = date_pairs(500, seed=1, exclude=train_dates)
seen = train_dates | {p.iso for p in val_pairs}
test_pairs = date_pairs(1000, seed=2, exclude=seen)
leaked = len({p.iso for p in test_pairs} & train_dates)
print(
    tr(es="pares: entrenamiento", en="pairs: train"),
    len(train_pairs),
    tr(es="· validación", en="· validation"),
    len(val_pairs),
    tr(es="· prueba", en="· test"),
    len(test_pairs),
)
print(
    tr(
        es="fechas de prueba vistas en el entrenamiento:",
        en="test dates seen in training:",
    ),
    leaked,
)
print(
    tr(
        es="caracteres: vocabulario de la fuente",
        en="characters: source vocabulary",
    ),
    len(SOURCE_VOCAB),
    tr(es="· vocabulario del objetivo", en="· target vocabulary"),
    len(TARGET_VOCAB),
)
for pair in train_pairs[:8]:
    print(f"  {fit(quote(pair.spanish), 44, '<')} -> {pair.iso}")

splits = (train_pairs, val_pairs, test_pairs)
train, val, test = (encode_pairs(pairs) for pairs in splits)
print(
    tr(es="ids de la fuente", en="source ids"),
    tuple(train.source.shape),
    tr(es="· entrada del decodificador", en="· decoder input"),
    tuple(train.target_in.shape),
)
print(
    tr(
        es="entrada del decodificador del primer par:",
        en="decoder input of the first pair: ",
    ),
    train.target_in[0].tolist(),
)
print(
    tr(
        es="lo que debe predecir en cada paso:",
        en="what it must predict at each step:",
    ),
    train.target_out[0].tolist(),
)
claim(
    "no_leak",
    leaked == 0,
    es="ninguna fecha de prueba aparece en el entrenamiento",
    en="no test date appears in training",
)

# %% [markdown] lang="es"
# Los identificadores 0, 1 y 2 son los símbolos especiales: relleno (`<pad>`), inicio (`<s>`) y fin (`</s>`). Las entradas del minilote se rellenan con ceros hasta la más larga. La entrada del decodificador empieza con `<s>` y la salida esperada es la misma secuencia desplazada una posición y terminada en `</s>`.

# %% [markdown] lang="en"
# Ids 0, 1 and 2 are the special symbols: padding (`<pad>`), start (`<s>`) and end (`</s>`). Sources in a batch are padded with zeros up to the longest one. The decoder input starts with `<s>`, and the expected output is the same sequence shifted by one position and ending with `</s>`.

# %% [markdown] lang="es"
# ## Codificador y decodificador
#
# Un modelo seq2seq descompone la probabilidad de la salida $\mathbf{y} = (y_1, \dots, y_T)$ dada la entrada $\mathbf{x} = (x_1, \dots, x_S)$ con la regla de la cadena, un carácter cada vez:
#
# $$
# p(\mathbf{y} \mid \mathbf{x}) = \prod_{t=1}^{T} p(y_t \mid y_1, \dots, y_{t-1}, \mathbf{x}).
# $$
#
# El **codificador** es una LSTM bidireccional: una LSTM lee la fuente de izquierda a derecha y otra de derecha a izquierda, y la **anotación** de la posición $j$ concatena ambos estados, $\mathbf{h}_j = [\overrightarrow{\mathbf{h}}_j; \overleftarrow{\mathbf{h}}_j]$. Cada una empieza por los caracteres reales y encuentra el relleno solo al final, así que las anotaciones no dependen de cuánto relleno haya.
#
# El **decodificador** es otra LSTM. En el paso $t$ lee el carácter anterior $y_{t-1}$ y un **vector de contexto** $\mathbf{c}_t$, actualiza su estado $\mathbf{s}_t$ y predice el carácter siguiente:
#
# $$
# \mathbf{s}_t = \operatorname{LSTM}\big(\mathbf{s}_{t-1}, [\mathbf{e}(y_{t-1}); \mathbf{c}_t]\big), \qquad
# p(y_t \mid y_{<t}, \mathbf{x}) = \operatorname{softmax}\big(W_o [\mathbf{s}_t; \mathbf{c}_t; \mathbf{e}(y_{t-1})] + \mathbf{b}_o\big),
# $$
#
# con $\mathbf{s}_0 = \tanh(W_s [\overrightarrow{\mathbf{h}}_S; \overleftarrow{\mathbf{h}}_1])$, los dos estados finales del codificador. **Sin atención**, el contexto es ese mismo resumen en todos los pasos, $\mathbf{c}_t = [\overrightarrow{\mathbf{h}}_S; \overleftarrow{\mathbf{h}}_1]$, como en el codificador-decodificador de Cho et al. (2014, [arXiv:1406.1078](https://arxiv.org/abs/1406.1078)) y en el seq2seq con LSTM de Sutskever, Vinyals y Le (2014, [arXiv:1409.3215](https://arxiv.org/abs/1409.3215)): toda la frase tiene que caber en un vector de tamaño fijo.
#
# ## *Teacher forcing*
#
# Al entrenar, el decodificador no lee lo que él mismo predijo, sino el carácter **correcto** anterior (la entrada `target_in` de arriba): es el *teacher forcing*. Así los $T$ pasos se entrenan a la vez con la entropía cruzada de cada carácter, y un error temprano no arruina el resto de la secuencia. Al traducir no hay respuesta correcta que leer: el decodificador empieza con `<s>`, toma en cada paso el carácter más probable (decodificación **voraz**) y se lo vuelve a dar como entrada hasta producir `</s>`. Por eso medimos la calidad con traducciones voraces, no con la pérdida.

# %% [markdown] lang="en"
# ## Encoder and decoder
#
# A seq2seq model factorizes the probability of the output $\mathbf{y} = (y_1, \dots, y_T)$ given the input $\mathbf{x} = (x_1, \dots, x_S)$ with the chain rule, one character at a time:
#
# $$
# p(\mathbf{y} \mid \mathbf{x}) = \prod_{t=1}^{T} p(y_t \mid y_1, \dots, y_{t-1}, \mathbf{x}).
# $$
#
# The **encoder** is a bidirectional LSTM: one LSTM reads the source left to right and another right to left, and the **annotation** of position $j$ concatenates both states, $\mathbf{h}_j = [\overrightarrow{\mathbf{h}}_j; \overleftarrow{\mathbf{h}}_j]$. Each of them starts with the real characters and meets the padding only at the end, so the annotations do not depend on how much padding there is.
#
# The **decoder** is another LSTM. At step $t$ it reads the previous character $y_{t-1}$ and a **context vector** $\mathbf{c}_t$, updates its state $\mathbf{s}_t$ and predicts the next character:
#
# $$
# \mathbf{s}_t = \operatorname{LSTM}\big(\mathbf{s}_{t-1}, [\mathbf{e}(y_{t-1}); \mathbf{c}_t]\big), \qquad
# p(y_t \mid y_{<t}, \mathbf{x}) = \operatorname{softmax}\big(W_o [\mathbf{s}_t; \mathbf{c}_t; \mathbf{e}(y_{t-1})] + \mathbf{b}_o\big),
# $$
#
# with $\mathbf{s}_0 = \tanh(W_s [\overrightarrow{\mathbf{h}}_S; \overleftarrow{\mathbf{h}}_1])$, the two final states of the encoder. **Without attention**, the context is that same summary at every step, $\mathbf{c}_t = [\overrightarrow{\mathbf{h}}_S; \overleftarrow{\mathbf{h}}_1]$, as in the RNN encoder-decoder of Cho et al. (2014, [arXiv:1406.1078](https://arxiv.org/abs/1406.1078)) and the LSTM seq2seq of Sutskever, Vinyals and Le (2014, [arXiv:1409.3215](https://arxiv.org/abs/1409.3215)): the whole sentence has to fit in one fixed-size vector.
#
# ## Teacher forcing
#
# During training the decoder does not read what it predicted itself but the **correct** previous character (the `target_in` input above): this is teacher forcing. All $T$ steps are then trained at once with the cross-entropy of each character, and an early mistake does not ruin the rest of the sequence. When translating there is no correct answer to read: the decoder starts with `<s>`, takes the most likely character at each step (**greedy** decoding) and feeds it back as input until it produces `</s>`. That is why we measure quality with greedy translations, not with the loss.

# %% [markdown] lang="es"
# ## La atención de Bahdanau
#
# Bahdanau, Cho y Bengio (2014, [arXiv:1409.0473](https://arxiv.org/abs/1409.0473)) sustituyen el contexto fijo por uno distinto en cada paso. Antes de emitir el carácter $t$, el decodificador puntúa cada anotación con el estado que tiene en ese momento, $\mathbf{s}_{t-1}$, convierte las puntuaciones en pesos con una softmax sobre las posiciones de la fuente y promedia las anotaciones con esos pesos:
#
# $$
# e_{tj} = \mathbf{v}^\top \tanh\big(W \mathbf{s}_{t-1} + U \mathbf{h}_j\big), \qquad
# \alpha_{tj} = \frac{\exp(e_{tj})}{\sum_{k} \exp(e_{tk})}, \qquad
# \mathbf{c}_t = \sum_{j=1}^{S} \alpha_{tj}\, \mathbf{h}_j .
# $$
#
# Es la puntuación aditiva de [atención paso a paso](attention.md) (`AdditiveScore`), ahora con la consulta $\mathbf{s}_{t-1}$ y las claves y valores $\mathbf{h}_j$. Dos detalles prácticos: $U\mathbf{h}_j$ no depende de $t$, así que se calcula una sola vez por frase; y en las posiciones de relleno se pone $e_{tj} = -\infty$, de modo que su peso es exactamente 0 y el contexto no depende del relleno {{ claim: padding_zero }}. La matriz $(\alpha_{tj})$ dice en qué caracteres de la fuente se fijó el decodificador para escribir cada carácter de la salida: el **alineamiento** que el modelo aprende sin que nadie se lo indique.

# %% [markdown] lang="en"
# ## Bahdanau attention
#
# Bahdanau, Cho and Bengio (2014, [arXiv:1409.0473](https://arxiv.org/abs/1409.0473)) replace the fixed context with a different one at every step. Before emitting character $t$, the decoder scores each annotation with its current state $\mathbf{s}_{t-1}$, turns the scores into weights with a softmax over source positions and averages the annotations with those weights:
#
# $$
# e_{tj} = \mathbf{v}^\top \tanh\big(W \mathbf{s}_{t-1} + U \mathbf{h}_j\big), \qquad
# \alpha_{tj} = \frac{\exp(e_{tj})}{\sum_{k} \exp(e_{tk})}, \qquad
# \mathbf{c}_t = \sum_{j=1}^{S} \alpha_{tj}\, \mathbf{h}_j .
# $$
#
# It is the additive score of [attention by hand](attention.md) (`AdditiveScore`), now with the query $\mathbf{s}_{t-1}$ and the keys and values $\mathbf{h}_j$. Two practical details: $U\mathbf{h}_j$ does not depend on $t$, so it is computed once per sentence; and padding positions get $e_{tj} = -\infty$, so their weight is exactly 0 and the context does not depend on padding {{ claim: padding_zero }}. The matrix $(\alpha_{tj})$ tells which source characters the decoder looked at to write each output character: the **alignment** the model learns without anyone pointing it out.


# %%
device = pick_device()
print(tr(es="dispositivo:", en="device:"), device.type)
seed_torch(0)
models = {
    "without attention": PlainSeq2Seq(len(SOURCE_VOCAB), len(TARGET_VOCAB)),
    "with attention": AttentionSeq2Seq(len(SOURCE_VOCAB), len(TARGET_VOCAB)),
}
models = {name: model.to(device) for name, model in models.items()}
NAMES = {
    "without attention": tr(es="sin atención", en="without attention"),
    "with attention": tr(es="con atención", en="with attention"),
}
sizes = {name: count_parameters(model) for name, model in models.items()}
for name, size in sizes.items():
    print(
        fit(NAMES[name], 18, "<"),
        tr(es="parámetros:", en="parameters:"),
        number(size, ",d"),
    )

batch = test.subset(torch.arange(4)).to(device)
with torch.no_grad():
    logits, weights = models["with attention"].forward_with_attention(
        batch.source,
        batch.target_in,
    )
padding = batch.source == 0  # (B, S)
ones = torch.ones(weights.shape[:2], device=device)
rows_sum_to_one = torch.allclose(weights.sum(-1), ones)
on_padding = weights.masked_select(padding[:, None, :].expand_as(weights))
print(
    "logits",
    tuple(logits.shape),
    tr(es="· pesos de atención", en="· attention weights"),
    tuple(weights.shape),
)
print(
    tr(
        es="modelo sin entrenar: las filas suman 1:",
        en="untrained model: rows sum to 1:",
    ),
    yes_no(rows_sum_to_one),
    tr(es="· mayor peso en el relleno:", en="· largest weight on padding:"),
    number(on_padding.max().item(), ".1f"),
)
n_plain, n_attention = sizes["without attention"], sizes["with attention"]
publish("extra_params", percent(n_attention / n_plain - 1))
claim(
    "padding_zero",
    rows_sum_to_one and on_padding.max().item() == 0,
    es="sin entrenar, las filas suman 1 y el relleno recibe peso 0 exacto",
    en="untrained, the rows sum to 1 and the weight on padding is exactly 0",
)
claim(
    "params_close",
    n_plain < n_attention < 1.2 * n_plain,
    es="el modelo con atención tiene más parámetros, pero menos de un 20 % más",
    en="the model with attention has more parameters, but under 20% more",
)

# %% [markdown] lang="es"
# ## Entrenamiento
#
# Los dos modelos tienen el mismo codificador, el mismo decodificador y casi los mismos parámetros {{ claim: params_close }}; solo cambia de dónde sale $\mathbf{c}_t$. Los entrenamos con el mismo código (`train_translator`: Adam, minilotes de 64, gradientes recortados a norma 1) durante 3 épocas, y medimos tras cada época la **coincidencia exacta** en el conjunto de validación: la fracción de fechas traducidas sin un solo carácter mal.

# %% [markdown] lang="en"
# ## Training
#
# Both models have the same encoder, the same decoder and almost the same parameters {{ claim: params_close }}; only where $\mathbf{c}_t$ comes from changes. We train them with the same code (`train_translator`: Adam, batches of 64, gradients clipped to norm 1) for 3 epochs, and after each epoch we measure the **exact match** on the validation set: the fraction of dates translated without a single wrong character.


# %%
EPOCHS = 3
train, val, test = train.to(device), val.to(device), test.to(device)
val_iso = [p.iso for p in val_pairs]
histories = {}
for name, model in models.items():
    histories[name] = train_translator(
        model,
        train,
        val,
        val_iso,
        epochs=EPOCHS,
        seed=0,
    )
    seconds = number(histories[name].seconds, ".1f")
    print(
        NAMES[name]
        + tr(es=f": entrenado en {seconds} s", en=f": trained in {seconds} s")
    )
print(
    tr(
        es="época  pérdida sin · con atención  exacta en validación sin · con",
        en="epoch  loss without · with attention  val. exact without · with",
    )
)
plain, attn = histories["without attention"], histories["with attention"]
for epoch in range(EPOCHS):
    losses = fit(number(plain.loss[epoch], ".4f"), 11) + " · "
    losses += fit(number(attn.loss[epoch], ".4f"), 6)
    exact = share(plain.val_exact[epoch], 19) + " · "
    exact += share(attn.val_exact[epoch], 6)
    print(f"{epoch + 1:5d}   {losses}   {exact}")

fig, ax = new_figure(width=5.8, height=3.6)
epochs = range(1, EPOCHS + 1)
for k, name in enumerate(models):
    label = NAMES[name]
    curve = histories[name].val_exact
    ax.plot(epochs, curve, "o-", color=PALETTE[3 * (1 - k)], label=label)
ax.set(
    title=tr(
        es="Coincidencia exacta en validación",
        en="Validation exact match",
    ),
    xlabel=tr(es="época", en="epoch"),
    ylabel=tr(es="coincidencia exacta", en="exact match"),
    ylim=(0, 1.02),
    xticks=list(epochs),
)
ax.legend()
curves = (plain.val_exact, attn.val_exact)
ends = [percent(curve[i]) for curve in curves for i in (0, -1)]
set_alt(
    fig,
    es=f"Coincidencia exacta en validación tras cada una de las {EPOCHS} "
    f"épocas. Sin atención pasa de {ends[0]} a {ends[1]}; con atención, de "
    f"{ends[2]} a {ends[3]}.",
    en=f"Validation exact match after each of the {EPOCHS} epochs. Without "
    f"attention it goes from {ends[0]} to {ends[1]}; with attention, from "
    f"{ends[2]} to {ends[3]}.",
)
publish("attn_first", percent(attn.val_exact[0]))
publish("plain_first", percent(plain.val_exact[0]))
publish("attn_second", percent(attn.val_exact[1], 1))
publish("plain_second", percent(plain.val_exact[1], 1))
claim(
    "attention_first_epoch",
    attn.val_exact[0] > plain.val_exact[0] + 0.3,
    es="tras la primera época, la atención saca más de 30 puntos al otro "
    "modelo en validación",
    en="after the first epoch, attention is more than 30 points ahead of the "
    "model without attention on validation",
)
claim(
    "attention_ahead",
    all(a >= p for a, p in zip(attn.val_exact, plain.val_exact, strict=True))
    and attn.val_exact[1] >= plain.val_exact[-1],
    es="la atención va por delante en cada época y tras la segunda ya iguala o "
    "supera lo que el otro alcanza en la última",
    en="attention is ahead at every epoch and after the second already matches "
    "or beats what the other reaches at the last",
)

# %% [markdown] lang="es"
# ## Exactitud en las fechas de prueba
#
# Traducimos las 1000 fechas de prueba, nunca vistas, con decodificación voraz. Además de la coincidencia exacta medimos la exactitud de cada **campo** por separado (año, mes y día), que dice qué parte de la fecha falla, y miramos de qué tipo son los días equivocados.

# %% [markdown] lang="en"
# ## Accuracy on the test dates
#
# We translate the 1,000 unseen test dates with greedy decoding. Besides the exact match we measure the accuracy of each **field** separately (year, month and day), which tells which part of the date goes wrong, and we look at what kind of mistakes the wrong days are.


# %%
test_iso = [p.iso for p in test_pairs]
predictions = {name: translate(model, test) for name, model in models.items()}
scores = {}
print(
    fit(tr(es="modelo", en="model"), 18, "<")
    + fit(tr(es="exacta", en="exact match"), 13)
    + fit(tr(es="año", en="year"), 8)
    + fit(tr(es="mes", en="month"), 8)
    + fit(tr(es="día", en="day"), 8)
)
for name, predicted in predictions.items():
    fields = field_accuracy(predicted, test_iso)
    scores[name] = {"exact": exact_match(predicted, test_iso), **fields}
    print(
        fit(NAMES[name], 18, "<")
        + share(scores[name]["exact"], 13)
        + "".join(share(fields[key], 8) for key in ("year", "month", "day"))
    )

plain_guesses = predictions["without attention"]
pairs = list(zip(plain_guesses, test_iso, strict=True))
plain_wrong_days = [(p[8:10], t[8:10]) for p, t in pairs if p[8:10] != t[8:10]]
plain_wrong = [(p, t) for p, t in pairs if p != t]
swaps = [(p, t) for p, t in plain_wrong_days if sorted(p) == sorted(t)]
print(
    tr(
        es=f"días equivocados sin atención: {len(plain_wrong_days)}, de los "
        f"que {len(swaps)} tienen los dos dígitos correctos en el orden "
        "contrario",
        en=f"wrong days without attention: {len(plain_wrong_days)}, of which "
        f"{len(swaps)} have the right two digits in the wrong order",
    )
)
plain_scores = scores["without attention"]
for key in ("exact", "year", "month", "day"):
    publish(f"plain_{key}", percent(plain_scores[key], 1))
publish("n_wrong_days", len(plain_wrong_days))
publish("n_swaps", len(swaps))
examples_of_swaps = list(dict.fromkeys(f"{t} → {p}" for p, t in swaps))[:3]
publish("swap_examples", ", ".join(examples_of_swaps) or "—")
day_share = len(plain_wrong_days) / max(len(plain_wrong), 1)
claim(
    "day_weakest",
    1 - plain_scores["day"] > 1 - plain_scores["month"]
    and 1 - plain_scores["day"] > 1 - plain_scores["year"]
    and day_share >= 0.7,
    es="sin atención, el día es el campo con más errores y está mal en al "
    "menos el 70 % de las fechas erróneas",
    en="without attention the day is the field with most errors, and it is "
    "wrong in at least 70% of the wrong dates",
)
claim(
    "swaps_common",
    len(swaps) >= len(plain_wrong_days) / 3,
    es="en al menos un tercio de los días equivocados, los dos dígitos son "
    "los correctos en el orden contrario",
    en="in at least a third of the wrong days the two digits are right but "
    "reversed",
)


# %% [markdown] lang="es"
# ## Traducciones de ejemplo
#
# Unas cuantas fechas de prueba al azar y, después, las fechas en que al menos uno de los dos modelos se equivoca (✗ marca una traducción errónea).

# %% [markdown] lang="en"
# ## Sample translations
#
# A few test dates at random and then the dates where at least one of the two models is wrong (✗ marks a wrong translation).


# %%
def show(i: int) -> None:
    marks = []
    for name in models:
        guess = predictions[name][i] or tr(es="(vacía)", en="(empty)")
        right_or_wrong = "✓" if predictions[name][i] == test_iso[i] else "✗"
        marks.append(fit(guess, 10, "<") + f" {right_or_wrong}")
    source = fit(quote(test_pairs[i].spanish), 46, "<")
    print(f"{source} {test_iso[i]}   {marks[0]}   {marks[1]}")


print(
    fit(tr(es="fuente", en="source"), 46, "<")
    + fit(tr(es="referencia", en="reference"), 13, "<")
    + fit(tr(es="sin", en="without"), 15, "<")
    + tr(es="con atención", en="with attention")
)
for i in range(6):
    show(i)
n_test = len(test_pairs)
mistaken = {
    name: [
        guess != target for guess, target in zip(guesses, test_iso, strict=True)
    ]
    for name, guesses in predictions.items()
}
wrong = [i for i in range(n_test) if any(m[i] for m in mistaken.values())]
print(
    "\n"
    + tr(
        es=f"{len(wrong)} fechas de prueba con al menos una traducción "
        "errónea; las 10 primeras:",
        en=f"{len(wrong)} test dates with at least one wrong translation; the "
        "first 10:",
    )
)
for i in wrong[:10]:
    show(i)

# %% [markdown] lang="es"
# ## Mapas de atención
#
# Para tres fechas de prueba con formas distintas dibujamos los pesos $\alpha_{tj}$ del modelo con atención: cada fila es un carácter de la salida (el último, el símbolo de fin) y cada columna, un carácter de la fuente (`·` es un espacio). Cuanto más oscura la celda, más peso.

# %% [markdown] lang="en"
# ## Attention maps
#
# For three test dates of different forms we draw the weights $\alpha_{tj}$ of the model with attention: each row is an output character (the last one is the end symbol) and each column a source character (`·` is a space). The darker the cell, the more weight.


# %%
attention_model = models["with attention"]
picks = (
    lambda s: "," in s,  # weekday, comma, day in digits
    lambda s: s.startswith("el ") and not s[3].isdigit(),  # day in words
    lambda s: " de " not in s,  # no "de" at all
)
sources = [p.spanish for p in test_pairs]
examples = [next(text for text in sources if pick(text)) for pick in picks]
alignments = [align(attention_model, text) for text in examples]
FIELDS = {"year": slice(0, 4), "month": slice(5, 7), "day": slice(8, 10)}
FIELD_NAMES = {
    "year": tr(es="año", en="year"),
    "month": tr(es="mes", en="month"),
    "day": tr(es="día", en="day"),
}


def looked_at(alignment, rows: slice) -> list[int]:
    """The source position with the largest weight for each given output row."""
    return alignment.weights[rows].argmax(dim=1).tolist()


def focus(alignment, rows: slice) -> str:
    """The source characters with the largest weight for the given rows."""
    return "".join(alignment.source[j] for j in looked_at(alignment, rows))


most = tr(es="caracteres más atendidos:", en="most attended characters:")
for alignment in alignments:
    looked = " · ".join(
        f"{FIELD_NAMES[field]} '{focus(alignment, rows)}'"
        for field, rows in FIELDS.items()
    )
    source = fit(quote("".join(alignment.source)), 34, "<")
    print(f"{source} {most} {looked}")

fig, axes = new_figure(nrows=len(examples), width=9.0, height=3.4)
for ax, alignment in zip(axes, alignments, strict=True):
    translation = "".join(alignment.output[:-1])
    ax.imshow(alignment.weights, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.grid(False)
    ax.set(
        xticks=range(len(alignment.source)),
        xticklabels=["·" if ch == " " else ch for ch in alignment.source],
        yticks=range(len(alignment.output)),
        yticklabels=alignment.output,
        ylabel=tr(es="salida", en="output"),
        title=f"{quote(''.join(alignment.source))} → {translation}",
    )
    ax.tick_params(axis="both", labelsize=8, length=0)
axes[-1].set_xlabel(tr(es="carácter de la fuente", en="source character"))
fig.suptitle(
    tr(es="Alineamiento aprendido", en="Learned alignment"),
    fontweight="bold",
)
first = alignments[0]
year_0, month_0 = focus(first, FIELDS["year"]), focus(first, FIELDS["month"])
day_0 = focus(first, FIELDS["day"]).strip()
shown = [quote(text) for text in examples]
set_alt(
    fig,
    es="Tres mapas de calor de pesos de atención, uno por fecha "
    f"({shown[0]}, {shown[1]} y {shown[2]}): filas = caracteres de la salida "
    "ISO, columnas = caracteres de la fuente. Los dígitos del año, que van "
    "primero en la salida, forman una diagonal en el extremo derecho de la "
    "fuente, donde está el año; el último dígito del mes mira al nombre del "
    "mes y el último del día, al día, cerca del principio. En la primera "
    f"fecha, el año mira a «{year_0}», el mes a «{month_0}» y el día a "
    f"«{day_0}».",
    en="Three heat maps of attention weights, one per date "
    f"({shown[0]}, {shown[1]} and {shown[2]}): rows = characters of the ISO "
    "output, columns = source characters. The year digits, which come first "
    "in the output, form a diagonal at the right end of the source, where the "
    "year is; the last month digit looks at the month name and the last day "
    "digit at the day, near the start. In the first date the year looks at "
    f"“{year_0}”, the month at “{month_0}” and the day at “{day_0}”.",
)


def month_span(text: str) -> range:
    """The source positions of the month's name."""
    month = next(m for m in MONTHS if f" {m} " in f" {text} ")
    start = f" {text} ".index(f" {month} ")
    return range(start, start + len(month))


diagonal, on_month, day_first, spread = [], [], [], []
for alignment in alignments:
    n_source = len(alignment.source)
    months = month_span("".join(alignment.source))
    last_four = list(range(n_source - 4, n_source))
    diagonal.append(looked_at(alignment, FIELDS["year"]) == last_four)
    last_month_digit = looked_at(alignment, slice(6, 7))[0]
    on_month.append(last_month_digit in months)
    last_day_digit = looked_at(alignment, slice(9, 10))[0]
    day_first.append(last_day_digit < months.start)
    peaks = alignment.weights.max(dim=1).values  # (T,)
    digits = peaks[[0, 1, 2, 3, 5, 6, 8, 9]].mean()
    others = peaks[[4, 7, len(peaks) - 1]].mean()  # the hyphens and </s>
    spread.append((others < digits).item())
month_letters = [focus(a, slice(6, 7)) for a in alignments]
month_words = [
    text[month_span(text).start :].split()[0]
    for text in ("".join(a.source) for a in alignments)
]
publish(
    "month_letters",
    ", ".join(
        tr(es=f"«{letters}» en «{word}»", en=f"“{letters}” in “{word}”")
        for letters, word in zip(month_letters, month_words, strict=True)
    ),
)
words_day = alignments[1]
day_word = "".join(words_day.source).split()[1]
publish(
    "day_letters",
    tr(
        es=f"«{focus(words_day, FIELDS['day'])}» en «{day_word}»",
        en=f"“{focus(words_day, FIELDS['day'])}” in “{day_word}”",
    ),
)
claim(
    "year_diagonal",
    all(diagonal),
    es="en los tres mapas, los cuatro dígitos del año miran, en orden, a los "
    "cuatro últimos caracteres de la fuente",
    en="in all three maps the four year digits look, in order, at the last "
    "four source characters",
)
claim(
    "month_on_name",
    all(on_month),
    es="en los tres mapas, los dígitos del mes miran al nombre del mes",
    en="in all three maps the month digits look at letters of the month's name",
)
claim(
    "day_before_month",
    all(day_first),
    es="en los tres mapas, el último dígito del día mira a un carácter "
    "anterior al mes",
    en="in all three maps the last day digit looks at a character before the "
    "month",
)
claim(
    "punctuation_spread",
    all(spread),
    es="en los tres mapas, guiones y fin tienen un mayor peso medio menor que "
    "el de los dígitos",
    en="in all three maps the hyphens and the end symbol have a lower mean "
    "largest weight than the digits",
)

# %% [markdown] lang="es"
# ## Años que nunca vio
#
# Todas las fechas de entrenamiento están entre 1950 y 2049. ¿Qué pasa con fechas de 2060 a 2099? Cada carácter de la fuente es conocido, pero ningún año lo es: para acertar, el modelo tiene que **copiar** los dígitos del año en vez de recordar años que ya vio.

# %% [markdown] lang="en"
# ## Years it never saw
#
# Every training date lies between 1950 and 2049. What happens with dates from 2060 to 2099? Every source character is known, but no year is: to get them right, the model has to **copy** the year digits instead of recalling years it has seen.


# %%
far_pairs = date_pairs(300, seed=3, years=(2060, 2099))
far = encode_pairs(far_pairs).to(device)
far_iso = [p.iso for p in far_pairs]
far_predictions = {}
for name, model in models.items():
    far_predictions[name] = translate(model, far)
far_scores = {}
print(
    fit(tr(es="años 2060-2099", en="years 2060-2099"), 18, "<")
    + fit(tr(es="exacta", en="exact match"), 13)
    + fit(tr(es="año", en="year"), 8)
    + fit(tr(es="mes", en="month"), 8)
    + fit(tr(es="día", en="day"), 8)
)
for name, predicted in far_predictions.items():
    fields = field_accuracy(predicted, far_iso)
    far_scores[name] = {"exact": exact_match(predicted, far_iso), **fields}
    print(
        fit(NAMES[name], 18, "<")
        + share(far_scores[name]["exact"], 13)
        + "".join(share(fields[key], 8) for key in ("year", "month", "day"))
    )
print(
    "\n"
    + fit(tr(es="fuente", en="source"), 46, "<")
    + fit(tr(es="referencia", en="reference"), 13, "<")
    + fit(tr(es="sin", en="without"), 13, "<")
    + tr(es="con atención", en="with attention")
)
far_rows = zip(far_pairs, *far_predictions.values(), strict=True)
for pair, plain_guess, attn_guess in list(far_rows)[:6]:
    guesses = fit(plain_guess or tr(es="(vacía)", en="(empty)"), 10, "<")
    source = fit(quote(pair.spanish), 46, "<")
    print(f"{source} {pair.iso}   {guesses}   {attn_guess}")

far_plain = far_predictions["without attention"]
far_rows = zip(far_plain, far_iso, strict=True)
wrong_years = [(t[:4], p[:4]) for p, t in far_rows if p[:4] != t[:4]]
permuted = [(t, p) for t, p in wrong_years if sorted(t) == sorted(p)]
different = [(t, p) for t, p in wrong_years if sorted(t) != sorted(p)]
publish("far_attn_exact", percent(far_scores["with attention"]["exact"], 1))
for key in ("exact", "year", "month", "day"):
    value = far_scores["without attention"][key]
    publish(f"far_plain_{key}", percent(value, 1))
publish("permuted_share", percent(len(permuted) / max(len(wrong_years), 1)))
publish(
    "permuted_examples",
    ", ".join(quote(t) + " → " + quote(p) for t, p in permuted[:2]) or "—",
)
publish(
    "different_example",
    " · ".join(quote(t) + " → " + quote(p) for t, p in different[:1]) or "—",
)
plain_name = "without attention"
far_plain_scores = far_scores[plain_name]
claim(
    "attention_copies",
    far_scores["with attention"]["exact"]
    > far_scores[plain_name]["exact"] + 0.4,
    es="con años nunca vistos, la atención acierta más de 40 puntos más "
    "fechas que el modelo sin atención",
    en="with years it never saw, attention gets over 40 points more dates "
    "right than the model without attention",
)
claim(
    "plain_misses_years",
    far_plain_scores["year"] < 0.6
    and min(far_plain_scores["month"], far_plain_scores["day"]) > 0.9,
    es="sin atención, con años nunca vistos acierta menos del 60 % de los años "
    "pero más del 90 % de los meses y los días",
    en="without attention, with unseen years it gets under 60% of the years "
    "but over 90% of the months and days right",
)
claim(
    "permuted_often",
    len(permuted) >= len(wrong_years) / 4 and len(different) > 0,
    es="al menos 1/4 de los años equivocados son los mismos dígitos en otro "
    "orden, y hay alguno que no",
    en="at least a quarter of the wrong years are the same digits in another "
    "order, and some are not",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - **La atención acelera el aprendizaje.** Tras la primera época, el modelo con atención ya traduce bien el {{ value: attn_first }} de las fechas de validación y el modelo sin atención, apenas el {{ value: plain_first }} {{ claim: attention_first_epoch }}; tras la segunda, el primero llega al {{ value: attn_second }} y el segundo se queda en el {{ value: plain_second }}, y en ninguna época el modelo sin atención lo alcanza {{ claim: attention_ahead }}. Con el mismo codificador, el mismo decodificador y solo un {{ value: extra_params }} más de parámetros, la diferencia está en de dónde sale el contexto.
# - **Sin atención, los errores están en el día.** En las fechas de prueba el modelo sin atención acierta el {{ value: plain_year }} de los años y el {{ value: plain_month }} de los meses, pero solo el {{ value: plain_day }} de los días; casi todos sus fallos están en el día, que está al principio de la frase española y al final de la salida ISO {{ claim: day_weakest }}. En buena parte de esos días equivocados ({{ value: n_swaps }} de {{ value: n_wrong_days }}) los dos dígitos son los correctos pero en el orden contrario ({{ value: swap_examples }}) {{ claim: swaps_common }}: el resumen de tamaño fijo conserva qué dígitos había, pero no siempre en qué orden.
# - **Los mapas de atención son un alineamiento.** Los cuatro dígitos del año, los primeros de la salida, miran a los cuatro últimos caracteres de la fuente, uno a uno y en orden, formando una diagonal {{ claim: year_diagonal }}; el último dígito del día mira al día, en las primeras posiciones {{ claim: day_before_month }}. Es el reordenamiento de la tarea, aprendido sin ninguna indicación de qué carácter corresponde a cuál. Para el mes, que no se copia sino que se deduce, el último dígito se fija en una letra del nombre del mes ({{ value: month_letters }}) {{ claim: month_on_name }}, y el día escrito con letras se lee en letras de la palabra ({{ value: day_letters }}). Los guiones y el símbolo de fin reparten más el peso que los dígitos: no necesitan leer nada concreto {{ claim: punctuation_spread }}.
# - **Copiar frente a recordar.** Con años que nunca vio (2060–2099), el modelo con atención sigue acertando el {{ value: far_attn_exact }} de las fechas, muy por encima del modelo sin atención {{ claim: attention_copies }}, porque cada dígito del año se copia del carácter al que atiende. El modelo sin atención acierta el mes y el día ({{ value: far_plain_month }} y {{ value: far_plain_day }}), pero solo el {{ value: far_plain_year }} de los años {{ claim: plain_misses_years }}: escribe años que sí conoce, a menudo con los mismos dígitos en otro orden ({{ value: permuted_examples }}; el {{ value: permuted_share }} de sus años equivocados) y a veces otro año muy distinto ({{ value: different_example }}) {{ claim: permuted_often }}. Es una versión en miniatura del cuello de botella que describen Bahdanau et al.: lo que no cabe en el vector de resumen se pierde.

# %% [markdown] lang="en"
# ## What to notice
#
# - **Attention speeds up learning.** After the first epoch the model with attention already translates {{ value: attn_first }} of the validation dates correctly and the model without attention barely {{ value: plain_first }} {{ claim: attention_first_epoch }}; after the second, the former reaches {{ value: attn_second }} and the latter stays at {{ value: plain_second }}, and at no epoch does the model without attention catch up {{ claim: attention_ahead }}. With the same encoder, the same decoder and only {{ value: extra_params }} more parameters, the difference lies in where the context comes from.
# - **Without attention, the mistakes are in the day.** On the test dates the model without attention gets {{ value: plain_year }} of the years and {{ value: plain_month }} of the months right, but only {{ value: plain_day }} of the days; nearly all its failures are in the day, which sits at the start of the Spanish sentence and at the end of the ISO output {{ claim: day_weakest }}. In a good share of those wrong days ({{ value: n_swaps }} of {{ value: n_wrong_days }}) the two digits are the right ones in the opposite order ({{ value: swap_examples }}) {{ claim: swaps_common }}: the fixed-size summary keeps which digits were there, but not always in which order.
# - **The attention maps are an alignment.** The four year digits, the first of the output, look at the last four source characters, one by one and in order, forming a diagonal {{ claim: year_diagonal }}; the last day digit looks at the day, in the first positions {{ claim: day_before_month }}. This is the reordering of the task, learned without any hint of which character matches which. For the month, which is not copied but inferred, the last digit rests on a letter of the month's name ({{ value: month_letters }}) {{ claim: month_on_name }}, and a day written in words is read off letters of the word ({{ value: day_letters }}). Hyphens and the end symbol spread their weight more than the digits: they need to read nothing in particular {{ claim: punctuation_spread }}.
# - **Copying versus recalling.** With years it never saw (2060–2099), the model with attention still gets {{ value: far_attn_exact }} of the dates right, far above the model without attention {{ claim: attention_copies }}, because each year digit is copied from the character it attends to. The model without attention gets the month and the day right ({{ value: far_plain_month }} and {{ value: far_plain_day }}) but only {{ value: far_plain_year }} of the years {{ claim: plain_misses_years }}: it writes years it does know, often with the same digits in another order ({{ value: permuted_examples }}; {{ value: permuted_share }} of its wrong years) and sometimes a quite different year ({{ value: different_example }}) {{ claim: permuted_often }}. It is a miniature version of the bottleneck Bahdanau et al. describe: what does not fit in the summary vector is lost.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Si un modelo acertara cada uno de los 8 dígitos de una fecha con probabilidad 0,99, de forma independiente, ¿qué exactitud tendría en el día, en el año y en la fecha completa (coincidencia exacta)? Compáralo con la tabla de prueba del modelo sin atención.
# 2. Entrena el modelo sin atención 3 épocas más (`train_translator(models["without attention"], train, val, val_iso, epochs=3, seed=1)`) y vuelve a medir la coincidencia exacta en las fechas de prueba y en las de 2060–2099. ¿Alcanza al modelo con atención?
# 3. ¿Mira el modelo con atención el día de la semana? Para las fechas de prueba que lo incluyen, calcula el peso total que cada carácter de la salida pone sobre los caracteres del día de la semana, en promedio.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. If a model got each of the 8 digits of a date right with probability 0.99, independently, what accuracy would it have on the day, on the year and on the whole date (exact match)? Compare with the test table of the model without attention.
# 2. Train the model without attention for 3 more epochs (`train_translator(models["without attention"], train, val, val_iso, epochs=3, seed=1)`) and measure the exact match again on the test dates and on those of 2060–2099. Does it catch up with the model with attention?
# 3. Does the model with attention look at the weekday? For the test dates that include one, compute the total weight each output character puts on the weekday's characters, on average.

# %% [markdown] lang="es" solution="1"
# Día (2 dígitos): $0{,}99^2$ ≈ {{ value: p_day }}; año (4 dígitos): $0{,}99^4$ ≈ {{ value: p_year }}; fecha completa: $0{,}99^8$ ≈ {{ value: p_exact }}. Aunque cada dígito falle solo el 1 % de las veces, una de cada {{ value: one_in }} fechas tendría algún dígito mal: un error pequeño por carácter se convierte en uno grande por fecha, y por eso la coincidencia exacta es la medida exigente. El modelo sin atención no se parece a ese modelo: acierta el año y el mes casi siempre, así que prácticamente todos sus fallos están en el día y su coincidencia exacta ({{ value: plain_exact }}) casi coincide con su exactitud en el día ({{ value: plain_day }}) {{ claim: not_independent }}. La exactitud por campo dice *dónde* falla un modelo; la coincidencia exacta, *cuántas* fechas estropea.

# %% [markdown] lang="en" solution="1"
# Day (2 digits): $0.99^2$ ≈ {{ value: p_day }}; year (4 digits): $0.99^4$ ≈ {{ value: p_year }}; whole date: $0.99^8$ ≈ {{ value: p_exact }}. Even though each digit fails only 1% of the time, one date in {{ value: one_in }} would have some wrong digit: a small error per character becomes a large one per date, which is why exact match is the demanding measure. The model without attention is nothing like that model: it gets the year and the month right almost always, so practically all its failures are in the day and its exact match ({{ value: plain_exact }}) nearly equals its day accuracy ({{ value: plain_day }}) {{ claim: not_independent }}. Per-field accuracy tells *where* a model fails; exact match, *how many* dates it spoils.

# %% solution="1"
p_digit = 0.99
independent = {"day": p_digit**2, "year": p_digit**4, "exact": p_digit**8}
print(
    " " * 22
    + fit(tr(es="día", en="day"), 8)
    + fit(tr(es="año", en="year"), 8)
    + fit(tr(es="exacta", en="exact"), 8)
)
print(
    fit(tr(es="dígitos independientes", en="independent digits"), 22, "<")
    + "".join(share(independent[key], 8) for key in ("day", "year", "exact"))
)
print(
    fit(tr(es="sin atención", en="without attention"), 22, "<")
    + "".join(share(plain_scores[key], 8) for key in ("day", "year", "exact"))
)
publish("p_day", independent["day"])
publish("p_year", independent["year"])
publish("p_exact", independent["exact"])
publish("one_in", 1 / (1 - independent["exact"]), ".0f")
plain_gap = plain_scores["day"] - plain_scores["exact"]
independent_gap = independent["day"] - independent["exact"]
claim(
    "not_independent",
    plain_gap < independent_gap / 2
    and min(plain_scores["year"], plain_scores["month"]) > plain_scores["day"],
    es="sin atención, el día es su peor campo y la distancia entre día y fecha "
    "completa es menos de la mitad que con dígitos independientes",
    en="without attention the day is its worst field and the gap between day "
    "and whole date is under half that of independent digits",
)

# %% [markdown] lang="es" solution="2"
# Con 3 épocas más, en las fechas de prueba, del mismo rango de años que el entrenamiento, el modelo sin atención pasa del {{ value: plain_exact }} al {{ value: more_test }} de coincidencia exacta y casi alcanza al modelo con atención {{ claim: catches_up_test }}: con más épocas el resumen fijo basta para fechas tan cortas. En los años 2060–2099 pasa del {{ value: far_plain_exact }} al {{ value: more_far }} y sigue fallando la mayoría {{ claim: still_fails_far }}: más entrenamiento no le enseña a copiar dígitos que nunca vio en esa posición. La atención no solo aprende más deprisa, sino que aprende otra solución.

# %% [markdown] lang="en" solution="2"
# With 3 more epochs, on the test dates, from the same range of years as training, the model without attention goes from {{ value: plain_exact }} to {{ value: more_test }} exact match and nearly catches up with the model with attention {{ claim: catches_up_test }}: with more epochs the fixed summary is enough for such short dates. On the years 2060–2099 it goes from {{ value: far_plain_exact }} to {{ value: more_far }} and still fails most of them {{ claim: still_fails_far }}: more training does not teach it to copy digits it never saw in that position. Attention does not only learn faster, it learns a different solution.

# %% solution="2"
plain_model = models["without attention"]
train_translator(plain_model, train, val, val_iso, epochs=3, seed=1)
more = {
    "test": exact_match(translate(plain_model, test), test_iso),
    "far": exact_match(translate(plain_model, far), far_iso),
}
before = {"test": plain_scores["exact"], "far": far_plain_scores["exact"]}
attention_scores = {
    "test": scores["with attention"]["exact"],
    "far": far_scores["with attention"]["exact"],
}
print(
    fit(tr(es="coincidencia exacta", en="exact match"), 32, "<")
    + fit(tr(es="prueba", en="test"), 9)
    + fit("2060-2099", 11)
)
rows = (
    (("sin atención, 3 épocas", "without attention, 3 epochs"), before),
    (("sin atención, 6 épocas", "without attention, 6 epochs"), more),
    (("con atención, 3 épocas", "with attention, 3 epochs"), attention_scores),
)
for (es, en), row in rows:
    label = fit(tr(es=es, en=en), 32, "<")
    print(label + share(row["test"], 9) + share(row["far"], 11))
publish("more_test", percent(more["test"], 1))
publish("more_far", percent(more["far"], 1))
claim(
    "catches_up_test",
    more["test"] >= before["test"]
    and more["test"] > attention_scores["test"] - 0.03,
    es="con 3 épocas más, el modelo sin atención no empeora en prueba y queda "
    "a menos de 3 puntos del modelo con atención",
    en="with 3 more epochs the model without attention does not get worse on "
    "test and ends within 3 points of the model with attention",
)
claim(
    "still_fails_far",
    more["far"] < 0.5,
    es="con años 2060-2099 sigue fallando más de la mitad de las fechas",
    en="with years 2060-2099 it still gets more than half the dates wrong",
)

# %% [markdown] lang="es" solution="3"
# Casi nada: el peso medio sobre el día de la semana no pasa de {{ value: weekday_max }} en ninguno de los caracteres de la fecha, y en los dígitos del año es de {{ value: weekday_year }} {{ claim: weekday_ignored }}. El modelo aprendió a ignorar una palabra que no aporta información a la salida, aunque la tenga delante en el {{ value: weekday_share }} de las fechas de prueba.

# %% [markdown] lang="en" solution="3"
# Almost none: the mean weight on the weekday stays at or below {{ value: weekday_max }} at every character of the date, and on the year digits it is {{ value: weekday_year }} {{ claim: weekday_ignored }}. The model learned to ignore a word that carries no information for the output, even though it is right there in {{ value: weekday_share }} of the test dates.

# %% solution="3"
first_word = [p.spanish.split()[0].rstrip(",") for p in test_pairs]
with_weekday = [
    p
    for p, word in zip(test_pairs, first_word, strict=True)
    if word in WEEKDAYS
]
data = encode_pairs(with_weekday).to(device)
with torch.no_grad():
    _, weights = attention_model.forward_with_attention(
        data.source,
        data.target_in,
    )  # (B, T, S)
first_words = [len(p.spanish.split()[0]) for p in with_weekday]
lengths = torch.tensor(first_words, device=device)  # (B,)
positions = torch.arange(data.source.shape[1], device=device)
on_weekday = positions[None, :] < lengths[:, None]  # (B, S)
per_position = (weights * on_weekday[:, None, :]).sum(-1).mean(0).cpu()  # (T,)
print(
    tr(
        es="peso medio sobre el día de la semana, por carácter de la salida:",
        en="mean weight on the weekday, per output character:",
    )
)
print(" ".join(number(w, ".3f") for w in per_position.tolist()))
weekday_year = per_position[:4].mean().item()
on_date = per_position[:10]  # the ten characters of the date, without </s>
publish("weekday_max", on_date.max().item(), ".3f")
publish("weekday_year", weekday_year, ".4f")
publish("weekday_share", percent(len(with_weekday) / len(test_pairs)))
claim(
    "weekday_ignored",
    on_date.max() < 0.05 and weekday_year < 0.01,
    es="el peso medio sobre el día de la semana es menor que 0,05 en cada "
    "carácter de la fecha y menor que 0,01 en los dígitos del año",
    en="the mean weight on the weekday is below 0.05 at every character of "
    "the date and below 0.01 on the year digits",
)
