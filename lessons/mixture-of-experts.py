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
# Artículo asociado: [nota sobre *Switch Transformers*](../papers/switch-transformers.md) (y la del [Transformer](../papers/transformer.md), cuya red prealimentada (*feed-forward*) es la que se sustituye). Referencia de la API: [`dlcourse.lessons.mixture_of_experts`](../api/lessons/mixture_of_experts.md).

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
# Un modelo denso usa todos sus parámetros con cada token. Una capa de **mezcla de expertos** tiene $E$ redes prealimentadas (los expertos) y un **enrutador** lineal que decide cuál procesa cada token. Para un token $\mathbf{x}$, el enrutador da probabilidades
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
from dlcourse.bilingual import align, claim, number, percent, publish, tr
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
logits = 2.0 * torch.randn(TOKENS, EXPERTS, generator=seeded_generator(1))
routing = route_top1(logits, capacity)  # logits: (T, E)
queue = torch.zeros(EXPERTS, dtype=torch.int64)
places = []  # each token's place in its expert's queue
expert_word = tr(es="experto", en="expert")
capacity_word = tr(es="capacidad por experto", en="capacity per expert")
print(f"{capacity_word}: {capacity}")
print(
    "token  p(E0)..p(E3)         "
    + align(expert_word, 7)
    + "  "
    + align(tr(es="compuerta", en="gate"), 9)
    + "  "
    + align(tr(es="puesto", en="queue"), 6)
    + "  "
    + tr(es="admitido", en="kept")
)
yes = tr(es="sí", en="yes")
dropped_word = tr(es="no (descartado)", en="no (dropped)")
for t in range(TOKENS):
    e = routing.expert[t].item()
    queue[e] += 1
    places.append(queue[e].item())
    row = routing.probabilities[t].tolist()  # (E,)
    probs = " ".join(number(p, ".2f") for p in row)
    gate = align(number(routing.gate[t].item(), ".2f"), 9)
    print(
        f"{t:>5}  {probs}  {e:>7}  {gate}"
        f"  {places[-1]:>6}  {yes if routing.kept[t] else dropped_word}"
    )


def listed(values: torch.Tensor) -> str:
    """A vector's entries in the page's language, one after another."""
    return "  ".join(number(v, ".3f") for v in values.tolist())


f_label = tr(es="f_i (fracción de tokens):", en="f_i (share of tokens):")
print(align(f_label, 25, "<"), listed(routing.dispatch_fraction))
print(
    align(
        tr(es="P_i (probabilidad media):", en="P_i (mean probability):"),
        25,
        "<",
    ),
    listed(routing.mean_probability),
)
print(
    tr(es="pérdida de equilibrio", en="balance loss")
    + f" E·Σ f_i·P_i = {number(routing.balance_loss.item())} · "
    + tr(es="descartados", en="dropped")
    + f" {percent(routing.dropped_fraction)}"
)

counts = torch.bincount(routing.expert, minlength=EXPERTS)  # (E,)
busiest = counts.argmax().item()
overflow = [t for t in range(TOKENS) if places[t] > capacity]
publish("capacity", capacity)
publish("busiest", busiest)
publish("busiest_count", counts[busiest].item())
publish("n_dropped", len(overflow))
publish("n_idle_toy", int((counts == 0).sum().item()))
publish("uniform_share", percent(1 / EXPERTS))
publish("toy_balance", routing.balance_loss.item())
claim(
    "overflow_dropped",
    len(overflow) >= 1
    and all(not routing.kept[t] for t in overflow)
    and int(routing.kept.sum()) == TOKENS - len(overflow),
    es="se descartan justo los tokens que llegan a una cola llena (hay alguno)",
    en="exactly the tokens reaching a full queue are dropped (there are some)",
)
claim(
    "toy_unbalanced",
    counts.max().item() > TOKENS // EXPERTS and routing.balance_loss > 1,
    es="algún experto recibe más de su parte y la pérdida supera 1",
    en="some expert gets more than its share and the loss exceeds 1",
)

# %% [markdown] lang="es"
# El experto {{ value: busiest }} es el favorito de {{ value: busiest_count }} tokens, pero solo admite {{ value: capacity }}: los que llegan a su cola cuando ya está llena se descartan ({{ value: n_dropped }} en este lote) {{ claim: overflow_dropped }}; los expertos que se quedan sin ningún token son {{ value: n_idle_toy }}. Por eso $f$ se aleja del {{ value: uniform_share }} por experto y la pérdida de equilibrio, {{ value: toy_balance }}, supera 1 {{ claim: toy_unbalanced }}.
#
# Dos casos extremos sirven de referencia. Con el enrutador perfectamente uniforme la pérdida de equilibrio vale 1; si manda todo a un único experto con total seguridad, vale $E$, su valor máximo. El 1, en cambio, no es un mínimo: $f$ cuenta elecciones y $P$ promedia probabilidades, y si los tokens de un experto dejan el resto de su probabilidad en expertos que casi nadie elige, la suma baja de 1. Solo en la versión idealizada con $f_i = P_i$, donde la pérdida es $E\sum_i P_i^2$, el reparto uniforme es el mínimo.

# %% [markdown] lang="en"
# Expert {{ value: busiest }} is the favorite of {{ value: busiest_count }} tokens, but it admits only {{ value: capacity }}: those that reach its queue once it is full are dropped ({{ value: n_dropped }} in this batch) {{ claim: overflow_dropped }}; the experts left without any token number {{ value: n_idle_toy }}. That is why $f$ moves away from {{ value: uniform_share }} per expert and the balancing loss, {{ value: toy_balance }}, exceeds 1 {{ claim: toy_unbalanced }}.
#
# Two extreme cases serve as landmarks. With a perfectly uniform router the balancing loss is 1; if it sends everything to a single expert with full confidence, it is $E$, its largest value. The 1, however, is not a minimum: $f$ counts choices and $P$ averages probabilities, and if the tokens of one expert leave the rest of their probability on experts that hardly anyone chooses, the sum drops below 1. Only in the idealized version with $f_i = P_i$, where the loss is $E\sum_i P_i^2$, is the uniform split the minimum.

# %%
uniform = route_top1(torch.zeros(TOKENS, EXPERTS), capacity)  # all logits equal
collapsed_logits = torch.full((TOKENS, EXPERTS), -30.0)
collapsed_logits[:, 0] = 30.0  # every token certain of expert 0
collapsed = route_top1(collapsed_logits, capacity)
loss_word = tr(es="pérdida de equilibrio", en="balance loss")
print(
    align(tr(es="enrutador uniforme:", en="uniform router:"), 21, "<")
    + f"{loss_word} {number(uniform.balance_loss.item())}"
)
collapsed_dropped = int((~collapsed.kept).sum())
print(
    align(tr(es="enrutador colapsado:", en="collapsed router:"), 21, "<")
    + f"{loss_word} {number(collapsed.balance_loss.item())} · "
    + tr(
        es=f"descartados {collapsed_dropped} de {TOKENS} tokens",
        en=f"dropped {collapsed_dropped} of {TOKENS} tokens",
    )
)
publish("collapsed_dropped", collapsed_dropped)
claim(
    "loss_extremes",
    abs(uniform.balance_loss.item() - 1) < 1e-6
    and abs(collapsed.balance_loss.item() - EXPERTS) < 1e-6,
    es="la pérdida vale 1 con el enrutador uniforme y E con el colapsado",
    en="the loss is 1 with the uniform router and E with the collapsed one",
)
claim(
    "uniform_picks_zero",
    bool((uniform.expert == 0).all()),
    es="con logits iguales, argmax elige siempre el experto 0",
    en="with equal logits, argmax always picks expert 0",
)
claim(
    "collapsed_keeps_capacity",
    collapsed_dropped == TOKENS - capacity,
    es="el enrutador colapsado solo conserva los que caben en el experto 0",
    en="the collapsed router keeps only the tokens that fit in expert 0",
)

# %% [markdown] lang="es"
# En el caso uniforme todos los logits son iguales y `argmax` elige siempre el experto 0 {{ claim: uniform_picks_zero }}, así que $f$ no es uniforme aunque $P$ sí lo sea; aun así la pérdida vale 1, porque $\sum_i f_i = 1$ y cada $P_i = 1/E$ {{ claim: loss_extremes }}. El caso colapsado descarta {{ value: collapsed_dropped }} de cada ocho tokens: solo caben {{ value: capacity }} en el experto 0 {{ claim: collapsed_keeps_capacity }}.
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
# With the uniform router all logits are equal and `argmax` always picks expert 0 {{ claim: uniform_picks_zero }}, so $f$ is not uniform even though $P$ is; the loss is still 1, because $\sum_i f_i = 1$ and every $P_i = 1/E$ {{ claim: loss_extremes }}. The collapsed case drops {{ value: collapsed_dropped }} tokens out of eight: only {{ value: capacity }} fit in expert 0 {{ claim: collapsed_keeps_capacity }}.
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
EPOCHS, BATCH = 30, 128  # BATCH is train_switch's default batch size
runs = {
    coef: train_switch(split, balance_coef=coef, epochs=EPOCHS, device=device)
    for coef in (0.0, 0.01, 0.1)
}

print(
    f"{tr(es='dispositivo', en='device')}: {device.type} · "
    + tr(
        es=f"{EPOCHS} épocas · lotes de {BATCH} tokens · capacidad "
        f"{expert_capacity(BATCH, EXPERTS, 1.0)} por experto",
        en=f"{EPOCHS} epochs · batches of {BATCH} tokens · capacity "
        f"{expert_capacity(BATCH, EXPERTS, 1.0)} per expert",
    )
)
accuracy_word = tr(es="exactitud", en="accuracy")
share_label = tr(es="reparto en validación", en="validation share")


def spread_text(shares: list[float]) -> str:
    """Each expert's share of the tokens, as percentages."""
    return "  ".join(f"E{i} {percent(s)}" for i, s in enumerate(shares))


dropped_word = tr(es="descartados", en="dropped")
for coef, run in runs.items():
    h = run.history
    shares = spread_text(run.utilisation[-1])
    print(
        f"α = {number(coef, 'g')}: {accuracy_word} "
        f"{number(h['val_acc'][-1], '.3f')} · {dropped_word} "
        f"{percent(h['val_dropped'][-1], 1)} · {loss_word} "
        f"{number(h['balance_loss'][-1])}"
    )
    print(f"  {share_label}: {shares}")

coefs = list(runs)
drop = {c: runs[c].history["val_dropped"][-1] for c in coefs}
acc = {c: runs[c].history["val_acc"][-1] for c in coefs}
balance = {c: runs[c].history["balance_loss"][-1] for c in coefs}
spread = {  # the largest distance from a uniform share, per α
    c: max(abs(s - 1 / EXPERTS) for s in runs[c].utilisation[-1]) for c in coefs
}
idle = {c: sum(s < 0.02 for s in runs[c].utilisation[-1]) for c in coefs}
for c, name in zip(coefs, ("0", "001", "01"), strict=True):
    publish(f"drop_{name}", percent(drop[c], 1))
    publish(f"acc_{name}", acc[c])
    points = f"{100 * spread[c]:.0f}"  # percentage points
    publish(f"spread_{name}", tr(es=f"{points} puntos", en=f"{points} points"))
publish("idle_0", idle[0.0])
publish("balance_01", balance[0.1])
publish("acc_range", max(acc.values()) - min(acc.values()))
claim(
    "no_balance_idle",
    idle[0.0] >= 1 and drop[0.0] > drop[0.01] and drop[0.0] > drop[0.1],
    es="sin equilibrio, al menos un experto recibe menos del 2 % de los "
    "tokens y se descarta más que con equilibrio",
    en="without balancing, at least one expert gets under 2% of the tokens "
    "and more is dropped than with balancing",
)
claim(
    "balance_spreads",
    spread[0.0] > spread[0.01] > spread[0.1] and drop[0.01] > drop[0.1],
    es="al subir α, el reparto se acerca al uniforme y bajan los descartes",
    en="as α grows, the split gets closer to uniform and drops fall",
)
claim(
    "balance_near_one",
    abs(balance[0.1] - 1) < 0.02 and balance[0.1] < balance[0.0],
    es="con α = 0,1 la pérdida medida queda a menos de 0,02 de 1",
    en="with α = 0.1 the measured balancing loss is within 0.02 of 1",
)
claim(
    "accuracy_barely_moves",
    max(acc.values()) - min(acc.values()) < 0.03,
    es="las exactitudes de los tres α difieren en menos de 0,03",
    en="the three α's accuracies differ by less than 0.03",
)

# %%
labels = {coef: f"α = {number(coef, 'g')}" for coef in runs}
share_word = tr(es="fracción descartada", en="dropped share")
fig, (ax_share, ax_drop) = new_figure(ncols=2, width=5.4, height=4.0)
width = 0.26
for k, (coef, run) in enumerate(runs.items()):
    positions = [e + (k - 1) * width for e in range(EXPERTS)]
    ax_share.bar(
        positions,
        run.utilisation[-1],
        width=width,
        color=PALETTE[k],
        label=labels[coef],
    )
    ax_drop.plot(
        range(1, EPOCHS + 1),
        run.history["val_dropped"],
        color=PALETTE[k],
        label=labels[coef],
    )
ax_share.axhline(1 / EXPERTS, color="#555555", linestyle="--", linewidth=1.2)
ax_share.set(
    title=tr(es="Reparto entre expertos", en="Expert share"),
    xlabel=expert_word,
    ylabel=tr(es="fracción de tokens", en="token share"),
    xticks=range(EXPERTS),
)
ax_drop.set(
    title=tr(es="Tokens descartados", en="Dropped tokens"),
    xlabel=tr(es="época", en="epoch"),
    ylabel=share_word,
)
ax_share.legend()
ax_drop.legend()
idle_counts = [str(idle[c]) for c in coefs]
last_drops = [percent(drop[c]) for c in coefs]
set_alt(
    fig,
    es="Izquierda: barras con la fracción de tokens de validación que recibe "
    "cada uno de los 4 expertos para α = 0, 0,01 y 0,1, con una línea "
    f"discontinua en el reparto uniforme del {percent(1 / EXPERTS)}. "
    f"Expertos casi sin uso: {idle_counts[0]}, {idle_counts[1]} y "
    f"{idle_counts[2]}. Derecha: fracción de tokens descartados por época; "
    f"al final {last_drops[0]}, {last_drops[1]} y {last_drops[2]}.",
    en="Left: bars with the share of validation tokens each of the 4 experts "
    "receives for α = 0, 0.01 and 0.1, with a dashed line at the uniform "
    f"{percent(1 / EXPERTS)} share. Experts almost unused: {idle_counts[0]}, "
    f"{idle_counts[1]} and {idle_counts[2]}. Right: share of dropped tokens "
    f"per epoch; at the end {last_drops[0]}, {last_drops[1]} and "
    f"{last_drops[2]}.",
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
    c: train_switch(
        split,
        balance_coef=0.01,
        epochs=EPOCHS,
        capacity_factor=c,
        device=device,
    )
    for c in factors
}
for c, run in by_factor.items():
    h = run.history
    print(
        f"c = {number(c, 'g')}: "
        + tr(es="capacidad", en="capacity")
        + f" {expert_capacity(BATCH, EXPERTS, c)} "
        + tr(es="de", en="of")
        + f" {BATCH} · {accuracy_word} {number(h['val_acc'][-1], '.3f')} · "
        f"{dropped_word} {percent(h['val_dropped'][-1], 1)}"
    )

drops = [by_factor[c].history["val_dropped"][-1] for c in factors]
fig, ax = new_figure(width=5.6, height=3.6)
ax.bar([number(c, "g") for c in factors], drops, color=PALETTE[0])
ax.set(
    title=tr(es="Capacidad y descartes", en="Capacity and drops"),
    xlabel=tr(es="factor de capacidad", en="capacity factor"),
    ylabel=share_word,
)
drop_list = ", ".join(percent(d, 1) for d in drops)
set_alt(
    fig,
    es="Barras con la fracción de tokens de validación descartados para "
    f"factores de capacidad 1, 1,25 y 2 (α = 0,01): {drop_list}.",
    en="Bars with the share of validation tokens dropped for capacity "
    f"factors 1, 1.25 and 2 (α = 0.01): {drop_list}.",
)
for c, name in zip(factors, ("1", "125", "2"), strict=True):
    final_drop = by_factor[c].history["val_dropped"][-1]
    publish(f"drop_c{name}", percent(final_drop, 1))
claim(
    "slack_cuts_drops",
    drops[0] > 0 and drops[1] < drops[0] / 2 and drops[2] <= drops[1],
    es="con c = 1 se descarta algo; con 1,25, menos de la mitad; con 2, "
    "aún menos o igual",
    en="with c = 1 something is dropped; with 1.25 less than half as much, "
    "and with 2 no more than that",
)
claim(
    "factor_two_almost_none",
    drops[2] < 0.05,
    es="con c = 2 se descarta menos del 5 % de los tokens",
    en="with c = 2 less than 5% of the tokens are dropped",
)

# %% [markdown] lang="es"
# ## Parámetros frente a cómputo
#
# Lo que se gana con los expertos es capacidad de memoria sin más cálculo por token. Contamos los parámetros del modelo y los que realmente usa un token (el enrutador, un experto y el resto de la red):

# %% [markdown] lang="en"
# ## Parameters versus computation
#
# What experts buy is memorizing capacity without more computation per token. We count the model's parameters and those a token actually uses (the router, one expert and the rest of the network):

# %%
model = SwitchClassifier(64, 10, experts=EXPERTS)
one_expert = count_parameters(model.switch.experts[0])
total = count_parameters(model)
used = total - (EXPERTS - 1) * one_expert
print(
    tr(es="parámetros en total", en="total parameters")
    + f": {number(total, ',d')} · "
    + tr(es=f"en los {EXPERTS} expertos", en=f"in the {EXPERTS} experts")
    + f": {number(EXPERTS * one_expert, ',d')}"
)
print(
    tr(es="parámetros que usa un token", en="parameters used by one token")
    + f": {number(used, ',d')} ("
    + tr(
        es=f"{percent(used / total)} del modelo",
        en=f"{percent(used / total)} of the model",
    )
    + ")"
)
sizes = {EXPERTS: (total, used)}
for experts in (8, 16):
    bigger = SwitchClassifier(64, 10, experts=experts)
    bigger_total = count_parameters(bigger)
    bigger_used = bigger_total - (experts - 1) * one_expert
    sizes[experts] = (bigger_total, bigger_used)
    print(
        tr(es=f"con {experts:>2} expertos", en=f"with {experts:>2} experts")
        + f": {number(bigger_total, ',d')} "
        + tr(es="parámetros", en="parameters")
        + f", {number(bigger_used, ',d')} "
        + tr(es="por token", en="per token")
    )
router_row = count_parameters(model.switch.router) // EXPERTS  # one expert's
router_growth = (16 - EXPERTS) * router_row  # 12 more rows in the router
publish("used_share", percent(used / total))
publish("total_16", sizes[16][0], ",d")
publish("used_16", sizes[16][1], ",d")
claim(
    "only_router_grows",
    sizes[16][0] > 3 * total and sizes[16][1] - used == router_growth,
    es="de 4 a 16 expertos el total se más que triplica y lo que usa un "
    "token solo crece en las filas del enrutador",
    en="from 4 to 16 experts the total more than triples and what a token "
    "uses grows only by the router's rows",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Sin pérdida de equilibrio ($\alpha = 0$) el enrutador deja {{ value: idle_0 }} experto(s) casi sin tokens (menos del 2 % del conjunto de validación) y se descarta una fracción grande de ellos, {{ value: drop_0 }}, aunque el lote se reparta entre cuatro expertos {{ claim: no_balance_idle }}: la capacidad pensada para un reparto uniforme no sirve si el reparto no lo es.
# - Con $\alpha = 0{,}01$ el reparto se acerca al {{ value: uniform_share }} por experto (el experto más alejado de él está a {{ value: spread_001 }}, frente a {{ value: spread_0 }} sin equilibrio) y los descartes bajan a {{ value: drop_001 }}; con $\alpha = 0{,}1$ el reparto es casi uniforme (a {{ value: spread_01 }}) y los descartes bajan más, a {{ value: drop_01 }} {{ claim: balance_spreads }}. La pérdida de equilibrio medida, {{ value: balance_01 }}, se acerca a 1, su valor con un reparto uniforme {{ claim: balance_near_one }}.
# - La exactitud de validación apenas cambia en este problema pequeño ({{ value: acc_0 }}, {{ value: acc_001 }} y {{ value: acc_01 }}) {{ claim: accuracy_barely_moves }}: la conexión residual deja pasar los tokens descartados, y la parte densa de la red basta para clasificar dígitos. En modelos grandes, un experto ocioso son parámetros desperdiciados, y ahí el equilibrio importa más.
# - Incluso con el reparto casi uniforme se descarta algo con $c = 1$ ({{ value: drop_c1 }}): el reparto de **cada lote** fluctúa alrededor del promedio. Un factor de 1,25 reduce mucho los descartes, a {{ value: drop_c125 }} {{ claim: slack_cuts_drops }}, y con 2 desaparecen casi del todo, {{ value: drop_c2 }} {{ claim: factor_two_almost_none }}, a cambio de reservar más capacidad.
# - El número de parámetros crece con cada experto que se añade, pero los que usa un token apenas cambian: con 16 expertos el modelo tiene {{ value: total_16 }} parámetros y un token usa {{ value: used_16 }}, y lo único que crece es el enrutador {{ claim: only_router_grows }}. Esa es la apuesta de Switch Transformers.

# %% [markdown] lang="en"
# ## What to notice
#
# - Without the balancing loss ($\alpha = 0$) the router leaves {{ value: idle_0 }} expert(s) almost without tokens (under 2% of the validation set) and a large share of them is dropped, {{ value: drop_0 }}, even though the batch is split among four experts {{ claim: no_balance_idle }}: capacity sized for a uniform split does not work when the split is not uniform.
# - With $\alpha = 0.01$ the split moves toward {{ value: uniform_share }} per expert (the expert furthest from it is {{ value: spread_001 }} away, against {{ value: spread_0 }} without balancing) and drops fall to {{ value: drop_001 }}; with $\alpha = 0.1$ the split is nearly uniform ({{ value: spread_01 }} away) and drops fall further, to {{ value: drop_01 }} {{ claim: balance_spreads }}. The measured balancing loss, {{ value: balance_01 }}, approaches 1, its value for a uniform split {{ claim: balance_near_one }}.
# - Validation accuracy barely changes on this small problem ({{ value: acc_0 }}, {{ value: acc_001 }} and {{ value: acc_01 }}) {{ claim: accuracy_barely_moves }}: the residual connection carries the dropped tokens through, and the dense part of the network is enough to classify digits. In large models an idle expert is wasted parameters, and there balance matters more.
# - Even with a nearly uniform split something is dropped at $c = 1$ ({{ value: drop_c1 }}): the split of **each batch** fluctuates around the average. A factor of 1.25 cuts drops a lot, to {{ value: drop_c125 }} {{ claim: slack_cuts_drops }}, and at 2 they almost vanish, {{ value: drop_c2 }} {{ claim: factor_two_almost_none }}, at the price of reserving more capacity.
# - The parameter count grows with every expert added, but the parameters a token uses barely change: with 16 experts the model has {{ value: total_16 }} parameters and a token uses {{ value: used_16 }}, and only the router grows {{ claim: only_router_grows }}. That is the bet of Switch Transformers.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Calcula a mano la pérdida de equilibrio (sin $\alpha$) con $E = 4$ si la mitad de los tokens va al experto 0 y la otra mitad al 1, y el enrutador da probabilidad media 0,5 a cada uno de esos dos. Compruébalo con `route_top1`.
# 2. ¿Qué factor de capacidad garantiza que no se descarte ningún token, sea cual sea el reparto? Compruébalo entrenando con él y $\alpha = 0$.
# 3. Entrena sin equilibrio con 8 expertos (`train_switch(split, balance_coef=0.0, experts=8)`). ¿Cuántos expertos reciben menos del 2 % de los tokens de validación?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Compute by hand the balancing loss (without $\alpha$) with $E = 4$ if half of the tokens go to expert 0 and the other half to expert 1, and the router gives an average probability of 0.5 to each of those two. Check it with `route_top1`.
# 2. Which capacity factor guarantees that no token is dropped, whatever the split? Check it by training with it and $\alpha = 0$.
# 3. Train without balancing with 8 experts (`train_switch(split, balance_coef=0.0, experts=8)`). How many experts receive less than 2% of the validation tokens?

# %% [markdown] lang="es" solution="1"
# $f = P = (0{,}5;\ 0{,}5;\ 0;\ 0)$, así que $E \sum_i f_i P_i = 4\,(0{,}25 + 0{,}25) = 2$: a medio camino entre el reparto uniforme (1) y el colapso total (4). `route_top1` da lo mismo, {{ value: half_half_loss }} {{ claim: half_half_is_two }}.

# %% [markdown] lang="en" solution="1"
# $f = P = (0.5, 0.5, 0, 0)$, so $E \sum_i f_i P_i = 4\,(0.25 + 0.25) = 2$: halfway between the uniform split (1) and total collapse (4). `route_top1` gives the same, {{ value: half_half_loss }} {{ claim: half_half_is_two }}.

# %% solution="1"
half_logits = torch.full((8, 4), -30.0)
half_logits[:4, 0] = half_logits[4:, 1] = 30.0  # half to expert 0, half to 1
half = route_top1(half_logits, capacity=2)
print("f =", listed(half.dispatch_fraction))
print("P =", listed(half.mean_probability))
print(f"{loss_word}: {number(half.balance_loss.item())}")
publish("half_half_loss", half.balance_loss.item())
claim(
    "half_half_is_two",
    abs(half.balance_loss.item() - 2) < 1e-6,
    es="route_top1 da una pérdida de equilibrio de 2",
    en="route_top1 gives a balancing loss of 2",
)

# %% [markdown] lang="es" solution="2"
# $c = E$: entonces $C = \lceil E \cdot T / E \rceil = T$ y un experto puede recibir el lote entero. Entrenando con $c = 4$ y $\alpha = 0$, la capacidad de cada experto es el lote completo y no se descarta ningún token de validación en ninguna época {{ claim: full_capacity_no_drops }}, aunque el reparto siga desequilibrado: el experto más cargado recibe {{ value: busiest_full }} de los tokens {{ claim: full_still_unbalanced }}.

# %% [markdown] lang="en" solution="2"
# $c = E$: then $C = \lceil E \cdot T / E \rceil = T$ and one expert can take the whole batch. Training with $c = 4$ and $\alpha = 0$, each expert's capacity is the whole batch and no validation token is dropped in any epoch {{ claim: full_capacity_no_drops }}, even though the split stays unbalanced: the busiest expert gets {{ value: busiest_full }} of the tokens {{ claim: full_still_unbalanced }}.

# %% solution="2"
full = train_switch(
    split,
    balance_coef=0.0,
    epochs=EPOCHS,
    capacity_factor=float(EXPERTS),
    device=device,
)
full_capacity = expert_capacity(BATCH, EXPERTS, float(EXPERTS))
print(
    tr(es="capacidad por experto", en="capacity per expert")
    + f": {full_capacity} "
    + tr(es="de", en="of")
    + f" {BATCH} · "
    + tr(es="mayor fracción descartada", en="largest dropped share")
    + f": {percent(max(full.history['val_dropped']), 1)}"
)
print(f"{share_label}: {spread_text(full.utilisation[-1])}")
publish("busiest_full", percent(max(full.utilisation[-1])))
claim(
    "full_still_unbalanced",
    max(full.utilisation[-1]) > 1 / EXPERTS + 0.05,
    es="sin equilibrio, el experto más cargado recibe más del 30 %",
    en="without balancing, the busiest expert gets over 30%",
)
claim(
    "full_capacity_no_drops",
    full_capacity == BATCH and max(full.history["val_dropped"]) == 0.0,
    es="con c = E la capacidad es el lote entero y no se descarta nada",
    en="with c = E the capacity is the whole batch and no token is dropped",
)

# %% [markdown] lang="es" solution="3"
# Sin equilibrio, {{ value: idle_8 }} de los ocho expertos reciben menos del 2 % de los tokens de validación, y los {{ value: busy_8 }} restantes se lo reparten todo {{ claim: eight_idle }}: sin equilibrio, añadir expertos no garantiza que se usen.

# %% [markdown] lang="en" solution="3"
# Without balancing, {{ value: idle_8 }} of the eight experts receive less than 2% of the validation tokens, and the remaining {{ value: busy_8 }} share everything {{ claim: eight_idle }}: without balancing, adding experts does not guarantee they are used.

# %% solution="3"
eight = train_switch(
    split,
    balance_coef=0.0,
    epochs=EPOCHS,
    experts=8,
    device=device,
)
eight_shares = eight.utilisation[-1]
idle_8 = sum(s < 0.02 for s in eight_shares)
print(f"{share_label}: {spread_text(eight_shares)}")
under_word = tr(es="expertos con menos del 2 %", en="experts under 2%")
print(f"{under_word}: {idle_8}")
publish("idle_8", idle_8)
publish("busy_8", 8 - idle_8)
claim(
    "eight_idle",
    idle_8 >= 2,
    es="sin equilibrio, al menos dos de ocho expertos reciben menos del 2 %",
    en="without balancing, at least two of eight experts get under 2%",
)
