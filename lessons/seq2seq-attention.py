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
# Las fechas de prueba se eligen de modo que **ninguna** aparezca en el entrenamiento, ni siquiera escrita de otra forma: el modelo no puede acertar de memoria.

# %% [markdown] lang="en"
# ## The task
#
# We translate dates written in Spanish, such as "miércoles, 3 de marzo de 2021" ("Wednesday, 3 March 2021") or "el veintiocho de abril de 1961" ("the twenty-eighth of April 1961"), into their ISO 8601 form, "2021-03-03". It is translation in miniature, but it has what makes translation hard: words must be **reordered** (the year comes last in Spanish and first in ISO), numbers written in words must be read, and what contributes nothing to the output must be **ignored** (the weekday, "el", "de"). We work with characters: the input is a sequence of letters, digits, commas and spaces, and the output one of digits and hyphens.
#
# The test dates are chosen so that **none** of them appears in training, not even spelled differently: the model cannot get them right from memory.

# %%
import torch
from dlcourse.data.dates import SOURCE_VOCAB, TARGET_VOCAB, date_pairs, encode_pairs
from dlcourse.models import count_parameters
from dlcourse.models.seq2seq import AttentionSeq2Seq, PlainSeq2Seq, align
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import pick_device, seed_all, seed_torch
from dlcourse.training.translation import exact_match, field_accuracy, train_translator, translate

seed_all(0)
train_pairs = date_pairs(8000, seed=0)
val_pairs = date_pairs(500, seed=1, exclude={p.iso for p in train_pairs})
test_pairs = date_pairs(
    1000, seed=2, exclude={p.iso for p in train_pairs} | {p.iso for p in val_pairs}
)
print(
    f"pairs: train {len(train_pairs)} · validation {len(val_pairs)} · test {len(test_pairs)}"
    f" · test dates seen in training: {len({p.iso for p in test_pairs} & {p.iso for p in train_pairs})}"
)
print(f"characters: source vocabulary {len(SOURCE_VOCAB)} · target vocabulary {len(TARGET_VOCAB)}")
for pair in train_pairs[:8]:
    print(f"  {pair.spanish:<42} -> {pair.iso}")

train, val, test = (encode_pairs(p) for p in (train_pairs, val_pairs, test_pairs))
print("source ids", tuple(train.source.shape), "· decoder input", tuple(train.target_in.shape))
print("decoder input of the first pair: ", train.target_in[0].tolist())
print("what it must predict at each step:", train.target_out[0].tolist())

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
# A seq2seq model factorises the probability of the output $\mathbf{y} = (y_1, \dots, y_T)$ given the input $\mathbf{x} = (x_1, \dots, x_S)$ with the chain rule, one character at a time:
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
# Bahdanau, Cho y Bengio (2014, [arXiv:1409.0473](https://arxiv.org/abs/1409.0473)) sustituyen el contexto fijo por uno distinto en cada paso. Antes de emitir el carácter $t$, el decodificador puntúa cada anotación con el estado que tiene en ese momento, $\mathbf{s}_{t-1}$, convierte las puntuaciones en pesos con un softmax sobre las posiciones de la fuente y promedia las anotaciones con esos pesos:
#
# $$
# e_{tj} = \mathbf{v}^\top \tanh\big(W \mathbf{s}_{t-1} + U \mathbf{h}_j\big), \qquad
# \alpha_{tj} = \frac{\exp(e_{tj})}{\sum_{k} \exp(e_{tk})}, \qquad
# \mathbf{c}_t = \sum_{j=1}^{S} \alpha_{tj}\, \mathbf{h}_j .
# $$
#
# Es la puntuación aditiva de [atención paso a paso](attention.md) (`AdditiveScore`), ahora con la consulta $\mathbf{s}_{t-1}$ y las claves y valores $\mathbf{h}_j$. Dos detalles prácticos: $U\mathbf{h}_j$ no depende de $t$, así que se calcula una sola vez por frase; y en las posiciones de relleno se pone $e_{tj} = -\infty$, de modo que su peso es exactamente 0 y el contexto no depende del relleno. La matriz $(\alpha_{tj})$ dice en qué caracteres de la fuente se fijó el decodificador para escribir cada carácter de la salida: el **alineamiento** que el modelo aprende sin que nadie se lo indique.

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
# It is the additive score of [attention by hand](attention.md) (`AdditiveScore`), now with the query $\mathbf{s}_{t-1}$ and the keys and values $\mathbf{h}_j$. Two practical details: $U\mathbf{h}_j$ does not depend on $t$, so it is computed once per sentence; and padding positions get $e_{tj} = -\infty$, so their weight is exactly 0 and the context does not depend on padding. The matrix $(\alpha_{tj})$ tells which source characters the decoder looked at to write each output character: the **alignment** the model learns without anyone pointing it out.

# %%
device = pick_device()
print("device:", device)
seed_torch(0)
models = {
    "without attention": PlainSeq2Seq(len(SOURCE_VOCAB), len(TARGET_VOCAB)).to(device),
    "with attention": AttentionSeq2Seq(len(SOURCE_VOCAB), len(TARGET_VOCAB)).to(device),
}
for name, model in models.items():
    print(f"{name:<18} parameters: {count_parameters(model):,}")

batch = test.subset(torch.arange(4)).to(device)
with torch.no_grad():
    logits, weights = models["with attention"].forward_with_attention(batch.source, batch.target_in)
padding = batch.source == 0  # (B, S)
print("logits", tuple(logits.shape), "· attention weights", tuple(weights.shape))
print(
    "untrained model: rows sum to 1:",
    torch.allclose(weights.sum(-1), torch.ones(weights.shape[:2], device=device)),
    "· largest weight on padding:",
    f"{weights.masked_select(padding[:, None, :].expand_as(weights)).max().item():.1f}",
)

# %% [markdown] lang="es"
# ## Entrenamiento
#
# Los dos modelos tienen el mismo codificador, el mismo decodificador y casi los mismos parámetros; solo cambia de dónde sale $\mathbf{c}_t$. Los entrenamos con el mismo código (`train_translator`: Adam, minilotes de 64, gradientes recortados a norma 1) durante 3 épocas, y medimos tras cada época la **coincidencia exacta** en el conjunto de validación: la fracción de fechas traducidas sin un solo carácter mal.

# %% [markdown] lang="en"
# ## Training
#
# Both models have the same encoder, the same decoder and almost the same parameters; only where $\mathbf{c}_t$ comes from changes. We train them with the same code (`train_translator`: Adam, batches of 64, gradients clipped to norm 1) for 3 epochs, and after each epoch we measure the **exact match** on the validation set: the fraction of dates translated without a single wrong character.

# %%
EPOCHS = 3
train, val, test = train.to(device), val.to(device), test.to(device)
val_iso = [p.iso for p in val_pairs]
histories = {}
for name, model in models.items():
    histories[name] = train_translator(model, train, val, val_iso, epochs=EPOCHS, seed=0)
    print(f"{name}: trained in {histories[name].seconds:.1f} s")
print("epoch   loss without · with attention   validation exact match without · with")
for epoch in range(EPOCHS):
    plain, attn = histories["without attention"], histories["with attention"]
    print(
        f"{epoch + 1:5d}   {plain.loss[epoch]:13.4f} · {attn.loss[epoch]:.4f}"
        f"   {plain.val_exact[epoch]:21.1%} · {attn.val_exact[epoch]:.1%}"
    )

fig, ax = new_figure(width=5.8, height=3.6)
epochs = range(1, EPOCHS + 1)
for k, (name, label) in enumerate(
    (
        ("without attention", "sin atención / without attention"),
        ("with attention", "con atención / with attention"),
    )
):
    ax.plot(epochs, histories[name].val_exact, "o-", color=PALETTE[3 * (1 - k)], label=label)
ax.set(
    title="Coincidencia exacta en validación / Validation exact match",
    xlabel="época / epoch",
    ylabel="coincidencia exacta / exact match",
    ylim=(0, 1.02),
    xticks=list(epochs),
)
ax.legend()
plain_curve, attn_curve = (
    histories["without attention"].val_exact,
    histories["with attention"].val_exact,
)
set_alt(
    fig,
    es=f"Coincidencia exacta en validación tras cada una de las {EPOCHS} épocas. Sin atención pasa de {plain_curve[0]:.0%} a {plain_curve[-1]:.0%}; con atención, de {attn_curve[0]:.0%} a {attn_curve[-1]:.0%}.",
    en=f"Validation exact match after each of the {EPOCHS} epochs. Without attention it goes from {plain_curve[0]:.0%} to {plain_curve[-1]:.0%}; with attention, from {attn_curve[0]:.0%} to {attn_curve[-1]:.0%}.",
)

# %% [markdown] lang="es"
# ## Exactitud en las fechas de prueba
#
# Traducimos las 1000 fechas de prueba, nunca vistas, con decodificación voraz. Además de la coincidencia exacta medimos la exactitud de cada **campo** por separado (año, mes y día), que dice qué parte de la fecha falla, y miramos de qué tipo son los días equivocados.

# %% [markdown] lang="en"
# ## Accuracy on the test dates
#
# We translate the 1000 unseen test dates with greedy decoding. Besides the exact match we measure the accuracy of each **field** separately (year, month and day), which tells which part of the date goes wrong, and we look at what kind of mistakes the wrong days are.

# %%
test_iso = [p.iso for p in test_pairs]
predictions = {name: translate(model, test) for name, model in models.items()}
scores = {}
print("model               exact match    year   month     day")
for name, predicted in predictions.items():
    fields = field_accuracy(predicted, test_iso)
    scores[name] = {"exact": exact_match(predicted, test_iso), **fields}
    print(
        f"{name:<18} {scores[name]['exact']:12.1%} {fields['year']:7.1%} {fields['month']:7.1%} {fields['day']:7.1%}"
    )

plain_wrong_days = [
    (p[8:10], t[8:10])
    for p, t in zip(predictions["without attention"], test_iso, strict=True)
    if p[8:10] != t[8:10]
]
swapped = sum(sorted(p) == sorted(t) for p, t in plain_wrong_days)
print(
    f"wrong days without attention: {len(plain_wrong_days)}, of which {swapped} have the right"
    " two digits in the wrong order"
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
    marks = [
        f"{predictions[name][i] or '(empty)':<10} {'✓' if predictions[name][i] == test_iso[i] else '✗'}"
        for name in models
    ]
    print(f"{test_pairs[i].spanish:<44} {test_iso[i]}   {marks[0]}   {marks[1]}")


print(f"{'source':<44} {'reference':<10}   {'without':<12}   with attention")
for i in range(6):
    show(i)
wrong = [i for i in range(len(test_pairs)) if any(predictions[n][i] != test_iso[i] for n in models)]
print(f"\n{len(wrong)} test dates with at least one wrong translation; the first 10:")
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
examples = [next(p.spanish for p in test_pairs if pick(p.spanish)) for pick in picks]
alignments = [align(attention_model, text) for text in examples]
FIELDS = {"year": slice(0, 4), "month": slice(5, 7), "day": slice(8, 10)}  # output rows


def focus(alignment, rows: slice) -> str:
    """The source character with the largest weight for each of the given output rows."""
    return "".join(alignment.source[int(j)] for j in alignment.weights[rows].argmax(dim=1))


for alignment in alignments:
    looked = " · ".join(f"{field} {focus(alignment, rows)!r}" for field, rows in FIELDS.items())
    print(f"{''.join(alignment.source)!r:<36} most attended characters: {looked}")

fig, axes = new_figure(nrows=len(examples), width=9.0, height=3.4)
for ax, alignment in zip(axes, alignments, strict=True):
    ax.imshow(alignment.weights, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.grid(False)
    ax.set(
        xticks=range(len(alignment.source)),
        xticklabels=["·" if ch == " " else ch for ch in alignment.source],
        yticks=range(len(alignment.output)),
        yticklabels=alignment.output,
        ylabel="salida / output",
        title=f"«{''.join(alignment.source)}» → {''.join(alignment.output[:-1])}",
    )
    ax.tick_params(axis="both", labelsize=8, length=0)
axes[-1].set_xlabel("carácter de la fuente / source character")
fig.suptitle("Alineamiento aprendido / Learned alignment", fontweight="bold")
first = alignments[0]
set_alt(
    fig,
    es=f"Tres mapas de calor de pesos de atención, uno por fecha («{examples[0]}», «{examples[1]}» y «{examples[2]}»): filas = caracteres de la salida ISO, columnas = caracteres de la fuente. "
    + "Los dígitos del año, que van primero en la salida, forman una diagonal en el extremo derecho de la fuente, donde está el año; los del mes se concentran sobre el nombre del mes y los del día sobre el día, cerca del principio. "
    + f"En la primera fecha, el año mira a «{focus(first, FIELDS['year'])}», el mes a las letras «{focus(first, FIELDS['month'])}» y el día a «{focus(first, FIELDS['day']).strip()}».",
    en=f"Three heat maps of attention weights, one per date (“{examples[0]}”, “{examples[1]}” and “{examples[2]}”): rows = characters of the ISO output, columns = source characters. "
    + "The year digits, which come first in the output, form a diagonal at the right end of the source, where the year is; the month digits concentrate on the month name and the day digits on the day, near the start. "
    + f"In the first date the year looks at “{focus(first, FIELDS['year'])}”, the month at the letters “{focus(first, FIELDS['month'])}” and the day at “{focus(first, FIELDS['day']).strip()}”.",
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
far_predictions = {name: translate(model, far) for name, model in models.items()}
print("years 2060-2099      exact match    year   month     day")
for name, predicted in far_predictions.items():
    fields = field_accuracy(predicted, far_iso)
    print(
        f"{name:<18} {exact_match(predicted, far_iso):12.1%} {fields['year']:7.1%} {fields['month']:7.1%} {fields['day']:7.1%}"
    )
print(f"\n{'source':<44} {'reference':<10}   {'without':<10}   with attention")
for pair, plain, attn in list(zip(far_pairs, *far_predictions.values(), strict=True))[:6]:
    print(f"{pair.spanish:<44} {pair.iso}   {plain:<10}   {attn}")

# %% [markdown] lang="es"
# ## Qué observar
#
# - **La atención acelera el aprendizaje.** Tras la primera época, el modelo con atención ya traduce bien cerca de cuatro de cada cinco fechas de validación y el modelo sin atención, apenas una de cada ocho; tras la segunda, el primero no falla ninguna. Con el mismo codificador, el mismo decodificador y solo un 10 % más de parámetros, la diferencia está en de dónde sale el contexto.
# - **Sin atención, los errores están en el día.** En las fechas de prueba el modelo sin atención acierta todos los años y casi todos los meses; casi todos sus fallos están en el día, que está al principio de la frase española y al final de la salida ISO. En más de la mitad de esos días equivocados los dos dígitos son los correctos pero en el orden contrario (30 → 03, 13 → 31, 2 → 20): el resumen de tamaño fijo conserva qué dígitos había, pero no siempre en qué orden.
# - **Los mapas de atención son un alineamiento.** Los cuatro dígitos del año, los primeros de la salida, miran a los cuatro últimos caracteres de la fuente, uno a uno y en orden, formando una diagonal; el día mira a las primeras posiciones. Es el reordenamiento de la tarea, aprendido sin ninguna indicación de qué carácter corresponde a cuál. Para el mes, que no se copia sino que se deduce, la atención se fija en letras que distinguen el nombre del mes (la «y» de «mayo», la «i» y la «v» de «noviembre»), y el día escrito con letras se lee en una letra de la palabra, como la «r» de «tres». Los guiones y el símbolo de fin reparten el peso: no necesitan leer nada concreto.
# - **Copiar frente a recordar.** Con años que nunca vio (2060–2099), el modelo con atención sigue acertando todas las fechas, porque cada dígito del año se copia del carácter al que atiende. El modelo sin atención acierta el mes y el día, pero solo una cuarta parte de los años: escribe años que sí conoce, a menudo con los mismos dígitos en otro orden («2070» → «2007», «2086» → «2068») y a veces otro año muy distinto («2097» → «1979»). Es una versión en miniatura del cuello de botella que describen Bahdanau et al.: lo que no cabe en el vector de resumen se pierde.

# %% [markdown] lang="en"
# ## What to notice
#
# - **Attention speeds up learning.** After the first epoch the model with attention already translates about four in five validation dates correctly and the model without attention barely one in eight; after the second, the former gets every one right. With the same encoder, the same decoder and only 10 % more parameters, the difference lies in where the context comes from.
# - **Without attention, the mistakes are in the day.** On the test dates the model without attention gets every year and almost every month right; nearly all its failures are in the day, which sits at the start of the Spanish sentence and at the end of the ISO output. In more than half of those wrong days the two digits are the right ones in the opposite order (30 → 03, 13 → 31, 2 → 20): the fixed-size summary keeps which digits were there, but not always in which order.
# - **The attention maps are an alignment.** The four year digits, the first of the output, look at the last four source characters, one by one and in order, forming a diagonal; the day looks at the first positions. This is the reordering of the task, learned without any hint of which character matches which. For the month, which is not copied but inferred, attention rests on letters that tell the month names apart (the "y" of "mayo", the "i" and "v" of "noviembre"), and a day written in words is read off one letter of the word, such as the "r" of "tres". Hyphens and the end symbol spread their weight: they need to read nothing in particular.
# - **Copying versus recalling.** With years it never saw (2060–2099), the model with attention still gets every date right, because each year digit is copied from the character it attends to. The model without attention gets the month and the day right but only a quarter of the years: it writes years it does know, often with the same digits in another order ("2070" → "2007", "2086" → "2068") and sometimes a quite different year ("2097" → "1979"). It is a miniature version of the bottleneck Bahdanau et al. describe: what does not fit in the summary vector is lost.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Si un modelo acertara cada uno de los 8 dígitos de una fecha con probabilidad 0,99, de forma independiente, ¿qué exactitud tendría en el día, en el año y en la fecha completa (coincidencia exacta)? Compáralo con la tabla de prueba del modelo sin atención.
# 2. Entrena el modelo sin atención 3 épocas más (`train_translator(models["without attention"], train, val, val_iso, epochs=3, seed=1)`) y vuelve a medir la coincidencia exacta en las fechas de prueba y en las de 2060–2099. ¿Alcanza al modelo con atención?
# 3. ¿Mira el modelo con atención el día de la semana? Para las fechas de prueba que lo incluyen, calcula el peso total que cada carácter de la salida pone sobre los caracteres del día de la semana, en promedio.
#
# ??? success "Solución 1"
#     Día (2 dígitos): $0{,}99^2 \approx 0{,}980$; año (4 dígitos): $0{,}99^4 \approx 0{,}961$; fecha completa: $0{,}99^8 \approx 0{,}923$. Aunque cada dígito falle solo el 1 % de las veces, una de cada trece fechas tendría algún dígito mal: un error pequeño por carácter se convierte en uno grande por fecha, y por eso la coincidencia exacta es la medida exigente. El modelo sin atención no se parece a ese modelo: acierta el año y el mes (casi) siempre, así que prácticamente todos sus fallos están en el día y su coincidencia exacta casi coincide con su exactitud en el día. La exactitud por campo dice *dónde* falla un modelo; la coincidencia exacta, *cuántas* fechas estropea.
#
# ??? success "Solución 2"
#     ```python
#     plain = models["without attention"]
#     train_translator(plain, train, val, val_iso, epochs=3, seed=1)
#     print(exact_match(translate(plain, test), test_iso), exact_match(translate(plain, far), far_iso))
#     ```
#     En las fechas de prueba, del mismo rango de años que el entrenamiento, casi lo alcanza: con más épocas el resumen fijo basta para fechas tan cortas. En los años 2060–2099 sigue fallando la mayoría: más entrenamiento no le enseña a copiar dígitos que nunca vio en esa posición. La atención no solo aprende más deprisa, sino que aprende otra solución.
#
# ??? success "Solución 3"
#     ```python
#     from dlcourse.data.dates import WEEKDAYS
#
#     with_weekday = [p for p in test_pairs if p.spanish.split()[0].rstrip(",") in WEEKDAYS]
#     data = encode_pairs(with_weekday).to(device)
#     with torch.no_grad():
#         _, weights = attention_model.forward_with_attention(data.source, data.target_in)  # (B, T, S)
#     lengths = torch.tensor([len(p.spanish.split()[0]) for p in with_weekday], device=device)
#     on_weekday = torch.arange(data.source.shape[1], device=device)[None, :] < lengths[:, None]
#     print((weights * on_weekday[:, None, :]).sum(-1).mean(0))  # one number per output character
#     ```
#     Casi nada: por debajo de 0,03 en todas las posiciones de la salida y prácticamente 0 en los dígitos del año. El modelo aprendió a ignorar una palabra que no aporta información a la salida, aunque la tenga delante en una tercera parte de las fechas.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. If a model got each of the 8 digits of a date right with probability 0.99, independently, what accuracy would it have on the day, on the year and on the whole date (exact match)? Compare with the test table of the model without attention.
# 2. Train the model without attention for 3 more epochs (`train_translator(models["without attention"], train, val, val_iso, epochs=3, seed=1)`) and measure the exact match again on the test dates and on those of 2060–2099. Does it catch up with the model with attention?
# 3. Does the model with attention look at the weekday? For the test dates that include one, compute the total weight each output character puts on the weekday's characters, on average.
#
# ??? success "Solution 1"
#     Day (2 digits): $0.99^2 \approx 0.980$; year (4 digits): $0.99^4 \approx 0.961$; whole date: $0.99^8 \approx 0.923$. Even though each digit fails only 1 % of the time, one date in thirteen would have some wrong digit: a small error per character becomes a large one per date, which is why exact match is the demanding measure. The model without attention is nothing like that model: it gets the year and the month right (almost) always, so practically all its failures are in the day and its exact match nearly equals its day accuracy. Per-field accuracy tells *where* a model fails; exact match, *how many* dates it spoils.
#
# ??? success "Solution 2"
#     ```python
#     plain = models["without attention"]
#     train_translator(plain, train, val, val_iso, epochs=3, seed=1)
#     print(exact_match(translate(plain, test), test_iso), exact_match(translate(plain, far), far_iso))
#     ```
#     On the test dates, from the same range of years as training, it nearly catches up: with more epochs the fixed summary is enough for such short dates. On the years 2060–2099 it still fails most of them: more training does not teach it to copy digits it never saw in that position. Attention does not only learn faster, it learns a different solution.
#
# ??? success "Solution 3"
#     ```python
#     from dlcourse.data.dates import WEEKDAYS
#
#     with_weekday = [p for p in test_pairs if p.spanish.split()[0].rstrip(",") in WEEKDAYS]
#     data = encode_pairs(with_weekday).to(device)
#     with torch.no_grad():
#         _, weights = attention_model.forward_with_attention(data.source, data.target_in)  # (B, T, S)
#     lengths = torch.tensor([len(p.spanish.split()[0]) for p in with_weekday], device=device)
#     on_weekday = torch.arange(data.source.shape[1], device=device)[None, :] < lengths[:, None]
#     print((weights * on_weekday[:, None, :]).sum(-1).mean(0))  # one number per output character
#     ```
#     Almost none: below 0.03 at every output position and practically 0 on the year digits. The model learned to ignore a word that carries no information for the output, even though it is right there in a third of the dates.
