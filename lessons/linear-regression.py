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
#     - Draw the loss surface of two weights and the path the optimiser follows on it.
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
# We use scikit-learn's *diabetes* table with two standardised features, body-mass index (`bmi`) and a blood measurement (`s5`), to predict disease progression (also standardised). With two weights plus the bias, the surface can be drawn.

# %%
import torch
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
X = design_matrix(table.x_train[:, columns])  # (331, 3): ones, bmi, s5 in float64
y = table.y_train.double()  # (331,)

w_closed = normal_equations(X, y)
eigenvalues = curvature(X)
limit = 2 / eigenvalues[-1].item()
path = gradient_descent_path(X, y, lr=0.3, steps=100, start=torch.tensor([0.0, -1.5, 1.5]))
reference = LinearRegression().fit(table.x_train[:, columns].double().numpy(), y.numpy())

print("                      bias        w_bmi      w_s5     MSE")
print(
    f"normal equations   {w_closed[0]:+.6f}   {w_closed[1]:.6f}   {w_closed[2]:.6f}   {mse(w_closed, X, y):.6f}"
)
print(
    f"gradient descent   {path.weights[-1][0]:+.6f}   {path.weights[-1][1]:.6f}   {path.weights[-1][2]:.6f}   {path.losses[-1]:.6f}"
)
print(
    f"scikit-learn       {reference.intercept_:+.6f}   {reference.coef_[0]:.6f}   {reference.coef_[1]:.6f}"
)
print(
    f"largest difference, descent vs closed form: {(path.weights[-1] - w_closed).abs().max():.1e}"
)
print(
    f"Hessian eigenvalues: {[round(v, 3) for v in eigenvalues.tolist()]} · learning-rate limit 2/λmax = {limit:.3f}"
)

# %% [markdown] lang="es"
# La fórmula del gradiente escrita a mano coincide con la que calcula *autograd*:

# %% [markdown] lang="en"
# The gradient formula written by hand matches the one autograd computes:

# %%
w = torch.tensor([0.1, -0.4, 0.9], dtype=torch.float64, requires_grad=True)
mse(w, X, y).backward()
by_hand = 2 / len(X) * X.T @ (X @ w.detach() - y)
print(
    f"autograd vs hand-written gradient, largest difference: {(w.grad - by_hand).abs().max():.1e}"
)

# %% [markdown] lang="es"
# ## El camino sobre la superficie
#
# El sesgo óptimo es 0 (características y objetivo están centrados), así que la superficie con el sesgo fijado en 0 es el corte exacto del cuenco que contiene el mínimo. Lanzamos el descenso desde el mismo punto con cuatro tasas de aprendizaje: pequeña, buena, cerca del límite y por encima de él.

# %% [markdown] lang="en"
# ## The path on the surface
#
# The optimal bias is 0 (features and target are centred), so the surface with the bias fixed at 0 is the exact slice of the bowl that holds the minimum. We start descent from the same point with four learning rates: small, good, near the limit and above it.

# %%
start = torch.tensor([0.0, -1.5, 1.5])
rates = {
    "0.05": 0.05,
    "0.3": 0.3,
    "0.9 × límite/limit": 0.9 * limit,
    "1.05 × límite/limit": 1.05 * limit,
}
paths = {
    name: gradient_descent_path(X, y, lr=lr, steps=60, start=start) for name, lr in rates.items()
}
print("learning rate        MSE after 60 steps   distance to w*")
for name, p in paths.items():
    distance = (p.weights[-1] - w_closed).norm().item()
    print(f"{rates[name]:13.3f}   {p.losses[-1]:18.4g}   {distance:14.4g}")

grid = (torch.linspace(-2.0, 2.5, 121), torch.linspace(-2.0, 2.5, 121))
surface = loss_surface(X, y, torch.zeros(3), axes=(1, 2), grid=grid)
fig, (ax_path, ax_loss) = new_figure(ncols=2, width=5.4, height=4.4)
ax_path.contour(grid[0], grid[1], surface, levels=20, colors="#888888", linewidths=0.8)
for k, (name, p) in enumerate(paths.items()):
    shown = p.weights[:25]  # the first steps; the divergent path soon leaves the picture
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
    label="w* (ecuaciones normales / normal equations)",
)
ax_path.set(
    title="Superficie de pérdida / Loss surface",
    xlabel="$w_{bmi}$",
    ylabel="$w_{s5}$",
    xlim=(-2.0, 2.5),
    ylim=(-2.0, 2.5),
)
ax_path.legend(fontsize=7.5, loc="lower left")
ax_loss.set_yscale("log")
ax_loss.set(
    title="Pérdida por paso / Loss per step", xlabel="paso / step", ylabel="ECM (log) / MSE (log)"
)
ax_loss.legend(fontsize=8)
set_alt(
    fig,
    es=f"Izquierda: curvas de nivel elípticas del ECM sobre los pesos de bmi y s5, con el mínimo de las ecuaciones normales en ({w_closed[1]:.2f}, {w_closed[2]:.2f}) y cuatro caminos de descenso de gradiente desde (−1,5; 1,5): "
    + "con η = 0,05 avanza despacio, con η = 0,3 llega directo, cerca del límite zigzaguea y por encima del límite se aleja. Derecha: el ECM por paso en escala logarítmica, que baja en los tres primeros casos y crece en el último.",
    en=f"Left: elliptical level curves of the MSE over the bmi and s5 weights, with the normal-equations minimum at ({w_closed[1]:.2f}, {w_closed[2]:.2f}) and four gradient-descent paths from (−1.5, 1.5): "
    + "with η = 0.05 it moves slowly, with η = 0.3 it goes straight there, near the limit it zigzags and above the limit it moves away. Right: the MSE per step on a log scale, falling in the first three cases and growing in the last.",
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
print(
    f"eigenvalues from {curv_all[0]:.4f} to {curv_all[-1]:.3f} · condition number {curv_all[-1] / curv_all[0]:.0f}"
)
long_path = gradient_descent_path(
    X_all, y, lr=1 / curv_all[-1].item(), steps=20000, start=torch.zeros(11)
)
print("steps    MSE        distance to w*   excess MSE over the optimum")
for steps in (10, 100, 1000, 5000, 20000):
    w_step = long_path.weights[steps]
    excess = (long_path.losses[steps] - mse(w_all, X_all, y)).item()
    print(
        f"{steps:5d}   {long_path.losses[steps]:.6f}   {(w_step - w_all).norm():14.6f}   {excess:12.2e}"
    )

# %% [markdown] lang="es"
# ## Qué observar
#
# - Las ecuaciones normales, el descenso de gradiente y scikit-learn dan los mismos pesos con dos características; la diferencia que queda es del orden del redondeo en coma flotante.
# - Las curvas de nivel son elipses: el cuenco es más empinado en una dirección que en otra. Con $\eta$ pequeña el camino avanza despacio; cerca de $2/\lambda_{\max}$ rebota de un lado a otro del valle en la dirección empinada mientras sigue bajando; por encima del límite cada rebote es mayor que el anterior y la pérdida crece sin freno.
# - Con las diez características el número de condición es de cientos: la pérdida baja deprisa al principio (las direcciones empinadas se resuelven en pocos pasos), pero los pesos tardan miles de pasos en acercarse a la solución exacta, porque en las direcciones planas cada paso avanza muy poco. Por eso, y no por falta de cómputo, la solución cerrada es la preferida para regresiones lineales pequeñas; el descenso de gradiente gana cuando $P$ es tan grande que resolver $X^\top X$ es caro, o cuando el modelo no es lineal.
# - En las direcciones planas se puede llegar a una pérdida casi óptima con pesos todavía distintos de $\mathbf{w}^\ast$: cuando las características están correlacionadas, pesos muy diferentes predicen casi igual.

# %% [markdown] lang="en"
# ## What to notice
#
# - The normal equations, gradient descent and scikit-learn give the same weights with two features; the remaining difference is at the level of floating-point rounding.
# - The level curves are ellipses: the bowl is steeper in one direction than in another. With a small $\eta$ the path moves slowly; near $2/\lambda_{\max}$ it bounces from one side of the valley to the other along the steep direction while still going down; above the limit every bounce is larger than the last and the loss grows without bound.
# - With all ten features the condition number is in the hundreds: the loss drops fast at first (steep directions are settled in a few steps), but the weights take thousands of steps to approach the exact solution, because along flat directions each step moves very little. That, not a lack of compute, is why the closed form is preferred for small linear regressions; gradient descent wins when $P$ is so large that solving with $X^\top X$ is expensive, or when the model is not linear.
# - Along flat directions one can reach a nearly optimal loss with weights still different from $\mathbf{w}^\ast$: when features are correlated, very different weights predict almost the same.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Con dos características, ¿qué tasa de aprendizaje hace que la dirección de $\lambda_{\max}$ se resuelva en un solo paso? Pruébala y mira el camino.
# 2. Demuestra que el descenso de gradiente se detiene exactamente en la solución de las ecuaciones normales (si converge).
# 3. ¿Cuánto baja el número de condición con diez características si quitas `s1` y `s2`, dos medidas de colesterol muy correlacionadas? Calcúlalo.
#
# ??? success "Solución 1"
#     Con $\eta = 1/\lambda_{\max}$ el factor $1 - \eta\lambda_{\max}$ vale 0: esa componente del error desaparece en el primer paso y el camino ya no zigzaguea.
#     ```python
#     p = gradient_descent_path(X, y, lr=1 / eigenvalues[-1].item(), steps=60, start=start)
#     print(p.losses[-1].item(), (p.weights[-1] - w_closed).norm().item())
#     ```
#
# ??? success "Solución 2"
#     Si $\mathbf{w}_{t+1} = \mathbf{w}_t$, la actualización es nula: $\eta \nabla L(\mathbf{w}_t) = 0$, es decir $\frac{2}{N}X^\top(X\mathbf{w}_t - \mathbf{y}) = 0$, que son exactamente las ecuaciones normales $X^\top X \mathbf{w}_t = X^\top \mathbf{y}$. Como $X^\top X$ es invertible aquí, la solución es única.
#
# ??? success "Solución 3"
#     ```python
#     keep = [i for i, name in enumerate(table.feature_names) if name not in ("s1", "s2")]
#     c = curvature(design_matrix(table.x_train[:, keep]))
#     print((c[-1] / c[0]).item())
#     ```
#     Baja mucho: sin esas dos columnas casi redundantes desaparece la dirección más plana del cuenco, y el descenso de gradiente necesitaría muchos menos pasos.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. With two features, which learning rate settles the direction of $\lambda_{\max}$ in a single step? Try it and look at the path.
# 2. Show that gradient descent stops exactly at the solution of the normal equations (if it converges).
# 3. How much does the condition number with ten features drop if you remove `s1` and `s2`, two strongly correlated cholesterol measurements? Compute it.
#
# ??? success "Solution 1"
#     With $\eta = 1/\lambda_{\max}$ the factor $1 - \eta\lambda_{\max}$ is 0: that component of the error vanishes in the first step and the path no longer zigzags.
#     ```python
#     p = gradient_descent_path(X, y, lr=1 / eigenvalues[-1].item(), steps=60, start=start)
#     print(p.losses[-1].item(), (p.weights[-1] - w_closed).norm().item())
#     ```
#
# ??? success "Solution 2"
#     If $\mathbf{w}_{t+1} = \mathbf{w}_t$, the update is zero: $\eta \nabla L(\mathbf{w}_t) = 0$, that is $\frac{2}{N}X^\top(X\mathbf{w}_t - \mathbf{y}) = 0$, which are exactly the normal equations $X^\top X \mathbf{w}_t = X^\top \mathbf{y}$. Since $X^\top X$ is invertible here, the solution is unique.
#
# ??? success "Solution 3"
#     ```python
#     keep = [i for i, name in enumerate(table.feature_names) if name not in ("s1", "s2")]
#     c = curvature(design_matrix(table.x_train[:, keep]))
#     print((c[-1] / c[0]).item())
#     ```
#     It drops a lot: without those two nearly redundant columns the flattest direction of the bowl disappears, and gradient descent would need far fewer steps.
