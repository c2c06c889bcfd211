# ---
# jupyter:
#   lesson:
#     title:
#       es: Descenso de gradiente estocástico
#       en: Stochastic gradient descent
#     summary:
#       es: Lote completo, minilotes y un ejemplo por paso comparados con el mismo número de épocas; una tasa de aprendizaje pequeña, buena y demasiado grande.
#       en: Full batch, mini-batches and one example per step compared over the same number of epochs; a learning rate too small, right and too large.
#     order: 6
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Distinguir el descenso de gradiente por **lotes**, por **minilotes** y **estocástico**, y contar cuántas actualizaciones hace cada uno por época.
#     - Comparar su pérdida por época y por actualización sobre el mismo problema, y ver el ruido que introduce un lote pequeño.
#     - Reconocer en las curvas una tasa de aprendizaje demasiado pequeña, una adecuada y una que diverge.
#
# Lectura asociada: [resumen de *Stochastic Gradient Descent*](../readings/stochastic-gradient-descent.md) y la nota sobre [tasa de aprendizaje, épocas y tamaño de lote](../concepts/training-hyperparameters.md). Lección anterior: [regresión lineal de dos maneras](linear-regression.md), con el mismo problema y su solución exacta. Referencia de la API: [`dlcourse.lessons.sgd`](../api/lessons/sgd.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Tell apart **batch**, **mini-batch** and **stochastic** gradient descent, and count how many updates each makes per epoch.
#     - Compare their loss per epoch and per update on the same problem, and see the noise a small batch brings.
#     - Recognize in the curves a learning rate that is too small, one that is right and one that diverges.
#
# Related reading: [summary of *Stochastic Gradient Descent*](../readings/stochastic-gradient-descent.md) and the note on [learning rate, epochs and batch size](../concepts/training-hyperparameters.md). Previous lesson: [linear regression two ways](linear-regression.md), with the same problem and its exact solution. API reference: [`dlcourse.lessons.sgd`](../api/lessons/sgd.md).

# %% [markdown] lang="es"
# ## La idea
#
# La pérdida de entrenamiento es una media sobre los $N$ ejemplos, $L(\mathbf{w}) = \frac{1}{N}\sum_{n} \ell_n(\mathbf{w})$, y su gradiente también. Calcularlo entero en cada paso es caro cuando $N$ es grande. El descenso de gradiente **estocástico** (SGD) lo estima con un minilote $\mathcal{B}$ de $B$ ejemplos sacados al azar:
#
# $$
# \mathbf{w} \leftarrow \mathbf{w} - \eta\, \frac{1}{B} \sum_{n \in \mathcal{B}} \nabla \ell_n(\mathbf{w}) .
# $$
#
# La estimación es insesgada (su media es el gradiente verdadero) y su varianza disminuye como $1/B$. Con $B = N$ tenemos el descenso por lotes: una actualización exacta por época. Con $B = 1$, el estocástico puro: $N$ actualizaciones por época, cada una muy ruidosa. Entre ambos, los minilotes: $\lceil N/B \rceil$ actualizaciones por época.
#
# Usamos el mismo problema de la lección anterior, la tabla *diabetes* con sus diez características y un modelo lineal, porque allí conocimos su error mínimo exacto. Así sabremos cuánto se acerca cada variante.

# %% [markdown] lang="en"
# ## The idea
#
# The training loss is an average over the $N$ examples, $L(\mathbf{w}) = \frac{1}{N}\sum_{n} \ell_n(\mathbf{w})$, and so is its gradient. Computing it in full at every step is expensive when $N$ is large. **Stochastic** gradient descent (SGD) estimates it with a mini-batch $\mathcal{B}$ of $B$ examples drawn at random:
#
# $$
# \mathbf{w} \leftarrow \mathbf{w} - \eta\, \frac{1}{B} \sum_{n \in \mathcal{B}} \nabla \ell_n(\mathbf{w}) .
# $$
#
# The estimate is unbiased (its mean is the true gradient) and its variance shrinks as $1/B$. With $B = N$ we have batch descent: one exact update per epoch. With $B = 1$, pure stochastic descent: $N$ updates per epoch, each one very noisy. In between, mini-batches: $\lceil N/B \rceil$ updates per epoch.
#
# We use the problem from the previous lesson, the *diabetes* table with its ten features and a linear model, because there we found its exact minimum error. That way we know how close each variant gets.

# %%
from dlcourse.bilingual import align, claim, number, publish, tr
from dlcourse.data.tables import load_table
from dlcourse.lessons.sgd import ShuffledBatches, train_sgd, updates_per_epoch
from dlcourse.models.linear_regression import (
    curvature,
    design_matrix,
    mse,
    normal_equations,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all, seeded_generator

seed_all(0)
table = load_table("diabetes", standardize_target=True)
data = (table.x_train, table.y_train, table.x_val, table.y_val)
X = design_matrix(table.x_train)  # (331, 11)
y = table.y_train.double()  # (331,)
best = mse(normal_equations(X, y), X, y).item()
limit = 2 / curvature(X)[-1].item()  # the full-batch limit of lesson 5
N, F = table.x_train.shape
print(
    tr(
        es=f"{N} ejemplos de entrenamiento, {F} características",
        en=f"{N} training examples, {F} features",
    )
)
print(
    tr(
        es=f"menor ECM posible (ecuaciones normales): {number(best, '.4f')}",
        en=f"lowest possible MSE (normal equations): {number(best, '.4f')}",
    )
)
publish("n_train", N)
publish("best", best, ".4f")
publish("full_batch_limit", limit, ".2f")

# %% [markdown] lang="es"
# ## Lotes, minilotes y un ejemplo por paso
#
# Las tres variantes parten de los mismos pesos, ven los datos en el mismo orden aleatorio y usan la misma tasa de aprendizaje, $\eta = 0{,}05$, durante 30 épocas.

# %% [markdown] lang="en"
# ## Batches, mini-batches and one example per step
#
# The three variants start from the same weights, see the data in the same random order and use the same learning rate, $\eta = 0.05$, for 30 epochs.

# %%
EPOCHS, LR = 30, 0.05
variants = {
    tr(es=f"lote (B = {N})", en=f"batch (B = {N})"): N,
    tr(es="minilote (B = 32)", en="mini-batch (B = 32)"): 32,
    tr(es="estocástico (B = 1)", en="stochastic (B = 1)"): 1,
}
runs = {}
for name, b in variants.items():
    runs[name] = train_sgd(*data, batch_size=b, lr=LR, epochs=EPOCHS, seed=0)
widths = (20, 11, 6, 11, 10, 8, 8)
header = (
    tr(es="variante", en="variant"),
    tr(es="act./época", en="upd./epoch"),
    tr(es="act.", en="upd."),
    tr(es="ECM entr.", en="train MSE"),
    tr(es="ECM val.", en="val MSE"),
    tr(es="exceso", en="excess"),
    tr(es="tiempo", en="time"),
)
titles = [align(header[0], widths[0], "<")]
titles += [align(h, w) for h, w in zip(header[1:], widths[1:], strict=True)]
print("".join(titles))
for name, run in runs.items():
    cells = (
        str(updates_per_epoch(N, run.batch_size)),
        str(run.updates),
        number(run.epoch_loss[-1], ".4f"),
        number(run.val_loss[-1], ".4f"),
        number(run.epoch_loss[-1] - best, ".4f"),
        number(run.seconds, ".2f") + " s",
    )
    row = [align(name, widths[0], "<")]
    row += [align(c, w) for c, w in zip(cells, widths[1:], strict=True)]
    print("".join(row))

# %%
fig, (ax_epoch, ax_update) = new_figure(ncols=2, width=5.2, height=3.9)
for k, (name, run) in enumerate(runs.items()):
    epochs = range(1, EPOCHS + 1)
    per_epoch = updates_per_epoch(N, run.batch_size)
    seen = [e * per_epoch for e in epochs]
    ax_epoch.plot(epochs, run.epoch_loss, color=PALETTE[k], label=name)
    ax_update.plot(seen, run.epoch_loss, color=PALETTE[k], label=name)
optimum_word = tr(es="óptimo", en="optimum")
train_mse = tr(es="ECM de entrenamiento", en="training MSE")
for ax in (ax_epoch, ax_update):
    ax.axhline(best, color="#555555", linestyle="--", label=optimum_word)
    ax.set_yscale("log")
ax_epoch.set(
    title=tr(es="Por época", en="Per epoch"),
    xlabel=tr(es="época", en="epoch"),
    ylabel=train_mse,
)
ax_update.set_xscale("log")
ax_update.set(
    title=tr(es="Por actualización", en="Per update"),
    xlabel=tr(es="actualizaciones (log)", en="updates (log)"),
    ylabel=train_mse,
)
ax_epoch.legend(fontsize=8)
batch, mini, stochastic = runs.values()
ends = [number(run.epoch_loss[-1]) for run in runs.values()]
set_alt(
    fig,
    es="Error cuadrático medio de entrenamiento de las tres variantes, "
    "frente a la época (izquierda) y frente al número de actualizaciones en "
    "escala logarítmica (derecha), con una línea discontinua en el óptimo "
    f"{number(best)}. Por época, los minilotes bajan mucho antes que el lote "
    "completo y el estocástico oscila por encima de ambos; por actualización, "
    "el lote completo es el que más avanza con cada una. Al final: "
    f"{ends[0]}, {ends[1]} y {ends[2]}.",
    en="Training mean squared error of the three variants against the epoch "
    "(left) and against the number of updates on a log scale (right), with a "
    f"dashed line at the optimum {number(best)}. Per epoch, mini-batches drop "
    "much sooner than the full batch and stochastic descent oscillates above "
    "both; per update, the full batch gains the most from each one. At the "
    f"end: {ends[0]}, {ends[1]} and {ends[2]}.",
)


def first_epoch_within(run, gap: float) -> int | None:
    """The first epoch whose training MSE is within ``gap`` of the optimum."""
    for epoch, loss in enumerate(run.epoch_loss, start=1):
        if loss - best < gap:
            return epoch
    return None


mini_per_epoch = updates_per_epoch(N, 32)
epochs_batch = first_epoch_within(batch, 0.02)
epochs_mini = first_epoch_within(mini, 0.02)
publish("mini_updates", mini_per_epoch)
publish("epochs_batch", epochs_batch if epochs_batch else EPOCHS)
publish("epochs_mini", epochs_mini if epochs_mini else EPOCHS)
publish("seconds_stochastic", stochastic.seconds, ".2f")
publish("seconds_mini", mini.seconds, ".2f")
publish("excess_stochastic", stochastic.epoch_loss[-1] - best, ".2f")
publish("excess_mini", mini.epoch_loss[-1] - best, ".3f")
claim(
    "mini_fewer_epochs",
    epochs_mini is not None and 3 * epochs_mini <= (epochs_batch or EPOCHS + 1),
    es="los minilotes llegan a 0,02 del óptimo en menos de un tercio de las "
    "épocas que necesita el lote completo",
    en="mini-batches get within 0.02 of the optimum in under a third of the "
    "epochs the full batch needs",
)
claim(
    "batch_better_per_update",
    batch.epoch_loss[mini_per_epoch - 1] < mini.epoch_loss[0]
    and mini.epoch_loss[-1] < stochastic.epoch_loss[0],
    es="con las mismas actualizaciones, el lote completo queda por debajo de "
    "los minilotes y los minilotes por debajo del estocástico",
    en="for the same number of updates, the full batch ends below the "
    "mini-batches and the mini-batches below stochastic descent",
)
claim(
    "stochastic_above",
    stochastic.epoch_loss[-1] > mini.epoch_loss[-1],
    es="el estocástico acaba con más pérdida que los minilotes",
    en="stochastic descent ends with a higher training loss than mini-batches",
)
claim(
    "stochastic_slow",
    stochastic.seconds > 3 * mini.seconds,
    es="en este dispositivo, el estocástico tarda más del triple",
    en="on this device, stochastic descent takes over three times as long",
)

# %% [markdown] lang="es"
# ## Tres tasas de aprendizaje
#
# Ahora fijamos minilotes de 32 y cambiamos solo $\eta$: $0{,}001$, $0{,}05$ y $0{,}3$. En la lección anterior vimos que, para el lote completo, el descenso diverge por encima de $2/\lambda_{\max}$, que con estos datos vale {{ value: full_batch_limit }}; $0{,}3$ queda por encima y $0{,}05$ muy por debajo {{ claim: rates_around_limit }}. Un run que supera una pérdida de $10^6$ se detiene y se marca como divergente.

# %% [markdown] lang="en"
# ## Three learning rates
#
# Now we fix mini-batches of 32 and change only $\eta$: $0.001$, $0.05$ and $0.3$. In the previous lesson we saw that, for the full batch, descent diverges above $2/\lambda_{\max}$, which on this data is {{ value: full_batch_limit }}; $0.3$ is above it and $0.05$ well below {{ claim: rates_around_limit }}. A run whose loss passes $10^6$ is stopped and marked as diverged.

# %%
rates = {
    tr(es="demasiado pequeña (0,001)", en="too small (0.001)"): 0.001,
    tr(es="adecuada (0,05)", en="right (0.05)"): 0.05,
    tr(es="demasiado grande (0,3)", en="too large (0.3)"): 0.3,
}
by_rate = {}
for name, lr in rates.items():
    run = train_sgd(*data, batch_size=32, lr=lr, epochs=EPOCHS, seed=0)
    by_rate[name] = run
optimum = number(best, ".4f")
for name, run in by_rate.items():
    n, peak = run.updates, number(max(run.update_loss), ".3g")
    end = number(run.epoch_loss[-1], ".4f") if run.epoch_loss else ""
    diverged = tr(
        es=f"diverge tras {n} actualizaciones (ECM hasta {peak})",
        en=f"diverged after {n} updates (MSE up to {peak})",
    )
    finished = tr(
        es=f"ECM tras {EPOCHS} épocas {end} (óptimo {optimum})",
        en=f"MSE after {EPOCHS} epochs {end} (optimum {optimum})",
    )
    print(align(name, 26, "<") + (diverged if run.diverged else finished))

fig, ax = new_figure(width=6.4, height=3.9)
for k, (name, run) in enumerate(by_rate.items()):
    ax.plot(
        range(1, run.updates + 1),
        run.update_loss,
        color=PALETTE[k],
        linewidth=1.0,
        label=f"η {name}",
    )
ax.axhline(best, color="#555555", linestyle="--", label=optimum_word)
ax.set_yscale("log")
ax.set(
    title=tr(es="Pérdida del minilote", en="Mini-batch loss"),
    xlabel=tr(es="actualización", en="update"),
    ylabel=tr(es="ECM del minilote (log)", en="mini-batch MSE (log)"),
)
ax.legend(fontsize=8)
small, right, large = by_rate.values()
small_end = number(small.epoch_loss[-1], ".2f")
set_alt(
    fig,
    es="Pérdida de cada minilote por actualización, en escala logarítmica, "
    f"para tres tasas de aprendizaje. Con 0,001 baja despacio y termina en "
    f"{small_end}; con 0,05 baja rápido y oscila cerca del óptimo; con 0,3 "
    f"sube hasta superar 10^6 en {large.updates} actualizaciones y el "
    "entrenamiento se detiene.",
    en="Loss of each mini-batch per update, on a log scale, for three learning "
    f"rates. With 0.001 it falls slowly and ends at {small_end}; with 0.05 it "
    f"falls fast and oscillates near the optimum; with 0.3 it climbs past 10^6 "
    f"within {large.updates} updates and training stops.",
)
publish("small_final", small.epoch_loss[-1], ".3f")
publish("large_updates", large.updates)
claim(
    "rates_around_limit",
    limit / 2 > 0.05 and limit < 0.3,
    es="0,3 supera el límite del lote completo y 0,05 no llega a su mitad",
    en="0.3 is above the full-batch limit and 0.05 below half of it",
)
claim(
    "small_still_falling",
    not small.diverged
    and small.epoch_loss[-1] < small.epoch_loss[-2]
    and small.epoch_loss[-1] - best > 2 * (right.epoch_loss[-1] - best),
    es="con η = 0,001 la pérdida aún baja en la última época y su exceso sobre "
    "el óptimo es más del doble que el de η = 0,05",
    en="with η = 0.001 the loss still falls in the last epoch and its excess "
    "over the optimum is over twice that of η = 0.05",
)
claim(
    "large_rises_early",
    large.diverged
    and large.updates < 5 * mini_per_epoch
    and max(large.update_loss[:10]) > 2 * large.update_loss[0],
    es="con η = 0,3 la pérdida del minilote dobla la inicial en las diez "
    "primeras actualizaciones y diverge antes de la quinta época",
    en="with η = 0.3 the mini-batch loss doubles within the first ten updates "
    "and diverges before the fifth epoch",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Con el mismo número de épocas, los minilotes hacen {{ value: mini_updates }} veces más actualizaciones que el lote completo y se acercan al óptimo en muchas menos épocas (curvas de la izquierda): llegan a 0,02 de él en {{ value: epochs_mini }} épocas, frente a {{ value: epochs_batch }} del lote completo {{ claim: mini_fewer_epochs }}. Cada actualización es menos precisa, pero hay muchas más por el mismo coste de datos.
# - Por actualización la comparación se invierte: el lote completo avanza más con cada paso, porque su gradiente es exacto {{ claim: batch_better_per_update }}. Qué conviene depende de qué es caro: en una GPU, un minilote de 32 cuesta casi lo mismo que uno de 1, así que los minilotes suelen ganar.
# - El estocástico puro, con la misma $\eta$, no se asienta: su pérdida de entrenamiento acaba **por encima** de la de los minilotes ({{ value: excess_stochastic }} sobre el óptimo, frente a {{ value: excess_mini }}) {{ claim: stochastic_above }}, porque el ruido de cada paso le impide quedarse en el fondo del cuenco. Con una tasa constante, el ruido fija un suelo; por eso se reduce la tasa a lo largo del entrenamiento (o se aumenta el lote). Además, en Python un paso por ejemplo es lento: en este dispositivo tarda {{ value: seconds_stochastic }} s, frente a {{ value: seconds_mini }} s de los minilotes {{ claim: stochastic_slow }}.
# - Con $\eta = 0{,}001$ la pérdida aún baja al final de las 30 épocas (acaba en {{ value: small_final }}) {{ claim: small_still_falling }}: no es que no funcione, es que necesitaría muchas más. Con $\eta = 0{,}3$ la pérdida crece desde las primeras actualizaciones y el run se detiene tras {{ value: large_updates }} actualizaciones {{ claim: large_rises_early }}: esa curva en ascenso es la señal inequívoca de una tasa demasiado grande.

# %% [markdown] lang="en"
# ## What to notice
#
# - With the same number of epochs, mini-batches make {{ value: mini_updates }} times as many updates as the full batch and approach the optimum in far fewer epochs (left-hand curves): they get within 0.02 of it in {{ value: epochs_mini }} epochs, against the full batch's {{ value: epochs_batch }} {{ claim: mini_fewer_epochs }}. Each update is less accurate, but there are many more for the same cost in data.
# - Per update the comparison flips: the full batch gains more from each step, because its gradient is exact {{ claim: batch_better_per_update }}. Which is better depends on what is expensive: on a GPU a mini-batch of 32 costs almost the same as one of 1, so mini-batches usually win.
# - Pure stochastic descent, with the same $\eta$, does not settle: its training loss ends **above** that of the mini-batches ({{ value: excess_stochastic }} above the optimum, against {{ value: excess_mini }}) {{ claim: stochastic_above }}, because the noise of each step keeps it from staying at the bottom of the bowl. With a constant rate, the noise sets a floor; that is why the rate is lowered during training (or the batch enlarged). Besides, one step per example is slow in Python: on this device it takes {{ value: seconds_stochastic }} s, against {{ value: seconds_mini }} s for mini-batches {{ claim: stochastic_slow }}.
# - With $\eta = 0.001$ the loss is still falling at the end of the 30 epochs (it ends at {{ value: small_final }}) {{ claim: small_still_falling }}: it is not that it fails, it would just need many more. With $\eta = 0.3$ the loss grows from the first updates and the run is stopped after {{ value: large_updates }} updates {{ claim: large_rises_early }}: that rising curve is the unmistakable sign of a rate that is too large.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Cuántas actualizaciones por época hace un minilote de 100 con estos {{ value: n_train }} ejemplos? ¿De qué tamaño es el último?
# 2. Repite el descenso estocástico ($B = 1$) con $\eta = 0{,}01$. ¿Queda más cerca del óptimo que con $0{,}05$? ¿Por qué?
# 3. Entrena minilotes de 32 con las tasas 0,1, 0,15, 0,2 y 0,25. ¿Diverge alguna en 30 épocas? ¿Cómo cambia la pérdida final?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. How many updates per epoch does a mini-batch of 100 make with these {{ value: n_train }} examples? How large is the last one?
# 2. Repeat stochastic descent ($B = 1$) with $\eta = 0.01$. Does it end closer to the optimum than with $0.05$? Why?
# 3. Train mini-batches of 32 with rates 0.1, 0.15, 0.2 and 0.25. Does any of them diverge in 30 epochs? How does the final loss change?

# %% [markdown] lang="es" solution="1"
# $\lceil N/100 \rceil$ = {{ value: updates_100 }} actualizaciones: minilotes de 100 y uno final de {{ value: last_batch }}, los que quedan {{ claim: batches_of_100 }}.

# %% [markdown] lang="en" solution="1"
# $\lceil N/100 \rceil$ = {{ value: updates_100 }} updates: mini-batches of 100 and a last one of {{ value: last_batch }}, those left over {{ claim: batches_of_100 }}.

# %% solution="1"
one_pass = ShuffledBatches(*data[:2], 100, seeded_generator(0))
sizes = [len(x_batch) for x_batch, _ in one_pass]
per_epoch_100 = updates_per_epoch(N, 100)
print(
    tr(
        es=f"actualizaciones por época: {per_epoch_100} · tamaños: {sizes}",
        en=f"updates per epoch: {per_epoch_100} · sizes: {sizes}",
    )
)
publish("updates_100", per_epoch_100)
publish("last_batch", sizes[-1])
claim(
    "batches_of_100",
    len(sizes) == per_epoch_100
    and all(size == 100 for size in sizes[:-1])
    and sizes[-1] == N - 100 * (len(sizes) - 1),
    es="una pasada da esas actualizaciones, todas de 100 salvo la última",
    en="one pass gives that many updates, all of 100 but the last",
)

# %% [markdown] lang="es" solution="2"
# Sí: con $\eta = 0{,}01$ el exceso sobre el óptimo baja de {{ value: excess_stochastic }} a {{ value: excess_slow_stochastic }} {{ claim: smaller_rate_lower_floor }}. Con pasos más cortos el ruido de cada ejemplo mueve menos los pesos y el suelo de ruido baja. Es la razón de reducir la tasa al final del entrenamiento.

# %% [markdown] lang="en" solution="2"
# Yes: with $\eta = 0.01$ the excess over the optimum drops from {{ value: excess_stochastic }} to {{ value: excess_slow_stochastic }} {{ claim: smaller_rate_lower_floor }}. With shorter steps the noise of each example moves the weights less and the noise floor drops. That is the reason for lowering the rate at the end of training.

# %% solution="2"
gentle = train_sgd(*data, batch_size=1, lr=0.01, epochs=EPOCHS, seed=0)
for lr, run in ((LR, stochastic), (0.01, gentle)):
    print(
        tr(
            es=f"B = 1, η = {number(lr, 'g')}: exceso sobre el óptimo "
            f"{number(run.epoch_loss[-1] - best, '.4f')}",
            en=f"B = 1, η = {number(lr, 'g')}: excess over the optimum "
            f"{number(run.epoch_loss[-1] - best, '.4f')}",
        )
    )
publish("excess_slow_stochastic", gentle.epoch_loss[-1] - best, ".2f")
claim(
    "smaller_rate_lower_floor",
    gentle.epoch_loss[-1] < stochastic.epoch_loss[-1],
    es="con B = 1, η = 0,01 acaba más cerca del óptimo que η = 0,05",
    en="with B = 1, η = 0.01 ends closer to the optimum than η = 0.05",
)

# %% [markdown] lang="es" solution="3"
# Ninguna diverge en 30 épocas {{ claim: none_diverge }}, ni siquiera 0,25, que roza el límite del lote completo ({{ value: full_batch_limit }}): el límite de los minilotes no es exactamente ese, porque cada minilote tiene su propia curvatura, y el crecimiento cerca del límite empieza siendo lento. Pero todas acaban con más pérdida que $\eta = 0{,}05$ (entre {{ value: faster_lowest }} y {{ value: faster_highest }}, frente a {{ value: right_final }}) {{ claim: faster_end_worse }}: los pasos grandes rebotan más alrededor del fondo del cuenco.

# %% [markdown] lang="en" solution="3"
# None diverges in 30 epochs {{ claim: none_diverge }}, not even 0.25, which is close to the full-batch limit ({{ value: full_batch_limit }}): the limit for mini-batches is not exactly that one, because each mini-batch has its own curvature, and growth near the limit starts slowly. But they all end with a higher loss than $\eta = 0.05$ (between {{ value: faster_lowest }} and {{ value: faster_highest }}, against {{ value: right_final }}) {{ claim: faster_end_worse }}: large steps bounce more around the bottom of the bowl.

# %% solution="3"
faster = {}
for lr in (0.1, 0.15, 0.2, 0.25):
    faster[lr] = train_sgd(*data, batch_size=32, lr=lr, epochs=EPOCHS, seed=0)
    run = faster[lr]
    end = number(run.epoch_loss[-1], ".4f")
    outcome = tr(es=f"ECM final {end}", en=f"final MSE {end}")
    if run.diverged:
        outcome = tr(es="diverge", en="diverged")
    print(f"η = {number(lr, 'g')}: {outcome}")
endings = [run.epoch_loss[-1] for run in faster.values()]
stable = not any(run.diverged for run in faster.values())
publish("faster_lowest", min(endings), ".3f")
publish("faster_highest", max(endings), ".3f")
publish("right_final", right.epoch_loss[-1], ".3f")
claim(
    "none_diverge",
    stable and abs(0.25 - limit) < 0.1 * limit,
    es="ninguna de las cuatro diverge; 0,25 dista < 10 % del límite",
    en="none of the four diverges; 0.25 is within 10% of the limit",
)
claim(
    "faster_end_worse",
    min(endings) > right.epoch_loss[-1],
    es="las cuatro tasas acaban con más pérdida de entrenamiento que η = 0,05",
    en="all four rates end with a higher training loss than η = 0.05",
)
