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
# We use clouds of points around the four XOR corners (200 for training and 200 for validation) and train three models with the same optimiser (Adam, 500 full-batch steps): a logistic regression, two linear layers **without** an activation between them, and a network with one hidden layer of 8 ReLU units.

# %%
import torch
from dlcourse.lessons.hidden_layers import (
    XOR_CORNERS,
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

xor = xor_points(n_per_corner=50, noise=0.15, seed=0)
models = {}
for name, sizes, activation in (
    ("logistic regression", (2, 1), "relu"),
    ("two linear layers", (2, 8, 1), "identity"),
    ("one hidden ReLU layer", (2, 8, 1), "relu"),
):
    seed_all(0)
    models[name] = mlp(sizes, activation=activation)
    losses = fit_classifier(models[name], xor.x_train, xor.y_train, epochs=500)
    print(
        f"{name:<22} parameters {count_parameters(models[name]):3d} · final loss {losses[-1]:.3f}"
        f" · accuracy train {accuracy(models[name], xor.x_train, xor.y_train):.3f}"
        f" · validation {accuracy(models[name], xor.x_val, xor.y_val):.3f}"
    )
corners = predict_proba(models["one hidden ReLU layer"], XOR_CORNERS)
print(
    "hidden-layer network on the exact corners (0,0) (0,1) (1,0) (1,1):",
    [round(p, 3) for p in corners.tolist()],
)

# %%
fig, axes = new_figure(ncols=3, width=4.0, height=3.8)
titles = {
    "logistic regression": "Lineal / Linear",
    "two linear layers": "Dos lineales / Two linear",
    "one hidden ReLU layer": "Capa oculta / Hidden layer",
}
for ax, (name, model) in zip(axes, models.items(), strict=True):
    plot_decision_boundary(ax, model, xor.x_val, xor.y_val, title=titles[name])
axes[0].legend(loc="upper center", fontsize=8)
scores = [accuracy(m, xor.x_val, xor.y_val) for m in models.values()]
set_alt(
    fig,
    es="Tres mapas de la probabilidad de la clase 1 sobre el plano con los puntos de validación de XOR. "
    + f"La regresión logística y las dos capas lineales trazan como mucho una recta y aciertan {scores[0]:.0%} y {scores[1]:.0%}; "
    + f"la red con capa oculta rodea las esquinas opuestas y acierta {scores[2]:.0%}.",
    en="Three maps of the probability of class 1 over the plane with the XOR validation points. "
    + f"Logistic regression and the two linear layers draw at most a straight line and score {scores[0]:.0%} and {scores[1]:.0%}; "
    + f"the hidden-layer network wraps the opposite corners and scores {scores[2]:.0%}.",
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
print("activation   max derivative   derivative at z=0   derivative at z=4")
at_zero, at_four = 200, 360  # indices of z = 0 and z = 4 in the grid
for name, (_, derivative) in table.items():
    print(
        f"{name:<10} {derivative.max():16.3f} {derivative[at_zero]:19.3f} {derivative[at_four]:19.3f}"
    )

fig, (ax_f, ax_d) = new_figure(ncols=2, width=5.0, height=3.8)
for k, (name, (values, derivative)) in enumerate(table.items()):
    ax_f.plot(z, values, color=PALETTE[k], label=name)
    ax_d.plot(z, derivative, color=PALETTE[k], label=name)
ax_f.set(title="Activación / Activation", xlabel="$z$", ylabel="$f(z)$", ylim=(-1.2, 2.2))
ax_d.set(title="Derivada / Derivative", xlabel="$z$", ylabel="$f'(z)$")
ax_f.legend()
ax_d.legend()
peaks = {name: derivative.max().item() for name, (_, derivative) in table.items()}
set_alt(
    fig,
    es="Izquierda: ReLU, tanh, sigmoide y softmax entre z = −5 y 5. Derecha: sus derivadas. "
    + f"La de ReLU vale 0 o 1; las de tanh y sigmoide tienen un pico en 0 ({peaks['tanh']:.2f} y {peaks['sigmoid']:.2f}) y caen casi a cero en los extremos.",
    en="Left: ReLU, tanh, sigmoid and softmax between z = −5 and 5. Right: their derivatives. "
    + f"ReLU's is 0 or 1; those of tanh and sigmoid peak at 0 ({peaks['tanh']:.2f} and {peaks['sigmoid']:.2f}) and fall almost to zero at the ends.",
)

# %% [markdown] lang="es"
# ## Anchura y profundidad
#
# Ahora un problema más difícil: los dos círculos concéntricos de `make_circles`, con ruido. Entrenamos nueve redes ReLU que combinan 1, 2 o 3 capas ocultas con 2, 8 o 32 unidades por capa, todas con el mismo optimizador y los mismos pasos.

# %% [markdown] lang="en"
# ## Width and depth
#
# Now a harder problem: the two concentric circles of `make_circles`, with noise. We train nine ReLU networks combining 1, 2 or 3 hidden layers with 2, 8 or 32 units per layer, all with the same optimiser and steps.

# %%
circles = sklearn_points("circles", n=400, noise=0.2, seed=0)
DEPTHS, WIDTHS = (1, 2, 3), (2, 8, 32)
grid = {}
print("depth  width  parameters  train acc  validation acc")
for depth in DEPTHS:
    for width in WIDTHS:
        seed_all(0)
        model = mlp((2, *([width] * depth), 1))
        fit_classifier(model, circles.x_train, circles.y_train, epochs=500)
        grid[depth, width] = model
        print(
            f"{depth:5d}  {width:5d}  {count_parameters(model):10d}"
            f"  {accuracy(model, circles.x_train, circles.y_train):9.3f}"
            f"  {accuracy(model, circles.x_val, circles.y_val):14.3f}"
        )

# %%
fig, axes = new_figure(ncols=3, nrows=3, width=3.4, height=3.2)
for (depth, width), ax in zip(grid, axes.flat, strict=True):
    plot_decision_boundary(
        ax, grid[depth, width], circles.x_val, circles.y_val, title=f"{depth} × {width}", steps=120
    )
fig.suptitle("Capas × unidades / Layers × units", fontweight="bold")
val = {key: accuracy(m, circles.x_val, circles.y_val) for key, m in grid.items()}
set_alt(
    fig,
    es="Nueve fronteras de decisión sobre los círculos concéntricos, en filas de 1 a 3 capas ocultas y columnas de 2, 8 y 32 unidades. "
    + f"Con 2 unidades la frontera no llega a cerrarse (exactitud de validación {val[1, 2]:.0%} con una capa); con 8 o 32 rodea el círculo interior ({val[1, 8]:.0%} y {val[1, 32]:.0%}). "
    + f"La red de 3 capas de 2 unidades no aprende nada ({val[3, 2]:.0%}).",
    en="Nine decision boundaries on the concentric circles, in rows of 1 to 3 hidden layers and columns of 2, 8 and 32 units. "
    + f"With 2 units the boundary does not close (validation accuracy {val[1, 2]:.0%} with one layer); with 8 or 32 it wraps the inner circle ({val[1, 8]:.0%} and {val[1, 32]:.0%}). "
    + f"The 3-layer network of 2 units learns nothing ({val[3, 2]:.0%}).",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - La regresión logística y las dos capas lineales se quedan en torno al 50 % en XOR: con una recta, lo mejor posible es acertar dos de las cuatro nubes. Añadir la capa lineal extra solo añade parámetros. La red con una capa oculta ReLU acierta casi todo, y en las esquinas exactas da probabilidades cercanas a 0, 1, 1, 0.
# - La derivada de la sigmoide nunca pasa de 0,25 y la de tanh de 1; ambas son casi cero cuando $|z|$ es grande (saturación). Cada capa sigmoide multiplica el gradiente por un número $\le 0{,}25$, lo que explica por qué las redes profundas de sigmoides aprendían tan despacio. ReLU deja pasar el gradiente entero donde está activa y lo anula donde no.
# - En los círculos, la **anchura** es lo que más importa al principio: con 2 unidades ReLU la frontera está hecha de pocos tramos rectos y no puede cerrarse alrededor del círculo interior; con 8 ya puede.
# - Más profundidad no siempre ayuda: la red de 3 capas de 2 unidades se queda en el 50 %. Con tan pocas unidades por capa, basta con que las ReLU de una capa queden inactivas para todos los puntos para que no pase ningún gradiente (unidades «muertas»). Y la red más grande ajusta el entrenamiento mejor que la validación: el primer aviso de sobreajuste, tema de una lección posterior.

# %% [markdown] lang="en"
# ## What to notice
#
# - Logistic regression and the two linear layers stay around 50 % on XOR: with a straight line the best one can do is get two of the four clouds right. The extra linear layer only adds parameters. The network with one ReLU hidden layer gets almost everything right, and on the exact corners it gives probabilities close to 0, 1, 1, 0.
# - The sigmoid's derivative never exceeds 0.25 and tanh's never exceeds 1; both are nearly zero when $|z|$ is large (saturation). Each sigmoid layer multiplies the gradient by a number $\le 0.25$, which explains why deep sigmoid networks used to learn so slowly. ReLU lets the whole gradient through where it is active and blocks it where it is not.
# - On the circles, **width** matters most at first: with 2 ReLU units the boundary is made of few straight pieces and cannot close around the inner circle; with 8 it can.
# - More depth does not always help: the 3-layer network of 2 units stays at 50 %. With so few units per layer, it is enough for one layer's ReLUs to be inactive for every point for no gradient to pass ("dead" units). And the largest network fits training better than validation: the first sign of overfitting, the topic of a later lesson.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Encuentra a mano pesos de una red con dos unidades ReLU ocultas que resuelva XOR exactamente en las cuatro esquinas. Pista: una unidad que detecte «al menos una encendida» y otra «las dos encendidas».
# 2. Repite la red de XOR con activación sigmoide en la capa oculta (`mlp((2, 8, 1), activation="sigmoid")`). ¿Llega a resolver XOR con los mismos 500 pasos?
# 3. ¿Cuál es la derivada de la sigmoide en función de su propia salida? Compruébalo con `activation_table`.
#
# ??? success "Solución 1"
#     Con $h_1 = \mathrm{ReLU}(x_1 + x_2)$ y $h_2 = \mathrm{ReLU}(x_1 + x_2 - 1)$, la salida $z = h_1 - 2h_2$ vale 0, 1, 1 y 0 en $(0,0)$, $(0,1)$, $(1,0)$ y $(1,1)$: $h_1$ cuenta las entradas encendidas y $h_2$ resta dos veces el exceso cuando están las dos.
#     ```python
#     net = mlp((2, 2, 1))
#     with torch.no_grad():
#         net[0].weight[:] = torch.tensor([[1.0, 1.0], [1.0, 1.0]])
#         net[0].bias[:] = torch.tensor([0.0, -1.0])
#         net[2].weight[:] = torch.tensor([[1.0, -2.0]])
#         net[2].bias[:] = 0.0
#     print(net(XOR_CORNERS).squeeze(1))  # tensor([0., 1., 1., 0.])
#     ```
#
# ??? success "Solución 2"
#     ```python
#     seed_all(0)
#     net = mlp((2, 8, 1), activation="sigmoid")
#     fit_classifier(net, xor.x_train, xor.y_train, epochs=500)
#     print(accuracy(net, xor.x_val, xor.y_val))
#     ```
#     Sí: con Adam y 500 pasos también resuelve XOR. La sigmoide es una no linealidad tan válida como ReLU; lo que la penaliza es su derivada pequeña, que pesa sobre todo cuando se apilan muchas capas.
#
# ??? success "Solución 3"
#     $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$, que es máxima (0,25) cuando $\sigma(z) = 0{,}5$, es decir en $z = 0$.
#     ```python
#     values, derivative = activation_table(z)["sigmoid"]
#     print(torch.allclose(derivative, values * (1 - values), atol=1e-6))  # True
#     ```

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Find by hand the weights of a network with two hidden ReLU units that solves XOR exactly on the four corners. Hint: one unit that detects "at least one on" and another "both on".
# 2. Repeat the XOR network with a sigmoid activation in the hidden layer (`mlp((2, 8, 1), activation="sigmoid")`). Does it solve XOR in the same 500 steps?
# 3. What is the sigmoid's derivative as a function of its own output? Check it with `activation_table`.
#
# ??? success "Solution 1"
#     With $h_1 = \mathrm{ReLU}(x_1 + x_2)$ and $h_2 = \mathrm{ReLU}(x_1 + x_2 - 1)$, the output $z = h_1 - 2h_2$ is 0, 1, 1 and 0 at $(0,0)$, $(0,1)$, $(1,0)$ and $(1,1)$: $h_1$ counts the inputs that are on and $h_2$ subtracts the excess twice when both are.
#     ```python
#     net = mlp((2, 2, 1))
#     with torch.no_grad():
#         net[0].weight[:] = torch.tensor([[1.0, 1.0], [1.0, 1.0]])
#         net[0].bias[:] = torch.tensor([0.0, -1.0])
#         net[2].weight[:] = torch.tensor([[1.0, -2.0]])
#         net[2].bias[:] = 0.0
#     print(net(XOR_CORNERS).squeeze(1))  # tensor([0., 1., 1., 0.])
#     ```
#
# ??? success "Solution 2"
#     ```python
#     seed_all(0)
#     net = mlp((2, 8, 1), activation="sigmoid")
#     fit_classifier(net, xor.x_train, xor.y_train, epochs=500)
#     print(accuracy(net, xor.x_val, xor.y_val))
#     ```
#     Yes: with Adam and 500 steps it solves XOR too. The sigmoid is as valid a non-linearity as ReLU; what holds it back is its small derivative, which matters most when many layers are stacked.
#
# ??? success "Solution 3"
#     $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$, which is largest (0.25) when $\sigma(z) = 0.5$, that is at $z = 0$.
#     ```python
#     values, derivative = activation_table(z)["sigmoid"]
#     print(torch.allclose(derivative, values * (1 - values), atol=1e-6))  # True
#     ```
