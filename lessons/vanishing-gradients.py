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
#     - See why the gradient travelling backwards in time is a product of matrices that tends to vanish or explode.
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
# There are $T - k$ factors, one per step. The derivative of tanh never exceeds 1, so if the largest norm of $W_{hh}$ (its largest singular value) is below 1, the norm of the product decays **exponentially** with the distance $T - k$: the gradient vanishes. If it is above 1, the product can grow exponentially: the gradient explodes. Bengio, Simard and Frasconi (1994, [doi:10.1109/72.279181](https://doi.org/10.1109/72.279181)) analysed why this makes long-term dependencies hard to learn with gradient descent, and Pascanu, Mikolov and Bengio (2013, [arXiv:1211.5063](https://arxiv.org/abs/1211.5063)) gave these conditions on the singular values and proposed clipping the norm of the gradient against explosion.
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
# Para ponerlo a prueba necesitamos una dependencia larga y nada más. En cada secuencia, el primer token es uno de 4 tokens «señal» (0 a 3) y es la etiqueta; los demás son ruido, tomados al azar de otros 16 tokens (4 a 19). La red lee de izquierda a derecha y predice al final, así que tiene que llevar el primer token a lo largo de toda la secuencia. Acertar por azar es un 25 %.

# %% [markdown] lang="en"
# ## A task with the answer at the start
#
# To put this to the test we need a long dependency and nothing else. In each sequence, the first token is one of 4 "signal" tokens (0 to 3) and is the label; the rest is noise, drawn at random from 16 other tokens (4 to 19). The network reads from left to right and predicts at the end, so it has to carry the first token across the whole sequence. Guessing gives 25 %.

# %%
import torch
from dlcourse.formatting import decimal_comma
from dlcourse.models.rnn import (
    RecurrentClassifier,
    decay_per_step,
    first_token_task,
    input_gradient_norms,
    length_sweep,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all, seed_torch

seed_all(0)
x_demo, y_demo = first_token_task(4, 12, seed=0)
for row, label in zip(x_demo.tolist(), y_demo.tolist(), strict=True):
    print("tokens", " ".join(f"{token:2d}" for token in row), "  -> label", label)
print("every label is the first token:", torch.equal(x_demo[:, 0], y_demo))

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
# - an LSTM with PyTorch's initialisation, in which all biases are small and the forget gate starts around $\sigma(0) = 0.5$;
# - the same LSTM with $+4$ on the forget-gate bias, which makes it start near $\sigma(4) \approx 0.98$: the cell starts out keeping almost everything. Tallec and Ollivier (2018, [arXiv:1804.11188](https://arxiv.org/abs/1804.11188)) propose choosing that bias from the length of the dependencies one expects ("chrono" initialisation); here we simply use a fixed value of that order.

# %%
T = 60
x_probe, y_probe = first_token_task(512, T, seed=2)
variants = {
    "RNN": {"cell": "rnn"},
    "LSTM": {"cell": "lstm"},
    "LSTM, forget bias +4": {"cell": "lstm", "forget_bias": 4.0},
}
legend = {
    "RNN": "RNN",
    "LSTM": "LSTM",
    "LSTM, forget bias +4": "LSTM, sesgo de olvido +4 / forget bias +4",
}
norms = {}
for name, options in variants.items():
    seed_torch(0)
    model = RecurrentClassifier(20, 4, embed_dim=16, hidden_size=32, **options)
    norms[name] = input_gradient_norms(model, x_probe, y_probe)  # (T,)
print(f"{'':22}{'step 1':>10}{'step 30':>10}{'step 60':>10}   step 1 / step 60   factor per step")
for name, g in norms.items():
    print(
        f"{name:22}{g[0]:10.1e}{g[29]:10.1e}{g[-1]:10.1e}{g[0] / g[-1]:19.1e}{decay_per_step(g):18.3f}"
    )

# %%
fig, ax = new_figure(width=6.4, height=4.0)
steps = torch.arange(1, T + 1)
for k, (name, g) in enumerate(norms.items()):
    ax.plot(steps, g, color=PALETTE[k], label=legend[name])
ax.set_yscale("log")
ax.set(
    title="Gradiente por paso de tiempo / Gradient per time step",
    xlabel="paso t (la pérdida está en t = 60) / step t (the loss is at t = 60)",
    ylabel="$\\|\\partial L / \\partial e_t\\|$ (log)",
)
ax.legend()
rnn_g, lstm_g, biased_g = norms.values()
set_alt(
    fig,
    es=f"Norma del gradiente respecto a cada uno de los 60 pasos, en escala logarítmica, para tres redes sin entrenar. En el último paso las tres están entre {min(g[-1] for g in norms.values()):.0e} y {max(g[-1] for g in norms.values()):.0e}. Hacia el principio, la de la RNN cae en línea recta hasta {rnn_g[0]:.0e} en el paso 1; la de la LSTM con la inicialización por defecto cae algo menos, hasta {lstm_g[0]:.0e}; la de la LSTM con sesgo de olvido +4 se mantiene casi plana, en {biased_g[0]:.0e}.",
    en=f"Gradient norm with respect to each of the 60 steps, on a log scale, for three untrained networks. At the last step all three lie between {min(g[-1] for g in norms.values()):.0e} and {max(g[-1] for g in norms.values()):.0e}. Towards the beginning, the RNN's falls in a straight line to {rnn_g[0]:.0e} at step 1; the LSTM with the default initialisation falls somewhat less, to {lstm_g[0]:.0e}; the LSTM with forget bias +4 stays almost flat, at {biased_g[0]:.0e}.",
)

# %% [markdown] lang="es"
# ## Entrenar con secuencias cada vez más largas
#
# Ahora entrenamos la RNN y la LSTM con sesgo de olvido $+4$ en la tarea del primer token para longitudes de 5 a 60. Cada punto es una red nueva entrenada 150 pasos con Adam (tasa 0,01, lotes de 128 secuencias, 2.048 secuencias de entrenamiento) y evaluada en 512 secuencias de validación; repetimos con tres semillas. El entrenamiento **recorta** la norma del gradiente a 1 con `torch.nn.utils.clip_grad_norm_`: si un paso produjera un gradiente enorme (la explosión), se reescala antes de actualizar los pesos. El recorte protege contra la explosión, pero no puede hacer nada contra el desvanecimiento: un gradiente diminuto sigue siéndolo. Un detalle práctico: en la CPU, los números por debajo de unos $10^{-38}$ (los «subnormales» de float32) se procesan varias veces más despacio, y un gradiente que se desvanece produce muchos; `fit_classifier` los trata como cero mientras entrena.

# %% [markdown] lang="en"
# ## Training on longer and longer sequences
#
# Now we train the RNN and the LSTM with forget bias $+4$ on the first-token task for lengths from 5 to 60. Each point is a fresh network trained for 150 steps with Adam (rate 0.01, batches of 128 sequences, 2,048 training sequences) and evaluated on 512 validation sequences; we repeat with three seeds. Training **clips** the gradient norm at 1 with `torch.nn.utils.clip_grad_norm_`: if a step produced a huge gradient (the explosion), it is rescaled before the weights are updated. Clipping guards against explosion, but it can do nothing about vanishing: a tiny gradient stays tiny. A practical detail: on the CPU, numbers below about $10^{-38}$ (float32 "denormals") are handled several times more slowly, and a vanishing gradient produces plenty of them; `fit_classifier` treats them as zero while it trains.

# %%
lengths = [5, 10, 20, 40, 60]
accuracy = {
    "RNN": length_sweep("rnn", lengths),  # (lengths, seeds)
    "LSTM, forget bias +4": length_sweep("lstm", lengths, forget_bias=4.0),
}
print("validation accuracy after 150 steps (3 seeds; chance = 0.25)")
print(f"{'length':>6}   {'RNN':^22}   {'LSTM, forget bias +4':^22}")
for i, length in enumerate(lengths):
    cells = [
        " ".join(f"{a:.2f}" for a in acc[i].tolist()) + f" | {acc[i].mean():.2f}"
        for acc in accuracy.values()
    ]
    print(f"{length:6d}   {cells[0]:^22}   {cells[1]:^22}")

# %%
fig, ax = new_figure(width=6.0, height=3.8)
for k, (name, acc) in enumerate(accuracy.items()):
    for j in range(acc.shape[1]):
        ax.scatter(lengths, acc[:, j], s=16, color=PALETTE[2 * k], alpha=0.5)
    ax.plot(lengths, acc.mean(1), "o-", color=PALETTE[2 * k], label=legend[name])
ax.axhline(0.25, color="#777777", linestyle=":", label="azar / chance")
ax.set(
    title="Exactitud frente a longitud / Accuracy vs length",
    xlabel="longitud de la secuencia / sequence length",
    ylabel="exactitud de validación / validation accuracy",
    ylim=(0, 1.05),
)
ax.legend(loc="center right")
rnn_acc, lstm_acc = (acc.mean(1) for acc in accuracy.values())
set_alt(
    fig,
    es="Exactitud de validación media (línea) y de cada semilla (puntos) frente a la longitud de la secuencia, de 5 a 60, con el azar en 0,25. "
    + f"La exactitud media de la LSTM con sesgo de olvido +4 no baja de {decimal_comma(lstm_acc.min(), 2)} en ninguna longitud. "
    + f"La RNN acierta {decimal_comma(rnn_acc[0], 2)} con 5 tokens, {decimal_comma(rnn_acc[2], 2)} con 20, {decimal_comma(rnn_acc[3], 2)} con 40 y {decimal_comma(rnn_acc[4], 2)} con 60.",
    en=f"Mean validation accuracy (line) and that of each seed (points) against the sequence length, from 5 to 60, with chance at 0.25. The mean accuracy of the LSTM with forget bias +4 is never below {lstm_acc.min():.2f}. The RNN gets {rnn_acc[0]:.2f} with 5 tokens, {rnn_acc[2]:.2f} with 20, {rnn_acc[3]:.2f} with 40 and {rnn_acc[4]:.2f} with 60.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Sin entrenar, el gradiente de la RNN se reduce a la mitad en cada paso hacia atrás (factor 0,502): el primer token, el único que importa en esta tarea, recibe $2 \cdot 10^{-18}$ veces la señal del último. Cualquier cosa que la red pudiera aprender sobre él queda enterrada bajo la señal de los tokens de ruido del final.
# - La LSTM con la inicialización por defecto apenas mejora al principio (factor 0,640, el paso 1 recibe $3{,}5 \cdot 10^{-12}$ veces lo del paso 60): sus compuertas de olvido empiezan medio cerradas. La arquitectura **permite** una memoria larga, pero no la trae de serie. Con el sesgo $+4$ la curva es casi plana (factor 0,998): el primer paso recibe 0,91 veces el gradiente del último.
# - Al entrenar, la LSTM con sesgo $+4$ llega a 1,00 de exactitud en todas las longitudes y con las tres semillas. La RNN acierta siempre con 5 tokens; con 10 y 20, dos semillas llegan a 1,00 y la tercera se queda en torno a 0,50 (solo aprendió a separar dos parejas de clases, {0, 3} y {1, 2}, y dentro de cada pareja elige siempre la misma); con 40 se queda cerca del azar (media 0,32, la mejor semilla 0,46) y con 60 en el azar (0,24).
# - Todos los entrenamientos recortaban la norma del gradiente a 1, y eso no salvó a la RNN: su problema no es un gradiente que explota, sino uno que no llega (ejercicio 3).

# %% [markdown] lang="en"
# ## What to notice
#
# - Untrained, the RNN's gradient halves at every step backwards (factor 0.502): the first token, the only one that matters in this task, receives $2 \cdot 10^{-18}$ times the signal of the last one. Anything the network could learn about it is buried under the signal from the noise tokens at the end.
# - The LSTM with the default initialisation is hardly better at the start (factor 0.640, step 1 receives $3.5 \cdot 10^{-12}$ times what step 60 does): its forget gates start half closed. The architecture **allows** a long memory but does not come with one. With the $+4$ bias the curve is almost flat (factor 0.998): the first step receives 0.91 times the gradient of the last.
# - When trained, the LSTM with the $+4$ bias reaches 1.00 accuracy at every length and with all three seeds. The RNN always gets it right with 5 tokens; with 10 and 20, two seeds reach 1.00 and the third stays around 0.50 (it only learned to tell apart two pairs of classes, {0, 3} and {1, 2}, and within each pair it always picks the same one); with 40 it stays near chance (mean 0.32, best seed 0.46) and with 60 at chance (0.24).
# - Every run clipped the gradient norm at 1, and that did not save the RNN: its problem is not a gradient that explodes but one that does not arrive (exercise 3).

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Una RNN de una sola unidad tiene $w_{hh} = 0{,}9$. Como la derivada de tanh no pasa de 1, ¿qué cota tiene el factor que multiplica al gradiente tras 59 pasos? ¿Y el de una celda LSTM con compuerta de olvido constante $f = 0{,}98$? ¿Y con $f = 0{,}5$?
# 2. Entrena la LSTM **sin** el sesgo de olvido con secuencias de 60 tokens: `length_sweep("lstm", [60])`. ¿Qué exactitud obtiene y por qué?
# 3. Entrena la RNN y la LSTM con sesgo $+4$ en secuencias de 40 tokens **sin** recorte (`fit_classifier(..., clip=None)`) y mira la mayor norma del gradiente, `max(history.grad_norm)`. ¿Cuál de las dos necesita el recorte?
#
# ??? success "Solución 1"
#     $0{,}9^{59} \approx 0{,}002$ como mucho para la RNN. Para la celda LSTM, $0{,}98^{59} \approx 0{,}30$: casi un tercio de la señal atraviesa los 59 pasos. Con $f = 0{,}5$, $0{,}5^{59} \approx 1{,}7 \cdot 10^{-18}$, del orden de lo que hemos medido para la RNN sin entrenar. Por eso importa dónde empieza la compuerta de olvido.
#
# ??? success "Solución 2"
#     ```python
#     print(length_sweep("lstm", [60]))  # tensor([[0.2227, 0.2520, 0.2480]])
#     ```
#     Se queda en el azar con las tres semillas. Con la compuerta de olvido en torno a 0,5, el primer token recibe un gradiente $10^{-12}$ veces menor que el último, y la red no descubre que ese token es el que importa: ni siquiera con cuatro veces más pasos (`length_sweep("lstm", [60], steps=600)`) pasa de 0,27.
#
# ??? success "Solución 3"
#     ```python
#     from dlcourse.models.rnn import fit_classifier
#
#     x, y = first_token_task(2048, 40, seed=1)
#     x_val, y_val = first_token_task(512, 40, seed=2)
#     for cell, bias in (("rnn", 0.0), ("lstm", 4.0)):
#         torch.manual_seed(0)
#         model = RecurrentClassifier(20, 4, cell=cell, embed_dim=16, hidden_size=32, forget_bias=bias)
#         history = fit_classifier(
#             model, x, y, x_val=x_val, y_val=y_val, steps=150, batch_size=128, clip=None
#         )
#         print(cell, f"{max(history.grad_norm):.2f}", history.accuracy[-1])
#     ```
#     La RNN nunca pasa de una norma de 0,49, así que el recorte a 1 no la tocaba, y sigue en el azar. La LSTM tiene picos aislados de hasta 9,9 (el mayor, en el paso 74, cuando ya acertaba todo; en este caso llega igualmente a 1,00): esos picos son los que el recorte limita, para que un solo lote no descoloque todos los pesos.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. A one-unit RNN has $w_{hh} = 0.9$. Since the derivative of tanh never exceeds 1, what bound does the factor multiplying the gradient have after 59 steps? And that of an LSTM cell with a constant forget gate $f = 0.98$? And with $f = 0.5$?
# 2. Train the LSTM **without** the forget bias on sequences of 60 tokens: `length_sweep("lstm", [60])`. What accuracy does it get, and why?
# 3. Train the RNN and the LSTM with the $+4$ bias on sequences of 40 tokens **without** clipping (`fit_classifier(..., clip=None)`) and look at the largest gradient norm, `max(history.grad_norm)`. Which of the two needs clipping?
#
# ??? success "Solution 1"
#     $0.9^{59} \approx 0.002$ at most for the RNN. For the LSTM cell, $0.98^{59} \approx 0.30$: almost a third of the signal crosses the 59 steps. With $f = 0.5$, $0.5^{59} \approx 1.7 \cdot 10^{-18}$, of the order of what we measured for the untrained RNN. That is why it matters where the forget gate starts.
#
# ??? success "Solution 2"
#     ```python
#     print(length_sweep("lstm", [60]))  # tensor([[0.2227, 0.2520, 0.2480]])
#     ```
#     It stays at chance with all three seeds. With the forget gate around 0.5, the first token receives a gradient $10^{-12}$ times smaller than the last one, and the network does not discover that this token is the one that matters: not even with four times as many steps (`length_sweep("lstm", [60], steps=600)`) does it get above 0.27.
#
# ??? success "Solution 3"
#     ```python
#     from dlcourse.models.rnn import fit_classifier
#
#     x, y = first_token_task(2048, 40, seed=1)
#     x_val, y_val = first_token_task(512, 40, seed=2)
#     for cell, bias in (("rnn", 0.0), ("lstm", 4.0)):
#         torch.manual_seed(0)
#         model = RecurrentClassifier(20, 4, cell=cell, embed_dim=16, hidden_size=32, forget_bias=bias)
#         history = fit_classifier(
#             model, x, y, x_val=x_val, y_val=y_val, steps=150, batch_size=128, clip=None
#         )
#         print(cell, f"{max(history.grad_norm):.2f}", history.accuracy[-1])
#     ```
#     The RNN never goes above a norm of 0.49, so clipping at 1 never touched it, and it stays at chance. The LSTM has isolated spikes of up to 9.9 (the largest at step 74, when it already got everything right; here it reaches 1.00 anyway): those spikes are what clipping caps, so that a single batch cannot knock all the weights out of place.
