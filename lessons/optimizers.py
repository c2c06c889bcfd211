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
#     - Write the update rules of SGD, SGD with momentum, RMSprop, Adagrad, Adam and AdamW, and recognize what each piece does.
#     - See their paths on a hard 2-D surface (Rosenbrock's valley) and their training curves on a real model.
#     - Understand the difference between L2 regularization inside Adam and AdamW's **decoupled** weight decay.
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
# where $\hat{\mathbf{m}}$ and $\hat{\mathbf{s}}$ correct the averages' early bias toward zero (Kingma and Ba, 2014, [arXiv:1412.6980](https://arxiv.org/abs/1412.6980)). **Momentum** smooths the direction and speeds up along consistent directions; **Adagrad** takes ever shorter steps along coordinates that have already moved a lot; **RMSprop** uses a moving average instead of the sum, so the step does not die out; **Adam** combines both ideas.
#
# **AdamW** (Loshchilov and Hutter, 2017, [arXiv:1711.05101](https://arxiv.org/abs/1711.05101)) changes how weight decay $\lambda$ enters. In Adam with L2 regularization it is added to the gradient, $\mathbf{g}_t \leftarrow \mathbf{g}_t + \lambda \mathbf{w}_t$, and then goes through the $\sqrt{\hat{\mathbf{s}}}$ normalization. In AdamW it is applied separately, directly on the weights:
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
from dlcourse.bilingual import align, claim, number, percent, publish, tr
from dlcourse.data.digits import digits_split
from dlcourse.lessons.optimizers import (
    decay_without_gradient,
    optimizer_path,
    rosenbrock,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all
from dlcourse.training import train_mlp


def label(method: str, **settings: float) -> str:
    """``method (η=0.001, μ=0.9)`` with each number written per language."""
    inside = ", ".join(f"{k}={number(v, 'g')}" for k, v in settings.items())
    return f"{method} ({inside})"


seed_all(0)
optim = torch.optim
optimizer_word = tr(es="optimizador", en="optimizer")
SGD, MOMENTUM = label("SGD", η=1e-3), label("momentum", η=1e-3, μ=0.9)
RMSPROP, ADAGRAD = label("RMSprop", η=1e-2), label("Adagrad", η=0.5)
ADAM = label("Adam", η=0.05)
surface_optimizers = {
    SGD: lambda p: optim.SGD(p, lr=1e-3),
    MOMENTUM: lambda p: optim.SGD(p, lr=1e-3, momentum=0.9),
    RMSPROP: lambda p: optim.RMSprop(p, lr=1e-2),
    ADAGRAD: lambda p: optim.Adagrad(p, lr=0.5),
    ADAM: lambda p: optim.Adam(p, lr=0.05),
}
START, STEPS = (-1.5, 2.0), 500
MINIMUM = torch.ones(2, dtype=torch.float64)
paths = {
    name: optimizer_path(rosenbrock, make, START, STEPS)
    for name, make in surface_optimizers.items()
}
start_text = f"({number(START[0], '.1f')}; {number(START[1], '.1f')})"
f_start = rosenbrock(torch.tensor(START)).item()
print(
    tr(es="inicio", en="start")
    + f" {start_text}, f = {number(f_start, '.1f')} · "
    + tr(es="mínimo (1, 1), f = 0", en="minimum (1, 1), f = 0")
)
header = (
    align(optimizer_word, 27, "<")
    + align(tr(es="punto final", en="end point"), 20)
    + align(tr(es=f"f tras {STEPS} pasos", en=f"f after {STEPS} steps"), 20)
    + align(tr(es="distancia a (1, 1)", en="distance to (1, 1)"), 20)
)
print(header)
ends = {}
for name, path in paths.items():
    end = path[-1]
    ends[name] = (end - MINIMUM).norm().item()
    x_end, y_end = (number(v, "+.3f") for v in end.tolist())
    point = f"({x_end}; {y_end})"
    print(
        align(name, 27, "<")
        + align(point, 20)
        + align(number(rosenbrock(end).item(), ".4f"), 20)
        + align(number(ends[name], ".3f"), 20)
    )
closest = min(ends, key=ends.get)
f_sgd = rosenbrock(paths[SGD])  # (STEPS + 1,)
early_drop = (f_sgd[0] - f_sgd[10]).item()
late_drop = (f_sgd[10] - f_sgd[-1]).item()
publish("closest_surface", closest)
publish("closest_distance", ends[closest], ".2f")
publish("sgd_distance", ends[SGD], ".2f")
publish("sgd_early_drop", early_drop, ".1f")
publish("sgd_late_drop", late_drop, ".1f")
claim(
    "sgd_crawls",
    early_drop > 3 * late_drop and ends[SGD] > 1,
    es="SGD baja f más en sus 10 primeros pasos que el triple de lo que baja "
    "en los 490 siguientes, y acaba a más de 1 del mínimo",
    en="SGD lowers f more in its first 10 steps than three times what it "
    "lowers it in the next 490, and ends more than 1 away from the minimum",
)
claim(
    "momentum_closest",
    closest == MOMENTUM,
    es="SGD con momentum es el que termina más cerca del mínimo",
    en="SGD with momentum is the one that ends closest to the minimum",
)

# %%
xs, ys = torch.linspace(-2, 2, 200), torch.linspace(-1, 3, 200)
xx, yy = torch.meshgrid(xs, ys, indexing="xy")
zz = rosenbrock(torch.stack([xx, yy], dim=-1))
fig, ax = new_figure(width=7.0, height=5.2)
levels = torch.log10(zz + 1e-3)
ax.contour(xx, yy, levels, levels=25, colors="#999999", linewidths=0.7)
for k, (name, path) in enumerate(paths.items()):
    ax.plot(path[:, 0], path[:, 1], color=PALETTE[k], linewidth=1.6, label=name)
    ax.plot(path[-1, 0], path[-1, 1], "o", color=PALETTE[k], markersize=6)
minimum_word = tr(es="mínimo", en="minimum")
ax.plot(1, 1, "*", color="#222222", markersize=15, label=minimum_word)
ax.plot(*START, "s", color="#222222", markersize=7)
ax.set(
    title=tr(es="Valle de Rosenbrock", en="Rosenbrock's valley"),
    xlabel="$x$",
    ylabel="$y$",
    xlim=(-2, 2),
    ylim=(-1, 3),
)
ax.legend(fontsize=8, loc="lower right")
closest_at = number(ends[closest], ".2f")
set_alt(
    fig,
    es="Curvas de nivel del valle de Rosenbrock y las trayectorias de cinco "
    f"optimizadores desde {start_text} durante {STEPS} pasos. El que termina "
    f"más cerca del mínimo (1, 1) es {closest}, a {closest_at}; SGD sin "
    "momentum apenas avanza a lo largo del valle.",
    en="Level curves of Rosenbrock's valley and the paths of five optimizers "
    f"from {start_text} over {STEPS} steps. The one that ends closest to the "
    f"minimum (1, 1) is {closest}, at {closest_at}; SGD without momentum "
    "barely moves along the valley.",
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
EPOCHS = 12
split = digits_split()
DIGITS_SGD = label("SGD", η=0.05)
DIGITS_MOMENTUM = label("momentum", η=0.05, μ=0.9)
DIGITS_ADAM = label("Adam", η=1e-3)
DIGITS_ADAMW = label("AdamW", η=1e-3, λ=0.01)
ADAPTIVE = (label("RMSprop", η=1e-3), label("Adagrad", η=0.05))
model_optimizers = {
    DIGITS_SGD: lambda p: optim.SGD(p, lr=0.05),
    DIGITS_MOMENTUM: lambda p: optim.SGD(p, lr=0.05, momentum=0.9),
    ADAPTIVE[0]: lambda p: optim.RMSprop(p, lr=1e-3),
    ADAPTIVE[1]: lambda p: optim.Adagrad(p, lr=0.05),
    DIGITS_ADAM: lambda p: optim.Adam(p, lr=1e-3),
    DIGITS_ADAMW: lambda p: optim.AdamW(p, lr=1e-3, weight_decay=0.01),
}
runs = {}
for name, make in model_optimizers.items():
    runs[name] = train_mlp(split, (64,), make, epochs=EPOCHS)
epoch_word = tr(es="época", en="epoch")
val_acc_word = tr(es="exactitud de validación", en="validation accuracy")
val_loss_word = tr(es="pérdida de validación", en="validation loss")
print(tr(es="exactitud de validación", en="validation accuracy"))
print(
    align(optimizer_word, 27, "<")
    + "".join(align(f"{epoch_word} {e}", 10) for e in (1, 4, EPOCHS))
    + align(tr(es=f"pérdida val. {EPOCHS}", en=f"val. loss {EPOCHS}"), 17)
)
for name, run in runs.items():
    accuracies = (run.val_acc[0], run.val_acc[3], run.val_acc[-1])
    print(
        align(name, 27, "<")
        + "".join(align(number(a, ".3f"), 10) for a in accuracies)
        + align(number(run.val_loss[-1], ".4f"), 17)
    )

fig, (ax_loss, ax_acc) = new_figure(ncols=2, width=5.2, height=3.9)
for k, (name, run) in enumerate(runs.items()):
    epochs = range(1, len(run.val_loss) + 1)
    style = "--" if name.startswith("AdamW") else "-"
    ax_loss.plot(epochs, run.train_loss, style, color=PALETTE[k], label=name)
    ax_acc.plot(epochs, run.val_acc, style, color=PALETTE[k], label=name)
ax_loss.set_yscale("log")
ax_loss.set(
    title=tr(es="Pérdida de entrenamiento", en="Training loss"),
    xlabel=epoch_word,
    ylabel=tr(es="entropía cruzada (log)", en="cross-entropy (log)"),
)
ax_acc.set(
    title=tr(es="Exactitud de validación", en="Validation accuracy"),
    xlabel=epoch_word,
    ylabel=tr(es="exactitud", en="accuracy"),
)
ax_acc.legend(fontsize=7.5)
final = {name: run.val_acc[-1] for name, run in runs.items()}
best_name, worst_name = max(final, key=final.get), min(final, key=final.get)
best_at, worst_at = percent(final[best_name], 1), percent(final[worst_name], 1)
set_alt(
    fig,
    es="Pérdida de entrenamiento y exactitud de validación por época de un MLP "
    f"sobre los dígitos con seis optimizadores. Tras {EPOCHS} épocas la mejor "
    f"exactitud es la de {best_name} ({best_at}) y la peor la de "
    f"{worst_name} ({worst_at}); Adam y AdamW casi coinciden.",
    en="Training loss and validation accuracy per epoch of an MLP on the "
    f"digits with six optimizers. After {EPOCHS} epochs the best accuracy is "
    f"{best_name}'s ({best_at}) and the worst {worst_name}'s ({worst_at}); "
    "Adam and AdamW nearly coincide.",
)
final_loss = {name: run.val_loss[-1] for name, run in runs.items()}
next_loss = max(v for name, v in final_loss.items() if name != DIGITS_SGD)
adaptive = [final[name] for name in (*ADAPTIVE, DIGITS_ADAM, DIGITS_ADAMW)]
adam_gap = abs(final[DIGITS_ADAM] - final[DIGITS_ADAMW])
adam_losses = runs[DIGITS_ADAM].val_loss[-1], runs[DIGITS_ADAMW].val_loss[-1]
adam_loss_gap = abs(adam_losses[0] - adam_losses[1])
publish("sgd_acc", percent(final[DIGITS_SGD], 1))
publish("momentum_acc", percent(final[DIGITS_MOMENTUM], 1))
publish("sgd_loss", final_loss[DIGITS_SGD], ".2f")
publish("next_loss", next_loss, ".2f")
publish("adaptive_low", percent(min(adaptive), 1))
publish("adaptive_high", percent(max(adaptive), 1))
publish("adam_acc", percent(final[DIGITS_ADAM], 1))
publish("adamw_acc", percent(final[DIGITS_ADAMW], 1))
publish("adam_loss_gap", adam_loss_gap, ".4f")
claim(
    "sgd_lags",
    final_loss[DIGITS_SGD] > 1.5 * next_loss,
    es="la pérdida final de validación de SGD sin momentum es más de 1,5 veces "
    "la de cualquier otro",
    en="plain SGD's final validation loss is more than 1.5 times any other's",
)
claim(
    "momentum_overtakes",
    final[DIGITS_MOMENTUM] > final[DIGITS_SGD] + 0.03,
    es="con momentum la exactitud final supera en más de 3 puntos a SGD sin él",
    en="with momentum the final accuracy beats plain SGD's by over 3 points",
)
claim(
    "adam_adamw_close",
    adam_gap < 0.01 and adam_loss_gap < 0.01,
    es="Adam y AdamW difieren en menos de 1 punto y de 0,01 de pérdida",
    en="Adam and AdamW differ by under 1 point and under 0.01 in loss",
)

# %% [markdown] lang="es"
# ## L2 en Adam frente a decaimiento desacoplado
#
# En 12 épocas con $\lambda = 0{,}01$, Adam y AdamW apenas se distinguen: exactitudes de {{ value: adam_acc }} y {{ value: adamw_acc }}, y pérdidas de validación que difieren en {{ value: adam_loss_gap }} {{ claim: adam_adamw_close }}. El decaimiento por paso, $\eta\lambda = 10^{-5}$, es diminuto. Para ver la diferencia de mecanismo aislamos un peso que **no** recibe gradiente de la pérdida, y dejamos actuar solo el decaimiento, con $\eta = \lambda = 0{,}01$ durante 100 pasos.

# %% [markdown] lang="en"
# ## L2 in Adam versus decoupled decay
#
# Over 12 epochs with $\lambda = 0.01$, Adam and AdamW can hardly be told apart: accuracies of {{ value: adam_acc }} and {{ value: adamw_acc }}, and validation losses that differ by {{ value: adam_loss_gap }} {{ claim: adam_adamw_close }}. The decay per step, $\eta\lambda = 10^{-5}$, is tiny. To see the difference in mechanism we isolate a weight that gets **no** gradient from the loss, and let only the decay act, with $\eta = \lambda = 0.01$ for 100 steps.

# %%
DECAY_STEPS, LR, DECAY = 100, 0.01, 0.01
decay = dict(lr=LR, weight_decay=DECAY)
adam_l2 = decay_without_gradient(optim.Adam, DECAY_STEPS, **decay)
adamw = decay_without_gradient(optim.AdamW, DECAY_STEPS, **decay)
shrink = [(1 - LR * DECAY) ** t for t in range(DECAY_STEPS + 1)]
step_word = tr(es="paso", en="step")
widths = (12, 9, 13)
names = ("Adam + L2", "AdamW", "(1 - ηλ)^t")
print(align(step_word, 4) + "".join(map(align, names, widths)))
for t in (0, 1, 10, 50, 100):
    values = (adam_l2[t], adamw[t], shrink[t])
    cells = map(align, (number(v, ".4f") for v in values), widths)
    print(f"{t:4d}" + "".join(cells))

fig, ax = new_figure(width=5.8, height=3.6)
decay_text = f"weight_decay={number(DECAY, 'g')}"
ax.plot(adam_l2, color=PALETTE[0], label=f"Adam + L2 ({decay_text})")
ax.plot(adamw, color=PALETTE[3], linestyle="--", label=f"AdamW ({decay_text})")
ax.set(
    title=tr(es="Solo decaimiento", en="Decay alone"),
    xlabel=step_word,
    ylabel=tr(es="valor del peso", en="weight value"),
)
ax.legend()
adam_end, adamw_end = number(adam_l2[-1], ".2f"), number(adamw[-1], ".3f")
set_alt(
    fig,
    es="Un peso que empieza en 1 sin gradiente de la pérdida. Con Adam y L2 "
    f"baja sin parar hasta {adam_end} en {DECAY_STEPS} pasos; con AdamW apenas "
    f"cambia, hasta {adamw_end}.",
    en="A weight starting at 1 with no loss gradient. With Adam and L2 it "
    f"falls steadily to {adam_end} in {DECAY_STEPS} steps; with AdamW it "
    f"barely changes, to {adamw_end}.",
)
first_move = 1 - adam_l2[1]
adamw_off = max(abs(a - b) for a, b in zip(adamw, shrink, strict=True))
publish("adam_end", adam_l2[-1], ".4f")
publish("adamw_end", adamw[-1], ".4f")
publish("adam_first_move", first_move, ".4f")
claim(
    "adam_step_is_lr",
    abs(first_move - LR) < 1e-4,
    es="con Adam y L2 el primer paso mueve el peso η = 0,01",
    en="with Adam and L2 the first step moves the weight by η = 0.01",
)
claim(
    "adamw_follows_curve",
    adamw_off < 1e-5,
    es="con AdamW el peso sigue la curva (1 − ηλ)^t en cada paso",
    en="with AdamW the weight follows the (1 − ηλ)^t curve at every step",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - En Rosenbrock, SGD sin momentum baja deprisa al fondo del valle y luego avanza muy despacio a lo largo de él: en sus 10 primeros pasos $f$ baja {{ value: sgd_early_drop }}, en los 490 siguientes solo {{ value: sgd_late_drop }}, y acaba a {{ value: sgd_distance }} del mínimo {{ claim: sgd_crawls }}; el gradiente allí es pequeño. El momentum acumula esa dirección constante y recorre el valle: es el que acaba más cerca, a {{ value: closest_distance }} {{ claim: momentum_closest }}. Los métodos adaptativos (RMSprop, Adagrad, Adam) normalizan el tamaño del gradiente por coordenada y se mueven de otra manera. Ninguno es el mejor en todo: la tasa de cada uno importa tanto como el método.
# - En los dígitos, SGD sin momentum con la misma tasa va claramente por detrás en 12 épocas: su pérdida de validación final, {{ value: sgd_loss }}, es la más alta con diferencia (la siguiente es {{ value: next_loss }}) {{ claim: sgd_lags }}, y el momentum lo adelanta: {{ value: momentum_acc }} de exactitud frente a {{ value: sgd_acc }} {{ claim: momentum_overtakes }}. Los adaptativos con sus tasas habituales quedan entre {{ value: adaptive_low }} y {{ value: adaptive_high }}; con tan pocas épocas, esas diferencias dependen tanto de la tasa elegida como del método.
# - El decaimiento desacoplado se ve solo cuando se aísla. En Adam con L2, el término $\lambda w$ se divide por $\sqrt{\hat s} \approx \lambda |w|$, así que cada paso mueve el peso unas $\eta$ unidades **sea cual sea** $\lambda$ (el primero, {{ value: adam_first_move }}) {{ claim: adam_step_is_lr }}, y en 100 pasos el peso cae a {{ value: adam_end }}: la regularización queda ligada a la escala del gradiente. En AdamW el peso se multiplica por $1 - \eta\lambda$ en cada paso, exactamente la curva $(1-\eta\lambda)^t$ de la tabla {{ claim: adamw_follows_curve }}, y solo baja a {{ value: adamw_end }}: el decaimiento hace lo que dice, independientemente de la normalización.

# %% [markdown] lang="en"
# ## What to notice
#
# - On Rosenbrock, SGD without momentum drops quickly to the valley floor and then crawls along it: in its first 10 steps $f$ falls by {{ value: sgd_early_drop }}, in the next 490 only by {{ value: sgd_late_drop }}, and it ends {{ value: sgd_distance }} away from the minimum {{ claim: sgd_crawls }}; the gradient there is small. Momentum accumulates that consistent direction and travels down the valley: it ends closest, at {{ value: closest_distance }} {{ claim: momentum_closest }}. The adaptive methods (RMSprop, Adagrad, Adam) normalize the gradient's size per coordinate and move differently. None is best everywhere: each one's rate matters as much as the method.
# - On the digits, plain SGD with the same rate clearly lags after 12 epochs: its final validation loss, {{ value: sgd_loss }}, is the highest by far (the next is {{ value: next_loss }}) {{ claim: sgd_lags }}, and momentum overtakes it: {{ value: momentum_acc }} accuracy against {{ value: sgd_acc }} {{ claim: momentum_overtakes }}. The adaptive methods with their usual rates land between {{ value: adaptive_low }} and {{ value: adaptive_high }}; with so few epochs, those differences depend as much on the chosen rate as on the method.
# - Decoupled decay only shows when isolated. In Adam with L2, the term $\lambda w$ is divided by $\sqrt{\hat s} \approx \lambda |w|$, so each step moves the weight by about $\eta$ **whatever** $\lambda$ is (the first one, {{ value: adam_first_move }}) {{ claim: adam_step_is_lr }}, and in 100 steps the weight falls to {{ value: adam_end }}: regularization is tied to the gradient's scale. In AdamW the weight is multiplied by $1 - \eta\lambda$ at every step, exactly the $(1-\eta\lambda)^t$ curve in the table {{ claim: adamw_follows_curve }}, and it only falls to {{ value: adamw_end }}: the decay does what it says, independently of the normalization.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Repite la trayectoria de SGD con momentum en Rosenbrock con $\mu = 0{,}99$. ¿Qué cambia?
# 2. Repite el experimento del peso sin gradiente con Adam + L2 y $\lambda = 0{,}1$. ¿Baja diez veces más rápido? Explica por qué.
# 3. Entrena los dígitos con `optim.Adam(p, lr=1e-2)`. ¿Mejora la exactitud a las 12 épocas respecto a `lr=1e-3`?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Repeat the SGD-with-momentum path on Rosenbrock with $\mu = 0.99$. What changes?
# 2. Repeat the no-gradient weight experiment with Adam + L2 and $\lambda = 0.1$. Does it fall ten times faster? Explain why.
# 3. Train the digits with `optim.Adam(p, lr=1e-2)`. Does accuracy after 12 epochs improve over `lr=1e-3`?

# %% [markdown] lang="es" solution="1"
# Con $\mu = 0{,}99$ la «velocidad» acumula cien pasos de gradiente en vez de diez: el camino oscila mucho más de lado a lado del valle (cambia de sentido {{ value: turns_099 }} veces, frente a {{ value: turns_09 }} con $\mu = 0{,}9$) {{ claim: more_swings }} y a los 500 pasos termina más lejos del mínimo, a {{ value: distance_099 }} frente a {{ value: distance_09 }} {{ claim: farther_with_099 }}. Más momentum no es siempre mejor.

# %% [markdown] lang="en" solution="1"
# With $\mu = 0.99$ the "velocity" accumulates a hundred steps of gradient instead of ten: the path swings much more from side to side of the valley (it reverses direction {{ value: turns_099 }} times, against {{ value: turns_09 }} with $\mu = 0.9$) {{ claim: more_swings }} and after 500 steps ends farther from the minimum, at {{ value: distance_099 }} against {{ value: distance_09 }} {{ claim: farther_with_099 }}. More momentum is not always better.


# %% solution="1"
def reversals(path: torch.Tensor) -> int:
    """How many times a path turns back: consecutive steps at more than 90°."""
    steps = path[1:] - path[:-1]  # (STEPS, 2)
    return int(((steps[1:] * steps[:-1]).sum(dim=1) < 0).sum())


HEAVY = label("momentum", η=1e-3, μ=0.99)
heavy = optimizer_path(
    rosenbrock,
    lambda p: optim.SGD(p, lr=1e-3, momentum=0.99),
    START,
    STEPS,
)
distance_099 = (heavy[-1] - MINIMUM).norm().item()
turns = {MOMENTUM: reversals(paths[MOMENTUM]), HEAVY: reversals(heavy)}
distances = {MOMENTUM: ends[MOMENTUM], HEAVY: distance_099}
for name in (MOMENTUM, HEAVY):
    far = number(distances[name], ".3f")
    print(
        f"{name}: "
        + tr(
            es=f"{turns[name]} cambios de sentido, distancia final {far}",
            en=f"{turns[name]} reversals, final distance {far}",
        )
    )
publish("turns_09", turns[MOMENTUM])
publish("turns_099", turns[HEAVY])
publish("distance_09", ends[MOMENTUM], ".3f")
publish("distance_099", distance_099, ".3f")
claim(
    "more_swings",
    turns[HEAVY] > 3 * turns[MOMENTUM],
    es="con μ = 0,99 el camino cambia de sentido más del triple de veces",
    en="with μ = 0.99 the path reverses more than three times as often",
)
claim(
    "farther_with_099",
    distance_099 > ends[MOMENTUM],
    es="con μ = 0,99 termina más lejos del mínimo que con μ = 0,9",
    en="with μ = 0.99 it ends farther from the minimum than with μ = 0.9",
)

# %% [markdown] lang="es" solution="2"
# No: termina en {{ value: adam_end_01 }}, prácticamente el mismo valor que con $\lambda = 0{,}01$ ({{ value: adam_end }}) {{ claim: lambda_ignored }}. Adam divide el término $\lambda w$ por su propia magnitud, así que el paso vale unas $\eta$ con cualquier $\lambda$. Es exactamente el problema que AdamW resuelve: con AdamW, $\lambda = 0{,}1$ sí baja el peso diez veces más por paso, hasta {{ value: adamw_end_01 }} {{ claim: adamw_tenfold }}.

# %% [markdown] lang="en" solution="2"
# No: it ends at {{ value: adam_end_01 }}, practically the same value as with $\lambda = 0.01$ ({{ value: adam_end }}) {{ claim: lambda_ignored }}. Adam divides the $\lambda w$ term by its own magnitude, so the step is about $\eta$ for any $\lambda$. That is exactly the problem AdamW solves: with AdamW, $\lambda = 0.1$ does lower the weight ten times as much per step, down to {{ value: adamw_end_01 }} {{ claim: adamw_tenfold }}.

# %% solution="2"
strong = dict(lr=LR, weight_decay=0.1)
adam_01 = decay_without_gradient(optim.Adam, DECAY_STEPS, **strong)
adamw_01 = decay_without_gradient(optim.AdamW, DECAY_STEPS, **strong)
pairs = (("Adam + L2", adam_l2, adam_01), ("AdamW", adamw, adamw_01))
for name, small, large in pairs:
    print(
        f"{name}: λ={number(DECAY, 'g')} → {number(small[-1], '.4f')} · "
        f"λ={number(0.1, 'g')} → {number(large[-1], '.4f')}"
    )
first_steps = (1 - adamw[1], 1 - adamw_01[1])
publish("adam_end_01", adam_01[-1], ".4f")
publish("adamw_end_01", adamw_01[-1], ".4f")
claim(
    "lambda_ignored",
    abs(adam_01[-1] - adam_l2[-1]) < 1e-4,
    es="con Adam y L2, λ = 0,1 y λ = 0,01 acaban a menos de 10⁻⁴",
    en="with Adam and L2, λ = 0.1 and λ = 0.01 end within 10⁻⁴",
)
claim(
    "adamw_tenfold",
    abs(first_steps[1] / first_steps[0] - 10) < 0.01,
    es="con AdamW, λ = 0,1 da un primer paso diez veces mayor que λ = 0,01",
    en="with AdamW, λ = 0.1 takes a first step ten times that of λ = 0.01",
)

# %% [markdown] lang="es" solution="3"
# Sí: con $\eta = 10^{-2}$ la exactitud de validación a las 12 épocas es {{ value: adam_fast_acc }}, frente a {{ value: adam_acc }} con $\eta = 10^{-3}$ {{ claim: larger_lr_better }}. Con esta red pequeña y solo 12 épocas, $\eta = 10^{-3}$ es conservadora; una tasa mayor aprende más deprisa: tras la primera época ya acierta {{ value: adam_fast_first }}, frente a {{ value: adam_slow_first }} {{ claim: larger_lr_faster }}. El valor por defecto de una biblioteca es un punto de partida, no una recomendación para cada problema: por eso el manual de ajuste empieza por la tasa de aprendizaje.

# %% [markdown] lang="en" solution="3"
# Yes: with $\eta = 10^{-2}$ validation accuracy after 12 epochs is {{ value: adam_fast_acc }}, against {{ value: adam_acc }} with $\eta = 10^{-3}$ {{ claim: larger_lr_better }}. With this small network and only 12 epochs, $\eta = 10^{-3}$ is conservative; a larger rate learns faster: after the first epoch it already gets {{ value: adam_fast_first }} right, against {{ value: adam_slow_first }} {{ claim: larger_lr_faster }}. A library's default is a starting point, not a recommendation for every problem: that is why the tuning playbook starts with the learning rate.

# %% solution="3"
fast = train_mlp(split, (64,), lambda p: optim.Adam(p, lr=1e-2), epochs=EPOCHS)
slow = runs[DIGITS_ADAM]
for lr, run in ((1e-2, fast), (1e-3, slow)):
    print(
        f"Adam (η={number(lr, 'g')}): {val_acc_word} "
        + tr(
            es=f"{number(run.val_acc[0], '.3f')} en la época 1, "
            f"{number(run.val_acc[-1], '.3f')} en la época {EPOCHS}",
            en=f"{number(run.val_acc[0], '.3f')} at epoch 1, "
            f"{number(run.val_acc[-1], '.3f')} at epoch {EPOCHS}",
        )
    )
publish("adam_fast_acc", percent(fast.val_acc[-1], 1))
publish("adam_fast_first", percent(fast.val_acc[0], 1))
publish("adam_slow_first", percent(slow.val_acc[0], 1))
claim(
    "larger_lr_better",
    fast.val_acc[-1] > slow.val_acc[-1],
    es="con η = 0,01 la exactitud a las 12 épocas es mayor que con η = 0,001",
    en="with η = 0.01 accuracy after 12 epochs is higher than with η = 0.001",
)
claim(
    "larger_lr_faster",
    fast.val_acc[0] > slow.val_acc[0],
    es="con η = 0,01 la exactitud tras la primera época es mayor",
    en="with η = 0.01 accuracy after the first epoch is higher",
)
