# ---
# jupyter:
#   lesson:
#     title:
#       es: Regresión lineal de dos maneras
#       en: Linear regression two ways
#     summary:
#       es: Las ecuaciones normales y el descenso de gradiente llegan a los mismos pesos; la superficie de pérdida explica la velocidad y el límite de la tasa de aprendizaje.
#       en: The normal equations and gradient descent reach the same weights; the loss surface explains the speed and the limit of the learning rate.
#     order: 5
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Resolver una regresión lineal con las **ecuaciones normales** y con **descenso de gradiente**, y comprobar que dan los mismos pesos.
#     - Dibujar la superficie de pérdida de dos pesos y el camino que sigue el optimizador sobre ella.
#     - Relacionar la curvatura de la superficie (los autovalores de la hessiana) con la tasa de aprendizaje máxima y con la lentitud de la convergencia.
#
# Nota de concepto: [regresión lineal](../concepts/linear-regression.md). Lecturas asociadas: [*A Single Neuron*](../readings/single-neuron.md) y [*Stochastic Gradient Descent*](../readings/stochastic-gradient-descent.md). Lección anterior con los mismos datos: [una neurona](single-neuron.md). Referencia de la API: [`dlcourse.models.linear_regression`](../api/models/linear_regression.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Solve a linear regression with the **normal equations** and with **gradient descent**, and check that they give the same weights.
#     - Draw the loss surface of two weights and the path the optimizer follows on it.
#     - Relate the curvature of the surface (the eigenvalues of the Hessian) to the largest usable learning rate and to how slowly descent converges.
#
# Concept note: [linear regression](../concepts/linear-regression.md). Related readings: [*A Single Neuron*](../readings/single-neuron.md) and [*Stochastic Gradient Descent*](../readings/stochastic-gradient-descent.md). Previous lesson on the same data: [a single neuron](single-neuron.md). API reference: [`dlcourse.models.linear_regression`](../api/models/linear_regression.md).

# %% [markdown] lang="es"
# ## La idea
#
# Con una columna de unos añadida a los datos, el sesgo es un peso más y el modelo es $\hat{\mathbf{y}} = X\mathbf{w}$, con $X \in \mathbb{R}^{N \times P}$. El error cuadrático medio
#
# $$
# L(\mathbf{w}) = \frac{1}{N}\lVert X\mathbf{w} - \mathbf{y} \rVert^2
# $$
#
# es un cuenco cuadrático. Su gradiente es $\nabla L = \frac{2}{N} X^\top (X\mathbf{w} - \mathbf{y})$, y anularlo da las **ecuaciones normales**:
#
# $$
# X^\top X\, \mathbf{w}^\ast = X^\top \mathbf{y} .
# $$
#
# El **descenso de gradiente** llega al mismo punto paso a paso, $\mathbf{w} \leftarrow \mathbf{w} - \eta \nabla L(\mathbf{w})$. La hessiana del cuenco es constante, $H = \frac{2}{N} X^\top X$, y sus autovalores $\lambda_1 \le \dots \le \lambda_P$ son las curvaturas en cada dirección principal. En la dirección de $\lambda_i$ el error se multiplica en cada paso por $1 - \eta\lambda_i$, así que el método converge solo si
#
# $$
# \eta < \frac{2}{\lambda_{\max}},
# $$
#
# y la dirección más plana, $\lambda_{\min}$, marca lo que tarda: cuanto mayor es el **número de condición** $\lambda_{\max}/\lambda_{\min}$, más pasos hacen falta.

# %% [markdown] lang="en"
# ## The idea
#
# With a column of ones added to the data, the bias is one more weight and the model is $\hat{\mathbf{y}} = X\mathbf{w}$, with $X \in \mathbb{R}^{N \times P}$. The mean squared error
#
# $$
# L(\mathbf{w}) = \frac{1}{N}\lVert X\mathbf{w} - \mathbf{y} \rVert^2
# $$
#
# is a quadratic bowl. Its gradient is $\nabla L = \frac{2}{N} X^\top (X\mathbf{w} - \mathbf{y})$, and setting it to zero gives the **normal equations**:
#
# $$
# X^\top X\, \mathbf{w}^\ast = X^\top \mathbf{y} .
# $$
#
# **Gradient descent** reaches the same point step by step, $\mathbf{w} \leftarrow \mathbf{w} - \eta \nabla L(\mathbf{w})$. The bowl's Hessian is constant, $H = \frac{2}{N} X^\top X$, and its eigenvalues $\lambda_1 \le \dots \le \lambda_P$ are the curvatures along each principal direction. Along the direction of $\lambda_i$ the error is multiplied by $1 - \eta\lambda_i$ at every step, so the method converges only if
#
# $$
# \eta < \frac{2}{\lambda_{\max}},
# $$
#
# and the flattest direction, $\lambda_{\min}$, sets how long it takes: the larger the **condition number** $\lambda_{\max}/\lambda_{\min}$, the more steps are needed.

# %% [markdown] lang="es"
# ## Dos características, dos caminos
#
# Usamos la tabla *diabetes* de scikit-learn con dos características estandarizadas, el índice de masa corporal (`bmi`) y una medida en sangre (`s5`), para predecir la progresión de la enfermedad (también estandarizada). Con dos pesos más el sesgo, la superficie se puede dibujar.

# %% [markdown] lang="en"
# ## Two features, two routes
#
# We use scikit-learn's *diabetes* table with two standardized features, body-mass index (`bmi`) and a blood measurement (`s5`), to predict disease progression (also standardized). With two weights plus the bias, the surface can be drawn.

# %%
import torch
from dlcourse.bilingual import align, claim, number, percent, publish, tr
from dlcourse.data.tables import load_table
from dlcourse.models.linear_regression import (
    curvature,
    design_matrix,
    gradient_descent_path,
    loss_surface,
    mse,
    normal_equations,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all
from sklearn.linear_model import LinearRegression

seed_all(0)
table = load_table("diabetes", standardize_target=True)
columns = [table.feature_names.index(name) for name in ("bmi", "s5")]
X = design_matrix(table.x_train[:, columns])  # (331, 3): ones, bmi, s5; float64
y = table.y_train.double()  # (331,)

w_closed = normal_equations(X, y)
eigenvalues = curvature(X)
limit = 2 / eigenvalues[-1].item()
start = torch.tensor([0.0, -1.5, 1.5])
path = gradient_descent_path(X, y, lr=0.3, steps=100, start=start)
x_two = table.x_train[:, columns].double().numpy()  # (331, 2)
reference = LinearRegression().fit(x_two, y.numpy())
w_sklearn = torch.tensor([reference.intercept_, *reference.coef_])
mse_word = tr(es="ECM", en="MSE")


def row(label: str, weights: torch.Tensor, loss: float | None) -> str:
    """One line of the weights table: a label, the three weights, the MSE."""
    cells = [align(number(v, "+.6f"), 11) for v in weights.tolist()]
    if loss is not None:
        cells.append(align(number(loss, ".6f"), 10))
    return align(label, 22, "<") + "".join(cells)


header = ["", tr(es="sesgo", en="bias"), "w_bmi", "w_s5", mse_word]
titles = "".join(align(h, 11) for h in header[1:4]) + align(header[4], 10)
print(align(header[0], 22, "<") + titles)
print(
    row(
        tr(es="ecuaciones normales", en="normal equations"),
        w_closed,
        mse(w_closed, X, y).item(),
    )
)
print(
    row(
        tr(es="descenso de gradiente", en="gradient descent"),
        path.weights[-1],
        path.losses[-1].item(),
    )
)
print(row("scikit-learn", w_sklearn, None))
gap_descent = (path.weights[-1] - w_closed).abs().max().item()
gap_sklearn = (w_sklearn - w_closed).abs().max().item()
gaps = f"{number(gap_descent, '.1e')} · scikit-learn "
gaps += number(gap_sklearn, ".1e")
print(
    tr(
        es=f"mayor diferencia con las ecuaciones normales: descenso {gaps}",
        en=f"largest difference from the normal equations: descent {gaps}",
    )
)
listed = tr(es="; ", en=", ").join(number(v) for v in eigenvalues.tolist())
limit_es = f"límite de la tasa 2/λmax = {number(limit)}"
limit_en = f"learning-rate limit 2/λmax = {number(limit)}"
print(
    tr(
        es=f"autovalores de la hessiana: {listed} · {limit_es}",
        en=f"Hessian eigenvalues: {listed} · {limit_en}",
    )
)
publish("w_bmi", w_closed[1].item(), ".2f")
publish("w_s5", w_closed[2].item(), ".2f")
publish("limit", limit, ".2f")
claim(
    "same_weights",
    max(gap_descent, gap_sklearn) < 1e-9,
    es="descenso y scikit-learn coinciden con las ecuaciones normales (< 1e-9)",
    en="descent and scikit-learn match the normal equations to within 1e-9",
)
claim(
    "bias_zero",
    abs(w_closed[0].item()) < 1e-6,
    es="el sesgo óptimo vale 0 (menos de 1e-6 en valor absoluto)",
    en="the optimal bias is 0 (below 1e-6 in absolute value)",
)

# %% [markdown] lang="es"
# La fórmula del gradiente escrita a mano coincide con la que calcula *autograd* {{ claim: autograd_matches }}:

# %% [markdown] lang="en"
# The gradient formula written by hand matches the one autograd computes {{ claim: autograd_matches }}:

# %%
w = torch.tensor([0.1, -0.4, 0.9], dtype=torch.float64, requires_grad=True)
mse(w, X, y).backward()
by_hand = 2 / len(X) * X.T @ (X @ w.detach() - y)
grad_gap = (w.grad - by_hand).abs().max().item()
grad_text = number(grad_gap, ".1e")
print(
    tr(
        es=f"autograd frente al gradiente a mano, diferencia máx. {grad_text}",
        en=f"autograd vs hand-written gradient, largest difference {grad_text}",
    )
)
claim(
    "autograd_matches",
    grad_gap < 1e-12,
    es="el gradiente de autograd y el escrito a mano difieren en < 1e-12",
    en="autograd's gradient and the hand-written one differ by less than 1e-12",
)

# %% [markdown] lang="es"
# ## El camino sobre la superficie
#
# El sesgo óptimo es 0 (características y objetivo están centrados) {{ claim: bias_zero }}, así que la superficie con el sesgo fijado en 0 es el corte exacto del cuenco que contiene el mínimo. Lanzamos el descenso desde el mismo punto con cuatro tasas de aprendizaje: pequeña, buena, cerca del límite y por encima de él.

# %% [markdown] lang="en"
# ## The path on the surface
#
# The optimal bias is 0 (features and target are centered) {{ claim: bias_zero }}, so the surface with the bias fixed at 0 is the exact slice of the bowl that holds the minimum. We start descent from the same point with four learning rates: small, good, near the limit and above it.

# %%
rates = {
    number(0.05, "g"): 0.05,
    number(0.3, "g"): 0.3,
    tr(es="0,9 × límite", en="0.9 × limit"): 0.9 * limit,
    tr(es="1,05 × límite", en="1.05 × limit"): 1.05 * limit,
}
paths = {}
for name, lr in rates.items():
    paths[name] = gradient_descent_path(X, y, lr=lr, steps=60, start=start)
distances = {}
for name, p in paths.items():
    distances[name] = (p.weights[-1] - w_closed).norm().item()
print(
    align(tr(es="tasa", en="rate"), 8)
    + align(tr(es="ECM tras 60 pasos", en="MSE after 60 steps"), 21)
    + align(tr(es="distancia a w*", en="distance to w*"), 17)
)
for name, p in paths.items():
    print(
        align(number(rates[name], ".3f"), 8)
        + align(number(p.losses[-1].item(), ".4g"), 21)
        + align(number(distances[name], ".4g"), 17)
    )

grid = (torch.linspace(-2.0, 2.5, 121), torch.linspace(-2.0, 2.5, 121))
surface = loss_surface(X, y, torch.zeros(3), axes=(1, 2), grid=grid)
fig, (ax_path, ax_loss) = new_figure(ncols=2, width=5.4, height=4.4)
ax_path.contour(*grid, surface, levels=20, colors="#888888", linewidths=0.8)
for k, (name, p) in enumerate(paths.items()):
    shown = p.weights[:25]  # the first steps; the divergent path soon leaves
    ax_path.plot(
        shown[:, 1],
        shown[:, 2],
        "o-",
        markersize=2.5,
        linewidth=1.2,
        color=PALETTE[k],
        label=f"η = {name}",
    )
    ax_loss.plot(p.losses.clamp(max=1e3), color=PALETTE[k], label=f"η = {name}")
ax_path.plot(
    w_closed[1],
    w_closed[2],
    "*",
    markersize=14,
    color="#222222",
    label=tr(es="w* (ecuaciones normales)", en="w* (normal equations)"),
)
ax_path.set(
    title=tr(es="Superficie de pérdida", en="Loss surface"),
    xlabel="$w_{bmi}$",
    ylabel="$w_{s5}$",
    xlim=(-2.0, 2.5),
    ylim=(-2.0, 2.5),
)
ax_path.legend(fontsize=7.5, loc="lower left")
ax_loss.set_yscale("log")
ax_loss.set(
    title=tr(es="Pérdida por paso", en="Loss per step"),
    xlabel=tr(es="paso", en="step"),
    ylabel=tr(es="ECM (log)", en="MSE (log)"),
)
ax_loss.legend(fontsize=8)
minimum = f"{number(w_closed[1].item(), '.2f')}"
minimum += tr(es="; ", en=", ") + number(w_closed[2].item(), ".2f")
set_alt(
    fig,
    es="Izquierda: curvas de nivel elípticas del ECM sobre los pesos de bmi y "
    f"s5, con el mínimo de las ecuaciones normales en ({minimum}) y cuatro "
    "caminos de descenso de gradiente desde (−1,5; 1,5): con η = 0,05 avanza "
    "despacio, con η = 0,3 llega directo, cerca del límite zigzaguea y por "
    "encima del límite se aleja. Derecha: el ECM por paso en escala "
    "logarítmica, que baja en los tres primeros casos y crece en el último.",
    en="Left: elliptical level curves of the MSE over the bmi and s5 weights, "
    f"with the normal-equations minimum at ({minimum}) and four "
    "gradient-descent paths from (−1.5, 1.5): with η = 0.05 it moves slowly, "
    "with η = 0.3 it goes straight there, near the limit it zigzags and above "
    "the limit it moves away. Right: the MSE per step on a log scale, falling "
    "in the first three cases and growing in the last.",
)

# the error along the steepest direction of the bowl, step by step
steep = torch.linalg.eigh(2.0 / len(X) * X.T @ X).eigenvectors[:, -1]  # (3,)
slice_curvature = curvature(X[:, 1:])  # the bmi-s5 slice: (2,)
near, above = list(paths.values())[2:]
along = (near.weights[:11] - w_closed) @ steep  # (11,)
publish("slice_ratio", (slice_curvature[-1] / slice_curvature[0]).item(), ".1f")
claim(
    "ellipses",
    slice_curvature[-1] > 1.5 * slice_curvature[0],
    es="en el corte bmi–s5 la curvatura mayor es más de 1,5 veces la menor",
    en="in the bmi–s5 slice the largest curvature is over 1.5 × the smallest",
)
claim(
    "small_rate_slow",
    distances[number(0.05, "g")] > 100 * distances[number(0.3, "g")],
    es="tras 60 pasos, con η = 0,05 el camino queda más de 100 veces más lejos "
    "de w* que con η = 0,3, cuyo camino casi ha llegado",
    en="after 60 steps, with η = 0.05 the path is over 100 times further "
    "from w* than with η = 0.3, whose path has all but arrived",
)
alternates = bool((along[1:] * along[:-1] < 0).all())
falls = bool((near.losses[1:] < near.losses[:-1]).all())
claim(
    "near_limit_bounces",
    alternates and falls,
    es="cerca del límite, el error en la dirección empinada cambia de signo en "
    "cada paso mientras la pérdida baja en todos",
    en="near the limit, the error along the steep direction changes sign at "
    "every step while the loss falls at every step",
)
bounces = ((above.weights - w_closed) @ steep).abs()  # (61,)
grows = bool((bounces[1:] > bounces[:-1]).all())
claim(
    "above_limit_diverges",
    grows and above.losses[-1] > 1000 * above.losses[0],
    es="por encima del límite el error en la dirección empinada crece en cada "
    "paso y la pérdida se multiplica por más de 1000",
    en="above the limit the error along the steep direction grows at every "
    "step and the loss grows more than a thousandfold",
)

# %% [markdown] lang="es"
# ## Todas las características: el número de condición
#
# Con las diez características de la tabla el cuenco tiene 11 dimensiones y algunas direcciones son mucho más planas que otras, porque varias medidas en sangre están muy correlacionadas. Usamos la mayor tasa segura razonable, $\eta = 1/\lambda_{\max}$, y medimos cuánto falta para llegar a los pesos de las ecuaciones normales.

# %% [markdown] lang="en"
# ## All the features: the condition number
#
# With the table's ten features the bowl has 11 dimensions and some directions are much flatter than others, because several blood measurements are strongly correlated. We use the largest reasonably safe rate, $\eta = 1/\lambda_{\max}$, and measure how far we still are from the normal-equations weights.

# %%
X_all = design_matrix(table.x_train)  # (331, 11)
w_all = normal_equations(X_all, y)
curv_all = curvature(X_all)
condition = (curv_all[-1] / curv_all[0]).item()
print(
    tr(
        es=f"autovalores de {number(curv_all[0].item(), '.4f')} a "
        f"{number(curv_all[-1].item())} · número de condición "
        f"{number(condition, '.0f')}",
        en=f"eigenvalues from {number(curv_all[0].item(), '.4f')} to "
        f"{number(curv_all[-1].item())} · condition number "
        f"{number(condition, '.0f')}",
    )
)
long_path = gradient_descent_path(
    X_all, y, lr=1 / curv_all[-1].item(), steps=20000, start=torch.zeros(11)
)
optimum = mse(w_all, X_all, y).item()
excess = long_path.losses - optimum  # (20001,)
distance = (long_path.weights - w_all).norm(dim=1)  # (20001,)
print(
    align(tr(es="pasos", en="steps"), 6)
    + align(mse_word, 11)
    + align(tr(es="distancia a w*", en="distance to w*"), 17)
    + align(tr(es="exceso de ECM", en="excess MSE"), 15)
)
for steps in (10, 100, 1000, 5000, 20000):
    print(
        align(str(steps), 6)
        + align(number(long_path.losses[steps].item(), ".6f"), 11)
        + align(number(distance[steps].item(), ".6f"), 17)
        + align(number(excess[steps].item(), ".2e"), 15)
    )
close = int((distance < 0.01 * distance[0]).nonzero()[0].item())
publish("condition", condition, ".0f")
publish("steps_close", close)
publish("excess_share_100", percent(excess[100].item() / excess[0].item(), 1))
distance_share = distance[100].item() / distance[0].item()
publish("distance_share_100", percent(distance_share))
publish("mse_100", long_path.losses[100].item(), ".4f")
publish("optimum", optimum, ".4f")
publish("distance_100", distance[100].item(), ".2f")
claim(
    "condition_hundreds",
    100 < condition < 1000,
    es="con diez características el número de condición está entre 100 y 1000",
    en="with all ten features the condition number is between 100 and 1000",
)
claim(
    "loss_fast_weights_slow",
    excess[100] < 0.01 * excess[0] and distance[100] > 0.3 * distance[0],
    es="tras 100 pasos queda menos del 1 % del exceso de pérdida inicial pero "
    "más del 30 % de la distancia inicial a w*",
    en="after 100 steps less than 1% of the initial excess loss remains but "
    "more than 30% of the initial distance to w*",
)
claim(
    "thousands_of_steps",
    close > 1000,
    es="hacen falta más de 1000 pasos para quedar a menos del 1 % de la "
    "distancia inicial a los pesos exactos",
    en="it takes over 1000 steps to get within 1% of the initial distance",
)
claim(
    "flat_nearly_optimal",
    excess[100] < 0.01 * optimum and distance[100] > 0.3 * w_all.norm(),
    es="tras 100 pasos el ECM está a menos de un 1 % del óptimo con los pesos "
    "a más de un 30 % de |w*| de distancia",
    en="after 100 steps the MSE is within 1% of the optimum with weights more "
    "than 30% of |w*| away",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Las ecuaciones normales, el descenso de gradiente y scikit-learn dan los mismos pesos con dos características ($w_{bmi}$ = {{ value: w_bmi }}, $w_{s5}$ = {{ value: w_s5 }}); la diferencia que queda es del orden del redondeo en coma flotante {{ claim: same_weights }}.
# - Las curvas de nivel son elipses: el cuenco es más empinado en una dirección que en otra (en el corte de `bmi` y `s5`, la curvatura mayor es {{ value: slice_ratio }} veces la menor) {{ claim: ellipses }}. Con $\eta$ pequeña el camino avanza despacio {{ claim: small_rate_slow }}; cerca de $2/\lambda_{\max}$ (aquí {{ value: limit }}) rebota de un lado a otro del valle en la dirección empinada mientras sigue bajando {{ claim: near_limit_bounces }}; por encima del límite cada rebote es mayor que el anterior y la pérdida crece sin freno {{ claim: above_limit_diverges }}.
# - Con las diez características el número de condición es {{ value: condition }} {{ claim: condition_hundreds }}: la pérdida baja deprisa al principio (las direcciones empinadas se resuelven en pocos pasos: tras 100 pasos queda un {{ value: excess_share_100 }} del exceso de pérdida inicial), pero los pesos siguen a un {{ value: distance_share_100 }} de su distancia inicial a la solución exacta {{ claim: loss_fast_weights_slow }} y tardan {{ value: steps_close }} pasos en acercarse a menos del 1 % de ella {{ claim: thousands_of_steps }}, porque en las direcciones planas cada paso avanza muy poco. Por eso, y no por falta de cómputo, la solución cerrada es la preferida para regresiones lineales pequeñas; el descenso de gradiente gana cuando $P$ es tan grande que resolver $X^\top X$ es caro, o cuando el modelo no es lineal.
# - En las direcciones planas se puede llegar a una pérdida casi óptima con pesos todavía distintos de $\mathbf{w}^\ast$: tras 100 pasos el ECM es {{ value: mse_100 }}, frente al óptimo {{ value: optimum }}, con los pesos aún a {{ value: distance_100 }} de $\mathbf{w}^\ast$ {{ claim: flat_nearly_optimal }}. Cuando las características están correlacionadas, pesos muy diferentes predicen casi igual.

# %% [markdown] lang="en"
# ## What to notice
#
# - The normal equations, gradient descent and scikit-learn give the same weights with two features ($w_{bmi}$ = {{ value: w_bmi }}, $w_{s5}$ = {{ value: w_s5 }}); the remaining difference is at the level of floating-point rounding {{ claim: same_weights }}.
# - The level curves are ellipses: the bowl is steeper in one direction than in another (in the `bmi`–`s5` slice, the largest curvature is {{ value: slice_ratio }} times the smallest) {{ claim: ellipses }}. With a small $\eta$ the path moves slowly {{ claim: small_rate_slow }}; near $2/\lambda_{\max}$ (here {{ value: limit }}) it bounces from one side of the valley to the other along the steep direction while still going down {{ claim: near_limit_bounces }}; above the limit every bounce is larger than the last and the loss grows without bound {{ claim: above_limit_diverges }}.
# - With all ten features the condition number is {{ value: condition }} {{ claim: condition_hundreds }}: the loss drops fast at first (steep directions are settled in a few steps: after 100 steps {{ value: excess_share_100 }} of the initial excess loss is left), but the weights are still {{ value: distance_share_100 }} of their initial distance from the exact solution {{ claim: loss_fast_weights_slow }} and take {{ value: steps_close }} steps to get within 1% of it {{ claim: thousands_of_steps }}, because along flat directions each step moves very little. That, not a lack of compute, is why the closed form is preferred for small linear regressions; gradient descent wins when $P$ is so large that solving with $X^\top X$ is expensive, or when the model is not linear.
# - Along flat directions one can reach a nearly optimal loss with weights still different from $\mathbf{w}^\ast$: after 100 steps the MSE is {{ value: mse_100 }}, against the optimum's {{ value: optimum }}, with the weights still {{ value: distance_100 }} away from $\mathbf{w}^\ast$ {{ claim: flat_nearly_optimal }}. When features are correlated, very different weights predict almost the same.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Con dos características, ¿qué tasa de aprendizaje hace que la dirección de $\lambda_{\max}$ se resuelva en un solo paso? Pruébala y mira el camino.
# 2. Demuestra que el descenso de gradiente se detiene exactamente en la solución de las ecuaciones normales (si converge).
# 3. ¿Cuánto baja el número de condición con diez características si quitas `s1` y `s2`, dos medidas de colesterol muy correlacionadas? Calcúlalo.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. With two features, which learning rate settles the direction of $\lambda_{\max}$ in a single step? Try it and look at the path.
# 2. Show that gradient descent stops exactly at the solution of the normal equations (if it converges).
# 3. How much does the condition number with ten features drop if you remove `s1` and `s2`, two strongly correlated cholesterol measurements? Compute it.

# %% [markdown] lang="es" solution="1"
# Con $\eta = 1/\lambda_{\max}$ (aquí {{ value: one_step_lr }}) el factor $1 - \eta\lambda_{\max}$ vale 0: esa componente del error desaparece en el primer paso {{ claim: one_step_settles }} y el camino ya no zigzaguea: va directo por el valle hacia el mínimo y tras 60 pasos queda a {{ value: one_step_distance }} de él {{ claim: one_step_no_zigzag }}.

# %% [markdown] lang="en" solution="1"
# With $\eta = 1/\lambda_{\max}$ (here {{ value: one_step_lr }}) the factor $1 - \eta\lambda_{\max}$ is 0: that component of the error vanishes in the first step {{ claim: one_step_settles }} and the path no longer zigzags: it goes straight down the valley to the minimum and after 60 steps is {{ value: one_step_distance }} away from it {{ claim: one_step_no_zigzag }}.

# %% solution="1"
one_step_lr = 1 / eigenvalues[-1].item()
one_step = gradient_descent_path(X, y, lr=one_step_lr, steps=60, start=start)
along_one = (one_step.weights - w_closed) @ steep  # (61,)
one_step_distance = (one_step.weights[-1] - w_closed).norm().item()
print(
    tr(
        es="error en la dirección empinada: "
        f"{number(along_one[0].item(), '.3f')} al principio, "
        f"{number(along_one[1].item(), '.1e')} tras un paso",
        en="error along the steep direction: "
        f"{number(along_one[0].item(), '.3f')} at the start, "
        f"{number(along_one[1].item(), '.1e')} after one step",
    )
)
print(
    tr(
        es=f"tras 60 pasos: ECM {number(one_step.losses[-1].item(), '.4f')} · "
        f"distancia a w* {number(one_step_distance, '.1e')}",
        en=f"after 60 steps: MSE {number(one_step.losses[-1].item(), '.4f')} · "
        f"distance to w* {number(one_step_distance, '.1e')}",
    )
)
fig, ax = new_figure(width=4.6, height=4.2)
ax.contour(*grid, surface, levels=20, colors="#888888", linewidths=0.8)
for k, (label, shown) in enumerate(
    (
        (tr(es="0,9 × límite", en="0.9 × limit"), near.weights[:25]),
        ("1/λmax", one_step.weights[:25]),
    )
):
    ax.plot(
        shown[:, 1],
        shown[:, 2],
        "o-",
        markersize=2.5,
        linewidth=1.2,
        color=PALETTE[2 + 2 * k],
        label=f"η = {label}",
    )
ax.plot(w_closed[1], w_closed[2], "*", markersize=14, color="#222222")
ax.set(
    title=tr(es="Un paso en el eje empinado", en="One step on the steep axis"),
    xlabel="$w_{bmi}$",
    ylabel="$w_{s5}$",
    xlim=(-2.0, 2.5),
    ylim=(-2.0, 2.5),
)
ax.legend(fontsize=8, loc="lower left")
set_alt(
    fig,
    es="Curvas de nivel del ECM sobre los pesos de bmi y s5 con dos caminos "
    "desde (−1,5; 1,5): con η = 0,9 × límite zigzaguea a través del valle; "
    "con η = 1/λmax el primer paso cae en el eje del valle y el resto avanza "
    "por él, sin rebotes, hasta el mínimo.",
    en="Level curves of the MSE over the bmi and s5 weights with two paths "
    "from (−1.5, 1.5): with η = 0.9 × limit it zigzags across the valley; "
    "with η = 1/λmax the first step lands on the valley's axis and the rest "
    "runs along it, without bouncing, to the minimum.",
)
# the error along the flattest direction, the valley's axis, in the first steps
flat = torch.linalg.eigh(2.0 / len(X) * X.T @ X).eigenvectors[:, 0]  # (3,)
along_valley = (one_step.weights[:26] - w_closed) @ flat  # (26,)
publish("one_step_lr", one_step_lr, ".3f")
publish("one_step_distance", one_step_distance, ".1e")
claim(
    "one_step_settles",
    abs(along_one[1].item()) < 1e-9 * abs(along_one[0].item()),
    es="tras un paso el error en la dirección de λmax es menos de una "
    "milmillonésima del error inicial",
    en="after one step the error along the direction of λmax is below a "
    "billionth of the initial one",
)
claim(
    "one_step_no_zigzag",
    bool((along_valley[1:] * along_valley[:-1] > 0).all())
    and bool((along_valley[1:].abs() < along_valley[:-1].abs()).all())
    and along_one[1:].abs().max() < 1e-9
    and one_step_distance < 1e-6,
    es="con η = 1/λmax el error a lo largo del valle conserva su signo y "
    "encoge en cada paso, el de la dirección empinada no reaparece, y tras "
    "60 pasos queda a menos de 1e-6 del mínimo",
    en="with η = 1/λmax the error along the valley keeps its sign and shrinks "
    "at every step, the one along the steep direction does not come back, "
    "and after 60 steps it is within 1e-6 of the minimum",
)

# %% [markdown] lang="es" solution="2"
# Si $\mathbf{w}_{t+1} = \mathbf{w}_t$, la actualización es nula: $\eta \nabla L(\mathbf{w}_t) = 0$, es decir $\frac{2}{N}X^\top(X\mathbf{w}_t - \mathbf{y}) = 0$, que son exactamente las ecuaciones normales $X^\top X \mathbf{w}_t = X^\top \mathbf{y}$. Como $X^\top X$ es invertible aquí (su autovalor más pequeño es {{ value: smallest_eigenvalue }}, mayor que 0), la solución es única. Numéricamente, el gradiente en $\mathbf{w}^\ast$ tiene norma {{ value: gradient_at_optimum }}, y un paso desde allí no se mueve {{ claim: optimum_is_fixed }}.

# %% [markdown] lang="en" solution="2"
# If $\mathbf{w}_{t+1} = \mathbf{w}_t$, the update is zero: $\eta \nabla L(\mathbf{w}_t) = 0$, that is $\frac{2}{N}X^\top(X\mathbf{w}_t - \mathbf{y}) = 0$, which are exactly the normal equations $X^\top X \mathbf{w}_t = X^\top \mathbf{y}$. Since $X^\top X$ is invertible here (its smallest eigenvalue is {{ value: smallest_eigenvalue }}, above 0), the solution is unique. Numerically, the gradient at $\mathbf{w}^\ast$ has norm {{ value: gradient_at_optimum }}, and a step from there does not move {{ claim: optimum_is_fixed }}.

# %% solution="2"
gradient = 2 / len(X) * X.T @ (X @ w_closed - y)  # (3,)
still = gradient_descent_path(X, y, lr=0.3, steps=1, start=w_closed)
moved = (still.weights[-1] - w_closed).norm().item()
print(
    tr(
        es=f"norma del gradiente en w*: {number(gradient.norm().item(), '.1e')}"
        f" · un paso desde w* se mueve {number(moved, '.1e')}",
        en=f"gradient norm at w*: {number(gradient.norm().item(), '.1e')}"
        f" · one step from w* moves {number(moved, '.1e')}",
    )
)
publish("smallest_eigenvalue", eigenvalues[0].item(), ".2f")
publish("gradient_at_optimum", gradient.norm().item(), ".1e")
claim(
    "optimum_is_fixed",
    eigenvalues[0] > 0 and gradient.norm() < 1e-12 and moved < 1e-12,
    es="X^T X es invertible; gradiente en w* y paso desde w* miden < 1e-12",
    en="X^T X is invertible; gradient at w* and step from w* are below 1e-12",
)

# %% [markdown] lang="es" solution="3"
# Baja de {{ value: condition }} a {{ value: condition_without }} {{ claim: condition_drops }}: sin esas dos columnas casi redundantes desaparece la dirección más plana del cuenco, y el descenso de gradiente, con la misma tasa $1/\lambda_{\max}$, se acerca a menos del 1 % de la distancia inicial a $\mathbf{w}^\ast$ en {{ value: steps_close_without }} pasos en lugar de {{ value: steps_close }} {{ claim: fewer_steps }}.

# %% [markdown] lang="en" solution="3"
# It drops from {{ value: condition }} to {{ value: condition_without }} {{ claim: condition_drops }}: without those two nearly redundant columns the flattest direction of the bowl disappears, and gradient descent, with the same rate $1/\lambda_{\max}$, gets within 1% of the initial distance to $\mathbf{w}^\ast$ in {{ value: steps_close_without }} steps instead of {{ value: steps_close }} {{ claim: fewer_steps }}.

# %% solution="3"
names = table.feature_names
keep = [i for i, name in enumerate(names) if name not in ("s1", "s2")]
X_keep = design_matrix(table.x_train[:, keep])  # (331, 9)
curv_keep = curvature(X_keep)
condition_without = (curv_keep[-1] / curv_keep[0]).item()
w_keep = normal_equations(X_keep, y)
keep_path = gradient_descent_path(
    X_keep,
    y,
    lr=1 / curv_keep[-1].item(),
    steps=2000,
    start=torch.zeros(len(keep) + 1),
)
keep_distance = (keep_path.weights - w_keep).norm(dim=1)  # (2001,)
near_enough = keep_distance < 0.01 * keep_distance[0]  # (2001,)
close_without = int(near_enough.nonzero()[0].item())
print(
    tr(
        es=f"número de condición: {number(condition, '.0f')} con todas, "
        f"{number(condition_without, '.1f')} sin s1 ni s2",
        en=f"condition number: {number(condition, '.0f')} with all, "
        f"{number(condition_without, '.1f')} without s1 and s2",
    )
)
print(
    tr(
        es=f"pasos hasta el 1 % de la distancia inicial: {close} con todas, "
        f"{close_without} sin s1 ni s2",
        en=f"steps to 1% of the initial distance: {close} with all, "
        f"{close_without} without s1 and s2",
    )
)
publish("condition_without", condition_without, ".1f")
publish("steps_close_without", close_without)
claim(
    "condition_drops",
    condition_without < condition / 10,
    es="sin s1 ni s2 el número de condición es menos de la décima parte",
    en="without s1 and s2 the condition number is less than a tenth",
)
claim(
    "fewer_steps",
    close_without < close / 10,
    es="sin s1 ni s2 hacen falta menos de la décima parte de pasos",
    en="without s1 and s2 it takes less than a tenth of the steps",
)
