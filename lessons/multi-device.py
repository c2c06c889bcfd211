# ---
# jupyter:
#   lesson:
#     title:
#       es: Entrenar en varios dispositivos
#       en: Training on several devices
#     summary:
#       es: El mismo modelo entrenado con datos distribuidos en paralelo (DDP) en dos procesos de CPU; qué cambia (lote efectivo, muestreador, métricas sincronizadas) y qué no (el código del modelo).
#       en: The same model trained with distributed data parallel (DDP) on two CPU processes; what changes (effective batch, sampler, synchronised metrics) and what does not (the model code).
#     order: 15
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Entender el paralelismo de datos distribuido (DDP): cada proceso tiene una copia del modelo, ve una parte distinta de cada lote y promedia los gradientes con los demás antes de actualizar.
#     - Entrenar el clasificador de dígitos con Lightning en **dos procesos** sin cambiar una línea del modelo, y ver qué reparte el `DistributedSampler` a cada uno.
#     - Comprobar que dos procesos con lotes de 32 equivalen exactamente a uno con lotes de 64 que vea los datos en el mismo orden.
#
# Lectura asociada: [resumen de la documentación de PyTorch Lightning](../readings/pytorch-lightning.md) (escalado). Lección anterior: [Anatomía de PyTorch Lightning](lightning-anatomy.md), donde se presentaron `DigitsClassifier` y `DigitsDataModule`. Referencia de la API: [`dlcourse.lessons.multi_device`](../api/lessons/multi_device.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Understand distributed data parallel (DDP): each process holds a copy of the model, sees a different part of each batch and averages gradients with the others before updating.
#     - Train the digits classifier with Lightning on **two processes** without changing a line of the model, and see what the `DistributedSampler` hands to each.
#     - Check that two processes with batches of 32 are exactly equivalent to one with batches of 64 that sees the data in the same order.
#
# Related reading: [summary of the PyTorch Lightning documentation](../readings/pytorch-lightning.md) (scaling). Previous lesson: [PyTorch Lightning anatomy](lightning-anatomy.md), where `DigitsClassifier` and `DigitsDataModule` were introduced. API reference: [`dlcourse.lessons.multi_device`](../api/lessons/multi_device.md).

# %% [markdown] lang="es"
# ## La idea
#
# Con $W$ procesos (uno por GPU, o aquí uno por núcleo de CPU), cada proceso $r$ recibe su propio minilote $\mathcal{B}_r$ de $b$ ejemplos, calcula el gradiente de su pérdida media y, antes de actualizar, todos los procesos **promedian** sus gradientes (una operación *all-reduce*):
#
# $$
# \mathbf{g} = \frac{1}{W}\sum_{r=1}^{W} \frac{1}{b}\sum_{n \in \mathcal{B}_r} \nabla \ell_n(\mathbf{w}) = \frac{1}{Wb}\sum_{n \in \mathcal{B}_1 \cup \dots \cup \mathcal{B}_W} \nabla \ell_n(\mathbf{w}).
# $$
#
# Es el gradiente de un único lote de $Wb$ ejemplos: el **lote efectivo** es $W$ veces el de cada proceso. Como todos parten de los mismos pesos y aplican la misma actualización, las copias siguen idénticas sin tener que enviarse los pesos.
#
# Para que cada proceso vea ejemplos distintos, Lightning envuelve el `DataLoader` con un `DistributedSampler`: en cada época baraja los índices con la misma semilla en todos los procesos y reparte la permutación a turnos, posiciones $r, r + W, r + 2W, \dots$ para el proceso $r$. Las métricas registradas con `sync_dist=True` se promedian entre procesos.

# %% [markdown] lang="en"
# ## The idea
#
# With $W$ processes (one per GPU, or here one per CPU core), each process $r$ gets its own mini-batch $\mathcal{B}_r$ of $b$ examples, computes the gradient of its mean loss and, before updating, all processes **average** their gradients (an *all-reduce* operation):
#
# $$
# \mathbf{g} = \frac{1}{W}\sum_{r=1}^{W} \frac{1}{b}\sum_{n \in \mathcal{B}_r} \nabla \ell_n(\mathbf{w}) = \frac{1}{Wb}\sum_{n \in \mathcal{B}_1 \cup \dots \cup \mathcal{B}_W} \nabla \ell_n(\mathbf{w}).
# $$
#
# That is the gradient of a single batch of $Wb$ examples: the **effective batch** is $W$ times each process's batch. Since all processes start from the same weights and apply the same update, the copies stay identical without sending weights around.
#
# So that each process sees different examples, Lightning wraps the `DataLoader` with a `DistributedSampler`: every epoch it shuffles the indices with the same seed in every process and deals the permutation out in turns, positions $r, r + W, r + 2W, \dots$ for process $r$. Metrics logged with `sync_dist=True` are averaged across processes.

# %% [markdown] lang="es"
# ## Dos procesos
#
# El modelo es el `DigitsClassifier` de la lección de anatomía, sin cambios (ya registra sus métricas con `sync_dist=True`, que con un solo proceso no hace nada). Solo cambian los argumentos del `Trainer`: `accelerator="cpu"`, `devices=2` y una estrategia DDP. Usamos 1.344 imágenes de entrenamiento, un número par, para que el muestreador no tenga que rellenar. Como lo que ocurre dentro de cada proceso no vuelve por sí solo al programa principal, un *callback* ([`ProcessRecorder`](../api/lessons/multi_device.md)) escribe desde cada proceso lo que vio.

# %% [markdown] lang="en"
# ## Two processes
#
# The model is the `DigitsClassifier` from the anatomy lesson, unchanged (it already logs its metrics with `sync_dist=True`, which does nothing with a single process). Only the `Trainer`'s arguments change: `accelerator="cpu"`, `devices=2` and a DDP strategy. We use 1,344 training images, an even number, so that the sampler does not need to pad. Since what happens inside each process does not come back to the main program by itself, a callback ([`ProcessRecorder`](../api/lessons/multi_device.md)) writes from each process what it saw.

# %%
import shutil

from dlcourse.data.digits import DigitsDataModule
from dlcourse.lessons.multi_device import (
    ProcessRecorder,
    SameOrderDigits,
    epoch_history,
    process_strategy,
    read_process_records,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import scratch_dir, seed_all
from dlcourse.training.lightning import DigitsClassifier, logged_metrics, make_trainer

EPOCHS, PER_PROCESS_BATCH, PROCESSES, TRAIN_SIZE = 5, 32, 2, 1344
records_folder = scratch_dir("multi-device/records")
shutil.rmtree(records_folder)  # a re-run starts without old records
records_folder.mkdir()

seed_all(0)
ddp_model = DigitsClassifier(hidden=(64,), lr=3e-3)
ddp_trainer = make_trainer(
    "multi-device/ddp",
    max_epochs=EPOCHS,
    accelerator="cpu",
    devices=PROCESSES,
    strategy=process_strategy(),
    callbacks=[ProcessRecorder(records_folder)],
)
ddp_trainer.fit(
    ddp_model, datamodule=DigitsDataModule(batch_size=PER_PROCESS_BATCH, train_size=TRAIN_SIZE)
)
records = read_process_records(records_folder)

print(
    f"strategy {process_strategy()} · {PROCESSES} processes · batch {PER_PROCESS_BATCH} per process -> effective batch {PROCESSES * PER_PROCESS_BATCH}"
)
print(
    "rank  sampler              train examples  steps/epoch  val examples  val loss on own shard  val loss reported"
)
for r in records:
    reported = epoch_history(r)["val_loss"][-1]
    print(
        f"{r['rank']:4d}  {r['sampler']:<19} {r['train_examples']:15d}  {r['train_steps']:11d}"
        f"  {r['val_examples']:12d}  {r['local_val_loss']:21.4f}  {reported:17.4f}"
    )

# %% [markdown] lang="es"
# ## La referencia: un proceso con el lote efectivo
#
# [`SameOrderDigits`](../api/lessons/multi_device.md) entrega a **un** proceso la misma permutación que el `DistributedSampler` reparte, en lotes de $2 \times 32 = 64$: en cada paso ve exactamente la unión de lo que vieron los dos procesos. Si DDP promedia bien los gradientes, las dos ejecuciones deben dar las mismas curvas y los mismos pesos finales.

# %% [markdown] lang="en"
# ## The reference: one process with the effective batch
#
# [`SameOrderDigits`](../api/lessons/multi_device.md) gives **one** process the same permutation the `DistributedSampler` deals out, in batches of $2 \times 32 = 64$: at every step it sees exactly the union of what the two processes saw. If DDP averages gradients correctly, both runs must give the same curves and the same final weights.

# %%
seed_all(0)
single_model = DigitsClassifier(hidden=(64,), lr=3e-3)
single_trainer = make_trainer(
    "multi-device/single", max_epochs=EPOCHS, accelerator="cpu", devices=1
)
single_trainer.fit(
    single_model,
    datamodule=SameOrderDigits(batch_size=PROCESSES * PER_PROCESS_BATCH, train_size=TRAIN_SIZE),
)
single = logged_metrics(single_trainer)
ddp = epoch_history(records[0])

print("epoch   val loss (2 processes)   val loss (1 process, batch 64)")
for e in range(EPOCHS):
    print(f"{e + 1:5d}   {ddp['val_loss'][e]:22.6f}   {single['val_loss'][e]:30.6f}")
weight_gap = max(
    (a - b).abs().max().item()
    for a, b in zip(
        ddp_model.state_dict().values(), single_model.state_dict().values(), strict=True
    )
)
print(f"largest difference between the final weights: {weight_gap:.1e}")

fig, ax = new_figure(width=6.0, height=3.8)
epochs = range(1, EPOCHS + 1)
ax.plot(
    epochs,
    single["val_loss"],
    color=PALETTE[0],
    linewidth=4,
    alpha=0.5,
    label="1 proceso, lote 64 / 1 process, batch 64",
)
ax.plot(
    epochs,
    ddp["val_loss"],
    "o--",
    color=PALETTE[3],
    label="2 procesos, lote 32 / 2 processes, batch 32",
)
ax.set(
    title="DDP frente a un proceso / DDP versus one process",
    xlabel="época / epoch",
    ylabel="pérdida de validación / validation loss",
)
ax.legend()
set_alt(
    fig,
    es=f"Pérdida de validación por época del entrenamiento con dos procesos y del de un proceso con el lote efectivo: los puntos de DDP caen sobre la línea de un proceso, de {ddp['val_loss'][0]:.2f} a {ddp['val_loss'][-1]:.2f}.",
    en=f"Validation loss per epoch of the two-process run and of the one-process run with the effective batch: the DDP points fall on the one-process line, from {ddp['val_loss'][0]:.2f} to {ddp['val_loss'][-1]:.2f}.",
)

# %% [markdown] lang="es"
# ## En GPU
#
# En una máquina con varias GPU el cambio es el mismo: `accelerator="gpu"`, `devices=4` (o `"auto"`) y `strategy="ddp"`, y al lanzar el script Lightning arranca un proceso por GPU. El modelo y el `DataModule` no cambian. Esta página se ejecutó en dos procesos de CPU para que cualquiera pueda reproducirla; la cabecera dice en qué máquina.

# %% [markdown] lang="en"
# ## On GPUs
#
# On a machine with several GPUs the change is the same: `accelerator="gpu"`, `devices=4` (or `"auto"`) and `strategy="ddp"`, and when the script is launched Lightning starts one process per GPU. The model and the `DataModule` do not change. This page was run on two CPU processes so anyone can reproduce it; the header says on which machine.

# %% [markdown] lang="es"
# ## Qué observar
#
# - Cada proceso vio la mitad de las imágenes de entrenamiento (672 de 1.344) y dio la mitad de pasos por época que daría un proceso con lotes de 32; el muestreador de cada uno es un `DistributedSampler` que Lightning puso sin que lo pidiéramos.
# - La validación también se reparte: cada proceso evalúa 225 imágenes, y la pérdida calculada solo sobre su parte es distinta en cada uno. La que se registra, con `sync_dist=True`, es el promedio y es la misma en los dos.
# - Dos procesos con lotes de 32 y un proceso con lotes de 64 en el mismo orden dan las mismas pérdidas y los mismos pesos, salvo diferencias de redondeo: DDP es el mismo descenso de gradiente con el lote efectivo, repartido.
# - Por eso, al pasar de 1 a $W$ dispositivos sin tocar el lote por proceso, el lote efectivo crece $W$ veces y conviene revisar la tasa de aprendizaje (como se vio en el [manual de ajuste](tuning-playbook.md)).

# %% [markdown] lang="en"
# ## What to notice
#
# - Each process saw half of the training images (672 of 1,344) and took half as many steps per epoch as one process with batches of 32 would; each one's sampler is a `DistributedSampler` that Lightning put in without being asked.
# - Validation is split too: each process evaluates 225 images, and the loss computed on its own part alone differs between them. The one logged, with `sync_dist=True`, is the average and is the same in both.
# - Two processes with batches of 32 and one process with batches of 64 in the same order give the same losses and the same weights, up to rounding: DDP is the same gradient descent with the effective batch, split up.
# - That is why, when going from 1 to $W$ devices without touching the per-process batch, the effective batch grows $W$ times and the learning rate deserves a second look (as in the [tuning playbook](tuning-playbook.md)).

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Qué pasaría con 1.345 imágenes de entrenamiento y dos procesos? Pista: el `DistributedSampler` necesita el mismo número de ejemplos en cada proceso.
# 2. Si cada proceso promediara su pérdida pero **no** se sincronizaran los gradientes, ¿seguirían siendo iguales las dos copias del modelo?
# 3. Con 4 procesos y lotes de 16 por proceso, ¿qué `batch_size` debería usar `SameOrderDigits` para reproducir el entrenamiento?
#
# ??? success "Solución 1"
#     El muestreador rellena repitiendo índices hasta un múltiplo de 2: cada proceso vería 673 imágenes, y una de ellas se usaría dos veces en cada época. Con un solo ejemplo la diferencia es mínima, pero la equivalencia exacta con un proceso se pierde; por eso usamos un número par.
#
# ??? success "Solución 2"
#     No: cada copia daría pasos con gradientes de datos distintos y los pesos divergirían desde el primer paso. La sincronización de gradientes (que hace `DistributedDataParallel` durante `backward()`) es lo que mantiene iguales las copias.
#
# ??? success "Solución 3"
#     $4 \times 16 = 64$, el mismo lote efectivo: `SameOrderDigits(batch_size=64, train_size=1344)` (1.344 es múltiplo de 4, así que tampoco hay relleno).

# %% [markdown] lang="en"
# ## Exercises
#
# 1. What would happen with 1,345 training images and two processes? Hint: the `DistributedSampler` needs the same number of examples in every process.
# 2. If each process averaged its loss but gradients were **not** synchronised, would the two model copies stay equal?
# 3. With 4 processes and batches of 16 per process, which `batch_size` should `SameOrderDigits` use to reproduce the training?
#
# ??? success "Solution 1"
#     The sampler pads by repeating indices up to a multiple of 2: each process would see 673 images, and one of them would be used twice every epoch. With a single example the difference is tiny, but exact equivalence with one process is lost; that is why we use an even number.
#
# ??? success "Solution 2"
#     No: each copy would take steps with gradients from different data and the weights would diverge from the first step. Gradient synchronisation (which `DistributedDataParallel` does during `backward()`) is what keeps the copies equal.
#
# ??? success "Solution 3"
#     $4 \times 16 = 64$, the same effective batch: `SameOrderDigits(batch_size=64, train_size=1344)` (1,344 is a multiple of 4, so there is no padding either).
