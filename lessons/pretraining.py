# ---
# jupyter:
#   lesson:
#     title:
#       es: Preentrenamiento y aprendizaje por transferencia
#       en: Pretraining and transfer learning
#     summary:
#       es: Un codificador pequeño al estilo BERT se preentrena como modelo de lenguaje enmascarado con reseñas sin etiquetar y se ajusta para clasificar sentimiento con pocas etiquetas; a esta escala no supera con claridad al mismo modelo entrenado desde cero, y la lección muestra por qué.
#       en: A small BERT-style encoder is pretrained as a masked language model on unlabeled reviews and fine-tuned to classify sentiment from few labels; at this scale it does not clearly beat the same model trained from scratch, and the lesson shows why.
#     order: 30
#     budget_cpu_s: 60
#     gpu_helps: true
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Escribir y comprobar la receta de enmascaramiento de BERT: el 15 % de los tokens, y de ellos un 80 % `[MASK]`, un 10 % al azar y un 10 % sin cambios.
#     - Ver que la pérdida del modelo de lenguaje enmascarado solo cuenta las posiciones elegidas.
#     - Preentrenar un codificador Transformer pequeño con texto en español **sin etiquetas** y medir qué aprendió.
#     - Ajustarlo para clasificar el sentimiento de reseñas con 16, 64 y 256 ejemplos por clase, compararlo con la misma red entrenada desde cero y leer con honestidad el resultado.
#
# Notas de artículos: [BERT](../papers/bert.md), [T5](../papers/t5.md) y el [Transformer](../papers/transformer.md). Lecciones relacionadas: la tarea de clasificación es la de [Clasificación de secuencias con LSTM y GRU](sentiment-lstm.md); [Un Transformer paso a paso](transformer.md) construye a mano el codificador que aquí tomamos de PyTorch, e [Incrustaciones contextuales](contextual-embeddings.md) estudia los vectores que produce un modelo de lenguaje preentrenado. Referencia de la API: [`dlcourse.lessons.pretraining`](../api/lessons/pretraining.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Write and check BERT's masking recipe: 15% of the tokens, and of those 80% `[MASK]`, 10% random and 10% unchanged.
#     - See that the masked-language-model loss only counts the chosen positions.
#     - Pretrain a small Transformer encoder on **unlabeled** Spanish text and measure what it learned.
#     - Fine-tune it to classify the sentiment of reviews with 16, 64 and 256 examples per class, compare it with the same network trained from scratch, and read the result honestly.
#
# Paper notes: [BERT](../papers/bert.md), [T5](../papers/t5.md) and the [Transformer](../papers/transformer.md). Related lessons: the classification task is the one from [Sequence classification with LSTM and GRU](sentiment-lstm.md); [A transformer by hand](transformer.md) builds by hand the encoder we take here from PyTorch, and [Contextual embeddings](contextual-embeddings.md) studies the vectors a pretrained language model produces. API reference: [`dlcourse.lessons.pretraining`](../api/lessons/pretraining.md).

# %% [markdown] lang="es"
# ## La idea
#
# Etiquetar ejemplos es caro; el texto sin etiquetar es barato. El **preentrenamiento** aprovecha lo segundo: primero se entrena la red con una tarea que sale gratis del propio texto y después se **ajusta** (ajuste fino) a la tarea que interesa, con pocas etiquetas. ULMFiT (Howard y Ruder, 2018, [arXiv:1801.06146](https://arxiv.org/abs/1801.06146)) lo hizo con un modelo de lenguaje LSTM que predice la palabra siguiente y lo ajustó para clasificar textos. BERT (Devlin et al., 2018, [arXiv:1810.04805](https://arxiv.org/abs/1810.04805)) usó un codificador Transformer y un **modelo de lenguaje enmascarado** (MLM): se ocultan algunas palabras y el modelo debe recuperarlas mirando el contexto a ambos lados.
#
# La receta de BERT elige al azar el 15 % de los tokens de cada texto. De los elegidos, el 80 % se sustituye por `[MASK]`, el 10 % por una palabra al azar y el 10 % se deja como estaba. Si $M$ es el conjunto de posiciones elegidas y $\tilde{\mathbf{x}}$ el texto corrompido, la pérdida es la entropía cruzada media **solo** sobre $M$:
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
# Labeling examples is expensive; unlabeled text is cheap. **Pretraining** exploits the latter: the network is first trained on a task that comes for free from the text itself and is then **fine-tuned** on the task of interest, with few labels. ULMFiT (Howard and Ruder, 2018, [arXiv:1801.06146](https://arxiv.org/abs/1801.06146)) did it with an LSTM language model that predicts the next word, fine-tuned to classify texts. BERT (Devlin et al., 2018, [arXiv:1810.04805](https://arxiv.org/abs/1810.04805)) used a Transformer encoder and a **masked language model** (MLM): some words are hidden and the model must recover them by looking at the context on both sides.
#
# BERT's recipe chooses 15% of the tokens of each text at random. Of the chosen ones, 80% are replaced by `[MASK]`, 10% by a random word and 10% are left as they were. If $M$ is the set of chosen positions and $\tilde{\mathbf{x}}$ the corrupted text, the loss is the mean cross-entropy over $M$ **only**:
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
# - **Prueba, mismas formulaciones**: {{ value: n_test_same }} reseñas nuevas escritas con las mismas plantillas.
# - **Prueba, formulaciones nuevas**: {{ value: n_test_new }} reseñas con cláusulas, veredictos y la mitad de los adjetivos que nunca aparecen en las reseñas para ajustar (`held_out=True`).
# - **Para preentrenar**: {{ value: n_unlabelled_reviews }} reseñas cuyas etiquetas se tiran al generarlas, la mitad con cada tipo de formulación, más las {{ value: n_course }} frases del corpus del curso. Ningún texto de este conjunto está en los tres anteriores; lo comprobamos {{ claim: no_overlap }}.
#
# Que el texto sin etiquetas incluya las formulaciones nuevas imita lo que ocurre en la práctica: el texto de preentrenamiento es enorme y contiene palabras que nunca aparecen en las pocas reseñas etiquetadas. Si el preentrenamiento enseña qué significan esas palabras, la prueba con formulaciones nuevas es donde debería notarse.

# %% [markdown] lang="en"
# ## Unlabeled text and labeled reviews
#
# The reviews are those from [Sequence classification with LSTM and GRU](sentiment-lstm.md): generated Spanish sentences about restaurants, hotels, films, phones and books. We prepare four sets:
#
# - **To fine-tune**: 256 labeled reviews per class, from which we will take small subsets.
# - **Test, same phrasings**: {{ value: n_test_same }} new reviews written with the same templates.
# - **Test, new phrasings**: {{ value: n_test_new }} reviews with clauses, verdicts and half of the adjectives that never appear in the fine-tuning reviews (`held_out=True`).
# - **To pretrain**: {{ value: n_unlabelled_reviews }} reviews whose labels are thrown away when they are generated, half with each kind of phrasing, plus the {{ value: n_course }} sentences of the course corpus. No text of this set is in the other three; we check it {{ claim: no_overlap }}.
#
# That the unlabeled text includes the new phrasings mimics practice: pretraining text is huge and contains words that never appear in the few labeled reviews. If pretraining teaches what those words mean, the test with new phrasings is where it should show.

# %%
import math

import torch
import torch.nn.functional as F
from dlcourse.bilingual import align, claim, number, percent, publish, quote, tr
from dlcourse.data import corpus
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
print(f"{tr(es='dispositivo', en='device')}: {device}")


# fine-tuning pool: 256 reviews per class
labelled = corpus.reviews(256, seed=10)
# test: new reviews, training phrasings
test_same = corpus.reviews(150, seed=11)
# test: held-out phrasings
test_new = corpus.reviews(150, held_out=True, seed=12)
labelled_texts = [r.text for r in labelled + test_same + test_new]
# reviews without labels, + course sentences
texts = unlabelled_texts(labelled_texts)
n_course = len(corpus.sentences("es"))
n_reviews = len(texts) - n_course
overlap = len(set(texts) & set(labelled_texts))
n_tune, n_same, n_new = len(labelled), len(test_same), len(test_new)
print(
    tr(
        es=f"textos sin etiquetas: {len(texts)} "
        f"({n_reviews} reseñas + {n_course} frases del curso)",
        en=f"unlabeled texts: {len(texts)} ({n_reviews} reviews + {n_course} "
        "sentences of the course)",
    )
)
print(
    tr(
        es=f"reseñas etiquetadas: {n_tune} para ajustar, "
        f"{n_same} + {n_new} de prueba",
        en=f"labeled reviews: {n_tune} to fine-tune, "
        f"{n_same} + {n_new} to test",
    )
)
print(
    tr(
        es="textos a la vez en el conjunto sin etiquetas y en los etiquetados",
        en="texts both in the unlabeled and in the labeled sets",
    )
    + f": {overlap}"
)

# words seen at least twice in the unlabeled text
vocab = build_vocabulary(texts)
sequences = encode(texts, vocab)
order = torch.randperm(len(sequences), generator=seeded_generator(0)).tolist()
# held back: masked-token accuracy
val_seqs = [sequences[i] for i in order[:300]]
train_seqs = [sequences[i] for i in order[300:]]
n_ordinary_words = len(vocab) - len(vocab.specials)
print(
    tr(
        es=f"vocabulario: {len(vocab)} tokens, de ellos especiales:",
        en=f"vocabulary: {len(vocab)} tokens, of which special:",
    ),
    " ".join(vocab.specials),
)
print(
    tr(
        es="una reseña de prueba tal como la lee el modelo:",
        en="a test review as the model reads it:",
    )
)
print(" ", quote(" ".join(vocab.decode(encode([test_same[0].text], vocab)[0]))))
publish("n_test_same", n_same)
publish("n_test_new", n_new)
publish("n_unlabelled_reviews", n_reviews)
publish("n_course", n_course)
publish("n_ordinary_words", n_ordinary_words)
claim(
    "no_overlap",
    overlap == 0 and n_reviews > 0,
    es="ningún texto sin etiquetas está entre las reseñas etiquetadas",
    en="no unlabeled text is among the labeled reviews",
)

# %% [markdown] lang="es"
# Cada texto empieza por `[CLS]` y termina en `[SEP]`, como en BERT; las palabras que no están en el vocabulario se convierten en `<unk>`.
#
# ## La receta de enmascaramiento de BERT
#
# `mask_tokens` elige las posiciones con un sorteo independiente por token y, con otro número al azar, decide qué les pasa. Los tokens especiales (`[CLS]`, `[SEP]`, el relleno) nunca se eligen. Abajo, tres textos corrompidos: cada posición elegida aparece como `lo que ve el modelo<palabra original:qué le pasó>`, donde lo que le pasó es `máscara`, `igual` o `azar`.

# %% [markdown] lang="en"
# Each text starts with `[CLS]` and ends with `[SEP]`, as in BERT; words not in the vocabulary become `<unk>`.
#
# ## BERT's masking recipe
#
# `mask_tokens` chooses the positions with an independent draw per token and, with another random number, decides what happens to them. Special tokens (`[CLS]`, `[SEP]`, padding) are never chosen. Below, three corrupted texts: each chosen position is shown as `what the model sees<original word:what happened>`, where what happened is `mask`, `same` or `random`.

# %%
happened = {
    "mask": tr(es="máscara", en="mask"),
    "same": tr(es="igual", en="same"),
    "random": tr(es="azar", en="random"),
}
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
            kind = (
                "mask"
                if word == "[MASK]"
                else ("same" if now == was else "random")
            )
            word = f"{word}<{vocab.itos[was]}:{happened[kind]}>"
        shown.append(word)
    print(quote(" ".join(shown)), end="\n\n")


# between numbers: Spanish writes them with a comma
listing = tr(es="; ", en=", ")


everything = pad(train_seqs)  # every pretraining text at once: (N, T)
big = mask_tokens(everything, vocab, seeded_generator(2))
ordinary = ~special_mask(everything, vocab)
chosen = big.chosen
became_mask = chosen & (big.inputs == vocab.stoi["[MASK]"])
unchanged = chosen & (big.inputs == everything)
became_random = chosen & ~became_mask & ~unchanged
n_tokens = int(ordinary.sum())
rate = (chosen.sum() / ordinary.sum()).item()
recipe = tr(es="receta", en="recipe")
print(
    f"{tr(es='tokens ordinarios', en='ordinary tokens')}: "
    f"{number(n_tokens, ',d')} · "
    f"{tr(es='elegidos', en='chosen')}: {percent(rate, 2)} "
    f"({recipe}: {percent(0.15)})"
)
shares = {}
for kind, es, en, part, target in (
    ("mask", "elegidos → [MASK]", "chosen → [MASK]", became_mask, 0.8),
    (
        "random",
        "elegidos → palabra al azar",
        "chosen → random word",
        became_random,
        0.1,
    ),
    ("same", "elegidos → sin cambios", "chosen → unchanged", unchanged, 0.1),
):
    shares[kind] = (part.sum() / chosen.sum()).item()
    label = align(tr(es=es, en=en), 27, "<")
    share = align(percent(shares[kind], 2), 7, ">")
    print(f"  {label} {share}   ({recipe}: {percent(target)})")
n_special_chosen = int((chosen & ~ordinary).sum())
specials_chosen = tr(
    es="tokens especiales elegidos", en="special tokens chosen"
)
print(f"{specials_chosen}: {n_special_chosen}")
publish("n_tokens", n_tokens, ",d")
publish("rate_chosen", percent(rate, 2))
publish("rate_mask", percent(shares["mask"], 2))
publish("rate_random", percent(shares["random"], 2))
publish("rate_same", percent(shares["same"], 2))
claim(
    "recipe_holds",
    abs(rate - 0.15) < 0.005
    and abs(shares["mask"] - 0.8) < 0.01
    and abs(shares["random"] - 0.1) < 0.01
    and abs(shares["same"] - 0.1) < 0.01,
    es="se elige un 15 % (±0,5 puntos) y las partes son 80/10/10 % (±1 punto)",
    en="15% are chosen (±0.5 points) and the parts are 80/10/10% (±1 point)",
)
claim(
    "no_special_chosen",
    n_special_chosen == 0,
    es="ningún token especial se elige",
    en="no special token is chosen",
)

# %% [markdown] lang="es"
# ## La pérdida solo mira las posiciones elegidas
#
# Las etiquetas valen la palabra original en las posiciones elegidas y $-100$ en el resto; `F.cross_entropy` ignora ese valor. Lo comprobamos con el modelo aún sin entrenar de tres maneras: puntuando todas las posiciones, puntuando solo las elegidas y, por último, llenando de ruido las puntuaciones de las posiciones **no** elegidas. Las tres pérdidas deben coincidir. Puntuar solo las elegidas es lo que hace el bucle de entrenamiento: la capa de salida, la más cara con un vocabulario grande, trabaja sobre un 15 % de las posiciones.

# %% [markdown] lang="en"
# ## The loss only looks at the chosen positions
#
# Labels hold the original word at chosen positions and $-100$ elsewhere; `F.cross_entropy` ignores that value. We check it with the still untrained model in three ways: scoring every position, scoring only the chosen ones and, finally, filling the scores of the positions **not** chosen with noise. The three losses must agree. Scoring only the chosen ones is what the training loop does: the output layer, the most expensive one with a large vocabulary, works on 15% of the positions.

# %%
seed_torch(0)
untrained = MiniBert(len(vocab)).eval()
batch = mask_tokens(pad(train_seqs[:32]), vocab, seeded_generator(3))
with torch.no_grad():
    hidden = untrained(batch.inputs)  # (32, T, 64)
    scores = untrained.mlm_logits(hidden)  # (32, T, V)
    every = mlm_loss(scores, batch.labels).item()
    picked = hidden[batch.chosen]  # (chosen, 64)
    only = mlm_loss(
        untrained.mlm_logits(picked), batch.labels[batch.chosen]
    ).item()
    noisy = scores.clone()
    noisy[~batch.chosen] = 100 * torch.randn_like(noisy[~batch.chosen])
    with_noise = mlm_loss(noisy, batch.labels).item()
# the loss of a uniform guess over the vocabulary
uniform = math.log(len(vocab))
n_ignored = int((batch.labels == IGNORE).sum())
print(
    f"{tr(es='posiciones', en='positions')}: {batch.labels.numel()} · "
    f"{tr(es='elegidas', en='chosen')}: {int(batch.chosen.sum())} · "
    f"{tr(es='con etiqueta', en='labeled')} {IGNORE}: {n_ignored}"
)
for es, en, value in (
    (
        "pérdida puntuando todas las posiciones",
        "loss scoring every position",
        every,
    ),
    (
        "pérdida puntuando solo las elegidas",
        "loss scoring only the chosen",
        only,
    ),
    (
        "con ruido en las demás posiciones",
        "with noise on the other positions",
        with_noise,
    ),
    (
        "ln(tamaño del vocabulario), apuesta uniforme",
        "ln(vocabulary size), uniform guess",
        uniform,
    ),
):
    caption = align(tr(es=es + ":", en=en + ":"), 45, "<")
    print(f"{caption} {number(value, '.4f')}")
publish("loss_untrained", every, ".4f")
publish("ln_vocab", uniform, ".4f")
publish("vocab_size", len(vocab))
claim(
    "losses_agree",
    abs(every - only) < 1e-5 and abs(every - with_noise) < 1e-5,
    es="las tres formas de calcular la pérdida coinciden (hasta 0,00001)",
    en="the three ways of computing the loss agree (to within 0.00001)",
)
claim(
    "untrained_uniform",
    abs(every - uniform) < 0.1,
    es="la pérdida sin entrenar está a menos de 0,1 de ln(tamaño del "
    "vocabulario)",
    en="the untrained loss is within 0.1 of ln(vocabulary size)",
)

# %% [markdown] lang="es"
# ## Preentrenar el codificador
#
# 800 pasos con lotes de 32 textos, AdamW con tasa $3 \cdot 10^{-3}$, un calentamiento corto y decaimiento lineal. Cada lote se enmascara de nuevo al formarlo (enmascaramiento dinámico, como en RoBERTa, Liu et al., 2019, [arXiv:1907.11692](https://arxiv.org/abs/1907.11692)), así que un mismo texto enseña huecos distintos cada vez que vuelve. Los lotes agrupan textos de longitud parecida para gastar poco en relleno. Medimos la exactitud con los {{ value: n_val }} textos apartados: la fracción de posiciones elegidas cuya palabra original es la primera apuesta del modelo. Guardamos también una copia del codificador tras 200 pasos, para el ejercicio 3.

# %% [markdown] lang="en"
# ## Pretraining the encoder
#
# 800 steps with batches of 32 texts, AdamW at rate $3 \cdot 10^{-3}$, a short warm-up and linear decay. Each batch is masked anew when it is formed (dynamic masking, as in RoBERTa, Liu et al., 2019, [arXiv:1907.11692](https://arxiv.org/abs/1907.11692)), so the same text teaches different blanks each time it comes back. Batches group texts of similar length so little is spent on padding. We measure accuracy on the {{ value: n_val }} held-back texts: the share of chosen positions whose original word is the model's first guess. We also keep a copy of the encoder after 200 steps, for exercise 3.

# %%
run = pretrain_mlm(train_seqs, vocab, device=device, snapshots=(200,))
model = run.model
n_params = sum(p.numel() for p in model.parameters())
print(f"{tr(es='parámetros', en='parameters')}: {number(n_params, ',d')}")
first, last, every_n = run.losses[0], run.losses[-1], run.steps[0]
print(
    tr(
        es=f"pérdida MLM: {number(first, '.2f')} "
        f"(media de los {every_n} primeros pasos) -> "
        f"{number(last, '.2f')} (últimos {every_n})",
        en=f"MLM loss: {number(first, '.2f')} "
        f"(mean of the first {every_n} steps) -> "
        f"{number(last, '.2f')} (last {every_n})",
    )
)
val_accuracy = masked_accuracy(model, val_seqs, vocab)
counts = torch.bincount(pad(val_seqs).flatten(), minlength=len(vocab))
counts[: len(vocab.specials)] = 0  # only ordinary words are ever chosen
commonest = vocab.itos[int(counts.argmax())]
commonest_share = (counts.max() / counts.sum()).item()
n_val = len(val_seqs)
shown, baseline = percent(val_accuracy, 1), percent(commonest_share, 1)
print(
    tr(
        es=f"exactitud con tokens ocultos en los {n_val} textos apartados: "
        f"{shown}",
        en=f"masked-token accuracy on the {n_val} held-back texts: {shown}",
    )
)
print(
    tr(
        es="apostando siempre por la palabra más común, "
        f"«{commonest}»: {baseline}",
        en=f"always guessing the commonest word, '{commonest}': {baseline}",
    )
)

fig, ax = new_figure(width=5.8, height=3.6)
ax.plot(run.steps, run.losses, "o-", markersize=3, color=PALETTE[0])
ax.axhline(uniform, color="#888888", linestyle=":")
ax.text(
    run.steps[-1],
    uniform - 0.2,
    tr(es="apuesta uniforme", en="uniform guess"),
    ha="right",
    va="top",
    color="#555555",
)
ax.set(
    title=tr(es="Preentrenamiento MLM", en="MLM pretraining"),
    xlabel=tr(es="paso", en="step"),
    ylabel=tr(es="pérdida MLM", en="MLM loss"),
    ylim=(0, 7),
)
set_alt(
    fig,
    es="Pérdida del modelo de lenguaje enmascarado frente al paso de "
    f"entrenamiento, promediada cada {every_n} pasos: baja de "
    f"{number(first, '.2f')} a {number(last, '.2f')}; una línea punteada "
    f"marca la pérdida de una apuesta uniforme, {number(uniform, '.2f')}.",
    en="Masked-language-model loss against the training step, averaged every "
    f"{every_n} steps: it falls from {number(first, '.2f')} to "
    f"{number(last, '.2f')}; a dotted line marks the loss of a uniform "
    f"guess, {number(uniform, '.2f')}.",
)
publish("n_val", n_val)
publish("n_steps", run.steps[-1])
publish("loss_first", first, ".2f")
publish("loss_last", last, ".2f")
publish("masked_accuracy", percent(val_accuracy, 1))
publish("commonest_accuracy", percent(commonest_share, 1))
claim(
    "loss_falls",
    last < 0.6 * first,
    es="la pérdida final es menor que el 60 % de la inicial",
    en="the final loss is below 60% of the initial one",
)
claim(
    "beats_commonest",
    commonest == "." and val_accuracy > 2 * commonest_share,
    es="el punto es la palabra más común y el modelo acierta más del doble "
    "que él",
    en="the full stop is the commonest word and the model scores over twice "
    "as well",
)

# %% [markdown] lang="es"
# ## Rellenar huecos
#
# `fill_mask` muestra las cuatro palabras más probables para un hueco, con su probabilidad. Las dos primeras frases solo se diferencian en el sentimiento del contexto; la tercera pide concordancia (un adjetivo femenino plural); la cuarta es el principio típico de una reseña y la última, una frase del corpus del curso. Después sumamos la probabilidad que el modelo da en el hueco a los adjetivos positivos y a los negativos del generador de reseñas (en todas sus formas), y a los singulares y a los plurales.

# %% [markdown] lang="en"
# ## Filling in blanks
#
# `fill_mask` shows the four likeliest words for a blank, with their probability. The first two sentences differ only in the sentiment of the context; the third asks for agreement (a feminine plural adjective); the fourth is the typical start of a review and the last one, a sentence from the course corpus. Then we add up the probability the model gives in the blank to the review generator's positive and negative adjectives (in all their forms), and to the singular and the plural ones.

# %%
prompts = [
    (
        "El servicio fue excelente y la comida estaba [MASK] . "
        "Lo recomiendo sin dudarlo ."
    ),
    "El servicio fue horrible y la comida estaba [MASK] . No lo recomiendo .",
    "Las fotos me parecieron [MASK] .",
    "Compré este [MASK] hace un mes .",
    "Mi abuela cocina el mejor arroz con [MASK] del barrio .",
]
guesses = [fill_mask(model, vocab, prompt, k=4) for prompt in prompts]
for prompt, top in zip(prompts, guesses, strict=True):
    shown = listing.join(f"{quote(word)} {number(p, '.2f')}" for word, p in top)
    print(f"{quote(prompt)}\n    -> {shown}")

# every adjective form -> (polarity: 1 positive, plural?)
forms = corpus.adjective_forms()


def adjective_mass(encoder, prompt):
    """Probability the blank of ``prompt`` gives to each kind of adjective."""
    every_word = fill_mask(
        encoder, vocab, prompt, k=len(vocab) - len(vocab.specials)
    )
    mass = dict.fromkeys(("positive", "negative", "singular", "plural"), 0.0)
    for word, p in every_word:
        if word in forms:
            polarity, plural = forms[word]
            mass["positive" if polarity == 1 else "negative"] += p
            mass["plural" if plural else "singular"] += p
    return mass


def positive_share(mass):
    """Share of the adjectives' probability that goes to positive ones."""
    return mass["positive"] / (mass["positive"] + mass["negative"])


masses = [adjective_mass(model, prompt) for prompt in prompts[:3]]
contexts = [
    tr(es="contexto positivo", en="positive context"),
    tr(es="contexto negativo", en="negative context"),
]
print(
    tr(
        es="\nprobabilidad de los adjetivos en el hueco:",
        en="\nadjective probability in the blank:",
    )
)
for context, mass in zip(contexts, masses, strict=False):
    print(
        f"  {align(context + ':', 19, '<')} "
        f"{tr(es='positivos', en='positive')} "
        f"{number(mass['positive'], '.2f')} · "
        f"{tr(es='negativos', en='negative')} "
        f"{number(mass['negative'], '.2f')}"
    )
fotos = masses[2]
fotos_label = align(quote("Las fotos…") + ":", 19, "<")
print(
    f"  {fotos_label} "
    f"{tr(es='singulares', en='singular')} "
    f"{number(fotos['singular'], '.2f')} · "
    f"{tr(es='plurales', en='plural')} {number(fotos['plural'], '.2f')}"
)
shares_pos, shares_neg = positive_share(masses[0]), positive_share(masses[1])
top_pos = [word for word, _ in guesses[0]]
top_neg = [word for word, _ in guesses[1]]
phone_word, phone_p = guesses[3][0]


def quoted(words):
    """Words of the data, quoted as each language quotes them."""
    return ", ".join(quote(word) for word in words)


publish("top_positive", quoted(top_pos))
publish("top_negative", quoted(top_neg))
publish("positive_share_pos", percent(shares_pos))
publish("positive_share_neg", percent(shares_neg))
publish("fotos_singular", fotos["singular"], ".2f")
publish("fotos_plural", fotos["plural"], ".2f")
publish("phone_p", phone_p, ".2f")
publish("course_top_p", guesses[4][0][1], ".2f")
publish("course_share", percent(n_course / len(texts)))
claim(
    "phone_blank",
    phone_word == "teléfono" and phone_p > 0.5,
    es="«Compré este [MASK]…» da «teléfono» con probabilidad mayor que 0,5",
    en='"Compré este [MASK]…" gives "teléfono" with probability above 0.5',
)
claim(
    "same_guesses",
    len(set(top_pos) & set(top_neg)) >= 3,
    es="al menos tres de las cuatro primeras apuestas coinciden en los dos "
    "contextos",
    en="at least three of the four top guesses are the same in both contexts",
)
claim(
    "no_sentiment_blank",
    min(shares_pos, shares_neg) > 0.4
    and max(shares_pos, shares_neg) < 0.6
    and abs(shares_pos - shares_neg) < 0.05,
    es="en los dos contextos los positivos se llevan del 40 al 60 % de la "
    "probabilidad de los adjetivos, con menos de 5 puntos de diferencia entre "
    "contextos",
    en="in both contexts positive adjectives get 40 to 60% of the adjectives' "
    "probability, less than 5 points apart between contexts",
)
claim(
    "agreement_incomplete",
    fotos["singular"] > fotos["plural"],
    es="tras «Las fotos me parecieron» los singulares reciben más que los "
    "plurales",
    en='after "Las fotos me parecieron" singular forms get more than plural '
    "ones",
)
claim(
    "course_unsure",
    guesses[4][0][1] < 0.15,
    es="en la frase del curso, la primera apuesta tiene probabilidad menor "
    "que 0,15",
    en="in the course sentence, the top guess has probability below 0.15",
)

# %% [markdown] lang="es"
# ## Ajuste fino con pocas etiquetas
#
# Para cada tamaño (16, 64 y 256 reseñas por clase) y cada semilla (dos: cada una sortea otro subconjunto y otra inicialización de la capa de salida), `learning_curves` entrena dos clasificadores con la misma receta: 50 pasos de AdamW con tasa $10^{-3}$, lotes de 32 y **todos** los parámetros libres. Uno parte de una copia del codificador preentrenado; el otro, de un codificador nuevo con la misma forma y pesos al azar. Lo único que cambia es de dónde salen los pesos iniciales. (BERT ajusta con tasas mucho menores, del orden de $10^{-5}$; nuestra red, diminuta y con pocos pasos, necesita más.)

# %% [markdown] lang="en"
# ## Fine-tuning with few labels
#
# For each size (16, 64 and 256 reviews per class) and each seed (two: each draws another subset and another initialization of the output layer), `learning_curves` trains two classifiers with the same recipe: 50 AdamW steps at rate $10^{-3}$, batches of 32 and **all** parameters free. One starts from a copy of the pretrained encoder; the other from a new encoder of the same shape with random weights. The only difference is where the initial weights come from. (BERT fine-tunes with much smaller rates, of the order of $10^{-5}$; our tiny network, with few steps, needs more.)


# %%
def as_ids(reviews):
    return encode([r.text for r in reviews], vocab), [r.label for r in reviews]


SIZES, SEEDS, STARTS = (16, 64, 256), (0, 1), ("pretrained", "scratch")
tests = {"same": as_ids(test_same), "new": as_ids(test_new)}
points = learning_curves(
    model, as_ids(labelled), tests, sizes=SIZES, seeds=SEEDS
)


def results(start, n, test):
    return [
        p.accuracy[test]
        for p in points
        if p.start == start and p.n_per_class == n
    ]


def mean(start, n, test):
    return sum(results(start, n, test)) / len(SEEDS)


def row(first, cells):
    """A table line; number cells are 18 characters wide in both languages."""
    return (
        f"{first:>9} | {cells[0]:<18}  {cells[1]:<18} | "
        f"{cells[2]:<18}  {cells[3]}"
    )


print(
    tr(
        es=f"exactitud en prueba: media de {len(SEEDS)} semillas "
        "(y cada semilla)",
        en=f"test accuracy: mean of {len(SEEDS)} seeds (and each seed)",
    )
)
print(
    tr(
        es=f"{'':>9} | {'mismas formulaciones':<38} | formulaciones nuevas",
        en=f"{'':>9} | {'same phrasings':<38} | new phrasings",
    )
)
print(
    tr(
        es=row("por clase", ["preentrenado", "desde cero"] * 2),
        en=row("per class", ["pretrained", "from scratch"] * 2),
    )
)
for n in SIZES:
    cells = []
    for test in tests:
        for start in STARTS:
            a, b = results(start, n, test)
            seeds = f"{number(a, '.2f')}{listing}{number(b, '.2f')}"
            cells.append(f"{number(mean(start, n, test))} ({seeds})")
    print(row(str(n), cells))

gaps = {  # pretrained minus scratch, per size
    t: [mean("pretrained", n, t) - mean("scratch", n, t) for n in SIZES]
    for t in tests
}
pairs = {t: [results(s, n, t) for s in STARTS for n in SIZES] for t in tests}
# seed to seed
spread = {t: max(abs(a - b) for a, b in pairs[t]) for t in tests}
new_means = [mean(s, n, "new") for s in STARTS for n in SIZES]
max_gap_same = max(abs(g) for g in gaps["same"])
best_gain = max(g for t in tests for g in gaps[t])


def signed(values):
    """Signed differences, listed as each language lists numbers."""
    return listing.join(number(v, "+.3f") for v in values)


publish("gaps_same", signed(gaps["same"]))
publish("gaps_new", signed(gaps["new"]))
publish("max_gap_same", max_gap_same)
publish("spread_same", spread["same"], ".2f")
publish("new_low", min(new_means), ".2f")
publish("new_high", max(new_means), ".2f")
publish("best_gain", best_gain, "+.3f")
claim(
    "same_within_noise",
    max_gap_same <= spread["same"],
    es="con las mismas formulaciones, la mayor diferencia entre los dos "
    "puntos de partida no supera la mayor diferencia entre las dos semillas "
    "de un punto",
    en="with the same phrasings, the largest difference between the two "
    "starts is no larger than the largest difference between the two seeds "
    "of a point",
)
claim(
    "new_far_behind",
    all(
        mean(s, n, "new") < mean(s, n, "same") - 0.1
        for s in STARTS
        for n in SIZES
    ),
    es="con formulaciones nuevas cada media queda más de 0,1 por debajo de "
    "la de las mismas formulaciones",
    en="with new phrasings every mean is more than 0.1 below its "
    "same-phrasings mean",
)
claim(
    "no_clear_win",
    best_gain < 0.1,
    es="en ningún tamaño ni prueba gana el preentrenado por 0,1 o más",
    en="at no size and in neither test does the pretrained model win by 0.1 "
    "or more",
)

# %%
start_names = {
    "pretrained": tr(es="preentrenado", en="pretrained"),
    "scratch": tr(es="desde cero", en="from scratch"),
}
titles = {
    "same": tr(es="Mismas formulaciones", en="Same phrasings"),
    "new": tr(es="Formulaciones nuevas", en="New phrasings"),
}
fig, axes = new_figure(ncols=2, width=4.6, height=3.9, sharey=True)
for ax, test in zip(axes, tests, strict=True):
    for k, start in enumerate(STARTS):
        curve = [mean(start, n, test) for n in SIZES]
        ax.plot(SIZES, curve, "o-", color=PALETTE[k], label=start_names[start])
        for n in SIZES:
            ax.scatter(
                [n] * len(SEEDS),
                results(start, n, test),
                s=14,
                color=PALETTE[k],
                alpha=0.45,
            )
    ax.axhline(0.5, color="#888888", linestyle=":", linewidth=1)
    ax.text(
        256,
        0.49,
        tr(es="azar", en="chance"),
        ha="right",
        va="top",
        color="#555555",
        fontsize=9,
    )
    ax.set_xscale("log", base=2)
    ax.set_xticks(SIZES, [str(n) for n in SIZES])
    ax.set(
        title=titles[test],
        xlabel=tr(es="reseñas por clase", en="reviews per class"),
        ylim=(0.4, 1.0),
    )
axes[0].set_ylabel(tr(es="exactitud en prueba", en="test accuracy"))
axes[0].legend(loc="upper left")
set_alt(
    fig,
    es="Dos paneles con la exactitud en prueba frente al número de reseñas "
    "etiquetadas por clase (16, 64 y 256), para el codificador preentrenado y "
    "el entrenado desde cero, con la media de dos semillas y cada semilla como "
    "punto. Diferencia preentrenado menos desde cero, mismas formulaciones: "
    f"{signed(gaps['same'])}; formulaciones nuevas: {signed(gaps['new'])}. "
    f"Una línea punteada marca el azar, {number(0.5, '.1f')}.",
    en="Two panels with test accuracy against the number of labeled reviews "
    "per class (16, 64 and 256), for the pretrained encoder and the one "
    "trained from scratch, with the mean of two seeds and each seed as a dot. "
    "Difference pretrained minus scratch, same phrasings: "
    f"{signed(gaps['same'])}; new phrasings: {signed(gaps['new'])}. "
    f"A dotted line marks chance, {number(0.5, '.1f')}.",
)

# %% [markdown] lang="es"
# ## Lo que aprendieron las incrustaciones
#
# Las palabras que rellenan los mismos huecos acaban con incrustaciones parecidas. Miramos las cinco palabras más cercanas (similitud del coseno) a dos adjetivos que solo aparecen en las formulaciones nuevas, «espléndido» y «nefasto», y a dos de las reseñas para ajustar, «excelente» y «horrible», y contamos cuántas de ellas son adjetivos de la polaridad contraria.

# %% [markdown] lang="en"
# ## What the embeddings learned
#
# Words that fill the same blanks end up with similar embeddings. We look at the five nearest words (cosine similarity) to two adjectives that only appear in the new phrasings, "espléndido" (splendid) and "nefasto" (dreadful), and to two from the fine-tuning reviews, "excelente" (excellent) and "horrible", and count how many of them are adjectives of the opposite polarity.

# %%
probe_words = ("espléndido", "nefasto", "excelente", "horrible")


def neighbourhood(encoder):
    """The five nearest words to each probe word; how many are adjectives,
    and which neighbors are adjectives of the opposite polarity."""
    near = {word: nearest_words(encoder, vocab, word) for word in probe_words}
    listed = [(word, w) for word in probe_words for w, _ in near[word]]
    adjectives = sum(w in forms for _, w in listed)
    # probe word -> neighbors that are adjectives of the other polarity
    opposite = {
        word: [
            w
            for w, _ in near[word]
            if w in forms and forms[w][0] != forms[word][0]
        ]
        for word in probe_words
    }
    return near, adjectives, opposite


neighbours, n_adjectives, opposite = neighbourhood(model)
for word, near in neighbours.items():
    shown = listing.join(f"{quote(w)} {number(s, '.2f')}" for w, s in near)
    print(f"{align(quote(word), 13, '>')} -> {shown}")
n_listed = sum(len(near) for near in neighbours.values())
n_opposite = sum(len(words) for words in opposite.values())
print(
    tr(
        es=f"\nde los {n_listed} vecinos, adjetivos: {n_adjectives}; "
        f"de la polaridad contraria: {n_opposite}",
        en=f"\nof the {n_listed} neighbors, adjectives: {n_adjectives}; "
        f"of the opposite polarity: {n_opposite}",
    )
)
publish("near_esplendido", quoted(w for w, _ in neighbours["espléndido"]))
publish("near_horrible", quoted(w for w, _ in neighbours["horrible"]))
publish("n_listed", n_listed)
publish("n_opposite", n_opposite)
n_mixed = sum(bool(opposite[word]) for word in probe_words)
publish("n_mixed", n_mixed)
claim(
    "neighbours_mixed",
    n_mixed >= 3,
    es="al menos tres de las cuatro palabras tienen entre sus cinco vecinos un "
    "adjetivo de la otra polaridad",
    en="at least three of the four words have an adjective of the other "
    "polarity among their five neighbors",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - La receta se cumple: se elige el {{ value: rate_chosen }} de los tokens ordinarios y, de ellos, el {{ value: rate_mask }} pasa a `[MASK]`, el {{ value: rate_random }} a una palabra al azar y el {{ value: rate_same }} queda igual {{ claim: recipe_holds }}; ningún token especial se elige {{ claim: no_special_chosen }}. Las tres formas de calcular la pérdida dan {{ value: loss_untrained }} {{ claim: losses_agree }}, muy cerca de $\ln V$ = {{ value: ln_vocab }} (con $V$ = {{ value: vocab_size }} tokens), la pérdida de una apuesta uniforme {{ claim: untrained_uniform }}: el modelo aún no sabe nada, y las posiciones no elegidas no cuentan aunque sus puntuaciones sean ruido.
# - El preentrenamiento aprende algo: la pérdida baja de {{ value: loss_first }} a {{ value: loss_last }} {{ claim: loss_falls }} y el modelo acierta el {{ value: masked_accuracy }} de las palabras ocultas de textos que no vio, frente al {{ value: commonest_accuracy }} de apostar siempre por el punto {{ claim: beats_commonest }}. «Compré este [MASK] hace un mes» da «teléfono» con probabilidad {{ value: phone_p }} {{ claim: phone_blank }}. Lo que aprende es la **estructura** de las reseñas: qué clase de palabra va en cada sitio.
# - Pero no aprende el **sentimiento**. Con un contexto positivo y otro negativo propone casi las mismas palabras ({{ value: top_positive }} frente a {{ value: top_negative }}) {{ claim: same_guesses }}, y en los dos reparte casi por igual la probabilidad de los adjetivos: los positivos se llevan el {{ value: positive_share_pos }} tras «excelente» y el {{ value: positive_share_neg }} tras «horrible» {{ claim: no_sentiment_blank }}. Ni siquiera la concordancia está completa: para «Las fotos me parecieron…» los adjetivos en singular reciben más probabilidad que los plurales ({{ value: fotos_singular }} frente a {{ value: fotos_plural }}) {{ claim: agreement_incomplete }}. Y las frases del corpus del curso, el {{ value: course_share }} de los textos y todas distintas, no llega a aprenderlas en tan pocas pasadas: para la de la abuela, su primera apuesta solo tiene probabilidad {{ value: course_top_p }} {{ claim: course_unsure }}.
# - Las incrustaciones lo confirman: junto a «espléndido» quedan {{ value: near_esplendido }}; junto a «horrible», {{ value: near_horrible }}. De las cuatro palabras, {{ value: n_mixed }} tienen entre sus vecinos algún adjetivo de la polaridad contraria ({{ value: n_opposite }} de los {{ value: n_listed }} vecinos) {{ claim: neighbours_mixed }}. Los adjetivos se agrupan por el hueco que ocupan, no por su polaridad.
# - Por eso el ajuste fino no gana con claridad. Con las mismas formulaciones, los dos puntos de partida quedan cerca en los tres tamaños (preentrenado menos desde cero: {{ value: gaps_same }}); la mayor diferencia, {{ value: max_gap_same }}, no supera lo que varía el resultado de una semilla a otra (hasta {{ value: spread_same }}) {{ claim: same_within_noise }}. Con formulaciones nuevas ambos quedan muy por debajo (entre {{ value: new_low }} y {{ value: new_high }}) {{ claim: new_far_behind }}, y la diferencia entre ellos es {{ value: gaps_new }}. En ningún tamaño ni prueba gana el preentrenado por una décima o más: su mayor ventaja es {{ value: best_gain }} {{ claim: no_clear_win }}. Una lectura posible, que no hemos comprobado: el preentrenamiento coloca los adjetivos nuevos junto a los conocidos, pero también junto a los de polaridad contraria, y el clasificador no puede sacar de esa vecindad su sentimiento.
# - La lección general: la transferencia funciona cuando la tarea de preentrenamiento **necesita** el conocimiento que usa la tarea final. En estas reseñas gran parte de las palabras ocultas se deduce de pistas locales (la plantilla, el género y el número), y el sentimiento del resto de la reseña ayuda poco a adivinarlas, así que el modelo no tiene motivo para aprenderlo. BERT se preentrenó con unos 3300 millones de palabras (BooksCorpus y la Wikipedia en inglés); aquí usamos {{ value: n_tokens }} tokens. Este experimento reproduce la mecánica de BERT, no su escala, y a esta escala partir de cero es prácticamente igual de bueno.

# %% [markdown] lang="en"
# ## What to notice
#
# - The recipe holds: {{ value: rate_chosen }} of the ordinary tokens are chosen and, of those, {{ value: rate_mask }} become `[MASK]`, {{ value: rate_random }} a random word and {{ value: rate_same }} stay the same {{ claim: recipe_holds }}; no special token is chosen {{ claim: no_special_chosen }}. The three ways of computing the loss give {{ value: loss_untrained }} {{ claim: losses_agree }}, very close to $\ln V$ = {{ value: ln_vocab }} (with $V$ = {{ value: vocab_size }} tokens), the loss of a uniform guess {{ claim: untrained_uniform }}: the model knows nothing yet, and the positions not chosen do not count even when their scores are noise.
# - Pretraining learns something: the loss falls from {{ value: loss_first }} to {{ value: loss_last }} {{ claim: loss_falls }} and the model gets {{ value: masked_accuracy }} of the hidden words right in texts it never saw, against {{ value: commonest_accuracy }} for always betting on the full stop {{ claim: beats_commonest }}. "Compré este [MASK] hace un mes" ("I bought this [MASK] a month ago") gives "teléfono" (phone) with probability {{ value: phone_p }} {{ claim: phone_blank }}. What it learns is the **structure** of the reviews: which kind of word goes where.
# - But it does not learn **sentiment**. With a positive and a negative context it proposes almost the same words ({{ value: top_positive }} against {{ value: top_negative }}) {{ claim: same_guesses }}, and in both it shares the adjectives' probability almost evenly: positive ones get {{ value: positive_share_pos }} after "excelente" and {{ value: positive_share_neg }} after "horrible" {{ claim: no_sentiment_blank }}. Not even agreement is complete: for "Las fotos me parecieron…" ("The photos seemed…") singular adjectives get more probability than plural ones ({{ value: fotos_singular }} against {{ value: fotos_plural }}) {{ claim: agreement_incomplete }}. And the course-corpus sentences, {{ value: course_share }} of the texts and all different, are not learned in so few passes: for the grandmother's one, its top guess only has probability {{ value: course_top_p }} {{ claim: course_unsure }}.
# - The embeddings confirm it: next to "espléndido" (splendid) lie {{ value: near_esplendido }}; next to "horrible", {{ value: near_horrible }}. Of the four words, {{ value: n_mixed }} have an adjective of the opposite polarity among their neighbors ({{ value: n_opposite }} of the {{ value: n_listed }} neighbors) {{ claim: neighbours_mixed }}. Adjectives are grouped by the blank they fill, not by their polarity.
# - That is why fine-tuning does not clearly win. With the same phrasings, the two starts end close at all three sizes (pretrained minus scratch: {{ value: gaps_same }}); the largest difference, {{ value: max_gap_same }}, is no larger than how much the result varies from one seed to the other (up to {{ value: spread_same }}) {{ claim: same_within_noise }}. With new phrasings both fall far behind (between {{ value: new_low }} and {{ value: new_high }}) {{ claim: new_far_behind }}, and the difference between them is {{ value: gaps_new }}. At no size and in neither test does the pretrained model win by a tenth or more: its largest advantage is {{ value: best_gain }} {{ claim: no_clear_win }}. One possible reading, which we have not tested: pretraining places the new adjectives next to the known ones, but also next to those of opposite polarity, and the classifier cannot get their sentiment from that neighborhood.
# - The general lesson: transfer works when the pretraining task **needs** the knowledge the final task uses. In these reviews many of the hidden words can be worked out from local clues (the template, gender and number), and the sentiment of the rest of the review helps little to guess them, so the model has no reason to learn it. BERT was pretrained on about 3,300 million words (BooksCorpus and English Wikipedia); here we use {{ value: n_tokens }} tokens. This experiment reproduces BERT's mechanics, not its scale, and at this scale starting from scratch is practically as good.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. En un lote con 2000 tokens ordinarios, ¿cuántos se eligen en promedio, y cuántos pasan a `[MASK]`, a una palabra al azar y quedan iguales? ¿En qué fracción de las posiciones elegidas ve el modelo la palabra correcta en su entrada (el vocabulario tiene {{ value: n_ordinary_words }} palabras ordinarias)? ¿Qué pasaría si todas las elegidas se cambiaran por `[MASK]`?
# 2. Congela el codificador y entrena solo una capa de salida sobre sus vectores (una «sonda lineal»), con 64 reseñas por clase, partiendo del codificador preentrenado y de uno al azar. ¿Cuánto sentimiento contienen los vectores del modelo preentrenado?
# 3. La celda de preentrenamiento guardó una copia del codificador tras 200 pasos (`run.snapshots[200]`); el final se preentrenó cuatro veces más. Compara los dos: la exactitud con palabras ocultas, los dos primeros huecos y los vecinos de «espléndido». ¿Aparece el sentimiento al preentrenar más?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. In a batch with 2,000 ordinary tokens, how many are chosen on average, and how many become `[MASK]`, a random word, or stay the same? In what fraction of the chosen positions does the model see the correct word in its input (the vocabulary has {{ value: n_ordinary_words }} ordinary words)? What would happen if every chosen token were replaced by `[MASK]`?
# 2. Freeze the encoder and train only an output layer on its vectors (a "linear probe"), with 64 reviews per class, starting from the pretrained encoder and from a random one. How much sentiment do the pretrained model's vectors hold?
# 3. The pretraining cell kept a copy of the encoder after 200 steps (`run.snapshots[200]`); the final one was pretrained four times longer. Compare the two: masked-token accuracy, the first two blanks and the neighbors of "espléndido". Does sentiment appear with more pretraining?

# %% [markdown] lang="es" solution="1"
# En promedio se elige el 15 % de 2000, es decir, {{ value: exp_chosen }}: {{ value: exp_mask }} pasan a `[MASK]`, {{ value: exp_random }} a una palabra al azar y {{ value: exp_same }} quedan iguales. Sorteando {{ value: n_batches }} lotes así con `mask_tokens`, las medias quedan a menos de 5 tokens de esas cuentas {{ claim: counts_match }}. El modelo ve la palabra correcta en el 10 % que queda igual y, por casualidad, cuando la palabra al azar coincide con la original, lo que ocurre con probabilidad $1/N$ entre $N$ = {{ value: n_ordinary_words }} palabras ordinarias: en total, el {{ value: sees_right }} de las elegidas; en los lotes sorteados es el {{ value: sees_right_measured }} {{ claim: sees_right_matches }}. Si todas pasaran a `[MASK]`, el modelo aprendería que toda palabra visible es auténtica y que solo importa predecir en los `[MASK]`; como `[MASK]` nunca aparece al ajustar, sus representaciones de las palabras visibles, que son las que usa el clasificador, estarían menos cuidadas. Esa es la razón que da BERT para el 10 % al azar y el 10 % sin cambios.

# %% [markdown] lang="en" solution="1"
# On average 15% of 2,000 are chosen, that is, {{ value: exp_chosen }}: {{ value: exp_mask }} become `[MASK]`, {{ value: exp_random }} a random word and {{ value: exp_same }} stay the same. Drawing {{ value: n_batches }} such batches with `mask_tokens`, the means come within 5 tokens of those counts {{ claim: counts_match }}. The model sees the correct word in the 10% left unchanged and, by chance, when the random word happens to be the original, which happens with probability $1/N$ among $N$ = {{ value: n_ordinary_words }} ordinary words: {{ value: sees_right }} of the chosen ones in all; in the drawn batches it is {{ value: sees_right_measured }} {{ claim: sees_right_matches }}. If every chosen token became `[MASK]`, the model would learn that every visible word is genuine and that only the `[MASK]` positions need predicting; since `[MASK]` never appears during fine-tuning, its representations of the visible words, the ones the classifier uses, would be less carefully shaped. That is the reason BERT gives for the 10% random and the 10% unchanged.

# %% solution="1"
n_ordinary_tokens, n_batches = 2000, 200
expected = {"chosen": 0.15 * n_ordinary_tokens}
for kind, fraction in (("mask", 0.8), ("random", 0.1), ("same", 0.1)):
    expected[kind] = fraction * expected["chosen"]
# unchanged, or a random word that matches
sees_right = 0.10 + 0.10 / n_ordinary_words
shape, first_word = (n_batches, n_ordinary_tokens), len(vocab.specials)
ids = torch.randint(
    first_word, len(vocab), shape, generator=seeded_generator(4)
)
drawn = mask_tokens(ids, vocab, seeded_generator(5))
to_mask = drawn.chosen & (drawn.inputs == vocab.stoi["[MASK]"])
# the input shows the original word
right = drawn.chosen & (drawn.inputs == ids)
per_batch = {
    "chosen": drawn.chosen,
    "mask": to_mask,
    "random": drawn.chosen & ~to_mask & ~right,
    "same": right,
}
measured = {
    kind: hits.sum(1).float().mean().item() for kind, hits in per_batch.items()
}
print(
    tr(
        es=f"media en {n_batches} lotes de {n_ordinary_tokens} tokens "
        "ordinarios (entre paréntesis, lo esperado):",
        en=f"mean over {n_batches} batches of {n_ordinary_tokens} ordinary "
        "tokens (expected in brackets):",
    )
)
for kind, es, en in (
    ("chosen", "elegidos", "chosen"),
    ("mask", "→ [MASK]", "→ [MASK]"),
    ("random", "→ palabra al azar", "→ random word"),
    ("same", "→ sin cambios", "→ unchanged"),
):
    print(
        f"  {align(tr(es=es + ':', en=en + ':'), 19, '<')} "
        f"{align(number(measured[kind], '.1f'), 5, '>')} "
        f"({number(expected[kind], '.0f')})"
    )
right_share = (right.sum() / drawn.chosen.sum()).item()
print(
    f"{tr(es='ve la palabra correcta', en='sees the correct word')}: "
    f"{percent(right_share, 2)} ({percent(sees_right, 2)})"
)
for kind in expected:
    publish(f"exp_{kind}", expected[kind], ".0f")
publish("n_batches", n_batches)
publish("sees_right", percent(sees_right, 2))
publish("sees_right_measured", percent(right_share, 2))
claim(
    "counts_match",
    all(abs(measured[k] - expected[k]) < 5 for k in expected),
    es="las medias de los lotes quedan a menos de 5 tokens de lo esperado",
    en="the means over the batches are within 5 tokens of the expected counts",
)
claim(
    "sees_right_matches",
    abs(right_share - sees_right) < 0.005,
    es="se ve la palabra correcta en la fracción teórica, con 0,5 puntos de "
    "margen",
    en="the correct word is seen in the expected share, within 0.5 points",
)

# %% [markdown] lang="es" solution="2"
# El codificador congelado no se entrena: basta calcular una vez la media de sus vectores para cada reseña (`mean_pooled`, en modo de evaluación) y entrenar sobre ellos una capa lineal. Con el codificador preentrenado, la sonda obtiene {{ value: probe_pre_same }} con las mismas formulaciones y {{ value: probe_pre_new }} con las nuevas; con un codificador **al azar**, {{ value: probe_scr_same }} y {{ value: probe_scr_new }}. Con las mismas formulaciones, los vectores preentrenados no sirven claramente más que los de la red al azar {{ claim: probe_no_better }}, y las dos sondas quedan muy por debajo del ajuste fino completo con las mismas 64 reseñas por clase ({{ value: finetuned_64 }}) {{ claim: probe_below_finetune }}. Una red al azar ya conserva, mezclada, la información de qué palabras tiene la reseña; el preentrenamiento, que acercó entre sí los adjetivos de signo contrario, no deja en los vectores un sentimiento que una capa lineal lea mejor que en los de la red al azar. Sin ajustar el codificador, el modelo preentrenado ofrece poco sentimiento: mucho menos del que el ajuste fino saca de los mismos ejemplos.

# %% [markdown] lang="en" solution="2"
# The frozen encoder is never trained: it is enough to compute once the mean of its vectors for each review (`mean_pooled`, in eval mode) and train a linear layer on them. With the pretrained encoder the probe gets {{ value: probe_pre_same }} with the same phrasings and {{ value: probe_pre_new }} with the new ones; with a **random** encoder, {{ value: probe_scr_same }} and {{ value: probe_scr_new }}. With the same phrasings, the pretrained vectors are not clearly more useful than the random network's {{ claim: probe_no_better }}, and both probes stay far below full fine-tuning with the same 64 reviews per class ({{ value: finetuned_64 }}) {{ claim: probe_below_finetune }}. A random network already keeps, mixed up, the information about which words the review contains; pretraining, which brought adjectives of opposite sign close together, leaves no sentiment in the vectors that a linear layer reads better than in the random network's. Without tuning the encoder, the pretrained model offers little sentiment: much less than fine-tuning gets from the same examples.

# %% solution="2"
from dlcourse.lessons.pretraining import balanced_subset, mean_pooled

x_all, y_all = as_ids(labelled)
rows = balanced_subset(y_all, 64, seed=0)
x, y = [x_all[r] for r in rows], torch.tensor([y_all[r] for r in rows])
seed_torch(0)
frozen = {"pretrained": model, "scratch": model.fresh_copy()}
probe_names = {
    "pretrained": tr(es="codificador preentrenado", en="pretrained encoder"),
    "scratch": tr(es="codificador al azar", en="random encoder"),
}
test_names = {
    "same": tr(es="mismas formulaciones", en="same phrasings"),
    "new": tr(es="formulaciones nuevas", en="new phrasings"),
}
probe = {}
for start, encoder in frozen.items():
    # (128, 64), once: the encoder never moves
    features = mean_pooled(encoder, x)
    seed_torch(0)
    head = torch.nn.Linear(features.shape[1], 2)
    optimizer = torch.optim.AdamW(head.parameters(), lr=3e-3, weight_decay=0.01)
    for _ in range(200):
        loss = F.cross_entropy(head(features), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        probe[start] = {}
        for test, (xs, ys) in tests.items():
            hits = head(mean_pooled(encoder, xs)).argmax(-1) == torch.tensor(ys)
            probe[start][test] = hits.float().mean().item()
    scores = " · ".join(
        f"{test_names[t]} {number(probe[start][t])}" for t in tests
    )
    probe_label = tr(es="sonda lineal", en="linear probe")
    print(f"{probe_label}, {probe_names[start]}: {scores}")
finetuned_64 = mean("pretrained", 64, "same")
label = tr(
    es="ajuste fino completo, preentrenado", en="full fine-tuning, pretrained"
)
print(f"{label}: {test_names['same']} {number(finetuned_64)}")
for start, short in (("pretrained", "pre"), ("scratch", "scr")):
    for test in tests:
        publish(f"probe_{short}_{test}", probe[start][test])
publish("finetuned_64", finetuned_64)
claim(
    "probe_no_better",
    probe["pretrained"]["same"] < probe["scratch"]["same"] + 0.05,
    es="con las mismas formulaciones, la sonda preentrenada no gana por 0,05 "
    "o más",
    en="with the same phrasings, the pretrained probe does not win by 0.05 "
    "or more",
)
claim(
    "probe_below_finetune",
    max(probe[s]["same"] for s in frozen) < finetuned_64 - 0.05,
    es="las dos sondas quedan más de 0,05 por debajo del ajuste fino completo",
    en="both probes stay more than 0.05 below full fine-tuning",
)

# %% [markdown] lang="es" solution="3"
# Tras 200 pasos el modelo acierta el {{ value: acc_early }} de las palabras ocultas; tras los {{ value: n_steps }}, cuatro veces más, el {{ value: masked_accuracy }} {{ claim: longer_more_accurate }}. Pero en los dos momentos el modelo reparte casi por igual la probabilidad de los adjetivos tras «excelente» y tras «horrible»: los positivos se llevan el {{ value: early_share_pos }} y el {{ value: early_share_neg }} a los 200 pasos, y el {{ value: positive_share_pos }} y el {{ value: positive_share_neg }} al final {{ claim: still_no_sentiment }}. Los vecinos de «espléndido» pasan de {{ value: near_esplendido_early }} a {{ value: near_esplendido }}. Con más preentrenamiento, los vecinos de las cuatro palabras son cada vez más adjetivos ({{ value: adjectives_early }} de {{ value: n_listed }} a los 200 pasos, {{ value: adjectives_final }} al final), pero de las dos polaridades ({{ value: n_opposite }} de la contraria) {{ claim: neighbours_become_adjectives }}. El modelo aprendió qué palabras ocupan los mismos huecos, no si la reseña es buena o mala.

# %% [markdown] lang="en" solution="3"
# After 200 steps the model gets {{ value: acc_early }} of the hidden words right; after all {{ value: n_steps }}, four times as many, {{ value: masked_accuracy }} {{ claim: longer_more_accurate }}. But at both points the model shares the adjectives' probability almost evenly after "excelente" and after "horrible": positive ones get {{ value: early_share_pos }} and {{ value: early_share_neg }} after 200 steps, and {{ value: positive_share_pos }} and {{ value: positive_share_neg }} at the end {{ claim: still_no_sentiment }}. The neighbors of "espléndido" go from {{ value: near_esplendido_early }} to {{ value: near_esplendido }}. With more pretraining, the neighbors of the four words are more and more adjectives ({{ value: adjectives_early }} of {{ value: n_listed }} after 200 steps, {{ value: adjectives_final }} at the end), but of both polarities ({{ value: n_opposite }} of the opposite one) {{ claim: neighbours_become_adjectives }}. The model learned which words fill the same blanks, not whether the review is good or bad.

# %% solution="3"
early = run.snapshots[200]
early_accuracy = masked_accuracy(early, val_seqs, vocab)
early_masses = [adjective_mass(early, prompt) for prompt in prompts[:2]]
early_neighbours, early_adjectives, _ = neighbourhood(early)
accuracy_word = tr(
    es="exactitud con tokens ocultos", en="masked-token accuracy"
)
for step, encoder, accuracy_now in (
    (200, early, early_accuracy),
    (run.steps[-1], model, val_accuracy),
):
    print(
        tr(es=f"paso {step}", en=f"step {step}")
        + f": {accuracy_word} "
        + percent(accuracy_now, 1)
    )
    for context, prompt in zip(contexts, prompts, strict=False):
        top = fill_mask(encoder, vocab, prompt, k=4)
        shown = listing.join(
            f"{quote(word)} {number(p, '.2f')}" for word, p in top
        )
        print(f"    {context}: {shown}")
    near = nearest_words(encoder, vocab, "espléndido")
    shown = listing.join(f"{quote(w)} {number(s, '.2f')}" for w, s in near)
    print(f"    {quote('espléndido')} -> {shown}")
print(
    tr(
        es=f"vecinos que son adjetivos: {early_adjectives} de {n_listed} "
        f"a los 200 pasos, {n_adjectives} al final",
        en=f"neighbors that are adjectives: {early_adjectives} of {n_listed} "
        f"after 200 steps, {n_adjectives} at the end",
    )
)
early_shares = [positive_share(mass) for mass in early_masses]
publish("acc_early", percent(early_accuracy, 1))
publish("early_share_pos", percent(early_shares[0]))
publish("early_share_neg", percent(early_shares[1]))
publish(
    "near_esplendido_early",
    quoted(w for w, _ in early_neighbours["espléndido"]),
)
publish("adjectives_early", early_adjectives)
publish("adjectives_final", n_adjectives)
claim(
    "longer_more_accurate",
    val_accuracy > early_accuracy + 0.15,
    es="la exactitud con palabras ocultas sube más de 15 puntos desde los "
    "200 pasos",
    en="masked-token accuracy rises by more than 15 points after step 200",
)
claim(
    "still_no_sentiment",
    max(abs(early_shares[0] - early_shares[1]), abs(shares_pos - shares_neg))
    < 0.05,
    es="a los 200 pasos y al final, la parte de los positivos cambia menos "
    "de 5 puntos de un contexto a otro",
    en="after 200 steps and at the end, the positive share moves less than "
    "5 points from one context to the other",
)
claim(
    "neighbours_become_adjectives",
    n_adjectives > early_adjectives and n_opposite >= n_listed // 4,
    es="al final hay más adjetivos entre los vecinos que a los 200 pasos, y "
    "al menos una cuarta parte de los vecinos son adjetivos de la polaridad "
    "contraria",
    en="at the end there are more adjectives among the neighbors than after "
    "200 steps, and at least a quarter of them are adjectives of the opposite "
    "polarity",
)
