# ---
# jupyter:
#   lesson:
#     title:
#       es: Clasificación de secuencias con LSTM y GRU
#       en: Sequence classification with LSTM and GRU
#     summary:
#       es: Un clasificador de sentimiento de reseñas en español con LSTM y GRU, comparado con una RNN básica y una bolsa de palabras; relleno y longitudes, exactitud, matriz de confusión y lo que revelan los errores.
#       en: A sentiment classifier for Spanish reviews with an LSTM and a GRU, compared with a plain RNN and a bag of words; padding and lengths, accuracy, confusion matrix and what the mistakes reveal.
#     order: 24
#     budget_cpu_s: 90
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Convertir textos de longitud variable en lotes rectangulares con **relleno** y **longitudes**, y comprobar que el relleno no cambia la predicción cuando la red recibe las longitudes.
#     - Entrenar un clasificador de sentimiento con LSTM y con GRU, y compararlo con una RNN básica y con una bolsa de palabras en exactitud, parámetros y tiempo.
#     - Distinguir una validación con la misma redacción que el entrenamiento de una prueba con **redacción nueva**.
#     - Leer la matriz de confusión y los ejemplos mal clasificados para descubrir qué no ha aprendido la red: aquí, la negación.
#
# Nota de concepto: [redes neuronales recurrentes](../concepts/recurrent-networks.md). Artículo asociado: nota sobre la [LSTM](../papers/lstm.md). La recurrencia se escribió a mano en [Una RNN paso a paso](rnn-by-hand.md) y la memoria de la LSTM se midió en [Gradientes que se desvanecen](vanishing-gradients.md); el vocabulario de palabras viene de [Tokenización](tokenization.md). Referencia de la API: [`dlcourse.lessons.sentiment_lstm`](../api/lessons/sentiment_lstm.md) y [`dlcourse.models.rnn`](../api/models/rnn.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Turn texts of varying length into rectangular batches with **padding** and **lengths**, and check that padding does not change the prediction when the network is given the lengths.
#     - Train a sentiment classifier with an LSTM and with a GRU, and compare it with a plain RNN and with a bag of words in accuracy, parameters and time.
#     - Tell a validation set with the same wording as training from a test set with **new wording**.
#     - Read the confusion matrix and the misclassified examples to find out what the network has not learned: here, negation.
#
# Concept note: [recurrent neural networks](../concepts/recurrent-networks.md). Related paper: note on the [LSTM](../papers/lstm.md). The recurrence was written by hand in [An RNN by hand](rnn-by-hand.md) and the LSTM's memory was measured in [Vanishing gradients](vanishing-gradients.md); the word vocabulary comes from [Tokenization](tokenization.md). API reference: [`dlcourse.lessons.sentiment_lstm`](../api/lessons/sentiment_lstm.md) and [`dlcourse.models.rnn`](../api/models/rnn.md).

# %% [markdown] lang="es"
# ## La idea
#
# Para clasificar una reseña, la red la lee palabra a palabra. Cada token $x_t$ se convierte en su incrustación $\mathbf{e}_t = E[x_t]$, una celda recurrente actualiza el estado oculto $\mathbf{h}_t = \operatorname{celda}(\mathbf{e}_t, \mathbf{h}_{t-1})$ y, tras el **último token real** $T$, una capa lineal da un logit por clase: $\hat{\mathbf{p}} = \operatorname{softmax}(W\mathbf{h}_T + \mathbf{b})$. Se entrena con entropía cruzada, como cualquier clasificador.
#
# La celda decide qué puede recordar la red. La LSTM (Hochreiter y Schmidhuber, 1997, [doi:10.1162/neco.1997.9.8.1735](https://doi.org/10.1162/neco.1997.9.8.1735)), en su forma moderna con compuerta de olvido, guarda una celda $\mathbf{c}_t$ que se actualiza sumando:
#
# $$
# \mathbf{c}_t = \mathbf{f}_t \odot \mathbf{c}_{t-1} + \mathbf{i}_t \odot \tanh(W_c \mathbf{e}_t + U_c \mathbf{h}_{t-1} + \mathbf{b}_c),
# \qquad \mathbf{h}_t = \mathbf{o}_t \odot \tanh(\mathbf{c}_t),
# $$
#
# donde las compuertas $\mathbf{f}_t, \mathbf{i}_t, \mathbf{o}_t$ son sigmoides de $W\mathbf{e}_t + U\mathbf{h}_{t-1} + \mathbf{b}$, cada una con sus pesos. La GRU (Cho et al., 2014, [arXiv:1406.1078](https://arxiv.org/abs/1406.1078), que la propusieron dentro de su codificador-decodificador para traducción) prescinde de la celda y mezcla el estado viejo con un candidato mediante una compuerta de actualización $\mathbf{z}_t$ y otra de reinicio $\mathbf{r}_t$:
#
# $$
# \tilde{\mathbf{h}}_t = \tanh\!\big(W_h \mathbf{e}_t + U_h(\mathbf{r}_t \odot \mathbf{h}_{t-1}) + \mathbf{b}_h\big),
# \qquad \mathbf{h}_t = \mathbf{z}_t \odot \mathbf{h}_{t-1} + (1 - \mathbf{z}_t) \odot \tilde{\mathbf{h}}_t .
# $$
#
# (PyTorch aplica $\mathbf{r}_t$ después del producto, $\mathbf{r}_t \odot (U_h\mathbf{h}_{t-1} + \mathbf{b})$, una variante menor.) La LSTM tiene cuatro bloques de pesos (tres compuertas y el candidato), la GRU tres y la RNN básica uno, así que con el mismo tamaño la GRU cuesta tres cuartas partes de la LSTM. Como referencia sin orden usamos una **bolsa de palabras**: la media de las incrustaciones de la reseña seguida de una capa lineal. Si una red recurrente no supera a la bolsa de palabras, leer en orden no le está sirviendo de nada.

# %% [markdown] lang="en"
# ## The idea
#
# To classify a review, the network reads it word by word. Each token $x_t$ becomes its embedding $\mathbf{e}_t = E[x_t]$, a recurrent cell updates the hidden state $\mathbf{h}_t = \operatorname{cell}(\mathbf{e}_t, \mathbf{h}_{t-1})$ and, after the **last real token** $T$, a linear layer gives one logit per class: $\hat{\mathbf{p}} = \operatorname{softmax}(W\mathbf{h}_T + \mathbf{b})$. It is trained with cross-entropy, like any classifier.
#
# The cell decides what the network can remember. The LSTM (Hochreiter and Schmidhuber, 1997, [doi:10.1162/neco.1997.9.8.1735](https://doi.org/10.1162/neco.1997.9.8.1735)), in its modern form with a forget gate, keeps a cell $\mathbf{c}_t$ that is updated by addition:
#
# $$
# \mathbf{c}_t = \mathbf{f}_t \odot \mathbf{c}_{t-1} + \mathbf{i}_t \odot \tanh(W_c \mathbf{e}_t + U_c \mathbf{h}_{t-1} + \mathbf{b}_c),
# \qquad \mathbf{h}_t = \mathbf{o}_t \odot \tanh(\mathbf{c}_t),
# $$
#
# where the gates $\mathbf{f}_t, \mathbf{i}_t, \mathbf{o}_t$ are sigmoids of $W\mathbf{e}_t + U\mathbf{h}_{t-1} + \mathbf{b}$, each with its own weights. The GRU (Cho et al., 2014, [arXiv:1406.1078](https://arxiv.org/abs/1406.1078), who proposed it inside their encoder-decoder for translation) does without the cell and blends the old state with a candidate through an update gate $\mathbf{z}_t$ and a reset gate $\mathbf{r}_t$:
#
# $$
# \tilde{\mathbf{h}}_t = \tanh\!\big(W_h \mathbf{e}_t + U_h(\mathbf{r}_t \odot \mathbf{h}_{t-1}) + \mathbf{b}_h\big),
# \qquad \mathbf{h}_t = \mathbf{z}_t \odot \mathbf{h}_{t-1} + (1 - \mathbf{z}_t) \odot \tilde{\mathbf{h}}_t .
# $$
#
# (PyTorch applies $\mathbf{r}_t$ after the product, $\mathbf{r}_t \odot (U_h\mathbf{h}_{t-1} + \mathbf{b})$, a minor variant.) The LSTM has four blocks of weights (three gates and the candidate), the GRU three and the plain RNN one, so at the same size the GRU costs three quarters of the LSTM. As an order-blind reference we use a **bag of words**: the mean of the review's embeddings followed by a linear layer. If a recurrent network does not beat the bag of words, reading in order is not helping it at all.

# %% [markdown] lang="es"
# ## Las reseñas
#
# El corpus lo genera el propio curso ([`dlcourse.data.corpus.reviews`](../api/data/corpus.md)): reseñas en español, equilibradas entre negativas y positivas, de cinco dominios (restaurante, hotel, película, teléfono y libro). Cada una tiene dos o tres cláusulas de su polaridad, a veces (un 40 %) una cláusula de la polaridad contraria tras «aunque» o «pero», y a menudo un veredicto final. Hacemos tres particiones:
#
# - **entrenamiento**: 1000 reseñas por clase;
# - **validación**: 250 por clase, reseñas nuevas pero con las **mismas** plantillas, veredictos y adjetivos;
# - **prueba**: 500 por clase generadas con `held_out=True`, que usa **otras** plantillas de cláusula, otros veredictos y, en aproximadamente la mitad de las cláusulas con adjetivo, adjetivos que nunca aparecen en entrenamiento. Las frases de apertura («Nos alojamos tres noches en este hotel.») son comunes a las tres.
#
# La validación mide si la red ha aprendido las frases que ha visto; la prueba, si ha aprendido algo que se traslade a frases nuevas. El vocabulario se construye **solo** con el texto de entrenamiento: cualquier palabra nueva se convierte en `<unk>`.

# %% [markdown] lang="en"
# ## The reviews
#
# The corpus is generated by the course itself ([`dlcourse.data.corpus.reviews`](../api/data/corpus.md)): Spanish reviews, balanced between negative and positive, from five domains (restaurant, hotel, film, phone and book). Each has two or three clauses of its polarity, sometimes (40%) a clause of the opposite polarity after "aunque" or "pero" ("although", "but"), and often a final verdict. We make three splits:
#
# - **training**: 1,000 reviews per class;
# - **validation**: 250 per class, new reviews but with the **same** templates, verdicts and adjectives;
# - **test**: 500 per class generated with `held_out=True`, which uses **other** clause templates, other verdicts and, in about half of the clauses with an adjective, adjectives that never appear in training. The opening sentences ("Nos alojamos tres noches en este hotel.", "We stayed three nights at this hotel.") are shared by all three.
#
# Validation measures whether the network has learned the sentences it has seen; the test, whether it has learned something that carries over to new sentences. The vocabulary is built from the training text **only**: any new word becomes `<unk>`.

# %%
import statistics
import textwrap

import torch
from dlcourse.bilingual import (
    align,
    claim,
    number,
    percent,
    publish,
    quote,
    resolve,
    tr,
)
from dlcourse.lessons.sentiment_lstm import (
    MODEL_KINDS,
    accuracy,
    confusion_matrix,
    contains_any,
    decode_ids,
    encode_texts,
    make_classifier,
    misclassified,
    review_splits,
    train_run,
)
from dlcourse.plotting import (
    PALETTE,
    new_figure,
    plot_confusion_matrix,
    set_alt,
)
from dlcourse.runtime import pick_device, seed_all, seed_torch
from dlcourse.text.tokenizers import word_tokenize

seed_all(0)
splits = review_splits(n_train=1000, n_val=250, n_test=500, seed=0)
# names: the corpus's own labels
vocab, names = splits.vocab, splits.class_names
CLASS = (tr(es="negativa", en="negative"), tr(es="positiva", en="positive"))
# class names, plural
PLURAL = (("negativas", "negative"), ("positivas", "positive"))
INDENT = dict(initial_indent="  ", subsequent_indent="  ")  # for textwrap.fill


def wrapped(review: str) -> str:
    """A review in the page's quotes (data, not a label), in lines of 96."""
    return tr(
        **{
            lang: textwrap.fill(resolve(quote(review), lang), 96, **INDENT)
            for lang in ("es", "en")
        }
    )


parts = {"train": splits.train, "val": splits.val, "test": splits.test}
PART = {
    "train": tr(es="entrenamiento", en="train"),
    "val": tr(es="validación", en="validation"),
    "test": tr(es="prueba", en="test"),
}
for part, data in parts.items():
    positive = percent(data.labels.float().mean().item())
    reviews = tr(
        es=f"reseñas, {positive} positivas",
        en=f"reviews, {positive} positive",
    )
    print(f"{align(PART[part], 13, '<')} {len(data):5d} {reviews}")
for part in ("train", "test"):
    for i in range(2):
        data = parts[part]
        print(f"\n[{PART[part]}] {CLASS[int(data.labels[i])]}")
        print(wrapped(data.texts[i]))

# %%
print(
    tr(
        es="vocabulario (solo texto de entrenamiento, con <pad> y <unk>):",
        en="vocabulary (training text only, with <pad> and <unk>):",
    ),
    len(vocab),
    "tokens",
)
print(
    tr(es="más frecuentes:", en="most frequent:"),
    " ".join(quote(w) for w in vocab.itos[2:22]),
)
print("\n" + " " * 16 + tr(es="tokens por reseña", en="tokens per review"))
print(
    align(tr(es="partición", en="split"), 13, "<")
    + align(tr(es="mín.", en="min"), 6)
    + align(tr(es="mediana", en="median"), 9)
    + align(tr(es="máx.", en="max"), 6)
    + align("<unk>", 9)
)
unknown_share = {}
for part, data in parts.items():
    n = data.lengths.tolist()
    unknown_share[part] = (data.ids == vocab.unk_id).sum().item() / sum(n)
    print(
        f"{align(PART[part], 13, '<')}{min(n):6d}"
        f"{statistics.median(n):9.0f}{max(n):6d}"
        + align(percent(unknown_share[part], 1), 9)
    )
publish("vocab_size", len(vocab))
publish("test_unknown", percent(unknown_share["test"], 1))
claim(
    "unknown_only_in_test",
    unknown_share["train"] == unknown_share["val"] == 0 < unknown_share["test"],
    es="solo la prueba tiene tokens <unk>; entrenamiento y validación, ninguno",
    en="only the test split has <unk> tokens; "
    "training and validation have none",
)

# %% [markdown] lang="es"
# ## Relleno y longitudes
#
# Un lote de tensores tiene que ser rectangular, pero cada reseña tiene su longitud. La solución habitual es **rellenar** por la derecha con el token `<pad>` (identificador 0) hasta la longitud de la más larga del lote y guardar aparte la longitud real de cada una ([`encode_texts`](../api/lessons/sentiment_lstm.md)). La incrustación de `<pad>` es un vector de ceros fijo (`padding_idx`), pero eso no basta: una RNN que siguiera leyendo después del final seguiría cambiando su estado por los sesgos y los pesos recurrentes. Con las longitudes, PyTorch **empaqueta** el lote (`pack_padded_sequence`) y la capa recurrente se detiene en el último token real de cada fila.
#
# Lo comprobamos con una LSTM sin entrenar: clasificamos tres frases cortas una a una, sin relleno, y después en un lote, con y sin longitudes, y con 10 columnas más de relleno.

# %% [markdown] lang="en"
# ## Padding and lengths
#
# A batch of tensors has to be rectangular, but each review has its own length. The usual solution is to **pad** on the right with the `<pad>` token (id 0) up to the length of the batch's longest one and keep each one's real length aside ([`encode_texts`](../api/lessons/sentiment_lstm.md)). The embedding of `<pad>` is a fixed vector of zeros (`padding_idx`), but that is not enough: an RNN that kept reading after the end would keep changing its state through its biases and recurrent weights. With the lengths, PyTorch **packs** the batch (`pack_padded_sequence`) and the recurrent layer stops at the last real token of each row.
#
# We check it with an untrained LSTM: we classify three short sentences one by one, without padding, and then in a batch, with and without lengths, and with 10 more padding columns.

# %%
texts = [
    "La comida estaba genial.",
    "No me gustó el servicio.",
    "El final fue nefasto.",
]
ids, lengths = encode_texts(texts, vocab)
print(
    f"ids (B, T): {tuple(ids.shape)} · {tr(es='longitudes', en='lengths')}:",
    lengths.tolist(),
)
print(ids)
for tokens in decode_ids(ids, lengths, vocab):
    print("  ", tokens)

seed_torch(0)
untrained = make_classifier("lstm", len(vocab), 2, padding_idx=vocab.pad_id)
untrained.eval()
# 10 more pads
wide = torch.cat([ids, torch.full((3, 10), vocab.pad_id)], dim=1)
batch = tr(es="lote", en="batch")
padded = tr(es="lote + 10 de relleno", en="batch + 10 pads")
known = tr(es="con longitudes", en="with lengths")
unknown = tr(es="sin longitudes", en="without lengths")
cases = {  # name: (label, ids, lengths or None)
    "lengths": (f"{batch}, {known}", ids, lengths),
    "wide_lengths": (f"{padded}, {known}", wide, lengths),
    "none": (f"{batch}, {unknown}", ids, None),
    "wide_none": (f"{padded}, {unknown}", wide, None),
}
gaps = {}
with torch.no_grad():
    # each sentence alone, without padding: (3, 2)
    alone = torch.cat(
        [untrained(ids[i : i + 1, : lengths[i]]) for i in range(3)]
    )
    print(
        "\n"
        + tr(
            es="mayor diferencia con los logits "
            "de cada frase clasificada sola:",
            en="largest difference in the logits "
            "from each sentence classified alone:",
        )
    )
    for key, (label, x, given) in cases.items():
        gaps[key] = (untrained(x, given) - alone).abs().max().item()
        print(f"  {align(label, 38, '<')} {number(gaps[key], '.1e')}")
publish("gap_with_lengths", max(gaps["lengths"], gaps["wide_lengths"]), ".1e")
publish("gap_one_pad", gaps["none"], ".1e")
publish("gap_more_pads", gaps["wide_none"], ".1e")
claim(
    "lengths_ignore_padding",
    max(gaps["lengths"], gaps["wide_lengths"]) < 1e-5,
    es="con las longitudes, los logits del lote difieren de los "
    "de cada frase sola en menos de 1e-5, con o sin relleno extra",
    en="with the lengths, the batch's logits differ from each "
    "sentence's alone by less than 1e-5, with or without extra padding",
)
claim(
    "padding_read_as_text",
    1e-3 < gaps["none"] < gaps["wide_none"],
    es="sin las longitudes, la diferencia "
    "supera 1e-3 y crece al añadir relleno",
    en="without the lengths, the difference "
    "exceeds 1e-3 and grows with more padding",
)

# %% [markdown] lang="es"
# ## Entrenar cuatro modelos
#
# Entrenamos la bolsa de palabras, la RNN básica, la LSTM y la GRU con la misma receta ([`train_run`](../api/lessons/sentiment_lstm.md)): incrustaciones de 32 dimensiones, estado oculto de 64, Adam con tasa 0,003, minilotes de 64 reseñas, 6 épocas y recorte de la norma del gradiente a 1. La LSTM empieza con el sesgo de la compuerta de olvido en $+1$, una inicialización habitual ([Jozefowicz, Zaremba y Sutskever, 2015](https://proceedings.mlr.press/v37/jozefowicz15.html)) que de entrada la inclina a conservar su memoria. Cada minilote se rellena solo hasta su propia reseña más larga.
#
# Un detalle más: como el vocabulario contiene todas las palabras de entrenamiento, la incrustación de `<unk>` nunca se usaría al entrenar y llegaría a la prueba con sus valores aleatorios iniciales. Por eso, durante el entrenamiento, cada token se sustituye por `<unk>` con probabilidad 0,1 (*word dropout*): la red aprende qué hacer con una palabra que no conoce.
#
# La exactitud con redacción nueva cambia bastante de una ejecución a otra, así que repetimos cada modelo con **tres semillas** (inicialización, orden de los datos y sustituciones) y damos la media y el intervalo.

# %% [markdown] lang="en"
# ## Training four models
#
# We train the bag of words, the plain RNN, the LSTM and the GRU with the same recipe ([`train_run`](../api/lessons/sentiment_lstm.md)): 32-dimensional embeddings, a hidden state of 64, Adam with rate 0.003, mini-batches of 64 reviews, 6 epochs and gradient-norm clipping at 1. The LSTM starts with its forget-gate bias at $+1$, a common initialization ([Jozefowicz, Zaremba and Sutskever, 2015](https://proceedings.mlr.press/v37/jozefowicz15.html)) that from the start inclines it to keep its memory. Each mini-batch is padded only up to its own longest review.
#
# One more detail: since the vocabulary contains every training word, the `<unk>` embedding would never be used in training and would reach the test with its random initial values. So, during training, each token is replaced by `<unk>` with probability 0.1 (word dropout): the network learns what to do with a word it does not know.
#
# Accuracy on the new wording changes a good deal from one run to another, so we repeat each model with **three seeds** (initialization, data order and replacements) and report the mean and the range.

# %%
device = pick_device()
print(f"{tr(es='dispositivo', en='device')}:", device)
SEEDS = (0, 1, 2)
TRAIN = dict(epochs=6, batch_size=64, lr=3e-3, unk_dropout=0.1)
runs = {
    (kind, seed): train_run(kind, splits, seed=seed, device=device, **TRAIN)
    for seed in SEEDS
    for kind in MODEL_KINDS
}
LABELS = {
    "bow": tr(es="bolsa de palabras", en="bag of words"),
    "rnn": "RNN",
    "lstm": "LSTM",
    "gru": "GRU",
}
by_kind = {k: [runs[k, s] for s in SEEDS] for k in MODEL_KINDS}
val = {k: [r.val_accuracy for r in group] for k, group in by_kind.items()}
test = {k: [r.test_accuracy for r in group] for k, group in by_kind.items()}
seconds = {
    k: statistics.mean(r.history.seconds for r in g) for k, g in by_kind.items()
}
# columns: model 18, parameters 12, time 11, accuracies 6 + 19 and 4 + 19
mean_range = tr(es="media (mín.–máx.)", en="mean  (min–max)")
print(
    "\n"
    + " " * 30
    + align(tr(es="tiempo por", en="time per"), 11)
    + align(tr(es="exactitud de validación", en="validation accuracy"), 25)
    + align(tr(es="exactitud de prueba", en="test accuracy"), 23)
)
print(
    align(tr(es="modelo", en="model"), 18, "<")
    + align(tr(es="parámetros", en="parameters"), 12)
    + align(tr(es="ejecución", en="run"), 11)
    + " " * 6
    + align(mean_range, 19, "<")
    + " " * 4
    + mean_range
)


def mean_and_range(scores: list[float]) -> str:
    low, high = number(min(scores)), number(max(scores))
    return f"{number(statistics.mean(scores))} ({low}–{high})"


for kind in MODEL_KINDS:
    print(
        f"{align(LABELS[kind], 18, '<')}"
        f"{number(runs[kind, 0].parameters, '12,d')}"
        f"{number(seconds[kind], '9.1f')} s{' ' * 6}"
        f"{mean_and_range(val[kind])}{' ' * 4}{mean_and_range(test[kind])}"
    )

val_mean = {k: statistics.mean(v) for k, v in val.items()}
test_mean = {k: statistics.mean(v) for k, v in test.items()}
final_loss = {}  # mean over the seeds of the last epoch's training loss
for kind, group in by_kind.items():
    final_loss[kind] = statistics.mean(
        run.history.train_loss[-1] for run in group
    )
gated, references = ("lstm", "gru"), ("bow", "rnn")
for kind in MODEL_KINDS:
    publish(f"val_{kind}", percent(val_mean[kind], 1))
    publish(f"test_{kind}", percent(test_mean[kind], 1))
publish("test_lstm_min", percent(min(test["lstm"]), 1))
publish("test_lstm_max", percent(max(test["lstm"]), 1))
publish("test_bow_max", percent(max(test["bow"]), 1))
lstm_gru_gap = abs(test_mean["lstm"] - test_mean["gru"])
publish("test_lstm_gru_gap", 100 * lstm_gru_gap, ".1f")
publish(
    "gru_fewer_parameters",
    percent(1 - runs["gru", 0].parameters / runs["lstm", 0].parameters),
)
publish("seconds_lstm", seconds["lstm"], ".1f")
publish("seconds_gru", seconds["gru"], ".1f")
claim(
    "gated_best_on_validation",
    min(val_mean[k] for k in gated) > max(val_mean[k] for k in references)
    and max(final_loss[k] for k in gated)
    < min(final_loss[k] for k in references),
    es="en validación, LSTM y GRU superan de media a la bolsa de "
    "palabras y a la RNN, y terminan con menos pérdida de entrenamiento",
    en="on validation, LSTM and GRU beat the bag of words and "
    "the RNN on average, and end with a lower training loss",
)
claim(
    "counting_words_works",
    val_mean["bow"] > 0.9,
    es="la bolsa de palabras supera el 90 % en validación",
    en="the bag of words scores above 90% on validation",
)
claim(
    "all_drop_on_test",
    all(max(test[k]) < min(val[k]) - 0.2 for k in MODEL_KINDS),
    es="en cada modelo, la mejor semilla en prueba queda más de 20 puntos por "
    "debajo de la peor en validación",
    en="for every model, the best seed on test is more "
    "than 20 points below the worst one on validation",
)
claim(
    "rnn_near_chance",
    0.5 < test_mean["rnn"] < 0.6,
    es="la RNN básica queda en prueba a menos de 10 puntos por encima del azar",
    en="the plain RNN stays less than 10 points above chance on test",
)
claim(
    "rnn_worst_on_test",
    test_mean["rnn"] < min(test_mean[k] for k in MODEL_KINDS if k != "rnn"),
    es="la RNN básica tiene la menor exactitud media de prueba",
    en="the plain RNN has the lowest mean test accuracy",
)
claim(
    "lstm_gru_within_seeds",
    lstm_gru_gap < max(test["lstm"]) - min(test["lstm"]),
    es="la diferencia de medias entre LSTM y GRU en prueba es menor que la "
    "distancia entre la mejor y la peor semilla de la LSTM",
    en="the test mean difference between LSTM and GRU is smaller than the "
    "distance between the LSTM's best and worst seeds",
)
lstm_spread = max(test["lstm"]) - min(test["lstm"])
claim(
    "no_clear_win_over_bow",
    all(abs(test_mean[k] - test_mean["bow"]) < lstm_spread for k in gated),
    es="en prueba, la media de la LSTM y la de la GRU quedan más cerca de la "
    "bolsa de palabras que la mejor y la peor semilla de la LSTM entre sí",
    en="on test, the LSTM's and the GRU's means are closer to the bag "
    "of words' than the LSTM's best and worst seeds are to each other",
)
claim(
    "seeds_overlap",
    min(test["lstm"]) < max(test["bow"]) + 0.02,
    es="en prueba, la peor semilla de la LSTM no supera "
    "en más de 2 puntos a la mejor bolsa de palabras",
    en="on test, the LSTM's worst seed is at "
    "most 2 points above the best bag of words",
)
claim(
    "gru_fewer_parameters",
    runs["gru", 0].parameters < runs["lstm", 0].parameters,
    es="la GRU tiene menos parámetros que la LSTM",
    en="the GRU has fewer parameters than the LSTM",
)

# %%
fig, (ax_loss, ax_acc) = new_figure(ncols=2, width=4.6, height=3.6)
epochs = range(1, TRAIN["epochs"] + 1)
for color, kind in zip(PALETTE, MODEL_KINDS, strict=False):
    history = runs[kind, 0].history
    ax_loss.plot(
        epochs, history.train_loss, "o-", color=color, label=LABELS[kind]
    )
    ax_acc.plot(
        epochs, history.val_accuracy, "o-", color=color, label=LABELS[kind]
    )
epoch_word = tr(es="época", en="epoch")
ax_loss.set(
    title=tr(es="Pérdida de entrenamiento", en="Training loss"),
    xlabel=epoch_word,
    ylabel=tr(es="entropía cruzada", en="cross-entropy"),
    yscale="log",
)
ax_acc.set(
    title=tr(es="Validación", en="Validation"),
    xlabel=epoch_word,
    ylabel=tr(es="exactitud", en="accuracy"),
)
ax_acc.legend()
end_loss = {k: runs[k, 0].history.train_loss[-1] for k in MODEL_KINDS}
loss_ends = ", ".join(
    f"{LABELS[k]} {number(v, '.2g')}" for k, v in end_loss.items()
)
val_ends = ", ".join(
    f"{LABELS[k]} {number(runs[k, 0].history.val_accuracy[-1])}"
    for k in MODEL_KINDS
)
set_alt(
    fig,
    es="Dos paneles con una curva por modelo (bolsa de palabras, RNN, "
    "LSTM y GRU) a lo largo de 6 épocas, semilla 0. Izquierda: pérdida de "
    f"entrenamiento en escala logarítmica, que termina en {loss_ends}. "
    f"Derecha: exactitud de validación, que termina en {val_ends}.",
    en="Two panels with one curve per model (bag of words, RNN, LSTM and GRU) "
    "over 6 epochs, seed 0. Left: training loss on a log scale, which ends at "
    f"{loss_ends}. Right: validation accuracy, which ends at {val_ends}.",
)

# %%
fig, ax = new_figure(width=6.0, height=3.6)
for x, kind in enumerate(MODEL_KINDS):
    for seed, offset in zip(SEEDS, (-0.06, 0.0, 0.06), strict=True):
        first = (x, seed) == (0, 0)
        run = runs[kind, seed]
        ax.plot(
            x - 0.15 + offset,
            run.val_accuracy,
            "o",
            color=PALETTE[0],
            label=PART["val"] if first else None,
        )
        ax.plot(
            x + 0.15 + offset,
            run.test_accuracy,
            "s",
            color=PALETTE[3],
            label=PART["test"] if first else None,
        )
ax.axhline(0.5, color="#777777", linestyle="--", linewidth=1)
chance = tr(es="azar", en="chance")
ax.text(
    3.45, 0.51, chance, ha="right", va="bottom", fontsize=9, color="#555555"
)
ax.set(
    xticks=range(len(MODEL_KINDS)),
    xticklabels=[
        tr(es="bolsa de\npalabras", en="bag of\nwords")
        if k == "bow"
        else LABELS[k]
        for k in MODEL_KINDS
    ],
    xlabel=tr(es="modelo", en="model"),
    ylim=(0.4, 1.02),
    title=tr(es="Exactitud por semilla", en="Accuracy per seed"),
    ylabel=tr(es="exactitud", en="accuracy"),
)
ax.legend(loc="center left")
lowest_val = number(min(min(v) for v in val.values()))
test_means = ", ".join(
    f"{LABELS[k]} {number(v, '.2f')}" for k, v in test_mean.items()
)
widest = number(max(max(v) - min(v) for v in test.values()), ".2f")
set_alt(
    fig,
    es="Exactitud de cada modelo con tres semillas: círculos para "
    "validación (redacción conocida) y cuadrados para prueba "
    "(redacción nueva), con una línea discontinua en 0,5, el azar. "
    f"La validación no baja de {lowest_val} en ningún modelo; la "
    f"prueba queda mucho más abajo, con medias {test_means}, y las "
    f"semillas de un mismo modelo se separan hasta {widest}.",
    en="Accuracy of each model with three seeds: circles for validation "
    "(known wording) and squares for test (new wording), with a dashed "
    f"line at 0.5, chance. Validation stays at or above {lowest_val} "
    f"for every model; test lies far lower, with means {test_means}, "
    f"and the seeds of one model lie up to {widest} apart.",
)

# %% [markdown] lang="es"
# ## La matriz de confusión
#
# La exactitud resume todo en un número; la matriz de confusión dice **hacia dónde** se equivoca el modelo. Cada fila es la clase real y cada columna la predicha, así que la suma de la matriz es el número de reseñas y la diagonal, los aciertos {{ claim: matrix_counts }}. Tomamos la LSTM de la semilla 0 en la prueba.

# %% [markdown] lang="en"
# ## The confusion matrix
#
# Accuracy sums everything up in one number; the confusion matrix tells **which way** the model goes wrong. Each row is the true class and each column the predicted one, so the matrix sums to the number of reviews and the diagonal holds the hits {{ claim: matrix_counts }}. We take the seed-0 LSTM on the test set.

# %%
lstm = runs["lstm", 0]
matrix = confusion_matrix(lstm.test_predictions, splits.test.labels, len(names))
total, hits = int(matrix.sum()), int(matrix.trace())
print(
    tr(
        es="filas: clase real; columnas: clase predicha",
        en="rows: true class; columns: predicted class",
    ),
    f"({', '.join(CLASS)})",
)
print(matrix)
ratio = number(hits / total)
print(
    tr(
        es=f"suma = {total} reseñas de prueba "
        f"· exactitud = traza / suma = {ratio}",
        en=f"sum = {total} test reviews · accuracy = trace / sum = {ratio}",
    )
)
recall = [matrix[c, c] / matrix[c].sum() for c in range(len(names))]
for c, (es_name, en_name) in enumerate(PLURAL):
    share = percent(recall[c], 1)
    print(
        tr(
            es=f"{es_name} reales: {share} reconocidas",
            en=f"true {en_name}: {share} recognized",
        )
    )
fig = plot_confusion_matrix(
    matrix,
    CLASS,
    title=tr(es="LSTM, prueba", en="LSTM, test"),
    alt_es="Matriz de confusión de la LSTM (semilla 0) en las "
    f"{total} reseñas de prueba. Negativas: {matrix[0, 0]} bien y "
    f"{matrix[0, 1]} tomadas por positivas. Positivas: "
    f"{matrix[1, 1]} bien y {matrix[1, 0]} tomadas por negativas.",
    alt_en=f"Confusion matrix of the LSTM (seed 0) on the {total} "
    f"test reviews. Negative: {matrix[0, 0]} right and "
    f"{matrix[0, 1]} taken for positive. Positive: {matrix[1, 1]} "
    f"right and {matrix[1, 0]} taken for negative.",
)
# hits, counted
right = int((lstm.test_predictions == splits.test.labels).sum())
publish("recall_negative", percent(recall[0], 1))
publish("recall_positive", percent(recall[1], 1))
publish("n_mistakes", total - hits)
publish("n_positive_as_negative", int(matrix[1, 0]))
claim(
    "matrix_counts",
    total == len(splits.test) and hits == right,
    es="la matriz suma el número de reseñas "
    "de prueba y su diagonal, los aciertos",
    en="the matrix sums to the number of test "
    "reviews and its diagonal to the hits",
)
claim(
    "confusion_asymmetric",
    recall[0] > recall[1] and matrix[1, 0] > (total - hits) / 2,
    es="la LSTM reconoce mejor las negativas que las positivas, y más "
    "de la mitad de sus errores son positivas tomadas por negativas",
    en="the LSTM recognizes negative reviews better than positive ones, and "
    "more than half of its mistakes are positive reviews taken for negative",
)

# %% [markdown] lang="es"
# ## Los errores
#
# Los números no explican por qué falla el modelo; leer los ejemplos mal clasificados, sí. Estos son los primeros de la prueba, con su etiqueta real y la predicha.

# %% [markdown] lang="en"
# ## The mistakes
#
# The numbers do not explain why the model fails; reading the misclassified examples does. These are the first ones in the test set, with their true label and the predicted one.

# %%
NEGATION = ("no", "ningún", "ninguna", "nada", "nunca")
mistakes = misclassified(splits.test, lstm.test_predictions)
print(
    tr(
        es=f"{len(mistakes)} reseñas de prueba "
        "mal clasificadas; las ocho primeras:",
        en=f"{len(mistakes)} misclassified test reviews; the first eight:",
    )
)
true_word = tr(es="real", en="true")
predicted_word = tr(es="predicha", en="predicted")
for m in mistakes[:8]:
    print(
        f"\n{true_word}: {CLASS[m.label]} · "
        f"{predicted_word}: {CLASS[m.prediction]}"
    )
    print(wrapped(m.text))
first_eight = mistakes[:8]
negated = contains_any([m.text for m in first_eight], NEGATION).tolist()
first_negated_positive = sum(
    m.label == 1 and has for m, has in zip(first_eight, negated, strict=True)
)
# Held-out positive phrasings with a negation (dlcourse.data.corpus.reviews).
NEGATED_PRAISE = (
    "no hubo ningún problema",
    "no decepcion",
    "no me arrepiento en absoluto",
)


def praise_share(texts: list[str]) -> float:
    """Share of the texts with a held-out negated positive phrasing."""
    return statistics.mean(
        any(p in t.lower() for p in NEGATED_PRAISE) for t in texts
    )


labels = splits.test.labels.tolist()
hit = (lstm.test_predictions == splits.test.labels).tolist()
positive = [
    (t, h) for t, y, h in zip(splits.test.texts, labels, hit, strict=True) if y
]
praise_missed = praise_share([text for text, right in positive if not right])
praise_hit = praise_share([text for text, right in positive if right])
publish("first_negated_positive", first_negated_positive)
publish("praise_missed", percent(praise_missed))
publish("praise_hit", percent(praise_hit))
claim(
    "first_mistakes_negated",
    first_negated_positive >= 4,
    es="al menos la mitad de los ocho primeros "
    "errores son positivas con una negación",
    en="at least half of the first eight mistakes "
    "are positive reviews with a negation",
)
claim(
    "negated_praise_in_mistakes",
    praise_missed > praise_hit + 0.2,
    es="esas frases son más de 20 puntos más frecuentes "
    "en las positivas falladas que en las acertadas",
    en="those phrases are more than 20 points more frequent in the missed "
    "positive reviews than in the ones it gets right",
)

# %% [markdown] lang="es"
# {{ value: first_negated_positive }} de los ocho son reseñas positivas que **contienen una negación** {{ claim: first_mistakes_negated }}. En la prueba, las frases positivas con negación son «no hubo ningún problema», «no decepcionó en absoluto» y «no me arrepiento en absoluto», y aparecen en el {{ value: praise_missed }} de las positivas que la LSTM falla, frente al {{ value: praise_hit }} de las que acierta {{ claim: negated_praise_in_mistakes }}. Para medirlo con cualquier negación, separamos cada clase según tenga o no alguna de las palabras «no», «ningún», «ninguna», «nada» o «nunca», y calculamos la exactitud de cada grupo (media de las tres semillas) en la prueba, para los cuatro modelos, y en la validación, para la LSTM. Antes contamos cuántas veces aparece «no» en las reseñas de entrenamiento de cada clase.

# %% [markdown] lang="en"
# {{ value: first_negated_positive }} of the eight are positive reviews that **contain a negation** {{ claim: first_mistakes_negated }}. In the test set, the positive phrasings with a negation are "no hubo ningún problema" ("there was no problem at all"), "no decepcionó en absoluto" ("it did not disappoint at all") and "no me arrepiento en absoluto" ("I do not regret it at all"), and they appear in {{ value: praise_missed }} of the positive reviews the LSTM misses, against {{ value: praise_hit }} of those it gets right {{ claim: negated_praise_in_mistakes }}. To measure it for any negation, we split each class by whether it has any of the words "no", "ningún", "ninguna", "nada" or "nunca" (no, none, nothing, never), and compute the accuracy of each group (mean of the three seeds) on the test set, for the four models, and on validation, for the LSTM. First we count how many times "no" appears in the training reviews of each class.

# %%
train_pairs = list(
    zip(splits.train.texts, splits.train.labels.tolist(), strict=True)
)
no_counts = []
for c, (es_name, en_name) in enumerate(PLURAL):
    count = sum(
        word_tokenize(text).count("no") for text, y in train_pairs if y == c
    )
    no_counts.append(count)
    print(
        tr(
            es=f"«no» en las reseñas {es_name} de entrenamiento: {count} veces",
            en=f"'no' in the {en_name} training reviews: {count} times",
        )
    )
print()


def group_accuracy(kind: str, part: str, mask: torch.Tensor) -> float:
    data = parts[part]
    scores = [
        accuracy(
            getattr(runs[kind, s], f"{part}_predictions")[mask],
            data.labels[mask],
        )
        for s in SEEDS
    ]
    return statistics.mean(scores)


WIDTH = {"bow": 19, "rnn": 8, "lstm": 8, "gru": 8}
header = "".join(align(LABELS[k], WIDTH[k]) for k in MODEL_KINDS)
print(
    " " * 24
    + align(PART["test"], 7)
    + header
    + align(PART["val"], 14)
    + "    LSTM"
)
groups = {}
TAGS = {
    True: tr(es="con negación", en="with negation"),
    False: tr(es="sin negación", en="no negation"),
}
for c in range(len(names)):
    for has in (True, False):
        row = align(f"{CLASS[c]} {TAGS[has]}", 24, "<")
        for part, kinds, n_width in (
            ("test", MODEL_KINDS, 7),
            ("val", ("lstm",), 14),
        ):
            data = parts[part]
            negation = contains_any(data.texts, NEGATION) == has
            mask = (data.labels == c) & negation
            row += align(f"n={int(mask.sum())}", n_width)
            for k in kinds:
                groups[part, k, c, has] = group_accuracy(k, part, mask)
                row += align(percent(groups[part, k, c, has], 1), WIDTH[k])
        print(row)
negated_praise = {k: groups["test", k, 1, True] for k in MODEL_KINDS}
low = min(MODEL_KINDS, key=negated_praise.__getitem__)
high = max(MODEL_KINDS, key=negated_praise.__getitem__)
publish("negated_positive_low", percent(negated_praise[low], 1))
publish("negated_positive_low_model", LABELS[low])
publish("negated_positive_high", percent(negated_praise[high], 1))
publish("negated_positive_high_model", LABELS[high])
publish("plain_positive_lstm", percent(groups["test", "lstm", 1, False], 1))
publish("plain_positive_gru", percent(groups["test", "gru", 1, False], 1))
publish("val_negated_positive_lstm", percent(groups["val", "lstm", 1, True], 1))
publish("no_in_negative", no_counts[0])
publish("no_in_positive", no_counts[1])
publish("no_ratio", no_counts[0] / no_counts[1], ".1f")
# training phrasings, negated praise
LEARNED = ("no tengo ninguna queja", "nada mal")
train_praise = [text.lower() for text, y in train_pairs if y == 1]
test_lower = [text.lower() for text in splits.test.texts]
claim(
    "negated_praise_below_chance",
    all(negated_praise[k] < 0.5 for k in gated),
    es="en prueba, ni la LSTM ni la GRU aciertan "
    "la mitad de las positivas con negación",
    en="on test, neither the LSTM nor the GRU gets half "
    "of the positive reviews with a negation right",
)
claim(
    "plain_praise_much_better",
    all(groups["test", k, 1, False] > negated_praise[k] + 0.3 for k in gated),
    es="con LSTM y GRU, las positivas sin negación se aciertan 30 puntos más",
    en="with LSTM and GRU, positive reviews "
    "without a negation score 30 points more",
)
claim(
    "memorized_on_validation",
    groups["val", "lstm", 1, True] > 0.95,
    es="en validación, la LSTM acierta más "
    "del 95 % de las positivas con negación",
    en="on validation, the LSTM gets over 95% "
    "of the negated positive reviews right",
)
claim(
    "learned_phrases_only_in_training",
    all(any(p in t for t in train_praise) for p in LEARNED)
    and not any(p in t for t in test_lower for p in LEARNED),
    es="«no tengo ninguna queja» y «nada mal» aparecen en positivas de "
    "entrenamiento y en ninguna reseña de prueba",
    en="'no tengo ninguna queja' and 'nada mal' appear in positive training "
    "reviews and in no test review",
)
claim(
    "no_points_negative",
    no_counts[0] > 1.5 * no_counts[1],
    es="en entrenamiento, «no» aparece más de 1,5 veces más en las reseñas "
    "negativas que en las positivas",
    en="in training, 'no' appears more than 1.5 times "
    "as often in negative reviews as in positive ones",
)
claim(
    "negated_words_unknown",
    not any(w in vocab for w in ("decepcionó", "problema", "arrepiento")),
    es="«decepcionó», «problema» y «arrepiento» no están en el vocabulario",
    en="'decepcionó', 'problema' and 'arrepiento' are not in the vocabulary",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - **Relleno**: con las longitudes, el lote da los mismos logits que cada frase sola salvo redondeo (una diferencia de {{ value: gap_with_lengths }} como mucho), tenga el relleno que tenga {{ claim: lengths_ignore_padding }}. Sin ellas, la red lee los `<pad>` como si fueran texto: la diferencia es de {{ value: gap_one_pad }} con una columna de relleno y de {{ value: gap_more_pads }} con diez más, y crece con el relleno {{ claim: padding_read_as_text }}. Un modelo que pasara la validación con lotes de un tamaño podría cambiar sus predicciones al cambiar el tamaño del lote.
# - **Con la redacción conocida** (validación), la LSTM y la GRU aciertan el {{ value: val_lstm }} y el {{ value: val_gru }} de media y tienen la pérdida de entrenamiento más baja; la bolsa de palabras ({{ value: val_bow }}) y la RNN básica ({{ value: val_rnn }}) se quedan algo por detrás {{ claim: gated_best_on_validation }}. Leer en orden ayuda, pero aquí incluso contar palabras funciona bastante bien {{ claim: counting_words_works }}, porque cada reseña repite su polaridad en dos o tres cláusulas.
# - **Con la redacción nueva** (prueba), todos caen {{ claim: all_drop_on_test }}: la LSTM al {{ value: test_lstm }}, la GRU al {{ value: test_gru }}, la bolsa de palabras al {{ value: test_bow }} y la RNN básica al {{ value: test_rnn }}, la peor de las cuatro {{ claim: rnn_worst_on_test }} y poco por encima del azar {{ claim: rnn_near_chance }}. La diferencia entre LSTM y GRU ({{ value: test_lstm_gru_gap }} puntos) es menor que la que hay entre semillas de la LSTM (del {{ value: test_lstm_min }} al {{ value: test_lstm_max }}) {{ claim: lstm_gru_within_seeds }}: con estos datos no se puede decir que una sea mejor que la otra. Tampoco superan con claridad a la bolsa de palabras: la distancia entre sus medias es menor que la que separa la mejor y la peor semilla de la LSTM {{ claim: no_clear_win_over_bow }}, y la peor semilla de la LSTM no supera en más de dos puntos a la mejor bolsa de palabras ({{ value: test_bow_max }}) {{ claim: seeds_overlap }}. Con palabras nuevas, leer en orden ya no da una ventaja que se pueda medir con tres semillas. La GRU tiene un {{ value: gru_fewer_parameters }} menos de parámetros {{ claim: gru_fewer_parameters }} y, en esta ejecución, cada entrenamiento le llevó {{ value: seconds_gru }} s, frente a {{ value: seconds_lstm }} s de la LSTM.
# - **La matriz de confusión no es simétrica**: la LSTM reconoce el {{ value: recall_negative }} de las negativas pero solo el {{ value: recall_positive }} de las positivas. De los {{ value: n_mistakes }} errores, {{ value: n_positive_as_negative }} son positivas tomadas por negativas {{ claim: confusion_asymmetric }}.
# - **Los errores revelan la negación**. En la prueba, las positivas con negación se aciertan entre el {{ value: negated_positive_low }} ({{ value: negated_positive_low_model }}) y el {{ value: negated_positive_high }} ({{ value: negated_positive_high_model }}), y ni la LSTM ni la GRU llegan a la mitad {{ claim: negated_praise_below_chance }}. Las positivas sin negación, en cambio, se aciertan mucho más: el {{ value: plain_positive_lstm }} con la LSTM y el {{ value: plain_positive_gru }} con la GRU {{ claim: plain_praise_much_better }}. En la validación, la LSTM acierta el {{ value: val_negated_positive_lstm }} de las positivas con negación {{ claim: memorized_on_validation }}: ha aprendido de memoria «no tengo ninguna queja» y «no estaba nada mal», frases que solo están en el entrenamiento {{ claim: learned_phrases_only_in_training }}, pero no la regla «negación de algo malo = bueno». En el entrenamiento, «no» aparece {{ value: no_ratio }} veces más en reseñas negativas ({{ value: no_in_negative }}) que en positivas ({{ value: no_in_positive }}) {{ claim: no_points_negative }}, así que para la red es una pista de reseña negativa; y «decepcionó», «problema» o «arrepiento» son `<unk>` {{ claim: negated_words_unknown }}: sin saber que lo negado es malo, la regla no se podría aplicar aunque la hubiera aprendido.
# - El {{ value: test_unknown }} de los tokens de prueba son desconocidos, y ninguno de entrenamiento ni de validación {{ claim: unknown_only_in_test }}. Un modelo entrenado desde cero solo sabe de las palabras que vio con etiqueta. En [Preentrenamiento](pretraining.md) se usan estas mismas reseñas para comparar este entrenamiento desde cero con un modelo que antes ha aprendido de texto sin etiquetar y después se ajusta a la tarea.

# %% [markdown] lang="en"
# ## What to notice
#
# - **Padding**: with the lengths, the batch gives the same logits as each sentence alone up to rounding (a difference of at most {{ value: gap_with_lengths }}), whatever the padding {{ claim: lengths_ignore_padding }}. Without them, the network reads the `<pad>` tokens as if they were text: the difference is {{ value: gap_one_pad }} with one padding column and {{ value: gap_more_pads }} with ten more, and it grows with the padding {{ claim: padding_read_as_text }}. A model that passed validation with batches of one size could change its predictions when the batch size changes.
# - **With known wording** (validation), the LSTM and the GRU get {{ value: val_lstm }} and {{ value: val_gru }} right on average and have the lowest training loss; the bag of words ({{ value: val_bow }}) and the plain RNN ({{ value: val_rnn }}) are a little behind {{ claim: gated_best_on_validation }}. Reading in order helps, but here even counting words works quite well {{ claim: counting_words_works }}, because each review repeats its polarity in two or three clauses.
# - **With new wording** (test), they all drop {{ claim: all_drop_on_test }}: the LSTM to {{ value: test_lstm }}, the GRU to {{ value: test_gru }}, the bag of words to {{ value: test_bow }} and the plain RNN to {{ value: test_rnn }}, the worst of the four {{ claim: rnn_worst_on_test }} and barely above chance {{ claim: rnn_near_chance }}. The difference between LSTM and GRU ({{ value: test_lstm_gru_gap }} points) is smaller than the one between the LSTM's seeds (from {{ value: test_lstm_min }} to {{ value: test_lstm_max }}) {{ claim: lstm_gru_within_seeds }}: with these data one cannot say that one is better than the other. Nor do they clearly beat the bag of words: the distance between their means is smaller than the one between the LSTM's best and worst seeds {{ claim: no_clear_win_over_bow }}, and the LSTM's worst seed is not more than two points above the best bag of words ({{ value: test_bow_max }}) {{ claim: seeds_overlap }}. With new words, reading in order no longer gives an advantage that three seeds can measure. The GRU has {{ value: gru_fewer_parameters }} fewer parameters {{ claim: gru_fewer_parameters }} and, in this run, each training took it {{ value: seconds_gru }} s, against {{ value: seconds_lstm }} s for the LSTM.
# - **The confusion matrix is not symmetric**: the LSTM recognizes {{ value: recall_negative }} of the negative reviews but only {{ value: recall_positive }} of the positive ones. Of its {{ value: n_mistakes }} mistakes, {{ value: n_positive_as_negative }} are positive reviews taken for negative {{ claim: confusion_asymmetric }}.
# - **The mistakes reveal negation**. On the test set, positive reviews with a negation are classified right between {{ value: negated_positive_low }} ({{ value: negated_positive_low_model }}) and {{ value: negated_positive_high }} ({{ value: negated_positive_high_model }}) of the time, and neither the LSTM nor the GRU gets half of them right {{ claim: negated_praise_below_chance }}. Positive reviews without a negation, on the other hand, are classified right far more often: {{ value: plain_positive_lstm }} with the LSTM and {{ value: plain_positive_gru }} with the GRU {{ claim: plain_praise_much_better }}. On validation, the LSTM gets {{ value: val_negated_positive_lstm }} of the positive reviews with a negation right {{ claim: memorized_on_validation }}: it has learned "no tengo ninguna queja" ("I have no complaint") and "no estaba nada mal" ("it was not bad at all") by heart, phrases that only occur in training {{ claim: learned_phrases_only_in_training }}, but not the rule "negation of something bad = good". In training, "no" appears {{ value: no_ratio }} times as often in negative reviews ({{ value: no_in_negative }} times) as in positive ones ({{ value: no_in_positive }}) {{ claim: no_points_negative }}, so to the network it is a clue for a negative review; and "decepcionó", "problema" or "arrepiento" ("disappointed", "problem", "regret") are `<unk>` {{ claim: negated_words_unknown }}: without knowing that what is negated is bad, the rule could not be applied even if it had been learned.
# - Of the test tokens, {{ value: test_unknown }} are unknown, and none of the training or validation ones {{ claim: unknown_only_in_test }}. A model trained from scratch only knows about the words it saw with a label. In [Pretraining](pretraining.md) these same reviews are used to compare this training from scratch with a model that first learns from unlabeled text and is then fine-tuned to the task.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Calcula a mano el número de parámetros de la LSTM y de la GRU de la tabla (vocabulario de {{ value: vocab_size }} tokens, incrustaciones de 32, estado de 64, 2 clases; PyTorch usa dos vectores de sesgo por bloque) y compruébalo con los modelos entrenados.
# 2. Entrena la LSTM sin sustituir palabras por `<unk>` (`unk_dropout=0.0`). ¿Cambia la fila de `<unk>` de la matriz de incrustaciones durante el entrenamiento? ¿Qué pasa con la exactitud de validación y de prueba?
# 3. Baraja el orden de las palabras dentro de cada reseña de validación y vuelve a evaluar la bolsa de palabras y la LSTM de la semilla 0. ¿Qué modelo depende del orden?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Work out by hand the number of parameters of the table's LSTM and GRU (vocabulary of {{ value: vocab_size }} tokens, embeddings of 32, state of 64, 2 classes; PyTorch uses two bias vectors per block) and check it against the trained models.
# 2. Train the LSTM without replacing words by `<unk>` (`unk_dropout=0.0`). Does the `<unk>` row of the embedding matrix change during training? What happens to validation and test accuracy?
# 3. Shuffle the order of the words inside each validation review and evaluate the seed-0 bag of words and LSTM again. Which model depends on the order?

# %% [markdown] lang="es" solution="1"
# Cada bloque tiene $E\cdot H + H\cdot H + 2H$ parámetros: {{ value: block_params }} con $E = 32$ y $H = 64$. La incrustación tiene $V\cdot E$, {{ value: embedding_params }}, y la cabeza $2H + 2$, {{ value: head_params }}. Sumando, la LSTM (cuatro bloques) tiene {{ value: params_lstm }} parámetros, la GRU (tres) {{ value: params_gru }} y la RNN (uno) {{ value: params_rnn }}: los mismos que cuentan los modelos entrenados {{ claim: parameters_by_hand }}.

# %% [markdown] lang="en" solution="1"
# Each block has $E\cdot H + H\cdot H + 2H$ parameters: {{ value: block_params }} with $E = 32$ and $H = 64$. The embedding has $V\cdot E$, {{ value: embedding_params }}, and the head $2H + 2$, {{ value: head_params }}. Adding up, the LSTM (four blocks) has {{ value: params_lstm }} parameters, the GRU (three) {{ value: params_gru }} and the RNN (one) {{ value: params_rnn }}: the same as the trained models count {{ claim: parameters_by_hand }}.

# %% solution="1"
hidden = runs["lstm", 0].model.recurrent.hidden_size
embed = runs["lstm", 0].model.embedding.embedding_dim
# W, U and two bias vectors
block = embed * hidden + hidden * hidden + 2 * hidden
embedding_params = len(vocab) * embed
head_params = hidden * len(names) + len(names)
BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}
by_hand = {
    k: embedding_params + n * block + head_params for k, n in BLOCKS.items()
}
print(
    align(tr(es="modelo", en="model"), 6, "<")
    + align(tr(es="capa recurrente", en="recurrent layer"), 17)
    + align(tr(es="a mano", en="by hand"), 9)
    + align(tr(es="contados", en="counted"), 10)
)
matches = []
for kind, blocks in BLOCKS.items():
    model = runs[kind, 0].model
    recurrent = sum(p.numel() for p in model.recurrent.parameters())
    counted = runs[kind, 0].parameters
    matches.append(recurrent == blocks * block and counted == by_hand[kind])
    print(
        f"{LABELS[kind]:6s}{number(recurrent, '17,d')}"
        f"{number(by_hand[kind], '9,d')}{number(counted, '10,d')}"
    )
publish("block_params", block, ",d")
publish("embedding_params", embedding_params, ",d")
publish("head_params", head_params, ",d")
for kind in BLOCKS:
    publish(f"params_{kind}", by_hand[kind], ",d")
claim(
    "parameters_by_hand",
    all(matches),
    es="las cuentas a mano coinciden con los "
    "parámetros de los modelos entrenados",
    en="the counts by hand match the parameters of the trained models",
)

# %% [markdown] lang="es" solution="2"
# La fila no cambia: ningún token de entrenamiento es `<unk>`, así que su gradiente es siempre cero y Adam no la mueve; con la sustitución, en cambio, sí se entrena {{ claim: unk_row_frozen }}. En la prueba, cada palabra nueva llega con esa incrustación aleatoria. Con las tres semillas, la validación apenas cambia (del {{ value: val_lstm }} al {{ value: plain_val }} de media), pero la prueba baja, del {{ value: test_lstm }} al {{ value: plain_test }} de media {{ claim: dropout_helps_test }}: con las frases conocidas la sustitución apenas importa; donde ayuda es con las palabras nuevas.

# %% [markdown] lang="en" solution="2"
# The row does not change: no training token is `<unk>`, so its gradient is always zero and Adam does not move it; with the replacements, on the other hand, it is trained {{ claim: unk_row_frozen }}. At test time, every new word arrives with that random embedding. Over the three seeds, validation barely changes (from {{ value: val_lstm }} to {{ value: plain_val }} on average), but the test drops, from {{ value: test_lstm }} to {{ value: plain_test }} on average {{ claim: dropout_helps_test }}: with known sentences the replacements hardly matter; where they help is with new words.

# %% solution="2"
plain, unk_frozen = {}, []
for seed in SEEDS:
    seed_torch(seed)  # the initialization train_run gives this seed
    initial = make_classifier("lstm", len(vocab), 2, padding_idx=vocab.pad_id)
    initial_unk = initial.embedding.weight[vocab.unk_id].detach().clone()
    plain[seed] = train_run(
        "lstm",
        splits,
        seed=seed,
        device=device,
        **{**TRAIN, "unk_dropout": 0.0},
    )
    final_unk = plain[seed].model.embedding.weight[vocab.unk_id].detach().cpu()
    unk_frozen.append(torch.equal(final_unk, initial_unk))
    if seed == SEEDS[-1]:
        # the lesson's LSTM of this seed, trained with replacements
        embedding = runs["lstm", seed].model.embedding
        trained = embedding.weight[vocab.unk_id].detach().cpu()
        unk_moved = not torch.equal(trained, initial_unk)
print(
    align(tr(es="semilla", en="seed"), 8, "<")
    + align(tr(es="<unk> intacta", en="<unk> unchanged"), 16)
    + align(tr(es="validación", en="validation"), 12)
    + align(tr(es="prueba", en="test"), 9)
    + align(tr(es="prueba con sustitución", en="test with dropout"), 24)
)
yes_word, no_word = tr(es="sí", en="yes"), tr(es="no", en="no")
for seed, frozen in zip(SEEDS, unk_frozen, strict=True):
    print(
        f"{seed:<8d}{align(yes_word if frozen else no_word, 16)}"
        f"{align(percent(plain[seed].val_accuracy, 1), 12)}"
        f"{align(percent(plain[seed].test_accuracy, 1), 9)}"
        f"{align(percent(runs['lstm', seed].test_accuracy, 1), 24)}"
    )
plain_val = statistics.mean(plain[s].val_accuracy for s in SEEDS)
plain_test = statistics.mean(plain[s].test_accuracy for s in SEEDS)
publish("plain_val", percent(plain_val, 1))
publish("plain_test", percent(plain_test, 1))
claim(
    "unk_row_frozen",
    all(unk_frozen) and unk_moved,
    es="sin sustituciones, la fila de <unk> no cambia en "
    "ninguna de las tres semillas; con ellas, sí cambia",
    en="without replacements, no seed changes "
    "the <unk> row; with them, it changes",
)
claim(
    "dropout_helps_test",
    abs(val_mean["lstm"] - plain_val) < 0.02 and plain_test < test_mean["lstm"],
    es="sin sustituciones, la validación media "
    "cambia menos de 2 puntos y la prueba media baja",
    en="without replacements, mean validation changes "
    "by less than 2 points and mean test accuracy drops",
)

# %% [markdown] lang="es" solution="3"
# La bolsa de palabras da exactamente la misma exactitud ({{ value: shuffled_bow }}) {{ claim: bow_ignores_order }}: solo ve la media de las incrustaciones, que no depende del orden. La LSTM baja del {{ value: val_lstm_seed0 }} al {{ value: shuffled_lstm }} {{ claim: lstm_uses_order }}: sigue acertando muchas reseñas por las palabras sueltas, pero una parte de su exactitud venía del orden.

# %% [markdown] lang="en" solution="3"
# The bag of words gives exactly the same accuracy ({{ value: shuffled_bow }}) {{ claim: bow_ignores_order }}: it only sees the mean of the embeddings, which does not depend on the order. The LSTM drops from {{ value: val_lstm_seed0 }} to {{ value: shuffled_lstm }} {{ claim: lstm_uses_order }}: it still gets many reviews right from the individual words, but part of its accuracy came from the order.

# %% solution="3"
from dlcourse.lessons.sentiment_lstm import EncodedTexts, predict
from dlcourse.runtime import seeded_generator

generator = seeded_generator(0)
data = splits.val
shuffled_ids = data.ids.clone()
for row, n in enumerate(data.lengths.tolist()):
    order = torch.randperm(n, generator=generator)
    shuffled_ids[row, :n] = shuffled_ids[row, order]
shuffled = EncodedTexts(data.texts, data.labels, shuffled_ids, data.lengths)
order_blind = {}
print(
    align(tr(es="modelo", en="model"), 19, "<")
    + align(tr(es="en orden", en="in order"), 10)
    + align(tr(es="barajadas", en="shuffled"), 11)
)
for kind in ("bow", "lstm"):
    model = runs[kind, 0].model
    order_blind[kind] = accuracy(
        predict(model, shuffled, vocab.pad_id), data.labels
    )
    print(
        align(LABELS[kind], 19, "<")
        + align(percent(runs[kind, 0].val_accuracy, 1), 10)
        + align(percent(order_blind[kind], 1), 11)
    )
publish("shuffled_bow", percent(order_blind["bow"], 1))
publish("val_lstm_seed0", percent(runs["lstm", 0].val_accuracy, 1))
publish("shuffled_lstm", percent(order_blind["lstm"], 1))
claim(
    "bow_ignores_order",
    order_blind["bow"] == runs["bow", 0].val_accuracy,
    es="la bolsa de palabras da la misma exactitud con las palabras barajadas",
    en="the bag of words gives the same accuracy with the words shuffled",
)
claim(
    "lstm_uses_order",
    0.75 < order_blind["lstm"] < runs["lstm", 0].val_accuracy - 0.05,
    es="barajadas, la LSTM pierde más de 5 "
    "puntos, pero sigue por encima del 75 %",
    en="shuffled, the LSTM loses more than 5 points, but stays above 75%",
)
