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
# An RNN reads a sequence $\mathbf{x}_1, \dots, \mathbf{x}_T$ one element at a time and carries a **hidden state** $\mathbf{h}_t$ that summarizes what it has read. Elman's network (1990, [doi:10.1207/s15516709cog1402_1](https://doi.org/10.1207/s15516709cog1402_1)) updates it with a single equation:
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
# Nuestra secuencia es la palabra «paralelepípedo»: {{ value: n_letters }} letras, de las que solo 8 son distintas (la «p» y la «e» aparecen tres veces; la «a» y la «l», dos). Cada letra es un vector *one-hot* de $D = 8$ componentes, y usamos $H = 8$ unidades ocultas con pesos aleatorios (sin entrenar: aquí solo nos interesa la mecánica). Con una entrada *one-hot*, $W_{xh}\mathbf{x}_t$ es simplemente la columna de $W_{xh}$ que corresponde a la letra, lo mismo que hace una capa de incrustación. El primer paso, con $\mathbf{h}_0 = \mathbf{0}$, se reduce a $\mathbf{h}_1 = \tanh(W_{xh}[:, \text{p}] + \mathbf{b})$; lo comprobamos {{ claim: first_step }} antes de dejar que el bucle haga el resto.
#
# El paso y el bucle son estas dos funciones de `dlcourse.models.rnn`, tal como están en la biblioteca que importa la lección:
#
# {{ source: dlcourse.models.rnn.rnn_step }}
#
# {{ source: dlcourse.models.rnn.rnn_forward }}

# %% [markdown] lang="en"
# ## A word, letter by letter
#
# Our sequence is the Spanish word "paralelepípedo" (parallelepiped): {{ value: n_letters }} letters, only 8 of them different ("p" and "e" appear three times; "a" and "l", twice). Each letter is a one-hot vector of $D = 8$ components, and we use $H = 8$ hidden units with random weights (untrained: here we only care about the mechanics). With a one-hot input, $W_{xh}\mathbf{x}_t$ is just the column of $W_{xh}$ that belongs to the letter, which is what an embedding layer does. The first step, with $\mathbf{h}_0 = \mathbf{0}$, reduces to $\mathbf{h}_1 = \tanh(W_{xh}[:, \text{p}] + \mathbf{b})$; we check it {{ claim: first_step }} before letting the loop do the rest.
#
# The step and the loop are these two functions of `dlcourse.models.rnn`, exactly as the library the lesson imports has them:
#
# {{ source: dlcourse.models.rnn.rnn_step }}
#
# {{ source: dlcourse.models.rnn.rnn_forward }}

# %%
import torch
import torch.nn.functional as F
from dlcourse.bilingual import align, claim, number, percent, publish, tr
from dlcourse.models.rnn import (
    RNNWeights,
    rnn_forward,
    rnn_step,
    state_perturbation,
    to_torch_rnn,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all, seeded_generator
from dlcourse.text.tokenizers import Vocabulary, char_tokenize

SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(value: float, digits: int = 1) -> str:
    """``value`` written as a · 10ⁿ for prose and alt text, in each language."""
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    power = str(int(exponent)).translate(SUPERSCRIPTS)
    return number(float(mantissa), f".{digits}f") + f" · 10{power}"


def yes_no(answer: bool) -> str:
    return tr(es="sí", en="yes") if answer else tr(es="no", en="no")


seed_all(0)
word = "paralelepípedo"
letters = char_tokenize(word)
vocab = Vocabulary.build(letters, specials=())  # 8 letters, most frequent first
ids = torch.tensor(vocab.encode(letters))  # (T,)
x = F.one_hot(ids, len(vocab)).float()[None]  # (B=1, T=14, D=8)
weights = RNNWeights.random(
    input_size=len(vocab),
    hidden_size=8,
    spectral_radius=0.9,
    seed=0,
)
print(tr(es="vocabulario:", en="vocabulary:"), " ".join(vocab.itos))
print(tr(es="ids de la palabra:", en="ids of the word:"), ids.tolist())
shapes = {"x": x, "W_xh": weights.w_xh, "W_hh": weights.w_hh, "b": weights.b}
print(
    tr(es="formas:", en="shapes:"),
    " · ".join(f"{name} {tuple(t.shape)}" for name, t in shapes.items()),
)

h0 = torch.zeros(1, weights.hidden_size)
h1 = rnn_step(x[:, 0], h0, weights)  # one step of the recurrence
column = torch.tanh(weights.w_xh[:, vocab.stoi["p"]] + weights.b)
first_step = torch.allclose(h1[0], column)
print(
    tr(
        es="h_1 es igual a tanh(columna 'p' de W_xh + b):",
        en="h_1 equals tanh(column 'p' of W_xh + b):",
    ),
    yes_no(first_step),
)

states = rnn_forward(x, weights)[0]  # (T, H): h_1 ... h_T
print(
    "\n"
    + tr(
        es="t  letra   estado oculto h_t (8 unidades)",
        en="t  letter  hidden state h_t (8 units)",
    )
)
for t, (letter, h) in enumerate(zip(letters, states, strict=True), start=1):
    row = " ".join(number(v, "+.2f") for v in h.tolist())
    print(f"{t:2d}  {letter:^6}  {row}")
publish("n_letters", len(letters))
claim(
    "first_step",
    first_step,
    es="h_1 es tanh de la columna de la «p» en W_xh más el sesgo",
    en="h_1 is tanh of the column of “p” in W_xh plus the bias",
)

# %%
p_states = states[ids == vocab.stoi["p"]]  # (3, H): the states right after "p"
spread = p_states[:, None] - p_states[None]  # (3, 3, H)
gap = spread.abs().amax(dim=(0, 1))  # (H,) largest gap per unit
print(
    tr(
        es="mayor diferencia entre los tres estados tras una 'p', por unidad:",
        en="largest difference between the three states after a 'p', per unit:",
    )
)
print(" ".join(number(v, ".2f") for v in gap.tolist()))
steady, moving = gap.argmin().item(), gap.argmax().item()
steady_values = p_states[:, steady]  # (3,)
publish("steady_unit", steady + 1)
low, high = steady_values.min().item(), steady_values.max().item()
publish("steady_low", number(low, ".2f").replace("-", "−"))
publish("steady_high", number(high, ".2f").replace("-", "−"))
publish("moving_unit", moving + 1)
publish("moving_gap", gap.max().item(), ".2f")
claim(
    "history_matters",
    gap.max() > 0.3 and gap.max() > 2 * gap.min(),
    es="tras las tres «p», alguna unidad difiere en más de 0,3 y en más del "
    "doble que la unidad más estable",
    en="after the three “p”s, some unit differs by more than 0.3 and by more "
    "than twice the steadiest unit",
)

fig, ax = new_figure(width=6.8, height=3.6)
image = ax.imshow(states.T, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
ax.grid(False)
ax.set(
    xticks=range(len(letters)),
    xticklabels=letters,
    yticks=range(weights.hidden_size),
    yticklabels=range(1, weights.hidden_size + 1),
    title=tr(es="Estados ocultos", en="Hidden states"),
    xlabel=tr(es="letra (paso t)", en="letter (step t)"),
    ylabel=tr(es="unidad oculta", en="hidden unit"),
)
fig.colorbar(image, ax=ax, shrink=0.9, label="$h_t$")
unit = steady + 1
around = number(steady_values.mean().item(), ".1f").replace("-", "−")
largest_gap = number(gap.max().item(), ".2f")
set_alt(
    fig,
    es="Mapa de calor de 8 filas (unidades ocultas) por 14 columnas (las "
    "letras de «paralelepípedo»), en azul los valores negativos y en rojo los "
    "positivos, entre −1 y 1. Las tres columnas de la «p» se parecen en "
    f"algunas unidades, como la {unit}, siempre en torno a {around}, pero "
    f"difieren en otras hasta en {largest_gap}: el estado depende de la letra "
    "actual y de lo leído antes.",
    en="A heat map of 8 rows (hidden units) by 14 columns (the letters of "
    "“paralelepípedo”), negative values in blue and positive in red, between "
    "−1 and 1. The three columns of the letter “p” look alike in some units, "
    f"such as unit {unit}, always around {around}, but differ in others by up "
    f"to {largest_gap}: the state depends on the current letter and on what "
    "was read before.",
)

# %% [markdown] lang="es"
# ## Lo mismo con `nn.RNN`
#
# `nn.RNN` de PyTorch implementa la misma ecuación, con una diferencia de contabilidad: guarda **dos** sesgos, `bias_ih_l0` y `bias_hh_l0`, que simplemente se suman. Copiamos nuestro $\mathbf{b}$ en el primero y ceros en el segundo, ejecutamos la capa y comparamos. `nn.RNN` devuelve dos cosas: `output`, con el estado en cada paso, y `h_n`, con el estado final {{ claim: h_n_last }}.

# %% [markdown] lang="en"
# ## The same with `nn.RNN`
#
# PyTorch's `nn.RNN` implements the same equation, with one bookkeeping difference: it keeps **two** biases, `bias_ih_l0` and `bias_hh_l0`, which are simply added. We copy our $\mathbf{b}$ into the first and zeros into the second, run the layer and compare. `nn.RNN` returns two things: `output`, with the state at every step, and `h_n`, with the final state {{ claim: h_n_last }}.

# %%
torch_rnn = to_torch_rnn(weights)
with torch.no_grad():
    output, h_n = torch_rnn(x)  # (1, T, H) and (num_layers=1, 1, H)
print(tr(es="parámetros de nn.RNN:", en="nn.RNN parameters:"))
for name, parameter in torch_rnn.named_parameters():
    print(f"  {name:<12} {tuple(parameter.shape)}")
largest = (output[0] - states).abs().max().item()
last_is_h_n = torch.equal(h_n[0, 0], output[0, -1])
n_states = states.numel()
print(
    tr(
        es=f"mayor |diferencia| entre los {n_states} estados:",
        en=f"largest |difference| over all {n_states} states:",
    ),
    number(largest, ".1e"),
)
is_last = tr(es="h_n es el último estado:", en="h_n is the last state:")
print(is_last, yes_no(last_is_h_n))

n_ours = weights.n_parameters
n_torch = sum(p.numel() for p in torch_rnn.parameters())
H, D = weights.w_xh.shape
count = f"H*D + H*H + H = {H}*{D} + {H}*{H} + {H} = {n_ours}"
print("\n" + tr(es="parámetros, los nuestros:", en="parameters, ours:"), count)
print(
    tr(
        es=f"parámetros, nn.RNN (un sesgo más, de {H}):",
        en=f"parameters, nn.RNN (one extra bias of {H}):",
    ),
    n_torch,
)
generator = seeded_generator(0)
long_ids = torch.randint(0, D, (1, 1000), generator=generator)  # 1000 letters
long_input = F.one_hot(long_ids, D).float()  # (1, 1000, D)
with torch.no_grad():
    long_output, _ = torch_rnn(long_input)
n_long = long_input.shape[1]
same = tr(
    es=f"los mismos {n_torch} parámetros",
    en=f"the same {n_torch} parameters",
)
reads = tr(es=f"leen {n_long} pasos: salida", en=f"read {n_long} steps: output")
print(same, reads, tuple(long_output.shape))
publish("n_states", n_states)
publish("largest_difference", power_of_ten(largest, 0))
publish("n_ours", n_ours)
publish("n_torch", n_torch)
claim(
    "same_states",
    largest < 1e-6,
    es="nuestro bucle y nn.RNN difieren en menos de 10⁻⁶, redondeo de float32",
    en="our loop and nn.RNN differ by less than 10⁻⁶, float32 rounding",
)
claim(
    "h_n_last",
    last_is_h_n,
    es="h_n es exactamente el último estado de output",
    en="h_n is exactly the last state of output",
)
counted = n_ours == H * D + H * H + H and n_torch == n_ours + H
claim(
    "params_count",
    counted and long_output.shape[1] == n_long,
    es="nn.RNN tiene nuestros H·D + H·H + H parámetros más un sesgo de H, y "
    "con ellos da un estado por paso de la secuencia larga",
    en="nn.RNN has our H·D + H·H + H parameters plus one bias of H, and with "
    "them gives one state per step of the long sequence",
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
random_letters = torch.randint(0, D, (64, 30), generator=generator)  # (64, 30)
sequences = F.one_hot(random_letters, D).float()  # (64, 30, D)
radii = [0.5, 0.9, 1.5, 2.0]
memories = {}
for radius in radii:
    memories[radius] = RNNWeights.random(
        D,
        32,
        spectral_radius=radius,
        seed=1,
    )
traces = {
    radius: state_perturbation(sequences, memory, epsilon=1e-3)  # (30,)
    for radius, memory in memories.items()
}
shown = [0, 5, 10, 20, 29]
print(
    tr(
        es="||h'_t - h_t|| promediado sobre 64 secuencias",
        en="||h'_t - h_t|| averaged over 64 sequences",
    )
)
radius_word = tr(es="radio", en="radius")
print(align(radius_word, 6) + "".join(f"{f't = {t + 1}':>10}" for t in shown))
for radius, trace in traces.items():
    cells = "".join(number(trace[t].item(), "10.1e") for t in shown)
    print(number(radius, "6.1f") + cells)


def factor_per_step(trace: torch.Tensor) -> float:
    """The geometric mean of trace[t + 1] / trace[t] over the whole trace."""
    return ((trace[-1] / trace[0]) ** (1 / (len(trace) - 1))).item()


factors = {radius: factor_per_step(trace) for radius, trace in traces.items()}
for radius in radii[:2]:
    r, f = number(radius, ".1f"), number(factors[radius], ".2f")
    print(
        tr(
            es=f"radio {r}: el cambio se encoge por un factor {f} por paso",
            en=f"radius {r}: the change shrinks by a factor {f} per step",
        )
    )
start = traces[0.5][0].item()
orders_05 = torch.log10(traces[0.5][0] / traces[0.5][-1]).item()
floor_15 = (traces[1.5] / traces[1.5][0]).min().item()
end_20 = traces[2.0][-1].item()
publish("start", power_of_ten(start, 1))
publish("end_05", power_of_ten(traces[0.5][-1].item(), 0))
publish("orders_05", orders_05, ".0f")
publish("factor_05", factors[0.5], ".2f")
publish("factor_09", factors[0.9], ".2f")
publish("floor_15", percent(floor_15))
publish("end_20", end_20, ".2g")
claim(
    "fades_05",
    orders_05 > 8,
    es="con radio 0,5 el cambio pierde más de 8 órdenes de magnitud",
    en="with radius 0.5 the change loses over 8 orders of magnitude",
)
claim(
    "fades_09",
    traces[0.9][-1] < traces[0.9][0] / 100 and factors[0.9] > factors[0.5],
    es="con radio 0,9 cae a menos de 1/100, más despacio que con 0,5",
    en="with radius 0.9 it falls below 1/100, more slowly than with 0.5",
)
claim(
    "below_radius",
    factors[0.5] < 0.5 and factors[0.9] < 0.9,
    es="con 0,5 y 0,9, el factor medio por paso es menor que el radio",
    en="for 0.5 and 0.9, the mean factor per step is below the radius",
)
claim(
    "keeps_15",
    floor_15 > 0.05,
    es="con radio 1,5 el cambio nunca baja de 1/20 de su tamaño inicial",
    en="with radius 1.5 the change never falls below 1/20 of its start",
)
claim(
    "grows_20",
    end_20 > traces[2.0][0].item(),
    es="con radio 2 el cambio acaba mayor de lo que empezó",
    en="with radius 2 the change ends larger than it started",
)

# %%
fig, ax = new_figure(width=6.0, height=3.8)
steps = torch.arange(1, 31)
for k, (radius, trace) in enumerate(traces.items()):
    label = f"ρ = {number(radius, '.1f')}"
    ax.plot(steps, trace, "o-", markersize=3, color=PALETTE[k], label=label)
ax.set_yscale("log")
ax.set(
    title=tr(
        es="Memoria de un cambio en t = 1",
        en="Memory of a change at t = 1",
    ),
    xlabel=tr(es="paso t", en="step t"),
    ylabel="$\\|h'_t - h_t\\|$ (log)",
)
ax.legend(title=tr(es="radio espectral", en="spectral radius"), ncols=2)
begin = power_of_ten(start, 0)
end_05 = power_of_ten(traces[0.5][-1].item(), 0)
end_09 = power_of_ten(traces[0.9][-1].item(), 0)
end_15 = power_of_ten(traces[1.5][-1].item(), 0)
end_big = number(end_20, ".2g")
set_alt(
    fig,
    es="Distancia entre los estados con y sin un cambio pequeño en la "
    "primera entrada, en escala logarítmica, a lo largo de 30 pasos y para "
    f"cuatro radios espectrales. Todas empiezan en {begin}. Con radio 0,5 "
    f"cae en línea recta hasta {end_05}, con 0,9 cae más despacio hasta "
    f"{end_09}, con 1,5 no se apaga y termina en {end_15}, y con 2 crece "
    f"hasta {end_big}.",
    en="Distance between the states with and without a small change in the "
    "first input, on a log scale, over 30 steps and for four spectral radii. "
    f"All start at {begin}. With radius 0.5 it falls in a straight line down "
    f"to {end_05}, with 0.9 it falls more slowly to {end_09}, with 1.5 it "
    f"does not die out and ends at {end_15}, and with 2 it grows to "
    f"{end_big}.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Nuestro bucle y `nn.RNN` dan los mismos {{ value: n_letters }} estados ({{ value: n_states }} números) con una diferencia máxima de {{ value: largest_difference }}, el redondeo de `float32` {{ claim: same_states }}: no hay nada oculto en la capa de PyTorch, es esta ecuación con un bucle más rápido.
# - El estado depende de la historia y no solo de la letra actual. Tras cada una de las tres «p», la unidad {{ value: steady_unit }} vale entre {{ value: steady_low }} y {{ value: steady_high }} (manda la letra), pero otras unidades cambian mucho, hasta {{ value: moving_gap }} en la {{ value: moving_unit }} {{ claim: history_matters }}: la primera «p» llega con el estado inicial a cero y las otras dos con todo lo leído antes.
# - La capa tiene {{ value: n_torch }} parámetros (nuestros {{ value: n_ours }} más el segundo sesgo de PyTorch) tanto para las {{ value: n_letters }} letras de «paralelepípedo» como para una secuencia de mil pasos {{ claim: params_count }}.
# - Con radio espectral 0,5, un cambio en la primera entrada pierde unos {{ value: orders_05 }} órdenes de magnitud en 30 pasos (de {{ value: start }} a {{ value: end_05 }}) {{ claim: fades_05 }}; con 0,9 también se apaga, más despacio {{ claim: fades_09 }}. Por paso se encoge por {{ value: factor_05 }} y {{ value: factor_09 }}, algo más que el propio radio {{ claim: below_radius }}, porque la derivada de tanh añade un factor menor que 1. Con radio 1,5 el cambio no se apaga: en los 30 pasos nunca baja del {{ value: floor_15 }} de su tamaño inicial {{ claim: keeps_15 }}, y con 2 crece hasta {{ value: end_20 }} {{ claim: grows_20 }}: la red es muy sensible a su pasado, y un gradiente que recorriera ese camino hacia atrás tampoco se apagaría (podría incluso explotar). Esta misma derivada, leída hacia atrás, es la que transporta el gradiente en la [próxima lección](vanishing-gradients.md).

# %% [markdown] lang="en"
# ## What to notice
#
# - Our loop and `nn.RNN` give the same {{ value: n_letters }} states ({{ value: n_states }} numbers) with a largest difference of {{ value: largest_difference }}, `float32` rounding {{ claim: same_states }}: there is nothing hidden in PyTorch's layer, it is this equation with a faster loop.
# - The state depends on the history and not only on the current letter. After each of the three "p"s, unit {{ value: steady_unit }} lies between {{ value: steady_low }} and {{ value: steady_high }} (the letter is in charge), but other units change a lot, by up to {{ value: moving_gap }} in unit {{ value: moving_unit }} {{ claim: history_matters }}: the first "p" arrives with the initial state at zero and the other two with everything read before.
# - The layer has {{ value: n_torch }} parameters (our {{ value: n_ours }} plus PyTorch's second bias) both for the {{ value: n_letters }} letters of "paralelepípedo" and for a sequence of a thousand steps {{ claim: params_count }}.
# - With spectral radius 0.5, a change in the first input loses about {{ value: orders_05 }} orders of magnitude in 30 steps (from {{ value: start }} to {{ value: end_05 }}) {{ claim: fades_05 }}; with 0.9 it also dies out, more slowly {{ claim: fades_09 }}. Per step it shrinks by {{ value: factor_05 }} and {{ value: factor_09 }}, somewhat more than the radius itself {{ claim: below_radius }}, because the derivative of tanh adds a factor below 1. With radius 1.5 the change does not die out: over the 30 steps it never falls below {{ value: floor_15 }} of its initial size {{ claim: keeps_15 }}, and with 2 it grows to {{ value: end_20 }} {{ claim: grows_20 }}: the network is very sensitive to its past, and a gradient traveling that path backwards would not die out either (it could even explode). This same derivative, read backwards, is what carries the gradient in the [next lesson](vanishing-gradients.md).

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Cuántos parámetros tiene `nn.RNN(8, 8, num_layers=2)`? La segunda capa recibe como entrada los estados de la primera.
# 2. «pared» y «padre» tienen las mismas letras. ¿Dan el mismo estado final con nuestros pesos? Compruébalo y explica qué significa.
# 3. Con radio espectral 0,5, el cambio se encoge en promedio por un factor {{ value: factor_05 }} en cada paso. ¿Por qué no exactamente 0,5?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. How many parameters does `nn.RNN(8, 8, num_layers=2)` have? The second layer takes the states of the first as its input.
# 2. "pared" (wall) and "padre" (father) have the same letters. Do they give the same final state with our weights? Check it and explain what it means.
# 3. With spectral radius 0.5, the change shrinks on average by a factor {{ value: factor_05 }} at each step. Why not exactly 0.5?

# %% [markdown] lang="es" solution="1"
# Cada capa tiene $8 \cdot 8 + 8 \cdot 8 + 2 \cdot 8$ = {{ value: per_layer }} parámetros: la primera recibe letras de 8 componentes y la segunda, estados de 8 componentes. En total, {{ value: two_layers }} {{ claim: two_layers_double }}.

# %% [markdown] lang="en" solution="1"
# Each layer has $8 \cdot 8 + 8 \cdot 8 + 2 \cdot 8$ = {{ value: per_layer }} parameters: the first takes letters of 8 components and the second, states of 8 components. In total, {{ value: two_layers }} {{ claim: two_layers_double }}.

# %% solution="1"
stacked = torch.nn.RNN(8, 8, num_layers=2)
per_layer = {0: 0, 1: 0}
for name, parameter in stacked.named_parameters():
    per_layer[int(name[-1])] += parameter.numel()
    print(f"  {name:<12} {tuple(parameter.shape)}")
two_layers = sum(p.numel() for p in stacked.parameters())
layer_word = tr(es="capa", en="layer")
print(
    " · ".join(f"{layer_word} {k + 1}: {n}" for k, n in per_layer.items()),
    f"· {tr(es='total', en='total')}: {two_layers}",
)
publish("per_layer", per_layer[0])
publish("two_layers", two_layers)
claim(
    "two_layers_double",
    per_layer[0] == per_layer[1] == n_torch and two_layers == 2 * n_torch,
    es="cada capa tiene tantos parámetros como nuestra nn.RNN",
    en="each layer has as many parameters as our nn.RNN",
)

# %% [markdown] lang="es" solution="2"
# Los estados finales son muy distintos (una unidad cambia en {{ value: order_gap }}) {{ claim: order_matters }}: la RNN es sensible al **orden**. Un modelo que solo sumara las letras (una bolsa de letras) no podría distinguir las dos palabras {{ claim: same_bag }}.

# %% [markdown] lang="en" solution="2"
# The final states are very different (one unit changes by {{ value: order_gap }}) {{ claim: order_matters }}: the RNN is sensitive to **order**. A model that only added up the letters (a bag of letters) could not tell the two words apart {{ claim: same_bag }}.


# %% solution="2"
def one_hot_word(text: str) -> torch.Tensor:
    letter_ids = torch.tensor(vocab.encode(char_tokenize(text)))
    return F.one_hot(letter_ids, len(vocab)).float()  # (T, D)


def final_state(text: str) -> torch.Tensor:
    return rnn_forward(one_hot_word(text)[None], weights)[0, -1]  # (H,)


difference = final_state("pared") - final_state("padre")  # (H,)
order_gap = difference.abs().max().item()
bags = [one_hot_word(text).sum(0) for text in ("pared", "padre")]  # (D,) each
same_bag = torch.equal(*bags)
print(
    tr(
        es="estado final de «pared» − «padre»:",
        en="final state of “pared” − “padre”:",
    )
)
print(" ".join(number(v, "+.2f") for v in difference.tolist()))
same_letters = tr(es="misma bolsa de letras:", en="same bag of letters:")
print(same_letters, yes_no(same_bag))
publish("order_gap", order_gap, ".2f")
claim(
    "order_matters",
    order_gap > 0.5,
    es="el estado final de «pared» y «padre» difiere en más de 0,5",
    en="the final states of “pared” and “padre” differ by more than 0.5",
)
claim(
    "same_bag",
    same_bag,
    es="los vectores one-hot de «pared» y «padre» suman lo mismo",
    en="the one-hot vectors of “pared” and “padre” add up to the same",
)

# %% [markdown] lang="es" solution="3"
# El radio espectral describe cómo crecen las potencias $W_{hh}^t$, pero en cada paso el cambio se multiplica además por $\operatorname{diag}(1 - \mathbf{h}_t^2)$, cuyos elementos están entre 0 y 1. Como las unidades no están en cero, la derivada de tanh es menor que 1: con radio 0,5, a lo largo de las 64 secuencias y los 30 pasos, $1 - h_t^2$ vale en promedio {{ value: mean_slope }} {{ claim: slope_below_one }}. Por eso el factor total por paso queda por debajo del radio.

# %% [markdown] lang="en" solution="3"
# The spectral radius describes how the powers $W_{hh}^t$ grow, but at each step the change is also multiplied by $\operatorname{diag}(1 - \mathbf{h}_t^2)$, whose entries lie between 0 and 1. Since the units are not at zero, the derivative of tanh is below 1: with radius 0.5, over the 64 sequences and 30 steps, $1 - h_t^2$ averages {{ value: mean_slope }} {{ claim: slope_below_one }}. That is why the total factor per step ends up below the radius.

# %% solution="3"
slow = memories[0.5].to(torch.float64)
memory_states = rnn_forward(sequences.double(), slow)  # (64, 30, 32)
slopes = 1 - memory_states.pow(2)  # the derivative of tanh at each unit
mean_slope = slopes.mean().item()
print(
    tr(
        es="media de 1 − h_t² con radio 0,5:",
        en="mean of 1 − h_t² with radius 0.5:",
    ),
    number(mean_slope, ".2f"),
)
print(
    tr(es="factor medio por paso:", en="mean factor per step:"),
    number(factors[0.5], ".2f"),
    tr(es="frente al radio", en="against the radius"),
    number(0.5, ".1f"),
)
publish("mean_slope", mean_slope, ".2f")
claim(
    "slope_below_one",
    mean_slope < 1 and slopes.max().item() <= 1,
    es="1 − h², la derivada de tanh, vale a lo sumo 1 y en media menos",
    en="1 − h², the derivative of tanh, is at most 1 and below 1 on average",
)
