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
#     - Write an artificial neuron as $\hat y = f(\mathbf{w}^\top \mathbf{x} + b)$ and recognize each piece in `torch.nn.Linear`.
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
# El conjunto *diabetes* viene incluido en scikit-learn (no hace falta red): {{ value: n_patients }} pacientes, {{ value: n_features }} medidas clínicas (edad, sexo, índice de masa corporal `bmi`, presión arterial `bp` y seis análisis de sangre `s1`…`s6`) y, como objetivo, una medida de la progresión de la enfermedad un año después. Estandarizamos entradas y objetivo con la media y la desviación típica del conjunto de entrenamiento, así que cada peso se lee como «cuántas desviaciones típicas cambia la progresión cuando esta medida sube una desviación típica».

# %% [markdown] lang="en"
# ## The data
#
# The *diabetes* set ships with scikit-learn (no network needed): {{ value: n_patients }} patients, {{ value: n_features }} clinical measurements (age, sex, body-mass index `bmi`, blood pressure `bp` and six blood tests `s1`…`s6`) and, as the target, a measure of disease progression one year later. We standardize inputs and target with the training split's mean and standard deviation, so each weight reads as "how many standard deviations progression moves when this measurement rises by one standard deviation".

# %%
import torch
from dlcourse.bilingual import claim, number, percent, publish, tr
from dlcourse.data.tables import load_table
from dlcourse.models import SingleNeuron, count_parameters
from dlcourse.plotting import new_figure, set_alt
from dlcourse.runtime import pick_device, seed_all
from dlcourse.training import gradient_descent
from torch import nn

seed_all(0)
device = pick_device()
table = load_table("diabetes", standardize_target=True)
# (331, 10), (331,)
x_train, y_train = table.x_train.to(device), table.y_train.to(device)
# (111, 10), (111,)
x_val, y_val = table.x_val.to(device), table.y_val.to(device)
train_word = tr(es="entrenamiento", en="train")
val_word = tr(es="validación", en="validation")
print(f"{tr(es='dispositivo', en='device')}: {device.type}")
print(f"{train_word}: {tuple(x_train.shape)}  {val_word}: {tuple(x_val.shape)}")
print(f"{tr(es='medidas', en='features')}:", ", ".join(table.feature_names))
publish("n_patients", len(x_train) + len(x_val))
publish("n_features", table.n_features)
publish("n_train", len(x_train))


def r_squared(predicted: torch.Tensor, target: torch.Tensor) -> float:
    """Share of the target's variance the predictions explain (1 is perfect)."""
    residual = predicted - target  # (N,)
    return 1 - (residual.pow(2).mean() / target.var(unbiased=False)).item()


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
with torch.no_grad():
    r2_1d = r_squared(neuron_1d(x_val[:, [bmi]]), y_val)
mse_word = tr(es="ECM", en="MSE")
print(
    tr(es="aprendido: progresión", en="learned: progression")
    + f" ≈ {number(w)} · bmi {number(b, '+.3f')}"
)
print(
    f"{mse_word} {train_word} {number(history_1d.train_loss[-1])} · "
    f"{val_word} {number(history_1d.val_loss[-1])} · "
    f"R² {val_word} {number(r2_1d)}"
)
publish("r2_1d", r2_1d, ".2f")
claim(
    "line_rises",
    w > 0,
    es="la recta aprendida sube con el índice de masa corporal",
    en="the learned line rises with body-mass index",
)
claim(
    "one_input_partial",
    0 < r2_1d < 0.5,
    es="con una entrada, el R² de validación queda entre 0 y 0,5",
    en="with one input, the validation R² stays between 0 and 0.5",
)

# %%
fig, (ax_fit, ax_loss) = new_figure(ncols=2, width=5.2)
ax_fit.scatter(
    x_train[:, bmi].cpu(), y_train.cpu(), s=12, alpha=0.5, label=train_word
)
grid = torch.linspace(-2.5, 3.5, 50, device=device).unsqueeze(1)  # (50, 1)
with torch.no_grad():
    neuron_line = neuron_1d(grid).cpu()  # (50, 1)
ax_fit.plot(
    grid.squeeze(1).cpu(),
    neuron_line,
    color="#D55E00",
    label=tr(es="neurona", en="neuron"),
)
ax_fit.set(
    title=tr(es="Ajuste con una entrada", en="One-input fit"),
    xlabel=tr(es="bmi (estandarizado)", en="bmi (standardized)"),
    ylabel=tr(es="progresión", en="progression"),
)
ax_fit.legend()
ax_loss.plot(history_1d.train_loss, label=train_word)
ax_loss.plot(history_1d.val_loss, label=val_word)
ax_loss.set(
    title=tr(es="Pérdida (ECM)", en="Loss (MSE)"),
    xlabel=tr(es="paso", en="step"),
    ylabel=mse_word,
)
ax_loss.legend()
set_alt(
    fig,
    es="Izquierda: nube de pacientes con la recta aprendida, que sube con el "
    "índice de masa corporal. Derecha: el error cuadrático medio cae rápido "
    "en los primeros pasos y luego se estabiliza.",
    en="Left: cloud of patients with the learned line, which rises with "
    "body-mass index. Right: the mean squared error drops fast in the first "
    "steps and then levels off.",
)

# %% [markdown] lang="es"
# ## Diez entradas: todas las medidas
#
# Ahora la misma neurona con las diez medidas. Nada cambia en el código salvo `n_inputs`: el vector de pesos pasa de 1 a {{ value: n_features }} componentes.

# %% [markdown] lang="en"
# ## Ten inputs: every measurement
#
# Now the same neuron with all ten measurements. Nothing in the code changes but `n_inputs`: the weight vector grows from 1 to {{ value: n_features }} components.

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
    r2 = r_squared(neuron(x_val), y_val)
print(
    f"{mse_word} {train_word} {number(history.train_loss[-1])} · "
    f"{val_word} {number(history.val_loss[-1])} · R² {val_word} {number(r2)}"
)
weights = neuron.linear.weight.detach().squeeze(0).cpu()  # (10,)
by_size = sorted(
    zip(table.feature_names, weights.tolist(), strict=True),
    key=lambda p: -abs(p[1]),
)
for name, value in by_size:
    print(f"  {name:>4}: {number(value, '+.3f')}")
largest = {name: value for name, value in by_size[:3]}
s1, s2 = table.feature_names.index("s1"), table.feature_names.index("s2")
correlation = torch.corrcoef(x_train[:, [s1, s2]].T.cpu())[0, 1].item()
publish("mse_val_1d", history_1d.val_loss[-1])
publish("mse_val", history.val_loss[-1])
publish("r2", r2, ".2f")
publish("corr_s1_s2", correlation, ".2f")
publish("n_params", count_parameters(neuron))
claim(
    "ten_inputs_better",
    history.val_loss[-1] < history_1d.val_loss[-1] and r2 > r2_1d,
    es="con las diez medidas baja el error de validación y sube el R²",
    en="with all ten measurements the validation error drops and R² rises",
)
claim(
    "bmi_s5_lead",
    largest.get("bmi", 0) > 0 and largest.get("s5", 0) > 0,
    es="bmi y s5 están entre los tres pesos mayores, ambos positivos",
    en="bmi and s5 are among the three largest weights, both positive",
)
claim(
    "s1_s2_correlated",
    correlation > 0.8,
    es="s1 y s2 tienen una correlación mayor que 0,8 en entrenamiento",
    en="s1 and s2 have a correlation above 0.8 on the training split",
)
claim(
    "no_overfitting",
    abs(history.val_loss[-1] - history.train_loss[-1])
    < 0.25 * history.train_loss[-1],
    es="la pérdida final de validación está a menos de un 25 % de la de "
    "entrenamiento",
    en="the final validation loss is within 25% of the training loss",
)

# %%
fig, (ax_w, ax_pred) = new_figure(ncols=2, width=5.2)
order = weights.abs().argsort()
ax_w.barh(
    [table.feature_names[i] for i in order],
    weights[order],
    color=["#0072B2" if v > 0 else "#D55E00" for v in weights[order]],
)
ax_w.set(
    title=tr(es="Pesos aprendidos", en="Learned weights"),
    xlabel=tr(es="peso", en="weight"),
    ylabel=tr(es="medida", en="feature"),
)
with torch.no_grad():
    predicted = neuron(x_val).cpu()
ax_pred.scatter(y_val.cpu(), predicted, s=14, alpha=0.6)
ax_pred.plot([-2.5, 3], [-2.5, 3], color="#555555", linestyle="--", linewidth=1)
ax_pred.set(
    title=tr(es="Validación", en="Validation"),
    xlabel=tr(es="real", en="true"),
    ylabel=tr(es="predicho", en="predicted"),
)
top = ", ".join(table.feature_names[i] for i in order.flip(0)[:3])
set_alt(
    fig,
    es="Izquierda: barras horizontales con los diez pesos; los de mayor "
    f"magnitud son {top}. Derecha: predicción frente a valor real en "
    "validación, dispersa alrededor de la diagonal.",
    en="Left: horizontal bars with the ten weights; the largest in magnitude "
    f"are {top}. Right: prediction against true value on validation, "
    "scattered around the diagonal.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Con una sola entrada, la neurona aprende una recta creciente: a mayor índice de masa corporal, mayor progresión {{ claim: line_rises }}. Pero explica solo una parte de la variación: la nube alrededor de la recta es ancha, y el $R^2$ de validación se queda en {{ value: r2_1d }} {{ claim: one_input_partial }}.
# - Con las diez medidas, el error de validación baja de {{ value: mse_val_1d }} a {{ value: mse_val }} y el $R^2$ sube a {{ value: r2 }} {{ claim: ten_inputs_better }}. Los pesos más grandes en valor absoluto señalan las medidas en las que más se apoya el modelo; `bmi` y `s5` destacan con signo positivo {{ claim: bmi_s5_lead }}.
# - `s1` (colesterol total) y `s2` (LDL) están muy correlacionadas (coeficiente {{ value: corr_s1_s2 }}) {{ claim: s1_s2_correlated }}. A lo largo de esa dirección la pérdida es casi plana, y 200 pasos no bastan para recorrerla: la solución exacta de mínimos cuadrados (ejercicio 2) les da pesos mucho mayores y de signo opuesto. Detenerse antes actúa como una regularización. Un peso no es una causa, y con entradas correlacionadas su lectura individual es frágil.
# - La curva de pérdida de validación sigue a la de entrenamiento {{ claim: no_overfitting }}: un modelo lineal con {{ value: n_params }} parámetros tiene poca capacidad de sobreajustar {{ value: n_train }} ejemplos.

# %% [markdown] lang="en"
# ## What to notice
#
# - With one input, the neuron learns a rising line: the higher the body-mass index, the higher the progression {{ claim: line_rises }}. But it explains only part of the variation: the cloud around the line is wide, and the validation $R^2$ stays at {{ value: r2_1d }} {{ claim: one_input_partial }}.
# - With all ten measurements, the validation error drops from {{ value: mse_val_1d }} to {{ value: mse_val }} and $R^2$ rises to {{ value: r2 }} {{ claim: ten_inputs_better }}. The weights largest in absolute value point to the measurements the model leans on most; `bmi` and `s5` stand out with positive sign {{ claim: bmi_s5_lead }}.
# - `s1` (total cholesterol) and `s2` (LDL) are strongly correlated (coefficient {{ value: corr_s1_s2 }}) {{ claim: s1_s2_correlated }}. Along that direction the loss is almost flat, and 200 steps are not enough to travel it: the exact least-squares solution (exercise 2) gives them much larger weights of opposite sign. Stopping early acts as a regularizer. A weight is not a cause, and with correlated inputs reading one weight alone is fragile.
# - The validation loss curve follows the training one {{ claim: no_overfitting }}: a linear model with {{ value: n_params }} parameters has little capacity to overfit {{ value: n_train }} examples.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Cambia la tasa de aprendizaje de la neurona de diez entradas a `lr=1.0` y luego a `lr=0.001`. ¿Qué le pasa a la pérdida en cada caso?
# 2. Comprueba que la neurona aprende lo mismo que la solución de mínimos cuadrados: calcula $\mathbf{w}$ con `torch.linalg.lstsq` (añade una columna de unos para el sesgo) y compárala con `neuron.linear.weight`.
# 3. Usa `SingleNeuron(n_inputs=10, activation=torch.sigmoid)`. ¿Por qué empeora tanto la pérdida en este problema?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Change the learning rate of the ten-input neuron to `lr=1.0` and then to `lr=0.001`. What happens to the loss in each case?
# 2. Check that the neuron learns the same as the least-squares solution: compute $\mathbf{w}$ with `torch.linalg.lstsq` (add a column of ones for the bias) and compare it with `neuron.linear.weight`.
# 3. Use `SingleNeuron(n_inputs=10, activation=torch.sigmoid)`. Why does the loss get so much worse on this problem?

# %% [markdown] lang="es" solution="1"
# La pérdida cuadrática tiene curvatura constante: su hessiana es $\tfrac{2}{N} X^\top X$ (con una columna de unos para el sesgo). Un paso de descenso de gradiente solo se acerca al mínimo si $\eta$ es menor que $2/\lambda_{\max}$, dos veces la inversa de la mayor curvatura, que aquí vale {{ value: lr_limit }}. Con `lr=1.0`, por encima de ese límite, cada paso amplifica el error y la pérdida crece sin freno (bastan 10 pasos) {{ claim: large_lr_diverges }}. Con `lr=0.001` la pérdida baja, pero tan despacio que tras 200 pasos sigue en {{ value: loss_slow }}, lejos del {{ value: loss_default }} que alcanza `lr=0.1` {{ claim: small_lr_slow }}.

# %% [markdown] lang="en" solution="1"
# The squared loss has constant curvature: its Hessian is $\tfrac{2}{N} X^\top X$ (with a column of ones for the bias). A gradient-descent step only moves toward the minimum if $\eta$ is below $2/\lambda_{\max}$, twice the inverse of the largest curvature, here {{ value: lr_limit }}. With `lr=1.0`, above that limit, each step amplifies the error and the loss grows without bound (10 steps are enough) {{ claim: large_lr_diverges }}. With `lr=0.001` the loss falls, but so slowly that after 200 steps it is still at {{ value: loss_slow }}, far from the {{ value: loss_default }} that `lr=0.1` reaches {{ claim: small_lr_slow }}.

# %% solution="1"
bias_column = torch.ones(len(x_train), 1, device=device)  # (N, 1)
X = torch.cat([x_train, bias_column], dim=1)  # (N, 11)
# (11,), ascending
curvatures = torch.linalg.eigvalsh(2 * X.T @ X / len(X)).cpu()
lr_limit = 2 / curvatures[-1].item()
print(f"2 / λmax = {number(lr_limit, '.2f')}")
losses = {}
for lr, steps in ((1.0, 10), (0.1, 200), (0.001, 200)):
    seed_all(0)
    trial = SingleNeuron(n_inputs=table.n_features).to(device)
    run = gradient_descent(
        trial,
        x_train,
        y_train,
        loss_fn=nn.functional.mse_loss,
        lr=lr,
        epochs=steps,
    )
    losses[lr] = run.train_loss
    print(
        f"lr={number(lr, 'g')}: {mse_word} "
        f"{number(run.train_loss[0], '.3g')} → "
        f"{number(run.train_loss[-1], '.3g')} "
        + tr(es=f"en {steps} pasos", en=f"in {steps} steps")
    )
publish("lr_limit", lr_limit, ".2f")
publish("loss_slow", losses[0.001][-1], ".2f")
publish("loss_default", losses[0.1][-1], ".2f")
claim(
    "large_lr_diverges",
    lr_limit < 1.0 and losses[1.0][-1] > 100 * losses[1.0][0],
    es="con lr=1,0, por encima de 2/λmax, la pérdida se multiplica por más "
    "de 100",
    en="with lr=1.0, above 2/λmax, the loss grows more than a hundredfold",
)
claim(
    "small_lr_slow",
    losses[0.001][-1] > losses[0.1][-1] + 0.1,
    es="con lr=0,001 la pérdida tras 200 pasos supera en más de 0,1 a la de "
    "lr=0,1",
    en="with lr=0.001 the loss after 200 steps is more than 0.1 above lr=0.1's",
)

# %% [markdown] lang="es" solution="2"
# Con la solución exacta, la mayoría de los pesos coinciden con los aprendidos, pero los que más se alejan son los de las medidas correlacionadas ({{ value: most_different }}) {{ claim: correlated_differ }}: la solución exacta da a `s1` un peso de {{ value: exact_s1 }} y a `s2` uno de {{ value: exact_s2 }}, de signos opuestos {{ claim: exact_opposite }}. La curvatura de la pérdida en la dirección que mezcla esas medidas es unas {{ value: curvature_ratio }} veces menor que en la más empinada, y con `lr=0.1` harían falta miles de pasos para llegar: con 5000 pasos la distancia a la solución exacta baja de {{ value: distance_200 }} a {{ value: distance_5000 }} {{ claim: long_run_converges }}.

# %% [markdown] lang="en" solution="2"
# With the exact solution most weights match the learned ones, but those furthest off belong to the correlated measurements ({{ value: most_different }}) {{ claim: correlated_differ }}: the exact solution gives `s1` a weight of {{ value: exact_s1 }} and `s2` one of {{ value: exact_s2 }}, of opposite signs {{ claim: exact_opposite }}. The loss's curvature along the direction that mixes those measurements is some {{ value: curvature_ratio }} times smaller than along the steepest one, and with `lr=0.1` it would take thousands of steps to get there: with 5,000 steps the distance to the exact solution falls from {{ value: distance_200 }} to {{ value: distance_5000 }} {{ claim: long_run_converges }}.

# %% solution="2"
target = y_train.unsqueeze(1).cpu()  # (N, 1)
# (11,): the ten weights, then the bias
exact = torch.linalg.lstsq(X.cpu(), target).solution.squeeze(1)
gap = (exact[:-1] - weights).abs()  # (10,)
print(tr(es="medida  exacta  aprendida", en="feature  exact  learned"))
for i in gap.argsort(descending=True).tolist():
    name = table.feature_names[i]
    print(
        f"  {name:>4}: {number(exact[i].item(), '+.3f')}  "
        f"{number(weights[i].item(), '+.3f')}"
    )
seed_all(0)
patient = SingleNeuron(n_inputs=table.n_features).to(device)
gradient_descent(
    patient,
    x_train,
    y_train,
    loss_fn=nn.functional.mse_loss,
    lr=0.1,
    epochs=5000,
)
long_weights = patient.linear.weight.detach().squeeze(0).cpu()  # (10,)
distance_200 = (weights - exact[:-1]).norm().item()
distance_5000 = (long_weights - exact[:-1]).norm().item()
print(
    tr(es="distancia a la solución exacta", en="distance to the exact solution")
    + ":"
)
print(f"  200 {tr(es='pasos', en='steps')}: {number(distance_200)}")
print(f"  5000 {tr(es='pasos', en='steps')}: {number(distance_5000)}")
furthest = [
    table.feature_names[i] for i in gap.argsort(descending=True)[:3].tolist()
]
publish("most_different", ", ".join(furthest))
publish("exact_s1", exact[s1].item(), "+.2f")
publish("exact_s2", exact[s2].item(), "+.2f")
publish("curvature_ratio", (curvatures[-1] / curvatures[0]).item(), ".0f")
publish("distance_200", distance_200, ".2f")
publish("distance_5000", distance_5000, ".2f")
claim(
    "correlated_differ",
    {"s1", "s2"} <= set(furthest),
    es="s1 y s2 están entre los tres pesos más alejados de la solución exacta",
    en="s1 and s2 are among the three weights furthest from the exact solution",
)
claim(
    "exact_opposite",
    exact[s1].item() * exact[s2].item() < 0,
    es="la solución exacta da a s1 y s2 pesos de signo opuesto",
    en="the exact solution gives s1 and s2 weights of opposite sign",
)
claim(
    "long_run_converges",
    distance_5000 < distance_200 / 2,
    es="con 5000 pasos la distancia a la solución exacta baja a menos de la "
    "mitad",
    en="with 5000 steps the distance to the exact solution falls below half",
)

# %% [markdown] lang="es" solution="3"
# La sigmoide comprime la salida a $(0, 1)$, pero el objetivo estandarizado toma valores negativos y mayores que 1: {{ value: outside_share }} de los pacientes de entrenamiento quedan fuera de ese intervalo. La neurona no puede representarlos, así que su error de validación se queda en {{ value: mse_sigmoid }}, frente al {{ value: mse_val }} de la neurona lineal {{ claim: sigmoid_worse }}. La activación debe corresponder al rango del objetivo: identidad para regresión, sigmoide para probabilidades.

# %% [markdown] lang="en" solution="3"
# The sigmoid squashes the output into $(0, 1)$, but the standardized target takes negative values and values above 1: {{ value: outside_share }} of the training patients fall outside that interval. The neuron cannot represent them, so its validation error stays at {{ value: mse_sigmoid }}, against the linear neuron's {{ value: mse_val }} {{ claim: sigmoid_worse }}. The activation must match the target's range: identity for regression, sigmoid for probabilities.

# %% solution="3"
seed_all(0)
squashed = SingleNeuron(
    n_inputs=table.n_features,
    activation=torch.sigmoid,
).to(device)
squashed_history = gradient_descent(
    squashed,
    x_train,
    y_train,
    loss_fn=nn.functional.mse_loss,
    lr=0.1,
    epochs=200,
    x_val=x_val,
    y_val=y_val,
)
outside = ((y_train < 0) | (y_train > 1)).float().mean().item()
print(
    f"{mse_word} {val_word}: {tr(es='sigmoide', en='sigmoid')} "
    f"{number(squashed_history.val_loss[-1])} · "
    f"{tr(es='lineal', en='linear')} {number(history.val_loss[-1])}"
)
publish("outside_share", percent(outside))
publish("mse_sigmoid", squashed_history.val_loss[-1])
claim(
    "sigmoid_worse",
    squashed_history.val_loss[-1] > history.val_loss[-1],
    es="con sigmoide el error de validación es mayor que con la neurona lineal",
    en="with a sigmoid the validation error is higher than with the linear "
    "neuron",
)
