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
# A loss sums up in one number how much we dislike a prediction, and its gradient is all the optimiser ever sees of it. For regression, with residual $r = \hat y - y$:
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
from dlcourse.data.tables import load_table
from dlcourse.formatting import decimal_comma
from dlcourse.lessons.loss_functions import (
    BINARY_LOSSES,
    REGRESSION_LOSSES,
    fit_line,
    line_with_outliers,
    train_logistic,
)
from dlcourse.models.activations import elementwise_derivative
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all

seed_all(0)
r = torch.linspace(-3, 3, 601)
print("loss            value at r=0.5  at r=3   slope at r=0.5  at r=3")
at_half, at_three = 350, 600  # indices of r = 0.5 and r = 3
curves = {}
for name, loss in REGRESSION_LOSSES.items():
    value, slope = loss(r), elementwise_derivative(loss, r)
    curves[name] = (value, slope)
    print(
        f"{name:<15} {value[at_half]:14.3f} {value[at_three]:6.2f} {slope[at_half]:15.2f} {slope[at_three]:7.2f}"
    )

fig, (ax_v, ax_g) = new_figure(ncols=2, width=5.0, height=3.7)
for k, (name, (value, slope)) in enumerate(curves.items()):
    ax_v.plot(r, value, color=PALETTE[k], label=name)
    ax_g.plot(r, slope, color=PALETTE[k], label=name)
ax_v.set(
    title="Pérdida / Loss", xlabel="residuo $r$ / residual $r$", ylabel="$\\ell(r)$", ylim=(0, 5)
)
ax_g.set(title="Gradiente / Gradient", xlabel="residuo $r$ / residual $r$", ylabel="$\\ell'(r)$")
ax_v.legend()
set_alt(
    fig,
    es="Izquierda: MSE es una parábola, MAE una V y Huber una parábola cerca de cero que se vuelve recta a partir de |r| = 1. Derecha: el gradiente de MSE crece en línea recta con el residuo, el de MAE es −1 o 1 y el de Huber crece hasta ±1 y ahí se queda.",
    en="Left: MSE is a parabola, MAE a V and Huber a parabola near zero that turns straight beyond |r| = 1. Right: MSE's gradient grows linearly with the residual, MAE's is −1 or 1, and Huber's grows up to ±1 and stays there.",
)

# %% [markdown] lang="es"
# ## Valores atípicos
#
# Ajustamos una recta a 60 puntos de $y = 2x + 1$ con ruido, donde los 6 puntos más a la derecha se han desplazado 4 unidades hacia arriba (un sensor que falla, un error de registro). Mismo optimizador, misma recta inicial; solo cambia la pérdida.

# %% [markdown] lang="en"
# ## Outliers
#
# We fit a line to 60 points of $y = 2x + 1$ with noise, where the 6 rightmost points have been moved 4 units up (a failing sensor, a recording error). Same optimiser, same initial line; only the loss changes.

# %%
x, y = line_with_outliers()
fits = {name: fit_line(x, y, name) for name in REGRESSION_LOSSES}
print("loss            slope  intercept   (true line: slope 2.00, intercept 1.00)")
for name, (slope, intercept) in fits.items():
    print(f"{name:<15} {slope:5.2f}  {intercept:9.2f}")

fig, ax = new_figure(width=6.0, height=3.9)
ax.scatter(x[:, 0], y, s=14, color="#555555", label="datos / data")
grid = torch.linspace(0, 1, 2)
ax.plot(
    grid,
    2 * grid + 1,
    color="#222222",
    linestyle="--",
    linewidth=1.2,
    label="recta verdadera / true line",
)
for k, (name, (slope, intercept)) in enumerate(fits.items()):
    ax.plot(grid, slope * grid + intercept, color=PALETTE[k], label=name)
ax.set(title="Ajuste con atípicos / Fit with outliers", xlabel="$x$", ylabel="$y$")
ax.legend(fontsize=8)
set_alt(
    fig,
    es="Sesenta puntos sobre la recta y = 2x + 1 con seis atípicos arriba a la derecha, y las rectas ajustadas: "
    + ", ".join(f"{n} con pendiente {decimal_comma(s, 2)}" for n, (s, _) in fits.items())
    + ". La de MSE se inclina hacia los atípicos.",
    en="Sixty points on the line y = 2x + 1 with six outliers at the top right, and the fitted lines: "
    + ", ".join(f"{n} with slope {s:.2f}" for n, (s, _) in fits.items())
    + ". The MSE line tilts towards the outliers.",
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
print("logit z   p = σ(z)   BCE gradient   MSE-on-p gradient")
binary = {name: (loss(z), elementwise_derivative(loss, z)) for name, loss in BINARY_LOSSES.items()}
for value in (-8.0, -4.0, -1.0, 0.0, 2.0):
    i = int((value + 8) * 20)
    bce_grad, mse_grad = (binary[name][1][i].item() for name in BINARY_LOSSES)
    print(f"{value:7.1f}   {torch.sigmoid(z[i]):8.4f}   {bce_grad:12.4f}   {mse_grad:17.4f}")

fig, (ax_v, ax_g) = new_figure(ncols=2, width=5.0, height=3.7)
for k, (name, (value, slope)) in enumerate(binary.items()):
    ax_v.plot(z, value, color=PALETTE[k], label=name)
    ax_g.plot(z, slope, color=PALETTE[k], label=name)
ax_v.set(title="Pérdida con y = 1 / Loss with y = 1", xlabel="logit $z$", ylabel="pérdida / loss")
ax_g.set(title="Gradiente / Gradient", xlabel="logit $z$", ylabel="$\\partial \\ell / \\partial z$")
ax_v.legend(fontsize=8)
set_alt(
    fig,
    es="Pérdidas de un ejemplo de clase 1 según su logit. La entropía cruzada crece casi en línea recta cuando el logit es negativo y su gradiente tiende a −1; el error cuadrático sobre la probabilidad se aplana en 1 y su gradiente vuelve a cero en los logits muy negativos.",
    en="Losses of a class-1 example against its logit. Cross-entropy grows almost linearly as the logit goes negative and its gradient tends to −1; squared error on the probability flattens at 1 and its gradient returns to zero at very negative logits.",
)

# %% [markdown] lang="es"
# Con varias clases, `F.cross_entropy` recibe los logits y aplica internamente el softmax y el logaritmo. Comprobamos con tres clases que vale $-\log p_y$ y que su gradiente es $\mathbf{p} - \mathbf{e}_y$:

# %% [markdown] lang="en"
# With several classes, `F.cross_entropy` takes the logits and applies the softmax and the logarithm internally. We check with three classes that it equals $-\log p_y$ and that its gradient is $\mathbf{p} - \mathbf{e}_y$:

# %%
logits = torch.tensor([[2.0, 0.5, -1.0]], requires_grad=True)  # (1, 3)
target = torch.tensor([1])  # the right class is 1
loss = F.cross_entropy(logits, target)
loss.backward()
p = torch.softmax(logits.detach(), dim=1)
print(f"F.cross_entropy {loss.item():.4f} · -log p_y {-torch.log(p[0, 1]).item():.4f}")
print("gradient by autograd:", [round(v, 4) for v in logits.grad[0].tolist()])
print("p - e_y:             ", [round(v, 4) for v in (p - F.one_hot(target, 3))[0].tolist()])

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
weights = torch.zeros(
    x_train.shape[1] + 1, requires_grad=True
)  # a good model first, by cross-entropy
optimizer = torch.optim.Adam([weights], lr=0.05)
for _ in range(300):
    value = F.binary_cross_entropy_with_logits(x_train @ weights[:-1] + weights[-1], y_train)
    optimizer.zero_grad()
    value.backward()
    optimizer.step()
wrong_start = -weights.detach()  # (31,) every prediction flipped, with the same confidence
start_logits = x_train @ wrong_start[:-1] + wrong_start[-1]
print(
    f"start: training accuracy {((start_logits > 0).float() == y_train).float().mean():.3f}, median |logit| {start_logits.abs().median():.1f}"
)
histories = {
    name: train_logistic(x_train, y_train, name, start=wrong_start, steps=300, lr=0.5)
    for name in BINARY_LOSSES
}
print("loss                     accuracy after 10    50    100    300 steps")
for name, acc in histories.items():
    print(f"{name:<24} {acc[9]:16.3f} {acc[49]:6.3f} {acc[99]:6.3f} {acc[-1]:6.3f}")

fig, ax = new_figure(width=6.0, height=3.8)
for k, (name, acc) in enumerate(histories.items()):
    ax.plot(range(1, len(acc) + 1), acc, color=PALETTE[k], label=name)
ax.set(
    title="Desde un mal comienzo / From a bad start",
    xlabel="paso / step",
    ylabel="exactitud de entrenamiento / training accuracy",
)
ax.legend()
ce, sq = histories.values()
set_alt(
    fig,
    es=f"Exactitud de entrenamiento por paso desde pesos confiadamente equivocados. Con entropía cruzada pasa de {ce[0]:.0%} a {ce[9]:.0%} en 10 pasos; con error cuadrático sobre la probabilidad sigue en {sq[49]:.0%} tras 50 pasos y llega a {sq[-1]:.0%} en 300.",
    en=f"Training accuracy per step from confidently wrong weights. With cross-entropy it goes from {ce[0]:.0%} to {ce[9]:.0%} in 10 steps; with squared error on the probability it is still at {sq[49]:.0%} after 50 steps and reaches {sq[-1]:.0%} at 300.",
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
# - MSE castiga el error al cuadrado: a $r = 3$ su pérdida es 9 y su gradiente 6, mientras MAE y Huber tienen gradiente 1. Por eso la recta de MSE se inclina hacia los seis atípicos y las de MAE y Huber se quedan más cerca de la verdadera (Huber a medio camino, como su forma sugiere).
# - Con un ejemplo mal clasificado con seguridad ($z = -8$), la entropía cruzada da un gradiente de casi $-1$, el máximo posible; el error cuadrático sobre la probabilidad da casi 0. Un modelo que se equivoca mucho apenas recibe señal para corregirse.
# - En la tabla real se ve el efecto: con entropía cruzada el modelo se recupera en unos pocos pasos; con error cuadrático pasa un centenar de pasos casi inmóvil antes de empezar a mejorar.
# - La entropía cruzada categórica de PyTorch es exactamente $-\log p_y$, y su gradiente es $\mathbf{p} - \mathbf{e}_y$: baja el logit de cada clase incorrecta en proporción a la probabilidad que se lleva.

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
# - MSE punishes the error squared: at $r = 3$ its loss is 9 and its gradient 6, while MAE and Huber have gradient 1. That is why the MSE line tilts towards the six outliers while the MAE and Huber lines stay closer to the true one (Huber halfway, as its shape suggests).
# - With a confidently misclassified example ($z = -8$), cross-entropy gives a gradient of almost $-1$, the largest possible; squared error on the probability gives almost 0. A model that is badly wrong barely gets a signal to correct itself.
# - The real table shows the effect: with cross-entropy the model recovers in a few steps; with squared error it spends about a hundred steps almost frozen before it starts improving.
# - PyTorch's categorical cross-entropy is exactly $-\log p_y$, and its gradient is $\mathbf{p} - \mathbf{e}_y$: it lowers the logit of each wrong class in proportion to the probability it takes.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Qué constante $c$ minimiza $\sum_n (y_n - c)^2$? ¿Y $\sum_n |y_n - c|$? Compruébalo con los valores $1, 2, 3, 4, 100$.
# 2. Ajusta la recta con atípicos usando Huber con $\delta = 0{,}1$ (`F.huber_loss(..., delta=0.1)`). ¿Se parece más a MSE o a MAE? ¿Por qué?
# 3. Calcula a mano la entropía cruzada categórica y su gradiente para los logits $(0, 0, 0)$ y la clase correcta 2.
#
# ??? success "Solución 1"
#     La media minimiza el error cuadrático y la mediana el absoluto. Con $1, 2, 3, 4, 100$: media 22, mediana 3. Un solo valor extremo mueve la media y no la mediana; es la misma razón por la que la recta de MSE se desvía.
#     ```python
#     values = torch.tensor([1.0, 2, 3, 4, 100])
#     c = torch.linspace(0, 30, 3001)
#     squared = ((values[:, None] - c) ** 2).sum(0)
#     absolute = (values[:, None] - c).abs().sum(0)
#     print(c[squared.argmin()], c[absolute.argmin()])  # 22.0 y 3.0
#     ```
#
# ??? success "Solución 2"
#     ```python
#     import torch.nn as nn
#     torch.manual_seed(0)
#     model = nn.Linear(1, 1)
#     opt = torch.optim.Adam(model.parameters(), lr=0.05)
#     for _ in range(2000):
#         loss = F.huber_loss(model(x).squeeze(1), y, delta=0.1)
#         opt.zero_grad()
#         loss.backward()
#         opt.step()
#     print(model.weight.item(), model.bias.item())
#     ```
#     Se parece a MAE: con $\delta = 0{,}1$ casi todos los residuos caen en la parte lineal, y los atípicos solo tiran con fuerza $\delta$. Cuanto menor es $\delta$, más se acerca Huber (dividida por $\delta$) a MAE; cuanto mayor, más a MSE.
#
# ??? success "Solución 3"
#     Con logits iguales, $\mathbf{p} = (1/3, 1/3, 1/3)$, así que $\ell = -\log(1/3) = \log 3 \approx 1{,}0986$ y el gradiente es $\mathbf{p} - \mathbf{e}_2 = (1/3,\ 1/3,\ -2/3)$.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Which constant $c$ minimises $\sum_n (y_n - c)^2$? And $\sum_n |y_n - c|$? Check it with the values $1, 2, 3, 4, 100$.
# 2. Fit the line with outliers using Huber with $\delta = 0.1$ (`F.huber_loss(..., delta=0.1)`). Does it look more like MSE or like MAE? Why?
# 3. Compute by hand the categorical cross-entropy and its gradient for logits $(0, 0, 0)$ and right class 2.
#
# ??? success "Solution 1"
#     The mean minimises squared error and the median absolute error. With $1, 2, 3, 4, 100$: mean 22, median 3. A single extreme value moves the mean and not the median; it is the same reason the MSE line tilts.
#     ```python
#     values = torch.tensor([1.0, 2, 3, 4, 100])
#     c = torch.linspace(0, 30, 3001)
#     squared = ((values[:, None] - c) ** 2).sum(0)
#     absolute = (values[:, None] - c).abs().sum(0)
#     print(c[squared.argmin()], c[absolute.argmin()])  # 22.0 and 3.0
#     ```
#
# ??? success "Solution 2"
#     ```python
#     import torch.nn as nn
#     torch.manual_seed(0)
#     model = nn.Linear(1, 1)
#     opt = torch.optim.Adam(model.parameters(), lr=0.05)
#     for _ in range(2000):
#         loss = F.huber_loss(model(x).squeeze(1), y, delta=0.1)
#         opt.zero_grad()
#         loss.backward()
#         opt.step()
#     print(model.weight.item(), model.bias.item())
#     ```
#     It looks like MAE: with $\delta = 0.1$ almost every residual falls in the linear part, and the outliers only pull with strength $\delta$. The smaller $\delta$, the closer Huber (divided by $\delta$) gets to MAE; the larger, the closer to MSE.
#
# ??? success "Solution 3"
#     With equal logits, $\mathbf{p} = (1/3, 1/3, 1/3)$, so $\ell = -\log(1/3) = \log 3 \approx 1.0986$ and the gradient is $\mathbf{p} - \mathbf{e}_2 = (1/3,\ 1/3,\ -2/3)$.
