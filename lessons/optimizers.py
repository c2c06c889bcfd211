# ---
# jupyter:
#   lesson:
#     title:
#       es: Optimizadores
#       en: Optimizers
#     summary:
#       es: SGD, momentum, RMSprop, Adagrad, Adam y AdamW sobre la misma superficie 2-D y el mismo modelo; qué significa desacoplar el decaimiento de pesos.
#       en: SGD, momentum, RMSprop, Adagrad, Adam and AdamW on the same 2-D surface and the same model; what decoupling weight decay means.
#     order: 10
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Escribir las reglas de actualización de SGD, SGD con momentum, RMSprop, Adagrad, Adam y AdamW, y reconocer qué hace cada pieza.
#     - Ver sus trayectorias sobre una superficie 2-D difícil (el valle de Rosenbrock) y sus curvas de entrenamiento en un modelo real.
#     - Entender la diferencia entre la regularización L2 dentro de Adam y el decaimiento de pesos **desacoplado** de AdamW.
#
# Nota de concepto: [optimizadores](../concepts/optimizers.md). Lecturas asociadas: [*Stochastic Gradient Descent*](../readings/stochastic-gradient-descent.md) y el [manual de ajuste de Google](../readings/tuning-playbook.md). Lección anterior: [descenso de gradiente estocástico](sgd.md). Referencia de la API: [`dlcourse.lessons.optimizers`](../api/lessons/optimizers.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Write the update rules of SGD, SGD with momentum, RMSprop, Adagrad, Adam and AdamW, and recognise what each piece does.
#     - See their paths on a hard 2-D surface (Rosenbrock's valley) and their training curves on a real model.
#     - Understand the difference between L2 regularisation inside Adam and AdamW's **decoupled** weight decay.
#
# Concept note: [optimizers](../concepts/optimizers.md). Related readings: [*Stochastic Gradient Descent*](../readings/stochastic-gradient-descent.md) and [Google's tuning playbook](../readings/tuning-playbook.md). Previous lesson: [stochastic gradient descent](sgd.md). API reference: [`dlcourse.lessons.optimizers`](../api/lessons/optimizers.md).

# %% [markdown] lang="es"
# ## La idea
#
# Todos reciben el mismo gradiente $\mathbf{g}_t = \nabla L(\mathbf{w}_t)$ y lo convierten en un paso de forma distinta (operaciones por coordenada; $\epsilon$ evita dividir por cero):
#
# $$
# \begin{aligned}
# \text{SGD:}\quad & \mathbf{w}_{t+1} = \mathbf{w}_t - \eta\, \mathbf{g}_t \\
# \text{Momentum:}\quad & \mathbf{v}_{t+1} = \mu\, \mathbf{v}_t + \mathbf{g}_t, \qquad \mathbf{w}_{t+1} = \mathbf{w}_t - \eta\, \mathbf{v}_{t+1} \\
# \text{Adagrad:}\quad & \mathbf{s}_{t+1} = \mathbf{s}_t + \mathbf{g}_t^2, \qquad \mathbf{w}_{t+1} = \mathbf{w}_t - \eta\, \mathbf{g}_t / (\sqrt{\mathbf{s}_{t+1}} + \epsilon) \\
# \text{RMSprop:}\quad & \mathbf{s}_{t+1} = \rho\, \mathbf{s}_t + (1-\rho)\, \mathbf{g}_t^2, \qquad \mathbf{w}_{t+1} = \mathbf{w}_t - \eta\, \mathbf{g}_t / (\sqrt{\mathbf{s}_{t+1}} + \epsilon) \\
# \text{Adam:}\quad & \mathbf{m}_{t+1} = \beta_1 \mathbf{m}_t + (1-\beta_1)\mathbf{g}_t, \quad \mathbf{s}_{t+1} = \beta_2 \mathbf{s}_t + (1-\beta_2)\mathbf{g}_t^2, \quad \mathbf{w}_{t+1} = \mathbf{w}_t - \eta\, \hat{\mathbf{m}}_{t+1} / (\sqrt{\hat{\mathbf{s}}_{t+1}} + \epsilon)
# \end{aligned}
# $$
#
# donde $\hat{\mathbf{m}}$ y $\hat{\mathbf{s}}$ corrigen el sesgo hacia cero de los promedios al principio (Kingma y Ba, 2014, [arXiv:1412.6980](https://arxiv.org/abs/1412.6980)). El **momentum** suaviza la dirección y acelera en las direcciones constantes; **Adagrad** da pasos cada vez más cortos en las coordenadas que ya se movieron mucho; **RMSprop** usa un promedio móvil en vez de la suma, de modo que el paso no se apaga; **Adam** combina ambas ideas.
#
# **AdamW** (Loshchilov y Hutter, 2017, [arXiv:1711.05101](https://arxiv.org/abs/1711.05101)) cambia cómo entra el decaimiento de pesos $\lambda$. En Adam con regularización L2 se suma al gradiente, $\mathbf{g}_t \leftarrow \mathbf{g}_t + \lambda \mathbf{w}_t$, y después pasa por la normalización de $\sqrt{\hat{\mathbf{s}}}$. En AdamW se aplica aparte, directamente sobre los pesos:
#
# $$
# \mathbf{w}_{t+1} = \mathbf{w}_t - \eta\Big(\hat{\mathbf{m}}_{t+1} / (\sqrt{\hat{\mathbf{s}}_{t+1}} + \epsilon) + \lambda\, \mathbf{w}_t\Big).
# $$

# %% [markdown] lang="en"
# ## The idea
#
# They all receive the same gradient $\mathbf{g}_t = \nabla L(\mathbf{w}_t)$ and turn it into a step in different ways (operations are per coordinate; $\epsilon$ avoids dividing by zero):
#
# $$
# \begin{aligned}
# \text{SGD:}\quad & \mathbf{w}_{t+1} = \mathbf{w}_t - \eta\, \mathbf{g}_t \\
# \text{Momentum:}\quad & \mathbf{v}_{t+1} = \mu\, \mathbf{v}_t + \mathbf{g}_t, \qquad \mathbf{w}_{t+1} = \mathbf{w}_t - \eta\, \mathbf{v}_{t+1} \\
# \text{Adagrad:}\quad & \mathbf{s}_{t+1} = \mathbf{s}_t + \mathbf{g}_t^2, \qquad \mathbf{w}_{t+1} = \mathbf{w}_t - \eta\, \mathbf{g}_t / (\sqrt{\mathbf{s}_{t+1}} + \epsilon) \\
# \text{RMSprop:}\quad & \mathbf{s}_{t+1} = \rho\, \mathbf{s}_t + (1-\rho)\, \mathbf{g}_t^2, \qquad \mathbf{w}_{t+1} = \mathbf{w}_t - \eta\, \mathbf{g}_t / (\sqrt{\mathbf{s}_{t+1}} + \epsilon) \\
# \text{Adam:}\quad & \mathbf{m}_{t+1} = \beta_1 \mathbf{m}_t + (1-\beta_1)\mathbf{g}_t, \quad \mathbf{s}_{t+1} = \beta_2 \mathbf{s}_t + (1-\beta_2)\mathbf{g}_t^2, \quad \mathbf{w}_{t+1} = \mathbf{w}_t - \eta\, \hat{\mathbf{m}}_{t+1} / (\sqrt{\hat{\mathbf{s}}_{t+1}} + \epsilon)
# \end{aligned}
# $$
#
# where $\hat{\mathbf{m}}$ and $\hat{\mathbf{s}}$ correct the averages' early bias towards zero (Kingma and Ba, 2014, [arXiv:1412.6980](https://arxiv.org/abs/1412.6980)). **Momentum** smooths the direction and speeds up along consistent directions; **Adagrad** takes ever shorter steps along coordinates that have already moved a lot; **RMSprop** uses a moving average instead of the sum, so the step does not die out; **Adam** combines both ideas.
#
# **AdamW** (Loshchilov and Hutter, 2017, [arXiv:1711.05101](https://arxiv.org/abs/1711.05101)) changes how weight decay $\lambda$ enters. In Adam with L2 regularisation it is added to the gradient, $\mathbf{g}_t \leftarrow \mathbf{g}_t + \lambda \mathbf{w}_t$, and then goes through the $\sqrt{\hat{\mathbf{s}}}$ normalisation. In AdamW it is applied separately, directly on the weights:
#
# $$
# \mathbf{w}_{t+1} = \mathbf{w}_t - \eta\Big(\hat{\mathbf{m}}_{t+1} / (\sqrt{\hat{\mathbf{s}}_{t+1}} + \epsilon) + \lambda\, \mathbf{w}_t\Big).
# $$

# %% [markdown] lang="es"
# ## Trayectorias en el valle de Rosenbrock
#
# La función $f(x, y) = (1-x)^2 + 100\,(y - x^2)^2$ tiene su mínimo en $(1, 1)$, al fondo de un valle curvo, estrecho y casi plano a lo largo. Cada optimizador parte de $(-1{,}5;\ 2)$ y da 500 pasos con una tasa razonable para él (no buscamos la mejor de cada uno).

# %% [markdown] lang="en"
# ## Paths in Rosenbrock's valley
#
# The function $f(x, y) = (1-x)^2 + 100\,(y - x^2)^2$ has its minimum at $(1, 1)$, at the bottom of a curved, narrow valley that is almost flat along its length. Each optimizer starts at $(-1.5, 2)$ and takes 500 steps with a reasonable rate for it (we are not searching for each one's best).

# %%
import torch
from dlcourse.data.digits import digits_split
from dlcourse.lessons.optimizers import decay_without_gradient, optimizer_path, rosenbrock
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all
from dlcourse.training import train_mlp

seed_all(0)
optim = torch.optim
surface_optimizers = {
    "SGD (η=0.001)": lambda p: optim.SGD(p, lr=1e-3),
    "momentum (η=0.001, μ=0.9)": lambda p: optim.SGD(p, lr=1e-3, momentum=0.9),
    "RMSprop (η=0.01)": lambda p: optim.RMSprop(p, lr=1e-2),
    "Adagrad (η=0.5)": lambda p: optim.Adagrad(p, lr=0.5),
    "Adam (η=0.05)": lambda p: optim.Adam(p, lr=0.05),
}
START, STEPS = (-1.5, 2.0), 500
paths = {
    name: optimizer_path(rosenbrock, make, START, STEPS)
    for name, make in surface_optimizers.items()
}
print(f"start {START}, f = {rosenbrock(torch.tensor(START)):.1f} · minimum (1, 1), f = 0")
print("optimizer                    end point          f after 500 steps   distance to (1, 1)")
for name, path in paths.items():
    end = path[-1]
    print(
        f"{name:<27} ({end[0]:+.3f}, {end[1]:+.3f})   {rosenbrock(end):17.4f}   {(end - torch.ones(2)).norm():18.3f}"
    )

# %%
xs, ys = torch.linspace(-2, 2, 200), torch.linspace(-1, 3, 200)
xx, yy = torch.meshgrid(xs, ys, indexing="xy")
zz = rosenbrock(torch.stack([xx, yy], dim=-1))
fig, ax = new_figure(width=7.0, height=5.2)
ax.contour(xx, yy, torch.log10(zz + 1e-3), levels=25, colors="#999999", linewidths=0.7)
for k, (name, path) in enumerate(paths.items()):
    ax.plot(path[:, 0], path[:, 1], color=PALETTE[k], linewidth=1.6, label=name)
    ax.plot(path[-1, 0], path[-1, 1], "o", color=PALETTE[k], markersize=6)
ax.plot(1, 1, "*", color="#222222", markersize=15, label="mínimo / minimum")
ax.plot(*START, "s", color="#222222", markersize=7)
ax.set(
    title="Valle de Rosenbrock / Rosenbrock's valley",
    xlabel="$x$",
    ylabel="$y$",
    xlim=(-2, 2),
    ylim=(-1, 3),
)
ax.legend(fontsize=8, loc="lower right")
ends = {name: (path[-1] - torch.ones(2)).norm().item() for name, path in paths.items()}
closest = min(ends, key=ends.get)
set_alt(
    fig,
    es="Curvas de nivel del valle de Rosenbrock y las trayectorias de cinco optimizadores desde (−1,5; 2) durante 500 pasos. "
    + f"El que termina más cerca del mínimo (1, 1) es {closest}, a {ends[closest]:.2f}; SGD sin momentum apenas avanza a lo largo del valle.",
    en="Level curves of Rosenbrock's valley and the paths of five optimizers from (−1.5, 2) over 500 steps. "
    + f"The one that ends closest to the minimum (1, 1) is {closest}, at {ends[closest]:.2f}; SGD without momentum barely moves along the valley.",
)

# %% [markdown] lang="es"
# ## El mismo modelo, seis optimizadores
#
# Ahora un MLP de 64 unidades ocultas sobre los dígitos de 8×8, durante 12 épocas con minilotes de 64. Todos parten de los mismos pesos y ven los datos en el mismo orden; solo cambia el optimizador. Las tasas son valores habituales para cada uno.

# %% [markdown] lang="en"
# ## The same model, six optimizers
#
# Now an MLP with 64 hidden units on the 8×8 digits, for 12 epochs with mini-batches of 64. All start from the same weights and see the data in the same order; only the optimizer changes. The rates are common values for each.

# %%
split = digits_split()
model_optimizers = {
    "SGD (η=0.05)": lambda p: optim.SGD(p, lr=0.05),
    "momentum (η=0.05, μ=0.9)": lambda p: optim.SGD(p, lr=0.05, momentum=0.9),
    "RMSprop (η=0.001)": lambda p: optim.RMSprop(p, lr=1e-3),
    "Adagrad (η=0.05)": lambda p: optim.Adagrad(p, lr=0.05),
    "Adam (η=0.001)": lambda p: optim.Adam(p, lr=1e-3),
    "AdamW (η=0.001, λ=0.01)": lambda p: optim.AdamW(p, lr=1e-3, weight_decay=0.01),
}
runs = {name: train_mlp(split, (64,), make, epochs=12) for name, make in model_optimizers.items()}
print("optimizer                   val acc epoch 1   epoch 4   epoch 12   val loss epoch 12")
for name, run in runs.items():
    print(
        f"{name:<27} {run.val_acc[0]:15.3f} {run.val_acc[3]:9.3f} {run.val_acc[-1]:10.3f} {run.val_loss[-1]:19.4f}"
    )

fig, (ax_loss, ax_acc) = new_figure(ncols=2, width=5.2, height=3.9)
for k, (name, run) in enumerate(runs.items()):
    epochs = range(1, len(run.val_loss) + 1)
    style = "--" if name.startswith("AdamW") else "-"
    ax_loss.plot(epochs, run.train_loss, style, color=PALETTE[k], label=name)
    ax_acc.plot(epochs, run.val_acc, style, color=PALETTE[k], label=name)
ax_loss.set_yscale("log")
ax_loss.set(
    title="Pérdida de entrenamiento / Training loss",
    xlabel="época / epoch",
    ylabel="entropía cruzada (log) / cross-entropy (log)",
)
ax_acc.set(
    title="Exactitud de validación / Validation accuracy",
    xlabel="época / epoch",
    ylabel="exactitud / accuracy",
)
ax_acc.legend(fontsize=7.5)
final = {name: run.val_acc[-1] for name, run in runs.items()}
best_name = max(final, key=final.get)
set_alt(
    fig,
    es="Pérdida de entrenamiento y exactitud de validación por época de un MLP sobre los dígitos con seis optimizadores. "
    + f"Tras 12 épocas la mejor exactitud es la de {best_name} ({final[best_name]:.1%}) y la peor la de SGD sin momentum ({final['SGD (η=0.05)']:.1%}); Adam y AdamW casi coinciden.",
    en="Training loss and validation accuracy per epoch of an MLP on the digits with six optimizers. "
    + f"After 12 epochs the best accuracy is {best_name}'s ({final[best_name]:.1%}) and the worst plain SGD's ({final['SGD (η=0.05)']:.1%}); Adam and AdamW nearly coincide.",
)

# %% [markdown] lang="es"
# ## L2 en Adam frente a decaimiento desacoplado
#
# En 12 épocas con $\lambda = 0{,}01$, Adam y AdamW apenas se distinguen: el decaimiento por paso, $\eta\lambda = 10^{-5}$, es diminuto. Para ver la diferencia de mecanismo aislamos un peso que **no** recibe gradiente de la pérdida, y dejamos actuar solo el decaimiento, con $\eta = \lambda = 0{,}01$ durante 100 pasos.

# %% [markdown] lang="en"
# ## L2 in Adam versus decoupled decay
#
# Over 12 epochs with $\lambda = 0.01$, Adam and AdamW can hardly be told apart: the decay per step, $\eta\lambda = 10^{-5}$, is tiny. To see the difference in mechanism we isolate a weight that gets **no** gradient from the loss, and let only the decay act, with $\eta = \lambda = 0.01$ for 100 steps.

# %%
adam_l2 = decay_without_gradient(optim.Adam, 100, lr=0.01, weight_decay=0.01)
adamw = decay_without_gradient(optim.AdamW, 100, lr=0.01, weight_decay=0.01)
print("step   Adam + L2   AdamW   (1 - ηλ)^t")
for t in (0, 1, 10, 50, 100):
    print(f"{t:4d}   {adam_l2[t]:9.4f}   {adamw[t]:.4f}   {(1 - 0.01 * 0.01) ** t:.4f}")

fig, ax = new_figure(width=5.8, height=3.6)
ax.plot(adam_l2, color=PALETTE[0], label="Adam + L2 (weight_decay=0.01)")
ax.plot(adamw, color=PALETTE[3], linestyle="--", label="AdamW (weight_decay=0.01)")
ax.set(
    title="Solo decaimiento / Decay alone",
    xlabel="paso / step",
    ylabel="valor del peso / weight value",
)
ax.legend()
set_alt(
    fig,
    es=f"Un peso que empieza en 1 sin gradiente de la pérdida. Con Adam y L2 baja sin parar hasta {adam_l2[-1]:.2f} en 100 pasos; con AdamW apenas cambia, hasta {adamw[-1]:.3f}.",
    en=f"A weight starting at 1 with no loss gradient. With Adam and L2 it falls steadily to {adam_l2[-1]:.2f} in 100 steps; with AdamW it barely changes, to {adamw[-1]:.3f}.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - En Rosenbrock, SGD sin momentum baja deprisa al fondo del valle y luego avanza muy despacio a lo largo de él: el gradiente allí es pequeño. El momentum acumula esa dirección constante y recorre el valle; los métodos adaptativos (RMSprop, Adagrad, Adam) normalizan el tamaño del gradiente por coordenada y se mueven de otra manera. Ninguno es el mejor en todo: la tasa de cada uno importa tanto como el método.
# - En los dígitos, SGD sin momentum con la misma tasa va claramente por detrás en 12 épocas, y el momentum lo adelanta. Los adaptativos con sus tasas habituales llegan a exactitudes parecidas entre sí.
# - El decaimiento desacoplado se ve solo cuando se aísla. En Adam con L2, el término $\lambda w$ se divide por $\sqrt{\hat s} \approx \lambda |w|$, así que cada paso mueve el peso unas $\eta$ unidades **sea cual sea** $\lambda$: la regularización queda ligada a la escala del gradiente. En AdamW el peso se multiplica por $1 - \eta\lambda$ en cada paso, exactamente la curva $(1-\eta\lambda)^t$ de la tabla: el decaimiento hace lo que dice, independientemente de la normalización.

# %% [markdown] lang="en"
# ## What to notice
#
# - On Rosenbrock, SGD without momentum drops quickly to the valley floor and then crawls along it: the gradient there is small. Momentum accumulates that consistent direction and travels down the valley; the adaptive methods (RMSprop, Adagrad, Adam) normalise the gradient's size per coordinate and move differently. None is best everywhere: each one's rate matters as much as the method.
# - On the digits, plain SGD with the same rate clearly lags after 12 epochs, and momentum overtakes it. The adaptive methods with their usual rates reach similar accuracies to one another.
# - Decoupled decay only shows when isolated. In Adam with L2, the term $\lambda w$ is divided by $\sqrt{\hat s} \approx \lambda |w|$, so each step moves the weight by about $\eta$ **whatever** $\lambda$ is: regularisation is tied to the gradient's scale. In AdamW the weight is multiplied by $1 - \eta\lambda$ at every step, exactly the $(1-\eta\lambda)^t$ curve in the table: the decay does what it says, independently of the normalisation.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Repite la trayectoria de SGD con momentum en Rosenbrock con $\mu = 0{,}99$. ¿Qué cambia?
# 2. Repite el experimento del peso sin gradiente con Adam + L2 y $\lambda = 0{,}1$. ¿Baja diez veces más rápido? Explica por qué.
# 3. Entrena los dígitos con `optim.Adam(p, lr=1e-2)`. ¿Mejora la exactitud a las 12 épocas respecto a `lr=1e-3`?
#
# ??? success "Solución 1"
#     ```python
#     path = optimizer_path(rosenbrock, lambda p: optim.SGD(p, lr=1e-3, momentum=0.99), START, STEPS)
#     print(path[-1], rosenbrock(path[-1]))
#     ```
#     Con $\mu = 0{,}99$ la «velocidad» acumula cien pasos de gradiente en vez de diez: el camino oscila mucho más de lado a lado del valle y a los 500 pasos termina más lejos del mínimo que con $\mu = 0{,}9$. Más momentum no es siempre mejor.
#
# ??? success "Solución 2"
#     ```python
#     print(decay_without_gradient(optim.Adam, 100, lr=0.01, weight_decay=0.1)[-1])
#     ```
#     No: termina exactamente en el mismo valor que con $\lambda = 0{,}01$. Adam divide el término $\lambda w$ por su propia magnitud, así que el paso vale unas $\eta$ con cualquier $\lambda$. Es exactamente el problema que AdamW resuelve.
#
# ??? success "Solución 3"
#     ```python
#     run = train_mlp(split, (64,), lambda p: optim.Adam(p, lr=1e-2), epochs=12)
#     print(run.val_acc[-1])
#     ```
#     Con esta red pequeña y solo 12 épocas, $\eta = 10^{-3}$ es conservadora; una tasa mayor aprende más deprisa. El valor por defecto de una biblioteca es un punto de partida, no una recomendación para cada problema: por eso el manual de ajuste empieza por la tasa de aprendizaje.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Repeat the SGD-with-momentum path on Rosenbrock with $\mu = 0.99$. What changes?
# 2. Repeat the no-gradient weight experiment with Adam + L2 and $\lambda = 0.1$. Does it fall ten times faster? Explain why.
# 3. Train the digits with `optim.Adam(p, lr=1e-2)`. Does accuracy after 12 epochs improve over `lr=1e-3`?
#
# ??? success "Solution 1"
#     ```python
#     path = optimizer_path(rosenbrock, lambda p: optim.SGD(p, lr=1e-3, momentum=0.99), START, STEPS)
#     print(path[-1], rosenbrock(path[-1]))
#     ```
#     With $\mu = 0.99$ the "velocity" accumulates a hundred steps of gradient instead of ten: the path swings much more from side to side of the valley and after 500 steps ends farther from the minimum than with $\mu = 0.9$. More momentum is not always better.
#
# ??? success "Solution 2"
#     ```python
#     print(decay_without_gradient(optim.Adam, 100, lr=0.01, weight_decay=0.1)[-1])
#     ```
#     No: it ends at exactly the same value as with $\lambda = 0.01$. Adam divides the $\lambda w$ term by its own magnitude, so the step is about $\eta$ for any $\lambda$. That is exactly the problem AdamW solves.
#
# ??? success "Solution 3"
#     ```python
#     run = train_mlp(split, (64,), lambda p: optim.Adam(p, lr=1e-2), epochs=12)
#     print(run.val_acc[-1])
#     ```
#     With this small network and only 12 epochs, $\eta = 10^{-3}$ is conservative; a larger rate learns faster. A library's default is a starting point, not a recommendation for every problem: that is why the tuning playbook starts with the learning rate.
