# ---
# jupyter:
#   lesson:
#     title:
#       es: Mezcla dispersa de expertos
#       en: Sparse mixture of experts
#     summary:
#       es: Enrutamiento top-1, capacidad de cada experto y la pérdida de equilibrio de Switch Transformers, medidos en un modelo pequeño.
#       en: Top-1 routing, expert capacity and the Switch Transformers load-balancing loss, measured on a small model.
#     order: 33
#     budget_cpu_s: 90
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Escribir el enrutamiento top-1 de una capa de expertos: el enrutador elige **un** experto por token y escala su salida por la probabilidad que le dio.
#     - Calcular la **capacidad** de un experto y ver qué ocurre con los tokens que no caben.
#     - Entender la **pérdida de equilibrio** de Switch Transformers y medir su efecto: cuántos expertos se usan y cuántos tokens se descartan con ella y sin ella.
#
# Artículo asociado: [nota sobre *Switch Transformers*](../papers/switch-transformers.md) (y la del [Transformer](../papers/transformer.md), cuya capa *feed-forward* es la que se sustituye). Referencia de la API: [`dlcourse.lessons.mixture_of_experts`](../api/lessons/mixture_of_experts.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Write the top-1 routing of an expert layer: the router picks **one** expert per token and scales its output by the probability it gave it.
#     - Compute an expert's **capacity** and see what happens to the tokens that do not fit.
#     - Understand the Switch Transformers **load-balancing loss** and measure its effect: how many experts are used and how many tokens are dropped with and without it.
#
# Related paper: [note on *Switch Transformers*](../papers/switch-transformers.md) (and the one on the [Transformer](../papers/transformer.md), whose feed-forward layer is the one being replaced). API reference: [`dlcourse.lessons.mixture_of_experts`](../api/lessons/mixture_of_experts.md).

# %% [markdown] lang="es"
# ## La idea
#
# Un modelo denso usa todos sus parámetros con cada token. Una capa de **mezcla de expertos** tiene $E$ redes *feed-forward* (los expertos) y un **enrutador** lineal que decide cuál procesa cada token. Para un token $\mathbf{x}$, el enrutador da probabilidades
#
# $$
# \mathbf{p}(\mathbf{x}) = \operatorname{softmax}(W_r\, \mathbf{x}), \qquad i^\ast = \arg\max_i\, p_i(\mathbf{x}),
# $$
#
# y la salida es la del experto elegido escalada por su probabilidad:
#
# $$
# \mathbf{y} = p_{i^\ast}(\mathbf{x})\; \mathrm{FFN}_{i^\ast}(\mathbf{x}).
# $$
#
# El factor $p_{i^\ast}$ no es decorativo: es el único camino por el que el gradiente de la tarea llega al enrutador, porque el $\arg\max$ no es derivable. Fedus, Zoph y Shazeer (2022) mostraron que basta con **un** experto por token (*top-1*), lo que reduce el cómputo y la comunicación frente a elegir varios. Así, el número de parámetros crece con $E$, pero el cómputo por token es el de un solo experto.
#
# Para que el trabajo quepa en lotes de tamaño fijo, cada experto acepta como mucho
#
# $$
# C = \left\lceil c \cdot \frac{T}{E} \right\rceil
# $$
#
# tokens de un lote de $T$, donde $c$ es el **factor de capacidad**. Los tokens que llegan a un experto lleno se **descartan**: la capa devuelve cero para ellos y la conexión residual los deja pasar sin cambios.
#
# Si el enrutador manda casi todo a uno o dos expertos, los demás no aprenden y se descartan muchos tokens. Por eso se añade a la pérdida un término de equilibrio, con $f_i$ la fracción de tokens cuyo experto elegido es $i$ y $P_i$ la probabilidad media que el enrutador asigna a $i$:
#
# $$
# \mathcal{L}_{\text{eq}} = \alpha \cdot E \sum_{i=1}^{E} f_i\, P_i .
# $$
#
# Vale $\alpha$ cuando el reparto es uniforme ($f_i = P_i = 1/E$) y crece cuando se concentra. $f_i$ es un recuento y no tiene gradiente; el gradiente pasa por $P_i$ y baja la probabilidad de los expertos que ya reciben más de lo que les toca.

# %% [markdown] lang="en"
# ## The idea
#
# A dense model uses all of its parameters on every token. A **mixture-of-experts** layer has $E$ feed-forward networks (the experts) and a linear **router** that decides which one processes each token. For a token $\mathbf{x}$ the router gives probabilities
#
# $$
# \mathbf{p}(\mathbf{x}) = \operatorname{softmax}(W_r\, \mathbf{x}), \qquad i^\ast = \arg\max_i\, p_i(\mathbf{x}),
# $$
#
# and the output is the chosen expert's, scaled by its probability:
#
# $$
# \mathbf{y} = p_{i^\ast}(\mathbf{x})\; \mathrm{FFN}_{i^\ast}(\mathbf{x}).
# $$
#
# The factor $p_{i^\ast}$ is not decoration: it is the only path by which the task's gradient reaches the router, because $\arg\max$ is not differentiable. Fedus, Zoph and Shazeer (2022) showed that **one** expert per token (*top-1*) is enough, which cuts computation and communication compared with picking several. The parameter count thus grows with $E$, while the computation per token is that of a single expert.
#
# So that the work fits in fixed-size batches, each expert accepts at most
#
# $$
# C = \left\lceil c \cdot \frac{T}{E} \right\rceil
# $$
#
# tokens from a batch of $T$, where $c$ is the **capacity factor**. Tokens that reach a full expert are **dropped**: the layer returns zero for them and the residual connection carries them through unchanged.
#
# If the router sends almost everything to one or two experts, the others do not learn and many tokens are dropped. That is why a balancing term is added to the loss, with $f_i$ the fraction of tokens whose chosen expert is $i$ and $P_i$ the average probability the router gives to $i$:
#
# $$
# \mathcal{L}_{\text{bal}} = \alpha \cdot E \sum_{i=1}^{E} f_i\, P_i .
# $$
#
# It equals $\alpha$ when the split is uniform ($f_i = P_i = 1/E$) and grows as it concentrates. $f_i$ is a count and has no gradient; the gradient flows through $P_i$ and lowers the probability of the experts that already receive more than their share.

# %% [markdown] lang="es"
# ## El enrutamiento, token a token
#
# Ocho tokens, cuatro expertos y factor de capacidad 1: cada experto admite $\lceil 8/4 \rceil = 2$ tokens. Los logits del enrutador son aleatorios (con semilla) para ver el mecanismo sin entrenar nada. Los tokens se atienden en orden; la columna «puesto» dice qué lugar ocupa cada uno en la cola de su experto.

# %% [markdown] lang="en"
# ## Routing, token by token
#
# Eight tokens, four experts and capacity factor 1: each expert admits $\lceil 8/4 \rceil = 2$ tokens. The router logits are random (seeded) so we can see the mechanism without training anything. Tokens are served in order; the "queue" column says which place each one takes in its expert's queue.

# %%
import torch
from dlcourse.data.digits import digits_split
from dlcourse.lessons.mixture_of_experts import (
    SwitchClassifier,
    expert_capacity,
    route_top1,
    train_switch,
)
from dlcourse.models import count_parameters
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import pick_device, seed_all, seeded_generator

seed_all(0)
TOKENS, EXPERTS = 8, 4
capacity = expert_capacity(TOKENS, EXPERTS, capacity_factor=1.0)
logits = 2.0 * torch.randn(TOKENS, EXPERTS, generator=seeded_generator(1))  # (T, E)
routing = route_top1(logits, capacity)
queue = torch.zeros(EXPERTS, dtype=torch.int64)
print(f"capacity per expert: {capacity}")
print("token  probabilities (E0..E3)        expert  gate  queue  kept")
for t in range(TOKENS):
    e = routing.expert[t].item()
    queue[e] += 1
    probs = " ".join(f"{p:.2f}" for p in routing.probabilities[t].tolist())
    print(
        f"{t:>5}  {probs}   {e:>6}  {routing.gate[t]:.2f}  {queue[e].item():>5}"
        f"  {'yes' if routing.kept[t] else 'no (dropped)'}"
    )
print(
    "f_i (share of tokens per expert):", [round(v, 3) for v in routing.dispatch_fraction.tolist()]
)
print("P_i (mean router probability):   ", [round(v, 3) for v in routing.mean_probability.tolist()])
print(
    f"balance loss E·Σ f_i·P_i = {routing.balance_loss:.3f} · dropped {routing.dropped_fraction:.0%}"
)

# %% [markdown] lang="es"
# El experto 0 es el favorito de la mitad de los tokens, pero solo admite dos: los que llegan tercero y cuarto a su cola se descartan, mientras el experto 3 se queda sin trabajo. Por eso $f$ se aleja del 25 % por experto y la pérdida de equilibrio supera 1.
#
# La pérdida de equilibrio tiene un mínimo claro y un máximo claro. Con el enrutador perfectamente uniforme vale 1; si manda todo a un único experto con total seguridad, vale $E$:

# %% [markdown] lang="en"
# Expert 0 is the favourite of half of the tokens, but it admits only two: those arriving third and fourth in its queue are dropped, while expert 3 is left without work. That is why $f$ moves away from 25 % per expert and the balancing loss exceeds 1.
#
# The balancing loss has a clear minimum and a clear maximum. With a perfectly uniform router it is 1; if it sends everything to a single expert with full confidence, it is $E$:

# %%
uniform = route_top1(torch.zeros(TOKENS, EXPERTS), capacity)  # all logits equal
collapsed_logits = torch.full((TOKENS, EXPERTS), -30.0)
collapsed_logits[:, 0] = 30.0  # every token certain of expert 0
collapsed = route_top1(collapsed_logits, capacity)
print(f"uniform router:   balance loss {uniform.balance_loss:.3f}")
print(
    f"collapsed router: balance loss {collapsed.balance_loss:.3f}"
    f" · dropped {collapsed.dropped_fraction:.0%} of the tokens"
)

# %% [markdown] lang="es"
# En el caso uniforme todos los logits son iguales y `argmax` elige siempre el experto 0, así que $f$ no es uniforme aunque $P$ sí lo sea; aun así la pérdida vale 1, porque $\sum_i f_i = 1$ y cada $P_i = 1/E$. El caso colapsado descarta seis de cada ocho tokens: solo caben dos en el experto 0.
#
# ## Una capa de expertos en un clasificador
#
# Entrenamos un clasificador de dígitos (las imágenes 8×8 de scikit-learn) cuyo bloque central es una capa Switch con 4 expertos, dentro de una conexión residual:
#
# $$
# \mathbf{h} = \mathrm{ReLU}(W_{\text{in}}\mathbf{x}), \qquad
# \text{logits} = W_{\text{out}}\, \mathrm{LayerNorm}\big(\mathbf{h} + \mathrm{Switch}(\mathbf{h})\big).
# $$
#
# Aquí cada imagen hace el papel de un token: a la capa le da igual de dónde venga el vector. Entrenamos tres veces con las mismas semillas, cambiando solo el peso $\alpha$ de la pérdida de equilibrio: 0 (sin equilibrio), 0,01 (el valor que usa el artículo) y 0,1. El factor de capacidad es 1, sin holgura, y la capacidad también se aplica al evaluar.

# %% [markdown] lang="en"
# With the uniform router all logits are equal and `argmax` always picks expert 0, so $f$ is not uniform even though $P$ is; the loss is still 1, because $\sum_i f_i = 1$ and every $P_i = 1/E$. The collapsed case drops six tokens out of eight: only two fit in expert 0.
#
# ## An expert layer inside a classifier
#
# We train a digit classifier (scikit-learn's 8×8 images) whose central block is a Switch layer with 4 experts, inside a residual connection:
#
# $$
# \mathbf{h} = \mathrm{ReLU}(W_{\text{in}}\mathbf{x}), \qquad
# \text{logits} = W_{\text{out}}\, \mathrm{LayerNorm}\big(\mathbf{h} + \mathrm{Switch}(\mathbf{h})\big).
# $$
#
# Here each image plays the part of a token: the layer does not care where the vector comes from. We train three times with the same seeds, changing only the weight $\alpha$ of the balancing loss: 0 (no balancing), 0.01 (the value the paper uses) and 0.1. The capacity factor is 1, with no slack, and capacity also applies at evaluation.

# %%
device = pick_device()
split = digits_split()  # 1,347 training and 450 validation images of 64 pixels
EPOCHS = 30
runs = {
    coef: train_switch(split, balance_coef=coef, epochs=EPOCHS, device=device)
    for coef in (0.0, 0.01, 0.1)
}

print(
    f"device: {device} · {EPOCHS} epochs · batches of 128 tokens · capacity {expert_capacity(128, 4, 1.0)} per expert"
)
print(" alpha   val acc   dropped   balance loss   share of validation tokens per expert")
for coef, run in runs.items():
    h = run.history
    shares = "  ".join(f"E{i} {s:4.0%}" for i, s in enumerate(run.utilisation[-1]))
    print(
        f"{coef:6.2f}   {h['val_acc'][-1]:7.3f}   {h['val_dropped'][-1]:7.1%}   {h['balance_loss'][-1]:12.3f}   {shares}"
    )

# %%
labels = {0.0: "α = 0", 0.01: "α = 0.01", 0.1: "α = 0.1"}
fig, (ax_share, ax_drop) = new_figure(ncols=2, width=5.4, height=4.0)
width = 0.26
for k, (coef, run) in enumerate(runs.items()):
    positions = [e + (k - 1) * width for e in range(4)]
    ax_share.bar(positions, run.utilisation[-1], width=width, color=PALETTE[k], label=labels[coef])
    ax_drop.plot(
        range(1, EPOCHS + 1), run.history["val_dropped"], color=PALETTE[k], label=labels[coef]
    )
ax_share.axhline(0.25, color="#555555", linestyle="--", linewidth=1.2)
ax_share.set(
    title="Reparto entre expertos / Expert share",
    xlabel="experto / expert",
    ylabel="fracción de tokens / token share",
    xticks=range(4),
)
ax_drop.set(
    title="Tokens descartados / Dropped tokens",
    xlabel="época / epoch",
    ylabel="fracción descartada / dropped share",
)
ax_share.legend()
ax_drop.legend()
last = {coef: run.history["val_dropped"][-1] for coef, run in runs.items()}
idle = {coef: sum(s < 0.02 for s in run.utilisation[-1]) for coef, run in runs.items()}
set_alt(
    fig,
    es="Izquierda: barras con la fracción de tokens de validación que recibe cada uno de los 4 expertos para α = 0, 0,01 y 0,1, con una línea discontinua en el reparto uniforme del 25 %. "
    + f"Expertos casi sin uso: {idle[0.0]}, {idle[0.01]} y {idle[0.1]}. "
    + f"Derecha: fracción de tokens descartados por época; al final {last[0.0]:.0%}, {last[0.01]:.0%} y {last[0.1]:.0%}.",
    en="Left: bars with the share of validation tokens each of the 4 experts receives for α = 0, 0.01 and 0.1, with a dashed line at the uniform 25 % share. "
    + f"Experts almost unused: {idle[0.0]}, {idle[0.01]} and {idle[0.1]}. "
    + f"Right: share of dropped tokens per epoch; at the end {last[0.0]:.0%}, {last[0.01]:.0%} and {last[0.1]:.0%}.",
)

# %% [markdown] lang="es"
# ## El factor de capacidad
#
# La otra palanca es la holgura: con $c > 1$ cada experto acepta más tokens de los que le tocarían con un reparto perfecto. Con $c = E$ la capacidad es el lote entero y no se descarta nada, pero se reserva memoria y cómputo para tokens que casi nunca llegan. Repetimos el entrenamiento con $\alpha = 0{,}01$ y tres factores:

# %% [markdown] lang="en"
# ## The capacity factor
#
# The other lever is slack: with $c > 1$ each expert accepts more tokens than a perfect split would give it. With $c = E$ the capacity is the whole batch and nothing is dropped, but memory and compute are reserved for tokens that rarely arrive. We repeat the training with $\alpha = 0.01$ and three factors:

# %%
factors = (1.0, 1.25, 2.0)
by_factor = {
    c: train_switch(split, balance_coef=0.01, epochs=EPOCHS, capacity_factor=c, device=device)
    for c in factors
}
print("factor   capacity (of 128)   val acc   dropped")
for c, run in by_factor.items():
    print(
        f"{c:6.2f}   {expert_capacity(128, 4, c):17d}   {run.history['val_acc'][-1]:7.3f}   {run.history['val_dropped'][-1]:7.1%}"
    )

fig, ax = new_figure(width=5.6, height=3.6)
ax.bar(
    [f"{c:g}" for c in factors],
    [by_factor[c].history["val_dropped"][-1] for c in factors],
    color=PALETTE[0],
)
ax.set(
    title="Capacidad y descartes / Capacity and drops",
    xlabel="factor de capacidad / capacity factor",
    ylabel="fracción descartada / dropped share",
)
drops = [by_factor[c].history["val_dropped"][-1] for c in factors]
set_alt(
    fig,
    es="Barras con la fracción de tokens de validación descartados para factores de capacidad 1, 1,25 y 2 (α = 0,01): "
    + ", ".join(f"{d:.1%}" for d in drops).replace(".", ",")
    + ".",
    en="Bars with the share of validation tokens dropped for capacity factors 1, 1.25 and 2 (α = 0.01): "
    + ", ".join(f"{d:.1%}" for d in drops)
    + ".",
)

# %% [markdown] lang="es"
# ## Parámetros frente a cómputo
#
# Lo que se gana con los expertos es capacidad de memoria sin más cálculo por token. Contamos los parámetros del modelo y los que realmente usa un token (el enrutador, un experto y el resto de la red):

# %% [markdown] lang="en"
# ## Parameters versus computation
#
# What experts buy is memorising capacity without more computation per token. We count the model's parameters and those a token actually uses (the router, one expert and the rest of the network):

# %%
model = SwitchClassifier(64, 10, experts=4)
one_expert = count_parameters(model.switch.experts[0])
total = count_parameters(model)
print(f"total parameters: {total:,} · in the 4 experts: {4 * one_expert:,}")
print(
    f"parameters used by one token: {total - 3 * one_expert:,} ({(total - 3 * one_expert) / total:.0%} of the model)"
)
for experts in (8, 16):
    bigger = SwitchClassifier(64, 10, experts=experts)
    used = count_parameters(bigger) - (experts - 1) * one_expert
    print(f"with {experts:>2} experts: {count_parameters(bigger):,} parameters, {used:,} per token")

# %% [markdown] lang="es"
# ## Qué observar
#
# - Sin pérdida de equilibrio ($\alpha = 0$) el enrutador deja al menos un experto casi sin tokens y se descarta una fracción grande de ellos, aunque el lote se reparta entre cuatro expertos: la capacidad pensada para un reparto uniforme no sirve si el reparto no lo es.
# - Con $\alpha = 0{,}01$ el reparto se acerca al 25 % por experto y los descartes bajan; con $\alpha = 0{,}1$ el reparto es casi uniforme y los descartes bajan más. La pérdida de equilibrio medida se acerca a su mínimo, 1.
# - La exactitud de validación apenas cambia en este problema pequeño: la conexión residual deja pasar los tokens descartados, y la parte densa de la red basta para clasificar dígitos. En modelos grandes, un experto ocioso son parámetros desperdiciados, y ahí el equilibrio importa más.
# - Incluso con el reparto casi uniforme se descarta algo con $c = 1$: el reparto de **cada lote** fluctúa alrededor del promedio. Un factor de 1,25 reduce mucho los descartes y con 2 desaparecen casi del todo, a cambio de reservar más capacidad.
# - El número de parámetros crece con cada experto que se añade, pero los que usa un token apenas cambian (solo crece el enrutador): esa es la apuesta de Switch Transformers.

# %% [markdown] lang="en"
# ## What to notice
#
# - Without the balancing loss ($\alpha = 0$) the router leaves at least one expert almost without tokens and a large share of them is dropped, even though the batch is split among four experts: capacity sized for a uniform split does not work when the split is not uniform.
# - With $\alpha = 0.01$ the split moves towards 25 % per expert and drops fall; with $\alpha = 0.1$ the split is nearly uniform and drops fall further. The measured balancing loss approaches its minimum, 1.
# - Validation accuracy barely changes on this small problem: the residual connection carries the dropped tokens through, and the dense part of the network is enough to classify digits. In large models an idle expert is wasted parameters, and there balance matters more.
# - Even with a nearly uniform split something is dropped at $c = 1$: the split of **each batch** fluctuates around the average. A factor of 1.25 cuts drops a lot and at 2 they almost vanish, at the price of reserving more capacity.
# - The parameter count grows with every expert added, but the parameters a token uses barely change (only the router grows): that is the bet of Switch Transformers.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Calcula a mano la pérdida de equilibrio (sin $\alpha$) con $E = 4$ si la mitad de los tokens va al experto 0 y la otra mitad al 1, y el enrutador da probabilidad media 0,5 a cada uno de esos dos. Compruébalo con `route_top1`.
# 2. ¿Qué factor de capacidad garantiza que no se descarte ningún token, sea cual sea el reparto? Compruébalo entrenando con él y $\alpha = 0$.
# 3. Entrena sin equilibrio con 8 expertos (`train_switch(split, balance_coef=0.0, experts=8)`). ¿Cuántos expertos reciben menos del 2 % de los tokens de validación?
#
# ??? success "Solución 1"
#     $f = P = (0{,}5;\ 0{,}5;\ 0;\ 0)$, así que $E \sum_i f_i P_i = 4\,(0{,}25 + 0{,}25) = 2$: a medio camino entre el reparto uniforme (1) y el colapso total (4).
#     ```python
#     logits = torch.full((8, 4), -30.0)
#     logits[:4, 0] = logits[4:, 1] = 30.0
#     print(route_top1(logits, capacity=2).balance_loss)  # tensor(2.)
#     ```
#
# ??? success "Solución 2"
#     $c = E$: entonces $C = \lceil E \cdot T / E \rceil = T$ y un experto puede recibir el lote entero.
#     ```python
#     run = train_switch(split, balance_coef=0.0, capacity_factor=4.0)
#     print(max(run.history["val_dropped"]))  # 0.0
#     ```
#
# ??? success "Solución 3"
#     ```python
#     run = train_switch(split, balance_coef=0.0, experts=8)
#     print(sum(s < 0.02 for s in run.utilisation[-1]), [round(s, 2) for s in run.utilisation[-1]])
#     ```
#     Con la semilla 0, seis de los ocho expertos quedan sin tokens y los otros dos se reparten la mitad cada uno: sin equilibrio, añadir expertos no garantiza que se usen.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Compute by hand the balancing loss (without $\alpha$) with $E = 4$ if half of the tokens go to expert 0 and the other half to expert 1, and the router gives an average probability of 0.5 to each of those two. Check it with `route_top1`.
# 2. Which capacity factor guarantees that no token is dropped, whatever the split? Check it by training with it and $\alpha = 0$.
# 3. Train without balancing with 8 experts (`train_switch(split, balance_coef=0.0, experts=8)`). How many experts receive less than 2 % of the validation tokens?
#
# ??? success "Solution 1"
#     $f = P = (0.5, 0.5, 0, 0)$, so $E \sum_i f_i P_i = 4\,(0.25 + 0.25) = 2$: halfway between the uniform split (1) and total collapse (4).
#     ```python
#     logits = torch.full((8, 4), -30.0)
#     logits[:4, 0] = logits[4:, 1] = 30.0
#     print(route_top1(logits, capacity=2).balance_loss)  # tensor(2.)
#     ```
#
# ??? success "Solution 2"
#     $c = E$: then $C = \lceil E \cdot T / E \rceil = T$ and one expert can take the whole batch.
#     ```python
#     run = train_switch(split, balance_coef=0.0, capacity_factor=4.0)
#     print(max(run.history["val_dropped"]))  # 0.0
#     ```
#
# ??? success "Solution 3"
#     ```python
#     run = train_switch(split, balance_coef=0.0, experts=8)
#     print(sum(s < 0.02 for s in run.utilisation[-1]), [round(s, 2) for s in run.utilisation[-1]])
#     ```
#     With seed 0, six of the eight experts get no tokens and the other two take half each: without balancing, adding experts does not guarantee they are used.
