# ---
# jupyter:
#   lesson:
#     title:
#       es: Dropout y normalización por lotes
#       en: Dropout and batch normalization
#     summary:
#       es: La misma red sin nada, con dropout, con normalización por lotes y con ambos; su comportamiento distinto en entrenamiento y evaluación, y las estadísticas de cada capa.
#       en: The same network with neither, dropout, batch normalization and both; their different behaviour in training and evaluation, and each layer's statistics.
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
# **Batch normalization** (Ioffe and Szegedy, 2015, [arXiv:1502.03167](https://arxiv.org/abs/1502.03167)) standardises each feature with the mean and variance **of the mini-batch** and then applies a learned scale and shift:
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
from dlcourse.data.digits import digits_split
from dlcourse.lessons.dropout_batchnorm import VARIANTS, hidden_activation_stats, variant_network
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all
from dlcourse.training import best_epoch, train_classifier
from torch import nn

seed_all(0)
dropout = nn.Dropout(p=0.5)
ones = torch.ones(10)
dropout.train()
print("dropout, train mode, call 1:", dropout(ones).tolist())
print("dropout, train mode, call 2:", dropout(ones).tolist())
dropout.eval()
print("dropout, eval mode:         ", dropout(ones).tolist())

norm = nn.BatchNorm1d(1)
example = torch.tensor([[1.0]])
batch_a = torch.cat([example, torch.tensor([[0.0], [2.0], [3.0]])])  # (4, 1)
batch_b = torch.cat([example, torch.tensor([[-5.0], [-4.0], [6.0]])])  # (4, 1)
norm.train()
print(
    f"batch norm, train mode: the example becomes {norm(batch_a)[0, 0]:+.3f} in batch A and {norm(batch_b)[0, 0]:+.3f} in batch B"
)
print(
    f"running mean {norm.running_mean.item():.3f}, running variance {norm.running_var.item():.3f} after those two batches"
)
norm.eval()
print(
    f"batch norm, eval mode:  the example becomes {norm(batch_a)[0, 0]:+.3f} in batch A and {norm(batch_b)[0, 0]:+.3f} in batch B"
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
models, histories = {}, {}
for variant in VARIANTS:
    models[variant] = variant_network(variant, SIZES, seed=0)
    optimizer = torch.optim.Adam(models[variant].parameters(), lr=1e-3)
    histories[variant] = train_classifier(
        models[variant], split, optimizer, epochs=EPOCHS, batch_size=32
    )
print("variant      train loss  best val loss (epoch)  final val loss  final val acc")
for variant, h in histories.items():
    best = best_epoch(h.val_loss)
    print(
        f"{variant:<11} {h.train_loss[-1]:11.4f}  {h.val_loss[best]:13.3f} ({best + 1:2d})"
        f"  {h.val_loss[-1]:14.3f}  {h.val_acc[-1]:13.3f}"
    )

# %%
fig, (ax_train, ax_val) = new_figure(ncols=2, width=5.2, height=3.9)
for k, (variant, h) in enumerate(histories.items()):
    epochs = range(1, EPOCHS + 1)
    ax_train.plot(epochs, h.train_loss, color=PALETTE[k], label=variant)
    ax_val.plot(epochs, h.val_loss, color=PALETTE[k], label=variant)
ax_train.set_yscale("log")
ax_train.set(
    title="Entrenamiento / Training",
    xlabel="época / epoch",
    ylabel="entropía cruzada (log) / cross-entropy (log)",
)
ax_val.set(
    title="Validación / Validation",
    xlabel="época / epoch",
    ylabel="entropía cruzada / cross-entropy",
)
ax_val.legend()
final = {v: h.val_loss[-1] for v, h in histories.items()}
set_alt(
    fig,
    es="Pérdida de entrenamiento (escala logarítmica) y de validación por época para las cuatro variantes. "
    + f"Sin regularizar, la pérdida de entrenamiento cae casi a cero y la de validación vuelve a subir; con dropout la de entrenamiento baja menos. Pérdida final de validación: sin nada {final['neither']:.3f}, dropout {final['dropout']:.3f}, normalización {final['batch norm']:.3f}, ambas {final['both']:.3f}.",
    en="Training loss (log scale) and validation loss per epoch for the four variants. "
    + f"Without regularisation the training loss falls almost to zero and the validation loss climbs back up; with dropout training loss falls less. Final validation loss: neither {final['neither']:.3f}, dropout {final['dropout']:.3f}, batch norm {final['batch norm']:.3f}, both {final['both']:.3f}.",
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
    variant: hidden_activation_stats(model.eval(), split.x_val) for variant, model in models.items()
}
print("variant      layer 1 mean/std   layer 2 mean/std   layer 3 mean/std")
for variant, layers in stats.items():
    print(f"{variant:<11}" + "".join(f"   {m:+6.2f} / {s:5.2f}" for m, s in layers))

fig, ax = new_figure(width=6.2, height=3.8)
width = 0.2
for k, (variant, layers) in enumerate(stats.items()):
    ax.bar(
        [i + (k - 1.5) * width for i in range(3)],
        [s for _, s in layers],
        width=width,
        color=PALETTE[k],
        label=variant,
    )
ax.set(
    title="Dispersión por capa / Spread per layer",
    xlabel="capa oculta / hidden layer",
    ylabel="desviación típica / standard deviation",
    xticks=range(3),
    xticklabels=["1", "2", "3"],
)
ax.legend(fontsize=8)
plain = [s for _, s in stats["neither"]]
set_alt(
    fig,
    es=f"Desviación típica de la entrada de cada ReLU en las tres capas ocultas. Sin normalización crece capa a capa ({plain[0]:.2f}, {plain[1]:.2f}, {plain[2]:.2f}); con normalización por lotes se mantiene cerca de 1.",
    en=f"Standard deviation of each ReLU's input in the three hidden layers. Without normalization it grows layer by layer ({plain[0]:.2f}, {plain[1]:.2f}, {plain[2]:.2f}); with batch normalization it stays close to 1.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - En modo entrenamiento dropout apaga unidades distintas en cada llamada y multiplica las supervivientes por $1/(1-p) = 2$; en evaluación devuelve la entrada intacta. La normalización por lotes transforma el mismo ejemplo de forma distinta según su lote al entrenar, y de la misma forma al evaluar. Olvidar `model.eval()` antes de medir es un error clásico: las métricas salen ruidosas y dependen del tamaño del lote.
# - Sin regularizar, la red memoriza las 300 imágenes: la pérdida de entrenamiento cae casi a cero y la de validación tiene su mínimo pronto y luego sube. Con dropout la pérdida de entrenamiento se queda más alta (la red entrena siempre «con ruido») y la de validación se mantiene mejor hasta el final.
# - La normalización por lotes acelera mucho las primeras épocas y consigue la menor pérdida de validación en algún momento, pero por sí sola no impide que la validación empeore después. Combinada con dropout da la mejor pérdida final de las cuatro en esta ejecución.
# - Sin normalización, la dispersión de lo que reciben las ReLU crece capa a capa; con ella se mantiene cerca de 1 en todas. Entradas de escala estable son parte de por qué entrena más deprisa.

# %% [markdown] lang="en"
# ## What to notice
#
# - In training mode dropout switches off different units at each call and multiplies the survivors by $1/(1-p) = 2$; in evaluation it returns the input untouched. Batch normalization transforms the same example differently depending on its batch when training, and the same way when evaluating. Forgetting `model.eval()` before measuring is a classic bug: metrics come out noisy and depend on the batch size.
# - Without regularisation, the network memorises the 300 images: training loss falls almost to zero and validation loss reaches its minimum early and then rises. With dropout training loss stays higher (the network always trains "with noise") and validation loss holds up better until the end.
# - Batch normalization speeds up the first epochs a lot and reaches the lowest validation loss at some point, but on its own it does not stop validation from getting worse afterwards. Combined with dropout it gives the best final loss of the four in this run.
# - Without normalization, the spread of what the ReLUs receive grows layer by layer; with it, it stays close to 1 in all of them. Inputs on a stable scale are part of why it trains faster.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Con $p = 0{,}5$, ¿qué valores puede devolver `nn.Dropout` en modo entrenamiento para una entrada igual a 3? ¿Cuál es su media?
# 2. Calcula a mano la salida de la normalización por lotes (con $\gamma = 1$, $\beta = 0$, $\epsilon \approx 0$) para el ejemplo 1 dentro del lote A $= (1, 0, 2, 3)$. Recuerda que usa la varianza sesgada (dividiendo por $N$).
# 3. Evalúa el modelo con dropout **sin** llamar a `model.eval()` dos veces seguidas sobre la validación. ¿Coinciden las exactitudes?
#
# ??? success "Solución 1"
#     Devuelve 0 (con probabilidad 0,5) o $3/(1-0{,}5) = 6$ (con probabilidad 0,5). La media es $0{,}5 \cdot 0 + 0{,}5 \cdot 6 = 3$: el reescalado conserva el valor esperado.
#
# ??? success "Solución 2"
#     La media del lote es $1{,}5$ y la varianza sesgada $\frac{(0{,}5^2 + 1{,}5^2 + 0{,}5^2 + 1{,}5^2)}{4} = 1{,}25$, así que $\hat{x} = (1 - 1{,}5)/\sqrt{1{,}25} \approx -0{,}447$, el valor impreso arriba.
#
# ??? success "Solución 3"
#     ```python
#     model = models["dropout"].train()  # the mistake: still in training mode
#     with torch.no_grad():
#         for _ in range(2):
#             print((model(split.x_val).argmax(1) == split.y_val).float().mean().item())
#     ```
#     No coinciden: cada llamada apaga unidades distintas, así que las predicciones cambian de una vez a otra y no son las del modelo que realmente se entrenó para evaluar.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. With $p = 0.5$, which values can `nn.Dropout` return in training mode for an input equal to 3? What is their mean?
# 2. Compute by hand the output of batch normalization (with $\gamma = 1$, $\beta = 0$, $\epsilon \approx 0$) for the example 1 inside batch A $= (1, 0, 2, 3)$. Remember it uses the biased variance (dividing by $N$).
# 3. Evaluate the dropout model **without** calling `model.eval()`, twice in a row on the validation set. Do the accuracies match?
#
# ??? success "Solution 1"
#     It returns 0 (with probability 0.5) or $3/(1-0.5) = 6$ (with probability 0.5). The mean is $0.5 \cdot 0 + 0.5 \cdot 6 = 3$: rescaling preserves the expected value.
#
# ??? success "Solution 2"
#     The batch mean is $1.5$ and the biased variance $\frac{(0.5^2 + 1.5^2 + 0.5^2 + 1.5^2)}{4} = 1.25$, so $\hat{x} = (1 - 1.5)/\sqrt{1.25} \approx -0.447$, the value printed above.
#
# ??? success "Solution 3"
#     ```python
#     model = models["dropout"].train()  # the mistake: still in training mode
#     with torch.no_grad():
#         for _ in range(2):
#             print((model(split.x_val).argmax(1) == split.y_val).float().mean().item())
#     ```
#     They do not match: each call switches off different units, so predictions change from one call to the next and are not those of the model meant for evaluation.
