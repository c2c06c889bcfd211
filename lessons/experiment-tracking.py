# ---
# jupyter:
#   lesson:
#     title:
#       es: Seguimiento de experimentos y visualización
#       en: Experiment tracking and visualization
#     summary:
#       es: Los mismos entrenamientos registrados a la vez con TensorBoard y MLflow en archivos locales, leídos de vuelta y dibujados; cómo abrirlos en sus interfaces.
#       en: The same training runs logged with TensorBoard and MLflow at once, to local files, read back and plotted; how to open them in their interfaces.
#     order: 14
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Registrar un entrenamiento de Lightning con `TensorBoardLogger` y `MLFlowLogger` a la vez, en archivos locales y sin servidor.
#     - Leer de vuelta las curvas y los hiperparámetros de cada herramienta, y comprobar que ambas guardaron lo mismo.
#     - Saber abrir esos registros en la interfaz de TensorBoard y en la de MLflow.
#
# Lecturas asociadas: [PyTorch Lightning](../readings/pytorch-lightning.md) (sus integraciones) y el [manual de ajuste](../readings/tuning-playbook.md) (comparar experimentos). Lección anterior: [Anatomía de PyTorch Lightning](lightning-anatomy.md). Referencia de la API: [`dlcourse.lessons.experiment_tracking`](../api/lessons/experiment_tracking.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Log a Lightning training run with `TensorBoardLogger` and `MLFlowLogger` at once, to local files and with no server.
#     - Read back each tool's curves and hyperparameters, and check that both stored the same thing.
#     - Know how to open those logs in TensorBoard's interface and in MLflow's.
#
# Related readings: [PyTorch Lightning](../readings/pytorch-lightning.md) (its integrations) and the [tuning playbook](../readings/tuning-playbook.md) (comparing experiments). Previous lesson: [PyTorch Lightning anatomy](lightning-anatomy.md). API reference: [`dlcourse.lessons.experiment_tracking`](../api/lessons/experiment_tracking.md).

# %% [markdown] lang="es"
# ## La idea
#
# Ajustar un modelo es una serie de experimentos: cada uno cambia algo y se compara con los anteriores. Si cada ejecución solo imprime sus números en la terminal, pronto no sabremos qué configuración dio qué curva. Un **registro de experimentos** guarda, para cada ejecución, sus **hiperparámetros** y la **serie temporal** de cada métrica $m_t$ (por paso o por época), de modo que podamos compararlas después.
#
# En Lightning, todo lo que el modelo pasa a `self.log(...)` y lo que guarda `save_hyperparameters()` va a los *loggers* del `Trainer`. Cambiar de herramienta no toca el modelo: basta con pasar otro *logger*, o varios a la vez.
#
# - **TensorBoard** escribe archivos de eventos en una carpeta; su interfaz web los lee.
# - **MLflow** organiza ejecuciones dentro de experimentos, con parámetros, métricas y artefactos; aquí usa su almacén en archivos locales. Apagamos su telemetría, que de otro modo contactaría con sus servidores.

# %% [markdown] lang="en"
# ## The idea
#
# Tuning a model is a series of experiments: each one changes something and is compared with the previous ones. If each run only prints its numbers on the terminal, we soon lose track of which configuration gave which curve. An **experiment log** keeps, for each run, its **hyperparameters** and the **time series** of each metric $m_t$ (per step or per epoch), so that runs can be compared afterward.
#
# In Lightning, everything the model passes to `self.log(...)` and what `save_hyperparameters()` stores goes to the `Trainer`'s loggers. Switching tools does not touch the model: one just passes another logger, or several at once.
#
# - **TensorBoard** writes event files into a folder; its web interface reads them.
# - **MLflow** organizes runs inside experiments, with parameters, metrics and artifacts; here it uses its local file store. We switch off its telemetry, which would otherwise contact its servers.

# %% [markdown] lang="es"
# ## Tres ejecuciones, dos registros
#
# Entrenamos el clasificador de dígitos con una capa oculta de 16, 64 y 256 unidades, 8 épocas cada uno. Cada `Trainer` recibe los dos *loggers*. Todo se escribe en una carpeta temporal, fuera del repositorio.

# %% [markdown] lang="en"
# ## Three runs, two logs
#
# We train the digits classifier with one hidden layer of 16, 64 and 256 units, 8 epochs each. Each `Trainer` gets both loggers. Everything is written to a temporary folder, outside the repository.

# %%
import shutil
from pathlib import Path

import dlcourse
from dlcourse.bilingual import claim, number, percent, publish, tr
from dlcourse.data.digits import DigitsDataModule
from dlcourse.lessons.experiment_tracking import (
    mlflow_logger,
    offline_mlflow,
    read_mlflow_runs,
    read_tensorboard_scalars,
    tensorboard_logger,
    values,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import scratch_dir, seed_all
from dlcourse.training.lightning import DigitsClassifier, make_trainer
from mlflow.telemetry.client import get_telemetry_client

root = scratch_dir("experiment-tracking/logs")
shutil.rmtree(root)  # a re-run starts from empty logs
root.mkdir(parents=True)
EXPERIMENT, EPOCHS = "digits-widths", 8


def train_and_log(run: str, hidden: tuple[int, ...], lr: float = 3e-3):
    """Train the digits classifier once, logged to TensorBoard and MLflow."""
    seed_all(0)
    loggers = [
        tensorboard_logger(root / "tensorboard", run),
        mlflow_logger(root, EXPERIMENT, run),
    ]
    trainer = make_trainer(
        f"experiment-tracking/{run}",
        max_epochs=EPOCHS,
        logger=loggers,
    )
    trainer.fit(
        DigitsClassifier(hidden=hidden, lr=lr),
        datamodule=DigitsDataModule(batch_size=64),
    )


runs = {"width-16": (16,), "width-64": (64,), "width-256": (256,)}
with offline_mlflow():
    for run, hidden in runs.items():
        train_and_log(run, hidden)

files = [p.relative_to(root).parts[0] for p in root.rglob("*") if p.is_file()]
print(
    tr(
        es="archivos escritos en la carpeta temporal:",
        en="files written under the scratch folder:",
    ),
    {top: files.count(top) for top in sorted(set(files))},
)
repository = Path(dlcourse.__file__).resolve().parents[2]
outside = not root.resolve().is_relative_to(repository)
claim(
    "stays_local",
    outside and get_telemetry_client() is None,
    es="los registros están fuera del repositorio y no hay telemetría",
    en="the logs are outside the repository and there is no telemetry",
)

# %% [markdown] lang="es"
# ## Leer los registros de vuelta
#
# De TensorBoard leemos los escalares con su propio lector (`EventAccumulator`, el que usa su página web). De MLflow pedimos al cliente las ejecuciones del experimento, con sus parámetros y el historial de cada métrica.

# %% [markdown] lang="en"
# ## Reading the logs back
#
# From TensorBoard we read the scalars with its own reader (`EventAccumulator`, the one behind its web page). From MLflow we ask the client for the experiment's runs, with their parameters and the history of each metric.

# %%
tensorboard = {
    run: read_tensorboard_scalars(root / "tensorboard" / run / "version_0")
    for run in runs  # each run's folder
}
mlflow_runs = {r["name"]: r for r in read_mlflow_runs(root, EXPERIMENT)}
print(
    tr(es="etiquetas de TensorBoard:", en="TensorBoard tags:"),
    sorted(tensorboard["width-16"]),
)
shown = ("hidden", "lr", "batch_size")
params_64 = mlflow_runs["width-64"]["params"]
print(
    tr(es="parámetros en MLflow de", en="MLflow parameters of") + " width-64:",
    {k: params_64[k] for k in shown},
)
print()
print(
    tr(
        es="pérdida de validación por época (TensorBoard):",
        en="validation loss per epoch (TensorBoard):",
    )
)
gaps = {}
for run in runs:
    from_tb = values(tensorboard[run]["val_loss"])
    from_ml = values(mlflow_runs[run]["history"]["val_loss"])
    pairs = zip(from_tb, from_ml, strict=True)
    gaps[run] = max(abs(a - b) for a, b in pairs)
    print(f"  {run:<9}  " + " ".join(number(v, ".3f") for v in from_tb))
print(
    tr(
        es="exactitud de validación final (MLflow) · misma curva en los dos:",
        en="final validation accuracy (MLflow) · same curve in both:",
    )
)
yes, no = tr(es="sí", en="yes"), tr(es="no", en="no")
final = {run: mlflow_runs[run]["metrics"]["val_acc"] for run in runs}
for run in runs:
    same = yes if gaps[run] < 1e-6 else no
    print(f"  {run:<9}  {number(final[run], '.3f')} · {same}")

val_loss = {run: values(tensorboard[run]["val_loss"]) for run in runs}
widest, others = "width-256", ("width-16", "width-64")
publish("acc_16", percent(final["width-16"], 1))
publish("acc_64", percent(final["width-64"], 1))
publish("acc_256", percent(final["width-256"], 1))
claim(
    "same_curves",
    all(gaps[run] < 1e-6 and len(val_loss[run]) == EPOCHS for run in runs),
    es="las curvas de TensorBoard y MLflow difieren en menos de 1e-6",
    en="TensorBoard's and MLflow's curves differ by less than 1e-6",
)
claim(
    "hyperparameters_kept",
    all(
        mlflow_runs[run]["params"]["hidden"] == str(hidden)
        and mlflow_runs[run]["params"]["batch_size"] == "64"
        and float(mlflow_runs[run]["params"]["lr"]) == 3e-3
        for run, hidden in runs.items()
    ),
    es="MLflow guardó hidden (del modelo) y batch_size (del DataModule)",
    en="MLflow kept hidden (from the model) and batch_size (DataModule)",
)
differing = {
    key
    for key in params_64
    if len({mlflow_runs[run]["params"].get(key) for run in runs}) > 1  # changes
}
publish("differing_params", ", ".join(sorted(differing)))
claim(
    "only_width_differs",
    differing == {"hidden"},
    es="el único parámetro registrado que cambia entre ejecuciones es hidden",
    en="the only logged parameter that changes between runs is hidden",
)
claim(
    "widest_fastest",
    all(
        val_loss[widest][e] < min(val_loss[o][e] for o in others)
        for e in range(EPOCHS)  # every epoch
    )
    and final[widest] >= max(final[o] for o in others),
    es="la red de 256 unidades tiene la menor pérdida de validación en "
    "cada época y la mayor exactitud final",
    en="the 256-unit network has the lowest validation loss at every epoch "
    "and the highest final accuracy",
)

# %%
fig, (ax_loss, ax_acc) = new_figure(ncols=2, width=5.2, height=3.9)
epochs = range(1, EPOCHS + 1)
for k, run in enumerate(runs):
    ax_loss.plot(
        epochs,
        val_loss[run],
        color=PALETTE[k],
        label=f"{run} (TensorBoard)",
    )
    ax_loss.plot(
        epochs,
        values(mlflow_runs[run]["history"]["val_loss"]),
        "o",
        color=PALETTE[k],
        markersize=5,
        label=f"{run} (MLflow)",
    )
    ax_acc.plot(
        epochs,
        values(tensorboard[run]["val_acc"]),
        color=PALETTE[k],
        label=run,
    )
epoch_word = tr(es="época", en="epoch")
ax_loss.set_yscale("log")
ax_loss.set(
    title=tr(es="Validación", en="Validation"),
    xlabel=epoch_word,
    ylabel=tr(es="pérdida (log)", en="loss (log)"),
)
ax_acc.set(
    title=tr(es="Exactitud", en="Accuracy"),
    xlabel=epoch_word,
    ylabel=tr(es="exactitud de validación", en="validation accuracy"),
)
ax_loss.legend(fontsize=7)
ax_acc.legend(fontsize=8)
accuracies = [percent(final[run], 1) for run in runs]
set_alt(
    fig,
    es="Izquierda: pérdida de validación por época de las tres ejecuciones, "
    "como líneas leídas de TensorBoard y como puntos leídos de MLflow, que "
    "caen exactamente sobre las líneas. Derecha: exactitud de validación; al "
    f"final {accuracies[0]}, {accuracies[1]} y {accuracies[2]} con 16, 64 y "
    "256 unidades.",
    en="Left: validation loss per epoch of the three runs, as lines read "
    "from TensorBoard and as dots read from MLflow, which fall exactly on "
    "the lines. Right: validation accuracy; at the end "
    f"{accuracies[0]}, {accuracies[1]} and {accuracies[2]} with 16, 64 and "
    "256 units.",
)

# %% [markdown] lang="es"
# ## Abrir los registros en sus interfaces
#
# Al ejecutar esta lección en tu ordenador (`python lessons/experiment-tracking.py`), los registros quedan en la carpeta temporal del curso: la que indique la variable de entorno `DLCOURSE_WORKDIR`, o una carpeta `dlcourse` dentro del directorio temporal del sistema. Con el entorno del curso activo:
#
# ```bash
# tensorboard --logdir "<carpeta temporal>/experiment-tracking/logs/tensorboard"
# # abre http://localhost:6006 : pestaña Scalars, una curva por ejecución
#
# MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri "<carpeta temporal>/experiment-tracking/logs/mlruns"
# # abre http://127.0.0.1:5000 : experimento digits-widths, compara las tres ejecuciones
# ```
#
# `tensorboard` viene con el paquete del mismo nombre, que el curso ya instala. Para `mlflow ui` hace falta el paquete completo `mlflow` (el curso instala `mlflow-skinny`, que registra y lee pero no trae la interfaz web): `pip install mlflow`. Ninguna de las dos necesita conexión a internet.

# %% [markdown] lang="en"
# ## Opening the logs in their interfaces
#
# When you run this lesson on your computer (`python lessons/experiment-tracking.py`), the logs stay in the course's scratch folder: the one named by the `DLCOURSE_WORKDIR` environment variable, or a `dlcourse` folder inside the system's temporary directory. With the course environment active:
#
# ```bash
# tensorboard --logdir "<scratch folder>/experiment-tracking/logs/tensorboard"
# # open http://localhost:6006 : Scalars tab, one curve per run
#
# MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri "<scratch folder>/experiment-tracking/logs/mlruns"
# # open http://127.0.0.1:5000 : experiment digits-widths, compare the three runs
# ```
#
# `tensorboard` comes with the package of the same name, which the course already installs. `mlflow ui` needs the full `mlflow` package (the course installs `mlflow-skinny`, which logs and reads but does not ship the web interface): `pip install mlflow`. Neither needs an internet connection.

# %% [markdown] lang="es"
# ## Qué observar
#
# - El modelo no cambió nada: `DigitsClassifier` es el mismo de la lección de anatomía. Los dos *loggers* reciben exactamente las mismas llamadas a `self.log`, y las curvas leídas de uno y de otro coinciden número a número {{ claim: same_curves }}.
# - MLflow guarda también los hiperparámetros (`hidden`, `lr`, `batch_size`…), que vienen de `save_hyperparameters()` del modelo y del `DataModule` {{ claim: hyperparameters_kept }}. Es lo que permite, meses después, saber qué configuración produjo qué curva.
# - Las tres ejecuciones son comparables porque comparten semilla, datos y número de épocas: la única diferencia registrada es la anchura, {{ value: differing_params }} {{ claim: only_width_differs }}, y la más ancha aprende más deprisa en estas 8 épocas: su pérdida de validación es la menor en cada época y acaba con una exactitud de {{ value: acc_256 }}, frente a {{ value: acc_64 }} con 64 unidades y {{ value: acc_16 }} con 16 {{ claim: widest_fastest }}.
# - Nada salió de la máquina: los registros son archivos en una carpeta temporal y la telemetría de MLflow está apagada {{ claim: stays_local }}.

# %% [markdown] lang="en"
# ## What to notice
#
# - The model did not change at all: `DigitsClassifier` is the same as in the anatomy lesson. Both loggers receive exactly the same `self.log` calls, and the curves read from one and the other match number for number {{ claim: same_curves }}.
# - MLflow also keeps the hyperparameters (`hidden`, `lr`, `batch_size`…), which come from the model's and the `DataModule`'s `save_hyperparameters()` {{ claim: hyperparameters_kept }}. That is what lets us know, months later, which configuration produced which curve.
# - The three runs are comparable because they share seed, data and number of epochs: the only recorded difference is the width, {{ value: differing_params }} {{ claim: only_width_differs }}, and the widest learns fastest in these 8 epochs: its validation loss is the lowest at every epoch and it ends at an accuracy of {{ value: acc_256 }}, against {{ value: acc_64 }} with 64 units and {{ value: acc_16 }} with 16 {{ claim: widest_fastest }}.
# - Nothing left the machine: the logs are files in a temporary folder and MLflow's telemetry is off {{ claim: stays_local }}.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Añade una cuarta ejecución con `hidden=(64,)` y `lr=1e-2` en el mismo experimento. ¿Cómo la distinguirías de `width-64` en MLflow?
# 2. ¿Qué métricas registra TensorBoard además de las de validación? ¿De dónde sale la serie `epoch`?
# 3. Usa `read_mlflow_runs` para imprimir las ejecuciones ordenadas de mejor a peor exactitud de validación final.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Add a fourth run with `hidden=(64,)` and `lr=1e-2` to the same experiment. How would you tell it apart from `width-64` in MLflow?
# 2. Which metrics does TensorBoard log besides the validation ones? Where does the `epoch` series come from?
# 3. Use `read_mlflow_runs` to print the runs ordered from best to worst final validation accuracy.

# %% [markdown] lang="es" solution="1"
# Por su nombre y, sobre todo, por el parámetro `lr` registrado: los nombres se pueden repetir o equivocar, los parámetros registrados no. Entre las ejecuciones del experimento, la nueva y `width-64` registran el mismo `hidden` y solo se distinguen por {{ value: new_vs_64 }} {{ claim: told_apart_by_lr }}.

# %% [markdown] lang="en" solution="1"
# By its name and, above all, by the logged `lr` parameter: names can be repeated or mistyped, logged parameters cannot. Among the experiment's runs, the new one and `width-64` log the same `hidden` and differ only in {{ value: new_vs_64 }} {{ claim: told_apart_by_lr }}.

# %% solution="1"
with offline_mlflow():
    train_and_log("width-64-lr-0.01", (64,), lr=1e-2)
by_name = {r["name"]: r for r in read_mlflow_runs(root, EXPERIMENT)}
for name, r in by_name.items():
    print(f"{name:<16}  hidden={r['params']['hidden']}  lr={r['params']['lr']}")
new, old = by_name["width-64-lr-0.01"]["params"], by_name["width-64"]["params"]
changed = sorted(key for key in new if new[key] != old.get(key))
publish("new_vs_64", ", ".join(changed))
claim(
    "told_apart_by_lr",
    changed == ["lr"] and float(new["lr"]) == 1e-2,
    es="la nueva ejecución y width-64 solo difieren en lr, que vale 0,01",
    en="the new run and width-64 differ only in lr, which is 0.01",
)

# %% [markdown] lang="es" solution="2"
# Además de `val_loss` y `val_acc`, TensorBoard guardó {{ value: other_tags }}. `train_loss` y `train_acc` las registra el modelo en `training_step` con `on_epoch=True`, y `epoch` la añade Lightning por su cuenta a cada registro para poder dibujar las métricas por época además de por paso: sus valores son los números de época, de 0 a 7, anotados en el paso global de cada registro {{ claim: epoch_series }}.

# %% [markdown] lang="en" solution="2"
# Besides `val_loss` and `val_acc`, TensorBoard stored {{ value: other_tags }}. `train_loss` and `train_acc` are logged by the model in `training_step` with `on_epoch=True`, and `epoch` is added by Lightning itself to each record so metrics can be plotted per epoch as well as per step: its values are the epoch numbers, 0 to 7, written at the global step of each record {{ claim: epoch_series }}.

# %% solution="2"
scalars = tensorboard["width-64"]
other = sorted(tag for tag in scalars if not tag.startswith("val_"))
print(tr(es="otras etiquetas:", en="other tags:"), other)
epoch_points = sorted(scalars["epoch"])
print(
    tr(es="serie 'epoch' (paso, valor):", en="'epoch' series (step, value):"),
    sorted({(step, int(value)) for step, value in epoch_points}),
)
publish("other_tags", ", ".join(other))
claim(
    "epoch_series",
    {int(v) for _, v in epoch_points} == set(range(EPOCHS))
    and other == ["epoch", "train_acc", "train_loss"],
    es="la serie epoch toma los valores 0 a 7 y las otras etiquetas son "
    "epoch, train_acc y train_loss",
    en="the epoch series takes the values 0 to 7 and the other tags are "
    "epoch, train_acc and train_loss",
)

# %% [markdown] lang="es" solution="3"
# Ordenadas de mejor a peor exactitud de validación final, las cuatro ejecuciones del experimento quedan así: {{ value: ranking }}.

# %% [markdown] lang="en" solution="3"
# Ordered from best to worst final validation accuracy, the experiment's four runs come out as: {{ value: ranking }}.

# %% solution="3"
ranked = sorted(
    read_mlflow_runs(root, EXPERIMENT),
    key=lambda r: r["metrics"]["val_acc"],
    reverse=True,
)
for r in ranked:
    print(f"{r['name']:<16}  {number(r['metrics']['val_acc'], '.3f')}")
publish("ranking", ", ".join(r["name"] for r in ranked))
