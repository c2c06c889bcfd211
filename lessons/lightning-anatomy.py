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
#     - Recognize the pieces of PyTorch Lightning: `LightningDataModule` (data), `LightningModule` (model and steps), `Trainer` (the loop) and callbacks (what hooks into the loop).
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
# El ejemplo de inicio de Lightning entrena sobre MNIST, que hay que descargar. Aquí usamos su hermano pequeño incluido en scikit-learn: {{ value: n_digits }} dígitos escritos a mano, de 8×8 píxeles con 17 niveles de gris (0 a 16). Dividimos 75 % / 25 % de forma estratificada ({{ value: n_train }} para entrenar y {{ value: n_val }} para validar) y escalamos los píxeles a $[0, 1]$, como hace `ToTensor` con MNIST.
#
# `DigitsDataModule` tiene los cuatro ganchos de datos de Lightning:
#
# - `prepare_data()`: descargar o escribir en disco. Lightning la llama **una sola vez por máquina (nodo)**, en un único proceso, para que ocho GPU no descarguen ocho veces el mismo archivo. Lo que se asigne aquí no llega a los demás procesos. Con los dígitos, que vienen dentro de scikit-learn, no hay nada que hacer: es una operación vacía.
# - `setup(stage)`: construir las particiones. Se ejecuta **en cada proceso**, porque cada uno necesita sus propios tensores.
# - `train_dataloader()` y `val_dataloader()`: devolver los `DataLoader`. El de entrenamiento baraja con un generador con semilla propia, así que el orden de los minilotes no depende del estado aleatorio global.

# %% [markdown] lang="en"
# ## The data: 8×8 digits, the offline MNIST
#
# Lightning's getting-started example trains on MNIST, which has to be downloaded. Here we use its little sibling bundled with scikit-learn: {{ value: n_digits }} handwritten digits of 8×8 pixels with 17 gray levels (0 to 16). We split 75% / 25% with stratification ({{ value: n_train }} to train and {{ value: n_val }} to validate) and scale the pixels to $[0, 1]$, as `ToTensor` does with MNIST.
#
# `DigitsDataModule` has Lightning's four data hooks:
#
# - `prepare_data()`: download or write to disk. Lightning calls it **once per machine (node)**, in a single process, so that eight GPUs do not download the same file eight times. Anything assigned here does not reach the other processes. With the digits, which ship inside scikit-learn, there is nothing to do: it is a no-op.
# - `setup(stage)`: build the splits. It runs **in every process**, because each one needs its own tensors.
# - `train_dataloader()` and `val_dataloader()`: return the `DataLoader`s. The training one shuffles with a generator seeded on its own, so the order of the mini-batches does not depend on the global random state.

# %%
from pathlib import Path

import dlcourse
import torch
from dlcourse.bilingual import align, claim, number, publish, tr
from dlcourse.data.digits import DigitsDataModule, digit_images
from dlcourse.models import count_parameters, mlp
from dlcourse.plotting import new_figure, set_alt
from dlcourse.runtime import pick_device, scratch_dir, seed_all
from dlcourse.training import train_by_hand
from dlcourse.training.lightning import (
    DigitsClassifier,
    logged_metrics,
    logged_steps,
    make_trainer,
)

train_word = tr(es="entrenamiento", en="train")
val_word = tr(es="validación", en="validation")
epoch_word = tr(es="época", en="epoch")
yes_no = {True: tr(es="sí", en="yes"), False: tr(es="no", en="no")}

data = DigitsDataModule(batch_size=64)
data.prepare_data()  # nothing to download: the digits ship with scikit-learn
data.setup("fit")
split = data.split
batches = len(data.train_dataloader())
shapes = tuple(split.x_train.shape), tuple(split.x_val.shape)
print(f"{train_word} {shapes[0]} · {val_word} {shapes[1]}")
low, high = split.x_train.min().item(), split.x_train.max().item()
print(
    tr(es="valores de los píxeles en", en="pixel values in")
    + f" [{number(low, '.0f')}, {number(high, '.0f')}] · "
    + tr(es="clases", en="classes")
    + f" {split.target_names}"
)
print(
    tr(es="minilotes de 64 por época:", en="mini-batches of 64 per epoch:"),
    batches,
)
per_class = tr(
    es="ejemplos por clase (entrenamiento):",
    en="examples per class (train):",
)
print(per_class, torch.bincount(split.y_train).tolist())
n_train, n_val = len(split.x_train), len(split.x_val)
n_digits = n_train + n_val
publish("n_digits", tr(es=f"{n_digits}", en=f"{n_digits:,}"))
publish("n_train", n_train)
publish("n_val", n_val)

images, labels = digit_images(16)
fig, axes = new_figure(ncols=8, nrows=2, width=1.1, height=1.3)
for ax, image, label in zip(axes.flat, images, labels, strict=True):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(f"{label}", fontsize=11)
    ax.set_axis_off()
fig.suptitle(tr(es="Dígitos de 8×8", en="8×8 digits"), fontweight="bold")
shown = ", ".join(str(v) for v in labels)
set_alt(
    fig,
    es=f"Dieciséis dígitos manuscritos de 8×8 píxeles y su etiqueta: {shown}.",
    en=f"Sixteen handwritten 8×8-pixel digits and their labels: {shown}.",
)

# %% [markdown] lang="es"
# ## El modelo: un `LightningModule` y TorchMetrics
#
# `DigitsClassifier` sigue la forma del ejemplo de inicio de Lightning: en `__init__` guarda sus hiperparámetros (`save_hyperparameters`) y crea la red, un MLP $64 \to 64 \to 10$ con {{ value: n_params }} parámetros; `training_step` y `validation_step` reciben un minilote y devuelven o registran la pérdida; `configure_optimizers` crea AdamW. No hay `.to(device)`, ni `zero_grad()`, ni `backward()`, ni `model.eval()`: eso es trabajo del `Trainer`.
#
# La exactitud la mide TorchMetrics. Un `MulticlassAccuracy` es un módulo con **estado**: cada llamada acumula aciertos y ejemplos del minilote, y `compute()` da la exactitud de todo lo visto. Así la métrica de una época es la de todos sus ejemplos, no una media de medias por lote. Usamos `average="micro"` (fracción de aciertos); el valor por defecto, `"macro"`, promedia la exactitud de cada clase.

# %% [markdown] lang="en"
# ## The model: a `LightningModule` and TorchMetrics
#
# `DigitsClassifier` follows the shape of Lightning's getting-started example: `__init__` saves its hyperparameters (`save_hyperparameters`) and builds the network, a $64 \to 64 \to 10$ MLP with {{ value: n_params }} parameters; `training_step` and `validation_step` take a mini-batch and return or log the loss; `configure_optimizers` creates AdamW. There is no `.to(device)`, no `zero_grad()`, no `backward()`, no `model.eval()`: that is the `Trainer`'s job.
#
# Accuracy is measured by TorchMetrics. A `MulticlassAccuracy` is a module with **state**: each call accumulates the batch's hits and examples, and `compute()` gives the accuracy of everything seen. So an epoch's metric is that of all its examples, not a mean of per-batch means. We use `average="micro"` (fraction of hits); the default, `"macro"`, averages the per-class accuracies.

# %%
seed_all(0)
model = DigitsClassifier(hidden=(64,), lr=3e-3)
initial = {k: v.clone() for k, v in model.net.state_dict().items()}  # kept
print(model.net)
print(
    f"{tr(es='parámetros entrenables', en='trainable parameters')}: "
    f"{count_parameters(model)} · "
    f"{tr(es='hiperparámetros', en='hyperparameters')}: {dict(model.hparams)}"
)
publish("n_params", count_parameters(model))

# A stateful metric: feed the validation set in two uneven halves, then compute.
x_val, y_val = split.x_val, split.y_val
with torch.no_grad():
    logits = model(x_val)  # (450, 10): an untrained network
metric = model.val_acc.clone()
metric.update(logits[:100], y_val[:100])
metric.update(logits[100:], y_val[100:])
accumulated = metric.compute().item()
whole = (logits.argmax(dim=1) == y_val).float().mean().item()
print(
    tr(
        es="exactitud sin entrenar: acumulada",
        en="untrained accuracy: accumulated",
    )
    + f" {number(accumulated, '.4f')} · "
    + tr(es="calculada de una vez", en="computed at once")
    + f" {number(whole, '.4f')}"
)
publish("untrained_acc", accumulated, ".4f")
claim(
    "metric_exact",
    abs(accumulated - whole) < 1e-6,
    es="la exactitud acumulada en dos trozos es la calculada de una vez",
    en="the accuracy accumulated in two pieces equals the one computed at once",
)

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
start = net.state_dict()
same_start = all(torch.equal(initial[k], v) for k, v in start.items())
seed_all(0)  # make_trainer seeds the same way just before fit
by_hand = train_by_hand(
    net,
    DigitsDataModule(batch_size=64),
    epochs=EPOCHS,
    lr=3e-3,
    device=device,
)
print(f"{tr(es='mismos pesos iniciales', en='same initial weights')}: ", end="")
print(yes_no[same_start])

lightning_word, hand_word = "Lightning", tr(es="a mano", en="by hand")
train_short = tr(es="entren.", en="train")
val_short = tr(es="valid.", en="val.")
columns = [
    (f"{train_short} {lightning_word}", "train_loss", by_lightning, 18),
    (f"{train_short} {hand_word}", "train_loss", by_hand, 16),
    (f"{val_short} {lightning_word}", "val_loss", by_lightning, 17),
    (f"{val_short} {hand_word}", "val_loss", by_hand, 15),
]
print(tr(es="entropía cruzada por época", en="cross-entropy per epoch"))
print(align(epoch_word, 6) + "".join(align(t, w) for t, _, _, w in columns))
for e in range(EPOCHS):
    cells = [align(number(run[key][e], ".6f"), w) for _, key, run, w in columns]
    print(f"{e + 1:>6}" + "".join(cells))


def largest_gap(a: dict, b: dict, keys: tuple[str, ...]) -> float:
    """The largest absolute difference between two runs' logs over ``keys``."""
    pairs = [pair for key in keys for pair in zip(a[key], b[key], strict=True)]
    return max(abs(x - y) for x, y in pairs)


metric_names = {
    "train_loss": tr(es="pérdida de entrenamiento", en="training loss"),
    "val_loss": tr(es="pérdida de validación", en="validation loss"),
    "train_acc": tr(es="exactitud de entrenamiento", en="training accuracy"),
    "val_acc": tr(es="exactitud de validación", en="validation accuracy"),
}
gaps = {key: largest_gap(by_lightning, by_hand, (key,)) for key in metric_names}
print(
    tr(es="mayor diferencia por métrica:", en="largest difference per metric:"),
)
for key, name in metric_names.items():
    print(f"  {name}: {number(gaps[key], '.1e')}")
weights_gap = max(
    (a.cpu() - b.cpu()).abs().max().item()
    for a, b in zip(model.net.parameters(), net.parameters(), strict=True)
)
print(
    tr(
        es="mayor diferencia entre los pesos finales",
        en="largest difference between the final weights",
    )
    + f": {number(weights_gap, '.1e')}"
)


def power_of_ten(value: float) -> str:
    """``value`` written as m × 10ⁿ (one decimal) in each language, or 0."""
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.1e}".split("e")
    supers = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    power = "10" + str(int(exponent)).translate(supers)
    return tr(es=mantissa.replace(".", ","), en=mantissa) + " × " + power


loss_gap = max(gaps["train_loss"], gaps["val_loss"])
publish("loss_gap", power_of_ten(loss_gap))
publish("weights_gap", power_of_ten(weights_gap))
claim(
    "same_start",
    same_start,
    es="Lightning y el bucle a mano empiezan con los mismos pesos",
    en="Lightning and the hand-written loop start from the same weights",
)
claim(
    "losses_agree",
    loss_gap < 1e-5,
    es="en cada época, Lightning y el bucle a mano difieren en menos de 10⁻⁵",
    en="in every epoch, Lightning and the loop differ by less than 10⁻⁵",
)
claim(
    "weights_agree",
    weights_gap < 1e-5,
    es="los pesos finales difieren en menos de 10⁻⁵",
    en="the final weights differ by less than 10⁻⁵",
)

# %%
fig, (ax_loss, ax_gap) = new_figure(ncols=2, width=5.2)
epochs = range(1, EPOCHS + 1)
curves = (("train_loss", train_word), ("val_loss", val_word))
for key, label in curves:
    ax_loss.plot(epochs, by_lightning[key], label=f"Lightning: {label}")
    ax_loss.plot(
        epochs,
        by_hand[key],
        linestyle="none",
        marker="o",
        color="#000000",
        markersize=4,
    )
dots = dict(linestyle="none", marker="o", color="#000000")
ax_loss.plot([], [], label=hand_word, **dots)
cross_entropy = tr(es="entropía cruzada", en="cross-entropy")
loss_title = tr(es="Pérdida", en="Loss")
ax_loss.set(title=loss_title, xlabel=epoch_word, ylabel=cross_entropy)
ax_loss.legend()
for key, label in curves:
    pairs = zip(by_lightning[key], by_hand[key], strict=True)
    ax_gap.plot(epochs, [abs(a - b) for a, b in pairs], marker="s", label=label)
ax_gap.set(
    title=f"|Lightning − {hand_word}|",
    xlabel=epoch_word,
    ylabel=tr(es="diferencia absoluta", en="absolute difference"),
    ylim=(0, max(1e-6, 1.2 * loss_gap)),
)
ax_gap.legend()
bound = power_of_ten(loss_gap)
set_alt(
    fig,
    es="Izquierda: curvas de pérdida de Lightning y puntos del bucle a mano, "
    f"superpuestos durante {EPOCHS} épocas. Derecha: la diferencia absoluta "
    f"entre ambos, como mucho {bound}.",
    en="Left: Lightning's loss curves and the hand-written loop's points, on "
    f"top of each other over {EPOCHS} epochs. Right: the absolute difference "
    f"between them, at most {bound}.",
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
from pytorch_lightning.callbacks import (
    EarlyStopping,
    LearningRateMonitor,
    ModelCheckpoint,
)

MAX_EPOCHS = 40
checkpoints = scratch_dir("lightning-anatomy/checkpoints")
for old in checkpoints.glob("*.ckpt"):
    old.unlink()  # a re-run starts from an empty folder
stopper = EarlyStopping(monitor="val_loss", patience=3)
keeper = ModelCheckpoint(
    dirpath=checkpoints,
    filename="digits-{epoch:02d}-{val_acc:.3f}",
    auto_insert_metric_name=False,
    monitor="val_acc",
    mode="max",
)
seed_all(0)
scheduled = DigitsClassifier(hidden=(64,), lr=1e-2, cosine_epochs=MAX_EPOCHS)
trainer = make_trainer(
    "lightning-anatomy/callbacks",
    max_epochs=MAX_EPOCHS,
    callbacks=[stopper, keeper, LearningRateMonitor(logging_interval="epoch")],
    enable_checkpointing=True,
)
trainer.fit(scheduled, datamodule=DigitsDataModule(batch_size=64))
history = logged_metrics(trainer)
rates = logged_steps(trainer, "lr-AdamW")  # LearningRateMonitor: one per epoch
ran = len(history["val_loss"])
best_file = keeper.best_model_path.rsplit("/", 1)[-1]
best_score = float(keeper.best_model_score)
stopped_early = stopper.stopped_epoch > 0
print(
    tr(
        es=f"se detuvo tras {ran} de {MAX_EPOCHS} épocas (parada temprana: ",
        en=f"stopped after {ran} of {MAX_EPOCHS} epochs (early stopping: ",
    )
    + f"{yes_no[stopped_early]})"
)
print(
    tr(es="mejor punto de control", en="best checkpoint")
    + f": {best_file} · {metric_names['val_acc']} {number(best_score, '.4f')}"
)
print(
    tr(
        es=f"tasa de aprendizaje: {number(rates[0], '.2e')} en la época 1 → "
        f"{number(rates[-1], '.2e')} en la época {ran}",
        en=f"learning rate: {number(rates[0], '.2e')} at epoch 1 → "
        f"{number(rates[-1], '.2e')} at epoch {ran}",
    )
)

best = DigitsClassifier.load_from_checkpoint(keeper.best_model_path)
best.eval()
with torch.no_grad():
    predicted = best(x_val.to(best.device)).argmax(dim=1).cpu()
reloaded_acc = (predicted == y_val).float().mean().item()
print(
    tr(
        es="mejor modelo recargado: exactitud de validación",
        en="reloaded best model: validation accuracy",
    )
    + f" {number(reloaded_acc, '.4f')} · "
    + tr(es="capas ocultas", en="hidden layers")
    + f" {best.hparams.hidden}"
)
best_epoch = history["val_acc"].index(max(history["val_acc"])) + 1
val_losses = history["val_loss"]
repository = Path(dlcourse.__file__).resolve().parents[2]
written = [Path(keeper.best_model_path), Path(str(trainer.logger.log_dir))]
publish("epochs_ran", ran)
publish("best_epoch", best_epoch)
publish("best_val_acc", best_score, ".4f")
claim(
    "early_stop",
    stopped_early
    and ran < MAX_EPOCHS
    and min(val_losses[-3:]) >= min(val_losses[:-3]),  # three without a new low
    es="el entrenamiento paró antes de 40 épocas, tras tres sin mejorar",
    en="training stopped before 40 epochs, after three without improving",
)
claim(
    "reload_matches",
    abs(reloaded_acc - best_score) < 1e-6,
    es="el modelo recargado da la exactitud que anotó ModelCheckpoint",
    en="the reloaded model gives the accuracy ModelCheckpoint recorded",
)
claim(
    "outside_repository",
    not any(p.resolve().is_relative_to(repository) for p in written),
    es="el punto de control y el registro CSV están fuera del repositorio",
    en="the checkpoint and the CSV log lie outside the repository",
)

# %%
fig, (ax_val, ax_lr) = new_figure(ncols=2, width=5.2)
epochs = range(1, ran + 1)
ax_val.plot(epochs, history["train_loss"], label=train_word)
ax_val.plot(epochs, history["val_loss"], label=val_word)
ax_val.axvline(best_epoch, color="#555555", linestyle="--", linewidth=1)
ax_val.set(title=loss_title, xlabel=epoch_word, ylabel=cross_entropy)
ax_val.legend()
ax_lr.plot(epochs, rates, marker="o", markersize=3, color="#009E73")
ax_lr.set(
    title=tr(es="Tasa de aprendizaje", en="Learning rate"),
    xlabel=epoch_word,
    ylabel="η",
)
set_alt(
    fig,
    es=f"Izquierda: pérdidas de entrenamiento y validación durante las {ran} "
    "épocas que duró el entrenamiento; una línea discontinua marca la época "
    f"{best_epoch}, la del punto de control guardado. Derecha: la tasa de "
    "aprendizaje baja con forma de coseno.",
    en=f"Left: training and validation losses over the {ran} epochs training "
    f"lasted; a dashed line marks epoch {best_epoch}, that of the saved "
    "checkpoint. Right: the learning rate decays along a cosine.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Los pesos iniciales son idénticos {{ claim: same_start }} y las pérdidas de Lightning y del bucle a mano coinciden época a época: la mayor diferencia impresa es {{ value: loss_gap }}, del orden del redondeo de `float32` {{ claim: losses_agree }}. Lightning no cambia las matemáticas del entrenamiento; organiza el código que las rodea.
# - Cuando la diferencia no es exactamente cero es porque Lightning acumula la media de la época en tensores `float32` y el bucle a mano en `float` de Python (64 bits). Los pesos finales coinciden igual de bien: su mayor diferencia es {{ value: weights_gap }} {{ claim: weights_agree }}.
# - La exactitud acumulada por TorchMetrics en dos trozos desiguales, {{ value: untrained_acc }} para la red sin entrenar, es la misma que la calculada de una vez {{ claim: metric_exact }}: la métrica de una época es exacta aunque el último minilote sea más pequeño.
# - Con los *callbacks*, el entrenamiento se detuvo en la época {{ value: epochs_ran }}, antes de las 40 previstas, cuando la pérdida de validación dejó de mejorar {{ claim: early_stop }}; el mejor punto de control es el de la época {{ value: best_epoch }}, y el modelo recargado de él da exactamente la exactitud que `ModelCheckpoint` anotó, {{ value: best_val_acc }} {{ claim: reload_matches }}.
# - Nada se escribió en el repositorio: registros CSV y puntos de control viven en carpetas temporales {{ claim: outside_repository }}.

# %% [markdown] lang="en"
# ## What to notice
#
# - The initial weights are identical {{ claim: same_start }} and the losses of Lightning and of the hand-written loop agree epoch after epoch: the largest printed difference is {{ value: loss_gap }}, the order of `float32` rounding {{ claim: losses_agree }}. Lightning does not change the mathematics of training; it organizes the code around it.
# - When the difference is not exactly zero, it is because Lightning accumulates the epoch mean in `float32` tensors and the hand-written loop in Python floats (64 bits). The final weights agree just as well: their largest difference is {{ value: weights_gap }} {{ claim: weights_agree }}.
# - The accuracy accumulated by TorchMetrics in two uneven pieces, {{ value: untrained_acc }} for the untrained network, is the same as the one computed at once {{ claim: metric_exact }}: an epoch's metric is exact even when the last mini-batch is smaller.
# - With the callbacks, training stopped at epoch {{ value: epochs_ran }}, before the planned 40, once the validation loss stopped improving {{ claim: early_stop }}; the best checkpoint is that of epoch {{ value: best_epoch }}, and the model reloaded from it gives exactly the accuracy `ModelCheckpoint` recorded, {{ value: best_val_acc }} {{ claim: reload_matches }}.
# - Nothing was written into the repository: CSV logs and checkpoints live in temporary folders {{ claim: outside_repository }}.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Cambia en la comparación el tamaño de minilote a 32 en los dos `DigitsDataModule`. ¿Siguen coincidiendo Lightning y el bucle a mano? ¿Y si solo lo cambias en uno?
# 2. Añade `dropout=0.2` al `DigitsClassifier` de la comparación y haz lo mismo en el bucle a mano con `mlp((64, 64, 10), dropout=0.2)`. ¿Coinciden ahora? ¿Por qué?
# 3. Escribe un *callback* que imprima, al final de cada época de validación, la exactitud de validación con tres decimales.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. In the comparison, change the mini-batch size to 32 in both `DigitsDataModule`s. Do Lightning and the hand-written loop still agree? And if you change it in only one?
# 2. Add `dropout=0.2` to the comparison's `DigitsClassifier` and do the same in the hand-written loop with `mlp((64, 64, 10), dropout=0.2)`. Do they agree now? Why?
# 3. Write a callback that prints the validation accuracy with three decimals at the end of every validation epoch.

# %% [markdown] lang="es" solution="1"
# Con 32 en los dos siguen coincidiendo: la mayor diferencia entre sus pérdidas es {{ value: gap_both_32 }} {{ claim: both_32_agree }}. Hay casi el doble de pasos por época ({{ value: steps_32 }} frente a {{ value: steps_64 }}) {{ claim: twice_the_steps }}, pero los mismos en ambos. Si lo cambias solo en uno (Lightning con 32, el bucle a mano con 64), los minilotes y el número de pasos difieren y las curvas se separan desde la primera época: la pérdida de entrenamiento de esa época ya difiere en {{ value: gap_mixed_first }} {{ claim: mixed_part }}.

# %% [markdown] lang="en" solution="1"
# With 32 in both they still agree: the largest difference between their losses is {{ value: gap_both_32 }} {{ claim: both_32_agree }}. There are almost twice as many steps per epoch ({{ value: steps_32 }} against {{ value: steps_64 }}) {{ claim: twice_the_steps }}, but the same ones in both. If you change it in only one (Lightning with 32, the hand-written loop with 64), the mini-batches and the number of steps differ and the curves part from the first epoch: that epoch's training loss already differs by {{ value: gap_mixed_first }} {{ claim: mixed_part }}.

# %% solution="1"
loss_keys = ("train_loss", "val_loss")


def lightning_run(name: str, batch_size: int, **options) -> dict:
    """Trainer.fit of the comparison's classifier; its logged metrics."""
    seed_all(0)
    classifier = DigitsClassifier(hidden=(64,), lr=3e-3, **options)
    run_trainer = make_trainer(f"lightning-anatomy/{name}", max_epochs=EPOCHS)
    run_data = DigitsDataModule(batch_size=batch_size)
    run_trainer.fit(classifier, datamodule=run_data)
    return logged_metrics(run_trainer)


def hand_run(batch_size: int, extra_draw: bool = False, **options) -> dict:
    """The comparison's hand-written loop (one more random draw if asked)."""
    seed_all(0)
    hand_net = mlp((64, 64, 10), **options)
    seed_all(0)
    if extra_draw:
        mlp((64, 64, 10))  # another network: more draws from the generator
    return train_by_hand(
        hand_net,
        DigitsDataModule(batch_size=batch_size),
        epochs=EPOCHS,
        lr=3e-3,
        device=device,
    )


lightning_32, hand_32 = lightning_run("batch-32", 32), hand_run(32)
data_32 = DigitsDataModule(batch_size=32)
data_32.setup("fit")
steps_32 = len(data_32.train_dataloader())
gap_both_32 = largest_gap(lightning_32, hand_32, loss_keys)
gap_mixed_first = abs(lightning_32["train_loss"][0] - by_hand["train_loss"][0])
print(
    tr(es="pasos por época:", en="steps per epoch:"),
    tr(
        es=f"{steps_32} con minilotes de 32, {batches} con 64",
        en=f"{steps_32} with mini-batches of 32, {batches} with 64",
    ),
)
print(
    tr(
        es="32 en los dos: mayor diferencia",
        en="32 in both: largest difference",
    )
    + f" {number(gap_both_32, '.1e')}"
)
print(
    tr(
        es="32 en Lightning, 64 a mano: diferencia en la época 1:",
        en="32 in Lightning, 64 by hand: difference at epoch 1:",
    )
    + f" {number(gap_mixed_first, '.3f')}"
)
publish("gap_both_32", power_of_ten(gap_both_32))
publish("steps_32", steps_32)
publish("steps_64", batches)
publish("gap_mixed_first", gap_mixed_first, ".3f")
claim(
    "both_32_agree",
    gap_both_32 < 1e-5,
    es="con minilotes de 32 en los dos, difieren en menos de 10⁻⁵",
    en="with mini-batches of 32 in both, they differ by less than 10⁻⁵",
)
claim(
    "twice_the_steps",
    2 * batches - 1 <= steps_32 <= 2 * batches,
    es="con minilotes de 32 hay el doble de pasos, o uno menos",
    en="with mini-batches of 32 there are twice the steps, or one fewer",
)
claim(
    "mixed_part",
    gap_mixed_first > 1e-3,
    es="con tamaños distintos, la primera época ya difiere en más de 0,001",
    en="with different sizes, the first epoch already differs by over 0.001",
)

# %% [markdown] lang="es" solution="2"
# Siguen coincidiendo: la mayor diferencia entre sus pérdidas es {{ value: gap_dropout }} {{ claim: dropout_agree }}. El *dropout* usa el generador aleatorio global de PyTorch, y los dos entrenamientos parten de `seed_all(0)` y hacen las mismas llamadas aleatorias en el mismo orden: la validación previa que Lightning hace antes de entrenar (*sanity check*) pone la red en modo `eval`, y en ese modo el *dropout* no sortea nada. Si en uno de los dos se hace una llamada aleatoria más (aquí, crear otra red justo antes de entrenar a mano), las máscaras son otras y las pérdidas se separan: la mayor diferencia sube a {{ value: gap_extra_draw }} {{ claim: extra_draw_parts }}.

# %% [markdown] lang="en" solution="2"
# They still agree: the largest difference between their losses is {{ value: gap_dropout }} {{ claim: dropout_agree }}. Dropout uses PyTorch's global random generator, and both runs start from `seed_all(0)` and make the same random calls in the same order: the validation Lightning runs before training (the sanity check) puts the network in `eval` mode, and in that mode dropout draws nothing. If one of them makes one more random call (here, building another network just before training by hand), the masks differ and the losses part: the largest difference rises to {{ value: gap_extra_draw }} {{ claim: extra_draw_parts }}.

# %% solution="2"
lightning_drop = lightning_run("dropout", 64, dropout=0.2)
hand_drop = hand_run(64, dropout=0.2)
hand_drop_extra = hand_run(64, extra_draw=True, dropout=0.2)
gap_dropout = largest_gap(lightning_drop, hand_drop, loss_keys)
gap_extra_draw = largest_gap(lightning_drop, hand_drop_extra, loss_keys)
print(
    f"dropout={number(0.2, '.1f')}, "
    + tr(es="mayor diferencia", en="largest difference")
    + f": {number(gap_dropout, '.1e')} · "
    + tr(es="con una red de más", en="with one more network")
    + f": {number(gap_extra_draw, '.3f')}"
)
publish("gap_dropout", power_of_ten(gap_dropout))
publish("gap_extra_draw", gap_extra_draw, ".3f")
claim(
    "dropout_agree",
    gap_dropout < 1e-5,
    es="con dropout=0,2 en los dos, difieren en menos de 10⁻⁵",
    en="with dropout=0.2 in both, they differ by less than 10⁻⁵",
)
claim(
    "extra_draw_parts",
    gap_extra_draw > 1e-3,
    es="con una llamada aleatoria de más, difieren en más de 0,001",
    en="with one more random call, they differ by more than 0.001",
)

# %% [markdown] lang="es" solution="3"
# `trainer.callback_metrics` contiene lo registrado con `self.log`; durante la comprobación previa (`sanity_checking`) todavía no hay métricas de época, así que el *callback* la salta. Imprime una línea por cada una de las 3 épocas, y lo que imprime es lo mismo que quedó en el registro CSV {{ claim: callback_matches_log }}.

# %% [markdown] lang="en" solution="3"
# `trainer.callback_metrics` holds what was logged with `self.log`; during the preliminary check (`sanity_checking`) there are no epoch metrics yet, so the callback skips it. It prints one line for each of the 3 epochs, and what it prints is what the CSV log kept {{ claim: callback_matches_log }}.

# %% solution="3"
import pytorch_lightning as pl


class PrintAccuracy(pl.Callback):
    """Prints the validation accuracy at the end of every validation epoch."""

    def __init__(self) -> None:
        self.seen: list[float] = []

    def on_validation_epoch_end(self, trainer, pl_module):
        if not trainer.sanity_checking:
            accuracy = trainer.callback_metrics["val_acc"].item()
            self.seen.append(accuracy)
            print(
                tr(
                    es=f"época {trainer.current_epoch + 1}: exactitud de "
                    f"validación {number(accuracy, '.3f')}",
                    en=f"epoch {trainer.current_epoch + 1}: validation "
                    f"accuracy {number(accuracy, '.3f')}",
                )
            )


seed_all(0)
printer = PrintAccuracy()
print_trainer = make_trainer(
    "lightning-anatomy/print-acc",
    max_epochs=3,
    callbacks=[printer],
)
print_trainer.fit(DigitsClassifier(), datamodule=DigitsDataModule())
logged = logged_metrics(print_trainer)["val_acc"]
claim(
    "callback_matches_log",
    len(printer.seen) == len(logged) == 3
    and torch.allclose(torch.tensor(printer.seen), torch.tensor(logged)),
    es="el callback imprime una línea por época, con la exactitud del CSV",
    en="the callback prints one line per epoch, with the CSV log's accuracy",
)
