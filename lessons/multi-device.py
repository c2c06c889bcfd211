# ---
# jupyter:
#   lesson:
#     title:
#       es: Entrenar en varios dispositivos
#       en: Training on several devices
#     summary:
#       es: El mismo modelo entrenado con datos distribuidos en paralelo (DDP) en dos procesos de CPU; qué cambia (lote efectivo, muestreador, métricas sincronizadas) y qué no (el código del modelo).
#       en: The same model trained with distributed data parallel (DDP) on two CPU processes; what changes (effective batch, sampler, synchronized metrics) and what does not (the model code).
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
# El modelo es el `DigitsClassifier` de la lección de anatomía, sin cambios (ya registra sus métricas con `sync_dist=True`, que con un solo proceso no hace nada). Solo cambian los argumentos del `Trainer`: `accelerator="cpu"`, `devices=2` y una estrategia DDP. Usamos 1344 imágenes de entrenamiento, un número par, para que el muestreador no tenga que rellenar. Como lo que ocurre dentro de cada proceso no vuelve por sí solo al programa principal, un *callback* ([`ProcessRecorder`](../api/lessons/multi_device.md)) escribe desde cada proceso lo que vio.

# %% [markdown] lang="en"
# ## Two processes
#
# The model is the `DigitsClassifier` from the anatomy lesson, unchanged (it already logs its metrics with `sync_dist=True`, which does nothing with a single process). Only the `Trainer`'s arguments change: `accelerator="cpu"`, `devices=2` and a DDP strategy. We use 1,344 training images, an even number, so that the sampler does not need to pad. Since what happens inside each process does not come back to the main program by itself, a callback ([`ProcessRecorder`](../api/lessons/multi_device.md)) writes from each process what it saw.

# %%
import shutil
from collections import Counter

from dlcourse.bilingual import claim, number, publish, tr
from dlcourse.data.digits import DigitsDataModule
from dlcourse.lessons.multi_device import (
    ProcessRecorder,
    SameOrderDigits,
    epoch_history,
    fingerprint,
    process_strategy,
    read_process_records,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import scratch_dir, seed_all, shifted
from dlcourse.training.lightning import (
    DigitsClassifier,
    logged_metrics,
    make_trainer,
)
from pytorch_lightning.accelerators import CPUAccelerator

EPOCHS, PER_PROCESS_BATCH, PROCESSES, TRAIN_SIZE = 5, 32, 2, 1344


def fit_ddp(name: str, processes: int, batch: int, train_size: int):
    """A fresh classifier trained in ``processes`` CPU processes: the model,
    its trainer and what each process recorded."""
    folder = scratch_dir(f"multi-device/{name}-records")
    shutil.rmtree(folder)  # a re-run starts without old records
    folder.mkdir()
    seed_all(0)
    model = DigitsClassifier(hidden=(64,), lr=3e-3)
    trainer = make_trainer(
        f"multi-device/{name}",
        max_epochs=EPOCHS,
        accelerator="cpu",
        devices=processes,
        strategy=process_strategy(),
        callbacks=[ProcessRecorder(folder)],
    )
    data = DigitsDataModule(batch_size=batch, train_size=train_size)
    trainer.fit(model, datamodule=data)
    return model, trainer, read_process_records(folder)


ddp_model, ddp_trainer, records = fit_ddp(
    "ddp",
    PROCESSES,
    PER_PROCESS_BATCH,
    TRAIN_SIZE,
)

process_word = tr(es="proceso", en="process")
print(
    tr(es="estrategia", en="strategy")
    + f" {process_strategy()} · {PROCESSES} "
    + tr(es="procesos", en="processes")
    + f" · {tr(es='lote', en='batch')} {PER_PROCESS_BATCH} "
    + tr(es="por proceso", en="per process")
    + " → "
    + tr(es="lote efectivo", en="effective batch")
    + f" {PROCESSES * PER_PROCESS_BATCH}"
)
for r in records:
    reported = epoch_history(r)["val_loss"][-1]
    own, logged_text = (
        number(r["local_val_loss"], ".4f"),
        number(reported, ".4f"),
    )
    examples, steps = r["train_examples"], r["train_steps"]
    val_count = r["val_examples"]
    print(f"{process_word} {r['rank']} ({r['sampler']}):")
    print(
        "  "
        + tr(
            es=f"entrenamiento: {examples} imágenes, {steps} pasos por época",
            en=f"training: {examples} images, {steps} steps per epoch",
        )
    )
    print(
        "  "
        + tr(
            es=f"validación: {val_count} imágenes · pérdida en su parte "
            f"{own} · registrada {logged_text}",
            en=f"validation: {val_count} images · loss on its own part "
            f"{own} · logged {logged_text}",
        )
    )

# Which images each process saw, against the training set itself.
seen = sum((Counter(r["train_rows"]) for r in records), Counter())
reference_data = DigitsDataModule(train_size=TRAIN_SIZE)
reference_data.setup("fit")
assert reference_data.split is not None
everything = Counter(fingerprint(reference_data.split.x_train))
local = [r["local_val_loss"] for r in records]
logged = [epoch_history(r)["val_loss"][-1] for r in records]
publish("train_per_process", records[0]["train_examples"])
publish("steps_per_epoch", records[0]["train_steps"])
publish("val_per_process", records[0]["val_examples"])
publish("local_val_0", local[0], ".4f")
publish("local_val_1", local[1], ".4f")
publish("logged_val", logged[0], ".4f")
halves = [r["train_examples"] * PROCESSES == TRAIN_SIZE for r in records]
claim(
    "halves_partition",
    seen == everything and all(halves),
    es="cada proceso vio la mitad de las imágenes y, entre los dos, "
    "cada imagen de entrenamiento exactamente una vez por época",
    en="each process saw half of the images and, between them, "
    "every training image exactly once per epoch",
)
steps_alone = TRAIN_SIZE // PER_PROCESS_BATCH  # one process, batches of 32
claim(
    "half_the_steps",
    all(2 * r["train_steps"] == steps_alone for r in records),
    es="cada proceso dio la mitad de pasos que un proceso con lotes de 32",
    en="each process took half the steps of one process with batches of 32",
)
claim(
    "distributed_sampler",
    all(r["sampler"] == "DistributedSampler" for r in records),
    es="el muestreador de cada proceso es un DistributedSampler",
    en="each process's training sampler is a DistributedSampler",
)
claim(
    "logged_is_average",
    abs(local[0] - local[1]) > 1e-3
    and abs(logged[0] - logged[1]) < 1e-6
    and abs(logged[0] - sum(local) / 2) < 1e-4,
    es="las pérdidas de cada parte difieren; la registrada es su media "
    "y es la misma en los dos procesos",
    en="the losses on each part differ; the logged one is their mean "
    "and is the same in both processes",
)
claim(
    "ran_on_cpu",
    isinstance(ddp_trainer.accelerator, CPUAccelerator)
    and all(r["world_size"] == PROCESSES for r in records),
    es="el entrenamiento DDP de esta página corrió en dos procesos de CPU",
    en="this page's DDP training ran on two CPU processes",
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
    datamodule=SameOrderDigits(
        batch_size=PROCESSES * PER_PROCESS_BATCH,
        train_size=TRAIN_SIZE,
    ),
)
single = logged_metrics(single_trainer)
ddp = epoch_history(records[0])


def largest_weight_gap(a_model, b_model) -> float:
    """The largest absolute difference between two models' parameters."""
    return max(
        (a - b).abs().max().item()
        for a, b in zip(
            a_model.state_dict().values(),
            b_model.state_dict().values(),
            strict=True,
        )
    )


epoch_word = tr(es="época", en="epoch")
print(
    tr(
        es="pérdida de validación: 2 procesos · 1 proceso con lote 64",
        en="validation loss: 2 processes · 1 process with batch 64",
    )
)
for e in range(EPOCHS):
    print(
        f"  {epoch_word} {e + 1}: {number(ddp['val_loss'][e], '.6f')} · "
        f"{number(single['val_loss'][e], '.6f')}"
    )
weight_gap = largest_weight_gap(ddp_model, single_model)
pairs = zip(ddp["val_loss"], single["val_loss"], strict=True)
loss_gap = max(abs(a - b) for a, b in pairs)
print(
    tr(
        es="mayor diferencia entre los pesos finales",
        en="largest difference between the final weights",
    )
    + f": {number(weight_gap, '.1e')}"
)
publish("weight_gap", weight_gap, ".1e")
publish("loss_gap", loss_gap, ".1e")
claim(
    "ddp_equals_big_batch",
    weight_gap < 1e-5 and loss_gap < 1e-5,
    es="pérdidas y pesos de las dos ejecuciones difieren en menos de 1e-5",
    en="the two runs' losses and final weights differ by less than 1e-5",
)

fig, ax = new_figure(width=6.0, height=3.8)
epochs = range(1, EPOCHS + 1)
ax.plot(
    epochs,
    single["val_loss"],
    color=PALETTE[0],
    linewidth=4,
    alpha=0.5,
    label=tr(es="1 proceso, lote 64", en="1 process, batch 64"),
)
ax.plot(
    epochs,
    ddp["val_loss"],
    "o--",
    color=PALETTE[3],
    label=tr(es="2 procesos, lote 32", en="2 processes, batch 32"),
)
ax.set(
    title=tr(es="DDP frente a un proceso", en="DDP versus one process"),
    xlabel=epoch_word,
    ylabel=tr(es="pérdida de validación", en="validation loss"),
)
ax.set_xticks(list(epochs))
ax.legend()
first, last = (
    number(ddp["val_loss"][0], ".2f"),
    number(ddp["val_loss"][-1], ".2f"),
)
set_alt(
    fig,
    es="Pérdida de validación por época del entrenamiento con dos procesos "
    "y del de un proceso con el lote efectivo: los puntos de DDP caen sobre la "
    f"línea de un proceso, de {first} a {last}.",
    en="Validation loss per epoch of the two-process run and of the "
    "one-process run with the effective batch: the DDP points fall on the "
    f"one-process line, from {first} to {last}.",
)

# %% [markdown] lang="es"
# ## En GPU
#
# En una máquina con varias GPU el cambio es el mismo: `accelerator="gpu"`, `devices=4` (o `"auto"`) y `strategy="ddp"`, y al lanzar el script Lightning arranca un proceso por GPU. El modelo y el `DataModule` no cambian. Esta página entrena en dos procesos de CPU aunque la máquina que la construye tenga GPU, para que cualquiera pueda reproducirla {{ claim: ran_on_cpu }}; la cabecera dice en qué máquina.

# %% [markdown] lang="en"
# ## On GPUs
#
# On a machine with several GPUs the change is the same: `accelerator="gpu"`, `devices=4` (or `"auto"`) and `strategy="ddp"`, and when the script is launched Lightning starts one process per GPU. The model and the `DataModule` do not change. This page trains on two CPU processes even when the machine that builds it has a GPU, so anyone can reproduce it {{ claim: ran_on_cpu }}; the header says on which machine.

# %% [markdown] lang="es"
# ## Qué observar
#
# - Cada proceso vio {{ value: train_per_process }} de las 1344 imágenes de entrenamiento, y entre los dos vieron cada una exactamente una vez por época {{ claim: halves_partition }}. Cada uno dio {{ value: steps_per_epoch }} pasos por época, la mitad de los que daría un proceso con lotes de 32 {{ claim: half_the_steps }}; el muestreador de cada uno es un `DistributedSampler` que Lightning puso sin que lo pidiéramos {{ claim: distributed_sampler }}.
# - La validación también se reparte: cada proceso evalúa {{ value: val_per_process }} imágenes, y la pérdida calculada solo sobre su parte es distinta en cada uno ({{ value: local_val_0 }} y {{ value: local_val_1 }}). La que se registra, con `sync_dist=True`, es el promedio, {{ value: logged_val }}, y es la misma en los dos {{ claim: logged_is_average }}.
# - Dos procesos con lotes de 32 y un proceso con lotes de 64 en el mismo orden dan las mismas pérdidas y los mismos pesos, salvo diferencias de redondeo: la mayor diferencia entre los pesos finales es {{ value: weight_gap }} y entre las pérdidas de validación, {{ value: loss_gap }} {{ claim: ddp_equals_big_batch }}. DDP es el mismo descenso de gradiente con el lote efectivo, repartido.
# - Por eso, al pasar de 1 a $W$ dispositivos sin tocar el lote por proceso, el lote efectivo crece $W$ veces y conviene revisar la tasa de aprendizaje (como se vio en el [manual de ajuste](tuning-playbook.md)).

# %% [markdown] lang="en"
# ## What to notice
#
# - Each process saw {{ value: train_per_process }} of the 1,344 training images, and between them they saw each one exactly once per epoch {{ claim: halves_partition }}. Each took {{ value: steps_per_epoch }} steps per epoch, half as many as one process with batches of 32 would {{ claim: half_the_steps }}; each one's sampler is a `DistributedSampler` that Lightning put in without being asked {{ claim: distributed_sampler }}.
# - Validation is split too: each process evaluates {{ value: val_per_process }} images, and the loss computed on its own part alone differs between them ({{ value: local_val_0 }} and {{ value: local_val_1 }}). The one logged, with `sync_dist=True`, is the average, {{ value: logged_val }}, and is the same in both {{ claim: logged_is_average }}.
# - Two processes with batches of 32 and one process with batches of 64 in the same order give the same losses and the same weights, up to rounding: the largest difference between the final weights is {{ value: weight_gap }} and between the validation losses, {{ value: loss_gap }} {{ claim: ddp_equals_big_batch }}. DDP is the same gradient descent with the effective batch, split up.
# - That is why, when going from 1 to $W$ devices without touching the per-process batch, the effective batch grows $W$ times and the learning rate deserves a second look (as in the [tuning playbook](tuning-playbook.md)).

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Qué pasaría con 1345 imágenes de entrenamiento y dos procesos? Pista: el `DistributedSampler` necesita el mismo número de ejemplos en cada proceso.
# 2. Si cada proceso promediara su pérdida pero **no** se sincronizaran los gradientes, ¿seguirían siendo iguales las dos copias del modelo?
# 3. Con 4 procesos y lotes de 16 por proceso, ¿qué `batch_size` debería usar `SameOrderDigits` para reproducir el entrenamiento?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. What would happen with 1,345 training images and two processes? Hint: the `DistributedSampler` needs the same number of examples in every process.
# 2. If each process averaged its loss but gradients were **not** synchronized, would the two model copies stay equal?
# 3. With 4 processes and batches of 16 per process, which `batch_size` should `SameOrderDigits` use to reproduce the training?

# %% [markdown] lang="es" solution="1"
# El muestreador rellena repitiendo índices hasta un múltiplo de 2: cada proceso recibe {{ value: padded_per_process }} imágenes, y {{ value: repeated }} de ellas se usa dos veces en cada época {{ claim: sampler_pads }}. Es un solo ejemplo, pero basta para perder la equivalencia exacta con un proceso: entrenando así, la mayor diferencia entre los pesos finales de DDP y de un proceso con lotes de 64 sube a {{ value: padded_gap }}, muy por encima del redondeo de antes {{ claim: padding_breaks_equivalence }}. Por eso usamos un número par.

# %% [markdown] lang="en" solution="1"
# The sampler pads by repeating indices up to a multiple of 2: each process gets {{ value: padded_per_process }} images, and {{ value: repeated }} of them is used twice every epoch {{ claim: sampler_pads }}. It is a single example, but enough to lose exact equivalence with one process: trained like this, the largest difference between the final weights of DDP and of one process with batches of 64 rises to {{ value: padded_gap }}, far above the rounding seen before {{ claim: padding_breaks_equivalence }}. That is why we use an even number.

# %% solution="1"
from torch.utils.data import DistributedSampler

ODD_SIZE = TRAIN_SIZE + 1
shards = [
    list(DistributedSampler(range(ODD_SIZE), 2, rank=r, seed=shifted(0)))
    for r in range(2)  # the two processes' indices
]
dealt = Counter(shards[0] + shards[1])
twice = [index for index, times in dealt.items() if times == 2]
print(
    tr(
        es=f"{ODD_SIZE} imágenes en 2 procesos: {len(shards[0])} + "
        f"{len(shards[1])}; usadas dos veces: {len(twice)}",
        en=f"{ODD_SIZE} images on 2 processes: {len(shards[0])} + "
        f"{len(shards[1])}; used twice: {len(twice)}",
    )
)
odd_ddp_model, _, _ = fit_ddp("odd-ddp", PROCESSES, PER_PROCESS_BATCH, ODD_SIZE)
seed_all(0)
odd_single_model = DigitsClassifier(hidden=(64,), lr=3e-3)
odd_single_trainer = make_trainer(
    "multi-device/odd-single",
    max_epochs=EPOCHS,
    accelerator="cpu",
    devices=1,
)
odd_single_trainer.fit(
    odd_single_model,
    datamodule=SameOrderDigits(
        batch_size=PROCESSES * PER_PROCESS_BATCH,
        train_size=ODD_SIZE,
    ),
)
padded_gap = largest_weight_gap(odd_ddp_model, odd_single_model)
print(
    tr(
        es="mayor diferencia entre los pesos finales",
        en="largest difference between the final weights",
    )
    + f": {number(padded_gap, '.1e')} ("
    + tr(es="antes", en="before")
    + f" {number(weight_gap, '.1e')})"
)
publish("padded_per_process", len(shards[0]))
publish("repeated", len(twice))
publish("padded_gap", padded_gap, ".1e")
claim(
    "sampler_pads",
    len(shards[0]) == len(shards[1]) == (ODD_SIZE + 1) // 2
    and len(twice) == 1
    and set(dealt) == set(range(ODD_SIZE)),
    es="cada proceso recibe la mitad redondeada hacia arriba y una sola "
    "imagen, la repetida, se usa dos veces",
    en="each process gets half rounded up and a single image is used twice",
)
claim(
    "padding_breaks_equivalence",
    padded_gap > 100 * max(weight_gap, 1e-7),
    es="con relleno, la diferencia de pesos es más de 100 veces la de antes",
    en="with padding, the weight difference is over 100 times the one before",
)

# %% [markdown] lang="es" solution="2"
# No: cada copia daría pasos con gradientes de datos distintos y los pesos divergirían desde el primer paso. Lo comprobamos a mano con dos copias del mismo modelo inicial y los lotes de cada proceso: sin sincronizar, tras un solo paso las copias ya difieren en {{ value: unsynced_gap_1 }}, y tras los {{ value: steps_per_epoch }} pasos de una época en {{ value: unsynced_gap_epoch }} {{ claim: unsynced_diverge }}. Si antes de cada paso se promedian los gradientes, las copias siguen idénticas, bit a bit {{ claim: synced_identical }}. Esa sincronización (que hace `DistributedDataParallel` durante `backward()`) es lo que mantiene iguales las copias.

# %% [markdown] lang="en" solution="2"
# No: each copy would take steps with gradients from different data and the weights would diverge from the first step. We check it by hand with two copies of the same initial model and each process's batches: without synchronization the copies already differ by {{ value: unsynced_gap_1 }} after a single step, and by {{ value: unsynced_gap_epoch }} after the {{ value: steps_per_epoch }} steps of one epoch {{ claim: unsynced_diverge }}. If gradients are averaged before every step, the copies stay identical, bit for bit {{ claim: synced_identical }}. That synchronization (which `DistributedDataParallel` does during `backward()`) is what keeps the copies equal.

# %% solution="2"
import copy

from torch.nn import functional as F

split = reference_data.split
shard_order = [
    list(DistributedSampler(range(TRAIN_SIZE), 2, rank=r, seed=shifted(0)))
    for r in range(2)  # each process's order of the training rows
]


def two_copies(synchronised: bool, steps: int) -> float:
    """Train two copies of one model on each process's batches; the largest
    difference between their weights after ``steps`` steps."""
    seed_all(0)
    start = DigitsClassifier(hidden=(64,), lr=3e-3)
    copies = [copy.deepcopy(start) for _ in range(2)]
    optimizers = [c.configure_optimizers() for c in copies]
    batch = PER_PROCESS_BATCH
    for step in range(steps):
        for model, order in zip(copies, shard_order, strict=True):
            rows = order[step * batch : (step + 1) * batch]
            model.zero_grad()
            logits = model(split.x_train[rows])  # (32, 10)
            F.cross_entropy(logits, split.y_train[rows]).backward()
        if synchronised:  # the all-reduce: both copies get the mean gradient
            for pair in zip(*(c.parameters() for c in copies), strict=True):
                mean = (pair[0].grad + pair[1].grad) / 2
                for parameter in pair:
                    parameter.grad = mean.clone()
        for optimizer in optimizers:
            optimizer.step()
    return largest_weight_gap(*copies)


steps_in_epoch = records[0]["train_steps"]
unsynced = {n: two_copies(False, n) for n in (1, steps_in_epoch)}
synced = two_copies(True, steps_in_epoch)
after = {
    1: tr(es="tras 1 paso", en="after 1 step"),
    steps_in_epoch: tr(
        es=f"tras una época ({steps_in_epoch} pasos)",
        en=f"after one epoch ({steps_in_epoch} steps)",
    ),
}
unsynced_word = tr(es="sin sincronizar", en="unsynchronized")
for n, gap in unsynced.items():
    print(f"{unsynced_word}, {after[n]}: {number(gap, '.1e')}")
print(
    tr(es="con gradientes promediados", en="with averaged gradients")
    + f", {after[steps_in_epoch]}: {number(synced, 'g')}"
)
publish("unsynced_gap_1", unsynced[1], ".1e")
publish("unsynced_gap_epoch", unsynced[steps_in_epoch], ".1e")
claim(
    "unsynced_diverge",
    unsynced[1] > 1e-4 and unsynced[steps_in_epoch] > unsynced[1],
    es="sin sincronizar, difieren tras un paso y más tras una época",
    en="unsynchronized, copies differ after one step and more after an epoch",
)
claim(
    "synced_identical",
    synced == 0.0,
    es="con gradientes promediados las dos copias acaban idénticas",
    en="with averaged gradients both copies end up identical",
)

# %% [markdown] lang="es" solution="3"
# $4 \times 16 = 64$, el mismo lote efectivo: `SameOrderDigits(batch_size=64, train_size=1344)` (1344 es múltiplo de 4, así que tampoco hay relleno en el entrenamiento). Es el mismo proceso de referencia de la lección, así que basta entrenar con cuatro procesos y compararlo con él: cada proceso ve {{ value: four_train_per_process }} imágenes en {{ value: four_steps }} pasos por época, y la mayor diferencia entre los pesos finales es {{ value: four_gap }} {{ claim: four_processes_match }}.

# %% [markdown] lang="en" solution="3"
# $4 \times 16 = 64$, the same effective batch: `SameOrderDigits(batch_size=64, train_size=1344)` (1,344 is a multiple of 4, so there is no padding in training either). It is the lesson's own reference process, so it is enough to train on four processes and compare with it: each process sees {{ value: four_train_per_process }} images in {{ value: four_steps }} steps per epoch, and the largest difference between the final weights is {{ value: four_gap }} {{ claim: four_processes_match }}.

# %% solution="3"
four_model, _, four_records = fit_ddp("four", 4, 16, TRAIN_SIZE)
four_gap = largest_weight_gap(four_model, single_model)
for r in four_records:
    print(
        f"{process_word} {r['rank']}: "
        + tr(
            es=f"{r['train_examples']} imágenes, {r['train_steps']} pasos",
            en=f"{r['train_examples']} images, {r['train_steps']} steps",
        )
    )
print(
    tr(
        es="4 procesos × lote 16 frente a 1 proceso × lote 64: mayor "
        "diferencia entre los pesos finales",
        en="4 processes × batch 16 versus 1 process × batch 64: largest "
        "difference between the final weights",
    )
    + f" {number(four_gap, '.1e')}"
)
publish("four_train_per_process", four_records[0]["train_examples"])
publish("four_steps", four_records[0]["train_steps"])
publish("four_gap", four_gap, ".1e")
claim(
    "four_processes_match",
    len(four_records) == 4
    and all(r["train_examples"] * 4 == TRAIN_SIZE for r in four_records)
    and four_gap < 1e-5,
    es="con 4 procesos de lote 16, sin relleno, los pesos finales coinciden "
    "con los del proceso de lote 64 (diferencia menor que 1e-5)",
    en="with 4 processes of batch 16, without padding, the final weights "
    "match the batch-64 process's (difference below 1e-5)",
)
