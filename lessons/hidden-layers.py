# ---
# jupyter:
#   lesson:
#     title:
#       es: Capas ocultas y funciones de activación
#       en: Hidden layers and activations
#     summary:
#       es: Por qué un modelo lineal no resuelve XOR y una capa oculta sí; las activaciones y sus derivadas; fronteras de decisión al crecer la profundidad y la anchura.
#       en: Why a linear model cannot solve XOR and one hidden layer can; activations and their derivatives; decision boundaries as depth and width grow.
#     order: 3
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Demostrar que ningún modelo lineal separa XOR, y que apilar capas lineales sin activación tampoco.
#     - Resolver XOR con una capa oculta y ver la frontera de decisión que aprende.
#     - Dibujar ReLU, tanh, sigmoide y softmax con sus derivadas (calculadas con *autograd*) y relacionarlas con el flujo del gradiente.
#     - Ver cómo cambian las fronteras de decisión al crecer la anchura y la profundidad de la red.
#
# Lectura asociada: [resumen de *Deep Neural Networks*](../readings/deep-neural-networks.md) y nota de concepto [¿por qué capas ocultas?](../concepts/hidden-layers.md). Lección anterior: [clasificación binaria](binary-classification.md). Referencia de la API: [`dlcourse.lessons.hidden_layers`](../api/lessons/hidden_layers.md), [`dlcourse.models.activations`](../api/models/activations.md) y [`dlcourse.models`](../api/models.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Show that no linear model separates XOR, and that stacking linear layers without an activation does not either.
#     - Solve XOR with one hidden layer and see the decision boundary it learns.
#     - Plot ReLU, tanh, sigmoid and softmax with their derivatives (computed by autograd) and relate them to how the gradient flows.
#     - See how decision boundaries change as the network grows wider and deeper.
#
# Related reading: [summary of *Deep Neural Networks*](../readings/deep-neural-networks.md) and the concept note [why hidden layers?](../concepts/hidden-layers.md). Previous lesson: [binary classification](binary-classification.md). API reference: [`dlcourse.lessons.hidden_layers`](../api/lessons/hidden_layers.md), [`dlcourse.models.activations`](../api/models/activations.md) and [`dlcourse.models`](../api/models.md).

# %% [markdown] lang="es"
# ## La idea
#
# Un clasificador lineal decide con el signo de $z = w_1 x_1 + w_2 x_2 + b$: su frontera es una recta. XOR vale 1 cuando exactamente una de sus dos entradas está encendida. Para separar sus cuatro esquinas con una recta haría falta
#
# $$
# b < 0, \qquad w_1 + b > 0, \qquad w_2 + b > 0, \qquad w_1 + w_2 + b < 0 .
# $$
#
# Sumando la segunda y la tercera, $w_1 + w_2 + 2b > 0$; restando la primera, $w_1 + w_2 + b > -b > 0$, lo que contradice la cuarta. No existe tal recta.
#
# Apilar capas lineales no ayuda, porque su composición sigue siendo lineal: $W_2(W_1\mathbf{x} + \mathbf{b}_1) + \mathbf{b}_2 = (W_2 W_1)\mathbf{x} + (W_2\mathbf{b}_1 + \mathbf{b}_2)$. Lo que cambia las cosas es una **función de activación** no lineal $\sigma$ entre ambas:
#
# $$
# \mathbf{h} = \sigma(W_1 \mathbf{x} + \mathbf{b}_1), \qquad z = \mathbf{w}_2^\top \mathbf{h} + b_2 .
# $$
#
# La capa oculta transforma el plano en un espacio nuevo, $\mathbf{h}$, donde las clases sí se separan con un hiperplano.

# %% [markdown] lang="en"
# ## The idea
#
# A linear classifier decides with the sign of $z = w_1 x_1 + w_2 x_2 + b$: its boundary is a straight line. XOR is 1 when exactly one of its two inputs is on. Separating its four corners with a line would require
#
# $$
# b < 0, \qquad w_1 + b > 0, \qquad w_2 + b > 0, \qquad w_1 + w_2 + b < 0 .
# $$
#
# Adding the second and third, $w_1 + w_2 + 2b > 0$; subtracting the first, $w_1 + w_2 + b > -b > 0$, which contradicts the fourth. No such line exists.
#
# Stacking linear layers does not help, because their composition is still linear: $W_2(W_1\mathbf{x} + \mathbf{b}_1) + \mathbf{b}_2 = (W_2 W_1)\mathbf{x} + (W_2\mathbf{b}_1 + \mathbf{b}_2)$. What changes things is a non-linear **activation function** $\sigma$ between them:
#
# $$
# \mathbf{h} = \sigma(W_1 \mathbf{x} + \mathbf{b}_1), \qquad z = \mathbf{w}_2^\top \mathbf{h} + b_2 .
# $$
#
# The hidden layer maps the plane into a new space, $\mathbf{h}$, where the classes can be separated by a hyperplane.

# %% [markdown] lang="es"
# ## XOR: tres modelos
#
# Usamos nubes de puntos alrededor de las cuatro esquinas de XOR (200 para entrenar y 200 para validar) y entrenamos tres modelos con el mismo optimizador (Adam, 500 pasos con el lote completo): una regresión logística, dos capas lineales **sin** activación entre ellas y una red con una capa oculta de 8 unidades ReLU.

# %% [markdown] lang="en"
# ## XOR: three models
#
# We use clouds of points around the four XOR corners (200 for training and 200 for validation) and train three models with the same optimizer (Adam, 500 full-batch steps): a logistic regression, two linear layers **without** an activation between them, and a network with one hidden layer of 8 ReLU units.

# %%
import math

import torch
from dlcourse.bilingual import align, claim, number, percent, publish, tr
from dlcourse.lessons.hidden_layers import (
    XOR_CORNERS,
    XOR_LABELS,
    accuracy,
    fit_classifier,
    plot_decision_boundary,
    predict_proba,
    sklearn_points,
    xor_points,
)
from dlcourse.models import count_parameters, mlp
from dlcourse.models.activations import activation_table
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all

train_word = tr(es="entrenamiento", en="train")
val_word = tr(es="validación", en="validation")
xor = xor_points(n_per_corner=50, noise=0.15, seed=0)
model_labels = {
    "logistic": tr(es="regresión logística", en="logistic regression"),
    "two_linear": tr(es="dos capas lineales", en="two linear layers"),
    "hidden": tr(es="capa oculta ReLU", en="hidden ReLU layer"),
}
models, final_loss, xor_val = {}, {}, {}
for key, sizes, activation in (
    ("logistic", (2, 1), "relu"),
    ("two_linear", (2, 8, 1), "identity"),
    ("hidden", (2, 8, 1), "relu"),
):
    seed_all(0)
    models[key] = mlp(sizes, activation=activation)
    losses = fit_classifier(models[key], xor.x_train, xor.y_train, epochs=500)
    final_loss[key] = losses[-1]
    xor_val[key] = accuracy(models[key], xor.x_val, xor.y_val)
    n_params = count_parameters(models[key])
    print(
        f"{model_labels[key]}: "
        + tr(es=f"{n_params} parámetros", en=f"{n_params} parameters")
        + f" · {tr(es='pérdida final', en='final loss')} {number(losses[-1])}"
    )
    print(
        f"  {tr(es='exactitud', en='accuracy')}: {train_word} "
        f"{percent(accuracy(models[key], xor.x_train, xor.y_train), 1)}"
        f" · {val_word} {percent(xor_val[key], 1)}"
    )
corners = predict_proba(models["hidden"], XOR_CORNERS)  # (4,)
print(
    tr(
        es="red con capa oculta en (0, 0) (0, 1) (1, 0) (1, 1):\n ",
        en="hidden-layer network on (0, 0) (0, 1) (1, 0) (1, 1):\n ",
    ),
    "  ".join(number(p, ".3f") for p in corners.tolist()),
)
linear_keys = ("logistic", "two_linear")
publish("loss_logistic", final_loss["logistic"])
publish("acc_logistic", percent(xor_val["logistic"], 1))
publish("acc_two_linear", percent(xor_val["two_linear"], 1))
publish("acc_hidden", percent(xor_val["hidden"], 1))
publish("corner_probs", "; ".join(number(p, ".2f") for p in corners.tolist()))
claim(
    "linear_at_chance",
    all(abs(final_loss[k] - math.log(2)) < 0.01 for k in linear_keys)
    and all(xor_val[k] < 0.6 for k in linear_keys),
    es="los dos modelos lineales acaban con una pérdida a menos de 0,01 de "
    "ln 2 y menos de un 60 % de acierto en validación, como quien adivina "
    "al azar",
    en="both linear models end with a loss within 0.01 of ln 2 and under "
    "60% validation accuracy, like guessing at random",
)
n_logistic = count_parameters(models["logistic"])
n_two_linear = count_parameters(models["two_linear"])
claim(
    "extra_layer_useless",
    n_two_linear > n_logistic
    and abs(xor_val["two_linear"] - xor_val["logistic"]) < 0.03
    and abs(final_loss["two_linear"] - final_loss["logistic"]) < 0.01,
    es="las dos capas lineales tienen más parámetros y la misma exactitud "
    "(a menos de 3 puntos) y la misma pérdida (a menos de 0,01) que la "
    "regresión logística",
    en="the two linear layers have more parameters and the same accuracy "
    "(within 3 points) and the same loss (within 0.01) as logistic "
    "regression",
)
publish("params_logistic", n_logistic)
publish("params_two_linear", n_two_linear)
claim(
    "hidden_solves",
    xor_val["hidden"] > 0.95,
    es="la red con capa oculta supera el 95 % de acierto en validación",
    en="the hidden-layer network scores above 95% on validation",
)
claim(
    "corners_right",
    (corners - XOR_LABELS).abs().max() < 0.1,
    es="en las cuatro esquinas, la probabilidad está a menos de 0,1 de XOR",
    en="on the four corners, the probability is within 0.1 of XOR",
)

# %%
fig, axes = new_figure(ncols=3, width=4.0, height=3.8)
titles = {
    "logistic": tr(es="Lineal", en="Linear"),
    "two_linear": tr(es="Dos lineales", en="Two linear"),
    "hidden": tr(es="Capa oculta", en="Hidden layer"),
}
for ax, (key, model) in zip(axes, models.items(), strict=True):
    plot_decision_boundary(ax, model, xor.x_val, xor.y_val, title=titles[key])
axes[0].legend(loc="upper center", fontsize=8)
scores = [percent(xor_val[key]) for key in models]
set_alt(
    fig,
    es="Tres mapas de la probabilidad de la clase 1 sobre el plano con los "
    "puntos de validación de XOR. La regresión logística y las dos capas "
    f"lineales trazan como mucho una recta y aciertan {scores[0]} y "
    f"{scores[1]}; la red con capa oculta rodea las esquinas opuestas y "
    f"acierta {scores[2]}.",
    en="Three maps of the probability of class 1 over the plane with the XOR "
    "validation points. Logistic regression and the two linear layers draw at "
    f"most a straight line and score {scores[0]} and {scores[1]}; the "
    f"hidden-layer network wraps the opposite corners and scores {scores[2]}.",
)

# %% [markdown] lang="es"
# ## Funciones de activación y sus derivadas
#
# Durante la retropropagación, el gradiente que atraviesa una unidad se multiplica por la derivada de su activación. Por eso la forma de la derivada importa tanto como la de la función:
#
# $$
# \mathrm{ReLU}(z) = \max(0, z), \quad
# \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}, \quad
# \sigma(z) = \frac{1}{1 + e^{-z}}, \quad
# \operatorname{softmax}(\mathbf{z})_i = \frac{e^{z_i}}{\sum_j e^{z_j}} .
# $$
#
# Softmax convierte un vector en otro; para dibujarla como curva variamos un logit $z$ y dejamos los otros dos a cero (con dos clases sería exactamente la sigmoide). Las derivadas no las escribimos a mano: las calcula *autograd* con [`elementwise_derivative`](../api/models/activations.md).

# %% [markdown] lang="en"
# ## Activation functions and their derivatives
#
# During backpropagation, the gradient going through a unit is multiplied by the derivative of its activation. That is why the shape of the derivative matters as much as that of the function:
#
# $$
# \mathrm{ReLU}(z) = \max(0, z), \quad
# \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}, \quad
# \sigma(z) = \frac{1}{1 + e^{-z}}, \quad
# \operatorname{softmax}(\mathbf{z})_i = \frac{e^{z_i}}{\sum_j e^{z_j}} .
# $$
#
# Softmax maps a vector to a vector; to draw it as a curve we vary one logit $z$ and keep the other two at zero (with two classes it would be exactly the sigmoid). We do not write the derivatives by hand: autograd computes them with [`elementwise_derivative`](../api/models/activations.md).

# %%
z = torch.linspace(-5, 5, 401)
table = activation_table(z)
names = {
    "relu": "ReLU",
    "tanh": "tanh",
    "sigmoid": tr(es="sigmoide", en="sigmoid"),
    "softmax": "softmax",
}
at_zero, at_four = 200, 360  # indices of z = 0 and z = 4 in the grid
columns = [
    tr(es="derivada máx.", en="max derivative"),
    tr(es="en z = 0", en="at z = 0"),
    tr(es="en z = 4", en="at z = 4"),
]
header = align(tr(es="activación", en="activation"), 10, "<")
print(header + "".join(align(c, 16) for c in columns))
for name, (_, derivative) in table.items():
    row = (derivative.max(), derivative[at_zero], derivative[at_four])
    cells = "".join(align(number(v.item()), 16) for v in row)
    print(align(names[name], 10, "<") + cells)

fig, (ax_f, ax_d) = new_figure(ncols=2, width=5.0, height=3.8)
for k, (name, (values, derivative)) in enumerate(table.items()):
    ax_f.plot(z, values, color=PALETTE[k], label=names[name])
    ax_d.plot(z, derivative, color=PALETTE[k], label=names[name])
ax_f.set(
    title=tr(es="Activación", en="Activation"),
    xlabel="$z$",
    ylabel="$f(z)$",
    ylim=(-1.2, 2.2),
)
derivative_title = tr(es="Derivada", en="Derivative")
ax_d.set(title=derivative_title, xlabel="$z$", ylabel="$f'(z)$")
ax_f.legend()
ax_d.legend()
peaks = {name: d.max().item() for name, (_, d) in table.items()}
at4 = {name: d[at_four].item() for name, (_, d) in table.items()}
tanh_peak = number(peaks["tanh"], ".2f")
sigmoid_peak = number(peaks["sigmoid"], ".2f")
set_alt(
    fig,
    es="Izquierda: ReLU, tanh, sigmoide y softmax entre z = −5 y 5. Derecha: "
    "sus derivadas. La de ReLU vale 0 o 1; las de tanh y sigmoide tienen un "
    "pico en 0 "
    f"({tanh_peak} y {sigmoid_peak}) y caen casi a cero en los extremos.",
    en="Left: ReLU, tanh, sigmoid and softmax between z = −5 and 5. Right: "
    "their derivatives. ReLU's is 0 or 1; those of tanh and sigmoid peak at 0 "
    f"({tanh_peak} and {sigmoid_peak}) and fall almost to zero at the ends.",
)
relu_derivative = table["relu"][1]
publish("sigmoid_peak", peaks["sigmoid"], ".2f")
publish("tanh_peak", peaks["tanh"], ".2f")
publish("tanh_at4", at4["tanh"])
publish("sigmoid_at4", at4["sigmoid"])
claim(
    "derivative_peaks",
    abs(peaks["sigmoid"] - 0.25) < 1e-3 and abs(peaks["tanh"] - 1) < 1e-3,
    es="la derivada de la sigmoide alcanza como máximo 0,25 y la de tanh 1",
    en="the sigmoid's derivative peaks at 0.25 and tanh's at 1",
)
claim(
    "saturation",
    at4["tanh"] < 0.05 and at4["sigmoid"] < 0.05,
    es="en z = 4 las derivadas de tanh y de la sigmoide son menores que 0,05",
    en="at z = 4 the derivatives of tanh and the sigmoid are below 0.05",
)
claim(
    "relu_gate",
    bool(((relu_derivative == 0) | (relu_derivative == 1)).all())
    and bool((relu_derivative[z > 0] == 1).all()),
    es="la derivada de ReLU vale exactamente 1 donde z > 0 y 0 en el resto",
    en="ReLU's derivative is exactly 1 where z > 0 and 0 elsewhere",
)

# %% [markdown] lang="es"
# ## Anchura y profundidad
#
# Ahora un problema más difícil: los dos círculos concéntricos de `make_circles`, con ruido. Entrenamos nueve redes ReLU que combinan 1, 2 o 3 capas ocultas con 2, 8 o 32 unidades por capa, todas con el mismo optimizador y los mismos pasos.

# %% [markdown] lang="en"
# ## Width and depth
#
# Now a harder problem: the two concentric circles of `make_circles`, with noise. We train nine ReLU networks combining 1, 2 or 3 hidden layers with 2, 8 or 32 units per layer, all with the same optimizer and steps.

# %%
circles = sklearn_points("circles", n=400, noise=0.2, seed=0)
DEPTHS, WIDTHS = (1, 2, 3), (2, 8, 32)
grid = {}
headers = [
    tr(es="capas", en="depth"),
    tr(es="unidades", en="width"),
    tr(es="parámetros", en="parameters"),
    tr(es="exact. entr.", en="train acc."),
    tr(es="exact. val.", en="val. acc."),
]
widths = (7, 10, 12, 14, 13)
print("".join(align(h, w) for h, w in zip(headers, widths, strict=True)))
train_acc, val_acc = {}, {}
for depth in DEPTHS:
    for width in WIDTHS:
        seed_all(0)
        model = mlp((2, *([width] * depth), 1))
        fit_classifier(model, circles.x_train, circles.y_train, epochs=500)
        grid[depth, width] = model
        key = depth, width
        train_acc[key] = accuracy(model, circles.x_train, circles.y_train)
        val_acc[key] = accuracy(model, circles.x_val, circles.y_val)
        cells = (
            str(depth),
            str(width),
            str(count_parameters(model)),
            percent(train_acc[depth, width], 1),
            percent(val_acc[depth, width], 1),
        )
        print("".join(align(c, w) for c, w in zip(cells, widths, strict=True)))

# Hidden units of the 3 × 2 network that are zero for every training point.
narrow_deep = grid[3, 2]
hidden = circles.x_train
dead_units = 0
with torch.no_grad():
    for layer in narrow_deep:
        hidden = layer(hidden)
        if isinstance(layer, torch.nn.ReLU):
            dead_units += int((hidden == 0).all(dim=0).sum())
dead_es = f"red 3 × 2: {dead_units} de 6 unidades ocultas a cero"
dead_en = f"3 × 2 network: {dead_units} of 6 hidden units at zero"
print(
    tr(
        es=f"{dead_es} en todos los puntos de entrenamiento",
        en=f"{dead_en} on every training point",
    )
)
for depth, width in ((1, 2), (1, 8), (3, 2)):
    publish(f"val_{depth}x{width}", percent(val_acc[depth, width], 1))
publish("train_3x32", percent(train_acc[3, 32], 1))
publish("val_3x32", percent(val_acc[3, 32], 1))
publish("dead_units", dead_units)
claim(
    "width_matters",
    all(val_acc[d, 2] < val_acc[d, 8] - 0.05 for d in DEPTHS),
    es="a cada profundidad, 2 unidades por capa quedan más de 5 puntos "
    "por debajo de 8 en validación",
    en="at every depth, 2 units per layer trail 8 by over 5 validation points",
)
claim(
    "depth_no_substitute",
    val_acc[3, 2] < val_acc[1, 8] - 0.1,
    es="la red de 3 capas de 2 unidades queda más de 10 puntos por debajo "
    "de una sola capa de 8 en validación",
    en="the 3-layer network of 2 units scores more than 10 points below a "
    "single layer of 8 on validation",
)
claim(
    "dead_units",
    dead_units >= 1,
    es="en la red de 3 × 2 hay al menos una unidad oculta a cero en todos los "
    "puntos de entrenamiento",
    en="the 3 × 2 network has a hidden unit at zero on every training point",
)
claim(
    "largest_overfits",
    train_acc[3, 32] - val_acc[3, 32] > 0.03
    and train_acc[3, 32] - val_acc[3, 32] > train_acc[1, 8] - val_acc[1, 8],
    es="la red de 3 × 32 acierta más de 3 puntos más en entrenamiento que en "
    "validación, una brecha mayor que la de 1 × 8",
    en="the 3 × 32 network scores more than 3 points higher on training "
    "than on validation, a wider gap than 1 × 8's",
)

# %%
fig, axes = new_figure(ncols=3, nrows=3, width=3.4, height=3.2)
for (depth, width), ax in zip(grid, axes.flat, strict=True):
    plot_decision_boundary(
        ax,
        grid[depth, width],
        circles.x_val,
        circles.y_val,
        title=f"{depth} × {width}",
        steps=120,
    )
fig.suptitle(tr(es="Capas × unidades", en="Layers × units"), fontweight="bold")
val = {key: percent(score) for key, score in val_acc.items()}
set_alt(
    fig,
    es="Nueve fronteras de decisión sobre los círculos concéntricos, en filas "
    "de 1 a 3 capas ocultas y columnas de 2, 8 y 32 unidades. Con 2 unidades "
    "la frontera no llega a cerrarse (exactitud de validación "
    f"{val[1, 2]} con una capa); con 8 o 32 rodea el círculo interior "
    f"({val[1, 8]} y {val[1, 32]}). "
    f"La red de 3 capas de 2 unidades se queda en {val[3, 2]}.",
    en="Nine decision boundaries on the concentric circles, in rows of 1 to 3 "
    "hidden layers and columns of 2, 8 and 32 units. With 2 units the boundary "
    f"does not close (validation accuracy {val[1, 2]} with one layer); with 8 "
    f"or 32 it wraps the inner circle ({val[1, 8]} and {val[1, 32]}). The "
    f"3-layer network of 2 units stays at {val[3, 2]}.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - La regresión logística y las dos capas lineales se quedan en {{ value: acc_logistic }} y {{ value: acc_two_linear }} de exactitud de validación en XOR. Con una recta no se pueden acertar las cuatro nubes a la vez, y lo que encuentra el entrenamiento es una probabilidad casi constante de un medio: la pérdida final, {{ value: loss_logistic }}, es prácticamente $\ln 2$, la de adivinar al azar {{ claim: linear_at_chance }}. Añadir la capa lineal extra solo añade parámetros ({{ value: params_two_linear }} frente a {{ value: params_logistic }}) {{ claim: extra_layer_useless }}. La red con una capa oculta ReLU acierta casi todo, {{ value: acc_hidden }} {{ claim: hidden_solves }}, y en las esquinas exactas da probabilidades {{ value: corner_probs }}, cercanas a 0, 1, 1, 0 {{ claim: corners_right }}.
# - La derivada de la sigmoide nunca pasa de {{ value: sigmoid_peak }} y la de tanh de {{ value: tanh_peak }} {{ claim: derivative_peaks }}; ambas son casi cero cuando $|z|$ es grande (saturación): en $z = 4$ valen {{ value: tanh_at4 }} y {{ value: sigmoid_at4 }} {{ claim: saturation }}. Cada capa sigmoide multiplica el gradiente por un número $\le 0{,}25$, lo que explica por qué las redes profundas de sigmoides aprendían tan despacio. ReLU deja pasar el gradiente entero donde está activa y lo anula donde no {{ claim: relu_gate }}.
# - En los círculos, la **anchura** es lo que más importa al principio: con 2 unidades ReLU la frontera está hecha de pocos tramos rectos y no puede cerrarse alrededor del círculo interior ({{ value: val_1x2 }} de exactitud de validación con una capa); con 8 ya puede ({{ value: val_1x8 }}) {{ claim: width_matters }}.
# - Más profundidad no siempre ayuda: la red de 3 capas de 2 unidades se queda en {{ value: val_3x2 }}, muy por debajo de una sola capa de 8 {{ claim: depth_no_substitute }}. Con tan pocas unidades por capa, basta con que las ReLU de una capa queden inactivas para todos los puntos para que no pase ningún gradiente (unidades «muertas»): aquí {{ value: dead_units }} de sus 6 unidades ocultas valen cero en todos los puntos de entrenamiento {{ claim: dead_units }}. Y la red más grande ajusta el entrenamiento ({{ value: train_3x32 }}) mejor que la validación ({{ value: val_3x32 }}) {{ claim: largest_overfits }}: el primer aviso de sobreajuste, tema de una lección posterior.

# %% [markdown] lang="en"
# ## What to notice
#
# - Logistic regression and the two linear layers stay at {{ value: acc_logistic }} and {{ value: acc_two_linear }} validation accuracy on XOR. A straight line cannot get all four clouds right at once, and what training finds is an almost constant probability of one half: the final loss, {{ value: loss_logistic }}, is practically $\ln 2$, that of guessing at random {{ claim: linear_at_chance }}. The extra linear layer only adds parameters ({{ value: params_two_linear }} against {{ value: params_logistic }}) {{ claim: extra_layer_useless }}. The network with one ReLU hidden layer gets almost everything right, {{ value: acc_hidden }} {{ claim: hidden_solves }}, and on the exact corners it gives probabilities {{ value: corner_probs }}, close to 0, 1, 1, 0 {{ claim: corners_right }}.
# - The sigmoid's derivative never exceeds {{ value: sigmoid_peak }} and tanh's never exceeds {{ value: tanh_peak }} {{ claim: derivative_peaks }}; both are nearly zero when $|z|$ is large (saturation): at $z = 4$ they are {{ value: tanh_at4 }} and {{ value: sigmoid_at4 }} {{ claim: saturation }}. Each sigmoid layer multiplies the gradient by a number $\le 0.25$, which explains why deep sigmoid networks used to learn so slowly. ReLU lets the whole gradient through where it is active and blocks it where it is not {{ claim: relu_gate }}.
# - On the circles, **width** matters most at first: with 2 ReLU units the boundary is made of few straight pieces and cannot close around the inner circle ({{ value: val_1x2 }} validation accuracy with one layer); with 8 it can ({{ value: val_1x8 }}) {{ claim: width_matters }}.
# - More depth does not always help: the 3-layer network of 2 units stays at {{ value: val_3x2 }}, far below a single layer of 8 {{ claim: depth_no_substitute }}. With so few units per layer, it is enough for one layer's ReLUs to be inactive for every point for no gradient to pass ("dead" units): here {{ value: dead_units }} of its 6 hidden units are zero on every training point {{ claim: dead_units }}. And the largest network fits training ({{ value: train_3x32 }}) better than validation ({{ value: val_3x32 }}) {{ claim: largest_overfits }}: the first sign of overfitting, the topic of a later lesson.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Encuentra a mano pesos de una red con dos unidades ReLU ocultas que resuelva XOR exactamente en las cuatro esquinas. Pista: una unidad que detecte «al menos una encendida» y otra «las dos encendidas».
# 2. Repite la red de XOR con activación sigmoide en la capa oculta (`mlp((2, 8, 1), activation="sigmoid")`). ¿Llega a resolver XOR con los mismos 500 pasos?
# 3. ¿Cuál es la derivada de la sigmoide en función de su propia salida? Compruébalo con `activation_table`.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Find by hand the weights of a network with two hidden ReLU units that solves XOR exactly on the four corners. Hint: one unit that detects "at least one on" and another "both on".
# 2. Repeat the XOR network with a sigmoid activation in the hidden layer (`mlp((2, 8, 1), activation="sigmoid")`). Does it solve XOR in the same 500 steps?
# 3. What is the sigmoid's derivative as a function of its own output? Check it with `activation_table`.

# %% [markdown] lang="es" solution="1"
# Con $h_1 = \mathrm{ReLU}(x_1 + x_2)$ y $h_2 = \mathrm{ReLU}(x_1 + x_2 - 1)$, la salida $z = h_1 - 2h_2$ vale 0, 1, 1 y 0 en $(0,0)$, $(0,1)$, $(1,0)$ y $(1,1)$ {{ claim: hand_xor }}: $h_1$ cuenta las entradas encendidas y $h_2$ resta dos veces el exceso cuando están las dos.

# %% [markdown] lang="en" solution="1"
# With $h_1 = \mathrm{ReLU}(x_1 + x_2)$ and $h_2 = \mathrm{ReLU}(x_1 + x_2 - 1)$, the output $z = h_1 - 2h_2$ is 0, 1, 1 and 0 at $(0,0)$, $(0,1)$, $(1,0)$ and $(1,1)$ {{ claim: hand_xor }}: $h_1$ counts the inputs that are on and $h_2$ subtracts the excess twice when both are.

# %% solution="1"
net = mlp((2, 2, 1))
with torch.no_grad():
    net[0].weight[:] = torch.tensor([[1.0, 1.0], [1.0, 1.0]])
    net[0].bias[:] = torch.tensor([0.0, -1.0])
    net[2].weight[:] = torch.tensor([[1.0, -2.0]])
    net[2].bias[:] = 0.0
    hand_output = net(XOR_CORNERS).squeeze(1)  # (4,)
print(hand_output)
claim(
    "hand_xor",
    torch.equal(hand_output, XOR_LABELS),
    es="la red con los pesos elegidos a mano da exactamente 0, 1, 1, 0",
    en="the network with the hand-chosen weights gives exactly 0, 1, 1, 0",
)

# %% [markdown] lang="es" solution="2"
# Sí: con Adam y 500 pasos también resuelve XOR, con {{ value: acc_sigmoid }} de exactitud de validación {{ claim: sigmoid_solves }}. La sigmoide es una no linealidad tan válida como ReLU; lo que la penaliza es su derivada pequeña, que pesa sobre todo cuando se apilan muchas capas.

# %% [markdown] lang="en" solution="2"
# Yes: with Adam and 500 steps it solves XOR too, with {{ value: acc_sigmoid }} validation accuracy {{ claim: sigmoid_solves }}. The sigmoid is as valid a non-linearity as ReLU; what holds it back is its small derivative, which matters most when many layers are stacked.

# %% solution="2"
seed_all(0)
sigmoid_net = mlp((2, 8, 1), activation="sigmoid")
fit_classifier(sigmoid_net, xor.x_train, xor.y_train, epochs=500)
sigmoid_acc = accuracy(sigmoid_net, xor.x_val, xor.y_val)
sigmoid_label = tr(es="capa oculta sigmoide", en="sigmoid hidden layer")
val_acc_word = tr(es="exactitud de validación", en="validation accuracy")
print(f"{sigmoid_label}: {val_acc_word} {percent(sigmoid_acc, 1)}")
publish("acc_sigmoid", percent(sigmoid_acc, 1))
claim(
    "sigmoid_solves",
    sigmoid_acc > 0.95,
    es="con capa oculta sigmoide, la exactitud de validación supera el 95 %",
    en="with a sigmoid hidden layer, validation accuracy is above 95%",
)

# %% [markdown] lang="es" solution="3"
# $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$ {{ claim: sigmoid_identity }}, que es máxima ({{ value: sigmoid_peak }}) cuando $\sigma(z) = 0{,}5$, es decir en $z = 0$ {{ claim: sigmoid_peak_at_zero }}.

# %% [markdown] lang="en" solution="3"
# $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$ {{ claim: sigmoid_identity }}, which is largest ({{ value: sigmoid_peak }}) when $\sigma(z) = 0.5$, that is at $z = 0$ {{ claim: sigmoid_peak_at_zero }}.

# %% solution="3"
values, derivative = activation_table(z)["sigmoid"]
identity_holds = torch.allclose(derivative, values * (1 - values), atol=1e-6)
peak_index = derivative.argmax()
argmax_z = round(z[peak_index].item(), 6) + 0.0  # + 0.0 turns -0.0 into 0.0
answer = tr(es="sí", en="yes") if identity_holds else "no"
where = tr(es="en toda la rejilla", en="on the whole grid")
print(f"σ'(z) = σ(z)(1 − σ(z)) {where}: {answer}")
print(tr(es="máximo en z =", en="maximum at z ="), number(argmax_z, ".2f"))
claim(
    "sigmoid_identity",
    identity_holds,
    es="la derivada de autograd coincide con σ(z)(1 − σ(z)) en toda la rejilla",
    en="autograd's derivative matches σ(z)(1 − σ(z)) over the whole grid",
)
claim(
    "sigmoid_peak_at_zero",
    abs(argmax_z) < 1e-6 and abs(values[peak_index].item() - 0.5) < 1e-6,
    es="la derivada de la sigmoide es máxima en z = 0, donde σ(z) = 0,5",
    en="the sigmoid's derivative is largest at z = 0, where σ(z) = 0.5",
)
