# ---
# jupyter:
#   lesson:
#     title:
#       es: Anatomía de PyTorch Lightning
#       en: PyTorch Lightning anatomy
#     summary:
#       es: LightningModule, LightningDataModule, Trainer, callbacks y TorchMetrics sobre los dígitos 8x8, con el mismo bucle escrito a mano en PyTorch que da pérdidas idénticas.
#       en: LightningModule, LightningDataModule, Trainer, callbacks and TorchMetrics on the 8x8 digits, with the same loop written by hand in PyTorch giving identical losses.
#     order: 12
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Reconocer las piezas de PyTorch Lightning: `LightningDataModule` (datos), `LightningModule` (modelo y pasos), `Trainer` (el bucle) y *callbacks* (lo que se engancha al bucle).
#     - Saber qué hace cada gancho de datos: `prepare_data` una vez por máquina, `setup` en cada proceso, y los `*_dataloader`.
#     - Comprobar que `Trainer.fit` no es magia: el mismo bucle escrito a mano en PyTorch, con la misma semilla, da las mismas pérdidas época a época.
#     - Usar `EarlyStopping`, `ModelCheckpoint` y `LearningRateMonitor`, y medir con TorchMetrics.
#
# Lectura asociada: [resumen de la documentación de PyTorch Lightning](../readings/pytorch-lightning.md). Referencia de la API: [`dlcourse.data.digits`](../api/data/digits.md) y [`dlcourse.training.lightning`](../api/training/lightning.md). Lección anterior: [Clasificación binaria](binary-classification.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Recognise the pieces of PyTorch Lightning: `LightningDataModule` (data), `LightningModule` (model and steps), `Trainer` (the loop) and callbacks (what hooks into the loop).
#     - Know what each data hook does: `prepare_data` once per machine, `setup` in every process, and the `*_dataloader` methods.
#     - Check that `Trainer.fit` is not magic: the same loop written by hand in PyTorch, with the same seed, gives the same losses epoch after epoch.
#     - Use `EarlyStopping`, `ModelCheckpoint` and `LearningRateMonitor`, and measure with TorchMetrics.
#
# Related reading: [summary of the PyTorch Lightning documentation](../readings/pytorch-lightning.md). API reference: [`dlcourse.data.digits`](../api/data/digits.md) and [`dlcourse.training.lightning`](../api/training/lightning.md). Previous lesson: [Binary classification](binary-classification.md).

# %% [markdown] lang="es"
# ## La idea
#
# Todo entrenamiento supervisado repite el mismo bucle. Para cada época y cada minilote $\mathcal{B}$ de ejemplos $(\mathbf{x}_b, y_b)$, la red da unos *logits* $\mathbf{z}_b \in \mathbb{R}^{10}$, medimos la entropía cruzada
#
# $$
# L_{\mathcal{B}}(\theta) = -\frac{1}{|\mathcal{B}|} \sum_{b \in \mathcal{B}} \log \frac{e^{z_{b, y_b}}}{\sum_{k=0}^{9} e^{z_{b,k}}},
# $$
#
# calculamos $\nabla_\theta L_{\mathcal{B}}$ con `backward()` y el optimizador mueve los parámetros, $\theta \leftarrow \theta - \eta\, u(\nabla_\theta L_{\mathcal{B}})$, donde $u$ es la regla de AdamW. Al final de cada época evaluamos en validación. Ese bucle mezcla dos cosas: **la ciencia** (qué red, qué pérdida, qué optimizador) y **la ingeniería** (recorrer épocas, mover tensores al dispositivo, poner la red en modo `train`/`eval`, desactivar gradientes al validar, promediar métricas, guardar puntos de control, repartir entre GPU). Lightning las separa:
#
# | Pieza | Qué contiene | Quién la escribe |
# |---|---|---|
# | `LightningDataModule` | cómo obtener, dividir y servir los datos | nosotros |
# | `LightningModule` | la red, `training_step`, `validation_step`, `configure_optimizers` | nosotros |
# | `Trainer` | el bucle, el dispositivo, la precisión, el registro | Lightning |
# | *callbacks* | acciones en momentos del bucle (parar, guardar, medir) | Lightning o nosotros |

# %% [markdown] lang="en"
# ## The idea
#
# Every supervised training run repeats the same loop. For each epoch and each mini-batch $\mathcal{B}$ of examples $(\mathbf{x}_b, y_b)$, the network gives logits $\mathbf{z}_b \in \mathbb{R}^{10}$, we measure the cross-entropy
#
# $$
# L_{\mathcal{B}}(\theta) = -\frac{1}{|\mathcal{B}|} \sum_{b \in \mathcal{B}} \log \frac{e^{z_{b, y_b}}}{\sum_{k=0}^{9} e^{z_{b,k}}},
# $$
#
# compute $\nabla_\theta L_{\mathcal{B}}$ with `backward()`, and the optimizer moves the parameters, $\theta \leftarrow \theta - \eta\, u(\nabla_\theta L_{\mathcal{B}})$, where $u$ is AdamW's rule. At the end of every epoch we evaluate on validation. That loop mixes two things: **the science** (which network, which loss, which optimizer) and **the engineering** (looping over epochs, moving tensors to the device, switching the network between `train` and `eval`, turning gradients off for validation, averaging metrics, saving checkpoints, spreading work over GPUs). Lightning separates them:
#
# | Piece | What it holds | Who writes it |
# |---|---|---|
# | `LightningDataModule` | how to get, split and serve the data | us |
# | `LightningModule` | the network, `training_step`, `validation_step`, `configure_optimizers` | us |
# | `Trainer` | the loop, the device, the precision, the logging | Lightning |
# | callbacks | actions at points of the loop (stop, save, measure) | Lightning or us |

# %% [markdown] lang="es"
# ## Los datos: dígitos de 8×8, el MNIST sin conexión
#
# El ejemplo de inicio de Lightning entrena sobre MNIST, que hay que descargar. Aquí usamos su hermano pequeño incluido en scikit-learn: 1797 dígitos escritos a mano, de 8×8 píxeles con 17 niveles de gris (0 a 16). Dividimos 75 % / 25 % de forma estratificada y escalamos los píxeles a $[0, 1]$, como hace `ToTensor` con MNIST.
#
# `DigitsDataModule` tiene los cuatro ganchos de datos de Lightning:
#
# - `prepare_data()`: descargar o escribir en disco. Lightning la llama **una sola vez por máquina (nodo)**, en un único proceso, para que ocho GPU no descarguen ocho veces el mismo archivo. Lo que se asigne aquí no llega a los demás procesos. Con los dígitos, que vienen dentro de scikit-learn, no hay nada que hacer: es una operación vacía.
# - `setup(stage)`: construir las particiones. Se ejecuta **en cada proceso**, porque cada uno necesita sus propios tensores.
# - `train_dataloader()` y `val_dataloader()`: devolver los `DataLoader`. El de entrenamiento baraja con un generador con semilla propia, así que el orden de los minilotes no depende del estado aleatorio global.

# %% [markdown] lang="en"
# ## The data: 8×8 digits, the offline MNIST
#
# Lightning's getting-started example trains on MNIST, which has to be downloaded. Here we use its little sibling bundled with scikit-learn: 1,797 handwritten digits of 8×8 pixels with 17 grey levels (0 to 16). We split 75 % / 25 % with stratification and scale the pixels to $[0, 1]$, as `ToTensor` does with MNIST.
#
# `DigitsDataModule` has Lightning's four data hooks:
#
# - `prepare_data()`: download or write to disk. Lightning calls it **once per machine (node)**, in a single process, so that eight GPUs do not download the same file eight times. Anything assigned here does not reach the other processes. With the digits, which ship inside scikit-learn, there is nothing to do: it is a no-op.
# - `setup(stage)`: build the splits. It runs **in every process**, because each one needs its own tensors.
# - `train_dataloader()` and `val_dataloader()`: return the `DataLoader`s. The training one shuffles with a generator seeded on its own, so the order of the mini-batches does not depend on the global random state.

# %%
import torch
from dlcourse.data.digits import DigitsDataModule, digit_images
from dlcourse.models import count_parameters, mlp
from dlcourse.plotting import new_figure, set_alt
from dlcourse.runtime import pick_device, scratch_dir, seed_all
from dlcourse.training import train_by_hand
from dlcourse.training.lightning import DigitsClassifier, logged_metrics, logged_steps, make_trainer

data = DigitsDataModule(batch_size=64)
data.prepare_data()  # nothing to download: the digits ship with scikit-learn
data.setup("fit")
split = data.split
batches = len(data.train_dataloader())
print(f"train {tuple(split.x_train.shape)} · validation {tuple(split.x_val.shape)}")
print(
    f"pixel values in [{split.x_train.min():.0f}, {split.x_train.max():.0f}] · classes {split.target_names}"
)
print(f"mini-batches of 64 per epoch: {batches}")
print("examples per class (train):", torch.bincount(split.y_train).tolist())

images, labels = digit_images(16)
fig, axes = new_figure(ncols=8, nrows=2, width=1.1, height=1.3)
for ax, image, label in zip(axes.flat, images, labels, strict=True):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(f"{label}", fontsize=11)
    ax.set_axis_off()
fig.suptitle("Dígitos 8×8 / 8×8 digits", fontweight="bold")
set_alt(
    fig,
    es="Dieciséis dígitos manuscritos de 8×8 píxeles, con su etiqueta encima: "
    + ", ".join(str(v) for v in labels)
    + ".",
    en="Sixteen handwritten 8×8-pixel digits, each with its label above: "
    + ", ".join(str(v) for v in labels)
    + ".",
)

# %% [markdown] lang="es"
# ## El modelo: un `LightningModule` y TorchMetrics
#
# `DigitsClassifier` sigue la forma del ejemplo de inicio de Lightning: en `__init__` guarda sus hiperparámetros (`save_hyperparameters`) y crea la red, un MLP $64 \to 64 \to 10$; `training_step` y `validation_step` reciben un minilote y devuelven o registran la pérdida; `configure_optimizers` crea AdamW. No hay `.to(device)`, ni `zero_grad()`, ni `backward()`, ni `model.eval()`: eso es trabajo del `Trainer`.
#
# La exactitud la mide TorchMetrics. Un `MulticlassAccuracy` es un módulo con **estado**: cada llamada acumula aciertos y ejemplos del minilote, y `compute()` da la exactitud de todo lo visto. Así la métrica de una época es la de todos sus ejemplos, no una media de medias por lote. Usamos `average="micro"` (fracción de aciertos); el valor por defecto, `"macro"`, promedia la exactitud de cada clase.

# %% [markdown] lang="en"
# ## The model: a `LightningModule` and TorchMetrics
#
# `DigitsClassifier` follows the shape of Lightning's getting-started example: `__init__` saves its hyperparameters (`save_hyperparameters`) and builds the network, a $64 \to 64 \to 10$ MLP; `training_step` and `validation_step` take a mini-batch and return or log the loss; `configure_optimizers` creates AdamW. There is no `.to(device)`, no `zero_grad()`, no `backward()`, no `model.eval()`: that is the `Trainer`'s job.
#
# Accuracy is measured by TorchMetrics. A `MulticlassAccuracy` is a module with **state**: each call accumulates the batch's hits and examples, and `compute()` gives the accuracy of everything seen. So an epoch's metric is that of all its examples, not a mean of per-batch means. We use `average="micro"` (fraction of hits); the default, `"macro"`, averages the per-class accuracies.

# %%
seed_all(0)
model = DigitsClassifier(hidden=(64,), lr=3e-3)
initial = {k: v.clone() for k, v in model.net.state_dict().items()}  # kept to compare later
print(model.net)
print(f"trainable parameters: {count_parameters(model)} · hyperparameters: {dict(model.hparams)}")

# A stateful metric: feed the validation set in two uneven halves, then compute once.
x_val, y_val = split.x_val, split.y_val
with torch.no_grad():
    logits = model(x_val)  # (450, 10): an untrained network
metric = model.val_acc.clone()
metric.update(logits[:100], y_val[:100])
metric.update(logits[100:], y_val[100:])
whole = (logits.argmax(dim=1) == y_val).float().mean()
print(f"untrained accuracy: accumulated {metric.compute():.4f} · computed at once {whole:.4f}")

# %% [markdown] lang="es"
# ## `Trainer.fit` frente al bucle escrito a mano
#
# Entrenamos 8 épocas con el `Trainer` (`make_trainer` lo deja silencioso y determinista, y registra en CSV fuera del repositorio). Después repetimos el entrenamiento **sin Lightning** con `train_by_hand`, que hace a mano lo que hace el `Trainer`:
#
# {{ source: dlcourse.training.train_by_hand }}
#
# Para que los dos den **los mismos números** hace falta lo mismo en ambos: la misma semilla antes de crear la red (mismos pesos iniciales), el mismo orden de minilotes (el generador propio del `DataLoader`), el mismo optimizador y la misma forma de promediar (Lightning pondera cada minilote por su tamaño con `on_epoch=True`).

# %% [markdown] lang="en"
# ## `Trainer.fit` against the loop written by hand
#
# We train for 8 epochs with the `Trainer` (`make_trainer` makes it quiet and deterministic, and logs to CSV outside the repository). Then we repeat the training **without Lightning** with `train_by_hand`, which does by hand what the `Trainer` does:
#
# {{ source: dlcourse.training.train_by_hand }}
#
# For both to give **the same numbers** they need the same things: the same seed before building the network (same initial weights), the same mini-batch order (the `DataLoader`'s own generator), the same optimizer and the same way of averaging (Lightning weights each mini-batch by its size with `on_epoch=True`).

# %%
EPOCHS = 8
device = pick_device()
trainer = make_trainer("lightning-anatomy/fit", max_epochs=EPOCHS)
trainer.fit(model, datamodule=DigitsDataModule(batch_size=64))
by_lightning = logged_metrics(trainer)

seed_all(0)  # same seed as before building `model`: same initial weights
net = mlp((64, 64, 10))
same_start = all(torch.equal(initial[k], v) for k, v in net.state_dict().items())
seed_all(0)  # make_trainer seeds the same way just before fit
by_hand = train_by_hand(net, DigitsDataModule(batch_size=64), epochs=EPOCHS, lr=3e-3, device=device)
print(f"same initial weights: {same_start}")

print(
    f"{'epoch':>5} {'train loss (Lightning)':>23} {'(by hand)':>11} {'val loss (Lightning)':>21} {'(by hand)':>11}"
)
for e in range(EPOCHS):
    print(
        f"{e + 1:>5} {by_lightning['train_loss'][e]:>23.6f} {by_hand['train_loss'][e]:>11.6f}"
        f" {by_lightning['val_loss'][e]:>21.6f} {by_hand['val_loss'][e]:>11.6f}"
    )
gaps = {
    key: max(abs(a - b) for a, b in zip(by_lightning[key], by_hand[key], strict=True))
    for key in ("train_loss", "val_loss", "train_acc", "val_acc")
}
print("largest difference per metric:", {k: f"{v:.1e}" for k, v in gaps.items()})
weights_gap = max(
    (a.cpu() - b.cpu()).abs().max().item()
    for a, b in zip(model.net.parameters(), net.parameters(), strict=True)
)
print(f"largest difference between the final weights: {weights_gap:.1e}")

# %%
fig, (ax_loss, ax_gap) = new_figure(ncols=2, width=5.2)
epochs = range(1, EPOCHS + 1)
for key, label in (
    ("train_loss", "entrenamiento / train"),
    ("val_loss", "validación / validation"),
):
    ax_loss.plot(epochs, by_lightning[key], label=f"Lightning: {label}")
    ax_loss.plot(epochs, by_hand[key], linestyle="none", marker="o", color="#000000", markersize=4)
ax_loss.plot([], [], linestyle="none", marker="o", color="#000000", label="a mano / by hand")
ax_loss.set(
    title="Pérdida / Loss", xlabel="época / epoch", ylabel="entropía cruzada / cross-entropy"
)
ax_loss.legend()
for key, label in (
    ("train_loss", "entrenamiento / train"),
    ("val_loss", "validación / validation"),
):
    ax_gap.plot(
        epochs,
        [abs(a - b) for a, b in zip(by_lightning[key], by_hand[key], strict=True)],
        marker="s",
        label=label,
    )
ax_gap.set(
    title="|Lightning − a mano| / |Lightning − by hand|",
    xlabel="época / epoch",
    ylabel="diferencia absoluta / absolute difference",
    ylim=(0, max(1e-6, 1.2 * max(gaps["train_loss"], gaps["val_loss"]))),
)
ax_gap.legend()
set_alt(
    fig,
    es=f"Izquierda: curvas de pérdida de Lightning y puntos del bucle a mano, superpuestos durante {EPOCHS} épocas. "
    f"Derecha: la diferencia absoluta entre ambos, nunca mayor que {max(gaps['train_loss'], gaps['val_loss']):.0e}.",
    en=f"Left: Lightning's loss curves and the hand-written loop's points, on top of each other over {EPOCHS} epochs. "
    f"Right: the absolute difference between them, never above {max(gaps['train_loss'], gaps['val_loss']):.0e}.",
)

# %% [markdown] lang="es"
# ## *Callbacks*: parar a tiempo, guardar el mejor, vigilar la tasa
#
# Un *callback* es un objeto con métodos que el `Trainer` llama en momentos fijos del bucle (`on_train_epoch_end`, `on_validation_end`…). Tres de los que trae Lightning:
#
# - `EarlyStopping(monitor="val_loss", patience=3)`: para el entrenamiento cuando la pérdida de validación lleva 3 épocas sin mejorar.
# - `ModelCheckpoint(monitor="val_acc", mode="max")`: guarda en disco el modelo de la mejor época. Le damos `dirpath` en una carpeta temporal (`scratch_dir`), nunca en el repositorio.
# - `LearningRateMonitor`: registra la tasa de aprendizaje, útil cuando un *scheduler* la cambia. Aquí `cosine_epochs=40` la hace bajar con un coseno, $\eta_t = \tfrac{\eta_0}{2}\big(1 + \cos\frac{\pi t}{40}\big)$.

# %% [markdown] lang="en"
# ## Callbacks: stop in time, keep the best, watch the rate
#
# A callback is an object with methods the `Trainer` calls at fixed points of the loop (`on_train_epoch_end`, `on_validation_end`…). Three of those Lightning ships:
#
# - `EarlyStopping(monitor="val_loss", patience=3)`: stops training when the validation loss has not improved for 3 epochs.
# - `ModelCheckpoint(monitor="val_acc", mode="max")`: saves the model of the best epoch to disk. We give it a `dirpath` in a temporary folder (`scratch_dir`), never in the repository.
# - `LearningRateMonitor`: logs the learning rate, useful when a scheduler changes it. Here `cosine_epochs=40` makes it decay along a cosine, $\eta_t = \tfrac{\eta_0}{2}\big(1 + \cos\frac{\pi t}{40}\big)$.

# %%
from pytorch_lightning.callbacks import EarlyStopping, LearningRateMonitor, ModelCheckpoint

checkpoints = scratch_dir("lightning-anatomy/checkpoints")
for old in checkpoints.glob("*.ckpt"):
    old.unlink()  # a re-run starts from an empty folder
stopper = EarlyStopping(monitor="val_loss", patience=3)
keeper = ModelCheckpoint(
    dirpath=checkpoints, filename="digits-{epoch:02d}-{val_acc:.3f}", monitor="val_acc", mode="max"
)
seed_all(0)
scheduled = DigitsClassifier(hidden=(64,), lr=1e-2, cosine_epochs=40)
trainer = make_trainer(
    "lightning-anatomy/callbacks",
    max_epochs=40,
    callbacks=[stopper, keeper, LearningRateMonitor(logging_interval="epoch")],
    enable_checkpointing=True,
)
trainer.fit(scheduled, datamodule=DigitsDataModule(batch_size=64))
history = logged_metrics(trainer)
rates = logged_steps(trainer, "lr-AdamW")  # LearningRateMonitor: one value per epoch
ran = len(history["val_loss"])
best_file = keeper.best_model_path.rsplit("/", 1)[-1]
print(f"stopped after {ran} of 40 epochs (early stopping: {stopper.stopped_epoch > 0})")
print(f"best checkpoint: {best_file} · val_acc {keeper.best_model_score:.4f}")
print(f"learning rate: {rates[0]:.2e} at epoch 1 → {rates[-1]:.2e} at epoch {ran}")

best = DigitsClassifier.load_from_checkpoint(keeper.best_model_path)
best.eval()
with torch.no_grad():
    reloaded_acc = (best(x_val.to(best.device)).argmax(dim=1).cpu() == y_val).float().mean()
print(f"reloaded best model: validation accuracy {reloaded_acc:.4f} · hidden {best.hparams.hidden}")

# %%
best_epoch = history["val_acc"].index(max(history["val_acc"])) + 1
fig, (ax_val, ax_lr) = new_figure(ncols=2, width=5.2)
epochs = range(1, ran + 1)
ax_val.plot(epochs, history["train_loss"], label="entrenamiento / train")
ax_val.plot(epochs, history["val_loss"], label="validación / validation")
ax_val.axvline(best_epoch, color="#555555", linestyle="--", linewidth=1)
ax_val.set(
    title="Pérdida / Loss", xlabel="época / epoch", ylabel="entropía cruzada / cross-entropy"
)
ax_val.legend()
ax_lr.plot(epochs, rates, marker="o", markersize=3, color="#009E73")
ax_lr.set(title="Tasa de aprendizaje / Learning rate", xlabel="época / epoch", ylabel="η")
set_alt(
    fig,
    es=f"Izquierda: pérdidas de entrenamiento y validación durante las {ran} épocas que duró el entrenamiento; "
    f"una línea discontinua marca la época {best_epoch}, la del punto de control guardado. "
    f"Derecha: la tasa de aprendizaje baja con forma de coseno.",
    en=f"Left: training and validation losses over the {ran} epochs training lasted; a dashed line marks "
    f"epoch {best_epoch}, that of the saved checkpoint. Right: the learning rate decays along a cosine.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Los pesos iniciales son idénticos y las pérdidas de Lightning y del bucle a mano coinciden época a época: la mayor diferencia impresa está en torno a $10^{-7}$, el redondeo de `float32`. Lightning no cambia las matemáticas del entrenamiento; organiza el código que las rodea.
# - La diferencia no es exactamente cero porque Lightning acumula la media de la época en tensores `float32` y el bucle a mano en `float` de Python (64 bits). Los pesos finales coinciden igual de bien.
# - La exactitud acumulada por TorchMetrics en dos trozos desiguales es la misma que la calculada de una vez: la métrica de una época es exacta aunque el último minilote sea más pequeño.
# - Con los *callbacks*, el entrenamiento se detuvo antes de las 40 épocas previstas cuando la pérdida de validación dejó de mejorar, y el modelo recargado del punto de control da exactamente la exactitud que `ModelCheckpoint` anotó.
# - Nada se escribió en el repositorio: registros CSV y puntos de control viven en carpetas temporales.

# %% [markdown] lang="en"
# ## What to notice
#
# - The initial weights are identical and the losses of Lightning and of the hand-written loop agree epoch after epoch: the largest printed difference is around $10^{-7}$, `float32` rounding. Lightning does not change the mathematics of training; it organises the code around it.
# - The difference is not exactly zero because Lightning accumulates the epoch mean in `float32` tensors and the hand-written loop in Python floats (64 bits). The final weights agree just as well.
# - The accuracy accumulated by TorchMetrics in two uneven pieces is the same as the one computed at once: an epoch's metric is exact even when the last mini-batch is smaller.
# - With the callbacks, training stopped before the planned 40 epochs once the validation loss stopped improving, and the model reloaded from the checkpoint gives exactly the accuracy `ModelCheckpoint` recorded.
# - Nothing was written into the repository: CSV logs and checkpoints live in temporary folders.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Cambia en la comparación el tamaño de minilote a 32 en los dos `DigitsDataModule`. ¿Siguen coincidiendo Lightning y el bucle a mano? ¿Y si solo lo cambias en uno?
# 2. Añade `dropout=0.2` al `DigitsClassifier` de la comparación y haz lo mismo en el bucle a mano con `mlp((64, 64, 10), dropout=0.2)`. ¿Coinciden ahora? ¿Por qué?
# 3. Escribe un *callback* que imprima, al final de cada época de validación, la exactitud de validación con tres decimales.
#
# ??? success "Solución 1"
#     Con 32 en los dos siguen coincidiendo (diferencias del orden de $10^{-7}$): hay el doble de pasos por época, pero los mismos en ambos. Si lo cambias solo en uno, los minilotes y el número de pasos difieren y las curvas se separan desde la primera época.
#
# ??? success "Solución 2"
#     Siguen coincidiendo. El *dropout* usa el generador aleatorio global de PyTorch, y los dos entrenamientos parten de `seed_all(0)` y hacen las mismas llamadas aleatorias en el mismo orden: la validación previa que Lightning hace antes de entrenar (*sanity check*) pone la red en modo `eval`, y en ese modo el *dropout* no sortea nada. Si en uno de los dos se hiciera una llamada aleatoria más (por ejemplo, crear otra red en medio), las máscaras serían otras y las pérdidas se separarían.
#
# ??? success "Solución 3"
#     ```python
#     import pytorch_lightning as pl
#
#     class PrintAccuracy(pl.Callback):
#         def on_validation_epoch_end(self, trainer, pl_module):
#             if not trainer.sanity_checking:
#                 print(f"epoch {trainer.current_epoch + 1}: val_acc {trainer.callback_metrics['val_acc']:.3f}")
#
#     make_trainer("print-acc", max_epochs=3, callbacks=[PrintAccuracy()]).fit(
#         DigitsClassifier(), datamodule=DigitsDataModule()
#     )
#     ```
#     `trainer.callback_metrics` contiene lo registrado con `self.log`; durante la comprobación previa (`sanity_checking`) todavía no hay métricas de época.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. In the comparison, change the mini-batch size to 32 in both `DigitsDataModule`s. Do Lightning and the hand-written loop still agree? And if you change it in only one?
# 2. Add `dropout=0.2` to the comparison's `DigitsClassifier` and do the same in the hand-written loop with `mlp((64, 64, 10), dropout=0.2)`. Do they agree now? Why?
# 3. Write a callback that prints the validation accuracy with three decimals at the end of every validation epoch.
#
# ??? success "Solution 1"
#     With 32 in both they still agree (differences around $10^{-7}$): there are twice as many steps per epoch, but the same ones in both. If you change it in only one, the mini-batches and the number of steps differ and the curves part from the first epoch.
#
# ??? success "Solution 2"
#     They still agree. Dropout uses PyTorch's global random generator, and both runs start from `seed_all(0)` and make the same random calls in the same order: the validation Lightning runs before training (the sanity check) puts the network in `eval` mode, and in that mode dropout draws nothing. If one of them made one more random call (for example, building another network in between), the masks would differ and the losses would part.
#
# ??? success "Solution 3"
#     ```python
#     import pytorch_lightning as pl
#
#     class PrintAccuracy(pl.Callback):
#         def on_validation_epoch_end(self, trainer, pl_module):
#             if not trainer.sanity_checking:
#                 print(f"epoch {trainer.current_epoch + 1}: val_acc {trainer.callback_metrics['val_acc']:.3f}")
#
#     make_trainer("print-acc", max_epochs=3, callbacks=[PrintAccuracy()]).fit(
#         DigitsClassifier(), datamodule=DigitsDataModule()
#     )
#     ```
#     `trainer.callback_metrics` holds what was logged with `self.log`; during the preliminary check (`sanity_checking`) there are no epoch metrics yet.
