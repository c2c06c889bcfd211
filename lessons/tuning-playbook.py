# ---
# jupyter:
#   lesson:
#     title:
#       es: El manual de ajuste en la práctica
#       en: The tuning playbook in practice
#     summary:
#       es: El proceso iterativo sobre un modelo real - prueba de rango de la tasa con el Tuner de Lightning, efecto del tamaño de lote, más capacidad hasta sobreajustar y después regularizar.
#       en: The iterative process on a real model - learning-rate range test with Lightning's Tuner, the effect of batch size, more capacity until it overfits, then regularisation.
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
#     - Follow the tuning playbook's order of priorities: first the learning rate, then the batch size, then capacity and finally regularisation.
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
# mientras se registra la pérdida. Con tasas muy pequeñas la pérdida apenas se mueve; en una zona intermedia baja deprisa; con tasas demasiado grandes se dispara. Lightning sugiere la tasa donde la curva (suavizada) baja con más pendiente.

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
# while the loss is recorded. With very small rates the loss barely moves; in an intermediate zone it falls fast; with rates that are too large it blows up. Lightning suggests the rate where the (smoothed) curve falls most steeply.

# %% [markdown] lang="es"
# ## Ronda 1: la tasa de aprendizaje
#
# El punto de partida es deliberadamente sencillo: un MLP con una capa oculta de 32 unidades, AdamW y 500 imágenes de dígitos para entrenar. La prueba de rango da 100 pasos con tasas de $10^{-5}$ a $1$.

# %% [markdown] lang="en"
# ## Round 1: the learning rate
#
# The starting point is deliberately simple: an MLP with one hidden layer of 32 units, AdamW and 500 digit images for training. The range test takes 100 steps with rates from $10^{-5}$ to $1$.

# %%
from dlcourse.data.digits import DigitsDataModule
from dlcourse.lessons.tuning_playbook import fit_digits, quiet_lr_find, runs_table
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import scratch_dir, seed_all
from dlcourse.training.lightning import DigitsClassifier, make_trainer

TRAIN_SIZE, EPOCHS = 500, 15
seed_all(0)
finder_trainer = make_trainer(
    "tuning/lr-find", max_epochs=50, default_root_dir=str(scratch_dir("tuning/lr-find"))
)
finder = quiet_lr_find(
    finder_trainer,
    DigitsClassifier((32,), lr=1e-3),
    DigitsDataModule(64, train_size=TRAIN_SIZE),
    min_lr=1e-5,
    max_lr=1.0,
    num_training=100,
)
suggested = finder.suggestion()
lr = float(f"{suggested:.0e}")  # one significant figure is precision enough
lrs, losses = finder.results["lr"], finder.results["loss"]
print(f"range test: {len(lrs)} steps from {lrs[0]:.0e} to {lrs[-1]:.0e}")
print(
    f"suggested learning rate (steepest descent of the smoothed loss): {suggested:.2e} -> we use {lr:.0e}"
)

fig, ax = new_figure(width=6.0, height=3.8)
ax.plot(lrs, losses, color=PALETTE[0])
ax.axvline(
    suggested, color=PALETTE[3], linestyle="--", label=f"sugerida / suggested: {suggested:.1e}"
)
ax.set_xscale("log")
ax.set(
    title="Prueba de rango / Range test",
    xlabel="tasa de aprendizaje (log) / learning rate (log)",
    ylabel="pérdida suavizada / smoothed loss",
)
ax.legend()
set_alt(
    fig,
    es=f"Pérdida suavizada frente a la tasa de aprendizaje, de 1e-5 a 1 en escala logarítmica: casi plana con tasas pequeñas, baja con fuerza en la zona intermedia y deja de mejorar al final. Una línea discontinua marca la tasa sugerida, {suggested:.1e}.",
    en=f"Smoothed loss against learning rate, from 1e-5 to 1 on a log scale: nearly flat for small rates, falling steeply in the middle zone and no longer improving at the end. A dashed line marks the suggested rate, {suggested:.1e}.",
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
runs = [
    fit_digits(f"batch {b}", lr=lr, batch_size=b, epochs=EPOCHS, train_size=TRAIN_SIZE)
    for b in (16, 64, 256)
]
print(runs_table(runs))

# %% [markdown] lang="es"
# ## Ronda 3: más capacidad hasta sobreajustar
#
# Con lote 64, aumentamos la capacidad: 8 unidades, 32 (la de partida), 128 y dos capas de 512. Buscamos el punto en que la pérdida de entrenamiento se vuelve muy pequeña y la mejor época de validación llega antes del final: señal de que la red ya sobra para estos datos.

# %% [markdown] lang="en"
# ## Round 3: more capacity until it overfits
#
# With batch 64, we increase capacity: 8 units, 32 (the starting point), 128 and two layers of 512. We look for the point where training loss becomes very small and the best validation epoch comes before the end: a sign that the network is now more than these data need.

# %%
capacity = [
    fit_digits(
        f"hidden {'x'.join(map(str, h))}", hidden=h, lr=lr, epochs=EPOCHS, train_size=TRAIN_SIZE
    )
    for h in ((8,), (32,), (128,), (512, 512))
]
print(runs_table(capacity))

# %% [markdown] lang="es"
# ## Ronda 4: regularizar el modelo grande
#
# Partimos del modelo de dos capas de 512 y añadimos, por separado, dropout ($p = 0{,}3$) y decaimiento de pesos ($\lambda = 0{,}1$).

# %% [markdown] lang="en"
# ## Round 4: regularise the large model
#
# We start from the two-layer 512 model and add, separately, dropout ($p = 0.3$) and weight decay ($\lambda = 0.1$).

# %%
big = (512, 512)
regularised = [
    fit_digits(
        "512x512 drop", hidden=big, lr=lr, dropout=0.3, epochs=EPOCHS, train_size=TRAIN_SIZE
    ),
    fit_digits(
        "512x512 wd", hidden=big, lr=lr, weight_decay=0.1, epochs=EPOCHS, train_size=TRAIN_SIZE
    ),
]
everything = runs + capacity + regularised
print(runs_table(everything))
best = min(everything, key=lambda run: run.best_val_loss)
print(
    f"\nlowest validation loss: '{best.name}' ({best.best_val_loss:.3f} at epoch {best.best_epoch}, accuracy {best.best_val_acc:.3f})"
)

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
    title="Cuaderno de ejecuciones / Run log",
    xlabel="mejor pérdida de validación / best validation loss",
    ylabel="ejecución / run",
)
set_alt(
    fig,
    es=f"Barras horizontales con la mejor pérdida de validación de las {len(everything)} ejecuciones, agrupadas por ronda: tamaño de lote, capacidad y regularización. La menor es la de «{best.name}», {best.best_val_loss:.3f}.",
    en=f"Horizontal bars with the best validation loss of the {len(everything)} runs, grouped by round: batch size, capacity and regularisation. The lowest is '{best.name}', {best.best_val_loss:.3f}.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - La prueba de rango cuesta 100 pasos, menos que una sola de las ejecuciones de la tabla, y descarta de golpe varios órdenes de magnitud de tasas inútiles. La sugerencia es un punto de partida razonable, no el óptimo: en el manual se afina después con unas pocas ejecuciones alrededor.
# - Con la misma tasa y las mismas épocas, el lote grande hace muchas menos actualizaciones y queda por detrás: no es que los lotes grandes sean peores, es que necesitan otra tasa u otras épocas. Comparar lotes sin reajustar la tasa es injusto con ellos.
# - Al crecer la capacidad la pérdida de entrenamiento cae hacia cero. En el modelo más grande la mejor época de validación llega antes del final: ha empezado a sobreajustar, y ese es el momento de regularizar, no antes.
# - La tabla es el producto más valioso del proceso: cada fila cambia una sola cosa respecto a otra, con la misma semilla, y se puede releer meses después. Con un registro de experimentos (como en la [lección anterior](experiment-tracking.md)) esa tabla se construye sola.

# %% [markdown] lang="en"
# ## What to notice
#
# - The range test costs 100 steps, less than a single run in the table, and rules out several orders of magnitude of useless rates at once. The suggestion is a reasonable starting point, not the optimum: the playbook refines it afterwards with a few runs around it.
# - With the same rate and the same epochs, the large batch makes far fewer updates and lags behind: it is not that large batches are worse, but that they need another rate or more epochs. Comparing batches without re-tuning the rate is unfair to them.
# - As capacity grows, training loss falls towards zero. In the largest model the best validation epoch comes before the end: it has started to overfit, and that is the moment to regularise, not before.
# - The table is the process's most valuable product: each row changes a single thing relative to another, with the same seed, and can be reread months later. With an experiment log (as in the [experiment-tracking lesson](experiment-tracking.md)) that table builds itself.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Repite la ejecución con lote 256 multiplicando la tasa por 4. ¿Se acerca al lote de 64?
# 2. ¿Por qué todas las ejecuciones usan la misma semilla? ¿Qué podría pasar si cada una usara una distinta?
# 3. Añade una ronda que combine dropout y decaimiento de pesos en el modelo de 512×512, y colócala en la tabla.
#
# ??? success "Solución 1"
#     ```python
#     bigger = fit_digits("batch 256, 4x lr", lr=4 * lr, batch_size=256, epochs=EPOCHS, train_size=TRAIN_SIZE)
#     print(runs_table(runs + [bigger]))
#     ```
#     Escalar la tasa con el lote (la regla lineal) compensa en parte que haya cuatro veces menos pasos. Si el resultado queda cerca del lote de 64, la diferencia de la ronda 2 venía de la tasa, no del lote.
#
# ??? success "Solución 2"
#     Con la misma semilla, los pesos iniciales y el orden de los minilotes son iguales, y la diferencia entre dos filas se debe solo a lo que cambió. Con semillas distintas, parte de la diferencia sería azar: para comparar configuraciones de verdad habría que repetir cada una con varias semillas y mirar la dispersión.
#
# ??? success "Solución 3"
#     ```python
#     both = fit_digits("512x512 both", hidden=big, lr=lr, dropout=0.3, weight_decay=0.1, epochs=EPOCHS, train_size=TRAIN_SIZE)
#     print(runs_table(regularised + [both]))
#     ```

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Repeat the batch-256 run with the rate multiplied by 4. Does it get closer to batch 64?
# 2. Why do all runs use the same seed? What could happen if each used a different one?
# 3. Add a round combining dropout and weight decay on the 512×512 model, and put it in the table.
#
# ??? success "Solution 1"
#     ```python
#     bigger = fit_digits("batch 256, 4x lr", lr=4 * lr, batch_size=256, epochs=EPOCHS, train_size=TRAIN_SIZE)
#     print(runs_table(runs + [bigger]))
#     ```
#     Scaling the rate with the batch (the linear rule) partly makes up for there being four times fewer steps. If the result ends close to batch 64, the difference in round 2 came from the rate, not from the batch.
#
# ??? success "Solution 2"
#     With the same seed, the initial weights and the mini-batch order are the same, and the difference between two rows is due only to what changed. With different seeds part of the difference would be chance: to really compare configurations, each would have to be repeated with several seeds and the spread examined.
#
# ??? success "Solution 3"
#     ```python
#     both = fit_digits("512x512 both", hidden=big, lr=lr, dropout=0.3, weight_decay=0.1, epochs=EPOCHS, train_size=TRAIN_SIZE)
#     print(runs_table(regularised + [both]))
#     ```
