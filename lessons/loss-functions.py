# ---
# jupyter:
#   lesson:
#     title:
#       es: Funciones de pérdida
#       en: Loss functions
#     summary:
#       es: MSE, MAE, Huber y las entropías cruzadas binaria y categórica; sus formas y gradientes, qué tarea pide cada una y qué pasa si se elige mal.
#       en: MSE, MAE, Huber and binary and categorical cross-entropy; their shapes and gradients, which task calls for each, and what happens with the wrong one.
#     order: 7
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Escribir las pérdidas de regresión (MSE, MAE, Huber) y de clasificación (entropía cruzada binaria y categórica), y dibujar sus formas y sus gradientes.
#     - Ver cómo unos pocos valores atípicos arrastran un ajuste con MSE y no con MAE o Huber.
#     - Entender por qué la entropía cruzada, y no el error cuadrático sobre una probabilidad, es la pérdida de un clasificador: qué gradiente recibe un modelo que se equivoca con seguridad.
#
# Nota de concepto: [funciones de pérdida](../concepts/loss-functions.md). Lectura asociada: [resumen de *Binary Classification*](../readings/binary-classification.md). Lecciones relacionadas: [clasificación binaria](binary-classification.md) y [regresión lineal de dos maneras](linear-regression.md). Referencia de la API: [`dlcourse.lessons.loss_functions`](../api/lessons/loss_functions.md) y [`dlcourse.models.activations`](../api/models/activations.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Write the regression losses (MSE, MAE, Huber) and the classification ones (binary and categorical cross-entropy), and plot their shapes and gradients.
#     - See how a few outliers drag a fit under MSE and not under MAE or Huber.
#     - Understand why cross-entropy, and not squared error on a probability, is a classifier's loss: what gradient a model gets when it is confidently wrong.
#
# Concept note: [loss functions](../concepts/loss-functions.md). Related reading: [summary of *Binary Classification*](../readings/binary-classification.md). Related lessons: [binary classification](binary-classification.md) and [linear regression two ways](linear-regression.md). API reference: [`dlcourse.lessons.loss_functions`](../api/lessons/loss_functions.md) and [`dlcourse.models.activations`](../api/models/activations.md).

# %% [markdown] lang="es"
# ## La idea
#
# Una pérdida resume en un número cuánto nos disgusta una predicción, y su gradiente es lo único que el optimizador ve de ella. Para regresión, con residuo $r = \hat y - y$:
#
# $$
# \ell_{\text{MSE}} = r^2, \qquad
# \ell_{\text{MAE}} = |r|, \qquad
# \ell_{\delta}(r) = \begin{cases} \tfrac12 r^2 & |r| \le \delta \\ \delta\,(|r| - \tfrac12\delta) & |r| > \delta \end{cases}
# $$
#
# con derivadas $2r$, $\operatorname{signo}(r)$ y $r$ recortado a $[-\delta, \delta]$. MSE da más peso cuanto mayor es el error; MAE pesa todos los errores igual; Huber se comporta como MSE cerca de cero y como MAE lejos.
#
# Para clasificación binaria, con logit $z$, probabilidad $p = \sigma(z)$ y etiqueta $y \in \{0, 1\}$, la entropía cruzada binaria y su derivada respecto al logit son
#
# $$
# \ell_{\text{BCE}} = -\big[y \log p + (1 - y)\log(1 - p)\big], \qquad \frac{\partial \ell_{\text{BCE}}}{\partial z} = p - y ,
# $$
#
# y para $C$ clases, con $\mathbf{p} = \operatorname{softmax}(\mathbf{z})$, la entropía cruzada categórica es $\ell_{\text{CE}} = -\log p_y$, con gradiente $\mathbf{p} - \mathbf{e}_y$ ($\mathbf{e}_y$ el vector *one-hot* de la clase correcta).

# %% [markdown] lang="en"
# ## The idea
#
# A loss sums up in one number how much we dislike a prediction, and its gradient is all the optimizer ever sees of it. For regression, with residual $r = \hat y - y$:
#
# $$
# \ell_{\text{MSE}} = r^2, \qquad
# \ell_{\text{MAE}} = |r|, \qquad
# \ell_{\delta}(r) = \begin{cases} \tfrac12 r^2 & |r| \le \delta \\ \delta\,(|r| - \tfrac12\delta) & |r| > \delta \end{cases}
# $$
#
# with derivatives $2r$, $\operatorname{sign}(r)$ and $r$ clipped to $[-\delta, \delta]$. MSE weighs an error more the larger it is; MAE weighs every error the same; Huber behaves like MSE near zero and like MAE far from it.
#
# For binary classification, with logit $z$, probability $p = \sigma(z)$ and label $y \in \{0, 1\}$, binary cross-entropy and its derivative with respect to the logit are
#
# $$
# \ell_{\text{BCE}} = -\big[y \log p + (1 - y)\log(1 - p)\big], \qquad \frac{\partial \ell_{\text{BCE}}}{\partial z} = p - y ,
# $$
#
# and for $C$ classes, with $\mathbf{p} = \operatorname{softmax}(\mathbf{z})$, categorical cross-entropy is $\ell_{\text{CE}} = -\log p_y$, with gradient $\mathbf{p} - \mathbf{e}_y$ ($\mathbf{e}_y$ the one-hot vector of the right class).

# %% [markdown] lang="es"
# ## Las pérdidas de regresión y sus gradientes
#
# Las derivadas las calcula *autograd* con la misma función que usamos para las activaciones.

# %% [markdown] lang="en"
# ## Regression losses and their gradients
#
# Autograd computes the derivatives with the same function we used for activations.

# %%
import torch
import torch.nn.functional as F
from dlcourse.bilingual import align, claim, number, percent, publish, tr
from dlcourse.data.tables import load_table
from dlcourse.lessons.loss_functions import (
    BINARY_LOSSES,
    REGRESSION_LOSSES,
    fit_line,
    huber,
    line_with_outliers,
    train_logistic,
)
from dlcourse.models.activations import elementwise_derivative
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all

seed_all(0)
loss_word = tr(es="pérdida", en="loss")
r = torch.linspace(-3, 3, 601)
at_half, at_three = 350, 600  # indices of r = 0.5 and r = 3
header = (
    align(loss_word, 15, "<")
    + align(tr(es="valor en r=0,5", en="value at r=0.5"), 15)
    + align("r=3", 7)
    + align(tr(es="pendiente en r=0,5", en="slope at r=0.5"), 21)
    + align("r=3", 7)
)
print(header)
curves = {}
for name, loss in REGRESSION_LOSSES.items():
    value, slope = loss(r), elementwise_derivative(loss, r)
    curves[name] = (value, slope)
    print(
        align(name, 15, "<")
        + align(number(value[at_half].item()), 15)
        + align(number(value[at_three].item(), ".2f"), 7)
        + align(number(slope[at_half].item(), ".2f"), 21)
        + align(number(slope[at_three].item(), ".2f"), 7)
    )

fig, (ax_v, ax_g) = new_figure(ncols=2, width=5.0, height=3.7)
for k, (name, (value, slope)) in enumerate(curves.items()):
    ax_v.plot(r, value, color=PALETTE[k], label=name)
    ax_g.plot(r, slope, color=PALETTE[k], label=name)
residual_label = tr(es="residuo $r$", en="residual $r$")
ax_v.set(
    title=tr(es="Pérdida", en="Loss"),
    xlabel=residual_label,
    ylabel="$\\ell(r)$",
    ylim=(0, 5),
)
ax_g.set(
    title=tr(es="Gradiente", en="Gradient"),
    xlabel=residual_label,
    ylabel="$\\ell'(r)$",
)
ax_v.legend()
set_alt(
    fig,
    es="Izquierda: MSE es una parábola, MAE una V y Huber una parábola cerca "
    "de cero que se vuelve recta a partir de |r| = 1. Derecha: el gradiente "
    "de MSE crece en línea recta con el residuo, el de MAE es −1 o 1 y el de "
    "Huber crece hasta ±1 y ahí se queda.",
    en="Left: MSE is a parabola, MAE a V and Huber a parabola near zero that "
    "turns straight beyond |r| = 1. Right: MSE's gradient grows linearly with "
    "the residual, MAE's is −1 or 1, and Huber's grows up to ±1 and stays "
    "there.",
)
mse_curve, mae_curve, huber_curve = curves.values()
off_zero = r != 0  # MAE has no derivative at 0
publish("mse_at_3", mse_curve[0][at_three].item(), ".0f")
publish("mse_slope_at_3", mse_curve[1][at_three].item(), ".0f")
publish("linear_slope_at_3", mae_curve[1][at_three].item(), ".0f")
claim(
    "slopes_match_formulas",
    torch.allclose(mse_curve[1], 2 * r, atol=1e-5)
    and torch.equal(mae_curve[1][off_zero], r.sign()[off_zero])
    and torch.allclose(huber_curve[1], r.clamp(-1, 1), atol=1e-5)
    and huber_curve[1][at_three] == mae_curve[1][at_three],
    es="los gradientes de autograd son 2r, signo(r) y r recortado a [−1, 1], "
    "y en r = 3 MAE y Huber coinciden",
    en="autograd's gradients are 2r, sign(r) and r clipped to [−1, 1], and at "
    "r = 3 MAE and Huber agree",
)

# %% [markdown] lang="es"
# ## Valores atípicos
#
# Ajustamos una recta a 60 puntos de $y = 2x + 1$ con ruido, donde los 6 puntos más a la derecha se han desplazado 4 unidades hacia arriba (un sensor que falla, un error de registro). Mismo optimizador, misma recta inicial; solo cambia la pérdida.

# %% [markdown] lang="en"
# ## Outliers
#
# We fit a line to 60 points of $y = 2x + 1$ with noise, where the 6 rightmost points have been moved 4 units up (a failing sensor, a recording error). Same optimizer, same initial line; only the loss changes.

# %%
x, y = line_with_outliers()
fits = {name: fit_line(x, y, name) for name in REGRESSION_LOSSES}
slope_word = tr(es="pendiente", en="slope")
intercept_word = tr(es="ordenada", en="intercept")
print(
    align(loss_word, 15, "<")
    + align(slope_word, 10)
    + align(intercept_word, 11)
    + "   "
    + tr(
        es="(recta verdadera: pendiente 2,00, ordenada 1,00)",
        en="(true line: slope 2.00, intercept 1.00)",
    )
)
for name, (slope, intercept) in fits.items():
    cells = align(number(slope, ".2f"), 10)
    cells += align(number(intercept, ".2f"), 11)
    print(align(name, 15, "<") + cells)

fig, ax = new_figure(width=6.0, height=3.9)
ax.scatter(x[:, 0], y, s=14, color="#555555", label=tr(es="datos", en="data"))
grid = torch.linspace(0, 1, 2)
ax.plot(
    grid,
    2 * grid + 1,
    color="#222222",
    linestyle="--",
    linewidth=1.2,
    label=tr(es="recta verdadera", en="true line"),
)
for k, (name, (slope, intercept)) in enumerate(fits.items()):
    ax.plot(grid, slope * grid + intercept, color=PALETTE[k], label=name)
ax.set(
    title=tr(es="Ajuste con atípicos", en="Fit with outliers"),
    xlabel="$x$",
    ylabel="$y$",
)
ax.legend(fontsize=8)
fitted = [(n, number(s, ".2f")) for n, (s, _) in fits.items()]
slopes_es = ", ".join(f"{n} con pendiente {s}" for n, s in fitted)
slopes_en = ", ".join(f"{n} with slope {s}" for n, s in fitted)
set_alt(
    fig,
    es="Sesenta puntos sobre la recta y = 2x + 1 con seis atípicos arriba a la "
    f"derecha, y las rectas ajustadas: {slopes_es}. La de MSE se inclina "
    "hacia los atípicos.",
    en="Sixty points on the line y = 2x + 1 with six outliers at the top "
    f"right, and the fitted lines: {slopes_en}. The MSE line tilts toward "
    "the outliers.",
)
slope_mse, slope_mae, slope_huber = (fits[name][0] for name in fits)
publish("slope_mse", slope_mse, ".2f")
publish("slope_mae", slope_mae, ".2f")
publish("slope_huber", slope_huber, ".2f")
claim(
    "mse_tilts",
    abs(slope_mae - 2) < abs(slope_huber - 2) < abs(slope_mse - 2)
    and slope_mae < slope_huber < slope_mse,
    es="la pendiente de MSE es la más alejada de 2, la de MAE la más cercana y "
    "la de Huber queda entre ambas",
    en="MSE's slope is the furthest from 2, MAE's the closest, Huber's between",
)

# %% [markdown] lang="es"
# ## Clasificación: cuando el modelo se equivoca con seguridad
#
# Comparamos, para un ejemplo de clase 1, la entropía cruzada con el error cuadrático aplicado a la probabilidad, $(\sigma(z) - 1)^2$. Su derivada respecto al logit es $2(\sigma(z) - 1)\,\sigma(z)\,(1 - \sigma(z))$: el último factor es la derivada de la sigmoide, que se anula cuando $z$ es muy negativo, es decir, justo cuando el modelo está seguro de la clase equivocada.

# %% [markdown] lang="en"
# ## Classification: when the model is confidently wrong
#
# For an example of class 1 we compare cross-entropy with squared error applied to the probability, $(\sigma(z) - 1)^2$. Its derivative with respect to the logit is $2(\sigma(z) - 1)\,\sigma(z)\,(1 - \sigma(z))$: the last factor is the sigmoid's derivative, which vanishes when $z$ is very negative, that is, precisely when the model is sure of the wrong class.

# %%
z = torch.linspace(-8, 8, 321)
binary_names = dict(
    zip(
        BINARY_LOSSES,
        (
            tr(es="entropía cruzada", en="cross-entropy"),
            tr(es="error cuadrático sobre p", en="squared error on p"),
        ),
        strict=True,
    )
)
print(
    align("logit z", 7)
    + align("p = σ(z)", 11)
    + align(tr(es="gradiente BCE", en="BCE gradient"), 15)
    + align(tr(es="gradiente (p − 1)²", en="(p − 1)² gradient"), 20)
)
binary = {}
for name, loss in BINARY_LOSSES.items():
    binary[name] = (loss(z), elementwise_derivative(loss, z))
for value in (-8.0, -4.0, -1.0, 0.0, 2.0):
    i = int((value + 8) * 20)
    bce_grad, mse_grad = (binary[name][1][i].item() for name in BINARY_LOSSES)
    print(
        align(number(value, ".1f"), 7)
        + align(number(torch.sigmoid(z[i]).item(), ".4f"), 11)
        + align(number(bce_grad, ".4f"), 15)
        + align(number(mse_grad, ".4f"), 20)
    )

fig, (ax_v, ax_g) = new_figure(ncols=2, width=5.0, height=3.7)
for k, (name, (value, slope)) in enumerate(binary.items()):
    ax_v.plot(z, value, color=PALETTE[k], label=binary_names[name])
    ax_g.plot(z, slope, color=PALETTE[k], label=binary_names[name])
ax_v.set(
    title=tr(es="Pérdida con y = 1", en="Loss with y = 1"),
    xlabel="logit $z$",
    ylabel=loss_word,
)
ax_g.set(
    title=tr(es="Gradiente", en="Gradient"),
    xlabel="logit $z$",
    ylabel="$\\partial \\ell / \\partial z$",
)
ax_v.legend(fontsize=8)
set_alt(
    fig,
    es="Pérdidas de un ejemplo de clase 1 según su logit. La entropía cruzada "
    "crece casi en línea recta cuando el logit es negativo y su gradiente "
    "tiende a −1; el error cuadrático sobre la probabilidad se aplana en 1 y "
    "su gradiente vuelve a cero en los logits muy negativos.",
    en="Losses of a class-1 example against its logit. Cross-entropy grows "
    "almost linearly as the logit goes negative and its gradient tends to −1; "
    "squared error on the probability flattens at 1 and its gradient returns "
    "to zero at very negative logits.",
)
(_, bce_slope), (_, mse_slope) = binary.values()
bce_bounded = bool((bce_slope >= -1).all())  # -1 is its largest size
publish("bce_grad_at_8", bce_slope[0].item(), ".4f")
publish("mse_grad_at_8", mse_slope[0].item(), ".4f")
claim(
    "confident_wrong_gradients",
    abs(bce_slope[0] + 1) < 1e-3 and abs(mse_slope[0]) < 1e-2 and bce_bounded,
    es="en z = −8 la entropía cruzada da un gradiente a menos de 0,001 de −1, "
    "su mínimo en todo el rango, y el error cuadrático uno menor que 0,01",
    en="at z = −8 cross-entropy gives a gradient within 0.001 of −1, its "
    "minimum over the whole range, and squared error one below 0.01",
)

# %% [markdown] lang="es"
# Con varias clases, `F.cross_entropy` recibe los logits y aplica internamente la softmax y el logaritmo. Comprobamos con tres clases que vale $-\log p_y$ y que su gradiente es $\mathbf{p} - \mathbf{e}_y$ {{ claim: cross_entropy_formula }}:

# %% [markdown] lang="en"
# With several classes, `F.cross_entropy` takes the logits and applies the softmax and the logarithm internally. We check with three classes that it equals $-\log p_y$ and that its gradient is $\mathbf{p} - \mathbf{e}_y$ {{ claim: cross_entropy_formula }}:

# %%
logits = torch.tensor([[2.0, 0.5, -1.0]], requires_grad=True)  # (1, 3)
target = torch.tensor([1])  # the right class is 1
loss = F.cross_entropy(logits, target)
loss.backward()
p = torch.softmax(logits.detach(), dim=1)  # (1, 3)
by_formula = (p - F.one_hot(target, 3))[0]  # (3,)


def vector(values: torch.Tensor) -> str:
    """A short vector as each language writes it: (0,1; 0,2) or (0.1, 0.2)."""
    parts = [number(v, ".4f") for v in values.tolist()]
    return "(" + tr(es="; ", en=", ").join(parts) + ")"


minus_log = -torch.log(p[0, 1]).item()
by_library = number(loss.item(), ".4f")
print(f"F.cross_entropy {by_library} · -log p_y {number(minus_log, '.4f')}")
autograd_word = tr(es="gradiente por autograd:", en="gradient by autograd:")
print(autograd_word, vector(logits.grad[0]))
print("p - e_y:", vector(by_formula))
same_gradient = torch.allclose(logits.grad[0], by_formula, atol=1e-6)
claim(
    "cross_entropy_formula",
    abs(loss.item() - minus_log) < 1e-6 and same_gradient,
    es="F.cross_entropy vale −log p_y y su gradiente es p − e_y",
    en="F.cross_entropy equals −log p_y and its gradient is p − e_y",
)

# %% [markdown] lang="es"
# ## La pérdida equivocada en un entrenamiento real
#
# Entrenamos una regresión logística sobre la tabla de cáncer de mama (maligno = 1) partiendo de pesos **confiadamente equivocados**: los de un buen modelo cambiados de signo, que clasifican mal casi todo con logits grandes. Mismo descenso de gradiente, misma tasa; una vez con entropía cruzada y otra con error cuadrático sobre la probabilidad.

# %% [markdown] lang="en"
# ## The wrong loss in a real training run
#
# We train a logistic regression on the breast-cancer table (malignant = 1) starting from **confidently wrong** weights: those of a good model with their sign flipped, which misclassify almost everything with large logits. Same gradient descent, same rate; once with cross-entropy and once with squared error on the probability.

# %%
table = load_table("breast_cancer", positive="malignant")
x_train, y_train = table.x_train, table.y_train.float()
# a good model first, by cross-entropy
weights = torch.zeros(x_train.shape[1] + 1, requires_grad=True)
optimizer = torch.optim.Adam([weights], lr=0.05)
for _ in range(300):
    logit = x_train @ weights[:-1] + weights[-1]  # (N,)
    value = F.binary_cross_entropy_with_logits(logit, y_train)
    optimizer.zero_grad()
    value.backward()
    optimizer.step()
wrong_start = -weights.detach()  # (31,) every prediction flipped, as confident
start_logits = x_train @ wrong_start[:-1] + wrong_start[-1]  # (N,)
start_accuracy = ((start_logits > 0).float() == y_train).float().mean().item()
median_logit = start_logits.abs().median().item()
print(
    tr(
        es=f"inicio: exactitud de entrenamiento {percent(start_accuracy, 1)}, "
        f"|logit| mediano {number(median_logit, '.1f')}",
        en=f"start: training accuracy {percent(start_accuracy, 1)}, "
        f"median |logit| {number(median_logit, '.1f')}",
    )
)
histories = {}
for name in BINARY_LOSSES:
    histories[name] = train_logistic(
        x_train,
        y_train,
        name,
        start=wrong_start,
        steps=300,
        lr=0.5,
    )
print(tr(es="exactitud de entrenamiento tras", en="training accuracy after"))
checkpoints = (10, 50, 100, 300)
steps_word = tr(es="pasos", en="steps")
columns = "".join(align(str(n), 7) for n in checkpoints)
print(align(loss_word, 26, "<") + columns + f"  {steps_word}")
for name, acc in histories.items():
    cells = "".join(align(number(acc[n - 1]), 7) for n in checkpoints)
    print(align(binary_names[name], 26, "<") + cells)

fig, ax = new_figure(width=6.0, height=3.8)
for k, (name, acc) in enumerate(histories.items()):
    steps = range(1, len(acc) + 1)
    ax.plot(steps, acc, color=PALETTE[k], label=binary_names[name])
ax.set(
    title=tr(es="Desde un mal comienzo", en="From a bad start"),
    xlabel=tr(es="paso", en="step"),
    ylabel=tr(es="exactitud de entrenamiento", en="training accuracy"),
)
ax.legend()
ce, sq = histories.values()
set_alt(
    fig,
    es="Exactitud de entrenamiento por paso desde pesos confiadamente "
    f"equivocados. Con entropía cruzada pasa de {percent(ce[0])} a "
    f"{percent(ce[9])} en 10 pasos; con error cuadrático sobre la "
    f"probabilidad sigue en {percent(sq[49])} tras 50 pasos y llega a "
    f"{percent(sq[-1])} en 300.",
    en="Training accuracy per step from confidently wrong weights. With "
    f"cross-entropy it goes from {percent(ce[0])} to {percent(ce[9])} in 10 "
    "steps; with squared error on the probability it is still at "
    f"{percent(sq[49])} after 50 steps and reaches {percent(sq[-1])} at 300.",
)
publish("start_accuracy", percent(start_accuracy, 1))
publish("median_logit", median_logit, ".1f")
publish("ce_at_10", percent(ce[9]))
publish("sq_at_50", percent(sq[49]))
publish("sq_at_300", percent(sq[-1]))
claim(
    "wrong_start",
    start_accuracy < 0.05 and median_logit > 5,
    es="al inicio la exactitud es menor que 0,05 y el |logit| mediano supera 5",
    en="at the start accuracy is below 0.05 and the median |logit| exceeds 5",
)
claim(
    "ce_recovers_sq_frozen",
    ce[9] > 0.75 and max(sq[:50]) < 0.1 and sq[-1] > 0.8,
    es="con entropía cruzada la exactitud supera 0,75 en 10 pasos; con error "
    "cuadrático no pasa de 0,1 en 50 pasos, aunque supera 0,8 al final",
    en="with cross-entropy accuracy passes 0.75 within 10 steps; with squared "
    "error it stays below 0.1 for 50 steps, though it passes 0.8 at the end",
)

# %% [markdown] lang="es"
# ## Qué pérdida para qué tarea
#
# | Tarea | Salida del modelo | Pérdida | Qué estima |
# |---|---|---|---|
# | Regresión con ruido moderado | un número | MSE | la media condicional |
# | Regresión con atípicos | un número | MAE o Huber | la mediana (MAE) o un compromiso (Huber) |
# | Clasificación binaria | un logit | entropía cruzada binaria (`BCEWithLogitsLoss`) | la probabilidad de la clase 1 |
# | Clasificación en $C$ clases | $C$ logits | entropía cruzada (`CrossEntropyLoss`) | la distribución sobre las clases |
# | Varias etiquetas a la vez | un logit por etiqueta | entropía cruzada binaria por etiqueta | cada probabilidad por separado |
#
# En PyTorch las pérdidas de clasificación reciben **logits**, no probabilidades: combinan internamente sigmoide o softmax con el logaritmo de forma numéricamente estable.
#
# ## Qué observar
#
# - MSE castiga el error al cuadrado: a $r = 3$ su pérdida es {{ value: mse_at_3 }} y su gradiente {{ value: mse_slope_at_3 }}, mientras MAE y Huber tienen gradiente {{ value: linear_slope_at_3 }} {{ claim: slopes_match_formulas }}. Por eso la recta de MSE se inclina hacia los seis atípicos (pendiente {{ value: slope_mse }}) y las de MAE ({{ value: slope_mae }}) y Huber ({{ value: slope_huber }}) se quedan más cerca de la verdadera, Huber a medio camino, como su forma sugiere {{ claim: mse_tilts }}.
# - Con un ejemplo mal clasificado con seguridad ($z = -8$), la entropía cruzada da un gradiente de {{ value: bce_grad_at_8 }}, casi el máximo posible en valor absoluto; el error cuadrático sobre la probabilidad da {{ value: mse_grad_at_8 }}, casi nada {{ claim: confident_wrong_gradients }}. Un modelo que se equivoca mucho apenas recibe señal para corregirse.
# - En la tabla real se ve el efecto. Los pesos de partida aciertan solo un {{ value: start_accuracy }} con un |logit| mediano de {{ value: median_logit }} {{ claim: wrong_start }}. Con entropía cruzada el modelo se recupera en unos pocos pasos ({{ value: ce_at_10 }} de exactitud a los 10); con error cuadrático pasa decenas de pasos casi inmóvil ({{ value: sq_at_50 }} a los 50) antes de empezar a mejorar, y llega a {{ value: sq_at_300 }} a los 300 {{ claim: ce_recovers_sq_frozen }}.
# - La entropía cruzada categórica de PyTorch es exactamente $-\log p_y$, y su gradiente es $\mathbf{p} - \mathbf{e}_y$ {{ claim: cross_entropy_formula }}: baja el logit de cada clase incorrecta en proporción a la probabilidad que se lleva.

# %% [markdown] lang="en"
# ## Which loss for which task
#
# | Task | Model output | Loss | What it estimates |
# |---|---|---|---|
# | Regression with moderate noise | one number | MSE | the conditional mean |
# | Regression with outliers | one number | MAE or Huber | the median (MAE) or a compromise (Huber) |
# | Binary classification | one logit | binary cross-entropy (`BCEWithLogitsLoss`) | the probability of class 1 |
# | Classification into $C$ classes | $C$ logits | cross-entropy (`CrossEntropyLoss`) | the distribution over the classes |
# | Several labels at once | one logit per label | binary cross-entropy per label | each probability separately |
#
# In PyTorch the classification losses take **logits**, not probabilities: internally they combine sigmoid or softmax with the logarithm in a numerically stable way.
#
# ## What to notice
#
# - MSE punishes the error squared: at $r = 3$ its loss is {{ value: mse_at_3 }} and its gradient {{ value: mse_slope_at_3 }}, while MAE and Huber have gradient {{ value: linear_slope_at_3 }} {{ claim: slopes_match_formulas }}. That is why the MSE line tilts toward the six outliers (slope {{ value: slope_mse }}) while the MAE ({{ value: slope_mae }}) and Huber ({{ value: slope_huber }}) lines stay closer to the true one, Huber halfway, as its shape suggests {{ claim: mse_tilts }}.
# - With a confidently misclassified example ($z = -8$), cross-entropy gives a gradient of {{ value: bce_grad_at_8 }}, almost the largest possible in absolute value; squared error on the probability gives {{ value: mse_grad_at_8 }}, almost nothing {{ claim: confident_wrong_gradients }}. A model that is badly wrong barely gets a signal to correct itself.
# - The real table shows the effect. The starting weights get only {{ value: start_accuracy }} right, with a median |logit| of {{ value: median_logit }} {{ claim: wrong_start }}. With cross-entropy the model recovers in a few steps ({{ value: ce_at_10 }} accuracy after 10); with squared error it spends tens of steps almost frozen ({{ value: sq_at_50 }} after 50) before it starts improving, and reaches {{ value: sq_at_300 }} after 300 {{ claim: ce_recovers_sq_frozen }}.
# - PyTorch's categorical cross-entropy is exactly $-\log p_y$, and its gradient is $\mathbf{p} - \mathbf{e}_y$ {{ claim: cross_entropy_formula }}: it lowers the logit of each wrong class in proportion to the probability it takes.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Qué constante $c$ minimiza $\sum_n (y_n - c)^2$? ¿Y $\sum_n |y_n - c|$? Compruébalo con los valores $1, 2, 3, 4, 100$.
# 2. Ajusta la recta con atípicos usando Huber con $\delta = 0{,}1$ (`F.huber_loss(..., delta=0.1)`). ¿Se parece más a MSE o a MAE? ¿Por qué?
# 3. Calcula a mano la entropía cruzada categórica y su gradiente para los logits $(0, 0, 0)$ y la clase correcta 2.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Which constant $c$ minimizes $\sum_n (y_n - c)^2$? And $\sum_n |y_n - c|$? Check it with the values $1, 2, 3, 4, 100$.
# 2. Fit the line with outliers using Huber with $\delta = 0.1$ (`F.huber_loss(..., delta=0.1)`). Does it look more like MSE or like MAE? Why?
# 3. Compute by hand the categorical cross-entropy and its gradient for logits $(0, 0, 0)$ and right class 2.

# %% [markdown] lang="es" solution="1"
# La media minimiza el error cuadrático y la mediana el absoluto. Con $1, 2, 3, 4, 100$, la búsqueda en una rejilla de $c$ da el mínimo del cuadrático en {{ value: argmin_squared }}, la media, y el del absoluto en {{ value: argmin_absolute }}, la mediana {{ claim: mean_and_median }}. Un solo valor extremo mueve la media y no la mediana; es la misma razón por la que la recta de MSE se desvía.

# %% [markdown] lang="en" solution="1"
# The mean minimizes squared error and the median absolute error. With $1, 2, 3, 4, 100$, a search over a grid of $c$ puts the minimum of the squared one at {{ value: argmin_squared }}, the mean, and that of the absolute one at {{ value: argmin_absolute }}, the median {{ claim: mean_and_median }}. A single extreme value moves the mean and not the median; it is the same reason the MSE line tilts.

# %% solution="1"
values = torch.tensor([1.0, 2, 3, 4, 100])
c = torch.linspace(0, 30, 3001)  # candidate constants, a step of 0.01
squared = ((values[:, None] - c) ** 2).sum(0)  # (3001,)
absolute = (values[:, None] - c).abs().sum(0)  # (3001,)
best_squared = c[squared.argmin()].item()
best_absolute = c[absolute.argmin()].item()
print(
    tr(
        es=f"mínimo del cuadrático en c = {number(best_squared, '.2f')} · "
        f"del absoluto en c = {number(best_absolute, '.2f')}",
        en=f"squared minimum at c = {number(best_squared, '.2f')} · "
        f"absolute minimum at c = {number(best_absolute, '.2f')}",
    )
)
print(
    tr(es="media", en="mean"),
    number(values.mean().item(), ".2f"),
    "·",
    tr(es="mediana", en="median"),
    number(values.median().item(), ".2f"),
)
publish("argmin_squared", best_squared, ".0f")
publish("argmin_absolute", best_absolute, ".0f")
claim(
    "mean_and_median",
    abs(best_squared - values.mean().item()) < 0.01
    and abs(best_absolute - values.median().item()) < 0.01,
    es="los mínimos de la rejilla están a < 0,01 de la media y la mediana",
    en="the grid minima lie within 0.01 of the mean and of the median",
)

# %% [markdown] lang="es" solution="2"
# Se parece a MAE: con $\delta = 0{,}1$ la pendiente ajustada es {{ value: slope_huber_small }}, frente a {{ value: slope_mae }} de MAE y {{ value: slope_mse }} de MSE {{ claim: small_delta_like_mae }}. Con un umbral tan pequeño, los residuos mayores que $\delta$ ({{ value: linear_share }} de los puntos, entre ellos todos los atípicos) caen en la parte lineal {{ claim: outliers_linear }}, y los atípicos solo tiran con fuerza $\delta$, lo mismo que cualquier otro punto fuera del umbral. Cuanto menor es $\delta$, más se acerca Huber (dividida por $\delta$) a MAE; cuanto mayor, más a MSE.

# %% [markdown] lang="en" solution="2"
# It looks like MAE: with $\delta = 0.1$ the fitted slope is {{ value: slope_huber_small }}, against MAE's {{ value: slope_mae }} and MSE's {{ value: slope_mse }} {{ claim: small_delta_like_mae }}. With so small a threshold, the residuals larger than $\delta$ ({{ value: linear_share }} of the points, all the outliers among them) fall in the linear part {{ claim: outliers_linear }}, and the outliers only pull with strength $\delta$, the same as any other point beyond the threshold. The smaller $\delta$, the closer Huber (divided by $\delta$) gets to MAE; the larger, the closer to MSE.

# %% solution="2"
slope_small, intercept_small = fit_line(x, y, huber(0.1))
residuals = slope_small * x[:, 0] + intercept_small - y  # (60,)
beyond = residuals.abs() > 0.1  # (60,) points in Huber's linear part
linear_share = beyond.float().mean().item()
delta_text = number(0.1, ".1f")
print(
    f"Huber (δ = {delta_text}): {slope_word} {number(slope_small, '.2f')}, "
    f"{intercept_word} {number(intercept_small, '.2f')}"
)
print(
    tr(
        es=f"residuos mayores que δ: {percent(linear_share)} · "
        f"atípicos entre ellos: {int(beyond[-6:].sum())} de 6",
        en=f"residuals larger than δ: {percent(linear_share)} · "
        f"outliers among them: {int(beyond[-6:].sum())} of 6",
    )
)
publish("slope_huber_small", slope_small, ".2f")
publish("linear_share", percent(linear_share))
claim(
    "small_delta_like_mae",
    abs(slope_small - slope_mae) < abs(slope_small - slope_mse) / 5,
    es="con δ = 0,1 la pendiente queda 5 veces más cerca de MAE que de MSE",
    en="with δ = 0.1 the slope is 5 times closer to MAE's than to MSE's",
)
claim(
    "outliers_linear",
    bool(beyond[-6:].all()),
    es="los seis atípicos quedan a más de δ de la recta ajustada",
    en="all six outliers lie more than δ from the fitted line",
)

# %% [markdown] lang="es" solution="3"
# Con logits iguales, $\mathbf{p} = (1/3, 1/3, 1/3)$, así que $\ell = -\log(1/3) = \log 3$, que vale {{ value: log_three }}, y el gradiente es $\mathbf{p} - \mathbf{e}_2 = (1/3,\ 1/3,\ -2/3)$. PyTorch da lo mismo {{ claim: uniform_logits }}.

# %% [markdown] lang="en" solution="3"
# With equal logits, $\mathbf{p} = (1/3, 1/3, 1/3)$, so $\ell = -\log(1/3) = \log 3$, which is {{ value: log_three }}, and the gradient is $\mathbf{p} - \mathbf{e}_2 = (1/3,\ 1/3,\ -2/3)$. PyTorch gives the same {{ claim: uniform_logits }}.

# %% solution="3"
flat_logits = torch.zeros(1, 3, requires_grad=True)  # (1, 3)
flat_loss = F.cross_entropy(flat_logits, torch.tensor([2]))
flat_loss.backward()
by_hand = torch.tensor([1 / 3, 1 / 3, -2 / 3])
print(f"F.cross_entropy {number(flat_loss.item(), '.4f')}")
print(tr(es="gradiente:", en="gradient:"), vector(flat_logits.grad[0]))
publish("log_three", torch.log(torch.tensor(3.0)).item(), ".4f")
claim(
    "uniform_logits",
    abs(flat_loss.item() - torch.log(torch.tensor(3.0)).item()) < 1e-6
    and torch.allclose(flat_logits.grad[0], by_hand, atol=1e-6),
    es="F.cross_entropy da log 3 y el gradiente (1/3, 1/3, −2/3)",
    en="F.cross_entropy gives log 3 and the gradient (1/3, 1/3, −2/3)",
)
