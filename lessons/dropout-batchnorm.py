# ---
# jupyter:
#   lesson:
#     title:
#       es: Dropout y normalización por lotes
#       en: Dropout and batch normalization
#     summary:
#       es: La misma red sin nada, con dropout, con normalización por lotes y con ambos; su comportamiento distinto en entrenamiento y evaluación, y las estadísticas de cada capa.
#       en: The same network with neither, dropout, batch normalization and both; their different behavior in training and evaluation, and each layer's statistics.
#     order: 8
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Escribir lo que hacen dropout y la normalización por lotes, y por qué se comportan distinto con `model.train()` y con `model.eval()`.
#     - Entrenar la misma red con ninguna, una u otra y ambas técnicas, y comparar sus curvas de entrenamiento y validación.
#     - Medir qué recibe cada función de activación, capa a capa, con y sin normalización por lotes.
#
# Lectura asociada: [resumen de *Dropout and Batch Normalization*](../readings/dropout-batch-normalization.md) y nota de concepto sobre la [normalización por lotes](../concepts/batch-normalization.md). Lección anterior: [optimizadores](optimizers.md). Referencia de la API: [`dlcourse.lessons.dropout_batchnorm`](../api/lessons/dropout_batchnorm.md) y [`dlcourse.training`](../api/training.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Write down what dropout and batch normalization do, and why they behave differently under `model.train()` and `model.eval()`.
#     - Train the same network with neither, either and both techniques, and compare their training and validation curves.
#     - Measure what each activation function receives, layer by layer, with and without batch normalization.
#
# Related reading: [summary of *Dropout and Batch Normalization*](../readings/dropout-batch-normalization.md) and the concept note on [batch normalization](../concepts/batch-normalization.md). Previous lesson: [optimizers](optimizers.md). API reference: [`dlcourse.lessons.dropout_batchnorm`](../api/lessons/dropout_batchnorm.md) and [`dlcourse.training`](../api/training.md).

# %% [markdown] lang="es"
# ## La idea
#
# **Dropout** (Srivastava et al., 2014, *JMLR* 15) apaga durante el entrenamiento cada unidad con probabilidad $p$ y reescala las que quedan, para que el valor esperado no cambie:
#
# $$
# \tilde{\mathbf{h}} = \frac{\mathbf{m} \odot \mathbf{h}}{1 - p}, \qquad m_i \sim \operatorname{Bernoulli}(1 - p), \qquad \mathbb{E}[\tilde{\mathbf{h}}] = \mathbf{h}.
# $$
#
# Ninguna unidad puede contar con que otra concreta esté presente, lo que reduce las coadaptaciones frágiles; al evaluar, dropout no hace nada.
#
# La **normalización por lotes** (Ioffe y Szegedy, 2015, [arXiv:1502.03167](https://arxiv.org/abs/1502.03167)) estandariza cada característica con la media y la varianza **del minilote** y después aplica una escala y un desplazamiento aprendidos:
#
# $$
# \hat{x}_i = \frac{x_i - \mu_{\mathcal{B}}}{\sqrt{\sigma^2_{\mathcal{B}} + \epsilon}}, \qquad y_i = \gamma\, \hat{x}_i + \beta .
# $$
#
# Mientras entrena, acumula promedios móviles de $\mu_{\mathcal{B}}$ y $\sigma^2_{\mathcal{B}}$; al evaluar usa esos promedios, de modo que la salida de un ejemplo ya no depende de con quién comparta lote.

# %% [markdown] lang="en"
# ## The idea
#
# **Dropout** (Srivastava et al., 2014, *JMLR* 15) switches off each unit with probability $p$ during training and rescales the remaining ones so that the expected value does not change:
#
# $$
# \tilde{\mathbf{h}} = \frac{\mathbf{m} \odot \mathbf{h}}{1 - p}, \qquad m_i \sim \operatorname{Bernoulli}(1 - p), \qquad \mathbb{E}[\tilde{\mathbf{h}}] = \mathbf{h}.
# $$
#
# No unit can count on a particular other one being present, which reduces brittle co-adaptations; at evaluation, dropout does nothing.
#
# **Batch normalization** (Ioffe and Szegedy, 2015, [arXiv:1502.03167](https://arxiv.org/abs/1502.03167)) standardizes each feature with the mean and variance **of the mini-batch** and then applies a learned scale and shift:
#
# $$
# \hat{x}_i = \frac{x_i - \mu_{\mathcal{B}}}{\sqrt{\sigma^2_{\mathcal{B}} + \epsilon}}, \qquad y_i = \gamma\, \hat{x}_i + \beta .
# $$
#
# While training it accumulates moving averages of $\mu_{\mathcal{B}}$ and $\sigma^2_{\mathcal{B}}$; at evaluation it uses those averages, so that an example's output no longer depends on which batch it shares.

# %% [markdown] lang="es"
# ## Entrenamiento frente a evaluación
#
# Pasamos el mismo vector de unos dos veces por una capa de dropout en modo entrenamiento y una vez en modo evaluación. Después pasamos **el mismo ejemplo** por una capa de normalización por lotes dentro de dos lotes distintos.

# %% [markdown] lang="en"
# ## Training versus evaluation
#
# We pass the same vector of ones twice through a dropout layer in training mode and once in evaluation mode. Then we pass **the same example** through a batch-normalization layer inside two different batches.

# %%
import torch
from dlcourse.bilingual import align, claim, number, percent, publish, tr
from dlcourse.data.digits import digits_split
from dlcourse.lessons.dropout_batchnorm import (
    VARIANTS,
    hidden_activation_stats,
    variant_network,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all
from dlcourse.training import (
    best_epoch,
    classifier_table,
    train_classifier,
)
from torch import nn

seed_all(0)
dropout = nn.Dropout(p=0.5)
ones = torch.ones(10)
dropout.train()
call_1, call_2 = dropout(ones), dropout(ones)
train_mode = tr(es="modo entrenamiento", en="train mode")
eval_mode = tr(es="modo evaluación", en="eval mode")
call_word = tr(es="llamada", en="call")
print(align(f"dropout, {train_mode}, {call_word} 1:", 36, "<"), call_1.tolist())
print(align(f"dropout, {train_mode}, {call_word} 2:", 36, "<"), call_2.tolist())
dropout.eval()
in_eval = dropout(ones)
print(align(f"dropout, {eval_mode}:", 36, "<"), in_eval.tolist())
kept_values = set(torch.cat([call_1, call_2]).tolist())
claim(
    "dropout_modes",
    not torch.equal(call_1, call_2)
    and kept_values == {0.0, 2.0}
    and torch.equal(in_eval, ones),
    es="en entrenamiento las dos llamadas apagan unidades distintas y las "
    "demás valen 2; en evaluación la salida es la entrada",
    en="in training the two calls switch off different units and the rest "
    "are 2; in evaluation the output is the input",
)

norm = nn.BatchNorm1d(1)
example = torch.tensor([[1.0]])
batch_a = torch.cat([example, torch.tensor([[0.0], [2.0], [3.0]])])  # (4, 1)
batch_b = torch.cat([example, torch.tensor([[-5.0], [-4.0], [6.0]])])  # (4, 1)


def show_example(mode: str) -> tuple[float, float]:
    """What the example becomes in each batch, printed as one line."""
    in_a, in_b = norm(batch_a)[0, 0].item(), norm(batch_b)[0, 0].item()
    a, b = number(in_a, "+.3f"), number(in_b, "+.3f")
    print(
        tr(
            es=f"normalización, {mode}: el ejemplo queda en {a} en el lote A "
            f"y en {b} en el lote B",
            en=f"batch norm, {mode}: the example becomes {a} in batch A "
            f"and {b} in batch B",
        )
    )
    return in_a, in_b


norm.train()
train_a, train_b = show_example(train_mode)
mean, var = number(norm.running_mean.item()), number(norm.running_var.item())
print(
    tr(
        es=f"media móvil {mean}, varianza móvil {var} tras esos dos lotes",
        en=f"running mean {mean}, running variance {var} after those two "
        "batches",
    )
)
norm.eval()
eval_a, eval_b = show_example(eval_mode)
claim(
    "bn_modes",
    abs(train_a - train_b) > 0.1 and eval_a == eval_b,
    es="al entrenar el mismo ejemplo sale distinto en cada lote; al evaluar, "
    "igual",
    en="when training the same example comes out differently in each batch; "
    "when evaluating, the same",
)

# %% [markdown] lang="es"
# ## Cuatro variantes de la misma red
#
# Para que el sobreajuste aparezca pronto, usamos solo 300 imágenes de dígitos para entrenar y una red holgada, $64 \to 256 \to 256 \to 256 \to 10$. Las cuatro variantes parten de la misma semilla, usan Adam ($\eta = 10^{-3}$), minilotes de 32 y 40 épocas; dropout con $p = 0{,}5$ tras cada capa oculta.

# %% [markdown] lang="en"
# ## Four variants of the same network
#
# So that overfitting shows early, we train on only 300 digit images with a roomy network, $64 \to 256 \to 256 \to 256 \to 10$. The four variants start from the same seed and use Adam ($\eta = 10^{-3}$), mini-batches of 32 and 40 epochs; dropout with $p = 0.5$ after each hidden layer.

# %%
split = digits_split(train_size=300)
SIZES, EPOCHS = (64, 256, 256, 256, 10), 40
LABELS = {
    "neither": tr(es="sin nada", en="neither"),
    "dropout": "dropout",
    "batch norm": tr(es="normalización", en="batch norm"),
    "both": tr(es="ambas", en="both"),
}
models, histories = {}, {}
for variant in VARIANTS:
    models[variant] = variant_network(variant, SIZES, seed=0)
    optimizer = torch.optim.Adam(models[variant].parameters(), lr=1e-3)
    histories[variant] = train_classifier(
        models[variant], split, optimizer, epochs=EPOCHS, batch_size=32
    )
variants_table = classifier_table(
    ((LABELS[variant], h) for variant, h in histories.items()),
    tr(es="variante", en="variant"),
    first_width=13,
    first_side="<",
)
print(variants_table)

train_final = {v: h.train_loss[-1] for v, h in histories.items()}
val_final = {v: h.val_loss[-1] for v, h in histories.items()}
val_best = {v: min(h.val_loss) for v, h in histories.items()}
best_at = {v: best_epoch(h.val_loss) + 1 for v, h in histories.items()}
publish("train_neither", train_final["neither"], ".4f")
publish("best_epoch_neither", best_at["neither"])
publish("best_neither", val_best["neither"])
publish("final_neither", val_final["neither"])
publish("train_dropout", train_final["dropout"], ".4f")
publish("final_dropout", val_final["dropout"])
publish("first_train_neither", histories["neither"].train_loss[0], ".2f")
publish("first_train_bn", histories["batch norm"].train_loss[0], ".2f")
publish("best_bn", val_best["batch norm"])
publish("best_both", val_best["both"])
publish("final_bn", val_final["batch norm"])
publish("final_both", val_final["both"])
claim(
    "plain_overfits",
    train_final["neither"] < 0.01
    and best_at["neither"] < EPOCHS
    and val_final["neither"] > val_best["neither"] + 0.01,
    es="sin regularizar la pérdida de entrenamiento acaba por debajo de 0,01 y "
    "la de validación termina más de 0,01 por encima de su mínimo",
    en="without regularization training loss ends below 0.01 and validation "
    "loss ends more than 0.01 above its minimum",
)
rise = {v: val_final[v] - val_best[v] for v in VARIANTS}
claim(
    "dropout_holds",
    train_final["dropout"] > 5 * train_final["neither"]
    and val_final["dropout"] < val_final["neither"]
    and rise["dropout"] < rise["neither"],
    es="con dropout la pérdida final de entrenamiento es más de 5 veces la de "
    "la red sin nada, y la de validación acaba más baja y sube menos desde "
    "su mínimo",
    en="with dropout the final training loss is more than 5 times the plain "
    "network's, and validation loss ends lower and rises less from its "
    "minimum",
)
first = {v: h.train_loss[0] for v, h in histories.items()}
claim(
    "bn_fast_start",
    first["batch norm"] < 0.8 * first["neither"],
    es="tras la primera época la pérdida de entrenamiento con normalización "
    "es menos del 80 % de la de la red sin nada",
    en="after the first epoch the training loss with batch normalization is "
    "under 80% of the plain network's",
)
claim(
    "bn_lower_minimum",
    max(val_best["batch norm"], val_best["both"]) < val_best["neither"],
    es="las dos variantes con normalización alcanzan un mínimo de validación "
    "menor que la red sin nada",
    en="both variants with batch normalization reach a lower validation "
    "minimum than the plain network",
)
claim(
    "bn_alone_rises",
    val_final["batch norm"] > val_best["batch norm"],
    es="con normalización sola la pérdida final de validación queda por "
    "encima de su mínimo",
    en="with batch normalization alone the final validation loss ends above "
    "its minimum",
)
claim(
    "both_best_final",
    all(val_final["both"] < val_final[v] for v in VARIANTS if v != "both"),
    es="con ambas técnicas la pérdida final de validación es la menor de las "
    "cuatro",
    en="with both techniques the final validation loss is the lowest of the "
    "four",
)

# %%
fig, (ax_train, ax_val) = new_figure(ncols=2, width=5.2, height=3.9)
for k, (variant, h) in enumerate(histories.items()):
    epochs = range(1, EPOCHS + 1)
    label = LABELS[variant]
    ax_train.plot(epochs, h.train_loss, color=PALETTE[k], label=label)
    ax_val.plot(epochs, h.val_loss, color=PALETTE[k], label=label)
ax_train.set_yscale("log")
epoch_word = tr(es="época", en="epoch")
ax_train.set(
    title=tr(es="Entrenamiento", en="Training"),
    xlabel=epoch_word,
    ylabel=tr(es="entropía cruzada (log)", en="cross-entropy (log)"),
)
ax_val.set(
    title=tr(es="Validación", en="Validation"),
    xlabel=epoch_word,
    ylabel=tr(es="entropía cruzada", en="cross-entropy"),
)
ax_val.legend()
final = {v: number(loss) for v, loss in val_final.items()}
set_alt(
    fig,
    es="Pérdida de entrenamiento (escala logarítmica) y de validación por "
    "época para las cuatro variantes. Sin regularizar, la pérdida de "
    "entrenamiento cae casi a cero y la de validación vuelve a subir; con "
    "dropout la de entrenamiento baja menos. Pérdida final de validación: "
    f"sin nada {final['neither']}, dropout {final['dropout']}, normalización "
    f"{final['batch norm']}, ambas {final['both']}.",
    en="Training loss (log scale) and validation loss per epoch for the four "
    "variants. Without regularization the training loss falls almost to zero "
    "and the validation loss climbs back up; with dropout training loss "
    "falls less. Final validation loss: "
    f"neither {final['neither']}, dropout {final['dropout']}, batch norm "
    f"{final['batch norm']}, both {final['both']}.",
)

# %% [markdown] lang="es"
# ## Qué recibe cada activación
#
# Con los modelos ya entrenados y en modo evaluación, medimos la media y la desviación típica de lo que llega a cada ReLU (la salida de la capa lineal, o de su normalización si la hay) para las imágenes de validación.

# %% [markdown] lang="en"
# ## What each activation receives
#
# With the trained models in evaluation mode, we measure the mean and standard deviation of what reaches each ReLU (the output of the linear layer, or of its normalization if there is one) for the validation images.

# %%
stats = {
    variant: hidden_activation_stats(model.eval(), split.x_val)
    for variant, model in models.items()
}
layer_word = tr(es="capa", en="layer")
mean_std = tr(es="media/d.t.", en="mean/std")
row = align(tr(es="variante", en="variant"), 13, "<")
for i in range(1, 4):
    row += align(f"{layer_word} {i} {mean_std}", 18)
print(row)
for variant, layers in stats.items():
    row = align(LABELS[variant], 13, "<")
    for m, s in layers:
        row += align(f"{number(m, '+6.2f')} / {number(s, '5.2f')}", 18)
    print(row)

fig, ax = new_figure(width=6.2, height=3.8)
width = 0.2
for k, (variant, layers) in enumerate(stats.items()):
    ax.bar(
        [i + (k - 1.5) * width for i in range(3)],
        [s for _, s in layers],
        width=width,
        color=PALETTE[k],
        label=LABELS[variant],
    )
ax.set(
    title=tr(es="Dispersión por capa", en="Spread per layer"),
    xlabel=tr(es="capa oculta", en="hidden layer"),
    ylabel=tr(es="desviación típica", en="standard deviation"),
    xticks=range(3),
    xticklabels=["1", "2", "3"],
)
ax.legend(fontsize=8)
plain = [s for _, s in stats["neither"]]
spread = ", ".join(number(s, ".2f") for s in plain)
set_alt(
    fig,
    es="Desviación típica de la entrada de cada ReLU en las tres capas "
    f"ocultas. Sin normalización crece capa a capa ({spread}); con "
    "normalización por lotes se mantiene cerca de 1.",
    en="Standard deviation of each ReLU's input in the three hidden layers. "
    f"Without normalization it grows layer by layer ({spread}); with batch "
    "normalization it stays close to 1.",
)
normed = [s for v in ("batch norm", "both") for _, s in stats[v]]
publish("plain_std_first", plain[0], ".2f")
publish("plain_std_last", plain[-1], ".2f")
publish("normed_std_low", min(normed), ".2f")
publish("normed_std_high", max(normed), ".2f")
claim(
    "plain_spread_grows",
    plain[0] < plain[1] < plain[2],
    es="sin normalización la desviación típica crece de una capa a la "
    "siguiente",
    en="without normalization the standard deviation grows from each layer to "
    "the next",
)
claim(
    "normed_spread_near_1",
    all(abs(s - 1) < 0.25 for s in normed),
    es="con normalización, en las dos variantes, la desviación típica queda a "
    "menos de 0,25 de 1 en las tres capas",
    en="with batch normalization, in both variants, the standard deviation is "
    "within 0.25 of 1 in all three layers",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - En modo entrenamiento dropout apaga unidades distintas en cada llamada y multiplica las supervivientes por $1/(1-p) = 2$; en evaluación devuelve la entrada intacta {{ claim: dropout_modes }}. La normalización por lotes transforma el mismo ejemplo de forma distinta según su lote al entrenar, y de la misma forma al evaluar {{ claim: bn_modes }}. Olvidar `model.eval()` antes de medir es un error clásico: las métricas salen ruidosas y dependen del tamaño del lote.
# - Sin regularizar, la red memoriza las 300 imágenes: la pérdida de entrenamiento cae casi a cero ({{ value: train_neither }}) y la de validación tiene su mínimo en la época {{ value: best_epoch_neither }} ({{ value: best_neither }}) y luego sube hasta {{ value: final_neither }} {{ claim: plain_overfits }}. Con dropout la pérdida de entrenamiento se queda más alta ({{ value: train_dropout }}; la red entrena siempre «con ruido») y la de validación se mantiene mejor hasta el final ({{ value: final_dropout }}) {{ claim: dropout_holds }}.
# - La normalización por lotes acelera mucho las primeras épocas: tras la primera, la pérdida de entrenamiento es {{ value: first_train_bn }} frente a {{ value: first_train_neither }} sin nada {{ claim: bn_fast_start }}. Con ella la validación toca un mínimo más bajo que sin nada ({{ value: best_bn }} sola, {{ value: best_both }} con dropout) {{ claim: bn_lower_minimum }}, pero por sí sola no impide que la validación empeore después: acaba en {{ value: final_bn }} {{ claim: bn_alone_rises }}. Combinada con dropout da la mejor pérdida final de las cuatro en esta ejecución, {{ value: final_both }} {{ claim: both_best_final }}.
# - Sin normalización, la dispersión de lo que reciben las ReLU crece capa a capa, de {{ value: plain_std_first }} a {{ value: plain_std_last }} {{ claim: plain_spread_grows }}; con ella se mantiene cerca de 1 en todas (entre {{ value: normed_std_low }} y {{ value: normed_std_high }}) {{ claim: normed_spread_near_1 }}. Entradas de escala estable son parte de por qué entrena más deprisa.

# %% [markdown] lang="en"
# ## What to notice
#
# - In training mode dropout switches off different units at each call and multiplies the survivors by $1/(1-p) = 2$; in evaluation it returns the input untouched {{ claim: dropout_modes }}. Batch normalization transforms the same example differently depending on its batch when training, and the same way when evaluating {{ claim: bn_modes }}. Forgetting `model.eval()` before measuring is a classic bug: metrics come out noisy and depend on the batch size.
# - Without regularization, the network memorizes the 300 images: training loss falls almost to zero ({{ value: train_neither }}) and validation loss reaches its minimum at epoch {{ value: best_epoch_neither }} ({{ value: best_neither }}) and then rises to {{ value: final_neither }} {{ claim: plain_overfits }}. With dropout training loss stays higher ({{ value: train_dropout }}; the network always trains "with noise") and validation loss holds up better until the end ({{ value: final_dropout }}) {{ claim: dropout_holds }}.
# - Batch normalization speeds up the first epochs a lot: after the first one, training loss is {{ value: first_train_bn }} against {{ value: first_train_neither }} with neither {{ claim: bn_fast_start }}. With it validation reaches a lower minimum than with neither ({{ value: best_bn }} alone, {{ value: best_both }} with dropout) {{ claim: bn_lower_minimum }}, but on its own it does not stop validation from getting worse afterward: it ends at {{ value: final_bn }} {{ claim: bn_alone_rises }}. Combined with dropout it gives the best final loss of the four in this run, {{ value: final_both }} {{ claim: both_best_final }}.
# - Without normalization, the spread of what the ReLUs receive grows layer by layer, from {{ value: plain_std_first }} to {{ value: plain_std_last }} {{ claim: plain_spread_grows }}; with it, it stays close to 1 in all of them (between {{ value: normed_std_low }} and {{ value: normed_std_high }}) {{ claim: normed_spread_near_1 }}. Inputs on a stable scale are part of why it trains faster.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Con $p = 0{,}5$, ¿qué valores puede devolver `nn.Dropout` en modo entrenamiento para una entrada igual a 3? ¿Cuál es su media?
# 2. Calcula a mano la salida de la normalización por lotes (con $\gamma = 1$, $\beta = 0$, $\epsilon \approx 0$) para el ejemplo 1 dentro del lote A $= (1, 0, 2, 3)$. Recuerda que usa la varianza sesgada (dividiendo por $N$).
# 3. Evalúa el modelo con dropout **sin** llamar a `model.eval()` dos veces seguidas sobre la validación. ¿Coinciden las exactitudes?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. With $p = 0.5$, which values can `nn.Dropout` return in training mode for an input equal to 3? What is their mean?
# 2. Compute by hand the output of batch normalization (with $\gamma = 1$, $\beta = 0$, $\epsilon \approx 0$) for the example 1 inside batch A $= (1, 0, 2, 3)$. Remember it uses the biased variance (dividing by $N$).
# 3. Evaluate the dropout model **without** calling `model.eval()`, twice in a row on the validation set. Do the accuracies match?

# %% [markdown] lang="es" solution="1"
# Devuelve 0 (con probabilidad 0,5) o $3/(1-0{,}5) = 6$ (con probabilidad 0,5). La media es $0{,}5 \cdot 0 + 0{,}5 \cdot 6 = 3$: el reescalado conserva el valor esperado. Pasando un vector de {{ value: n_threes }} treses por la capa salen solo esos dos valores, y su media es {{ value: threes_mean }} {{ claim: threes_mean_kept }}.

# %% [markdown] lang="en" solution="1"
# It returns 0 (with probability 0.5) or $3/(1-0.5) = 6$ (with probability 0.5). The mean is $0.5 \cdot 0 + 0.5 \cdot 6 = 3$: rescaling preserves the expected value. Passing a vector of {{ value: n_threes }} threes through the layer gives only those two values, and their mean is {{ value: threes_mean }} {{ claim: threes_mean_kept }}.

# %% solution="1"
N_THREES = 100_000
threes = dropout.train()(torch.full((N_THREES,), 3.0))
values = sorted(set(threes.tolist()))
threes_mean = threes.mean().item()
print(
    tr(es="valores:", en="values:"), ", ".join(number(v, ".0f") for v in values)
)
print(tr(es="media:", en="mean:"), number(threes_mean))
publish("n_threes", N_THREES, ",d")
publish("threes_mean", threes_mean)
claim(
    "threes_mean_kept",
    values == [0.0, 6.0] and abs(threes_mean - 3) < 0.05,
    es="solo salen 0 y 6, y la media queda a menos de 0,05 de 3",
    en="only 0 and 6 come out, and the mean is within 0.05 of 3",
)

# %% [markdown] lang="es" solution="2"
# La media del lote es $1{,}5$ y la varianza sesgada $\frac{(0{,}5^2 + 1{,}5^2 + 0{,}5^2 + 1{,}5^2)}{4} = 1{,}25$, así que $\hat{x} = (1 - 1{,}5)/\sqrt{1{,}25}$, que da {{ value: by_hand }}: el valor impreso arriba para el lote A en modo entrenamiento, {{ value: layer_a }} {{ claim: by_hand_matches }}.

# %% [markdown] lang="en" solution="2"
# The batch mean is $1.5$ and the biased variance $\frac{(0.5^2 + 1.5^2 + 0.5^2 + 1.5^2)}{4} = 1.25$, so $\hat{x} = (1 - 1.5)/\sqrt{1.25}$, which gives {{ value: by_hand }}: the value printed above for batch A in training mode, {{ value: layer_a }} {{ claim: by_hand_matches }}.

# %% solution="2"
values_a = batch_a[:, 0]
mu = values_a.mean()
biased_var = ((values_a - mu) ** 2).mean()
by_hand = ((values_a[0] - mu) / biased_var.sqrt()).item()
print(tr(es="a mano:", en="by hand:"), number(by_hand, "+.3f"))
publish("by_hand", by_hand, "+.3f")
publish("layer_a", train_a, "+.3f")
claim(
    "by_hand_matches",
    abs(by_hand - train_a) < 1e-3,
    es="el cálculo a mano coincide con la capa hasta la tercera cifra decimal",
    en="the hand computation matches the layer to the third decimal",
)

# %% [markdown] lang="es" solution="3"
# No coinciden: en modo entrenamiento las dos pasadas dan exactitudes de {{ value: acc_call_1 }} y {{ value: acc_call_2 }}, y sus predicciones difieren en {{ value: n_changed }} imágenes {{ claim: train_mode_noisy }}. Cada llamada apaga unidades distintas, así que las predicciones cambian de una vez a otra y no son las del modelo que realmente se entrenó para evaluar, que en modo evaluación da siempre {{ value: acc_eval }}.

# %% [markdown] lang="en" solution="3"
# They do not match: in training mode the two passes give accuracies of {{ value: acc_call_1 }} and {{ value: acc_call_2 }}, and their predictions differ on {{ value: n_changed }} images {{ claim: train_mode_noisy }}. Each call switches off different units, so predictions change from one call to the next and are not those of the model meant for evaluation, which in evaluation mode always gives {{ value: acc_eval }}.

# %% solution="3"
model = models["dropout"].train()  # the mistake: still in training mode
with torch.no_grad():
    predictions = [model(split.x_val).argmax(1) for _ in range(2)]
    accuracies = [(p == split.y_val).float().mean().item() for p in predictions]
    model.eval()
    acc_eval = (model(split.x_val).argmax(1) == split.y_val).float().mean()
for k, accuracy in enumerate(accuracies, start=1):
    print(f"{tr(es='llamada', en='call')} {k}: {percent(accuracy, 1)}")
print(f"{tr(es='modo evaluación', en='eval mode')}: {percent(acc_eval, 1)}")
n_changed = int((predictions[0] != predictions[1]).sum())
publish("acc_call_1", percent(accuracies[0], 1))
publish("acc_call_2", percent(accuracies[1], 1))
publish("acc_eval", percent(acc_eval.item(), 1))
publish("n_changed", n_changed)
claim(
    "train_mode_noisy",
    n_changed > 0,
    es="las dos pasadas en modo entrenamiento cambian alguna predicción",
    en="the two passes in training mode change some predictions",
)
