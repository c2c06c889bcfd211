# ---
# jupyter:
#   lesson:
#     title:
#       es: Una neurona
#       en: A single neuron
#     summary:
#       es: Una unidad lineal ajustada con descenso de gradiente sobre datos clínicos reales; leemos sus pesos.
#       en: A linear unit fitted by gradient descent on real clinical data; we read its weights.
#     order: 1
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Escribir una neurona artificial como $\hat y = f(\mathbf{w}^\top \mathbf{x} + b)$ y reconocer cada pieza en `torch.nn.Linear`.
#     - Ajustar sus pesos con descenso de gradiente escrito a mano y seguir la curva de pérdida.
#     - Interpretar los pesos aprendidos sobre una tabla clínica real (el conjunto *diabetes* de scikit-learn).
#
# Lectura asociada: [resumen de *A Single Neuron*](../readings/single-neuron.md). Referencia de la API: [`dlcourse.models`](../api/models.md) y [`dlcourse.training`](../api/training.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Write an artificial neuron as $\hat y = f(\mathbf{w}^\top \mathbf{x} + b)$ and recognise each piece in `torch.nn.Linear`.
#     - Fit its weights with hand-written gradient descent and follow the loss curve.
#     - Interpret the learned weights on a real clinical table (scikit-learn's *diabetes* set).
#
# Related reading: [summary of *A Single Neuron*](../readings/single-neuron.md). API reference: [`dlcourse.models`](../api/models.md) and [`dlcourse.training`](../api/training.md).

# %% [markdown] lang="es"
# ## La idea
#
# Una neurona recibe un vector de características $\mathbf{x} \in \mathbb{R}^F$, multiplica cada una por un peso, suma un sesgo y aplica una función de activación:
#
# $$
# \hat y = f\Big(\sum_{i=1}^{F} w_i x_i + b\Big) = f(\mathbf{w}^\top \mathbf{x} + b).
# $$
#
# Con la identidad como $f$, la neurona es exactamente una regresión lineal. Para ajustarla medimos el error cuadrático medio sobre los $N$ ejemplos de entrenamiento,
#
# $$
# L(\mathbf{w}, b) = \frac{1}{N} \sum_{n=1}^{N} \big(\hat y_n - y_n\big)^2,
# $$
#
# y movemos los parámetros en contra del gradiente, con una tasa de aprendizaje $\eta$:
#
# $$
# \mathbf{w} \leftarrow \mathbf{w} - \eta\, \frac{\partial L}{\partial \mathbf{w}}, \qquad
# \frac{\partial L}{\partial \mathbf{w}} = \frac{2}{N} \sum_{n=1}^{N} (\hat y_n - y_n)\, \mathbf{x}_n .
# $$
#
# PyTorch calcula ese gradiente por nosotros (`loss.backward()`), pero la actualización la escribimos a mano en [`gradient_descent`](../api/training.md) para que la regla quede a la vista.
#
# Este es el bucle completo, tal como está en `dlcourse.training`:
#
# {{ source: dlcourse.training.gradient_descent }}

# %% [markdown] lang="en"
# ## The idea
#
# A neuron takes a feature vector $\mathbf{x} \in \mathbb{R}^F$, multiplies each feature by a weight, adds a bias and applies an activation function:
#
# $$
# \hat y = f\Big(\sum_{i=1}^{F} w_i x_i + b\Big) = f(\mathbf{w}^\top \mathbf{x} + b).
# $$
#
# With the identity as $f$, the neuron is exactly linear regression. To fit it we measure the mean squared error over the $N$ training examples,
#
# $$
# L(\mathbf{w}, b) = \frac{1}{N} \sum_{n=1}^{N} \big(\hat y_n - y_n\big)^2,
# $$
#
# and move the parameters against the gradient, with a learning rate $\eta$:
#
# $$
# \mathbf{w} \leftarrow \mathbf{w} - \eta\, \frac{\partial L}{\partial \mathbf{w}}, \qquad
# \frac{\partial L}{\partial \mathbf{w}} = \frac{2}{N} \sum_{n=1}^{N} (\hat y_n - y_n)\, \mathbf{x}_n .
# $$
#
# PyTorch computes that gradient for us (`loss.backward()`), but the update itself is written by hand in [`gradient_descent`](../api/training.md) so the rule stays visible.
#
# This is the whole loop, exactly as `dlcourse.training` has it:
#
# {{ source: dlcourse.training.gradient_descent }}

# %% [markdown] lang="es"
# ## Los datos
#
# El conjunto *diabetes* viene incluido en scikit-learn (no hace falta red): 442 pacientes, 10 medidas clínicas (edad, sexo, índice de masa corporal `bmi`, presión arterial `bp` y seis análisis de sangre `s1`…`s6`) y, como objetivo, una medida de la progresión de la enfermedad un año después. Estandarizamos entradas y objetivo con la media y la desviación típica del conjunto de entrenamiento, así que cada peso se lee como «cuántas desviaciones típicas cambia la progresión cuando esta medida sube una desviación típica».

# %% [markdown] lang="en"
# ## The data
#
# The *diabetes* set ships with scikit-learn (no network needed): 442 patients, 10 clinical measurements (age, sex, body-mass index `bmi`, blood pressure `bp` and six blood tests `s1`…`s6`) and, as the target, a measure of disease progression one year later. We standardize inputs and target with the training split's mean and standard deviation, so each weight reads as "how many standard deviations progression moves when this measurement rises by one standard deviation".

# %%
import torch
from dlcourse.data.tables import load_table
from dlcourse.models import SingleNeuron
from dlcourse.plotting import new_figure, set_alt
from dlcourse.runtime import pick_device, seed_all
from dlcourse.training import gradient_descent
from torch import nn

seed_all(0)
device = pick_device()
table = load_table("diabetes", standardize_target=True)
x_train, y_train = table.x_train.to(device), table.y_train.to(device)  # (331, 10), (331,)
x_val, y_val = table.x_val.to(device), table.y_val.to(device)  # (111, 10), (111,)
print(f"device: {device.type}")
print(f"train: {tuple(x_train.shape)}  validation: {tuple(x_val.shape)}")
print("features:", ", ".join(table.feature_names))

# %% [markdown] lang="es"
# ## Una entrada: el índice de masa corporal
#
# Empezamos con una neurona de una sola entrada, `bmi`, para poder dibujar la recta que aprende. Partimos de pesos aleatorios y damos 60 pasos de descenso de gradiente con todo el conjunto de entrenamiento en cada paso.

# %% [markdown] lang="en"
# ## One input: body-mass index
#
# We start with a one-input neuron, `bmi`, so we can draw the line it learns. We start from random weights and take 60 gradient-descent steps, each using the whole training set.

# %%
bmi = table.feature_names.index("bmi")
neuron_1d = SingleNeuron(n_inputs=1).to(device)
history_1d = gradient_descent(
    neuron_1d,
    x_train[:, [bmi]],
    y_train,
    loss_fn=nn.functional.mse_loss,
    lr=0.1,
    epochs=60,
    x_val=x_val[:, [bmi]],
    y_val=y_val,
)
w, b = neuron_1d.linear.weight.item(), neuron_1d.linear.bias.item()
print(f"learned: progression ≈ {w:.3f} · bmi + {b:.3f}")
print(f"MSE train {history_1d.train_loss[-1]:.3f} · validation {history_1d.val_loss[-1]:.3f}")

# %%
fig, (ax_fit, ax_loss) = new_figure(ncols=2, width=5.2)
ax_fit.scatter(x_train[:, bmi].cpu(), y_train.cpu(), s=12, alpha=0.5, label="entrenamiento / train")
grid = torch.linspace(-2.5, 3.5, 50, device=device).unsqueeze(1)  # (50, 1)
with torch.no_grad():
    ax_fit.plot(
        grid.squeeze(1).cpu(), neuron_1d(grid).cpu(), color="#D55E00", label="neurona / neuron"
    )
ax_fit.set(
    title="Ajuste con una entrada / One-input fit",
    xlabel="bmi (estandarizado / standardized)",
    ylabel="progresión / progression",
)
ax_fit.legend()
ax_loss.plot(history_1d.train_loss, label="entrenamiento / train")
ax_loss.plot(history_1d.val_loss, label="validación / validation")
ax_loss.set(title="Pérdida / Loss (MSE)", xlabel="paso / step", ylabel="MSE")
ax_loss.legend()
set_alt(
    fig,
    es="Izquierda: nube de pacientes con la recta aprendida, que sube con el índice de masa corporal. "
    "Derecha: el error cuadrático medio cae rápido en los primeros pasos y luego se estabiliza.",
    en="Left: cloud of patients with the learned line, which rises with body-mass index. "
    "Right: the mean squared error drops fast in the first steps and then levels off.",
)

# %% [markdown] lang="es"
# ## Diez entradas: todas las medidas
#
# Ahora la misma neurona con las diez medidas. Nada cambia en el código salvo `n_inputs`: el vector de pesos pasa de 1 a 10 componentes.

# %% [markdown] lang="en"
# ## Ten inputs: every measurement
#
# Now the same neuron with all ten measurements. Nothing in the code changes but `n_inputs`: the weight vector grows from 1 to 10 components.

# %%
neuron = SingleNeuron(n_inputs=table.n_features).to(device)
history = gradient_descent(
    neuron,
    x_train,
    y_train,
    loss_fn=nn.functional.mse_loss,
    lr=0.1,
    epochs=200,
    x_val=x_val,
    y_val=y_val,
)
with torch.no_grad():
    residual = neuron(x_val) - y_val
    r2 = 1 - residual.pow(2).mean() / y_val.var(unbiased=False)
print(
    f"MSE train {history.train_loss[-1]:.3f} · validation {history.val_loss[-1]:.3f} · R² validation {r2.item():.3f}"
)
weights = neuron.linear.weight.detach().squeeze(0).cpu()  # (10,)
for name, value in sorted(
    zip(table.feature_names, weights.tolist(), strict=True), key=lambda p: -abs(p[1])
):
    print(f"  {name:>4}: {value:+.3f}")

# %%
fig, (ax_w, ax_pred) = new_figure(ncols=2, width=5.2)
order = weights.abs().argsort()
ax_w.barh(
    [table.feature_names[i] for i in order],
    weights[order],
    color=["#0072B2" if v > 0 else "#D55E00" for v in weights[order]],
)
ax_w.set(
    title="Pesos aprendidos / Learned weights", xlabel="peso / weight", ylabel="medida / feature"
)
with torch.no_grad():
    predicted = neuron(x_val).cpu()
ax_pred.scatter(y_val.cpu(), predicted, s=14, alpha=0.6)
ax_pred.plot([-2.5, 3], [-2.5, 3], color="#555555", linestyle="--", linewidth=1)
ax_pred.set(title="Validación / Validation", xlabel="real / true", ylabel="predicho / predicted")
top = ", ".join(table.feature_names[i] for i in order.flip(0)[:3])
set_alt(
    fig,
    es=f"Izquierda: barras horizontales con los diez pesos; los de mayor magnitud son {top}. "
    "Derecha: predicción frente a valor real en validación, dispersa alrededor de la diagonal.",
    en=f"Left: horizontal bars with the ten weights; the largest in magnitude are {top}. "
    "Right: prediction against true value on validation, scattered around the diagonal.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Con una sola entrada, la neurona aprende una recta creciente: a mayor índice de masa corporal, mayor progresión. Pero explica solo una parte de la variación: la nube alrededor de la recta es ancha.
# - Con las diez medidas, el error de validación baja y el $R^2$ sube. Los pesos más grandes en valor absoluto señalan las medidas en las que más se apoya el modelo; `bmi` y `s5` destacan con signo positivo.
# - `s1` (colesterol total) y `s2` (LDL) están muy correlacionadas (≈ 0.89). A lo largo de esa dirección la pérdida es casi plana, y 200 pasos no bastan para recorrerla: la solución exacta de mínimos cuadrados (ejercicio 2) les da pesos mucho mayores y de signo opuesto. Detenerse antes actúa como una regularización. Un peso no es una causa, y con entradas correlacionadas su lectura individual es frágil.
# - La curva de pérdida de validación sigue a la de entrenamiento: un modelo lineal con 11 parámetros tiene poca capacidad de sobreajustar 331 ejemplos.

# %% [markdown] lang="en"
# ## What to notice
#
# - With one input, the neuron learns a rising line: the higher the body-mass index, the higher the progression. But it explains only part of the variation: the cloud around the line is wide.
# - With all ten measurements, the validation error drops and $R^2$ rises. The weights largest in absolute value point to the measurements the model leans on most; `bmi` and `s5` stand out with positive sign.
# - `s1` (total cholesterol) and `s2` (LDL) are strongly correlated (≈ 0.89). Along that direction the loss is almost flat, and 200 steps are not enough to travel it: the exact least-squares solution (exercise 2) gives them much larger weights of opposite sign. Stopping early acts as a regularizer. A weight is not a cause, and with correlated inputs reading one weight alone is fragile.
# - The validation loss curve follows the training one: a linear model with 11 parameters has little capacity to overfit 331 examples.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Cambia la tasa de aprendizaje de la neurona de diez entradas a `lr=1.0` y luego a `lr=0.001`. ¿Qué le pasa a la pérdida en cada caso?
# 2. Comprueba que la neurona aprende lo mismo que la solución de mínimos cuadrados: calcula $\mathbf{w}$ con `torch.linalg.lstsq` (añade una columna de unos para el sesgo) y compárala con `neuron.linear.weight`.
# 3. Usa `SingleNeuron(n_inputs=10, activation=torch.sigmoid)`. ¿Por qué empeora tanto la pérdida en este problema?
#
# ??? success "Solución 1"
#     Con `lr=1.0` los pasos son demasiado grandes: para esta tabla estandarizada, la pérdida oscila o crece en lugar de bajar (aquí diverge cualquier $\eta$ mayor que unos 0.24, dos veces la inversa de la mayor curvatura de la pérdida). Con `lr=0.001` la pérdida baja, pero tan despacio que en 200 pasos queda lejos del mínimo.
#
# ??? success "Solución 2"
#     ```python
#     X = torch.cat([x_train, torch.ones(len(x_train), 1, device=device)], dim=1)  # (N, 11)
#     solution = torch.linalg.lstsq(X.cpu(), y_train.cpu().unsqueeze(1)).solution.squeeze(1)
#     print(solution[:-1], neuron.linear.weight)
#     ```
#     La mayoría de los pesos coinciden en dos decimales, pero `s1`, `s2` y `s5` no: la solución exacta da a `s1` un peso de alrededor de $-0.34$ y a `s2` uno de $+0.16$. La curvatura de la pérdida en la dirección que mezcla esas medidas correlacionadas es unas 400 veces menor que en la más empinada, y con `lr=0.1` harían falta miles de pasos para llegar. Prueba `epochs=5000` y verás cómo se acercan.
#
# ??? success "Solución 3"
#     La sigmoide comprime la salida a $(0, 1)$, pero el objetivo estandarizado toma valores negativos y mayores que 1. La neurona no puede representar esos valores, así que el error nunca baja del de predecir siempre un valor intermedio. La activación debe corresponder al rango del objetivo: identidad para regresión, sigmoide para probabilidades.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Change the learning rate of the ten-input neuron to `lr=1.0` and then to `lr=0.001`. What happens to the loss in each case?
# 2. Check that the neuron learns the same as the least-squares solution: compute $\mathbf{w}$ with `torch.linalg.lstsq` (add a column of ones for the bias) and compare it with `neuron.linear.weight`.
# 3. Use `SingleNeuron(n_inputs=10, activation=torch.sigmoid)`. Why does the loss get so much worse on this problem?
#
# ??? success "Solution 1"
#     With `lr=1.0` the steps are too large: on this standardized table the loss oscillates or grows instead of falling (here any $\eta$ above about 0.24, twice the inverse of the loss's largest curvature, diverges). With `lr=0.001` the loss falls, but so slowly that after 200 steps it is far from the minimum.
#
# ??? success "Solution 2"
#     ```python
#     X = torch.cat([x_train, torch.ones(len(x_train), 1, device=device)], dim=1)  # (N, 11)
#     solution = torch.linalg.lstsq(X.cpu(), y_train.cpu().unsqueeze(1)).solution.squeeze(1)
#     print(solution[:-1], neuron.linear.weight)
#     ```
#     Most weights agree to two decimals, but `s1`, `s2` and `s5` do not: the exact solution gives `s1` a weight of about $-0.34$ and `s2` one of $+0.16$. The loss's curvature along the direction that mixes those correlated measurements is some 400 times smaller than along the steepest one, and with `lr=0.1` it would take thousands of steps to get there. Try `epochs=5000` and watch them converge.
#
# ??? success "Solution 3"
#     The sigmoid squashes the output into $(0, 1)$, but the standardized target takes negative values and values above 1. The neuron cannot represent them, so the error never drops below that of always predicting a middle value. The activation must match the target's range: identity for regression, sigmoid for probabilities.
