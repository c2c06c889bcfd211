# ---
# jupyter:
#   lesson:
#     title:
#       es: Programación de la tasa de aprendizaje
#       en: Learning-rate schedules
#     summary:
#       es: Escalones, decaimiento exponencial, coseno, un ciclo y calentamiento lineal, registrados con LearningRateMonitor de Lightning en entrenamientos reales.
#       en: Step, exponential, cosine, one-cycle and linear warm-up schedules, logged with Lightning's LearningRateMonitor on real training runs.
#     order: 11
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Escribir las programaciones de la tasa de aprendizaje más usadas: escalones, exponencial, coseno, un ciclo (*one-cycle*) y calentamiento lineal seguido de coseno.
#     - Conectarlas a un `LightningModule` para que cambien en cada paso, y leer con `LearningRateMonitor` la tasa que se usó de verdad.
#     - Comparar su efecto en la pérdida de validación sobre el mismo modelo y los mismos datos.
#
# Nota de concepto: [tasa de aprendizaje, épocas y tamaño de lote](../concepts/training-hyperparameters.md) y [optimizadores](../concepts/optimizers.md). Lecturas asociadas: el [manual de ajuste](../readings/tuning-playbook.md) y [PyTorch Lightning](../readings/pytorch-lightning.md). Lección anterior: [optimizadores](optimizers.md); el `LightningModule` de los dígitos se presentó en [Anatomía de PyTorch Lightning](lightning-anatomy.md). Referencia de la API: [`dlcourse.lessons.lr_schedules`](../api/lessons/lr_schedules.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Write the most used learning-rate schedules: step, exponential, cosine, one-cycle, and linear warm-up followed by cosine.
#     - Attach them to a `LightningModule` so they change at every step, and read with `LearningRateMonitor` the rate that was actually used.
#     - Compare their effect on the validation loss for the same model and data.
#
# Concept notes: [learning rate, epochs and batch size](../concepts/training-hyperparameters.md) and [optimizers](../concepts/optimizers.md). Related readings: the [tuning playbook](../readings/tuning-playbook.md) and [PyTorch Lightning](../readings/pytorch-lightning.md). Previous lesson: [optimizers](optimizers.md); the digits `LightningModule` was introduced in [PyTorch Lightning anatomy](lightning-anatomy.md). API reference: [`dlcourse.lessons.lr_schedules`](../api/lessons/lr_schedules.md).

# %% [markdown] lang="es"
# ## La idea
#
# Al principio del entrenamiento conviene dar pasos grandes para avanzar; al final, pasos pequeños para asentarse en el fondo de un mínimo en vez de rebotar alrededor (el suelo de ruido que vimos en el SGD). Una **programación** hace que la tasa $\eta_t$ dependa del paso $t$ de un total de $T$:
#
# $$
# \begin{aligned}
# \text{escalones:}\quad & \eta_t = \eta_0 \cdot 0{,}1^{\,[t \ge T/2] + [t \ge 3T/4]} \\
# \text{exponencial:}\quad & \eta_t = \eta_0\, \gamma^{t}, \qquad \gamma = 0{,}01^{1/T} \\
# \text{coseno:}\quad & \eta_t = \tfrac{\eta_0}{2}\Big(1 + \cos\frac{\pi t}{T}\Big) \\
# \text{calentamiento:}\quad & \eta_t = \eta_0 \Big(0{,}01 + 0{,}99\,\frac{t}{T_w}\Big) \ \text{ para } t < T_w, \text{ después coseno}
# \end{aligned}
# $$
#
# El coseno viene de SGDR (Loshchilov y Hutter, 2016, [arXiv:1608.03983](https://arxiv.org/abs/1608.03983)). La política de **un ciclo** (Smith y Topin, 2017, [arXiv:1708.07120](https://arxiv.org/abs/1708.07120)) sube primero la tasa hasta un máximo y luego la baja muy por debajo del valor inicial. El **calentamiento** evita los primeros pasos grandes, cuando los pesos aleatorios y las estadísticas de Adam todavía no son fiables.

# %% [markdown] lang="en"
# ## The idea
#
# Early in training, large steps help to make progress; at the end, small steps help to settle at the bottom of a minimum instead of bouncing around it (the noise floor we saw with SGD). A **schedule** makes the rate $\eta_t$ depend on the step $t$ out of a total of $T$:
#
# $$
# \begin{aligned}
# \text{step:}\quad & \eta_t = \eta_0 \cdot 0.1^{\,[t \ge T/2] + [t \ge 3T/4]} \\
# \text{exponential:}\quad & \eta_t = \eta_0\, \gamma^{t}, \qquad \gamma = 0.01^{1/T} \\
# \text{cosine:}\quad & \eta_t = \tfrac{\eta_0}{2}\Big(1 + \cos\frac{\pi t}{T}\Big) \\
# \text{warm-up:}\quad & \eta_t = \eta_0 \Big(0.01 + 0.99\,\frac{t}{T_w}\Big) \ \text{ for } t < T_w, \text{ then cosine}
# \end{aligned}
# $$
#
# The cosine comes from SGDR (Loshchilov and Hutter, 2016, [arXiv:1608.03983](https://arxiv.org/abs/1608.03983)). The **one-cycle** policy (Smith and Topin, 2017, [arXiv:1708.07120](https://arxiv.org/abs/1708.07120)) first raises the rate to a maximum and then lowers it far below its starting value. **Warm-up** avoids large first steps, while the random weights and Adam's statistics are not yet reliable.

# %% [markdown] lang="es"
# ## Seis entrenamientos, una tasa registrada en cada paso
#
# El mismo clasificador de dígitos (un MLP $64 \to 64 \to 10$ con AdamW y tasa máxima $10^{-2}$) se entrena 10 épocas con cada programación. En Lightning, `configure_optimizers` devuelve el programador con `"interval": "step"` para que avance en cada paso, y `LearningRateMonitor(logging_interval="step")` registra la tasa en el mismo CSV que las métricas.

# %% [markdown] lang="en"
# ## Six runs, a rate logged at every step
#
# The same digits classifier (an MLP $64 \to 64 \to 10$ with AdamW and peak rate $10^{-2}$) is trained for 10 epochs under each schedule. In Lightning, `configure_optimizers` returns the scheduler with `"interval": "step"` so it advances at every step, and `LearningRateMonitor(logging_interval="step")` logs the rate in the same CSV as the metrics.

# %%
from dlcourse.data.digits import DigitsDataModule
from dlcourse.lessons.lr_schedules import SCHEDULES, ScheduledDigitsClassifier
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all
from dlcourse.training.lightning import logged_metrics, logged_steps, make_trainer
from pytorch_lightning.callbacks import LearningRateMonitor

EPOCHS, PEAK = 10, 1e-2
probe = DigitsDataModule(batch_size=64)
probe.setup("fit")
total_steps = EPOCHS * len(probe.train_dataloader())
print(f"{len(probe.train_dataloader())} steps per epoch · {total_steps} steps in {EPOCHS} epochs")

rates, metrics = {}, {}
for name in SCHEDULES:
    seed_all(0)
    model = ScheduledDigitsClassifier(name, total_steps, hidden=(64,), lr=PEAK)
    trainer = make_trainer(
        f"lr-schedules/{name}",
        max_epochs=EPOCHS,
        callbacks=[LearningRateMonitor(logging_interval="step")],
    )
    trainer.fit(model, datamodule=DigitsDataModule(batch_size=64))
    rates[name] = logged_steps(trainer, "lr-AdamW")  # one value per optimizer step
    metrics[name] = logged_metrics(trainer)

print(
    "schedule           first lr   highest lr   last lr    best val loss  final val loss  final val acc"
)
for name in SCHEDULES:
    lr, m = rates[name], metrics[name]
    print(
        f"{name:<17} {lr[0]:9.2e}   {max(lr):9.2e}   {lr[-1]:9.2e}"
        f"  {min(m['val_loss']):13.3f}  {m['val_loss'][-1]:14.3f}  {m['val_acc'][-1]:13.3f}"
    )

# %%
fig, (ax_lr, ax_val) = new_figure(ncols=2, width=5.3, height=4.0)
for k, name in enumerate(SCHEDULES):
    ax_lr.plot(range(1, len(rates[name]) + 1), rates[name], color=PALETTE[k], label=name)
    ax_val.plot(
        range(1, EPOCHS + 1),
        metrics[name]["val_loss"],
        "o-",
        markersize=3,
        color=PALETTE[k],
        label=name,
    )
ax_lr.set(
    title="Tasa registrada / Logged rate",
    xlabel="paso / step",
    ylabel="tasa de aprendizaje / learning rate",
)
ax_val.set_yscale("log")
ax_val.set(
    title="Validación / Validation", xlabel="época / epoch", ylabel="pérdida (log) / loss (log)"
)
ax_lr.legend(fontsize=8)
finals = {name: metrics[name]["val_loss"][-1] for name in SCHEDULES}
best_name = min(finals, key=finals.get)
set_alt(
    fig,
    es="Izquierda: la tasa de aprendizaje registrada en cada uno de los "
    + f"{total_steps} pasos para seis programaciones: constante, escalones que la dividen por 10 dos veces, caída exponencial, coseno, un ciclo que sube y baja, y calentamiento lineal seguido de coseno. "
    + f"Derecha: pérdida de validación por época; la menor al final es la de «{best_name}» ({finals[best_name]:.3f}) y la mayor la de la exponencial ({finals['exponential']:.3f}).",
    en="Left: the learning rate logged at each of the "
    + f"{total_steps} steps for six schedules: constant, steps dividing it by 10 twice, exponential decay, cosine, a one-cycle rise and fall, and linear warm-up followed by cosine. "
    + f"Right: validation loss per epoch; the lowest at the end is '{best_name}' ({finals[best_name]:.3f}) and the highest the exponential's ({finals['exponential']:.3f}).",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - La tasa que registra `LearningRateMonitor` es exactamente la forma de cada fórmula: los dos escalones, la caída exponencial hasta el 1 %, el coseno hasta casi cero, la subida y bajada del ciclo y la rampa de calentamiento. Registrar la tasa es la forma de comprobar que el programador hace lo que creemos (un `"interval": "epoch"` olvidado la cambiaría diez veces en vez de 220).
# - Las programaciones que empiezan muy abajo (un ciclo y calentamiento) tienen peor pérdida en la primera época, y la recuperan enseguida.
# - La exponencial, con este ritmo, baja la tasa demasiado pronto: termina con la peor pérdida de validación, porque pasa buena parte del entrenamiento con pasos pequeños.
# - En un problema tan pequeño y corto las diferencias entre las demás son modestas, y aquí la tasa constante termina incluso con la menor pérdida de validación: con solo 10 épocas, bajar la tasa le quita pasos útiles. Las programaciones cuentan más en entrenamientos largos y ruidosos, donde el suelo de ruido de una tasa fija se nota, y el calentamiento en modelos grandes, donde los primeros pasos grandes pueden desestabilizar todo.

# %% [markdown] lang="en"
# ## What to notice
#
# - The rate `LearningRateMonitor` logs is exactly each formula's shape: the two steps, the exponential fall to 1 %, the cosine to almost zero, the rise and fall of the cycle and the warm-up ramp. Logging the rate is how to check that the scheduler does what we think (a forgotten `"interval": "epoch"` would change it ten times instead of 220).
# - The schedules that start very low (one-cycle and warm-up) have a worse loss in the first epoch, and recover it right away.
# - The exponential, at this pace, lowers the rate too early: it ends with the worst validation loss, because it spends much of training with small steps.
# - On such a small, short problem the differences among the others are modest, and here the constant rate even ends with the lowest validation loss: with only 10 epochs, lowering the rate takes away useful steps. Schedules matter more in long, noisy training runs, where the noise floor of a fixed rate shows, and warm-up in large models, where large first steps can destabilise everything.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Qué tasa da el coseno a mitad del entrenamiento, $t = T/2$? ¿Y en $t = T/4$?
# 2. Construye con `make_schedule` el programador de calentamiento para 100 pasos y comprueba que la tasa crece linealmente durante los 10 primeros.
# 3. ¿Por qué en Lightning se devuelve `{"scheduler": ..., "interval": "step"}` y no solo el programador?
#
# ??? success "Solución 1"
#     $\eta_{T/2} = \frac{\eta_0}{2}(1 + \cos\frac{\pi}{2}) = \eta_0/2$ y $\eta_{T/4} = \frac{\eta_0}{2}(1 + \cos\frac{\pi}{4}) \approx 0{,}854\,\eta_0$: el coseno baja despacio al principio y al final, y deprisa en el centro.
#
# ??? success "Solución 2"
#     ```python
#     import torch
#     from dlcourse.lessons.lr_schedules import make_schedule
#     w = torch.nn.Parameter(torch.zeros(1))
#     opt = torch.optim.SGD([w], lr=1.0)
#     sched = make_schedule("warm-up + cosine", opt, 100, peak_lr=1.0)
#     seen = []
#     for _ in range(12):
#         seen.append(opt.param_groups[0]["lr"])
#         opt.step()
#         sched.step()
#     print([round(v, 3) for v in seen])  # 0.01, 0.109, 0.208, ... up to 1.0 at step 10
#     ```
#
# ??? success "Solución 3"
#     Por defecto Lightning llama a `scheduler.step()` una vez por **época**. Las programaciones de esta lección están definidas en pasos (`total_steps`), así que hay que pedirle `"interval": "step"`; si no, la tasa apenas cambiaría en 10 épocas.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. What rate does the cosine give halfway through training, $t = T/2$? And at $t = T/4$?
# 2. Build the warm-up scheduler for 100 steps with `make_schedule` and check that the rate grows linearly over the first 10.
# 3. Why does Lightning get `{"scheduler": ..., "interval": "step"}` and not just the scheduler?
#
# ??? success "Solution 1"
#     $\eta_{T/2} = \frac{\eta_0}{2}(1 + \cos\frac{\pi}{2}) = \eta_0/2$ and $\eta_{T/4} = \frac{\eta_0}{2}(1 + \cos\frac{\pi}{4}) \approx 0.854\,\eta_0$: the cosine falls slowly at the start and at the end, and fast in the middle.
#
# ??? success "Solution 2"
#     ```python
#     import torch
#     from dlcourse.lessons.lr_schedules import make_schedule
#     w = torch.nn.Parameter(torch.zeros(1))
#     opt = torch.optim.SGD([w], lr=1.0)
#     sched = make_schedule("warm-up + cosine", opt, 100, peak_lr=1.0)
#     seen = []
#     for _ in range(12):
#         seen.append(opt.param_groups[0]["lr"])
#         opt.step()
#         sched.step()
#     print([round(v, 3) for v in seen])  # 0.01, 0.109, 0.208, ... up to 1.0 at step 10
#     ```
#
# ??? success "Solution 3"
#     By default Lightning calls `scheduler.step()` once per **epoch**. This lesson's schedules are defined in steps (`total_steps`), so it must be asked for `"interval": "step"`; otherwise the rate would barely change over 10 epochs.
