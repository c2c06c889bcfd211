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
# Tuning a model is a series of experiments: each one changes something and is compared with the previous ones. If each run only prints its numbers on the terminal, we soon lose track of which configuration gave which curve. An **experiment log** keeps, for each run, its **hyperparameters** and the **time series** of each metric $m_t$ (per step or per epoch), so that runs can be compared afterwards.
#
# In Lightning, everything the model passes to `self.log(...)` and what `save_hyperparameters()` stores goes to the `Trainer`'s loggers. Switching tools does not touch the model: one just passes another logger, or several at once.
#
# - **TensorBoard** writes event files into a folder; its web interface reads them.
# - **MLflow** organises runs inside experiments, with parameters, metrics and artifacts; here it uses its local file store. We switch off its telemetry, which would otherwise contact its servers.

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

root = scratch_dir("experiment-tracking/logs")
shutil.rmtree(root)  # a re-run starts from empty logs
root.mkdir(parents=True)
EXPERIMENT, EPOCHS = "digits-widths", 8
runs = {"width-16": (16,), "width-64": (64,), "width-256": (256,)}
with offline_mlflow():
    for run, hidden in runs.items():
        seed_all(0)
        loggers = [
            tensorboard_logger(root / "tensorboard", run),
            mlflow_logger(root, EXPERIMENT, run),
        ]
        trainer = make_trainer(f"experiment-tracking/{run}", max_epochs=EPOCHS, logger=loggers)
        trainer.fit(
            DigitsClassifier(hidden=hidden, lr=3e-3), datamodule=DigitsDataModule(batch_size=64)
        )

files = sorted(p.relative_to(root).parts[0] for p in root.rglob("*") if p.is_file())
print(
    "files written under the scratch folder:", {top: files.count(top) for top in sorted(set(files))}
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
    run: read_tensorboard_scalars(root / "tensorboard" / run / "version_0") for run in runs
}
mlflow_runs = {r["name"]: r for r in read_mlflow_runs(root, EXPERIMENT)}
print("TensorBoard tags:", sorted(tensorboard["width-16"]))
print(
    "MLflow parameters of width-64:",
    {k: mlflow_runs["width-64"]["params"][k] for k in ("hidden", "lr", "batch_size")},
)
print()
print(
    "run          val loss per epoch (TensorBoard)                   final val acc (MLflow)   same curve in both"
)
for run in runs:
    from_tb = values(tensorboard[run]["val_loss"])
    from_ml = values(mlflow_runs[run]["history"]["val_loss"])
    same = (
        len(from_tb) == len(from_ml)
        and max(abs(a - b) for a, b in zip(from_tb, from_ml, strict=True)) < 1e-6
    )
    curve = " ".join(f"{v:.3f}" for v in from_tb)
    print(f"{run:<11}  {curve}   {mlflow_runs[run]['metrics']['val_acc']:20.3f}   {same}")

# %%
fig, (ax_loss, ax_acc) = new_figure(ncols=2, width=5.2, height=3.9)
for k, run in enumerate(runs):
    epochs = range(1, EPOCHS + 1)
    ax_loss.plot(
        epochs, values(tensorboard[run]["val_loss"]), color=PALETTE[k], label=f"{run} (TensorBoard)"
    )
    ax_loss.plot(
        epochs,
        values(mlflow_runs[run]["history"]["val_loss"]),
        "o",
        color=PALETTE[k],
        markersize=5,
        label=f"{run} (MLflow)",
    )
    ax_acc.plot(epochs, values(tensorboard[run]["val_acc"]), color=PALETTE[k], label=run)
ax_loss.set_yscale("log")
ax_loss.set(
    title="Validación / Validation", xlabel="época / epoch", ylabel="pérdida (log) / loss (log)"
)
ax_acc.set(
    title="Exactitud / Accuracy",
    xlabel="época / epoch",
    ylabel="exactitud de validación / validation accuracy",
)
ax_loss.legend(fontsize=7)
ax_acc.legend(fontsize=8)
final = {run: mlflow_runs[run]["metrics"]["val_acc"] for run in runs}
set_alt(
    fig,
    es="Izquierda: pérdida de validación por época de las tres ejecuciones, como líneas leídas de TensorBoard y como puntos leídos de MLflow, que caen exactamente sobre las líneas. "
    + f"Derecha: exactitud de validación; al final {final['width-16']:.1%}, {final['width-64']:.1%} y {final['width-256']:.1%} con 16, 64 y 256 unidades.",
    en="Left: validation loss per epoch of the three runs, as lines read from TensorBoard and as dots read from MLflow, which fall exactly on the lines. "
    + f"Right: validation accuracy; at the end {final['width-16']:.1%}, {final['width-64']:.1%} and {final['width-256']:.1%} with 16, 64 and 256 units.",
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
# - El modelo no cambió nada: `DigitsClassifier` es el mismo de la lección de anatomía. Los dos *loggers* reciben exactamente las mismas llamadas a `self.log`, y las curvas leídas de uno y de otro coinciden número a número.
# - MLflow guarda también los hiperparámetros (`hidden`, `lr`, `batch_size`…), que vienen de `save_hyperparameters()` del modelo y del `DataModule`. Es lo que permite, meses después, saber qué configuración produjo qué curva.
# - Las tres ejecuciones son comparables porque comparten semilla, datos y número de épocas: la única diferencia registrada es la anchura, y la más ancha aprende más deprisa en estas 8 épocas.
# - Nada salió de la máquina: los registros son archivos en una carpeta temporal y la telemetría de MLflow está apagada.

# %% [markdown] lang="en"
# ## What to notice
#
# - The model did not change at all: `DigitsClassifier` is the same as in the anatomy lesson. Both loggers receive exactly the same `self.log` calls, and the curves read from one and the other match number for number.
# - MLflow also keeps the hyperparameters (`hidden`, `lr`, `batch_size`…), which come from the model's and the `DataModule`'s `save_hyperparameters()`. That is what lets us know, months later, which configuration produced which curve.
# - The three runs are comparable because they share seed, data and number of epochs: the only recorded difference is the width, and the widest learns fastest in these 8 epochs.
# - Nothing left the machine: the logs are files in a temporary folder and MLflow's telemetry is off.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Añade una cuarta ejecución con `hidden=(64,)` y `lr=1e-2` en el mismo experimento. ¿Cómo la distinguirías de `width-64` en MLflow?
# 2. ¿Qué métricas registra TensorBoard además de las de validación? ¿De dónde sale la serie `epoch`?
# 3. Usa `read_mlflow_runs` para imprimir las ejecuciones ordenadas de mejor a peor exactitud de validación final.
#
# ??? success "Solución 1"
#     ```python
#     with offline_mlflow():
#         seed_all(0)
#         loggers = [tensorboard_logger(root / "tensorboard", "width-64-lr-0.01"), mlflow_logger(root, EXPERIMENT, "width-64-lr-0.01")]
#         trainer = make_trainer("experiment-tracking/extra", max_epochs=EPOCHS, logger=loggers)
#         trainer.fit(DigitsClassifier(hidden=(64,), lr=1e-2), datamodule=DigitsDataModule(batch_size=64))
#     print([(r["name"], r["params"]["lr"]) for r in read_mlflow_runs(root, EXPERIMENT)])
#     ```
#     Por su nombre y, sobre todo, por el parámetro `lr` registrado: los nombres se pueden repetir o equivocar, los parámetros registrados no.
#
# ??? success "Solución 2"
#     `train_loss` y `train_acc` (el modelo las registra en `training_step` con `on_epoch=True`) y `epoch`, que Lightning añade por su cuenta a cada registro para poder dibujar las métricas por época además de por paso.
#
# ??? success "Solución 3"
#     ```python
#     ranked = sorted(read_mlflow_runs(root, EXPERIMENT), key=lambda r: r["metrics"]["val_acc"], reverse=True)
#     for r in ranked:
#         print(r["name"], round(r["metrics"]["val_acc"], 3))
#     ```

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Add a fourth run with `hidden=(64,)` and `lr=1e-2` to the same experiment. How would you tell it apart from `width-64` in MLflow?
# 2. Which metrics does TensorBoard log besides the validation ones? Where does the `epoch` series come from?
# 3. Use `read_mlflow_runs` to print the runs ordered from best to worst final validation accuracy.
#
# ??? success "Solution 1"
#     ```python
#     with offline_mlflow():
#         seed_all(0)
#         loggers = [tensorboard_logger(root / "tensorboard", "width-64-lr-0.01"), mlflow_logger(root, EXPERIMENT, "width-64-lr-0.01")]
#         trainer = make_trainer("experiment-tracking/extra", max_epochs=EPOCHS, logger=loggers)
#         trainer.fit(DigitsClassifier(hidden=(64,), lr=1e-2), datamodule=DigitsDataModule(batch_size=64))
#     print([(r["name"], r["params"]["lr"]) for r in read_mlflow_runs(root, EXPERIMENT)])
#     ```
#     By its name and, above all, by the logged `lr` parameter: names can be repeated or mistyped, logged parameters cannot.
#
# ??? success "Solution 2"
#     `train_loss` and `train_acc` (the model logs them in `training_step` with `on_epoch=True`) and `epoch`, which Lightning adds to each record by itself so metrics can be plotted per epoch as well as per step.
#
# ??? success "Solution 3"
#     ```python
#     ranked = sorted(read_mlflow_runs(root, EXPERIMENT), key=lambda r: r["metrics"]["val_acc"], reverse=True)
#     for r in ranked:
#         print(r["name"], round(r["metrics"]["val_acc"], 3))
#     ```
