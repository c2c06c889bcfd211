# ---
# jupyter:
#   lesson:
#     title:
#       es: Preentrenamiento y aprendizaje por transferencia
#       en: Pretraining and transfer learning
#     summary:
#       es: Un codificador pequeño al estilo BERT se preentrena como modelo de lenguaje enmascarado con reseñas sin etiquetar y se ajusta para clasificar sentimiento con pocas etiquetas; a esta escala no supera al mismo modelo entrenado desde cero, y la lección muestra por qué.
#       en: A small BERT-style encoder is pretrained as a masked language model on unlabelled reviews and fine-tuned to classify sentiment from few labels; at this scale it does not beat the same model trained from scratch, and the lesson shows why.
#     order: 30
#     budget_cpu_s: 60
#     gpu_helps: true
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Escribir y comprobar la receta de enmascaramiento de BERT: el 15 % de los tokens, y de ellos un 80 % `[MASK]`, un 10 % al azar y un 10 % sin cambios.
#     - Ver que la pérdida del modelo de lenguaje enmascarado solo cuenta las posiciones elegidas.
#     - Preentrenar un codificador Transformer pequeño con texto en español **sin etiquetas** y medir qué aprendió.
#     - Ajustarlo para clasificar el sentimiento de reseñas con 16, 64 y 256 ejemplos por clase, compararlo con la misma red entrenada desde cero y leer con honestidad el resultado.
#
# Notas de artículos: [BERT](../papers/bert.md), [T5](../papers/t5.md) y el [Transformer](../papers/transformer.md). Lecciones relacionadas: la tarea de clasificación es la de [Clasificación de secuencias con LSTM y GRU](sentiment-lstm.md); [Un Transformer paso a paso](transformer.md) construye a mano el codificador que aquí tomamos de PyTorch, e [Incrustaciones contextuales](contextual-embeddings.md) estudia los vectores que produce un modelo de lenguaje preentrenado. Referencia de la API: [`dlcourse.lessons.pretraining`](../api/lessons/pretraining.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Write and check BERT's masking recipe: 15 % of the tokens, and of those 80 % `[MASK]`, 10 % random and 10 % unchanged.
#     - See that the masked-language-model loss only counts the chosen positions.
#     - Pretrain a small Transformer encoder on **unlabelled** Spanish text and measure what it learned.
#     - Fine-tune it to classify the sentiment of reviews with 16, 64 and 256 examples per class, compare it with the same network trained from scratch, and read the result honestly.
#
# Paper notes: [BERT](../papers/bert.md), [T5](../papers/t5.md) and the [Transformer](../papers/transformer.md). Related lessons: the classification task is the one from [Sequence classification with LSTM and GRU](sentiment-lstm.md); [A transformer by hand](transformer.md) builds by hand the encoder we take here from PyTorch, and [Contextual embeddings](contextual-embeddings.md) studies the vectors a pretrained language model produces. API reference: [`dlcourse.lessons.pretraining`](../api/lessons/pretraining.md).

# %% [markdown] lang="es"
# ## La idea
#
# Etiquetar ejemplos es caro; el texto sin etiquetar es barato. El **preentrenamiento** aprovecha lo segundo: primero se entrena la red con una tarea que sale gratis del propio texto y después se **ajusta** (ajuste fino) a la tarea que interesa, con pocas etiquetas. ULMFiT (Howard y Ruder, 2018, [arXiv:1801.06146](https://arxiv.org/abs/1801.06146)) lo hizo con un modelo de lenguaje LSTM que predice la palabra siguiente y lo ajustó para clasificar textos. BERT (Devlin et al., 2018, [arXiv:1810.04805](https://arxiv.org/abs/1810.04805)) usó un codificador Transformer y un **modelo de lenguaje enmascarado** (MLM): se ocultan algunas palabras y el modelo debe recuperarlas mirando el contexto a ambos lados.
#
# La receta de BERT elige al azar el 15 % de los tokens de cada texto. De los elegidos, el 80 % se sustituye por `[MASK]`, el 10 % por una palabra al azar y el 10 % se deja como estaba. Si $M$ es el conjunto de posiciones elegidas y $\tilde{\mathbf{x}}$ el texto corrompido, la pérdida es la entropía cruzada media **solo** sobre $M$:
#
# $$
# \mathcal{L}_{\text{MLM}} = -\frac{1}{|M|} \sum_{i \in M} \log p_\theta\big(x_i \mid \tilde{\mathbf{x}}\big).
# $$
#
# T5 (Raffel et al., 2019, [arXiv:1910.10683](https://arxiv.org/abs/1910.10683)) usa una variante, la **corrupción de tramos**: cada tramo de tokens consecutivos se sustituye por un único centinela y un decodificador genera los tramos que faltan. Aquí solo la mencionamos.
#
# Nuestro modelo es un codificador de 2 capas con vectores de dimensión 64 y 4 cabezas de atención, incrustaciones de posición aprendidas y `nn.TransformerEncoder` de PyTorch, en lugar del codificador escrito a mano en [Un Transformer paso a paso](transformer.md). La capa de salida del MLM comparte pesos con la incrustación de entrada, como en BERT. Para clasificar, una capa lineal lee la media de los vectores de salida del texto.

# %% [markdown] lang="en"
# ## The idea
#
# Labelling examples is expensive; unlabelled text is cheap. **Pretraining** exploits the latter: the network is first trained on a task that comes for free from the text itself and is then **fine-tuned** on the task of interest, with few labels. ULMFiT (Howard and Ruder, 2018, [arXiv:1801.06146](https://arxiv.org/abs/1801.06146)) did it with an LSTM language model that predicts the next word, fine-tuned to classify texts. BERT (Devlin et al., 2018, [arXiv:1810.04805](https://arxiv.org/abs/1810.04805)) used a Transformer encoder and a **masked language model** (MLM): some words are hidden and the model must recover them by looking at the context on both sides.
#
# BERT's recipe chooses 15 % of the tokens of each text at random. Of the chosen ones, 80 % are replaced by `[MASK]`, 10 % by a random word and 10 % are left as they were. If $M$ is the set of chosen positions and $\tilde{\mathbf{x}}$ the corrupted text, the loss is the mean cross-entropy over $M$ **only**:
#
# $$
# \mathcal{L}_{\text{MLM}} = -\frac{1}{|M|} \sum_{i \in M} \log p_\theta\big(x_i \mid \tilde{\mathbf{x}}\big).
# $$
#
# T5 (Raffel et al., 2019, [arXiv:1910.10683](https://arxiv.org/abs/1910.10683)) uses a variant, **span corruption**: each span of consecutive tokens is replaced by a single sentinel and a decoder generates the missing spans. We only mention it here.
#
# Our model is a 2-layer encoder with 64-dimensional vectors and 4 attention heads, learned position embeddings and PyTorch's `nn.TransformerEncoder`, instead of the encoder written by hand in [A transformer by hand](transformer.md). The MLM output layer shares its weights with the input embedding, as in BERT. To classify, a linear layer reads the mean of the text's output vectors.

# %% [markdown] lang="es"
# ## Texto sin etiquetas y reseñas etiquetadas
#
# Las reseñas son las de [Clasificación de secuencias con LSTM y GRU](sentiment-lstm.md): frases generadas en español sobre restaurantes, hoteles, películas, teléfonos y libros. Preparamos cuatro conjuntos:
#
# - **Para ajustar**: 256 reseñas etiquetadas por clase, de las que tomaremos subconjuntos pequeños.
# - **Prueba, mismas formulaciones**: 300 reseñas nuevas escritas con las mismas plantillas.
# - **Prueba, formulaciones nuevas**: 300 reseñas con cláusulas, veredictos y la mitad de los adjetivos que nunca aparecen en las reseñas para ajustar (`held_out=True`).
# - **Para preentrenar**: 6.000 reseñas cuyas etiquetas se tiran al generarlas, la mitad con cada tipo de formulación, más las 322 frases del corpus del curso. Ningún texto de este conjunto está en los tres anteriores; lo comprobamos.
#
# Que el texto sin etiquetas incluya las formulaciones nuevas imita lo que ocurre en la práctica: el texto de preentrenamiento es enorme y contiene palabras que nunca aparecen en las pocas reseñas etiquetadas. Si el preentrenamiento enseña qué significan esas palabras, la prueba con formulaciones nuevas es donde debería notarse.

# %% [markdown] lang="en"
# ## Unlabelled text and labelled reviews
#
# The reviews are those from [Sequence classification with LSTM and GRU](sentiment-lstm.md): generated Spanish sentences about restaurants, hotels, films, phones and books. We prepare four sets:
#
# - **To fine-tune**: 256 labelled reviews per class, from which we will take small subsets.
# - **Test, same phrasings**: 300 new reviews written with the same templates.
# - **Test, new phrasings**: 300 reviews with clauses, verdicts and half of the adjectives that never appear in the fine-tuning reviews (`held_out=True`).
# - **To pretrain**: 6,000 reviews whose labels are thrown away when they are generated, half with each kind of phrasing, plus the 322 sentences of the course corpus. No text of this set is in the other three; we check it.
#
# That the unlabelled text includes the new phrasings mimics practice: pretraining text is huge and contains words that never appear in the few labelled reviews. If pretraining teaches what those words mean, the test with new phrasings is where it should show.

# %%
import torch
from dlcourse.data import corpus
from dlcourse.formatting import decimal_comma
from dlcourse.lessons.pretraining import (
    IGNORE,
    MiniBert,
    build_vocabulary,
    encode,
    fill_mask,
    learning_curves,
    mask_tokens,
    masked_accuracy,
    mlm_loss,
    nearest_words,
    pad,
    pretrain_mlm,
    special_mask,
    unlabelled_texts,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import pick_device, seed_all, seed_torch, seeded_generator

seed_all(0)
device = pick_device()
print(f"device: {device}")

labelled = corpus.reviews(256, seed=10)  # fine-tuning pool: 256 reviews per class
test_same = corpus.reviews(150, seed=11)  # test: new reviews, training phrasings
test_new = corpus.reviews(150, held_out=True, seed=12)  # test: held-out phrasings
labelled_texts = [r.text for r in labelled + test_same + test_new]
texts = unlabelled_texts(labelled_texts)  # review texts, labels discarded, + course sentences
n_course = len(corpus.sentences("es"))
print(
    f"unlabelled texts: {len(texts)} ({len(texts) - n_course} reviews + {n_course} course sentences)"
)
print(f"labelled reviews: {len(labelled)} to fine-tune, {len(test_same)} + {len(test_new)} to test")
print(
    f"texts both in the unlabelled and in the labelled sets: {len(set(texts) & set(labelled_texts))}"
)

vocab = build_vocabulary(texts)  # words seen at least twice in the unlabelled text
sequences = encode(texts, vocab)
order = torch.randperm(len(sequences), generator=seeded_generator(0)).tolist()
val_seqs = [sequences[i] for i in order[:300]]  # held back to measure masked-token accuracy
train_seqs = [sequences[i] for i in order[300:]]
print(f"vocabulary: {len(vocab)} tokens, of which special: {' '.join(vocab.specials)}")
print("a test review as the model reads it:")
print(" ", " ".join(vocab.decode(encode([test_same[0].text], vocab)[0])))

# %% [markdown] lang="es"
# Cada texto empieza por `[CLS]` y termina en `[SEP]`, como en BERT; las palabras que no están en el vocabulario se convierten en `<unk>`.
#
# ## La receta de enmascaramiento de BERT
#
# `mask_tokens` elige las posiciones con un sorteo independiente por token y, con otro número al azar, decide qué les pasa. Los tokens especiales (`[CLS]`, `[SEP]`, el relleno) nunca se eligen. Abajo, tres textos corrompidos: cada posición elegida aparece como `lo que ve el modelo<palabra original:qué le pasó>`.

# %% [markdown] lang="en"
# Each text starts with `[CLS]` and ends with `[SEP]`, as in BERT; words not in the vocabulary become `<unk>`.
#
# ## BERT's masking recipe
#
# `mask_tokens` chooses the positions with an independent draw per token and, with another random number, decides what happens to them. Special tokens (`[CLS]`, `[SEP]`, padding) are never chosen. Below, three corrupted texts: each chosen position is shown as `what the model sees<original word:what happened>`.

# %%
demo = pad(train_seqs[:3])
masked = mask_tokens(demo, vocab, seeded_generator(1))
for row in range(3):
    shown = []
    for pos, was in enumerate(demo[row].tolist()):
        if was == vocab.pad_id:
            break
        now = int(masked.inputs[row, pos])
        word = vocab.itos[now]
        if masked.chosen[row, pos]:
            kind = "mask" if word == "[MASK]" else ("same" if now == was else "random")
            word = f"{word}<{vocab.itos[was]}:{kind}>"
        shown.append(word)
    print(" ".join(shown), end="\n\n")

everything = pad(train_seqs)  # every pretraining text at once: (N, T)
big = mask_tokens(everything, vocab, seeded_generator(2))
ordinary = ~special_mask(everything, vocab)
chosen = big.chosen
became_mask = chosen & (big.inputs == vocab.stoi["[MASK]"])
unchanged = chosen & (big.inputs == everything)
became_random = chosen & ~became_mask & ~unchanged
print(
    f"ordinary tokens: {int(ordinary.sum()):,} · chosen: {chosen.sum() / ordinary.sum():.2%} (recipe: 15%)"
)
for name, part, target in (
    ("[MASK]", became_mask, 80),
    ("random word", became_random, 10),
    ("unchanged", unchanged, 10),
):
    print(f"  chosen and {name:<12} {part.sum() / chosen.sum():6.2%}   (recipe: {target}%)")
print(f"special tokens chosen: {int((chosen & ~ordinary).sum())}")

# %% [markdown] lang="es"
# ## La pérdida solo mira las posiciones elegidas
#
# Las etiquetas valen la palabra original en las posiciones elegidas y $-100$ en el resto; `F.cross_entropy` ignora ese valor. Lo comprobamos con el modelo aún sin entrenar de tres maneras: puntuando todas las posiciones, puntuando solo las elegidas y, por último, llenando de ruido las puntuaciones de las posiciones **no** elegidas. Las tres pérdidas deben coincidir. Puntuar solo las elegidas es lo que hace el bucle de entrenamiento: la capa de salida, la más cara con un vocabulario grande, trabaja sobre un 15 % de las posiciones.

# %% [markdown] lang="en"
# ## The loss only looks at the chosen positions
#
# Labels hold the original word at chosen positions and $-100$ elsewhere; `F.cross_entropy` ignores that value. We check it with the still untrained model in three ways: scoring every position, scoring only the chosen ones and, finally, filling the scores of the positions **not** chosen with noise. The three losses must agree. Scoring only the chosen ones is what the training loop does: the output layer, the most expensive one with a large vocabulary, works on 15 % of the positions.

# %%
seed_torch(0)
untrained = MiniBert(len(vocab)).eval()
batch = mask_tokens(pad(train_seqs[:32]), vocab, seeded_generator(3))
with torch.no_grad():
    hidden = untrained(batch.inputs)  # (32, T, 64)
    scores = untrained.mlm_logits(hidden)  # (32, T, V)
    every = mlm_loss(scores, batch.labels)
    only = mlm_loss(untrained.mlm_logits(hidden[batch.chosen]), batch.labels[batch.chosen])
    noisy = scores.clone()
    noisy[~batch.chosen] = 100 * torch.randn_like(noisy[~batch.chosen])
    with_noise = mlm_loss(noisy, batch.labels)
print(
    f"positions: {batch.labels.numel()} · chosen: {int(batch.chosen.sum())} · "
    f"labelled {IGNORE}: {int((batch.labels == IGNORE).sum())}"
)
print(f"loss scoring every position:      {every:.4f}")
print(f"loss scoring only the chosen:     {only:.4f}")
print(f"with noise on the other positions: {with_noise:.4f}")
print(f"ln(vocabulary size), a uniform guess: {torch.log(torch.tensor(float(len(vocab)))):.4f}")

# %% [markdown] lang="es"
# ## Preentrenar el codificador
#
# 800 pasos con lotes de 32 textos, AdamW con tasa $3 \cdot 10^{-3}$, un calentamiento corto y decaimiento lineal. Cada lote se enmascara de nuevo al formarlo (enmascaramiento dinámico, como en RoBERTa, Liu et al., 2019, [arXiv:1907.11692](https://arxiv.org/abs/1907.11692)), así que un mismo texto enseña huecos distintos cada vez que vuelve. Los lotes agrupan textos de longitud parecida para gastar poco en relleno. Medimos la exactitud con los 300 textos apartados: la fracción de posiciones elegidas cuya palabra original es la primera apuesta del modelo.

# %% [markdown] lang="en"
# ## Pretraining the encoder
#
# 800 steps with batches of 32 texts, AdamW at rate $3 \cdot 10^{-3}$, a short warm-up and linear decay. Each batch is masked anew when it is formed (dynamic masking, as in RoBERTa, Liu et al., 2019, [arXiv:1907.11692](https://arxiv.org/abs/1907.11692)), so the same text teaches different blanks each time it comes back. Batches group texts of similar length so little is spent on padding. We measure accuracy on the 300 held-back texts: the share of chosen positions whose original word is the model's first guess.

# %%
run = pretrain_mlm(train_seqs, vocab, device=device)
model = run.model
print(f"parameters: {sum(p.numel() for p in model.parameters()):,}")
print(
    f"MLM loss: {run.losses[0]:.2f} (mean of the first {run.steps[0]} steps) -> "
    f"{run.losses[-1]:.2f} (last {run.steps[0]})"
)
val_accuracy = masked_accuracy(model, val_seqs, vocab)
counts = torch.bincount(pad(val_seqs).flatten(), minlength=len(vocab))
counts[: len(vocab.specials)] = 0  # only ordinary words are ever chosen
commonest = vocab.itos[int(counts.argmax())]
print(f"masked-token accuracy on the {len(val_seqs)} held-back texts: {val_accuracy:.1%}")
print(f"always guessing the commonest word, '{commonest}': {counts.max() / counts.sum():.1%}")

uniform = float(torch.log(torch.tensor(float(len(vocab)))))  # loss of a uniform guess
fig, ax = new_figure(width=5.8, height=3.6)
ax.plot(run.steps, run.losses, "o-", markersize=3, color=PALETTE[0])
ax.axhline(uniform, color="#888888", linestyle=":")
ax.text(run.steps[-1], 6.3, "azar / uniform", ha="right", va="top", color="#555555")
ax.set(
    title="Preentrenamiento MLM / MLM pretraining",
    xlabel="paso / step",
    ylabel="pérdida MLM / MLM loss",
    ylim=(0, 7),
)
set_alt(
    fig,
    es=f"Pérdida del modelo de lenguaje enmascarado frente al paso de entrenamiento, promediada cada {run.steps[0]} pasos: baja de {decimal_comma(run.losses[0], 2)} a {decimal_comma(run.losses[-1], 2)}; una línea punteada marca la pérdida de una apuesta uniforme, {decimal_comma(uniform, 2)}.",
    en=f"Masked-language-model loss against the training step, averaged every {run.steps[0]} steps: it falls from {run.losses[0]:.2f} to {run.losses[-1]:.2f}; a dotted line marks the loss of a uniform guess, {uniform:.2f}.",
)

# %% [markdown] lang="es"
# ## Rellenar huecos
#
# `fill_mask` muestra las cuatro palabras más probables para un hueco, con su probabilidad. Las dos primeras frases solo se diferencian en el sentimiento del contexto; la tercera pide concordancia (un adjetivo femenino plural); la cuarta es el principio típico de una reseña y la última, una frase del corpus del curso.

# %% [markdown] lang="en"
# ## Filling in blanks
#
# `fill_mask` shows the four likeliest words for a blank, with their probability. The first two sentences differ only in the sentiment of the context; the third asks for agreement (a feminine plural adjective); the fourth is the typical start of a review and the last one, a sentence from the course corpus.

# %%
prompts = [
    "El servicio fue excelente y la comida estaba [MASK] . Lo recomiendo sin dudarlo .",
    "El servicio fue horrible y la comida estaba [MASK] . No lo recomiendo .",
    "Las fotos me parecieron [MASK] .",
    "Compré este [MASK] hace un mes .",
    "Mi abuela cocina el mejor arroz con [MASK] del barrio .",
]
for prompt in prompts:
    guesses = ", ".join(f"{word} {p:.2f}" for word, p in fill_mask(model, vocab, prompt, k=4))
    print(f"{prompt}\n    -> {guesses}")

# %% [markdown] lang="es"
# ## Ajuste fino con pocas etiquetas
#
# Para cada tamaño (16, 64 y 256 reseñas por clase) y cada semilla (dos: cada una sortea otro subconjunto y otra inicialización de la capa de salida), `learning_curves` entrena dos clasificadores con la misma receta: 50 pasos de AdamW con tasa $10^{-3}$, lotes de 32 y **todos** los parámetros libres. Uno parte de una copia del codificador preentrenado; el otro, de un codificador nuevo con la misma forma y pesos al azar. Lo único que cambia es de dónde salen los pesos iniciales. (BERT ajusta con tasas mucho menores, del orden de $10^{-5}$; nuestra red, diminuta y con pocos pasos, necesita más.)

# %% [markdown] lang="en"
# ## Fine-tuning with few labels
#
# For each size (16, 64 and 256 reviews per class) and each seed (two: each draws another subset and another initialisation of the output layer), `learning_curves` trains two classifiers with the same recipe: 50 AdamW steps at rate $10^{-3}$, batches of 32 and **all** parameters free. One starts from a copy of the pretrained encoder; the other from a new encoder of the same shape with random weights. The only difference is where the initial weights come from. (BERT fine-tunes with much smaller rates, of the order of $10^{-5}$; our tiny network, with few steps, needs more.)


# %%
def as_ids(reviews):
    return encode([r.text for r in reviews], vocab), [r.label for r in reviews]


SIZES, SEEDS, STARTS = (16, 64, 256), (0, 1), ("pretrained", "scratch")
tests = {"same phrasings": as_ids(test_same), "new phrasings": as_ids(test_new)}
points = learning_curves(model, as_ids(labelled), tests, sizes=SIZES, seeds=SEEDS)


def results(start, n, test):
    return [p.accuracy[test] for p in points if p.start == start and p.n_per_class == n]


def mean(start, n, test):
    return sum(results(start, n, test)) / len(SEEDS)


print("test accuracy, mean of 2 seeds (each seed in brackets)")
print(f"{'per class':>9} | {'same phrasings':<39}| new phrasings")
print(f"{'':>9} | {'pretrained':<19}{'scratch':<20}| {'pretrained':<19}scratch")
for n in SIZES:
    cells = []
    for test in tests:
        for start in STARTS:
            a, b = results(start, n, test)
            cells.append(f"{mean(start, n, test):.3f} ({a:.2f}, {b:.2f})")
    print(f"{n:9d} | {cells[0]:<19}{cells[1]:<20}| {cells[2]:<19}{cells[3]}")

# %%
names = {"pretrained": "preentrenado / pretrained", "scratch": "desde cero / from scratch"}
titles = {
    "same phrasings": "Mismas formulaciones / Same phrasings",
    "new phrasings": "Formulaciones nuevas / New phrasings",
}
fig, axes = new_figure(ncols=2, width=4.6, height=3.9, sharey=True)
for ax, test in zip(axes, tests, strict=True):
    for k, start in enumerate(STARTS):
        ax.plot(
            SIZES, [mean(start, n, test) for n in SIZES], "o-", color=PALETTE[k], label=names[start]
        )
        for n in SIZES:
            ax.scatter(
                [n] * len(SEEDS), results(start, n, test), s=14, color=PALETTE[k], alpha=0.45
            )
    ax.axhline(0.5, color="#888888", linestyle=":", linewidth=1)
    ax.text(256, 0.49, "azar / chance", ha="right", va="top", color="#555555", fontsize=9)
    ax.set_xscale("log", base=2)
    ax.set_xticks(SIZES, [str(n) for n in SIZES])
    ax.set(title=titles[test], xlabel="reseñas por clase / reviews per class", ylim=(0.4, 1.0))
axes[0].set_ylabel("exactitud en prueba / test accuracy")
axes[0].legend(loc="upper left")
gap = {t: [mean("pretrained", n, t) - mean("scratch", n, t) for n in SIZES] for t in tests}
set_alt(
    fig,
    es="Dos paneles con la exactitud en prueba frente al número de reseñas etiquetadas por clase (16, 64 y 256), para el codificador preentrenado y el entrenado desde cero, con la media de dos semillas y cada semilla como punto. "
    + "Diferencia preentrenado menos desde cero, mismas formulaciones: "
    + "; ".join(("+" if g >= 0 else "−") + decimal_comma(abs(g), 3) for g in gap["same phrasings"])
    + "; formulaciones nuevas: "
    + "; ".join(("+" if g >= 0 else "−") + decimal_comma(abs(g), 3) for g in gap["new phrasings"])
    + ". Una línea punteada marca el azar, 0,5.",
    en="Two panels with test accuracy against the number of labelled reviews per class (16, 64 and 256), for the pretrained encoder and the one trained from scratch, with the mean of two seeds and each seed as a dot. "
    + "Difference pretrained minus scratch, same phrasings: "
    + ", ".join(f"{g:+.3f}" for g in gap["same phrasings"])
    + "; new phrasings: "
    + ", ".join(f"{g:+.3f}" for g in gap["new phrasings"])
    + ". A dotted line marks chance, 0.5.",
)

# %% [markdown] lang="es"
# ## Lo que aprendieron las incrustaciones
#
# Las palabras que rellenan los mismos huecos acaban con incrustaciones parecidas. Miramos las cinco palabras más cercanas (similitud del coseno) a dos adjetivos que solo aparecen en las formulaciones nuevas, «espléndido» y «nefasto», y a dos de las reseñas para ajustar, «excelente» y «horrible».

# %% [markdown] lang="en"
# ## What the embeddings learned
#
# Words that fill the same blanks end up with similar embeddings. We look at the five nearest words (cosine similarity) to two adjectives that only appear in the new phrasings, "espléndido" (splendid) and "nefasto" (dreadful), and to two from the fine-tuning reviews, "excelente" (excellent) and "horrible".

# %%
for word in ("espléndido", "nefasto", "excelente", "horrible"):
    neighbours = ", ".join(f"{w} {s:.2f}" for w, s in nearest_words(model, vocab, word))
    print(f"{word:>11} -> {neighbours}")

# %% [markdown] lang="es"
# ## Qué observar
#
# - La receta se cumple: se elige el 15,05 % de los tokens ordinarios y, de ellos, el 79,97 % pasa a `[MASK]`, el 10,07 % a una palabra al azar y el 9,96 % queda igual; ningún token especial se elige. Las tres formas de calcular la pérdida dan 6,5405, muy cerca de $\ln 681 = 6{,}5236$, la pérdida de una apuesta uniforme: el modelo aún no sabe nada, y las posiciones no elegidas no cuentan aunque sus puntuaciones sean ruido.
# - El preentrenamiento aprende algo: la pérdida baja de 5,56 a 2,35 y el modelo acierta el 52,3 % de las palabras ocultas de textos que no vio, frente al 14,5 % de apostar siempre por el punto. «Compré este [MASK] hace un mes» da «teléfono» con probabilidad 0,83. Lo que aprende es la **estructura** de las reseñas: qué clase de palabra va en cada sitio.
# - Pero no aprende el **sentimiento**. Con un contexto positivo y otro negativo propone las mismas palabras con las mismas probabilidades («realmente» 0,08 en ambos, y «horrible» entre las cuatro primeras también tras «excelente»). Ni siquiera la concordancia está completa: para «Las fotos me parecieron…» propone adjetivos en singular. Y las frases del corpus del curso, una de cada veinte y todas distintas, no llega a aprenderlas en tan pocas pasadas.
# - Las incrustaciones lo confirman: junto a «espléndido» quedan «penosos», «pésima» y «desagradable»; junto a «horrible», «terrible» pero también «impecable» y «excelente». Los adjetivos se agrupan por el hueco que ocupan, no por su polaridad.
# - Por eso el ajuste fino no gana. Con las mismas formulaciones, el modelo preentrenado queda un poco por debajo del que parte de cero en los tres tamaños (0,705 frente a 0,715; 0,877 frente a 0,888; 0,945 frente a 0,970); las dos primeras diferencias son menores que lo que varía el resultado de una semilla a otra (hasta 0,09 con 16 ejemplos y 0,06 con 64). Con formulaciones nuevas ambos quedan muy por debajo (entre 0,52 y 0,64), y el preentrenado peor con 64 y 256 ejemplos (0,517 frente a 0,607; 0,553 frente a 0,637). Una lectura posible, que no hemos comprobado: el preentrenamiento coloca los adjetivos nuevos junto a adjetivos de ambas polaridades, y el clasificador los lee como si tuvieran un sentimiento al azar.
# - La lección general: la transferencia funciona cuando la tarea de preentrenamiento **necesita** el conocimiento que usa la tarea final. En estas reseñas gran parte de las palabras ocultas se deduce de pistas locales (la plantilla, el género y el número), y el sentimiento del resto de la reseña ayuda poco a adivinarlas, así que el modelo no tiene motivo para aprenderlo. BERT se preentrenó con unos 3.300 millones de palabras (BooksCorpus y la Wikipedia en inglés); aquí usamos unos 160.000 tokens. Este experimento reproduce la mecánica de BERT, no su escala, y a esta escala partir de cero es igual de bueno o mejor.

# %% [markdown] lang="en"
# ## What to notice
#
# - The recipe holds: 15.05 % of the ordinary tokens are chosen and, of those, 79.97 % become `[MASK]`, 10.07 % a random word and 9.96 % stay the same; no special token is chosen. The three ways of computing the loss give 6.5405, very close to $\ln 681 = 6.5236$, the loss of a uniform guess: the model knows nothing yet, and the positions not chosen do not count even when their scores are noise.
# - Pretraining learns something: the loss falls from 5.56 to 2.35 and the model gets 52.3 % of the hidden words right in texts it never saw, against 14.5 % for always betting on the full stop. "Compré este [MASK] hace un mes" ("I bought this [MASK] a month ago") gives "teléfono" (phone) with probability 0.83. What it learns is the **structure** of the reviews: which kind of word goes where.
# - But it does not learn **sentiment**. With a positive and a negative context it proposes the same words with the same probabilities ("realmente", really, 0.08 in both, and "horrible" among the top four even after "excelente"). Not even agreement is complete: for "Las fotos me parecieron…" ("The photos seemed…") it proposes singular adjectives. And the course-corpus sentences, one text in twenty and all different, are not learned in so few passes.
# - The embeddings confirm it: next to "espléndido" (splendid) lie "penosos" (pitiful), "pésima" (dreadful) and "desagradable" (unpleasant); next to "horrible", "terrible" but also "impecable" (impeccable) and "excelente". Adjectives are grouped by the blank they fill, not by their polarity.
# - That is why fine-tuning does not win. With the same phrasings, the pretrained model ends slightly below the one started from scratch at all three sizes (0.705 against 0.715; 0.877 against 0.888; 0.945 against 0.970); the first two differences are smaller than how much the result varies from one seed to the other (up to 0.09 with 16 examples and 0.06 with 64). With new phrasings both fall far behind (between 0.52 and 0.64), and the pretrained one does worse with 64 and 256 examples (0.517 against 0.607; 0.553 against 0.637). One possible reading, which we have not tested: pretraining places the new adjectives next to adjectives of both polarities, and the classifier reads them as if they had a random sentiment.
# - The general lesson: transfer works when the pretraining task **needs** the knowledge the final task uses. In these reviews many of the hidden words can be worked out from local clues (the template, gender and number), and the sentiment of the rest of the review helps little to guess them, so the model has no reason to learn it. BERT was pretrained on about 3,300 million words (BooksCorpus and English Wikipedia); here we use about 160,000 tokens. This experiment reproduces BERT's mechanics, not its scale, and at this scale starting from scratch is as good or better.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. En un lote con 2.000 tokens ordinarios, ¿cuántos se eligen en promedio, y cuántos pasan a `[MASK]`, a una palabra al azar y quedan iguales? ¿En qué fracción de las posiciones elegidas ve el modelo la palabra correcta en su entrada (el vocabulario tiene 676 palabras ordinarias)? ¿Qué pasaría si todas las elegidas se cambiaran por `[MASK]`?
# 2. Congela el codificador y entrena solo la capa de salida (una «sonda lineal»), con 64 reseñas por clase, partiendo del codificador preentrenado y de uno al azar. ¿Cuánto sentimiento contienen los vectores del modelo preentrenado?
# 3. Preentrena cuatro veces más (3.200 pasos) y repite los dos primeros huecos y los vecinos de «espléndido». ¿Aparece el sentimiento?
#
# ??? success "Solución 1"
#     Se eligen en promedio $0{,}15 \times 2000 = 300$: unos 240 pasan a `[MASK]`, 30 a una palabra al azar y 30 quedan iguales. El modelo ve la palabra correcta en el 10 % que queda igual y, por casualidad, cuando la palabra al azar coincide con la original: $0{,}10 + 0{,}10 / 676 \approx 10{,}01\ \%$. Si todas pasaran a `[MASK]`, el modelo aprendería que toda palabra visible es auténtica y que solo importa predecir en los `[MASK]`; como `[MASK]` nunca aparece al ajustar, sus representaciones de las palabras visibles, que son las que usa el clasificador, estarían menos cuidadas. Esa es la razón que da BERT para el 10 % al azar y el 10 % sin cambios.
#
# ??? success "Solución 2"
#     ```python
#     import copy
#
#     from dlcourse.lessons.pretraining import accuracy, balanced_subset, finetune
#
#     x_all, y_all = as_ids(labelled)
#     rows = balanced_subset(y_all, 64, seed=0)
#     x, y = [x_all[r] for r in rows], [y_all[r] for r in rows]
#     torch.manual_seed(0)
#     for name, encoder in {"pretrained": model, "scratch": model.fresh_copy()}.items():
#         frozen = copy.deepcopy(encoder).requires_grad_(False)
#         clf = finetune(frozen, x, y, steps=200, lr=3e-3)
#         print(name, {t: round(accuracy(clf, *tests[t]), 3) for t in tests})
#     ```
#     Con el codificador preentrenado congelado se obtiene 0,633 con las mismas formulaciones y 0,487 con las nuevas; con un codificador **al azar** congelado, 0,713 y 0,610. Los vectores de la red al azar sirven más: conservan, mezclada, la información de qué palabras tiene la reseña, mientras que el preentrenamiento acercó entre sí los adjetivos de signo contrario. Sin ajustar el codificador, el modelo preentrenado apenas contiene sentimiento.
#
# ??? success "Solución 3"
#     ```python
#     longer = pretrain_mlm(train_seqs, vocab, steps=3200, device=device).model
#     print(f"masked-token accuracy: {masked_accuracy(longer, val_seqs, vocab):.1%}")
#     for prompt in prompts[:2]:
#         print(fill_mask(longer, vocab, prompt, k=4))
#     print(nearest_words(longer, vocab, "espléndido"))
#     ```
#     La exactitud con palabras ocultas sube a un 78 %, pero los dos contextos siguen dando casi las mismas apuestas («genial» y «terrible» en cabeza en ambos). Los vecinos de «espléndido» pasan a ser «espantoso», «sobresaliente», «lamentable», «catastrófico» y «formidable»: los otros adjetivos de las formulaciones nuevas, positivos y negativos. El modelo aprendió en qué tipo de reseña aparece cada palabra, no si la reseña es buena o mala.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. In a batch with 2,000 ordinary tokens, how many are chosen on average, and how many become `[MASK]`, a random word, or stay the same? In what fraction of the chosen positions does the model see the correct word in its input (the vocabulary has 676 ordinary words)? What would happen if every chosen token were replaced by `[MASK]`?
# 2. Freeze the encoder and train only the output layer (a "linear probe"), with 64 reviews per class, starting from the pretrained encoder and from a random one. How much sentiment do the pretrained model's vectors hold?
# 3. Pretrain four times longer (3,200 steps) and repeat the first two blanks and the neighbours of "espléndido". Does sentiment appear?
#
# ??? success "Solution 1"
#     On average $0.15 \times 2000 = 300$ are chosen: about 240 become `[MASK]`, 30 a random word and 30 stay the same. The model sees the correct word in the 10 % left unchanged and, by chance, when the random word happens to be the original: $0.10 + 0.10 / 676 \approx 10.01\ \%$. If every chosen token became `[MASK]`, the model would learn that every visible word is genuine and that only the `[MASK]` positions need predicting; since `[MASK]` never appears during fine-tuning, its representations of the visible words, the ones the classifier uses, would be less carefully shaped. That is the reason BERT gives for the 10 % random and the 10 % unchanged.
#
# ??? success "Solution 2"
#     ```python
#     import copy
#
#     from dlcourse.lessons.pretraining import accuracy, balanced_subset, finetune
#
#     x_all, y_all = as_ids(labelled)
#     rows = balanced_subset(y_all, 64, seed=0)
#     x, y = [x_all[r] for r in rows], [y_all[r] for r in rows]
#     torch.manual_seed(0)
#     for name, encoder in {"pretrained": model, "scratch": model.fresh_copy()}.items():
#         frozen = copy.deepcopy(encoder).requires_grad_(False)
#         clf = finetune(frozen, x, y, steps=200, lr=3e-3)
#         print(name, {t: round(accuracy(clf, *tests[t]), 3) for t in tests})
#     ```
#     With the pretrained encoder frozen we get 0.633 with the same phrasings and 0.487 with the new ones; with a frozen **random** encoder, 0.713 and 0.610. The random network's vectors are more useful: they keep, mixed up, the information about which words the review contains, while pretraining brought adjectives of opposite sign close together. Without tuning the encoder, the pretrained model holds hardly any sentiment.
#
# ??? success "Solution 3"
#     ```python
#     longer = pretrain_mlm(train_seqs, vocab, steps=3200, device=device).model
#     print(f"masked-token accuracy: {masked_accuracy(longer, val_seqs, vocab):.1%}")
#     for prompt in prompts[:2]:
#         print(fill_mask(longer, vocab, prompt, k=4))
#     print(nearest_words(longer, vocab, "espléndido"))
#     ```
#     Masked-token accuracy rises to about 78 %, but the two contexts still give almost the same guesses ("genial" and "terrible" leading in both). The neighbours of "espléndido" become "espantoso", "sobresaliente", "lamentable", "catastrófico" and "formidable": the other adjectives of the new phrasings, positive and negative. The model learned in which kind of review each word appears, not whether the review is good or bad.
