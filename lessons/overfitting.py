# ---
# jupyter:
#   lesson:
#     title:
#       es: Sobreajuste y subajuste
#       en: Overfitting and underfitting
#     summary:
#       es: Un barrido de capacidad, curvas de aprendizaje con los dos fallos, decaimiento de pesos, dropout y la parada temprana de Lightning que recupera los mejores pesos.
#       en: A capacity sweep, learning curves showing both failure modes, weight decay, dropout, and Lightning's early stopping restoring the best weights.
#     order: 9
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Reconocer el **subajuste** y el **sobreajuste** en las curvas de pérdida de entrenamiento y validación.
#     - Hacer un barrido de capacidad y ver en qué anchura la red pasa de no aprender lo suficiente a memorizar.
#     - Comparar dos remedios (decaimiento de pesos y dropout) y usar `EarlyStopping` y `ModelCheckpoint` de Lightning para quedarse con los pesos de la mejor época.
#
# Lectura asociada: [resumen de *Overfitting and Underfitting*](../readings/overfitting-underfitting.md) y nota sobre [épocas y parada temprana](../concepts/training-hyperparameters.md). Lección anterior: [dropout y normalización por lotes](dropout-batchnorm.md). Referencia de la API: [`dlcourse.lessons.overfitting`](../api/lessons/overfitting.md), [`dlcourse.data.digits`](../api/data/digits.md) y [`dlcourse.training.lightning`](../api/training/lightning.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Recognize **underfitting** and **overfitting** in the training and validation loss curves.
#     - Run a capacity sweep and see at which width the network goes from not learning enough to memorizing.
#     - Compare two remedies (weight decay and dropout) and use Lightning's `EarlyStopping` and `ModelCheckpoint` to keep the weights of the best epoch.
#
# Related reading: [summary of *Overfitting and Underfitting*](../readings/overfitting-underfitting.md) and the note on [epochs and early stopping](../concepts/training-hyperparameters.md). Previous lesson: [dropout and batch normalization](dropout-batchnorm.md). API reference: [`dlcourse.lessons.overfitting`](../api/lessons/overfitting.md), [`dlcourse.data.digits`](../api/data/digits.md) and [`dlcourse.training.lightning`](../api/training/lightning.md).

# %% [markdown] lang="es"
# ## La idea
#
# Entrenamos minimizando la pérdida en los datos de entrenamiento, pero lo que nos importa es la **pérdida esperada** en datos nuevos. La diferencia entre ambas es la **brecha de generalización**:
#
# $$
# \text{brecha} = \mathbb{E}_{(\mathbf{x}, y) \sim \mathcal{D}}\big[\ell(f(\mathbf{x}), y)\big] - \frac{1}{N}\sum_{n=1}^{N} \ell(f(\mathbf{x}_n), y_n),
# $$
#
# que estimamos con un conjunto de validación. Un modelo con poca capacidad **subajusta**: no reduce ni siquiera la pérdida de entrenamiento y las dos curvas se quedan altas y juntas. Un modelo con mucha capacidad para los datos que tiene **sobreajusta**: la pérdida de entrenamiento sigue bajando hacia cero mientras la de validación toca un mínimo y vuelve a subir, porque el modelo aprende detalles (ruido) de esos ejemplos concretos.
#
# Los remedios limitan la capacidad efectiva: el **decaimiento de pesos** añade a la pérdida $\frac{\lambda}{2}\lVert\mathbf{w}\rVert^2$ (o encoge los pesos en cada paso, como AdamW), **dropout** entrena con ruido, y la **parada temprana** simplemente deja de entrenar cuando la validación deja de mejorar y se queda con los mejores pesos vistos.

# %% [markdown] lang="en"
# ## The idea
#
# We train by minimizing the loss on the training data, but what we care about is the **expected loss** on new data. The difference between the two is the **generalization gap**:
#
# $$
# \text{gap} = \mathbb{E}_{(\mathbf{x}, y) \sim \mathcal{D}}\big[\ell(f(\mathbf{x}), y)\big] - \frac{1}{N}\sum_{n=1}^{N} \ell(f(\mathbf{x}_n), y_n),
# $$
#
# which we estimate with a validation set. A model with little capacity **underfits**: it does not even reduce the training loss, and both curves stay high and close together. A model with much capacity for the data it has **overfits**: training loss keeps falling toward zero while validation loss reaches a minimum and climbs back up, because the model learns details (noise) of those particular examples.
#
# The remedies limit the effective capacity: **weight decay** adds $\frac{\lambda}{2}\lVert\mathbf{w}\rVert^2$ to the loss (or shrinks the weights at every step, as AdamW does), **dropout** trains with noise, and **early stopping** simply stops training when validation stops improving and keeps the best weights seen.

# %% [markdown] lang="es"
# ## Un barrido de capacidad
#
# Con solo 200 imágenes de dígitos para entrenar, entrenamos redes de dos capas ocultas de 2, 8, 32, 128 y 512 unidades durante 60 épocas (Adam, $\eta = 3\cdot10^{-3}$, minilotes de 32). Solo cambia la anchura.

# %% [markdown] lang="en"
# ## A capacity sweep
#
# With only 200 digit images to train on, we train networks with two hidden layers of 2, 8, 32, 128 and 512 units for 60 epochs (Adam, $\eta = 3\cdot10^{-3}$, mini-batches of 32). Only the width changes.

# %%
from itertools import pairwise

import torch
from dlcourse.bilingual import claim, number, publish, tr
from dlcourse.data.digits import DigitsDataModule, digits_split
from dlcourse.lessons.overfitting import capacity_sweep, train_width
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import scratch_dir, seed_all
from dlcourse.training import best_epoch, classifier_table
from dlcourse.training.lightning import (
    DigitsClassifier,
    logged_metrics,
    make_trainer,
)
from pytorch_lightning.callbacks import EarlyStopping, ModelCheckpoint

seed_all(0)
split = digits_split(train_size=200)
WIDTHS, EPOCHS = (2, 8, 32, 128, 512), 60
sweep = capacity_sweep(split, WIDTHS, epochs=EPOCHS)
train_word = tr(es="entrenamiento", en="training")
val_word = tr(es="validación", en="validation")
epoch_word = tr(es="época", en="epoch")
print(
    classifier_table(
        ((str(width), h) for width, h in sweep.items()),
        tr(es="unidades", en="width"),
        first_width=11,
    )
)

train_final = {w: h.train_loss[-1] for w, h in sweep.items()}
val_final = {w: h.val_loss[-1] for w, h in sweep.items()}
val_best = {w: min(h.val_loss) for w, h in sweep.items()}
best_at = {w: best_epoch(h.val_loss) + 1 for w, h in sweep.items()}
publish("train_2", train_final[2])
publish("val_2", val_final[2])
publish("train_512", train_final[512], ".4f")
publish("best_val_32", val_best[32])
publish("best_val_512", val_best[512])
publish("best_epoch_128", best_at[128])
publish("best_epoch_512", best_at[512])
publish("final_val_512", val_final[512])
t2, v2 = train_final[2], val_final[2]
claim(
    "underfit_2",
    t2 > 1.0 and abs(v2 - t2) < 0.15 * t2,
    es="con 2 unidades la pérdida de entrenamiento pasa de 1 y la de "
    "validación queda a menos de un 15 % de ella",
    en="with 2 units per layer the training loss is above 1 and the "
    "validation loss stays within 15% of it",
)
falls = all(train_final[a] > train_final[b] for a, b in pairwise(WIDTHS))
claim(
    "train_falls",
    falls and train_final[512] < 0.01,
    es="la pérdida de entrenamiento baja con la anchura hasta menos de 0,01",
    en="training loss falls with every width step, to below 0.01",
)
val_lags = val_best[512] > 0.6 * val_best[32]
claim(
    "val_lags",
    train_final[512] < train_final[32] / 10 and val_lags,
    es="de 32 a 512 unidades la pérdida de entrenamiento se divide por más de "
    "10 y la mejor de validación baja menos de un 40 %",
    en="from 32 to 512 units the training loss falls more than tenfold and the "
    "best validation loss by less than 40%",
)
claim(
    "wide_overfit",
    all(best_at[w] <= EPOCHS // 2 for w in (128, 512))
    and all(val_final[w] > val_best[w] + 0.02 for w in (128, 512)),
    es="las redes de 128 y 512 unidades tocan su mínimo de validación en la "
    "primera mitad del entrenamiento y acaban más de 0,02 por encima",
    en="the 128- and 512-unit networks reach their validation minimum in the "
    "first half of training and end more than 0.02 above it",
)

# %%
fig, (ax_sweep, ax_curves) = new_figure(ncols=2, width=5.3, height=4.0)
ax_sweep.plot(
    WIDTHS,
    [h.train_loss[-1] for h in sweep.values()],
    "o-",
    color=PALETTE[0],
    label=train_word,
)
ax_sweep.plot(
    WIDTHS,
    [h.val_loss[-1] for h in sweep.values()],
    "o-",
    color=PALETTE[3],
    label=tr(es="validación (final)", en="validation (final)"),
)
ax_sweep.plot(
    WIDTHS,
    [min(h.val_loss) for h in sweep.values()],
    "o--",
    color=PALETTE[1],
    label=tr(es="validación (mejor)", en="validation (best)"),
)
ax_sweep.set_xscale("log", base=2)
ax_sweep.set_yscale("log")
cross_entropy_log = tr(es="entropía cruzada (log)", en="cross-entropy (log)")
ax_sweep.set(
    title=tr(es="Capacidad", en="Capacity"),
    xlabel=tr(es="unidades por capa (log)", en="units per layer (log)"),
    ylabel=cross_entropy_log,
)
ax_sweep.legend(fontsize=8)
for k, width in enumerate((2, 512)):
    h = sweep[width]
    epochs = range(1, EPOCHS + 1)
    colour = PALETTE[2 * k]
    train_label, val_label = f"{width}: {train_word}", f"{width}: {val_word}"
    ax_curves.plot(epochs, h.train_loss, color=colour, label=train_label)
    ax_curves.plot(epochs, h.val_loss, "--", color=colour, label=val_label)
ax_curves.set_yscale("log")
ax_curves.set(
    title=tr(es="Curvas de aprendizaje", en="Learning curves"),
    xlabel=epoch_word,
    ylabel=cross_entropy_log,
)
ax_curves.legend(fontsize=8)
wide_train = number(train_final[512], ".4f")
set_alt(
    fig,
    es="Izquierda: pérdida final de entrenamiento y pérdida de validación "
    "(final y mejor) frente a la anchura, en escalas logarítmicas; la de "
    "entrenamiento baja sin parar con la anchura y la de validación mejora "
    "mucho menos. "
    "Derecha: con 2 unidades las dos curvas se quedan altas y juntas "
    f"(subajuste); con 512 la de entrenamiento baja hasta {wide_train} y la de "
    f"validación toca su mínimo en la época {best_at[512]} y vuelve a subir "
    "(sobreajuste).",
    en="Left: final training loss and validation loss (final and best) against "
    "width, on log scales; training loss keeps falling with width and "
    "validation loss improves far less. Right: with 2 units both curves stay "
    "high and close together (underfitting); with 512, training loss falls to "
    f"{wide_train} and validation loss reaches its minimum at epoch "
    f"{best_at[512]} and climbs back up (overfitting).",
)

# %% [markdown] lang="es"
# ## Dos remedios
#
# Tomamos la red más ancha, la que más sobreajusta, y la entrenamos otra vez con decaimiento de pesos desacoplado (AdamW, $\lambda = 0{,}2$) y, por separado, con dropout ($p = 0{,}5$).

# %% [markdown] lang="en"
# ## Two remedies
#
# We take the widest network, the one that overfits most, and train it again with decoupled weight decay (AdamW, $\lambda = 0.2$) and, separately, with dropout ($p = 0.5$).

# %%


def decayed(decay: float):
    """An optimizer factory: AdamW with this decoupled weight decay."""
    return lambda p: torch.optim.AdamW(p, lr=3e-3, weight_decay=decay)


none_h = sweep[512]
decay_h = train_width(split, 512, epochs=EPOCHS, make_optimizer=decayed(0.2))
dropout_h = train_width(split, 512, epochs=EPOCHS, dropout=0.5)
remedies = {
    tr(es="sin nada", en="none"): none_h,
    tr(es="decaimiento 0,2", en="weight decay 0.2"): decay_h,
    tr(es="dropout 0,5", en="dropout 0.5"): dropout_h,
}
units_512 = tr(es="512 unidades", en="512 units")
print(
    classifier_table(
        remedies.items(), units_512, first_width=17, first_side="<"
    )
)
publish("final_none", none_h.val_loss[-1])
publish("final_decay", decay_h.val_loss[-1])
publish("final_dropout", dropout_h.val_loss[-1])
claim(
    "decay_helps",
    decay_h.val_loss[-1] < none_h.val_loss[-1],
    es="con decaimiento de pesos la pérdida final de validación es menor",
    en="with weight decay the final validation loss is lower",
)
claim(
    "dropout_small",
    abs(dropout_h.val_loss[-1] - none_h.val_loss[-1]) < 0.1,
    es="con dropout la pérdida final de validación queda a menos de 0,1",
    en="with dropout the final validation loss moves by less than 0.1",
)

# %% [markdown] lang="es"
# ## Parada temprana con Lightning
#
# En vez de adivinar cuántas épocas entrenar, dejamos que `EarlyStopping` pare cuando la pérdida de validación lleve 5 épocas sin mejorar, y que `ModelCheckpoint` guarde (en una carpeta temporal, fuera del repositorio) los pesos de la mejor época. Al final recargamos ese punto de control y comprobamos que su pérdida de validación es la mejor registrada, no la de la última época.

# %% [markdown] lang="en"
# ## Early stopping with Lightning
#
# Instead of guessing how many epochs to train, we let `EarlyStopping` stop when validation loss has not improved for 5 epochs, and `ModelCheckpoint` save (in a temporary folder, outside the repository) the weights of the best epoch. At the end we reload that checkpoint and check that its validation loss is the best one logged, not the last epoch's.

# %%
checkpoints = scratch_dir("overfitting/checkpoints")
for old in checkpoints.glob("*.ckpt"):
    old.unlink()  # a re-run starts from an empty folder
PATIENCE = 5
stopper = EarlyStopping(monitor="val_loss", patience=PATIENCE)
keeper = ModelCheckpoint(checkpoints, "best", monitor="val_loss", mode="min")
seed_all(0)
model = DigitsClassifier(hidden=(512, 512), lr=3e-3)
trainer = make_trainer(
    "overfitting/early-stopping",
    max_epochs=EPOCHS,
    callbacks=[stopper, keeper],
    enable_checkpointing=True,
)
data = DigitsDataModule(batch_size=32, train_size=200)
trainer.fit(model, datamodule=data)
logged = logged_metrics(trainer)["val_loss"]
best_logged = best_epoch(logged)
val_loss_word = tr(es="pérdida de validación", en="validation loss")
print(
    tr(
        es=f"parada tras {len(logged)} de {EPOCHS} épocas",
        en=f"stopped after {len(logged)} of {EPOCHS} epochs",
    )
    + f" · {tr(es='mejor época', en='best epoch')} {best_logged + 1}, "
    + f"{val_loss_word} {number(logged[best_logged], '.4f')}"
)
last_word = tr(es="última época", en="last epoch")
print(f"{last_word}: {val_loss_word} {number(logged[-1], '.4f')}")
restored = DigitsClassifier.load_from_checkpoint(keeper.best_model_path)
metrics = trainer.validate(restored, datamodule=data, verbose=False)
again = metrics[0]["val_loss"]
print(
    tr(es="checkpoint recargado", en="checkpoint reloaded")
    + f": {val_loss_word} {number(again, '.4f')}"
)
publish("stop_epoch", len(logged))
publish("es_best_epoch", best_logged + 1)
publish("es_best_loss", logged[best_logged], ".4f")
publish("es_last_loss", logged[-1], ".4f")
publish("es_restored_loss", again, ".4f")
claim(
    "stops_after_patience",
    len(logged) < EPOCHS and len(logged) == best_logged + 1 + PATIENCE,
    es="el entrenamiento se detiene antes del final, 5 épocas tras el mínimo",
    en="training stops before the end, 5 epochs after the minimum",
)
best_loss = logged[best_logged]
claim(
    "checkpoint_is_best",
    abs(again - best_loss) < 1e-4 and logged[-1] > best_loss,
    es="el checkpoint recargado da la mejor pérdida, menor que la última",
    en="the reloaded checkpoint gives the best loss, below the last one",
)

fig, ax = new_figure(width=6.0, height=3.8)
ax.plot(
    range(1, len(logged) + 1),
    logged,
    "o-",
    markersize=3,
    color=PALETTE[3],
    label=val_word,
)
ax.axvline(
    best_logged + 1,
    color="#555555",
    linestyle="--",
    linewidth=1.2,
    label=tr(es="mejor época", en="best epoch"),
)
ax.set(
    title=tr(es="Parada temprana", en="Early stopping"),
    xlabel=epoch_word,
    ylabel=val_loss_word,
)
ax.legend()
best_text = number(logged[best_logged])
set_alt(
    fig,
    es="Pérdida de validación por época de la red de 512 unidades con parada "
    f"temprana: baja hasta la época {best_logged + 1} ({best_text}), vuelve a "
    f"subir y el entrenamiento se detiene en la época {len(logged)}. Una línea "
    "discontinua marca la mejor época, cuyos pesos se recuperan.",
    en="Validation loss per epoch of the 512-unit network with early stopping: "
    f"it falls until epoch {best_logged + 1} ({best_text}), climbs back up, "
    "and "
    f"training stops at epoch {len(logged)}. A dashed line marks the best "
    "epoch, whose weights are restored.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Con 2 unidades por capa la red **subajusta**: la pérdida de entrenamiento se queda alta ({{ value: train_2 }}) y la de validación muy cerca de ella ({{ value: val_2 }}) {{ claim: underfit_2 }}. No hay brecha que cerrar; falta capacidad.
# - Al crecer la anchura, la pérdida de entrenamiento baja sin parar hasta casi cero ({{ value: train_512 }} con 512 unidades) {{ claim: train_falls }}, pero la de validación no la sigue: la mejor pasa solo de {{ value: best_val_32 }} con 32 unidades a {{ value: best_val_512 }} con 512 {{ claim: val_lags }}. Las redes anchas alcanzan su mínimo de validación en pocas épocas (en la {{ value: best_epoch_128 }} con 128 unidades y en la {{ value: best_epoch_512 }} con 512) y luego **sobreajustan**, memorizando las 200 imágenes: la pérdida final de validación de la red de 512 sube hasta {{ value: final_val_512 }} {{ claim: wide_overfit }}.
# - El decaimiento de pesos reduce la pérdida final de validación de la red de 512 unidades respecto a entrenarla sin nada ({{ value: final_decay }} frente a {{ value: final_none }}) {{ claim: decay_helps }}. Con tan pocos datos, el efecto de dropout sobre esa pérdida final es pequeño: {{ value: final_dropout }} frente a {{ value: final_none }} {{ claim: dropout_small }}. Ninguno de los dos cambia la arquitectura.
# - La parada temprana detiene el entrenamiento en la época {{ value: stop_epoch }}, 5 épocas después del mínimo (época {{ value: es_best_epoch }}) {{ claim: stops_after_patience }}, y `ModelCheckpoint` devuelve exactamente los pesos de esa época: la pérdida al validar de nuevo el punto de control, {{ value: es_restored_loss }}, coincide con la mejor registrada ({{ value: es_best_loss }}) y es menor que la de la última época ({{ value: es_last_loss }}) {{ claim: checkpoint_is_best }}. En la práctica se combinan las tres cosas.

# %% [markdown] lang="en"
# ## What to notice
#
# - With 2 units per layer the network **underfits**: training loss stays high ({{ value: train_2 }}) and validation loss very close to it ({{ value: val_2 }}) {{ claim: underfit_2 }}. There is no gap to close; capacity is missing.
# - As width grows, training loss keeps falling to almost zero ({{ value: train_512 }} with 512 units) {{ claim: train_falls }}, but validation loss does not follow: the best one only goes from {{ value: best_val_32 }} with 32 units to {{ value: best_val_512 }} with 512 {{ claim: val_lags }}. The wide networks reach their validation minimum in a few epochs (epoch {{ value: best_epoch_128 }} with 128 units and epoch {{ value: best_epoch_512 }} with 512) and then **overfit**, memorizing the 200 images: the 512-unit network's final validation loss climbs to {{ value: final_val_512 }} {{ claim: wide_overfit }}.
# - Weight decay lowers the final validation loss of the 512-unit network compared with training it with neither ({{ value: final_decay }} against {{ value: final_none }}) {{ claim: decay_helps }}. With so little data, dropout's effect on that final loss is small: {{ value: final_dropout }} against {{ value: final_none }} {{ claim: dropout_small }}. Neither changes the architecture.
# - Early stopping halts training at epoch {{ value: stop_epoch }}, 5 epochs after the minimum (epoch {{ value: es_best_epoch }}) {{ claim: stops_after_patience }}, and `ModelCheckpoint` returns exactly that epoch's weights: the loss when validating the checkpoint again, {{ value: es_restored_loss }}, matches the best one logged ({{ value: es_best_loss }}) and is lower than the last epoch's ({{ value: es_last_loss }}) {{ claim: checkpoint_is_best }}. In practice the three are combined.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Repite el barrido con las {{ value: n_train_full }} imágenes de entrenamiento (`digits_split()`). ¿Sobreajusta menos la red de 512 unidades? ¿Por qué?
# 2. ¿Qué hace `patience` en `EarlyStopping`? ¿Qué pasaría con `patience=0` en una curva de validación ruidosa?
# 3. Con la red de 512 unidades y decaimiento de pesos, prueba $\lambda = 2$. ¿Mejora o empeora respecto a $\lambda = 0{,}2$?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Repeat the sweep with the {{ value: n_train_full }} training images (`digits_split()`). Does the 512-unit network overfit less? Why?
# 2. What does `patience` do in `EarlyStopping`? What would happen with `patience=0` on a noisy validation curve?
# 3. With the 512-unit network and weight decay, try $\lambda = 2$. Is it better or worse than $\lambda = 0.2$?

# %% [markdown] lang="es" solution="1"
# Con {{ value: data_ratio }} veces más datos (y 20 épocas, para que sea rápido) la misma red tiene mucho más que aprender antes de poder memorizar: su mejor pérdida de validación baja a {{ value: full_best }} y la subida entre el mínimo y la pérdida final se reduce de {{ value: small_rise }} a {{ value: full_rise }} {{ claim: more_data_helps }}. Más datos es el remedio más fiable contra el sobreajuste.

# %% [markdown] lang="en" solution="1"
# With {{ value: data_ratio }} times more data (and 20 epochs, to keep it quick) the same network has much more to learn before it can memorize: its best validation loss falls to {{ value: full_best }} and the rise from the minimum to the final loss shrinks from {{ value: small_rise }} to {{ value: full_rise }} {{ claim: more_data_helps }}. More data is the most reliable remedy for overfitting.

# %% solution="1"
full_split = digits_split()
full = capacity_sweep(full_split, (512,), epochs=20)[512]
n_full = len(full_split.y_train)
n_small = len(split.y_train)
by_size = []
for n, h in ((n_small, none_h), (n_full, full)):
    images = number(n, ",d")
    by_size.append((tr(es=f"{images} imágenes", en=f"{images} images"), h))
print(classifier_table(by_size, units_512, first_width=17, first_side="<"))
small_rise = val_final[512] - val_best[512]
full_rise = full.val_loss[-1] - min(full.val_loss)
publish("n_train_full", n_full, ",d")
publish("data_ratio", n_full / n_small, ".1f")
publish("full_best", min(full.val_loss))
publish("small_rise", small_rise)
publish("full_rise", full_rise)
claim(
    "more_data_helps",
    min(full.val_loss) < val_best[512] and full_rise < small_rise,
    es="con todos los datos el mínimo de validación es menor y sube menos",
    en="with all the data the validation minimum is lower and rises less",
)

# %% [markdown] lang="es" solution="2"
# `patience` es el número de épocas sin mejora que se toleran antes de parar. Con `patience=0`, la primera época en que la validación empeore un poco por ruido detendría el entrenamiento, quizá mucho antes del mínimo verdadero. Por eso se deja algo de margen, y por eso se guarda el mejor punto de control: la paciencia cuesta unas épocas de más, pero no los pesos.

# %% [markdown] lang="en" solution="2"
# `patience` is the number of epochs without improvement tolerated before stopping. With `patience=0`, the first epoch in which validation got slightly worse by noise would stop training, perhaps long before the true minimum. That is why some slack is left, and why the best checkpoint is kept: patience costs a few extra epochs, but not the weights.

# %% [markdown] lang="es" solution="3"
# Con $\lambda = 2$ la pérdida de entrenamiento final queda bastante más alta ({{ value: train_decay2 }} frente a {{ value: train_decay }}: la red memoriza menos) {{ claim: strong_decay_memorises_less }} y el mínimo de validación apenas cambia ({{ value: best_decay2 }} frente a {{ value: best_decay }}) {{ claim: strong_decay_same_min }}, pero la pérdida de validación **final** es peor que con $\lambda = 0{,}2$: {{ value: final_decay2 }} frente a {{ value: final_decay }} {{ claim: strong_decay_worse }}. Más decaimiento no es siempre mejor, y si se sigue subiendo la red acaba subajustando. Como todo hiperparámetro, $\lambda$ se elige mirando la validación.

# %% [markdown] lang="en" solution="3"
# With $\lambda = 2$ the final training loss is clearly higher ({{ value: train_decay2 }} against {{ value: train_decay }}: the network memorizes less) {{ claim: strong_decay_memorises_less }} and the validation minimum hardly changes ({{ value: best_decay2 }} against {{ value: best_decay }}) {{ claim: strong_decay_same_min }}, but the **final** validation loss is worse than with $\lambda = 0.2$: {{ value: final_decay2 }} against {{ value: final_decay }} {{ claim: strong_decay_worse }}. More decay is not always better, and raising it further eventually makes the network underfit. Like every hyperparameter, $\lambda$ is chosen by looking at validation.

# %% solution="3"
decay2_h = train_width(split, 512, epochs=EPOCHS, make_optimizer=decayed(2.0))
decays = (
    (tr(es="decaimiento 0,2", en="weight decay 0.2"), decay_h),
    (tr(es="decaimiento 2", en="weight decay 2"), decay2_h),
)
print(classifier_table(decays, units_512, first_width=17, first_side="<"))
publish("train_decay", decay_h.train_loss[-1], ".4f")
publish("train_decay2", decay2_h.train_loss[-1], ".4f")
publish("best_decay", min(decay_h.val_loss))
publish("best_decay2", min(decay2_h.val_loss))
publish("final_decay2", decay2_h.val_loss[-1])
claim(
    "strong_decay_memorises_less",
    decay2_h.train_loss[-1] > 5 * decay_h.train_loss[-1],
    es="con λ = 2 la pérdida final de entrenamiento es 5 veces la de λ = 0,2",
    en="with λ = 2 the final training loss is 5 times that of λ = 0.2",
)
claim(
    "strong_decay_same_min",
    abs(min(decay2_h.val_loss) - min(decay_h.val_loss)) < 0.05,
    es="con λ = 2 el mínimo de validación queda a menos de 0,05 del de λ = 0,2",
    en="with λ = 2 the validation minimum is within 0.05 of λ = 0.2's",
)
claim(
    "strong_decay_worse",
    decay2_h.val_loss[-1] > decay_h.val_loss[-1],
    es="con λ = 2 la pérdida final de validación es mayor que con λ = 0,2",
    en="with λ = 2 the final validation loss is higher than with λ = 0.2",
)
