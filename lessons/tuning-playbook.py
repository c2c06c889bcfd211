# ---
# jupyter:
#   lesson:
#     title:
#       es: El manual de ajuste en la práctica
#       en: The tuning playbook in practice
#     summary:
#       es: El proceso iterativo sobre un modelo real - prueba de rango de la tasa con el Tuner de Lightning, efecto del tamaño de lote, más capacidad hasta sobreajustar y después regularizar.
#       en: The iterative process on a real model - learning-rate range test with Lightning's Tuner, the effect of batch size, more capacity until it overfits, then regularization.
#     order: 13
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Seguir el orden de prioridades del manual de ajuste: primero la tasa de aprendizaje, después el tamaño de lote, después la capacidad y por último la regularización.
#     - Hacer una prueba de rango de la tasa de aprendizaje con `Tuner.lr_find` de Lightning y leer su curva.
#     - Cambiar **una cosa cada vez**, con la misma semilla, y anotar cada ejecución en una tabla comparable.
#
# Lectura asociada: [resumen del *Deep Learning Tuning Playbook*](../readings/tuning-playbook.md) y nota sobre [tasa de aprendizaje, épocas y tamaño de lote](../concepts/training-hyperparameters.md). Lecciones relacionadas: [sobreajuste y subajuste](overfitting.md), [programación de la tasa](lr-schedules.md) y [seguimiento de experimentos](experiment-tracking.md). Referencia de la API: [`dlcourse.lessons.tuning_playbook`](../api/lessons/tuning_playbook.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Follow the tuning playbook's order of priorities: first the learning rate, then the batch size, then capacity and finally regularization.
#     - Run a learning-rate range test with Lightning's `Tuner.lr_find` and read its curve.
#     - Change **one thing at a time**, with the same seed, and record every run in a comparable table.
#
# Related reading: [summary of the *Deep Learning Tuning Playbook*](../readings/tuning-playbook.md) and the note on [learning rate, epochs and batch size](../concepts/training-hyperparameters.md). Related lessons: [overfitting and underfitting](overfitting.md), [learning-rate schedules](lr-schedules.md) and [experiment tracking](experiment-tracking.md). API reference: [`dlcourse.lessons.tuning_playbook`](../api/lessons/tuning_playbook.md).

# %% [markdown] lang="es"
# ## La idea
#
# El manual de ajuste de Google (Godbole et al., 2023, [github.com/google-research/tuning_playbook](https://github.com/google-research/tuning_playbook)) propone empezar con algo simple que funcione y mejorarlo en rondas: en cada una se formula una pregunta («¿mejora con más capacidad?»), se cambia solo lo necesario para responderla y se compara con la ejecución anterior en validación.
#
# La primera pregunta es casi siempre la tasa de aprendizaje, el hiperparámetro al que el resultado es más sensible. La **prueba de rango** (Smith, 2017, [arXiv:1506.01186](https://arxiv.org/abs/1506.01186)) la acota en un solo entrenamiento corto: la tasa crece exponencialmente en cada paso,
#
# $$
# \eta_k = \eta_{\min} \Big(\frac{\eta_{\max}}{\eta_{\min}}\Big)^{k/K}, \qquad k = 0, \dots, K,
# $$
#
# mientras se registra la pérdida. Con tasas muy pequeñas la pérdida apenas se mueve; en una zona intermedia baja deprisa; con tasas demasiado grandes vuelve a subir {{ claim: range_shape }}. Lightning sugiere la tasa donde la curva (suavizada) baja con más pendiente, antes de su fondo {{ claim: suggestion_before_bottom }}.

# %% [markdown] lang="en"
# ## The idea
#
# Google's tuning playbook (Godbole et al., 2023, [github.com/google-research/tuning_playbook](https://github.com/google-research/tuning_playbook)) proposes starting with something simple that works and improving it in rounds: each round asks a question ("does more capacity help?"), changes only what is needed to answer it and compares with the previous run on validation.
#
# The first question is almost always the learning rate, the hyperparameter the result is most sensitive to. The **range test** (Smith, 2017, [arXiv:1506.01186](https://arxiv.org/abs/1506.01186)) narrows it down in a single short run: the rate grows exponentially at each step,
#
# $$
# \eta_k = \eta_{\min} \Big(\frac{\eta_{\max}}{\eta_{\min}}\Big)^{k/K}, \qquad k = 0, \dots, K,
# $$
#
# while the loss is recorded. With very small rates the loss barely moves; in an intermediate zone it falls fast; with rates that are too large it rises again {{ claim: range_shape }}. Lightning suggests the rate where the (smoothed) curve falls most steeply, before its bottom {{ claim: suggestion_before_bottom }}.

# %% [markdown] lang="es"
# ## Ronda 1: la tasa de aprendizaje
#
# El punto de partida es deliberadamente sencillo: un MLP con una capa oculta de 32 unidades, AdamW y 500 imágenes de dígitos para entrenar. La prueba de rango da 100 pasos con tasas de $10^{-5}$ a $1$.

# %% [markdown] lang="en"
# ## Round 1: the learning rate
#
# The starting point is deliberately simple: an MLP with one hidden layer of 32 units, AdamW and 500 digit images for training. The range test takes 100 steps with rates from $10^{-5}$ to $1$.

# %%
from itertools import combinations

from dlcourse.bilingual import claim, number, publish, tr
from dlcourse.data.digits import DigitsDataModule
from dlcourse.lessons.tuning_playbook import (
    fit_digits,
    quiet_lr_find,
    runs_table,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import scratch_dir, seed_all
from dlcourse.training.lightning import DigitsClassifier, make_trainer

TRAIN_SIZE, EPOCHS, RANGE_STEPS = 500, 15, 100
seed_all(0)
finder_trainer = make_trainer(
    "tuning/lr-find",
    max_epochs=50,
    default_root_dir=str(scratch_dir("tuning/lr-find")),
)
finder = quiet_lr_find(
    finder_trainer,
    DigitsClassifier((32,), lr=1e-3),
    DigitsDataModule(64, train_size=TRAIN_SIZE),
    min_lr=1e-5,
    max_lr=1.0,
    num_training=RANGE_STEPS,
)
suggested = finder.suggestion()
lr = float(f"{suggested:.0e}")  # one significant figure is precision enough
# Like Lightning's own plot, skip the first 10 points (the smoothing warms up)
# and the last one.
lrs, losses = finder.results["lr"][10:-1], finder.results["loss"][10:-1]
span = f"{number(lrs[0], '.0e')} → {number(lrs[-1], '.0e')}"
print(
    tr(
        es=f"prueba de rango: {len(finder.results['lr'])} pasos, tasas de "
        f"{number(finder.results['lr'][0], '.0e')} a "
        f"{number(finder.results['lr'][-1], '.0e')}",
        en=f"range test: {len(finder.results['lr'])} steps, rates from "
        f"{number(finder.results['lr'][0], '.0e')} to "
        f"{number(finder.results['lr'][-1], '.0e')}",
    )
)
print(
    tr(
        es="tasa sugerida (donde más baja la pérdida suavizada): ",
        en="suggested learning rate (steepest descent of the smoothed loss): ",
    )
    + number(suggested, ".2e")
    + tr(es=" → usamos ", en=" → we use ")
    + number(lr, ".0e")
)
bottom = min(range(len(losses)), key=losses.__getitem__)
plateau = [loss for rate, loss in zip(lrs, losses, strict=True) if rate <= 1e-3]
plateau_range = max(plateau) - min(plateau)
publish("suggested_lr", suggested, ".3f")
publish("used_lr", lr, ".2f")
publish("bottom_lr", lrs[bottom], ".2f")
publish("plateau_range", plateau_range, ".2f")
claim(
    "range_shape",
    plateau_range < 0.15
    and losses[bottom] < min(plateau) - 0.5
    and losses[-1] > losses[bottom] + 0.05,
    es="hasta η = 10⁻³ la pérdida varía menos de 0,15; después baja más de 0,5 "
    "y al final vuelve a subir",
    en="up to η = 10⁻³ the loss varies by less than 0.15; then it falls by "
    "more than 0.5 and at the end it rises again",
)
claim(
    "suggestion_before_bottom",
    suggested < lrs[bottom],
    es="la tasa sugerida es menor que la del fondo de la curva",
    en="the suggested rate is below that of the curve's bottom",
)

fig, ax = new_figure(width=6.0, height=3.8)
ax.plot(lrs, losses, color=PALETTE[0])
ax.axvline(
    suggested,
    color=PALETTE[3],
    linestyle="--",
    label=tr(es="sugerida", en="suggested") + f": {number(suggested, '.1e')}",
)
ax.set_xscale("log")
ax.set(
    title=tr(es="Prueba de rango", en="Range test"),
    xlabel=tr(es="tasa de aprendizaje (log)", en="learning rate (log)"),
    ylabel=tr(es="pérdida suavizada", en="smoothed loss"),
)
ax.legend()
set_alt(
    fig,
    es="Pérdida suavizada frente a la tasa de aprendizaje, de "
    f"{span} en escala logarítmica: casi plana con tasas pequeñas, baja con "
    "fuerza en la zona intermedia y vuelve a subir al final. Una línea "
    f"discontinua marca la tasa sugerida, {number(suggested, '.1e')}.",
    en=f"Smoothed loss against learning rate, from {span} on a log scale: "
    "nearly flat for small rates, falling steeply in the middle zone and "
    "rising again at the end. A dashed line marks the suggested rate, "
    f"{number(suggested, '.1e')}.",
)

# %% [markdown] lang="es"
# ## Ronda 2: el tamaño de lote
#
# Con esa tasa fija, probamos lotes de 16, 64 y 256 durante el mismo número de épocas. Un lote mayor hace menos actualizaciones por época: el manual recomienda elegir el lote por rendimiento del hardware y **volver a ajustar la tasa** si se cambia, porque ambos interactúan.

# %% [markdown] lang="en"
# ## Round 2: the batch size
#
# With that rate fixed, we try batches of 16, 64 and 256 for the same number of epochs. A larger batch makes fewer updates per epoch: the playbook recommends choosing the batch for hardware throughput and **re-tuning the rate** when it changes, because the two interact.

# %%
BATCHES = (16, 64, 256)
common = dict(epochs=EPOCHS, train_size=TRAIN_SIZE)
runs = [
    fit_digits(
        tr(es=f"lote {b}", en=f"batch {b}"), lr=lr, batch_size=b, **common
    )
    for b in BATCHES
]
print(runs_table(runs))
updates = {}
for b in BATCHES:
    sizes = DigitsDataModule(b, train_size=TRAIN_SIZE)
    sizes.setup("fit")
    updates[b] = EPOCHS * len(sizes.train_dataloader())
print(
    tr(es="actualizaciones por ejecución:", en="updates per run:"),
    " · ".join(f"{b}: {updates[b]}" for b in BATCHES),
)
by_batch = dict(zip(BATCHES, runs, strict=True))
publish("updates_16", updates[16])
publish("updates_64", updates[64])
publish("updates_256", updates[256])
publish("val_loss_64", by_batch[64].best_val_loss)
publish("val_loss_256", by_batch[256].best_val_loss)
claim(
    "range_cheap",
    updates[64] > len(finder.results["lr"]),
    es="la prueba de rango da menos pasos que una ejecución con lote 64",
    en="the range test takes fewer steps than one run with batch 64",
)
claim(
    "large_batch_lags",
    by_batch[256].best_val_loss > by_batch[64].best_val_loss,
    es="con lote 256 la mejor pérdida de validación es mayor que con lote 64",
    en="with batch 256 the best validation loss is higher than with batch 64",
)

# %% [markdown] lang="es"
# ## Ronda 3: más capacidad hasta sobreajustar
#
# Con lote 64, aumentamos la capacidad: 8 unidades, 32 (la de partida), 128 y dos capas de 512. Buscamos el punto en que la pérdida de entrenamiento se vuelve muy pequeña y la de validación se queda muy por encima: señal de que la red ya sobra para estos datos.

# %% [markdown] lang="en"
# ## Round 3: more capacity until it overfits
#
# With batch 64, we increase capacity: 8 units, 32 (the starting point), 128 and two layers of 512. We look for the point where training loss becomes very small and validation loss stays well above it: a sign that the network is now more than these data need.

# %%
SIZES = ((8,), (32,), (128,), (512, 512))
capacity = []
for h in SIZES:
    width = "x".join(map(str, h))
    name = tr(es=f"ocultas {width}", en=f"hidden {width}")
    capacity.append(fit_digits(name, hidden=h, lr=lr, **common))
print(runs_table(capacity))
small, large = capacity[0], capacity[-1]


def final_losses(run) -> tuple[float, float]:
    """Final training and validation loss of a run."""
    return run.history["train_loss"][-1], run.history["val_loss"][-1]


(small_train, small_val), (large_train, large_val) = map(
    final_losses, (small, large)
)
lowest_train = [min(run.history["train_loss"]) for run in capacity]
publish("train_loss_small", lowest_train[0], ".4f")
publish("train_loss_large", lowest_train[-1], ".4f")
publish("val_loss_large", large_val)
publish("ratio_small", small_val / small_train, ".1f")
publish("ratio_large", large_val / large_train, ".0f")
publish("large_best_epoch", large.best_epoch)
claim(
    "capacity_fits",
    max(lowest_train[2:]) < lowest_train[0] / 3,
    es="con 128 unidades o más, la menor pérdida de entrenamiento alcanzada es "
    "menos de un tercio de la del modelo de 8",
    en="with 128 units or more, the lowest training loss reached is less than "
    "a third of the 8-unit model's",
)
claim(
    "large_overfits",
    large_val / large_train > 2 * small_val / small_train,
    es="en el modelo de 512×512 la pérdida de validación supera a la de "
    "entrenamiento en una proporción más del doble que en el de 8 unidades",
    en="in the 512×512 model validation loss exceeds training loss by a ratio "
    "more than twice that of the 8-unit model",
)

# %% [markdown] lang="es"
# ## Ronda 4: regularizar el modelo grande
#
# Partimos del modelo de dos capas de 512 y añadimos, por separado, dropout ($p = 0{,}3$) y decaimiento de pesos ($\lambda = 0{,}1$).

# %% [markdown] lang="en"
# ## Round 4: regularize the large model
#
# We start from the two-layer 512 model and add, separately, dropout ($p = 0.3$) and weight decay ($\lambda = 0.1$).

# %%
big = (512, 512)
regularised = [
    fit_digits("512x512 + dropout", hidden=big, lr=lr, dropout=0.3, **common),
    fit_digits(
        tr(es="512x512 + decaim.", en="512x512 + decay"),
        hidden=big,
        lr=lr,
        weight_decay=0.1,
        **common,
    ),
]
everything = runs + capacity + regularised
print(runs_table(everything))
best = min(everything, key=lambda run: run.best_val_loss)
print(
    "\n"
    + tr(
        es=f"menor pérdida de validación: «{best.name}» "
        f"({number(best.best_val_loss)} en la época {best.best_epoch}, "
        f"exactitud {number(best.best_val_acc)})",
        en=f"lowest validation loss: “{best.name}” "
        f"({number(best.best_val_loss)} at epoch {best.best_epoch}, "
        f"accuracy {number(best.best_val_acc)})",
    )
)
publish("best_run", best.name)
publish("best_run_loss", best.best_val_loss)

# %%
fig, ax = new_figure(width=6.6, height=4.0)
names = [run.name for run in everything]
ax.barh(
    names,
    [run.best_val_loss for run in everything],
    color=[PALETTE[0]] * 3 + [PALETTE[1]] * 4 + [PALETTE[2]] * 2,
)
ax.invert_yaxis()
ax.set(
    title=tr(es="Cuaderno de ejecuciones", en="Run log"),
    xlabel=tr(es="mejor pérdida de validación", en="best validation loss"),
    ylabel=tr(es="ejecución", en="run"),
)
lowest = number(best.best_val_loss)
set_alt(
    fig,
    es="Barras horizontales con la mejor pérdida de validación de las "
    f"{len(everything)} ejecuciones, agrupadas por ronda: tamaño de lote, "
    f"capacidad y regularización. La menor es la de «{best.name}», {lowest}.",
    en="Horizontal bars with the best validation loss of the "
    f"{len(everything)} runs, grouped by round: batch size, capacity and "
    f"regularization. The lowest is “{best.name}”, {lowest}.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - La prueba de rango cuesta 100 pasos, menos que los {{ value: updates_64 }} de una sola ejecución con lote 64 {{ claim: range_cheap }}, y descarta de golpe varios órdenes de magnitud de tasas inútiles: hasta $10^{-3}$ la pérdida apenas varía, en un margen de {{ value: plateau_range }}. La sugerencia, {{ value: suggested_lr }} (que redondeamos a {{ value: used_lr }}), queda antes del fondo de la curva, en {{ value: bottom_lr }}: es un punto de partida razonable, no el óptimo; en el manual se afina después con unas pocas ejecuciones alrededor.
# - Con la misma tasa y las mismas épocas, el lote grande hace muchas menos actualizaciones ({{ value: updates_256 }} frente a {{ value: updates_64 }} con lote 64 y {{ value: updates_16 }} con lote 16) y queda por detrás: su mejor pérdida de validación es {{ value: val_loss_256 }}, frente a {{ value: val_loss_64 }} con lote 64 {{ claim: large_batch_lags }}. No es que los lotes grandes sean peores, es que necesitan otra tasa u otras épocas. Comparar lotes sin reajustar la tasa es injusto con ellos.
# - Al crecer la capacidad la pérdida de entrenamiento cae hacia cero: la más baja que alcanza pasa de {{ value: train_loss_small }} con 8 unidades a {{ value: train_loss_large }} con 512×512 {{ claim: capacity_fits }}. En el modelo más grande la pérdida de validación final, {{ value: val_loss_large }}, es {{ value: ratio_large }} veces la de entrenamiento, frente a {{ value: ratio_small }} veces con 8 unidades, y su mejor época de validación es la {{ value: large_best_epoch }} {{ claim: large_overfits }}: ha empezado a sobreajustar, y ese es el momento de regularizar, no antes. En esta ejecución la menor pérdida de validación de toda la tabla es la de «{{ value: best_run }}», {{ value: best_run_loss }}.
# - La tabla es el producto más valioso del proceso: cada fila cambia una sola cosa respecto a otra, con la misma semilla, y se puede releer meses después. Con un registro de experimentos (como en la [lección anterior](experiment-tracking.md)) esa tabla se construye sola.

# %% [markdown] lang="en"
# ## What to notice
#
# - The range test costs 100 steps, fewer than the {{ value: updates_64 }} of a single run with batch 64 {{ claim: range_cheap }}, and rules out several orders of magnitude of useless rates at once: up to $10^{-3}$ the loss hardly varies, within a margin of {{ value: plateau_range }}. The suggestion, {{ value: suggested_lr }} (which we round to {{ value: used_lr }}), lies before the curve's bottom, at {{ value: bottom_lr }}: it is a reasonable starting point, not the optimum; the playbook refines it afterward with a few runs around it.
# - With the same rate and the same epochs, the large batch makes far fewer updates ({{ value: updates_256 }} against {{ value: updates_64 }} with batch 64 and {{ value: updates_16 }} with batch 16) and lags behind: its best validation loss is {{ value: val_loss_256 }}, against {{ value: val_loss_64 }} with batch 64 {{ claim: large_batch_lags }}. It is not that large batches are worse, but that they need another rate or more epochs. Comparing batches without re-tuning the rate is unfair to them.
# - As capacity grows, training loss falls toward zero: the lowest it reaches goes from {{ value: train_loss_small }} with 8 units to {{ value: train_loss_large }} with 512×512 {{ claim: capacity_fits }}. In the largest model the final validation loss, {{ value: val_loss_large }}, is {{ value: ratio_large }} times the training loss, against {{ value: ratio_small }} times with 8 units, and its best validation epoch is {{ value: large_best_epoch }} {{ claim: large_overfits }}: it has started to overfit, and that is the moment to regularize, not before. In this run the lowest validation loss of the whole table is “{{ value: best_run }}”'s, {{ value: best_run_loss }}.
# - The table is the process's most valuable product: each row changes a single thing relative to another, with the same seed, and can be reread months later. With an experiment log (as in the [experiment-tracking lesson](experiment-tracking.md)) that table builds itself.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Repite la ejecución con lote 256 multiplicando la tasa por 4. ¿Se acerca al lote de 64?
# 2. ¿Por qué todas las ejecuciones usan la misma semilla? ¿Qué podría pasar si cada una usara una distinta?
# 3. Añade una ronda que combine dropout y decaimiento de pesos en el modelo de 512×512, y colócala en la tabla.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Repeat the batch-256 run with the rate multiplied by 4. Does it get closer to batch 64?
# 2. Why do all runs use the same seed? What could happen if each used a different one?
# 3. Add a round combining dropout and weight decay on the 512×512 model, and put it in the table.

# %% [markdown] lang="es" solution="1"
# Escalar la tasa con el lote (la regla lineal) compensa en parte que haya cuatro veces menos pasos: la pérdida final de entrenamiento del lote 256 baja de {{ value: train_256 }} a {{ value: train_256_fast }} {{ claim: scaled_lr_trains }}. En validación, su mejor pérdida pasa de {{ value: val_loss_256 }} a {{ value: val_256_fast }}, frente a {{ value: val_loss_64 }} del lote de 64: {{ value: closer_verdict }}. Cuando el resultado queda cerca del lote de 64, la diferencia de la ronda 2 venía de la tasa, no del lote; para saberlo con seguridad habría que ajustar la tasa del lote 256 como se ajustó la del 64.

# %% [markdown] lang="en" solution="1"
# Scaling the rate with the batch (the linear rule) partly makes up for there being four times fewer steps: batch 256's final training loss falls from {{ value: train_256 }} to {{ value: train_256_fast }} {{ claim: scaled_lr_trains }}. On validation, its best loss goes from {{ value: val_loss_256 }} to {{ value: val_256_fast }}, against {{ value: val_loss_64 }} for batch 64: {{ value: closer_verdict }}. When the result ends close to batch 64, the difference in round 2 came from the rate, not from the batch; to know for sure, batch 256's rate would have to be tuned as batch 64's was.

# %% solution="1"
faster = fit_digits(
    tr(es="lote 256, η×4", en="batch 256, η×4"),
    lr=4 * lr,
    batch_size=256,
    **common,
)
print(runs_table([*runs, faster]))
slow_256 = by_batch[256]
distance_before = abs(slow_256.best_val_loss - by_batch[64].best_val_loss)
distance_after = abs(faster.best_val_loss - by_batch[64].best_val_loss)
if distance_after < distance_before:
    verdict = tr(es="se acerca", en="it gets closer")
else:
    verdict = tr(es="aquí no se acerca", en="here it does not get closer")
publish("train_256", slow_256.history["train_loss"][-1])
publish("train_256_fast", faster.history["train_loss"][-1])
publish("val_256_fast", faster.best_val_loss)
publish("closer_verdict", verdict)
claim(
    "scaled_lr_trains",
    faster.history["train_loss"][-1] < slow_256.history["train_loss"][-1] / 2,
    es="con la tasa ×4, la pérdida final de entrenamiento del lote 256 baja a "
    "menos de la mitad",
    en="with the rate ×4, batch 256's final training loss falls below half",
)

# %% [markdown] lang="es" solution="2"
# Con la misma semilla, los pesos iniciales y el orden de los minilotes son iguales, y la diferencia entre dos filas se debe solo a lo que cambió. Con semillas distintas, parte de la diferencia sería azar. Lo medimos repitiendo la ejecución de lote 64 con otra semilla, sin cambiar nada más: su mejor pérdida de validación se mueve {{ value: seed_shift_loss }}, más que la diferencia entre {{ value: pairs_below_seed }} de los {{ value: n_pairs }} pares de configuraciones distintas de la tabla {{ claim: seed_matters }}. Para comparar configuraciones de verdad habría que repetir cada una con varias semillas y mirar la dispersión.

# %% [markdown] lang="en" solution="2"
# With the same seed, the initial weights and the mini-batch order are the same, and the difference between two rows is due only to what changed. With different seeds part of the difference would be chance. We measure it by repeating the batch-64 run with another seed, changing nothing else: its best validation loss moves by {{ value: seed_shift_loss }}, more than the difference between {{ value: pairs_below_seed }} of the {{ value: n_pairs }} pairs of distinct configurations in the table {{ claim: seed_matters }}. To really compare configurations, each would have to be repeated with several seeds and the spread examined.

# %% solution="2"
reseeded = fit_digits(
    tr(es="lote 64, semilla 1", en="batch 64, seed 1"), lr=lr, seed=1, **common
)
print(runs_table([by_batch[64], reseeded]))
seed_shift_loss = abs(reseeded.best_val_loss - by_batch[64].best_val_loss)
distinct = {repr(run.settings): run for run in everything}.values()
pairs = list(combinations(distinct, 2))
below = sum(
    abs(a.best_val_loss - b.best_val_loss) < seed_shift_loss for a, b in pairs
)
print(
    tr(
        es=f"pares de configuraciones que difieren menos que el cambio de "
        f"semilla: {below} de {len(pairs)}",
        en=f"pairs of configurations that differ less than the change of seed: "
        f"{below} of {len(pairs)}",
    )
)
publish("seed_shift_loss", seed_shift_loss)
publish("pairs_below_seed", below)
publish("n_pairs", len(pairs))
claim(
    "seed_matters",
    below >= 1,
    es="el cambio de semilla mueve la pérdida más que la diferencia entre al "
    "menos un par de configuraciones de la tabla",
    en="changing the seed moves the loss more than the difference between at "
    "least one pair of configurations in the table",
)

# %% [markdown] lang="es" solution="3"
# Con dropout y decaimiento de pesos a la vez, la mejor pérdida de validación del modelo de 512×512 es {{ value: both_loss }}, frente a {{ value: dropout_loss }} con solo dropout y {{ value: decay_loss }} con solo decaimiento de pesos. Cada fila nueva de la tabla responde a una pregunta: aquí, si las dos regularizaciones se suman o se estorban.

# %% [markdown] lang="en" solution="3"
# With dropout and weight decay together, the 512×512 model's best validation loss is {{ value: both_loss }}, against {{ value: dropout_loss }} with dropout alone and {{ value: decay_loss }} with weight decay alone. Every new row in the table answers one question: here, whether the two regularizers add up or get in each other's way.

# %% solution="3"
both = fit_digits(
    tr(es="512x512 + ambos", en="512x512 + both"),
    hidden=big,
    lr=lr,
    dropout=0.3,
    weight_decay=0.1,
    **common,
)
print(runs_table([*regularised, both]))
publish("both_loss", both.best_val_loss)
publish("dropout_loss", regularised[0].best_val_loss)
publish("decay_loss", regularised[1].best_val_loss)
