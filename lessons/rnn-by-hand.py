# ---
# jupyter:
#   lesson:
#     title:
#       es: Una RNN paso a paso
#       en: An RNN by hand
#     summary:
#       es: La recurrencia de Elman escrita paso a paso sobre las letras de una palabra, sus estados ocultos en un mapa de calor, la comprobación de que nn.RNN da los mismos números y cuánto dura un recuerdo según el radio espectral.
#       en: The Elman recurrence written out step by step over the letters of a word, its hidden states as a heat map, a check that nn.RNN gives the same numbers, and how long a memory lasts depending on the spectral radius.
#     order: 22
#     budget_cpu_s: 90
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Escribir la recurrencia de una red neuronal recurrente (RNN) de Elman con un bucle explícito y seguir su estado oculto letra a letra.
#     - Comprobar que `nn.RNN` de PyTorch, con los mismos pesos, calcula exactamente los mismos estados.
#     - Contar los parámetros y ver por qué no dependen de la longitud de la secuencia.
#     - Medir cuánto tiempo sobrevive en el estado un pequeño cambio de la primera entrada según el radio espectral de $W_{hh}$.
#
# Nota de concepto: [redes neuronales recurrentes](../concepts/recurrent-networks.md). Artículos asociados: notas sobre la [LSTM](../papers/lstm.md) y el [tutorial de LSTM](../papers/lstm-tutorial.md). Las letras se convierten en identificadores como en [Tokenización](tokenization.md); la lección siguiente, [Gradientes que se desvanecen](vanishing-gradients.md), entrena estas redes. Referencia de la API: [`dlcourse.models.rnn`](../api/models/rnn.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Write the recurrence of an Elman recurrent neural network (RNN) as an explicit loop and follow its hidden state letter by letter.
#     - Check that PyTorch's `nn.RNN`, given the same weights, computes exactly the same states.
#     - Count the parameters and see why they do not depend on the length of the sequence.
#     - Measure how long a small change in the first input survives in the state, depending on the spectral radius of $W_{hh}$.
#
# Concept note: [recurrent neural networks](../concepts/recurrent-networks.md). Related papers: notes on the [LSTM](../papers/lstm.md) and the [LSTM tutorial](../papers/lstm-tutorial.md). Letters become ids as in [Tokenization](tokenization.md); the next lesson, [Vanishing gradients](vanishing-gradients.md), trains these networks. API reference: [`dlcourse.models.rnn`](../api/models/rnn.md).

# %% [markdown] lang="es"
# ## La idea
#
# Una RNN lee una secuencia $\mathbf{x}_1, \dots, \mathbf{x}_T$ elemento a elemento y lleva consigo un **estado oculto** $\mathbf{h}_t$ que resume lo leído. La red de Elman (1990, [doi:10.1207/s15516709cog1402_1](https://doi.org/10.1207/s15516709cog1402_1)) lo actualiza con una sola ecuación:
#
# $$
# \mathbf{h}_t = \tanh\!\big(W_{xh}\,\mathbf{x}_t + W_{hh}\,\mathbf{h}_{t-1} + \mathbf{b}\big), \qquad \mathbf{h}_0 = \mathbf{0},
# $$
#
# con $\mathbf{x}_t \in \mathbb{R}^{D}$, $\mathbf{h}_t \in \mathbb{R}^{H}$, $W_{xh} \in \mathbb{R}^{H \times D}$, $W_{hh} \in \mathbb{R}^{H \times H}$ y $\mathbf{b} \in \mathbb{R}^{H}$. Lo esencial es que **las mismas** matrices se usan en todos los pasos.
#
# Para imaginarla, **desenróllala** en el tiempo: dibuja una copia de la celda por cada elemento de la secuencia, en fila. Cada copia recibe desde abajo su entrada $\mathbf{x}_t$ y desde la izquierda el estado $\mathbf{h}_{t-1}$ de la copia anterior, y entrega $\mathbf{h}_t$ hacia la derecha. Así desenrollada, la RNN es una red profunda de $T$ capas en la que todas las capas comparten los pesos. Esa imagen explica tanto su economía (los parámetros no crecen con $T$) como su punto débil, que veremos en la próxima lección: un gradiente que vuelve desde el final tiene que atravesar las $T$ capas.

# %% [markdown] lang="en"
# ## The idea
#
# An RNN reads a sequence $\mathbf{x}_1, \dots, \mathbf{x}_T$ one element at a time and carries a **hidden state** $\mathbf{h}_t$ that summarises what it has read. Elman's network (1990, [doi:10.1207/s15516709cog1402_1](https://doi.org/10.1207/s15516709cog1402_1)) updates it with a single equation:
#
# $$
# \mathbf{h}_t = \tanh\!\big(W_{xh}\,\mathbf{x}_t + W_{hh}\,\mathbf{h}_{t-1} + \mathbf{b}\big), \qquad \mathbf{h}_0 = \mathbf{0},
# $$
#
# with $\mathbf{x}_t \in \mathbb{R}^{D}$, $\mathbf{h}_t \in \mathbb{R}^{H}$, $W_{xh} \in \mathbb{R}^{H \times D}$, $W_{hh} \in \mathbb{R}^{H \times H}$ and $\mathbf{b} \in \mathbb{R}^{H}$. The key point is that **the same** matrices are used at every step.
#
# To picture it, **unroll** it in time: draw one copy of the cell per element of the sequence, in a row. Each copy receives its input $\mathbf{x}_t$ from below and the state $\mathbf{h}_{t-1}$ of the previous copy from the left, and hands $\mathbf{h}_t$ on to the right. Unrolled like this, the RNN is a deep network of $T$ layers in which every layer shares the weights. That picture explains both its economy (the parameters do not grow with $T$) and its weak spot, which we will see in the next lesson: a gradient coming back from the end has to cross all $T$ layers.

# %% [markdown] lang="es"
# ## Una palabra, letra a letra
#
# Nuestra secuencia es la palabra «paralelepípedo»: 14 letras, de las que solo 8 son distintas (la «p» y la «e» aparecen tres veces; la «a» y la «l», dos). Cada letra es un vector *one-hot* de $D = 8$ componentes, y usamos $H = 8$ unidades ocultas con pesos aleatorios (sin entrenar: aquí solo nos interesa la mecánica). Con una entrada *one-hot*, $W_{xh}\mathbf{x}_t$ es simplemente la columna de $W_{xh}$ que corresponde a la letra, lo mismo que hace una capa de incrustación. El primer paso, con $\mathbf{h}_0 = \mathbf{0}$, se reduce a $\mathbf{h}_1 = \tanh(W_{xh}[:, \text{p}] + \mathbf{b})$; lo comprobamos antes de dejar que el bucle haga el resto.
#
# El paso y el bucle son estas dos funciones de `dlcourse.models.rnn`, tal como están en la biblioteca que importa la lección:
#
# {{ source: dlcourse.models.rnn.rnn_step }}
#
# {{ source: dlcourse.models.rnn.rnn_forward }}

# %% [markdown] lang="en"
# ## A word, letter by letter
#
# Our sequence is the Spanish word "paralelepípedo" (parallelepiped): 14 letters, only 8 of them different ("p" and "e" appear three times; "a" and "l", twice). Each letter is a one-hot vector of $D = 8$ components, and we use $H = 8$ hidden units with random weights (untrained: here we only care about the mechanics). With a one-hot input, $W_{xh}\mathbf{x}_t$ is just the column of $W_{xh}$ that belongs to the letter, which is what an embedding layer does. The first step, with $\mathbf{h}_0 = \mathbf{0}$, reduces to $\mathbf{h}_1 = \tanh(W_{xh}[:, \text{p}] + \mathbf{b})$; we check it before letting the loop do the rest.
#
# The step and the loop are these two functions of `dlcourse.models.rnn`, exactly as the library the lesson imports has them:
#
# {{ source: dlcourse.models.rnn.rnn_step }}
#
# {{ source: dlcourse.models.rnn.rnn_forward }}

# %%
import torch
import torch.nn.functional as F
from dlcourse.formatting import decimal_comma
from dlcourse.models.rnn import RNNWeights, rnn_forward, rnn_step, state_perturbation, to_torch_rnn
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all, seeded_generator
from dlcourse.text.tokenizers import Vocabulary, char_tokenize

seed_all(0)
word = "paralelepípedo"
letters = char_tokenize(word)
vocab = Vocabulary.build(letters, specials=())  # 8 letters, the most frequent first
ids = torch.tensor(vocab.encode(letters))  # (T,)
x = F.one_hot(ids, len(vocab)).float()[None]  # (B=1, T=14, D=8)
weights = RNNWeights.random(input_size=len(vocab), hidden_size=8, spectral_radius=0.9, seed=0)
print("vocabulary:", " ".join(vocab.itos))
print("ids of the word:", ids.tolist())
print(
    "shapes: x",
    tuple(x.shape),
    "· W_xh",
    tuple(weights.w_xh.shape),
    "· W_hh",
    tuple(weights.w_hh.shape),
    "· b",
    tuple(weights.b.shape),
)

h0 = torch.zeros(1, weights.hidden_size)
h1 = rnn_step(x[:, 0], h0, weights)  # one step of the recurrence
column = torch.tanh(weights.w_xh[:, vocab.stoi["p"]] + weights.b)
print(f"h_1 equals tanh(column 'p' of W_xh + b): {torch.allclose(h1[0], column)}")

states = rnn_forward(x, weights)[0]  # (T, H): h_1 ... h_T
print("\nt  letter  hidden state h_t (8 units)")
for t, (letter, h) in enumerate(zip(letters, states, strict=True), start=1):
    print(f"{t:2d}  {letter:^6}  " + " ".join(f"{v:+.2f}" for v in h.tolist()))

# %%
p_states = states[ids == vocab.stoi["p"]]  # (3, H): the states right after each "p"
gap = (p_states[:, None] - p_states[None]).abs().amax(dim=(0, 1))  # (H,) largest gap per unit
print(
    "largest difference between the three states after a 'p', per unit:",
    " ".join(f"{v:.2f}" for v in gap.tolist()),
)

fig, ax = new_figure(width=6.8, height=3.6)
image = ax.imshow(states.T, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
ax.grid(False)
ax.set(
    xticks=range(len(letters)),
    xticklabels=letters,
    yticks=range(weights.hidden_size),
    yticklabels=range(1, weights.hidden_size + 1),
    title="Estados ocultos / Hidden states",
    xlabel="letra (paso t) / letter (step t)",
    ylabel="unidad oculta / hidden unit",
)
fig.colorbar(image, ax=ax, shrink=0.9, label="$h_t$")
set_alt(
    fig,
    es="Mapa de calor de 8 filas (unidades ocultas) por 14 columnas (las letras de «paralelepípedo»), en azul los valores negativos y en rojo los positivos, entre −1 y 1. "
    + "Las tres columnas de la «p» se parecen en algunas unidades, como la 3, siempre en torno a −0,7, pero difieren en otras hasta en "
    + decimal_comma(gap.max(), 2)
    + ": el estado depende de la letra actual y de lo leído antes.",
    en="A heat map of 8 rows (hidden units) by 14 columns (the letters of “paralelepípedo”), negative values in blue and positive in red, between −1 and 1. "
    + "The three columns of the letter “p” look alike in some units, such as unit 3, always around −0.7, but differ in others by up to "
    + f"{gap.max():.2f}: the state depends on the current letter and on what was read before.",
)

# %% [markdown] lang="es"
# ## Lo mismo con `nn.RNN`
#
# `nn.RNN` de PyTorch implementa la misma ecuación, con una diferencia de contabilidad: guarda **dos** sesgos, `bias_ih_l0` y `bias_hh_l0`, que simplemente se suman. Copiamos nuestro $\mathbf{b}$ en el primero y ceros en el segundo, ejecutamos la capa y comparamos. `nn.RNN` devuelve dos cosas: `output`, con el estado en cada paso, y `h_n`, con el estado final.

# %% [markdown] lang="en"
# ## The same with `nn.RNN`
#
# PyTorch's `nn.RNN` implements the same equation, with one bookkeeping difference: it keeps **two** biases, `bias_ih_l0` and `bias_hh_l0`, which are simply added. We copy our $\mathbf{b}$ into the first and zeros into the second, run the layer and compare. `nn.RNN` returns two things: `output`, with the state at every step, and `h_n`, with the final state.

# %%
torch_rnn = to_torch_rnn(weights)
with torch.no_grad():
    output, h_n = torch_rnn(x)  # (1, T, H) and (num_layers=1, 1, H)
print("nn.RNN parameters:")
for name, parameter in torch_rnn.named_parameters():
    print(f"  {name:<12} {tuple(parameter.shape)}")
print(
    f"largest |difference| over all {states.numel()} states: {(output[0] - states).abs().max():.1e}"
)
print(f"h_n is the last state: {torch.equal(h_n[0, 0], output[0, -1])}")

n_ours = weights.n_parameters
n_torch = sum(p.numel() for p in torch_rnn.parameters())
H, D = weights.w_xh.shape
print(f"\nparameters, ours: H*D + H*H + H = {H}*{D} + {H}*{H} + {H} = {n_ours}")
print(f"parameters, nn.RNN (one extra bias of {H}): {n_torch}")
generator = seeded_generator(0)
long_ids = torch.randint(0, D, (1, 1000), generator=generator)  # 1000 random letters
long_input = F.one_hot(long_ids, D).float()  # (1, 1000, D)
with torch.no_grad():
    long_output, _ = torch_rnn(long_input)
print(
    f"the same {n_torch} parameters read a sequence of {long_input.shape[1]} steps: output {tuple(long_output.shape)}"
)

# %% [markdown] lang="es"
# ## Cuánto dura un recuerdo
#
# ¿Cuánto tiempo «recuerda» la red su primera entrada? Lo medimos sin entrenar nada: tomamos 64 secuencias de 30 letras al azar, cambiamos un poquito ($\varepsilon = 10^{-3}$) la primera entrada de cada una y seguimos la distancia $\lVert \mathbf{h}'_t - \mathbf{h}_t \rVert$ entre los estados con y sin el cambio. Para un cambio pequeño, la diferencia se propaga por la derivada de la recurrencia,
#
# $$
# \frac{\partial \mathbf{h}_t}{\partial \mathbf{h}_{t-1}} = \operatorname{diag}\!\big(1 - \mathbf{h}_t^{2}\big)\, W_{hh},
# $$
#
# así que en cada paso se multiplica por $W_{hh}$ y por la derivada de tanh, que nunca pasa de 1. Las potencias $W_{hh}^t$ crecen o decrecen como $\rho(W_{hh})^t$, donde el **radio espectral** $\rho(W_{hh})$ es el mayor valor absoluto de sus autovalores: si es menor que 1, tienden a cero de forma exponencial, y la derivada de tanh, que solo puede encoger, no lo remedia. Usamos $H = 32$ unidades y cuatro matrices $W_{hh}$ iguales salvo por la escala. Calculamos en `float64`, porque en `float32` la diferencia entre dos ejecuciones se queda en el ruido de redondeo (hacia $10^{-7}$) mucho antes de apagarse de verdad.

# %% [markdown] lang="en"
# ## How long a memory lasts
#
# How long does the network "remember" its first input? We measure it without training anything: we take 64 sequences of 30 random letters, change the first input of each one a tiny bit ($\varepsilon = 10^{-3}$) and follow the distance $\lVert \mathbf{h}'_t - \mathbf{h}_t \rVert$ between the states with and without the change. For a small change, the difference travels through the derivative of the recurrence,
#
# $$
# \frac{\partial \mathbf{h}_t}{\partial \mathbf{h}_{t-1}} = \operatorname{diag}\!\big(1 - \mathbf{h}_t^{2}\big)\, W_{hh},
# $$
#
# so at every step it is multiplied by $W_{hh}$ and by the derivative of tanh, which never exceeds 1. The powers $W_{hh}^t$ grow or shrink like $\rho(W_{hh})^t$, where the **spectral radius** $\rho(W_{hh})$ is the largest absolute value of its eigenvalues: if it is below 1, they go to zero exponentially, and the derivative of tanh, which can only shrink things, does not make up for it. We use $H = 32$ units and four $W_{hh}$ matrices that are equal up to their scale. We compute in `float64`, because in `float32` the difference between two runs gets stuck at rounding noise (around $10^{-7}$) long before it has really died out.

# %%
sequences = F.one_hot(torch.randint(0, D, (64, 30), generator=generator), D).float()  # (64, 30, D)
radii = [0.5, 0.9, 1.5, 2.0]
traces = {}
for radius in radii:
    memory = RNNWeights.random(D, 32, spectral_radius=radius, seed=1)
    traces[radius] = state_perturbation(sequences, memory, epsilon=1e-3)  # (30,)
shown = [0, 5, 10, 20, 29]
print("||h'_t - h_t|| averaged over 64 sequences")
print("radius" + "".join(f"{f't = {t + 1}':>10}" for t in shown))
for radius, trace in traces.items():
    print(f"{radius:6.1f}" + "".join(f"{trace[t]:10.1e}" for t in shown))
for radius in radii[:2]:
    trace = traces[radius]
    print(
        f"radius {radius}: the change shrinks by a factor {(trace[-1] / trace[0]) ** (1 / 29):.2f} per step on average"
    )

# %%
fig, ax = new_figure(width=6.0, height=3.8)
steps = torch.arange(1, 31)
for k, (radius, trace) in enumerate(traces.items()):
    ax.plot(steps, trace, "o-", markersize=3, color=PALETTE[k], label=f"ρ = {radius}")
ax.set_yscale("log")
ax.set(
    title="Memoria de un cambio en t = 1 / Memory of a change at t = 1",
    xlabel="paso t / step t",
    ylabel="$\\|h'_t - h_t\\|$ (log)",
)
ax.legend(title="radio espectral / spectral radius", ncols=2)
set_alt(
    fig,
    es="Distancia entre los estados con y sin un cambio pequeño en la primera entrada, en escala logarítmica, a lo largo de 30 pasos y para cuatro radios espectrales. "
    + f"Todas empiezan en {traces[0.5][0]:.0e}. Con radio 0,5 cae en línea recta hasta {traces[0.5][-1]:.0e}, con 0,9 cae más despacio hasta {traces[0.9][-1]:.0e}, con 1,5 se mantiene en torno a {traces[1.5][-1]:.0e} y con 2 crece hasta "
    + f"{traces[2.0][-1]:.1f}.".replace(".", ",", 1),
    en="Distance between the states with and without a small change in the first input, on a log scale, over 30 steps and for four spectral radii. "
    + f"All start at {traces[0.5][0]:.0e}. With radius 0.5 it falls in a straight line down to {traces[0.5][-1]:.0e}, with 0.9 it falls more slowly to {traces[0.9][-1]:.0e}, with 1.5 it stays around {traces[1.5][-1]:.0e} and with 2 it grows to {traces[2.0][-1]:.1f}.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Nuestro bucle y `nn.RNN` dan los mismos 14 estados (112 números) con una diferencia máxima de $6 \cdot 10^{-8}$, el redondeo de `float32`: no hay nada oculto en la capa de PyTorch, es esta ecuación con un bucle más rápido.
# - El estado depende de la historia y no solo de la letra actual. Tras cada una de las tres «p», la unidad 3 vale entre −0,64 y −0,77 (manda la letra), pero otras unidades cambian mucho, hasta 0,73 en la 8: la primera «p» llega con el estado inicial a cero y las otras dos con todo lo leído antes.
# - La capa tiene 144 parámetros (nuestros 136 más el segundo sesgo de PyTorch) tanto para las 14 letras de «paralelepípedo» como para una secuencia de mil pasos.
# - Con radio espectral 0,5, un cambio en la primera entrada pierde unos diez órdenes de magnitud en 30 pasos (de $4{,}9 \cdot 10^{-3}$ a $9 \cdot 10^{-14}$); con 0,9 también se apaga, más despacio. Por paso se encoge por 0,43 y 0,72, algo más que el propio radio, porque la derivada de tanh añade un factor menor que 1. Con radio 1,5 el cambio conserva su tamaño durante los 30 pasos y con 2 crece hasta 0,33: la red es muy sensible a su pasado, y un gradiente que recorriera ese camino hacia atrás tampoco se apagaría (podría incluso explotar). Esta misma derivada, leída hacia atrás, es la que transporta el gradiente en la [próxima lección](vanishing-gradients.md).

# %% [markdown] lang="en"
# ## What to notice
#
# - Our loop and `nn.RNN` give the same 14 states (112 numbers) with a largest difference of $6 \cdot 10^{-8}$, `float32` rounding: there is nothing hidden in PyTorch's layer, it is this equation with a faster loop.
# - The state depends on the history and not only on the current letter. After each of the three "p"s, unit 3 lies between −0.64 and −0.77 (the letter is in charge), but other units change a lot, by up to 0.73 in unit 8: the first "p" arrives with the initial state at zero and the other two with everything read before.
# - The layer has 144 parameters (our 136 plus PyTorch's second bias) both for the 14 letters of "paralelepípedo" and for a sequence of a thousand steps.
# - With spectral radius 0.5, a change in the first input loses about ten orders of magnitude in 30 steps (from $4.9 \cdot 10^{-3}$ to $9 \cdot 10^{-14}$); with 0.9 it also dies out, more slowly. Per step it shrinks by 0.43 and 0.72, somewhat more than the radius itself, because the derivative of tanh adds a factor below 1. With radius 1.5 the change keeps its size for all 30 steps and with 2 it grows to 0.33: the network is very sensitive to its past, and a gradient travelling that path backwards would not die out either (it could even explode). This same derivative, read backwards, is what carries the gradient in the [next lesson](vanishing-gradients.md).

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Cuántos parámetros tiene `nn.RNN(8, 8, num_layers=2)`? La segunda capa recibe como entrada los estados de la primera.
# 2. «pared» y «padre» tienen las mismas letras. ¿Dan el mismo estado final con nuestros pesos? Compruébalo y explica qué significa.
# 3. Con radio espectral 0,5, el cambio se encoge en promedio por un factor 0,43 en cada paso. ¿Por qué no exactamente 0,5?
#
# ??? success "Solución 1"
#     Cada capa tiene $8 \cdot 8 + 8 \cdot 8 + 2 \cdot 8 = 144$ parámetros: la primera recibe letras de 8 componentes y la segunda, estados de 8 componentes. En total, 288:
#     ```python
#     print(sum(p.numel() for p in torch.nn.RNN(8, 8, num_layers=2).parameters()))  # 288
#     ```
#
# ??? success "Solución 2"
#     ```python
#     def final_state(text):
#         one_hot = F.one_hot(torch.tensor(vocab.encode(char_tokenize(text))), len(vocab)).float()
#         return rnn_forward(one_hot[None], weights)[0, -1]
#
#     print((final_state("pared") - final_state("padre")).abs().max())  # 1.28
#     ```
#     Los estados finales son muy distintos (una unidad cambia en 1,28): la RNN es sensible al **orden**. Un modelo que solo sumara las letras (una bolsa de letras) no podría distinguir las dos palabras.
#
# ??? success "Solución 3"
#     El radio espectral describe cómo crecen las potencias $W_{hh}^t$, pero en cada paso el cambio se multiplica además por $\operatorname{diag}(1 - \mathbf{h}_t^2)$, cuyos elementos están entre 0 y 1. Como las unidades no están en cero, la derivada de tanh es menor que 1 y el factor total por paso queda por debajo del radio.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. How many parameters does `nn.RNN(8, 8, num_layers=2)` have? The second layer takes the states of the first as its input.
# 2. "pared" (wall) and "padre" (father) have the same letters. Do they give the same final state with our weights? Check it and explain what it means.
# 3. With spectral radius 0.5, the change shrinks on average by a factor 0.43 at each step. Why not exactly 0.5?
#
# ??? success "Solution 1"
#     Each layer has $8 \cdot 8 + 8 \cdot 8 + 2 \cdot 8 = 144$ parameters: the first takes letters of 8 components and the second, states of 8 components. In total, 288:
#     ```python
#     print(sum(p.numel() for p in torch.nn.RNN(8, 8, num_layers=2).parameters()))  # 288
#     ```
#
# ??? success "Solution 2"
#     ```python
#     def final_state(text):
#         one_hot = F.one_hot(torch.tensor(vocab.encode(char_tokenize(text))), len(vocab)).float()
#         return rnn_forward(one_hot[None], weights)[0, -1]
#
#     print((final_state("pared") - final_state("padre")).abs().max())  # 1.28
#     ```
#     The final states are very different (one unit changes by 1.28): the RNN is sensitive to **order**. A model that only added up the letters (a bag of letters) could not tell the two words apart.
#
# ??? success "Solution 3"
#     The spectral radius describes how the powers $W_{hh}^t$ grow, but at each step the change is also multiplied by $\operatorname{diag}(1 - \mathbf{h}_t^2)$, whose entries lie between 0 and 1. Since the units are not at zero, the derivative of tanh is below 1 and the total factor per step ends up below the radius.
