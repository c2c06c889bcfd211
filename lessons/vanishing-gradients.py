# ---
# jupyter:
#   lesson:
#     title:
#       es: Gradientes que se desvanecen
#       en: Vanishing gradients
#     summary:
#       es: La norma del gradiente respecto a cada paso de tiempo en una RNN y en una LSTM, en escala logarítmica, y qué pasa al entrenarlas en una tarea cuya respuesta está en el primer token de secuencias cada vez más largas.
#       en: The gradient norm with respect to each time step in an RNN and in an LSTM, on a log scale, and what happens when they are trained on a task whose answer is in the first token of longer and longer sequences.
#     order: 23
#     budget_cpu_s: 90
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Ver por qué el gradiente que viaja hacia atrás en el tiempo es un producto de matrices que tiende a desvanecerse o a explotar.
#     - Medir, paso a paso, cuánto gradiente llega a cada entrada de una secuencia larga en una RNN básica y en una LSTM.
#     - Entender el papel de la compuerta de olvido y de su sesgo inicial en la memoria de la LSTM.
#     - Entrenar las dos redes con secuencias cada vez más largas y comprobar dónde deja de aprender la RNN.
#
# Nota de concepto: [redes neuronales recurrentes](../concepts/recurrent-networks.md). Artículos asociados: notas sobre la [LSTM](../papers/lstm.md) y el [tutorial de LSTM](../papers/lstm-tutorial.md). La recurrencia se escribió a mano en [Una RNN paso a paso](rnn-by-hand.md); la lección siguiente aplica la LSTM a [clasificar el sentimiento de reseñas](sentiment-lstm.md). Referencia de la API: [`dlcourse.models.rnn`](../api/models/rnn.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - See why the gradient traveling backwards in time is a product of matrices that tends to vanish or explode.
#     - Measure, step by step, how much gradient reaches each input of a long sequence in a plain RNN and in an LSTM.
#     - Understand the role of the forget gate and its initial bias in the LSTM's memory.
#     - Train both networks on longer and longer sequences and find where the RNN stops learning.
#
# Concept note: [recurrent neural networks](../concepts/recurrent-networks.md). Related papers: notes on the [LSTM](../papers/lstm.md) and the [LSTM tutorial](../papers/lstm-tutorial.md). The recurrence was written by hand in [An RNN by hand](rnn-by-hand.md); the next lesson applies the LSTM to [classifying the sentiment of reviews](sentiment-lstm.md). API reference: [`dlcourse.models.rnn`](../api/models/rnn.md).

# %% [markdown] lang="es"
# ## La idea
#
# Si una red lee $\mathbf{x}_1, \dots, \mathbf{x}_T$ y solo al final calcula una pérdida $L$, la entrada $\mathbf{x}_k$ influye en $L$ únicamente a través de los estados $\mathbf{h}_k, \mathbf{h}_{k+1}, \dots, \mathbf{h}_T$. Por la regla de la cadena, en la RNN de Elman $\mathbf{h}_t = \tanh(W_{xh}\mathbf{x}_t + W_{hh}\mathbf{h}_{t-1} + \mathbf{b})$,
#
# $$
# \frac{\partial L}{\partial \mathbf{x}_k}
# = \frac{\partial L}{\partial \mathbf{h}_T}
#   \Bigg( \prod_{t=k+1}^{T} \operatorname{diag}\!\big(1 - \mathbf{h}_t^{2}\big)\, W_{hh} \Bigg)
#   \frac{\partial \mathbf{h}_k}{\partial \mathbf{x}_k} .
# $$
#
# Son $T - k$ factores, uno por paso. La derivada de tanh nunca pasa de 1, así que si la mayor norma de $W_{hh}$ (su mayor valor singular) es menor que 1, la norma del producto decae **exponencialmente** con la distancia $T - k$: el gradiente se desvanece. Si es mayor que 1, el producto puede crecer exponencialmente: el gradiente explota. Bengio, Simard y Frasconi (1994, [doi:10.1109/72.279181](https://doi.org/10.1109/72.279181)) analizaron por qué esto hace difícil aprender dependencias a largo plazo con descenso de gradiente, y Pascanu, Mikolov y Bengio (2013, [arXiv:1211.5063](https://arxiv.org/abs/1211.5063)) dieron esas condiciones sobre los valores singulares y propusieron recortar la norma del gradiente contra la explosión.
#
# La LSTM de Hochreiter y Schmidhuber (1997, [doi:10.1162/neco.1997.9.8.1735](https://doi.org/10.1162/neco.1997.9.8.1735)) añade una celda $\mathbf{c}_t$ que se actualiza de forma **aditiva**; en la versión moderna, con la compuerta de olvido $\mathbf{f}_t$ de Gers, Schmidhuber y Cummins (2000, [doi:10.1162/089976600300015015](https://doi.org/10.1162/089976600300015015)),
#
# $$
# \mathbf{c}_t = \mathbf{f}_t \odot \mathbf{c}_{t-1} + \mathbf{i}_t \odot \tilde{\mathbf{c}}_t ,
# \qquad
# \frac{\partial \mathbf{c}_t}{\partial \mathbf{c}_{t-1}} = \operatorname{diag}(\mathbf{f}_t) \ \text{(por el camino directo de la celda)} .
# $$
#
# Por ese camino no hay $W_{hh}$ ni derivada de tanh: el gradiente se multiplica por $\mathbf{f}_t$, que la red aprende. Si $\mathbf{f}_t \approx 1$, llega casi intacto al principio de la secuencia.

# %% [markdown] lang="en"
# ## The idea
#
# If a network reads $\mathbf{x}_1, \dots, \mathbf{x}_T$ and computes a loss $L$ only at the end, input $\mathbf{x}_k$ affects $L$ only through the states $\mathbf{h}_k, \mathbf{h}_{k+1}, \dots, \mathbf{h}_T$. By the chain rule, in the Elman RNN $\mathbf{h}_t = \tanh(W_{xh}\mathbf{x}_t + W_{hh}\mathbf{h}_{t-1} + \mathbf{b})$,
#
# $$
# \frac{\partial L}{\partial \mathbf{x}_k}
# = \frac{\partial L}{\partial \mathbf{h}_T}
#   \Bigg( \prod_{t=k+1}^{T} \operatorname{diag}\!\big(1 - \mathbf{h}_t^{2}\big)\, W_{hh} \Bigg)
#   \frac{\partial \mathbf{h}_k}{\partial \mathbf{x}_k} .
# $$
#
# There are $T - k$ factors, one per step. The derivative of tanh never exceeds 1, so if the largest norm of $W_{hh}$ (its largest singular value) is below 1, the norm of the product decays **exponentially** with the distance $T - k$: the gradient vanishes. If it is above 1, the product can grow exponentially: the gradient explodes. Bengio, Simard and Frasconi (1994, [doi:10.1109/72.279181](https://doi.org/10.1109/72.279181)) analyzed why this makes long-term dependencies hard to learn with gradient descent, and Pascanu, Mikolov and Bengio (2013, [arXiv:1211.5063](https://arxiv.org/abs/1211.5063)) gave these conditions on the singular values and proposed clipping the norm of the gradient against explosion.
#
# The LSTM of Hochreiter and Schmidhuber (1997, [doi:10.1162/neco.1997.9.8.1735](https://doi.org/10.1162/neco.1997.9.8.1735)) adds a cell $\mathbf{c}_t$ that is updated **additively**; in the modern version, with the forget gate $\mathbf{f}_t$ of Gers, Schmidhuber and Cummins (2000, [doi:10.1162/089976600300015015](https://doi.org/10.1162/089976600300015015)),
#
# $$
# \mathbf{c}_t = \mathbf{f}_t \odot \mathbf{c}_{t-1} + \mathbf{i}_t \odot \tilde{\mathbf{c}}_t ,
# \qquad
# \frac{\partial \mathbf{c}_t}{\partial \mathbf{c}_{t-1}} = \operatorname{diag}(\mathbf{f}_t) \ \text{(along the cell's direct path)} .
# $$
#
# Along that path there is no $W_{hh}$ and no tanh derivative: the gradient is multiplied by $\mathbf{f}_t$, which the network learns. If $\mathbf{f}_t \approx 1$, it reaches the start of the sequence almost intact.

# %% [markdown] lang="es"
# ## Una tarea con la respuesta al principio
#
# Para ponerlo a prueba necesitamos una dependencia larga y nada más. En cada secuencia, el primer token es uno de 4 tokens «señal» (0 a 3) y es la etiqueta; los demás son ruido, tomados al azar de otros 16 tokens (4 a 19). La red lee de izquierda a derecha y predice al final, así que tiene que llevar el primer token a lo largo de toda la secuencia. Acertar por azar es un 25 %.

# %% [markdown] lang="en"
# ## A task with the answer at the start
#
# To put this to the test we need a long dependency and nothing else. In each sequence, the first token is one of 4 "signal" tokens (0 to 3) and is the label; the rest is noise, drawn at random from 16 other tokens (4 to 19). The network reads from left to right and predicts at the end, so it has to carry the first token across the whole sequence. Guessing gives 25%.

# %%
import math

import torch
from dlcourse.bilingual import align, claim, number, publish, tr
from dlcourse.models.rnn import (
    RecurrentClassifier,
    decay_per_step,
    first_token_task,
    fit_classifier,
    input_gradient_norms,
    length_sweep,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all, seed_torch

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sci(value: float) -> str:
    """``value`` as ``7,7e-22`` / ``7.7e-22``, the exponent a plain integer."""
    mantissa, exponent = f"{value:.1e}".split("e")
    return number(float(mantissa), ".1f") + f"e{int(exponent)}"


def power(value: float) -> str:
    """``value`` for prose, as ``2,2 · 10⁻¹⁸`` / ``2.2 · 10⁻¹⁸``."""
    mantissa, exponent = f"{value:.1e}".split("e")
    return (
        number(float(mantissa), ".1f")
        + " · 10"
        + str(int(exponent)).translate(SUPERSCRIPT)
    )


seed_all(0)
x_demo, y_demo = first_token_task(4, 12, seed=0)
label_word = tr(es="etiqueta", en="label")
for row, label in zip(x_demo.tolist(), y_demo.tolist(), strict=True):
    tokens = " ".join(f"{token:2d}" for token in row)
    print("tokens", tokens, f"  → {label_word} {label}")
same = torch.equal(x_demo[:, 0], y_demo)
print(
    tr(
        es="¿cada etiqueta es el primer token?",
        en="is every label the first token?",
    ),
    tr(es="sí", en="yes") if same else "no",
)

# %% [markdown] lang="es"
# ## El gradiente, paso a paso
#
# Tomamos 512 secuencias de longitud $T = 60$ y, **antes de entrenar**, medimos $\lVert \partial L / \partial \mathbf{e}_t \rVert$, la norma del gradiente de la pérdida respecto a la incrustación del token en el paso $t$, promediada sobre las secuencias. Es la señal que recibiría cada token para aprender. Comparamos tres redes con 32 unidades ocultas:
#
# - una RNN de Elman (`nn.RNN`, tanh);
# - una LSTM con la inicialización de PyTorch, en la que todos los sesgos son pequeños y la compuerta de olvido empieza en torno a $\sigma(0) = 0{,}5$;
# - la misma LSTM con $+4$ en el sesgo de la compuerta de olvido, que la hace empezar cerca de $\sigma(4) \approx 0{,}98$: la celda arranca conservando casi todo. Tallec y Ollivier (2018, [arXiv:1804.11188](https://arxiv.org/abs/1804.11188)) proponen elegir ese sesgo según la longitud de las dependencias que se esperan (la inicialización *chrono*); aquí usamos simplemente un valor fijo de ese orden.

# %% [markdown] lang="en"
# ## The gradient, step by step
#
# We take 512 sequences of length $T = 60$ and, **before training**, measure $\lVert \partial L / \partial \mathbf{e}_t \rVert$, the norm of the gradient of the loss with respect to the embedding of the token at step $t$, averaged over the sequences. It is the signal each token would receive to learn from. We compare three networks with 32 hidden units:
#
# - an Elman RNN (`nn.RNN`, tanh);
# - an LSTM with PyTorch's initialization, in which all biases are small and the forget gate starts around $\sigma(0) = 0.5$;
# - the same LSTM with $+4$ on the forget-gate bias, which makes it start near $\sigma(4) \approx 0.98$: the cell starts out keeping almost everything. Tallec and Ollivier (2018, [arXiv:1804.11188](https://arxiv.org/abs/1804.11188)) propose choosing that bias from the length of the dependencies one expects ("chrono" initialization); here we simply use a fixed value of that order.

# %%
T = 60
x_probe, y_probe = first_token_task(512, T, seed=2)
variants = {
    "rnn": {"cell": "rnn"},
    "lstm": {"cell": "lstm"},
    "lstm_biased": {"cell": "lstm", "forget_bias": 4.0},
}
LABEL = {
    "rnn": "RNN",
    "lstm": "LSTM",
    "lstm_biased": tr(es="LSTM, sesgo de olvido +4", en="LSTM, forget bias +4"),
}
norms = {}
for name, options in variants.items():
    seed_torch(0)
    model = RecurrentClassifier(20, 4, embed_dim=16, hidden_size=32, **options)
    norms[name] = input_gradient_norms(model, x_probe, y_probe)  # (T,)
step_word = tr(es="paso", en="step")
print(
    align("", 25)
    + "".join(align(f"{step_word} {t}", 10) for t in (1, T // 2, T))
    + align(f"{step_word} 1 / {T}", 14)
    + align(tr(es="factor por paso", en="factor per step"), 17)
)
for name, g in norms.items():
    print(
        align(LABEL[name], 25, "<")
        + "".join(align(sci(v), 10) for v in (g[0], g[T // 2 - 1], g[-1]))
        + align(sci(g[0] / g[-1]), 14)
        + align(number(decay_per_step(g)), 17)
    )
factor = {name: decay_per_step(g) for name, g in norms.items()}
ratio = {name: (g[0] / g[-1]).item() for name, g in norms.items()}
for name in norms:
    publish(f"factor_{name}", factor[name])
publish("ratio_rnn", power(ratio["rnn"]))
publish("ratio_lstm", power(ratio["lstm"]))
publish("ratio_lstm_biased", ratio["lstm_biased"], ".2f")
claim(
    "rnn_halves",
    0.4 < factor["rnn"] < 0.6,
    es="sin entrenar, el gradiente de la RNN se multiplica por entre 0,4 y 0,6 "
    "en cada paso hacia atrás",
    en="untrained, the RNN's gradient is multiplied by between 0.4 and 0.6 at "
    "every step backwards",
)
claim(
    "rnn_first_buried",
    ratio["rnn"] < 1e-12,
    es="el primer paso de la RNN recibe menos de 10⁻¹² veces el gradiente del "
    "último",
    en="the RNN's first step receives less than 10⁻¹² times the gradient of "
    "the last",
)
claim(
    "lstm_default_decays",
    factor["rnn"] < factor["lstm"] < 0.8 and ratio["lstm"] < 1e-6,
    es="la LSTM por defecto decae algo menos que la RNN, pero su primer paso "
    "recibe menos de 10⁻⁶ veces el gradiente del último",
    en="the default LSTM decays somewhat less than the RNN, but its first step "
    "receives less than 10⁻⁶ times the gradient of the last",
)
claim(
    "biased_flat",
    0.98 < factor["lstm_biased"] < 1.02 and 0.5 < ratio["lstm_biased"] < 2,
    es="con sesgo +4 el factor por paso está entre 0,98 y 1,02, y el primer "
    "paso recibe entre la mitad y el doble del gradiente del último",
    en="with bias +4 the factor per step is between 0.98 and 1.02, and the "
    "first step receives between half and twice the gradient of the last",
)

# %%
fig, ax = new_figure(width=6.4, height=4.0)
steps = torch.arange(1, T + 1)
for k, (name, g) in enumerate(norms.items()):
    ax.plot(steps, g, color=PALETTE[k], label=LABEL[name])
ax.set_yscale("log")
ax.set(
    title=tr(es="Gradiente por paso de tiempo", en="Gradient per time step"),
    xlabel=tr(
        es=f"paso t (la pérdida está en t = {T})",
        en=f"step t (the loss is at t = {T})",
    ),
    ylabel="$\\|\\partial L / \\partial e_t\\|$ (log)",
)
ax.legend()
rnn_g, lstm_g, biased_g = norms.values()
low = power(min(g[-1] for g in norms.values()))
high = power(max(g[-1] for g in norms.values()))
set_alt(
    fig,
    es=f"Norma del gradiente respecto a cada uno de los {T} pasos, en escala "
    "logarítmica, para tres redes sin entrenar. En el último paso las tres "
    f"están entre {low} y {high}. Hacia el principio, la de la RNN cae en "
    f"línea recta hasta {power(rnn_g[0])} en el paso 1; la de la LSTM con la "
    f"inicialización por defecto cae algo menos, hasta {power(lstm_g[0])}; la "
    "de la LSTM con sesgo de olvido +4 se mantiene casi plana, en "
    f"{power(biased_g[0])}.",
    en=f"Gradient norm with respect to each of the {T} steps, on a log scale, "
    "for three untrained networks. At the last step all three lie between "
    f"{low} and {high}. Toward the beginning, the RNN's falls in a straight "
    f"line to {power(rnn_g[0])} at step 1; the LSTM with the default "
    f"initialization falls somewhat less, to {power(lstm_g[0])}; the LSTM with "
    f"forget bias +4 stays almost flat, at {power(biased_g[0])}.",
)

# %% [markdown] lang="es"
# ## Entrenar con secuencias cada vez más largas
#
# Ahora entrenamos la RNN y la LSTM con sesgo de olvido $+4$ en la tarea del primer token para longitudes de 5 a 60. Cada punto es una red nueva entrenada 150 pasos con Adam (tasa 0,01, lotes de 128 secuencias, 2048 secuencias de entrenamiento) y evaluada en 512 secuencias de validación; repetimos con tres semillas. El entrenamiento **recorta** la norma del gradiente a 1 con `torch.nn.utils.clip_grad_norm_`: si un paso produjera un gradiente enorme (la explosión), se reescala antes de actualizar los pesos. El recorte protege contra la explosión, pero no puede hacer nada contra el desvanecimiento: un gradiente diminuto sigue siéndolo. Un detalle práctico: en la CPU, los números por debajo de unos $10^{-38}$ (los «subnormales» de float32) se procesan varias veces más despacio, y un gradiente que se desvanece produce muchos; `fit_classifier` los trata como cero mientras entrena.

# %% [markdown] lang="en"
# ## Training on longer and longer sequences
#
# Now we train the RNN and the LSTM with forget bias $+4$ on the first-token task for lengths from 5 to 60. Each point is a fresh network trained for 150 steps with Adam (rate 0.01, batches of 128 sequences, 2,048 training sequences) and evaluated on 512 validation sequences; we repeat with three seeds. Training **clips** the gradient norm at 1 with `torch.nn.utils.clip_grad_norm_`: if a step produced a huge gradient (the explosion), it is rescaled before the weights are updated. Clipping guards against explosion, but it can do nothing about vanishing: a tiny gradient stays tiny. A practical detail: on the CPU, numbers below about $10^{-38}$ (float32 "denormals") are handled several times more slowly, and a vanishing gradient produces plenty of them; `fit_classifier` treats them as zero while it trains.

# %%
lengths = [5, 10, 20, 40, 60]
accuracy = {
    "rnn": length_sweep("rnn", lengths),  # (lengths, seeds)
    "lstm_biased": length_sweep("lstm", lengths, forget_bias=4.0),
}
chance = number(0.25, ".2f")
print(
    tr(
        es="exactitud de validación tras 150 pasos "
        f"(3 semillas; azar = {chance})",
        en=f"validation accuracy after 150 steps (3 seeds; chance = {chance})",
    )
)
print(
    align(tr(es="longitud", en="length"), 8)
    + "   "
    + align(LABEL["rnn"], 24, "^")
    + "   "
    + align(LABEL["lstm_biased"], 24, "^")
)
for i, length in enumerate(lengths):
    cells = [
        " ".join(number(a, ".2f") for a in acc[i].tolist())
        + " | "
        + number(acc[i].mean().item(), ".2f")
        for acc in accuracy.values()
    ]
    print(
        f"{length:8d}   "
        + align(cells[0], 24, "^")
        + "   "
        + align(cells[1], 24, "^")
    )
rnn_runs = {length: accuracy["rnn"][i] for i, length in enumerate(lengths)}
mid_solved = int(sum((rnn_runs[n] >= 0.99).sum().item() for n in (10, 20)))
publish("lstm_worst", accuracy["lstm_biased"].min().item(), ".2f")
publish("rnn_mid_solved", mid_solved)
publish("rnn_mean_40", rnn_runs[40].mean().item(), ".2f")
publish("rnn_best_40", rnn_runs[40].max().item(), ".2f")
publish("rnn_mean_60", rnn_runs[60].mean().item(), ".2f")
claim(
    "lstm_all_lengths",
    accuracy["lstm_biased"].min().item() >= 0.99,
    es="la LSTM con sesgo +4 pasa de 0,99 de exactitud en todas las longitudes "
    "y con las tres semillas",
    en="the LSTM with bias +4 exceeds 0.99 accuracy at every length and with "
    "all three seeds",
)
claim(
    "rnn_short_ok",
    rnn_runs[5].min().item() >= 0.99,
    es="con 5 tokens la RNN pasa de 0,99 con las tres semillas",
    en="with 5 tokens the RNN exceeds 0.99 with all three seeds",
)
claim(
    "rnn_mid_mostly",
    mid_solved >= 4,
    es="con 10 y 20 tokens, al menos 4 de los 6 entrenamientos de la RNN pasan "
    "de 0,99",
    en="with 10 and 20 tokens, at least 4 of the RNN's 6 runs exceed 0.99",
)
claim(
    "rnn_long_fails",
    rnn_runs[40].mean().item() < 0.4 and rnn_runs[60].max().item() < 0.35,
    es="con 40 tokens la exactitud media de la RNN queda por debajo de 0,4, y "
    "con 60 ninguna semilla pasa de 0,35",
    en="with 40 tokens the RNN's mean accuracy stays below 0.4, and with 60 no "
    "seed gets above 0.35",
)

# %%
fig, ax = new_figure(width=6.0, height=3.8)
for k, (name, acc) in enumerate(accuracy.items()):
    for j in range(acc.shape[1]):
        ax.scatter(lengths, acc[:, j], s=16, color=PALETTE[2 * k], alpha=0.5)
    ax.plot(lengths, acc.mean(1), "o-", color=PALETTE[2 * k], label=LABEL[name])
ax.axhline(
    0.25, color="#777777", linestyle=":", label=tr(es="azar", en="chance")
)
ax.set(
    title=tr(es="Exactitud frente a longitud", en="Accuracy vs length"),
    xlabel=tr(es="longitud de la secuencia", en="sequence length"),
    ylabel=tr(es="exactitud de validación", en="validation accuracy"),
    ylim=(0, 1.05),
)
ax.legend(loc="center right")
rnn_acc, lstm_acc = (acc.mean(1) for acc in accuracy.values())
rnn_text = [number(rnn_acc[i].item(), ".2f") for i in range(len(lengths))]
set_alt(
    fig,
    es="Exactitud de validación media (línea) y de cada semilla (puntos) "
    "frente a la longitud de la secuencia, de 5 a 60, con el azar en "
    f"{chance}. La exactitud media de la LSTM con sesgo de olvido +4 no baja "
    f"de {number(lstm_acc.min().item(), '.2f')} en ninguna longitud. La RNN "
    f"acierta {rnn_text[0]} con 5 tokens, {rnn_text[2]} con 20, {rnn_text[3]} "
    f"con 40 y {rnn_text[4]} con 60.",
    en="Mean validation accuracy (line) and that of each seed (points) against "
    f"the sequence length, from 5 to 60, with chance at {chance}. The mean "
    "accuracy of the LSTM with forget bias +4 is never below "
    f"{number(lstm_acc.min().item(), '.2f')}. The RNN gets {rnn_text[0]} "
    f"with 5 tokens, {rnn_text[2]} with 20, {rnn_text[3]} with 40 and "
    f"{rnn_text[4]} with 60.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Sin entrenar, el gradiente de la RNN se reduce más o menos a la mitad en cada paso hacia atrás (factor {{ value: factor_rnn }}) {{ claim: rnn_halves }}: el primer token, el único que importa en esta tarea, recibe {{ value: ratio_rnn }} veces la señal del último {{ claim: rnn_first_buried }}. Cualquier cosa que la red pudiera aprender sobre él queda enterrada bajo la señal de los tokens de ruido del final.
# - La LSTM con la inicialización por defecto apenas mejora al principio (factor {{ value: factor_lstm }}, el paso 1 recibe {{ value: ratio_lstm }} veces lo del paso 60) {{ claim: lstm_default_decays }}: sus compuertas de olvido empiezan medio cerradas. La arquitectura **permite** una memoria larga, pero no la trae de serie. Con el sesgo $+4$ la curva es casi plana (factor {{ value: factor_lstm_biased }}): el primer paso recibe {{ value: ratio_lstm_biased }} veces el gradiente del último {{ claim: biased_flat }}.
# - Al entrenar, la LSTM con sesgo $+4$ llega al menos a {{ value: lstm_worst }} de exactitud en todas las longitudes y con las tres semillas {{ claim: lstm_all_lengths }}. La RNN acierta siempre con 5 tokens {{ claim: rnn_short_ok }}; con 10 y 20 suele llegar también, pero no siempre: {{ value: rnn_mid_solved }} de sus 6 entrenamientos a esas longitudes pasan de 0,99 {{ claim: rnn_mid_mostly }}. Con 40 se queda cerca del azar (media {{ value: rnn_mean_40 }}, la mejor semilla {{ value: rnn_best_40 }}) y con 60 en el azar ({{ value: rnn_mean_60 }}) {{ claim: rnn_long_fails }}.
# - Todos los entrenamientos recortaban la norma del gradiente a 1, y eso no salvó a la RNN: su problema no es un gradiente que explota, sino uno que no llega (ejercicio 3).

# %% [markdown] lang="en"
# ## What to notice
#
# - Untrained, the RNN's gradient roughly halves at every step backwards (factor {{ value: factor_rnn }}) {{ claim: rnn_halves }}: the first token, the only one that matters in this task, receives {{ value: ratio_rnn }} times the signal of the last one {{ claim: rnn_first_buried }}. Anything the network could learn about it is buried under the signal from the noise tokens at the end.
# - The LSTM with the default initialization is hardly better at the start (factor {{ value: factor_lstm }}, step 1 receives {{ value: ratio_lstm }} times what step 60 does) {{ claim: lstm_default_decays }}: its forget gates start half closed. The architecture **allows** a long memory but does not come with one. With the $+4$ bias the curve is almost flat (factor {{ value: factor_lstm_biased }}): the first step receives {{ value: ratio_lstm_biased }} times the gradient of the last {{ claim: biased_flat }}.
# - When trained, the LSTM with the $+4$ bias reaches at least {{ value: lstm_worst }} accuracy at every length and with all three seeds {{ claim: lstm_all_lengths }}. The RNN always gets it right with 5 tokens {{ claim: rnn_short_ok }}; with 10 and 20 it usually gets there too, but not always: {{ value: rnn_mid_solved }} of its 6 runs at those lengths exceed 0.99 {{ claim: rnn_mid_mostly }}. With 40 it stays near chance (mean {{ value: rnn_mean_40 }}, best seed {{ value: rnn_best_40 }}) and with 60 at chance ({{ value: rnn_mean_60 }}) {{ claim: rnn_long_fails }}.
# - Every run clipped the gradient norm at 1, and that did not save the RNN: its problem is not a gradient that explodes but one that does not arrive (exercise 3).

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Una RNN de una sola unidad tiene $w_{hh} = 0{,}9$. Como la derivada de tanh no pasa de 1, ¿qué cota tiene el factor que multiplica al gradiente tras 59 pasos? ¿Y el de una celda LSTM con compuerta de olvido constante $f = 0{,}98$? ¿Y con $f = 0{,}5$?
# 2. Entrena la LSTM **sin** el sesgo de olvido con secuencias de 60 tokens: `length_sweep("lstm", [60])`. ¿Qué exactitud obtiene y por qué?
# 3. Entrena la RNN y la LSTM con sesgo $+4$ en secuencias de 40 tokens **sin** recorte (`fit_classifier(..., clip=None)`) y mira la mayor norma del gradiente, `max(history.grad_norm)`. ¿Cuál de las dos necesita el recorte?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. A one-unit RNN has $w_{hh} = 0.9$. Since the derivative of tanh never exceeds 1, what bound does the factor multiplying the gradient have after 59 steps? And that of an LSTM cell with a constant forget gate $f = 0.98$? And with $f = 0.5$?
# 2. Train the LSTM **without** the forget bias on sequences of 60 tokens: `length_sweep("lstm", [60])`. What accuracy does it get, and why?
# 3. Train the RNN and the LSTM with the $+4$ bias on sequences of 40 tokens **without** clipping (`fit_classifier(..., clip=None)`) and look at the largest gradient norm, `max(history.grad_norm)`. Which of the two needs clipping?

# %% [markdown] lang="es" solution="1"
# Para la RNN, $0{,}9^{59}$ vale como mucho {{ value: bound_rnn }}. Para la celda LSTM, $0{,}98^{59}$ = {{ value: bound_98 }}: casi un tercio de la señal atraviesa los 59 pasos. Con $f = 0{,}5$, $0{,}5^{59}$ = {{ value: bound_50 }}, del orden de lo que hemos medido para la RNN sin entrenar ({{ value: ratio_rnn }}) {{ claim: half_gate_like_rnn }}. Por eso importa dónde empieza la compuerta de olvido.

# %% [markdown] lang="en" solution="1"
# For the RNN, $0.9^{59}$ is at most {{ value: bound_rnn }}. For the LSTM cell, $0.98^{59}$ = {{ value: bound_98 }}: almost a third of the signal crosses the 59 steps. With $f = 0.5$, $0.5^{59}$ = {{ value: bound_50 }}, of the order of what we measured for the untrained RNN ({{ value: ratio_rnn }}) {{ claim: half_gate_like_rnn }}. That is why it matters where the forget gate starts.

# %% solution="1"
bounds = {base: base ** (T - 1) for base in (0.9, 0.98, 0.5)}
for base, bound in bounds.items():
    print(f"{number(base, 'g')}^{T - 1} = {power(bound)}")
publish("bound_rnn", bounds[0.9])
publish("bound_98", bounds[0.98], ".2f")
publish("bound_50", power(bounds[0.5]))
claim(
    "half_gate_like_rnn",
    abs(math.log10(bounds[0.5] / ratio["rnn"])) < 1,
    es="0,5⁵⁹ está a menos de un factor 10 de lo medido para la RNN",
    en="0.5⁵⁹ is within a factor of 10 of what was measured for the RNN",
)

# %% [markdown] lang="es" solution="2"
# Se queda en el azar con las tres semillas: {{ value: default_60 }} {{ claim: lstm_default_stuck }}. Con la compuerta de olvido en torno a $0{,}5$, el primer token recibe un gradiente {{ value: ratio_lstm }} veces el del último, y la red no descubre que ese token es el que importa: ni siquiera con cuatro veces más pasos (`length_sweep("lstm", [60], steps=600)`) pasa de {{ value: patient_60_best }}.

# %% [markdown] lang="en" solution="2"
# It stays at chance with all three seeds: {{ value: default_60 }} {{ claim: lstm_default_stuck }}. With the forget gate around $0.5$, the first token receives a gradient {{ value: ratio_lstm }} times the last one's, and the network does not discover that this token is the one that matters: not even with four times as many steps (`length_sweep("lstm", [60], steps=600)`) does it get above {{ value: patient_60_best }}.

# %% solution="2"
default_60 = length_sweep("lstm", [T])[0]  # (3,): one accuracy per seed
patient_60 = length_sweep("lstm", [T], steps=600)[0]
for steps_done, acc in ((150, default_60), (600, patient_60)):
    runs = " ".join(number(a, ".2f") for a in acc.tolist())
    print(tr(es=f"{steps_done} pasos: ", en=f"{steps_done} steps: ") + runs)
publish("default_60", " · ".join(number(a, ".2f") for a in default_60.tolist()))
publish("patient_60_best", patient_60.max().item(), ".2f")
claim(
    "lstm_default_stuck",
    default_60.max().item() < 0.35 and patient_60.max().item() < 0.35,
    es="sin el sesgo, ninguna semilla pasa de 0,35 ni con 150 ni con 600 pasos",
    en="without the bias, no seed gets above 0.35 with 150 or with 600 steps",
)

# %% [markdown] lang="es" solution="3"
# La RNN nunca pasa de una norma de {{ value: rnn_max_norm }}, así que el recorte a 1 no la tocaba, y sigue en el azar ({{ value: rnn_noclip_acc }}) {{ claim: rnn_never_clipped }}. La LSTM tiene picos aislados por encima de 1 ({{ value: lstm_spikes }} de los 150 pasos, el mayor de {{ value: lstm_max_norm }}) y llega igualmente a {{ value: lstm_noclip_acc }} {{ claim: lstm_spikes_rare }}: esos picos son los que el recorte limita, para que un solo lote no descoloque todos los pesos.

# %% [markdown] lang="en" solution="3"
# The RNN never goes above a norm of {{ value: rnn_max_norm }}, so clipping at 1 never touched it, and it stays at chance ({{ value: rnn_noclip_acc }}) {{ claim: rnn_never_clipped }}. The LSTM has isolated spikes above 1 ({{ value: lstm_spikes }} of the 150 steps, the largest {{ value: lstm_max_norm }}) and reaches {{ value: lstm_noclip_acc }} anyway {{ claim: lstm_spikes_rare }}: those spikes are what clipping caps, so that a single batch cannot knock all the weights out of place.

# %% solution="3"
x, y = first_token_task(2048, 40, seed=1)
x_val, y_val = first_token_task(512, 40, seed=2)
unclipped = {}
for name, cell, bias in (("rnn", "rnn", 0.0), ("lstm_biased", "lstm", 4.0)):
    seed_torch(0)
    model = RecurrentClassifier(
        20, 4, cell=cell, embed_dim=16, hidden_size=32, forget_bias=bias
    )
    unclipped[name] = fit_classifier(
        model,
        x,
        y,
        x_val=x_val,
        y_val=y_val,
        steps=150,
        batch_size=128,
        clip=None,
    )
print(
    align("", 25)
    + align(tr(es="norma máx.", en="max norm"), 11)
    + align(tr(es="pasos > 1", en="steps > 1"), 11)
    + align(tr(es="exactitud", en="accuracy"), 11)
)
for name, history in unclipped.items():
    above = sum(g > 1 for g in history.grad_norm)
    print(
        align(LABEL[name], 25, "<")
        + align(number(max(history.grad_norm), ".2f"), 11)
        + f"{above:11d}"
        + align(number(history.accuracy[-1], ".2f"), 11)
    )
rnn_run, lstm_run = unclipped["rnn"], unclipped["lstm_biased"]
lstm_spikes = sum(g > 1 for g in lstm_run.grad_norm)
publish("rnn_max_norm", max(rnn_run.grad_norm), ".2f")
publish("rnn_noclip_acc", rnn_run.accuracy[-1], ".2f")
publish("lstm_spikes", lstm_spikes)
publish("lstm_max_norm", max(lstm_run.grad_norm), ".1f")
publish("lstm_noclip_acc", lstm_run.accuracy[-1], ".2f")
claim(
    "rnn_never_clipped",
    max(rnn_run.grad_norm) < 1 and rnn_run.accuracy[-1] < 0.35,
    es="sin recorte, la norma del gradiente de la RNN nunca llega a 1 y su "
    "exactitud no pasa de 0,35",
    en="without clipping, the RNN's gradient norm never reaches 1 and its "
    "accuracy stays below 0.35",
)
claim(
    "lstm_spikes_rare",
    max(lstm_run.grad_norm) > 1
    and lstm_spikes < 0.2 * len(lstm_run.grad_norm)
    and lstm_run.accuracy[-1] >= 0.99,
    es="la LSTM pasa de 1 en menos del 20 % de los pasos y aun así llega a "
    "0,99 de exactitud",
    en="the LSTM exceeds 1 in fewer than 20% of the steps and still reaches "
    "0.99 accuracy",
)
