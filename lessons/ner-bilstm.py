# ---
# jupyter:
#   lesson:
#     title:
#       es: Reconocimiento de entidades con una BiLSTM
#       en: Named-entity recognition with a BiLSTM
#     summary:
#       es: Un etiquetador BiLSTM con etiquetas BIO encuentra personas, lugares, organizaciones y fechas en frases españolas generadas; precisión, exhaustividad y F1 por entidad, también con nombres que nunca vio al entrenar.
#       en: A BiLSTM tagger with BIO tags finds people, places, organizations and dates in generated Spanish sentences; entity-level precision, recall and F1, also on names it never saw in training.
#     order: 25
#     budget_cpu_s: 90
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Plantear el reconocimiento de entidades nombradas (NER) como etiquetado de tokens con el esquema BIO, y recuperar las entidades a partir de las etiquetas.
#     - Preparar lotes con relleno y longitudes, y una pérdida que ignora el relleno.
#     - Entrenar una LSTM bidireccional que etiqueta cada token y medirla como en CoNLL: precisión, exhaustividad y F1 por tipo de entidad, con coincidencia exacta.
#     - Separar lo que el modelo memoriza de lo que deduce del contexto, con un conjunto de prueba lleno de nombres que nunca vio.
#
# Artículo asociado: nota sobre la [LSTM](../papers/lstm.md). Nota de concepto: [redes recurrentes](../concepts/recurrent-networks.md). La lección anterior, [clasificación de secuencias con LSTM y GRU](sentiment-lstm.md), usa la última salida de la red para toda la frase; aquí usamos la salida de **cada** paso. El vocabulario de palabras viene de la lección de [tokenización](tokenization.md). Referencia de la API: [`dlcourse.lessons.ner_bilstm`](../api/lessons/ner_bilstm.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Frame named-entity recognition (NER) as token tagging with the BIO scheme, and read the entities back from the tags.
#     - Prepare padded batches with their lengths, and a loss that ignores the padding.
#     - Train a bidirectional LSTM that tags every token and measure it as CoNLL does: precision, recall and F1 per entity type, with exact matching.
#     - Tell apart what the model memorizes from what it infers from context, with a test set full of names it never saw.
#
# Related paper: note on the [LSTM](../papers/lstm.md). Concept note: [recurrent networks](../concepts/recurrent-networks.md). The previous lesson, [sequence classification with LSTM and GRU](sentiment-lstm.md), uses the network's last output for the whole sentence; here we use the output of **every** step. The word vocabulary comes from the [tokenization](tokenization.md) lesson. API reference: [`dlcourse.lessons.ner_bilstm`](../api/lessons/ner_bilstm.md).

# %% [markdown] lang="es"
# ## La idea
#
# Reconocer entidades es encontrar en un texto los nombres de personas (PER), lugares (LOC), organizaciones (ORG) y, en esta lección, fechas (DATE). Una entidad puede ocupar varias palabras («Santiago de Chile»), así que no basta con clasificar palabras sueltas: hay que marcar dónde empieza y dónde acaba cada una. El truco es convertir los tramos en **una etiqueta por token**. En el esquema BIO, cuya idea viene del análisis sintáctico superficial de Ramshaw y Marcus (1995, [ACL W95-0107](https://aclanthology.org/W95-0107/)), `B-X` marca el primer token de una entidad de tipo X, `I-X` los siguientes y `O` lo que queda fuera:
#
# ```
# El   lunes   Ana    Ruiz   viajó  a  Santiago  de     Chile  .
# O    B-DATE  B-PER  I-PER  O      O  B-LOC     I-LOC  I-LOC  O
# ```
#
# (Usamos la variante en la que toda entidad empieza por `B-`, a veces llamada IOB2.) Con 4 tipos hay 9 etiquetas, y el problema pasa a ser etiquetar secuencias: para los tokens $w_1, \dots, w_T$ el modelo da una distribución sobre las etiquetas en cada posición. Una LSTM que lee la frase de izquierda a derecha solo conoce, en la posición $t$, las palabras $w_1, \dots, w_t$; para decidir si «Ana» es una persona ayuda mucho saber que detrás viene «trabaja en». Una **LSTM bidireccional** (Huang, Xu y Yu, 2015, [arXiv:1508.01991](https://arxiv.org/abs/1508.01991); Lample et al., 2016, [arXiv:1603.01360](https://arxiv.org/abs/1603.01360)) lee la frase en los dos sentidos y concatena ambos estados:
#
# $$
# \overrightarrow{\mathbf{h}}_t = \operatorname{LSTM}_{\rightarrow}\big(\mathbf{x}_t, \overrightarrow{\mathbf{h}}_{t-1}\big), \qquad
# \overleftarrow{\mathbf{h}}_t = \operatorname{LSTM}_{\leftarrow}\big(\mathbf{x}_t, \overleftarrow{\mathbf{h}}_{t+1}\big), \qquad
# p(y_t \mid w_{1:T}) = \operatorname{softmax}\big(W [\overrightarrow{\mathbf{h}}_t ; \overleftarrow{\mathbf{h}}_t] + \mathbf{b}\big),
# $$
#
# donde $\mathbf{x}_t$ es la incrustación de la palabra $w_t$. La pérdida es la entropía cruzada media sobre los tokens reales de todas las frases del lote, sin contar las posiciones de relleno. Huang et al. y Lample et al. añaden encima una capa CRF que puntúa también las transiciones entre etiquetas; aquí cada token se decide por separado, lo que simplifica el modelo pero permite secuencias imposibles como `O I-PER`.
#
# La evaluación sigue la de la tarea compartida CoNLL-2002 de NER en español y neerlandés (Tjong Kim Sang, 2002, [ACL W02-2024](https://aclanthology.org/W02-2024/)): una entidad predicha solo cuenta como acierto si coincide **exactamente**, en tipo, inicio y fin, con una de la referencia. La precisión es la fracción de entidades predichas que son correctas, la exhaustividad la fracción de entidades de la referencia encontradas, y F1 su media armónica.

# %% [markdown] lang="en"
# ## The idea
#
# Recognizing entities means finding in a text the names of people (PER), places (LOC), organizations (ORG) and, in this lesson, dates (DATE). An entity can span several words ("Santiago de Chile"), so classifying single words is not enough: we must mark where each one starts and ends. The trick is to turn spans into **one tag per token**. In the BIO scheme, whose idea comes from Ramshaw and Marcus's work on text chunking (1995, [ACL W95-0107](https://aclanthology.org/W95-0107/)), `B-X` marks the first token of an entity of type X, `I-X` the following ones and `O` everything outside:
#
# ```
# El   lunes   Ana    Ruiz   viajó  a  Santiago  de     Chile  .
# O    B-DATE  B-PER  I-PER  O      O  B-LOC     I-LOC  I-LOC  O
# ```
#
# ("On Monday Ana Ruiz traveled to Santiago de Chile". We use the variant in which every entity starts with `B-`, sometimes called IOB2.) With 4 types there are 9 tags, and the problem becomes sequence tagging: for the tokens $w_1, \dots, w_T$ the model gives a distribution over tags at every position. An LSTM reading the sentence left to right only knows, at position $t$, the words $w_1, \dots, w_t$; to decide whether "Ana" is a person it helps a lot to know that "trabaja en" ("works at") comes next. A **bidirectional LSTM** (Huang, Xu and Yu, 2015, [arXiv:1508.01991](https://arxiv.org/abs/1508.01991); Lample et al., 2016, [arXiv:1603.01360](https://arxiv.org/abs/1603.01360)) reads the sentence in both directions and concatenates both states:
#
# $$
# \overrightarrow{\mathbf{h}}_t = \operatorname{LSTM}_{\rightarrow}\big(\mathbf{x}_t, \overrightarrow{\mathbf{h}}_{t-1}\big), \qquad
# \overleftarrow{\mathbf{h}}_t = \operatorname{LSTM}_{\leftarrow}\big(\mathbf{x}_t, \overleftarrow{\mathbf{h}}_{t+1}\big), \qquad
# p(y_t \mid w_{1:T}) = \operatorname{softmax}\big(W [\overrightarrow{\mathbf{h}}_t ; \overleftarrow{\mathbf{h}}_t] + \mathbf{b}\big),
# $$
#
# where $\mathbf{x}_t$ is the embedding of word $w_t$. The loss is the mean cross-entropy over the real tokens of every sentence in the batch, leaving out the padded positions. Huang et al. and Lample et al. add a CRF layer on top that also scores the transitions between tags; here each token is decided on its own, which keeps the model simple but allows impossible sequences such as `O I-PER`.
#
# Evaluation follows the CoNLL-2002 shared task on Spanish and Dutch NER (Tjong Kim Sang, 2002, [ACL W02-2024](https://aclanthology.org/W02-2024/)): a predicted entity only counts as correct if it matches a reference entity **exactly**, in type, start and end. Precision is the fraction of predicted entities that are correct, recall the fraction of reference entities that are found, and F1 their harmonic mean.

# %% [markdown] lang="es"
# ## Los datos y una prueba honesta
#
# Las frases salen de `dlcourse.data.corpus.tagged_sentences`, que rellena 12 plantillas con nombres, apellidos, ciudades, organizaciones y fechas al azar. Un etiquetador podría sacar una nota perfecta simplemente **recordando** que «Lima» es un lugar. Para ver qué aprende del contexto, apartamos uno de cada cuatro nombres, apellidos, lugares y organizaciones: las frases de entrenamiento que los mencionan se descartan. La prueba se genera con otra semilla y se divide en dos: frases cuyas palabras de entidad aparecen todas en el entrenamiento, y frases con al menos una palabra de entidad nueva.

# %% [markdown] lang="en"
# ## The data and an honest test
#
# The sentences come from `dlcourse.data.corpus.tagged_sentences`, which fills 12 templates with random first names, surnames, cities, organizations and dates. A tagger could get a perfect score simply by **remembering** that "Lima" is a place. To see what it learns from context, we set aside one in four first names, surnames, places and organizations: training sentences that mention them are dropped. The test set is generated with another seed and split in two: sentences whose entity words all occur in training, and sentences with at least one new entity word.

# %%
import torch
from dlcourse.bilingual import align, claim, number, percent, publish, quote, tr
from dlcourse.data.corpus import tagged_sentences
from dlcourse.lessons.ner_bilstm import (
    ERROR_KINDS,
    TAGS,
    BiLSTMTagger,
    Span,
    bio_spans,
    build_vocabulary,
    encode,
    entity_scores,
    error_kinds,
    held_out_split,
    lookup_tagger,
    predict_tags,
    recall_where,
    render,
    score_table,
    tag_confusion,
    tagging_loss,
    train_tagger,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all, seed_torch

seed_all(0)
split = held_out_split(2500, 1000)  # training from seed 0, test from seed 1
n_train, n_seen, n_new = (
    len(split.train),
    len(split.test_seen),
    len(split.test_new),
)
print(tr(es="etiquetas", en="tag set"), f"({len(TAGS)}):", " ".join(TAGS))
print(
    tr(
        es=f"frases de entrenamiento: {n_train} de {split.generated_train} "
        "generadas (las demás nombran una entidad apartada)",
        en=f"training sentences: {n_train} of {split.generated_train} "
        "generated (the rest name a held-out entity)",
    )
)
print(
    tr(es="apartadas del entrenamiento:", en="held out of training:"),
    ", ".join(sorted(split.held_out)),
)
print(
    tr(
        es=f"frases de prueba: {n_seen} solo con palabras de entidad vistas · "
        f"{n_new} con al menos una nueva",
        en=f"test sentences: {n_seen} with only seen entity words · "
        f"{n_new} with at least one new one",
    )
)
example = split.train[0]
print("\n" + align("token", 15, "<") + tr(es="etiqueta", en="tag"))
for token, tag in zip(example.tokens, example.tags, strict=True):
    print(align(quote(token), 15, "<") + tag)
print(
    "\n" + tr(es="más frases de entrenamiento:", en="more training sentences:")
)
for sentence in split.train[1:6]:
    print("  " + quote(render(sentence.tokens, sentence.tags)))

# %% [markdown] lang="es"
# ## De etiquetas a entidades
#
# Para evaluar hay que leer las entidades de vuelta a partir de las etiquetas. Un etiquetador que decide cada token por separado puede producir un `I-PER` sin `B-PER` delante; el script de evaluación de CoNLL (`conlleval`) lo interpreta como el comienzo de una entidad nueva, y `bio_spans` hace lo mismo. Probamos con una predicción inventada que comete dos tipos de fallo.

# %% [markdown] lang="en"
# ## From tags to entities
#
# To evaluate, we have to read the entities back from the tags. A tagger that decides each token on its own can produce an `I-PER` with no `B-PER` before it; the CoNLL evaluation script (`conlleval`) reads it as the start of a new entity, and so does `bio_spans`. We try it on a made-up prediction that makes two kinds of mistake.

# %%
tokens = [
    "El",
    "lunes",
    "Ana",
    "Ruiz",
    "viajó",
    "a",
    "Santiago",
    "de",
    "Chile",
    ".",
]
reference = [
    "O",
    "B-DATE",
    "B-PER",
    "I-PER",
    "O",
    "O",
    "B-LOC",
    "I-LOC",
    "I-LOC",
    "O",
]
guess = ["O", "B-DATE", "I-PER", "I-PER", "O", "O", "B-LOC", "O", "B-LOC", "O"]
REFERENCE = align(tr(es="referencia:", en="reference:"), 12, "<")
GUESS = align(tr(es="predicción:", en="guess:"), 12, "<")


def spans_text(tags: list[str]) -> str:
    return ", ".join(
        f"{kind} [{start}, {end})" for kind, start, end in bio_spans(tags)
    )


print(REFERENCE, quote(render(tokens, reference)), "·", spans_text(reference))
print(GUESS, quote(render(tokens, guess)), "·", spans_text(guess))
print(score_table(entity_scores([reference], [guess])))

# %% [markdown] lang="es"
# ## Relleno y longitudes
#
# Las frases tienen longitudes distintas, pero un lote es un tensor rectangular. `encode` rellena cada frase hasta la más larga con el identificador de `<pad>` y pone en las etiquetas de relleno el valor $-100$, el `ignore_index` de `F.cross_entropy`, así que la pérdida no las cuenta. Además, como en la lección anterior, el modelo empaqueta el lote con las longitudes reales (`pack_padded_sequence`); aquí importa todavía más, porque sin eso la LSTM que lee hacia atrás empezaría por el relleno y llegaría a la última palabra con un estado contaminado. La prueba: la misma pérdida con y sin relleno extra {{ claim: padding_ignored }}.

# %% [markdown] lang="en"
# ## Padding and lengths
#
# Sentences have different lengths, but a batch is a rectangular tensor. `encode` pads each sentence up to the longest one with the `<pad>` id and gives padded positions the tag value $-100$, the `ignore_index` of `F.cross_entropy`, so the loss does not count them. As in the previous lesson, the model also packs the batch with the true lengths (`pack_padded_sequence`); here it matters even more, because without it the LSTM reading backwards would start on the padding and reach the last word with a polluted state. The test: the same loss with and without extra padding {{ claim: padding_ignored }}.

# %%
vocab = build_vocabulary(split.train)
data = encode(split.train, vocab)
print(
    tr(
        es=f"vocabulario: {len(vocab)} palabras, incluidas <pad> "
        f"(id {vocab.pad_id}) y <unk> (id {vocab.unk_id})",
        en=f"vocabulary: {len(vocab)} words, including <pad> "
        f"(id {vocab.pad_id}) and <unk> (id {vocab.unk_id})",
    )
)
shapes = [tuple(t.shape) for t in (data.words, data.tags, data.lengths)]
shortest, longest = int(data.lengths.min()), int(data.lengths.max())
print(
    tr(
        es=f"palabras {shapes[0]} · etiquetas {shapes[1]} · longitudes "
        f"{shapes[2]}, de {shortest} a {longest} tokens",
        en=f"words {shapes[0]} · tags {shapes[1]} · lengths "
        f"{shapes[2]}, from {shortest} to {longest} tokens",
    )
)
row = int(data.lengths.argmin())
print(
    tr(es="frase más corta:", en="shortest sentence:"),
    quote(split.train[row].text),
)
print(
    "  " + tr(es="ids de palabras:  ", en="word ids:"), data.words[row].tolist()
)
print(
    "  " + tr(es="ids de etiquetas: ", en="tag ids: "), data.tags[row].tolist()
)

seed_torch(0)
untrained = BiLSTMTagger(len(vocab), padding_idx=vocab.pad_id).eval()
padded_losses = []
for width in (0, 40):
    batch = encode(split.train[:8], vocab, pad_to=width)
    with torch.no_grad():
        loss = tagging_loss(untrained(batch.words, batch.lengths), batch.tags)
    padded_losses.append(loss.item())
    n = batch.words.shape[1]
    print(
        tr(
            es=f"pérdida sin entrenar, 8 frases rellenadas hasta {n:2d} "
            "tokens: ",
            en=f"untrained loss on 8 sentences padded to {n:2d} tokens: ",
        )
        + number(loss.item(), ".6f")
    )
claim(
    "padding_ignored",
    abs(padded_losses[0] - padded_losses[1]) < 1e-6,
    es="con relleno extra la pérdida no cambia (diferencia < 10⁻⁶)",
    en="with extra padding the loss does not change (difference < 10⁻⁶)",
)

# %% [markdown] lang="es"
# ## Entrenar tres etiquetadores
#
# Un nombre apartado se convierte en `<unk>` al codificarlo, pero `<unk>` no aparece nunca en las frases de entrenamiento, así que su incrustación se queda en su valor aleatorio inicial. Por eso entrenamos con ***dropout* de palabras**: en cada lote, cada palabra se sustituye por `<unk>` con probabilidad 0,1, y el modelo aprende a etiquetar una palabra desconocida a partir de las que la rodean. Comparamos tres variantes con los mismos datos, 8 épocas y Adam: la BiLSTM con *dropout* de palabras, la misma sin él y una LSTM que solo lee hacia delante (con *dropout* de palabras).

# %% [markdown] lang="en"
# ## Training three taggers
#
# A held-out name becomes `<unk>` when encoded, but `<unk>` never occurs in the training sentences, so its embedding stays at its random initial value. That is why we train with **word dropout**: in every batch, each word is replaced by `<unk>` with probability 0.1, and the model learns to tag an unknown word from the words around it. We compare three variants with the same data, 8 epochs and Adam: the BiLSTM with word dropout, the same without it, and an LSTM that only reads forwards (with word dropout).

# %%
EPOCHS = 8
variants = {
    "BiLSTM": {},
    "BiLSTM, no word dropout": {"word_dropout": 0.0},
    "forward LSTM": {"bidirectional": False},
}
LABEL = {
    "all O": tr(es="todo O", en="all O"),
    "memory": tr(es="memoria", en="memory"),
    "BiLSTM": "BiLSTM",
    "BiLSTM, no word dropout": tr(
        es="BiLSTM sin dropout de pal.", en="BiLSTM, no word dropout"
    ),
    "forward LSTM": tr(es="LSTM hacia delante", en="forward LSTM"),
}
runs = {
    name: train_tagger(data, vocab, epochs=EPOCHS, seed=0, **options)
    for name, options in variants.items()
}
n_params = sum(p.numel() for p in runs["BiLSTM"].model.parameters())
print(
    tr(
        es="parámetros del etiquetador BiLSTM:",
        en="parameters of the BiLSTM tagger:",
    ),
    number(n_params, ",d"),
)
print(tr(es="pérdida de entrenamiento por token", en="training loss per token"))
WIDTHS = (10, 28, 22)  # one column per tagger
print(
    align(tr(es="época", en="epoch"), 5)
    + "".join(
        align(LABEL[name], w) for name, w in zip(runs, WIDTHS, strict=True)
    )
)
for epoch in range(EPOCHS):
    print(
        f"{epoch + 1:5d}"
        + "".join(
            number(run.losses[epoch], f"{w}.4f")
            for run, w in zip(runs.values(), WIDTHS, strict=True)
        )
    )

fig, ax = new_figure(width=5.8, height=3.6)
styles = {"BiLSTM": "-", "BiLSTM, no word dropout": "--", "forward LSTM": ":"}
for k, (name, run) in enumerate(runs.items()):
    ax.plot(
        range(1, EPOCHS + 1),
        run.losses,
        styles[name],
        color=PALETTE[k],
        marker="o",
        label=LABEL[name],
    )
ax.set_yscale("log")
ax.set(
    title=tr(es="Pérdida de entrenamiento", en="Training loss"),
    xlabel=tr(es="época", en="epoch"),
    ylabel=tr(es="entropía cruzada (log)", en="cross-entropy (log)"),
)
ax.legend()
final = {name: number(run.losses[-1]) for name, run in runs.items()}
set_alt(
    fig,
    es="Pérdida de entrenamiento por token en escala logarítmica durante "
    f"{EPOCHS} épocas para tres etiquetadores. Todas bajan; al final, la "
    "BiLSTM sin dropout de palabras queda en "
    f"{final['BiLSTM, no word dropout']}, la BiLSTM con dropout de palabras "
    f"en {final['BiLSTM']} y la LSTM hacia delante en {final['forward LSTM']}.",
    en=f"Training loss per token on a log scale over {EPOCHS} epochs for three "
    "taggers. All of them fall; at the end the BiLSTM without word dropout is "
    f"at {final['BiLSTM, no word dropout']}, the BiLSTM with word dropout at "
    f"{final['BiLSTM']} and the forward LSTM at {final['forward LSTM']}.",
)

# %% [markdown] lang="es"
# ## Resultados por entidad
#
# Añadimos dos referencias sin red: **todo O**, que no marca ninguna entidad, y **memoria**, que da a cada palabra conocida la etiqueta que más veces tuvo en el entrenamiento y `O` a las desconocidas. La exactitud por token se incluye para ver por qué no sirve como medida de NER.

# %% [markdown] lang="en"
# ## Entity-level results
#
# We add two baselines without a network: **all O**, which marks no entity at all, and **memory**, which gives each known word the tag it had most often in training and `O` to unknown words. Token accuracy is included to see why it is no measure for NER.

# %%
tests = {"seen": split.test_seen, "new": split.test_new}
gold = {key: [s.tags for s in sentences] for key, sentences in tests.items()}
memory = lookup_tagger(split.train)
predictions = {
    "all O": {
        key: [["O"] * len(s.tokens) for s in sents]
        for key, sents in tests.items()
    },
    "memory": {
        key: [memory(s.tokens) for s in sents] for key, sents in tests.items()
    },
} | {
    name: {
        key: predict_tags(run.model, sents, vocab)
        for key, sents in tests.items()
    }
    for name, run in runs.items()
}


def token_accuracy(gold_tags, predicted_tags) -> float:
    pairs = [
        (g, p)
        for gs, ps in zip(gold_tags, predicted_tags, strict=True)
        for g, p in zip(gs, ps, strict=True)
    ]
    return sum(g == p for g, p in pairs) / len(pairs)


f1 = {
    name: {key: entity_scores(gold[key], pred[key])["all"].f1 for key in tests}
    for name, pred in predictions.items()
}
accuracy = {
    name: {key: token_accuracy(gold[key], pred[key]) for key in tests}
    for name, pred in predictions.items()
}
SEEN, NEW = tr(es="vistas", en="seen"), tr(es="nuevas", en="new")
print(
    " " * 27
    + align(tr(es="F1 por entidad", en="entity F1"), 16, "^")
    + "  "
    + align(tr(es="exactitud por token", en="token accuracy"), 19, "^")
)
print(
    align(tr(es="etiquetador", en="tagger"), 27, "<")
    + align(SEEN, 8)
    + align(NEW, 8)
    + "  "
    + align(SEEN, 9)
    + align(NEW, 9)
)
for name in predictions:
    print(
        align(LABEL[name], 27, "<")
        + number(f1[name]["seen"], "8.3f")
        + number(f1[name]["new"], "8.3f")
        + "  "
        + number(accuracy[name]["seen"], "9.3f")
        + number(accuracy[name]["new"], "9.3f")
    )
bilstm_scores = {
    key: entity_scores(gold[key], predictions["BiLSTM"][key]) for key in tests
}
for key, words in (("seen", SEEN), ("new", NEW)):
    print(
        "\n"
        + tr(
            es=f"BiLSTM, frases de prueba con palabras de entidad {words}:",
            en=f"BiLSTM, test sentences with {words} entity words:",
        )
    )
    print(score_table(bilstm_scores[key]))

fig, ax = new_figure(width=7.4, height=3.8)
names = list(predictions)
width = 0.38
for j, (key, label) in enumerate((("seen", SEEN), ("new", NEW))):
    positions = [i + (j - 0.5) * width for i in range(len(names))]
    heights = [f1[name][key] for name in names]
    ax.bar(positions, heights, width, color=PALETTE[j], label=label)
ax.set_xticks(
    range(len(names)),
    [
        LABEL["all O"],
        LABEL["memory"],
        "BiLSTM",
        tr(es="BiLSTM sin\ndropout de pal.", en="BiLSTM, no\nword dropout"),
        tr(es="LSTM hacia\ndelante", en="forward\nLSTM"),
    ],
)
ax.set(
    title=tr(es="F1 por entidad", en="Entity-level F1"),
    xlabel=tr(es="etiquetador", en="tagger"),
    ylabel="F1",
    ylim=(0, 1.05),
)
ax.legend(
    title=tr(es="palabras de entidad", en="entity words"), loc="upper left"
)
F = {
    name: {k: number(v, ".2f") for k, v in by.items()}
    for name, by in f1.items()
}
set_alt(
    fig,
    es="Barras de F1 por entidad en las frases con palabras de entidad vistas "
    "y nuevas para cinco etiquetadores. Todo O da 0; la memoria da "
    f"{F['memory']['seen']} y {F['memory']['new']}; la BiLSTM, "
    f"{F['BiLSTM']['seen']} y {F['BiLSTM']['new']}; sin dropout de palabras, "
    f"{F['BiLSTM, no word dropout']['new']} en las nuevas; la LSTM hacia "
    f"delante, {F['forward LSTM']['new']} en las nuevas.",
    en="Bars of entity-level F1 on the sentences with seen and with new entity "
    "words for five taggers. All O gives 0; memory gives "
    f"{F['memory']['seen']} and {F['memory']['new']}; the BiLSTM "
    f"{F['BiLSTM']['seen']} and {F['BiLSTM']['new']}; without word dropout "
    f"{F['BiLSTM, no word dropout']['new']} on the new ones; the forward LSTM "
    f"{F['forward LSTM']['new']} on the new ones.",
)

networks = list(runs)
memory_seen_errors = error_kinds(gold["seen"], predictions["memory"]["seen"])
new_scores = bilstm_scores["new"]
publish("nets_seen_f1", min(f1[n]["seen"] for n in networks))
publish("memory_seen_f1", f1["memory"]["seen"])
publish("all_o_token", percent(accuracy["all O"]["new"]))
publish("memory_new_token", percent(accuracy["memory"]["new"], 1))
publish("memory_new_f1", f1["memory"]["new"])
publish("bilstm_new_f1", new_scores["all"].f1)
publish("bilstm_new_precision", new_scores["all"].precision)
publish("bilstm_new_recall", new_scores["all"].recall)
for kind in ("PER", "LOC", "ORG", "DATE"):
    publish(f"bilstm_new_{kind.lower()}", new_scores[kind].f1)
claim(
    "nets_seen_perfect",
    min(f1[n]["seen"] for n in networks) >= 0.99,
    es="con palabras de entidad vistas, las tres redes pasan de F1 = 0,99",
    en="with seen entity words, the three networks exceed F1 = 0.99",
)
claim(
    "memory_seen_boundary",
    f1["memory"]["seen"] < 0.8
    and memory_seen_errors["wrong boundary"]
    > sum(memory_seen_errors.values()) / 2,
    es="la memoria se queda por debajo de F1 = 0,8 con palabras vistas, y más "
    "de la mitad de sus fallos ahí son de frontera",
    en="memory stays below F1 = 0.8 with seen words, and more than half of its "
    "mistakes there are boundary errors",
)
claim(
    "all_o_finds_nothing",
    f1["all O"]["new"] == 0 and accuracy["all O"]["new"] > 0.5,
    es="«todo O» acierta más de la mitad de los tokens con F1 = 0",
    en="“all O” gets more than half of the tokens right with F1 = 0",
)
claim(
    "token_accuracy_misleads",
    accuracy["memory"]["new"] > f1["memory"]["new"] + 0.2,
    es="con nombres nuevos, la exactitud por token de la memoria supera a su "
    "F1 en más de 0,2",
    en="with new names, memory's token accuracy exceeds its F1 by more than "
    "0.2",
)
claim(
    "per_date_high",
    min(new_scores["PER"].f1, new_scores["DATE"].f1) > 0.95,
    es="con nombres nuevos, personas y fechas pasan de F1 = 0,95",
    en="with new names, people and dates exceed F1 = 0.95",
)
claim(
    "loc_org_lowest",
    max(new_scores["LOC"].f1, new_scores["ORG"].f1)
    < min(new_scores["PER"].f1, new_scores["DATE"].f1),
    es="lugares y organizaciones tienen el F1 más bajo de los cuatro tipos",
    en="places and organizations have the lowest F1 of the four types",
)


def multiword_unknown(sentence, span: Span) -> bool:
    """Whether an entity has several words, none of them in the vocabulary."""
    words = sentence.tokens[span.start : span.end]
    return len(words) > 1 and all(w not in vocab for w in words)


missed_places = [
    multiword_unknown(sentence, span)
    for sentence, predicted in zip(
        split.test_new, predictions["BiLSTM"]["new"], strict=True
    )
    for span in set(bio_spans(sentence.tags)) - set(bio_spans(predicted))
    if span.kind in ("LOC", "ORG")
]
multiword_share = sum(missed_places) / max(1, len(missed_places))
publish("multiword_share", percent(multiword_share))
claim(
    "multiword_unknown_fail",
    multiword_share > 0.5,
    es="más de la mitad de los lugares y organizaciones que la BiLSTM no "
    "encuentra tienen varias palabras, todas desconocidas",
    en="more than half of the places and organizations the BiLSTM misses have "
    "several words, all unknown",
)

# %% [markdown] lang="es"
# ## Por qué dos direcciones
#
# En 7 de las 12 plantillas la frase **empieza** por una entidad: «{PER} trabaja en…», «{ORG} contrató a…». Si el nombre es nuevo, la LSTM hacia delante solo ha visto `<unk>` al llegar a ese token y no puede saber si es una persona o una organización. Contamos qué fracción de las personas de la prueba con nombres nuevos se encuentra exactamente, según estén al principio de la frase o no.

# %% [markdown] lang="en"
# ## Why two directions
#
# In 7 of the 12 templates the sentence **starts** with an entity: "{PER} trabaja en…" ("works at"), "{ORG} contrató a…" ("hired"). If the name is new, the forward LSTM has only seen `<unk>` when it reaches that token and cannot know whether it is a person or an organization. We count which fraction of the people in the test with new names is found exactly, depending on whether they open the sentence or not.

# %%
print(
    tr(
        es="exhaustividad de las entidades PER, prueba con palabras de entidad "
        "nuevas",
        en="recall of PER entities, test with new entity words",
    )
)
print(
    align(tr(es="etiquetador", en="tagger"), 27, "<")
    + align(tr(es="al principio", en="at the start"), 18, "<")
    + tr(es="más adelante en la frase", en="later in the sentence")
)
person_recall = {}
for name in ("forward LSTM", "BiLSTM"):
    start = recall_where(
        gold["new"],
        predictions[name]["new"],
        lambda s: s.kind == "PER" and s.start == 0,
    )
    later = recall_where(
        gold["new"],
        predictions[name]["new"],
        lambda s: s.kind == "PER" and s.start > 0,
    )
    person_recall[name] = (start, later)
    print(
        align(LABEL[name], 27, "<")
        + f"{start[0]:4d}/{start[1]} = {number(start[0] / start[1])}   "
        + f"{later[0]:4d}/{later[1]} = {number(later[0] / later[1])}"
    )
(fwd_start, fwd_later), (bi_start, _) = person_recall.values()
publish("forward_start_found", fwd_start[0])
publish("forward_start_total", fwd_start[1])
publish("forward_start_recall", fwd_start[0] / fwd_start[1])
publish("forward_later_share", percent(fwd_later[0] / fwd_later[1], 1))
publish("bilstm_start_found", bi_start[0])
claim(
    "forward_misses_start",
    fwd_start[0] / fwd_start[1] < 0.75 and fwd_later[0] / fwd_later[1] > 0.9,
    es="la LSTM hacia delante encuentra más del 90 % de las personas a mitad "
    "de frase y menos del 75 % de las que la abren",
    en="the forward LSTM finds more than 90% of the people mid-sentence and "
    "fewer than 75% of those that open it",
)
claim(
    "bilstm_finds_start",
    bi_start[0] / bi_start[1] > 0.95,
    es="la BiLSTM encuentra más del 95 % de las personas que abren la frase",
    en="the BiLSTM finds more than 95% of the people that open the sentence",
)

# %% [markdown] lang="es"
# ## Errores
#
# Clasificamos cada entidad fallada: **tipo equivocado** (los mismos tokens con otro tipo), **frontera equivocada** (una predicción la solapa en parte), **perdida** (nada la toca) y **espuria** (una predicción que no solapa ninguna entidad real). La matriz de confusión por etiquetas de la BiLSTM en la prueba con nombres nuevos muestra dónde se equivoca token a token.

# %% [markdown] lang="en"
# ## Errors
#
# We classify each failed entity: **wrong type** (the same tokens with another type), **wrong boundary** (a prediction partly overlaps it), **missed** (nothing touches it) and **spurious** (a prediction that overlaps no real entity). The BiLSTM's tag confusion matrix on the test with new names shows where it goes wrong token by token.

# %%
KIND_LABEL = {
    "wrong type": tr(es="tipo erróneo", en="wrong type"),
    "wrong boundary": tr(es="frontera errónea", en="wrong boundary"),
    "missed": tr(es="perdidas", en="missed"),
    "spurious": tr(es="espurias", en="spurious"),
}
KIND_WIDTH = (14, 17, 10, 10)
print(
    tr(
        es=f"errores en las {n_new} frases de prueba con palabras de entidad "
        "nuevas",
        en=f"errors on the {n_new} test sentences with new entity words",
    )
)
print(
    align(tr(es="etiquetador", en="tagger"), 27, "<")
    + "".join(
        align(KIND_LABEL[kind], width)
        for kind, width in zip(ERROR_KINDS, KIND_WIDTH, strict=True)
    )
)
errors = {}
for name in ("memory", "forward LSTM", "BiLSTM, no word dropout", "BiLSTM"):
    errors[name] = error_kinds(gold["new"], predictions[name]["new"])
    print(
        align(LABEL[name], 27, "<")
        + "".join(
            f"{errors[name][kind]:{width}d}"
            for kind, width in zip(ERROR_KINDS, KIND_WIDTH, strict=True)
        )
    )
bilstm_errors = errors["BiLSTM"]
failed = sum(
    bilstm_errors[k] for k in ("wrong type", "wrong boundary", "missed")
)
publish("bilstm_failed", failed)
publish("bilstm_boundary", bilstm_errors["wrong boundary"])
publish("bilstm_missed", bilstm_errors["missed"])
publish("nodrop_wrong_type", errors["BiLSTM, no word dropout"]["wrong type"])
publish("bilstm_wrong_type", bilstm_errors["wrong type"])
claim(
    "boundary_dominates",
    bilstm_errors["wrong boundary"] > 0.8 * failed,
    es="más del 80 % de las entidades que la BiLSTM no encuentra exactamente "
    "son errores de frontera",
    en="more than 80% of the entities the BiLSTM does not find exactly are "
    "boundary errors",
)

matrix = tag_confusion(gold["new"], predictions["BiLSTM"]["new"])
fig, ax = new_figure(width=5.8, height=5.0)
shares = matrix / matrix.sum(axis=1, keepdims=True)
image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
ax.grid(False)
cells = [(i, j) for i in range(len(TAGS)) for j in range(len(TAGS))]
for (i, j), count in zip(cells, matrix.flatten(), strict=True):
    if count:
        color = "white" if shares[i, j] > 0.5 else "#222222"
        ax.text(
            j, i, str(count), ha="center", va="center", fontsize=8, color=color
        )
ax.set(
    xticks=range(len(TAGS)),
    yticks=range(len(TAGS)),
    xticklabels=TAGS,
    yticklabels=TAGS,
    title=tr(es="Confusión de etiquetas", en="Tag confusion"),
    xlabel=tr(es="predicha", en="predicted"),
    ylabel=tr(es="real", en="true"),
)
ax.tick_params(axis="x", rotation=45)
fig.colorbar(
    image, ax=ax, shrink=0.8, label=tr(es="fracción de la fila", en="row share")
)
off = [(TAGS[i], TAGS[j], int(matrix[i, j])) for i, j in cells if i != j]
off = sorted((c for c in off if c[2]), key=lambda c: -c[2])[:2]
top_confusions = {
    "es": " y ".join(f"{n} tokens {g} etiquetados {p}" for g, p, n in off),
    "en": " and ".join(f"{n} {g} tokens tagged {p}" for g, p, n in off),
}
publish("top_confusions", tr(**top_confusions))
claim(
    "confusions_in_places_orgs",
    len(off) == 2 and all(g[2:] in ("LOC", "ORG") for g, _, _ in off),
    es="las dos mayores confusiones de etiquetas son de tokens de lugares u "
    "organizaciones",
    en="the two largest tag confusions are of place or organization tokens",
)
set_alt(
    fig,
    es="Matriz de confusión de 9 por 9 etiquetas BIO de la BiLSTM en las "
    "frases con palabras de entidad nuevas; el color es la fracción de "
    "cada fila y los números, recuentos de tokens. Casi todo está en la "
    "diagonal; las mayores confusiones son "
    + " y ".join(f"{g} predicha como {p} ({n} tokens)" for g, p, n in off)
    + ".",
    en="A 9 by 9 confusion matrix of BIO tags for the BiLSTM on the "
    "sentences with new entity words; color is the share of each row and "
    "the numbers are token counts. Almost everything is on the diagonal; "
    "the largest confusions are "
    + " and ".join(f"{g} predicted as {p} ({n} tokens)" for g, p, n in off)
    + ".",
)

nodrop = "BiLSTM, no word dropout"
publish("nodrop_loss", runs[nodrop].losses[-1])
publish("nodrop_new_f1", f1[nodrop]["new"])
claim(
    "nodrop_overfits",
    runs[nodrop].losses[-1] == min(run.losses[-1] for run in runs.values())
    and f1[nodrop]["new"] == min(f1[n]["new"] for n in networks)
    and errors[nodrop]["wrong type"] > bilstm_errors["wrong type"],
    es="sin dropout de palabras, la BiLSTM tiene la menor pérdida de "
    "entrenamiento, el peor F1 de las tres redes con nombres nuevos y más "
    "errores de tipo que con él",
    en="without word dropout the BiLSTM has the lowest training loss, the "
    "worst F1 of the three networks with new names and more wrong-type "
    "errors than with it",
)

# %% [markdown] lang="es"
# Algunas frases de la prueba en las que la BiLSTM falla, con la referencia debajo:

# %% [markdown] lang="en"
# Some test sentences where the BiLSTM fails, with the reference underneath:

# %%
wrong = [
    (s, p)
    for s, p in zip(split.test_new, predictions["BiLSTM"]["new"], strict=True)
    if list(s.tags) != p
]
print(
    tr(
        es=f"{len(wrong)} de {n_new} frases tienen al menos una etiqueta "
        "errónea",
        en=f"{len(wrong)} of {n_new} sentences have at least one wrong tag",
    )
)
PREDICTED = align(tr(es="predicha:", en="predicted:"), 11, "<")
REFERENCE_ROW = align(tr(es="referencia:", en="reference:"), 11, "<")
shown: set[str] = set()
for sentence, predicted in wrong:
    if sentence.entities()[0][0] in shown:  # for variety: one per first type
        continue
    shown.add(sentence.entities()[0][0])
    print(PREDICTED, quote(render(sentence.tokens, predicted)))
    print(REFERENCE_ROW, quote(render(sentence.tokens, sentence.tags)) + "\n")

# %% [markdown] lang="es"
# ## Frases escritas a mano
#
# Por último, frases que no salen del generador: nombres que no existen en el corpus, un año futuro, una organización nueva, una persona con un solo nombre y una frase que no sigue ninguna plantilla.

# %% [markdown] lang="en"
# ## Hand-written sentences
#
# Finally, sentences that do not come from the generator: names that do not exist in the corpus, a future year, a new organization, a person with a single name and a sentence that follows no template.

# %%
handmade = [
    "Valentina Quispe viajó a Cusco el 3 de mayo .",
    "La Fundación Aurora contrató a Omar Haddad el viernes .",
    "El Instituto de Física abrirá una nueva sede en Quito en 2030 .",
    "Omar trabaja en Cusco desde 2020 .",
    "Ayer Valentina Quispe visitó Cusco con su hermana .",
]
expected = [  # the entities a careful reader would mark
    {Span("PER", 0, 2), Span("LOC", 4, 5), Span("DATE", 6, 9)},
    {Span("ORG", 1, 3), Span("PER", 5, 7), Span("DATE", 8, 9)},
    {Span("ORG", 1, 4), Span("LOC", 9, 10), Span("DATE", 11, 12)},
    {Span("PER", 0, 1), Span("LOC", 3, 4), Span("DATE", 5, 6)},
    {Span("PER", 1, 3), Span("LOC", 4, 5)},
]
tokenized = [sentence.split() for sentence in handmade]
handmade_tags = predict_tags(runs["BiLSTM"].model, tokenized, vocab)
for tokens, predicted in zip(tokenized, handmade_tags, strict=True):
    unknown = [t for t in tokens if t not in vocab]
    print(quote(render(tokens, predicted)))
    print(
        "    "
        + tr(es="palabras desconocidas:", en="unknown words:")
        + " "
        + (
            ", ".join(map(quote, unknown))
            if unknown
            else tr(es="ninguna", en="none")
        )
    )
found = [
    len(want & set(bio_spans(tags)))
    for want, tags in zip(expected, handmade_tags, strict=True)
]
year = tokenized[2].index("2030")
respelled = [*tokenized[2][:year], "Xq7", *tokenized[2][year + 1 :]]
respelled_tags = predict_tags(runs["BiLSTM"].model, [respelled], vocab)[0]
tag_2030 = handmade_tags[2][year]
publish("tag_2030", tag_2030 if tag_2030 == "O" else tag_2030[2:])
publish("omar_found", found[3])
publish("free_found", found[4])
claim(
    "template_names_ok",
    found[0] == len(expected[0]) and found[1] == len(expected[1]),
    es="en las dos primeras frases, con plantilla conocida y nombres nuevos, "
    "todas las entidades salen exactas",
    en="in the first two sentences, with a known template and new names, every "
    "entity comes out exactly right",
)
claim(
    "no_spelling",
    "2030" not in vocab and respelled_tags == handmade_tags[2],
    es="«2030» es <unk> y, cambiado por otra palabra desconocida, las "
    "etiquetas de la frase no cambian",
    en="“2030” is <unk>, and replaced by another unknown word the sentence's "
    "tags do not change",
)
claim(
    "off_template_fails",
    found[4] < len(expected[4]),
    es="en la frase que no sigue ninguna plantilla, alguna entidad no sale "
    "exacta",
    en="in the sentence that follows no template, some entity is not found "
    "exactly",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - En las frases cuyas palabras de entidad ya se vieron, las tres redes llegan a F1 = {{ value: nets_seen_f1 }} {{ claim: nets_seen_perfect }}: con vocabulario conocido y 12 plantillas, la tarea es fácil. La **memoria**, en cambio, se queda en {{ value: memory_seen_f1 }} incluso ahí, porque la misma palabra cambia de papel según el contexto: «de» aparece dentro de fechas, lugares y organizaciones, y «Salamanca», «Lima» o «Valencia» son lugares o parte del nombre de una organización. La mayoría de sus fallos son de frontera {{ claim: memory_seen_boundary }}.
# - La exactitud por token engaña: en la prueba con nombres nuevos, «todo O» acierta el {{ value: all_o_token }} de los tokens sin encontrar una sola entidad {{ claim: all_o_finds_nothing }}, y la memoria acierta el {{ value: memory_new_token }} con un F1 de solo {{ value: memory_new_f1 }} {{ claim: token_accuracy_misleads }}. Por eso CoNLL mide entidades completas.
# - Con nombres nuevos, la BiLSTM obtiene F1 = {{ value: bilstm_new_f1 }} (precisión {{ value: bilstm_new_precision }}, exhaustividad {{ value: bilstm_new_recall }}). Las personas y las fechas salen casi perfectas ({{ value: bilstm_new_per }} y {{ value: bilstm_new_date }}) {{ claim: per_date_high }}: el contexto («… trabaja en», «contrató a …») basta. Los fallos se concentran en lugares ({{ value: bilstm_new_loc }}) y organizaciones ({{ value: bilstm_new_org }}) {{ claim: loc_org_lowest }}, sobre todo en los de **varias palabras todas desconocidas**, como «Buenos Aires» o «Naciones Unidas»: son el {{ value: multiword_share }} de los lugares y organizaciones que no encuentra {{ claim: multiword_unknown_fail }}. Ante dos `<unk>` seguidos, el modelo no sabe si son una entidad o dos. De las {{ value: bilstm_failed }} entidades que no encuentra exactamente, {{ value: bilstm_boundary }} son errores de frontera y {{ value: bilstm_missed }} se pierden del todo {{ claim: boundary_dominates }}; en la matriz de confusión destacan {{ value: top_confusions }} {{ claim: confusions_in_places_orgs }}.
# - Sin *dropout* de palabras, la BiLSTM tiene la pérdida de entrenamiento más baja ({{ value: nodrop_loss }}) y generaliza peor (F1 = {{ value: nodrop_new_f1 }} con nombres nuevos, {{ value: nodrop_wrong_type }} errores de tipo frente a {{ value: bilstm_wrong_type }}) {{ claim: nodrop_overfits }}: la incrustación de `<unk>` nunca se entrenó. Una pérdida de entrenamiento menor no es un modelo mejor.
# - La LSTM que solo lee hacia delante encuentra el {{ value: forward_later_share }} de las personas que van a mitad de frase, pero solo {{ value: forward_start_found }} de {{ value: forward_start_total }} ({{ value: forward_start_recall }}) de las que abren la frase {{ claim: forward_misses_start }}: allí solo ha visto `<unk>`. La BiLSTM encuentra {{ value: bilstm_start_found }} de esas {{ value: forward_start_total }}, porque su mitad hacia atrás ya ha leído el verbo {{ claim: bilstm_finds_start }}.
# - Las frases escritas a mano muestran qué ha aprendido de verdad. Con una plantilla conocida, nombres que no existen en el corpus («Valentina Quispe», «Cusco», «Fundación Aurora», «Omar Haddad») salen bien {{ claim: template_names_ok }}. Pero el modelo no puede mirar la ortografía: «2030» es para él un `<unk>` como cualquier otro, y si lo cambiamos por otra palabra desconocida las etiquetas de la frase no cambian {{ claim: no_spelling }} (aquí lo etiqueta como {{ value: tag_2030 }}); las representaciones por caracteres de Lample et al. (2016) verían que son cifras. «Omar trabaja en Cusco desde 2020» tiene dos trampas: una persona con un solo nombre (en el entrenamiento todas las personas tienen nombre y apellido) y un lugar donde, en las plantillas, «trabaja en … desde» siempre va seguido de una organización; de sus tres entidades, el modelo encuentra exactamente {{ value: omar_found }}. Y la frase que no sigue ninguna plantilla falla: de sus dos entidades encuentra exactamente {{ value: free_found }} {{ claim: off_template_fails }}. El modelo ha aprendido las plantillas, no el mundo. Los corpus reales, como el de CoNLL-2002, tienen contextos mucho más variados.

# %% [markdown] lang="en"
# ## What to notice
#
# - On the sentences whose entity words were all seen, the three networks reach F1 = {{ value: nets_seen_f1 }} {{ claim: nets_seen_perfect }}: with a known vocabulary and 12 templates the task is easy. **Memory**, on the other hand, stays at {{ value: memory_seen_f1 }} even there, because the same word changes role with its context: "de" ("of") appears inside dates, places and organizations, and "Salamanca", "Lima" or "Valencia" are places or part of an organization's name. Most of its mistakes are boundary errors {{ claim: memory_seen_boundary }}.
# - Token accuracy is misleading: on the test with new names, "all O" gets {{ value: all_o_token }} of the tokens right without finding a single entity {{ claim: all_o_finds_nothing }}, and memory gets {{ value: memory_new_token }} right with an F1 of only {{ value: memory_new_f1 }} {{ claim: token_accuracy_misleads }}. That is why CoNLL scores whole entities.
# - With new names the BiLSTM reaches F1 = {{ value: bilstm_new_f1 }} (precision {{ value: bilstm_new_precision }}, recall {{ value: bilstm_new_recall }}). People and dates come out almost perfect ({{ value: bilstm_new_per }} and {{ value: bilstm_new_date }}) {{ claim: per_date_high }}: the context ("… trabaja en", "contrató a …") is enough. The mistakes are concentrated in places ({{ value: bilstm_new_loc }}) and organizations ({{ value: bilstm_new_org }}) {{ claim: loc_org_lowest }}, above all those made of **several words, all unknown**, such as "Buenos Aires" or "Naciones Unidas": they are {{ value: multiword_share }} of the places and organizations it misses {{ claim: multiword_unknown_fail }}. Faced with two `<unk>` in a row, the model cannot tell whether they are one entity or two. Of the {{ value: bilstm_failed }} entities it does not find exactly, {{ value: bilstm_boundary }} are boundary errors and {{ value: bilstm_missed }} are missed altogether {{ claim: boundary_dominates }}; the confusion matrix is dominated by {{ value: top_confusions }} {{ claim: confusions_in_places_orgs }}.
# - Without word dropout the BiLSTM has the lowest training loss ({{ value: nodrop_loss }}) and generalizes worse (F1 = {{ value: nodrop_new_f1 }} with new names, {{ value: nodrop_wrong_type }} wrong-type errors against {{ value: bilstm_wrong_type }}) {{ claim: nodrop_overfits }}: the `<unk>` embedding was never trained. A lower training loss is not a better model.
# - The LSTM that only reads forwards finds {{ value: forward_later_share }} of the people in the middle of a sentence, but only {{ value: forward_start_found }} of {{ value: forward_start_total }} ({{ value: forward_start_recall }}) of those that open it {{ claim: forward_misses_start }}: there it has seen only `<unk>`. The BiLSTM finds {{ value: bilstm_start_found }} of those {{ value: forward_start_total }}, because its backward half has already read the verb {{ claim: bilstm_finds_start }}.
# - The hand-written sentences show what it has really learned. With a known template, names that do not exist in the corpus ("Valentina Quispe", "Cusco", "Fundación Aurora", "Omar Haddad") come out right {{ claim: template_names_ok }}. But the model cannot look at the spelling: "2030" is to it an `<unk>` like any other, and if we replace it with another unknown word the sentence's tags do not change {{ claim: no_spelling }} (here it tags it as {{ value: tag_2030 }}); the character-based representations of Lample et al. (2016) would see that it is made of digits. "Omar trabaja en Cusco desde 2020" ("Omar has worked in Cusco since 2020") has two traps: a person with a single name (in training every person has a first name and a surname) and a place where, in the templates, "trabaja en … desde" is always followed by an organization; of its three entities, the model finds exactly {{ value: omar_found }}. And the sentence that follows no template fails: of its two entities it finds exactly {{ value: free_found }} {{ claim: off_template_fails }}. The model has learned the templates, not the world. Real corpora, such as CoNLL-2002's, have far more varied contexts.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Un etiquetador produce `B-LOC I-LOC O I-ORG I-ORG B-ORG` para una frase cuya referencia es `B-LOC I-LOC O B-ORG I-ORG I-ORG`. ¿Qué entidades lee `bio_spans` en la predicción? Calcula a mano la precisión, la exhaustividad y F1 por entidad, y la exactitud por token.
# 2. Entrena la BiLSTM con una probabilidad de *dropout* de palabras de 0,3 y de 0,5 y mide F1 en la prueba con nombres nuevos. ¿Importa mucho el valor?
# 3. Repite el experimento **sin** apartar nombres: entrena con las 2500 frases de `tagged_sentences(2500, seed=0)` y evalúa en `split.test_new`. ¿Qué F1 obtienes y qué dice eso de la prueba?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. A tagger outputs `B-LOC I-LOC O I-ORG I-ORG B-ORG` for a sentence whose reference is `B-LOC I-LOC O B-ORG I-ORG I-ORG`. Which entities does `bio_spans` read from the prediction? Compute by hand the entity-level precision, recall and F1, and the token accuracy.
# 2. Train the BiLSTM with a word-dropout probability of 0.3 and of 0.5 and measure F1 on the test with new names. Does the value matter much?
# 3. Repeat the experiment **without** holding out names: train on the 2,500 sentences of `tagged_sentences(2500, seed=0)` and evaluate on `split.test_new`. What F1 do you get, and what does that say about the test?

# %% [markdown] lang="es" solution="1"
# La predicción da tres entidades: LOC en $[0, 2)$, ORG en $[3, 5)$ (el `I-ORG` sin `B-ORG` abre una entidad) y ORG en $[5, 6)$ {{ claim: ex1_spans }}. La referencia tiene dos: LOC en $[0, 2)$ y ORG en $[3, 6)$. Solo el lugar coincide exactamente, así que la precisión es $1/3$ ({{ value: ex1_precision }}), la exhaustividad $1/2$ ({{ value: ex1_recall }}) y $F_1 = \frac{2 \cdot (1/3) \cdot (1/2)}{1/3 + 1/2}$ = {{ value: ex1_f1 }}. La exactitud por token es $4/6$ ({{ value: ex1_token }}): solo fallan las posiciones 3 y 5 (contando desde 0), pero la organización se pierde entera {{ claim: ex1_by_hand }}.

# %% [markdown] lang="en" solution="1"
# The prediction gives three entities: LOC at $[0, 2)$, ORG at $[3, 5)$ (the `I-ORG` without `B-ORG` opens an entity) and ORG at $[5, 6)$ {{ claim: ex1_spans }}. The reference has two: LOC at $[0, 2)$ and ORG at $[3, 6)$. Only the place matches exactly, so precision is $1/3$ ({{ value: ex1_precision }}), recall $1/2$ ({{ value: ex1_recall }}) and $F_1 = \frac{2 \cdot (1/3) \cdot (1/2)}{1/3 + 1/2}$ = {{ value: ex1_f1 }}. Token accuracy is $4/6$ ({{ value: ex1_token }}): only positions 3 and 5 (counting from 0) are wrong, but the organization is lost entirely {{ claim: ex1_by_hand }}.

# %% solution="1"
reference_1 = ["B-LOC", "I-LOC", "O", "B-ORG", "I-ORG", "I-ORG"]
guess_1 = ["B-LOC", "I-LOC", "O", "I-ORG", "I-ORG", "B-ORG"]
print(tr(es="entidades leídas:", en="entities read:"), spans_text(guess_1))
scores_1 = entity_scores([reference_1], [guess_1])["all"]
token_1 = token_accuracy([reference_1], [guess_1])
print(score_table(entity_scores([reference_1], [guess_1])))
print(tr(es="exactitud por token:", en="token accuracy:"), number(token_1))
publish("ex1_precision", scores_1.precision)
publish("ex1_recall", scores_1.recall)
publish("ex1_f1", scores_1.f1)
publish("ex1_token", token_1)
claim(
    "ex1_spans",
    bio_spans(guess_1)
    == [Span("LOC", 0, 2), Span("ORG", 3, 5), Span("ORG", 5, 6)],
    es="bio_spans lee LOC [0, 2), ORG [3, 5) y ORG [5, 6)",
    en="bio_spans reads LOC [0, 2), ORG [3, 5) and ORG [5, 6)",
)
claim(
    "ex1_by_hand",
    abs(scores_1.precision - 1 / 3) < 1e-9
    and abs(scores_1.recall - 1 / 2) < 1e-9
    and abs(scores_1.f1 - 0.4) < 1e-9
    and abs(token_1 - 4 / 6) < 1e-9,
    es="entity_scores y la exactitud por token dan las cuentas a mano: 1/3, "
    "1/2, 0,4 y 4/6",
    en="entity_scores and the token accuracy give the hand computation: 1/3, "
    "1/2, 0.4 and 4/6",
)

# %% [markdown] lang="es" solution="2"
# Da {{ value: f1_dropout_03 }} con 0,3 y {{ value: f1_dropout_05 }} con 0,5, frente a {{ value: bilstm_new_f1 }} con 0,1 y {{ value: nodrop_new_f1 }} sin *dropout* de palabras; en las frases con palabras vistas, las tres probabilidades dan F1 = {{ value: dropout_seen_min }} o más {{ claim: dropout_value_minor }}. Lo que importa es que `<unk>` aparezca en el entrenamiento; el valor exacto cambia mucho menos.

# %% [markdown] lang="en" solution="2"
# It gives {{ value: f1_dropout_03 }} with 0.3 and {{ value: f1_dropout_05 }} with 0.5, against {{ value: bilstm_new_f1 }} with 0.1 and {{ value: nodrop_new_f1 }} without word dropout; on the sentences with seen words, all three probabilities give F1 = {{ value: dropout_seen_min }} or more {{ claim: dropout_value_minor }}. What matters is that `<unk>` occurs in training at all; the exact value changes much less.

# %% solution="2"
dropout_f1 = {0.1: f1["BiLSTM"]}
for p in (0.3, 0.5):
    run = train_tagger(data, vocab, word_dropout=p, epochs=EPOCHS, seed=0)
    dropout_f1[p] = {
        key: entity_scores(gold[key], predict_tags(run.model, sents, vocab))[
            "all"
        ].f1
        for key, sents in tests.items()
    }
print(
    align(tr(es="dropout de palabras", en="word dropout"), 20, "<")
    + align(tr(es="F1 vistas", en="F1 seen"), 10)
    + align(tr(es="F1 nuevas", en="F1 new"), 10)
)
for p, by in dropout_f1.items():
    print(
        align(number(p, ".1f"), 20, "<")
        + number(by["seen"], "10.3f")
        + number(by["new"], "10.3f")
    )
new_values = [by["new"] for by in dropout_f1.values()]
publish("f1_dropout_03", dropout_f1[0.3]["new"])
publish("f1_dropout_05", dropout_f1[0.5]["new"])
publish("dropout_seen_min", min(by["seen"] for by in dropout_f1.values()))
claim(
    "dropout_value_minor",
    max(new_values) - min(new_values) < f1["BiLSTM"]["new"] - f1[nodrop]["new"]
    and min(by["seen"] for by in dropout_f1.values()) >= 0.99,
    es="con nombres nuevos, las tres probabilidades difieren entre sí menos de "
    "lo que gana la BiLSTM con dropout de palabras frente a sin él, y con "
    "palabras vistas pasan de 0,99",
    en="with new names the three probabilities differ among themselves by less "
    "than what the BiLSTM gains with word dropout over none, and with seen "
    "words they exceed 0.99",
)

# %% [markdown] lang="es" solution="3"
# F1 = {{ value: f1_everything }} {{ claim: memorised_test }}: los nombres «nuevos» ya no lo son, porque el entrenamiento los contiene. La misma receta parece perfecta ({{ value: f1_everything }}) o se queda en {{ value: bilstm_new_f1 }} según cómo se construya la prueba. Una prueba generada con los mismos nombres que el entrenamiento mide memoria, no generalización.

# %% [markdown] lang="en" solution="3"
# F1 = {{ value: f1_everything }} {{ claim: memorised_test }}: the "new" names are no longer new, because the training set contains them. The same recipe looks perfect ({{ value: f1_everything }}) or reaches {{ value: bilstm_new_f1 }} depending on how the test is built. A test generated with the same names as the training set measures memory, not generalization.

# %% solution="3"
everything = tagged_sentences(2500, seed=0)
vocab_all = build_vocabulary(everything)
run_all = train_tagger(
    encode(everything, vocab_all), vocab_all, epochs=EPOCHS, seed=0
)
predicted_all = predict_tags(run_all.model, split.test_new, vocab_all)
f1_everything = entity_scores(gold["new"], predicted_all)["all"].f1
print(
    tr(
        es="F1 en la prueba con nombres «nuevos», sin apartar nombres:",
        en="F1 on the test with “new” names, without holding names out:",
    ),
    number(f1_everything),
)
publish("f1_everything", f1_everything)
claim(
    "memorised_test",
    f1_everything >= 0.99 and f1_everything > f1["BiLSTM"]["new"],
    es="sin apartar nombres, F1 pasa de 0,99 en la misma prueba, por encima de "
    "la BiLSTM entrenada sin ellos",
    en="without holding names out, F1 exceeds 0.99 on the same test, above the "
    "BiLSTM trained without them",
)
