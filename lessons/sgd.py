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
#     - Recognise in the curves a learning rate that is too small, one that is right and one that diverges.
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
from dlcourse.data.tables import load_table
from dlcourse.lessons.sgd import train_sgd, updates_per_epoch
from dlcourse.models.linear_regression import design_matrix, mse, normal_equations
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all

seed_all(0)
table = load_table("diabetes", standardize_target=True)
data = (table.x_train, table.y_train, table.x_val, table.y_val)
X = design_matrix(table.x_train)
best = mse(normal_equations(X, table.y_train.double()), X, table.y_train.double()).item()
N = len(table.x_train)
print(
    f"{N} training examples, {table.x_train.shape[1]} features · lowest possible training MSE (normal equations): {best:.4f}"
)

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
variants = {"batch (B = 331)": N, "mini-batch (B = 32)": 32, "stochastic (B = 1)": 1}
runs = {
    name: train_sgd(*data, batch_size=b, lr=LR, epochs=EPOCHS, seed=0)
    for name, b in variants.items()
}
print("variant               updates/epoch  updates  train MSE  val MSE  excess over optimum")
for name, run in runs.items():
    print(
        f"{name:<21} {updates_per_epoch(N, run.batch_size):13d}  {run.updates:7d}"
        f"  {run.epoch_loss[-1]:9.4f}  {run.val_loss[-1]:7.4f}  {run.epoch_loss[-1] - best:19.4f}"
    )
print("wall time per run (s):", {name: f"{run.seconds:.2f} s" for name, run in runs.items()})

# %%
fig, (ax_epoch, ax_update) = new_figure(ncols=2, width=5.2, height=3.9)
for k, (name, run) in enumerate(runs.items()):
    epochs = range(1, EPOCHS + 1)
    per_epoch = updates_per_epoch(N, run.batch_size)
    ax_epoch.plot(epochs, run.epoch_loss, color=PALETTE[k], label=name)
    ax_update.plot([e * per_epoch for e in epochs], run.epoch_loss, color=PALETTE[k], label=name)
for ax in (ax_epoch, ax_update):
    ax.axhline(best, color="#555555", linestyle="--", linewidth=1.2, label="óptimo / optimum")
    ax.set_yscale("log")
ax_epoch.set(
    title="Por época / Per epoch",
    xlabel="época / epoch",
    ylabel="ECM de entrenamiento / training MSE",
)
ax_update.set_xscale("log")
ax_update.set(
    title="Por actualización / Per update",
    xlabel="actualizaciones (log) / updates (log)",
    ylabel="ECM de entrenamiento / training MSE",
)
ax_epoch.legend(fontsize=8)
final = {name: run.epoch_loss[-1] for name, run in runs.items()}
names = list(final)
set_alt(
    fig,
    es="Error cuadrático medio de entrenamiento de las tres variantes, frente a la época (izquierda) y frente al número de actualizaciones en escala logarítmica (derecha), con una línea discontinua en el óptimo "
    + f"{best:.3f}. Por época, los minilotes bajan mucho antes que el lote completo y el estocástico oscila por encima de ambos; por actualización, el lote completo es el que más avanza con cada una. Al final: {final[names[0]]:.3f}, {final[names[1]]:.3f} y {final[names[2]]:.3f}.",
    en="Training mean squared error of the three variants against the epoch (left) and against the number of updates on a log scale (right), with a dashed line at the optimum "
    + f"{best:.3f}. Per epoch, mini-batches drop much sooner than the full batch and stochastic descent oscillates above both; per update, the full batch gains the most from each one. At the end: {final[names[0]]:.3f}, {final[names[1]]:.3f} and {final[names[2]]:.3f}.",
)

# %% [markdown] lang="es"
# ## Tres tasas de aprendizaje
#
# Ahora fijamos minilotes de 32 y cambiamos solo $\eta$: $0{,}001$, $0{,}05$ y $0{,}3$. En la lección anterior vimos que, para el lote completo, el descenso diverge por encima de $2/\lambda_{\max} \approx 0{,}24$. Un run que supera una pérdida de $10^6$ se detiene y se marca como divergente.

# %% [markdown] lang="en"
# ## Three learning rates
#
# Now we fix mini-batches of 32 and change only $\eta$: $0.001$, $0.05$ and $0.3$. In the previous lesson we saw that, for the full batch, descent diverges above $2/\lambda_{\max} \approx 0.24$. A run whose loss passes $10^6$ is stopped and marked as diverged.

# %%
rates = {"too small (0.001)": 0.001, "right (0.05)": 0.05, "too large (0.3)": 0.3}
by_rate = {
    name: train_sgd(*data, batch_size=32, lr=lr, epochs=EPOCHS, seed=0)
    for name, lr in rates.items()
}
for name, run in by_rate.items():
    if run.diverged:
        print(
            f"{name:<18} diverged after {run.updates} updates (mini-batch MSE reached {max(run.update_loss):.3g})"
        )
    else:
        print(
            f"{name:<18} train MSE after {EPOCHS} epochs {run.epoch_loss[-1]:.4f} (optimum {best:.4f})"
        )

fig, ax = new_figure(width=6.4, height=3.9)
for k, (name, run) in enumerate(by_rate.items()):
    ax.plot(
        range(1, run.updates + 1),
        run.update_loss,
        color=PALETTE[k],
        linewidth=1.0,
        label=f"η {name}",
    )
ax.axhline(best, color="#555555", linestyle="--", linewidth=1.2, label="óptimo / optimum")
ax.set_yscale("log")
ax.set(
    title="Pérdida del minilote / Mini-batch loss",
    xlabel="actualización / update",
    ylabel="ECM del minilote (log) / mini-batch MSE (log)",
)
ax.legend(fontsize=8)
small, right, large = by_rate.values()
set_alt(
    fig,
    es=f"Pérdida de cada minilote por actualización, en escala logarítmica, para tres tasas de aprendizaje. Con 0,001 baja despacio y termina en {small.epoch_loss[-1]:.2f}; con 0,05 baja rápido y oscila cerca del óptimo; "
    + f"con 0,3 sube hasta superar 10^6 en {large.updates} actualizaciones y el entrenamiento se detiene.",
    en=f"Loss of each mini-batch per update, on a log scale, for three learning rates. With 0.001 it falls slowly and ends at {small.epoch_loss[-1]:.2f}; with 0.05 it falls fast and oscillates near the optimum; "
    + f"with 0.3 it climbs past 10^6 within {large.updates} updates and training stops.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Con el mismo número de épocas, los minilotes hacen once veces más actualizaciones que el lote completo y se acercan al óptimo en muchas menos épocas (curvas de la izquierda). Cada actualización es menos precisa, pero hay muchas más por el mismo coste de datos.
# - Por actualización la comparación se invierte: el lote completo avanza más con cada paso, porque su gradiente es exacto. Qué conviene depende de qué es caro: en una GPU, un minilote de 32 cuesta casi lo mismo que uno de 1, así que los minilotes suelen ganar.
# - El estocástico puro, con la misma $\eta$, no se asienta: su pérdida de entrenamiento acaba **por encima** de la de los minilotes, porque el ruido de cada paso le impide quedarse en el fondo del cuenco. Con una tasa constante, el ruido fija un suelo; por eso se reduce la tasa a lo largo del entrenamiento (o se aumenta el lote). Además, en Python un paso por ejemplo es lento: compara los tiempos.
# - Con $\eta = 0{,}001$ la pérdida aún baja al final de las 30 épocas: no es que no funcione, es que necesitaría muchas más. Con $\eta = 0{,}3$ la pérdida crece desde las primeras actualizaciones: esa curva en ascenso es la señal inequívoca de una tasa demasiado grande.

# %% [markdown] lang="en"
# ## What to notice
#
# - With the same number of epochs, mini-batches make eleven times as many updates as the full batch and approach the optimum in far fewer epochs (left-hand curves). Each update is less accurate, but there are many more for the same cost in data.
# - Per update the comparison flips: the full batch gains more from each step, because its gradient is exact. Which is better depends on what is expensive: on a GPU a mini-batch of 32 costs almost the same as one of 1, so mini-batches usually win.
# - Pure stochastic descent, with the same $\eta$, does not settle: its training loss ends **above** that of the mini-batches, because the noise of each step keeps it from staying at the bottom of the bowl. With a constant rate, the noise sets a floor; that is why the rate is lowered during training (or the batch enlarged). Besides, one step per example is slow in Python: compare the times.
# - With $\eta = 0.001$ the loss is still falling at the end of the 30 epochs: it is not that it fails, it would just need many more. With $\eta = 0.3$ the loss grows from the first updates: that rising curve is the unmistakable sign of a rate that is too large.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Cuántas actualizaciones por época hace un minilote de 100 con estos 331 ejemplos? ¿De qué tamaño es el último?
# 2. Repite el descenso estocástico ($B = 1$) con $\eta = 0{,}01$. ¿Queda más cerca del óptimo que con $0{,}05$? ¿Por qué?
# 3. Entrena minilotes de 32 con las tasas 0,1, 0,15, 0,2 y 0,25. ¿Diverge alguna en 30 épocas? ¿Cómo cambia la pérdida final?
#
# ??? success "Solución 1"
#     $\lceil 331/100 \rceil = 4$ actualizaciones: tres minilotes de 100 y uno final de 31.
#     ```python
#     print(updates_per_epoch(331, 100))  # 4
#     ```
#
# ??? success "Solución 2"
#     ```python
#     run = train_sgd(*data, batch_size=1, lr=0.01, epochs=EPOCHS, seed=0)
#     print(run.epoch_loss[-1] - best)
#     ```
#     Sí: con pasos más cortos el ruido de cada ejemplo mueve menos los pesos y el suelo de ruido baja (de unas 0,16 a unas 0,03 unidades por encima del óptimo). Es la razón de reducir la tasa al final del entrenamiento.
#
# ??? success "Solución 3"
#     ```python
#     for lr in (0.1, 0.15, 0.2, 0.25):
#         run = train_sgd(*data, batch_size=32, lr=lr, epochs=EPOCHS, seed=0)
#         print(lr, run.diverged, run.epoch_loss[-1] if not run.diverged else None)
#     ```
#     Ninguna diverge en 30 épocas, ni siquiera 0,25, algo por encima del límite del lote completo ($\approx 0{,}24$): el límite de los minilotes no es exactamente ese, porque cada minilote tiene su propia curvatura, y el crecimiento por encima del límite empieza siendo lento. Pero la pérdida final empeora al subir la tasa (de unas 0,45 a unas 0,55): los pasos grandes rebotan más alrededor del fondo del cuenco.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. How many updates per epoch does a mini-batch of 100 make with these 331 examples? How large is the last one?
# 2. Repeat stochastic descent ($B = 1$) with $\eta = 0.01$. Does it end closer to the optimum than with $0.05$? Why?
# 3. Train mini-batches of 32 with rates 0.1, 0.15, 0.2 and 0.25. Does any of them diverge in 30 epochs? How does the final loss change?
#
# ??? success "Solution 1"
#     $\lceil 331/100 \rceil = 4$ updates: three mini-batches of 100 and a last one of 31.
#     ```python
#     print(updates_per_epoch(331, 100))  # 4
#     ```
#
# ??? success "Solution 2"
#     ```python
#     run = train_sgd(*data, batch_size=1, lr=0.01, epochs=EPOCHS, seed=0)
#     print(run.epoch_loss[-1] - best)
#     ```
#     Yes: with shorter steps the noise of each example moves the weights less and the noise floor drops (from about 0.16 to about 0.03 above the optimum). That is the reason for lowering the rate at the end of training.
#
# ??? success "Solution 3"
#     ```python
#     for lr in (0.1, 0.15, 0.2, 0.25):
#         run = train_sgd(*data, batch_size=32, lr=lr, epochs=EPOCHS, seed=0)
#         print(lr, run.diverged, run.epoch_loss[-1] if not run.diverged else None)
#     ```
#     None diverges in 30 epochs, not even 0.25, slightly above the full-batch limit ($\approx 0.24$): the limit for mini-batches is not exactly that one, because each mini-batch has its own curvature, and growth above the limit starts slowly. But the final loss gets worse as the rate rises (from about 0.45 to about 0.55): large steps bounce more around the bottom of the bowl.
