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
import math

import torch
from dlcourse.bilingual import align, claim, number, percent, publish, tr
from dlcourse.data.digits import DigitsDataModule
from dlcourse.lessons.lr_schedules import (
    SCHEDULES,
    ScheduledDigitsClassifier,
    make_schedule,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all
from dlcourse.training.lightning import (
    logged_metrics,
    logged_steps,
    make_trainer,
)
from pytorch_lightning.callbacks import LearningRateMonitor

LABEL = {
    "constant": tr(es="constante", en="constant"),
    "step": tr(es="escalones", en="step"),
    "exponential": tr(es="exponencial", en="exponential"),
    "cosine": tr(es="coseno", en="cosine"),
    "one-cycle": tr(es="un ciclo", en="one-cycle"),
    "warm-up + cosine": tr(es="calentamiento + coseno", en="warm-up + cosine"),
}
EPOCHS, PEAK = 10, 1e-2
probe = DigitsDataModule(batch_size=64)
probe.setup("fit")
steps_per_epoch = len(probe.train_dataloader())
total_steps = EPOCHS * steps_per_epoch
print(
    tr(
        es=f"{steps_per_epoch} pasos por época · "
        f"{total_steps} pasos en {EPOCHS} épocas",
        en=f"{steps_per_epoch} steps per epoch · "
        f"{total_steps} steps in {EPOCHS} epochs",
    )
)
publish("total_steps", total_steps)


def sci(value: float) -> str:
    """``value`` in scientific notation, the exponent as a plain integer."""
    mantissa, exponent = f"{value:.2e}".split("e")
    return number(float(mantissa), ".2f") + f"e{int(exponent)}"


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
    rates[name] = logged_steps(
        trainer, "lr-AdamW"
    )  # one value per optimizer step
    metrics[name] = logged_metrics(trainer)

print(
    "\n"
    + align(tr(es="programación", en="schedule"), 23, "<")
    + align(tr(es="tasa ini.", en="first lr"), 10)
    + align(tr(es="tasa máx.", en="max lr"), 10)
    + align(tr(es="tasa fin.", en="last lr"), 10)
    + align(tr(es="mejor val.", en="best val"), 11)
    + align(tr(es="val. final", en="final val"), 11)
    + align(tr(es="exact.", en="acc."), 7)
)
for name in SCHEDULES:
    lr, m = rates[name], metrics[name]
    print(
        align(LABEL[name], 23, "<")
        + "".join(align(sci(v), 10) for v in (lr[0], max(lr), lr[-1]))
        + f"{number(min(m['val_loss']), '11.3f')}"
        + f"{number(m['val_loss'][-1], '11.3f')}"
        + f"{number(m['val_acc'][-1], '7.3f')}"
    )
print(
    tr(
        es="(val.: pérdida de validación; "
        "exact.: exactitud de validación final)",
        en="(val: validation loss; acc.: final validation accuracy)",
    )
)


def formula(name: str, t: int) -> float:
    """The rate of the formulas above at step ``t`` of ``total_steps``."""
    T, warm = total_steps, total_steps // 10
    if name == "constant":
        return PEAK
    if name == "step":
        return PEAK * 0.1 ** ((t >= T // 2) + (t >= 3 * T // 4))
    if name == "exponential":
        return PEAK * 0.01 ** (t / T)
    if name == "cosine":
        return PEAK / 2 * (1 + math.cos(math.pi * t / T))
    if t < warm:  # warm-up + cosine
        return PEAK * (0.01 + 0.99 * t / warm)
    return PEAK / 2 * (1 + math.cos(math.pi * (t - warm) / (T - warm)))


by_formula = [n for n in SCHEDULES if n != "one-cycle"]
formula_gap = max(
    abs(rates[n][t] - formula(n, t)) / PEAK
    for n in by_formula
    for t in range(total_steps)
)
cycle = rates["one-cycle"]
finals = {name: metrics[name]["val_loss"][-1] for name in SCHEDULES}
firsts = {name: metrics[name]["val_loss"][0] for name in SCHEDULES}
low_start = ("one-cycle", "warm-up + cosine")
others = [n for n in SCHEDULES if n not in low_start]
rest = [n for n in SCHEDULES if n != "exponential"]
best_name = min(finals, key=finals.get)
publish("final_exponential", finals["exponential"])
publish("final_constant", finals["constant"])
publish("final_best", finals[best_name])
publish("rest_low", min(finals[n] for n in rest))
publish("rest_high", max(finals[n] for n in rest))
claim(
    "rates_follow_formulas",
    all(len(rates[n]) == total_steps for n in SCHEDULES) and formula_gap < 1e-4,
    es="en cada paso, la tasa registrada de escalones, exponencial, coseno y "
    "calentamiento coincide con su fórmula (diferencia < 0,01 % del máximo)",
    en="at every step the logged rate of step, exponential, cosine and warm-up "
    "matches its formula (difference < 0.01% of the peak)",
)
claim(
    "one_cycle_shape",
    0 < cycle.index(max(cycle)) < total_steps - 1
    and math.isclose(max(cycle), PEAK)
    and cycle[-1] < cycle[0] / 100,
    es="un ciclo sube hasta la tasa máxima y termina a menos de 1/100 de su "
    "valor inicial",
    en="one-cycle rises to the peak rate and ends below 1/100 of its "
    "starting value",
)
claim(
    "changes_every_step",
    len(set(rates["cosine"])) == total_steps,
    es="el coseno registra una tasa distinta en cada uno de los pasos",
    en="the cosine logs a different rate at every one of the steps",
)
claim(
    "low_start_slow",
    min(firsts[n] for n in low_start) > max(firsts[n] for n in others),
    es="un ciclo y calentamiento tienen la mayor pérdida de validación tras la "
    "primera época",
    en="one-cycle and warm-up have the highest validation loss after the "
    "first epoch",
)
claim(
    "low_start_recovers",
    all(
        metrics[n]["val_loss"][e] < metrics["exponential"]["val_loss"][e]
        for n in low_start
        for e in range(3, EPOCHS)
    ),
    es="desde la cuarta época, un ciclo y calentamiento tienen menos pérdida "
    "de validación que la exponencial",
    en="from the fourth epoch on, one-cycle and warm-up have a lower "
    "validation loss than the exponential",
)
claim(
    "exponential_worst",
    best_name != "exponential"
    and finals["exponential"] > 1.3 * max(finals[n] for n in rest),
    es="la exponencial termina con la peor pérdida de validación, más de un "
    "30 % por encima de cualquier otra",
    en="the exponential ends with the worst validation loss, more than 30% "
    "above any other",
)
claim(
    "others_modest",
    max(finals[n] for n in rest) < 1.5 * min(finals[n] for n in rest),
    es="entre las demás, la peor pérdida final es menos de 1,5 veces la mejor",
    en="among the others, the worst final loss is less than 1.5 times the best",
)
claim(
    "constant_not_beaten",
    finals["constant"] <= 1.05 * finals[best_name],
    es="ninguna programación termina más de un 5 % por debajo de la tasa "
    "constante",
    en="no schedule ends more than 5% below the constant rate",
)

# %%
fig, (ax_lr, ax_val) = new_figure(ncols=2, width=5.3, height=4.0)
for k, name in enumerate(SCHEDULES):
    ax_lr.plot(
        range(1, len(rates[name]) + 1),
        rates[name],
        color=PALETTE[k],
        label=LABEL[name],
    )
    ax_val.plot(
        range(1, EPOCHS + 1),
        metrics[name]["val_loss"],
        "o-",
        markersize=3,
        color=PALETTE[k],
        label=LABEL[name],
    )
ax_lr.set(
    title=tr(es="Tasa registrada", en="Logged rate"),
    xlabel=tr(es="paso", en="step"),
    ylabel=tr(es="tasa de aprendizaje", en="learning rate"),
)
ax_val.set_yscale("log")
ax_val.set(
    title=tr(es="Validación", en="Validation"),
    xlabel=tr(es="época", en="epoch"),
    ylabel=tr(es="pérdida (log)", en="loss (log)"),
)
ax_lr.legend(fontsize=8)
best_final = number(finals[best_name])
worst_final = number(finals["exponential"])
set_alt(
    fig,
    es=f"Izquierda: la tasa de aprendizaje registrada en cada uno de los "
    f"{total_steps} pasos para seis programaciones: constante, escalones que "
    "la dividen por 10 dos veces, caída exponencial, coseno, un ciclo que sube "
    "y baja, y calentamiento lineal seguido de coseno. Derecha: pérdida de "
    f"validación por época; la menor al final es la de «{LABEL[best_name]}» "
    f"({best_final}) y la mayor la de la exponencial ({worst_final}).",
    en="Left: the learning rate logged at each of the "
    f"{total_steps} steps for six schedules: constant, steps dividing it by 10 "
    "twice, exponential decay, cosine, a one-cycle rise and fall, and linear "
    "warm-up followed by cosine. Right: validation loss per epoch; the lowest "
    f"at the end is “{LABEL[best_name]}” ({best_final}) and the highest the "
    f"exponential's ({worst_final}).",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - La tasa que registra `LearningRateMonitor` es exactamente la forma de cada fórmula: los dos escalones, la caída exponencial hasta el 1 %, el coseno hasta casi cero y la rampa de calentamiento, paso a paso {{ claim: rates_follow_formulas }}. El ciclo sube hasta la tasa máxima y baja muy por debajo de donde empezó {{ claim: one_cycle_shape }}. Registrar la tasa es la forma de comprobar que el programador hace lo que creemos: aquí cambia en cada paso {{ claim: changes_every_step }}, y un `"interval": "epoch"` olvidado la cambiaría diez veces en vez de {{ value: total_steps }} (solución 3).
# - Las programaciones que empiezan muy abajo (un ciclo y calentamiento) tienen peor pérdida en la primera época {{ claim: low_start_slow }}, y la recuperan enseguida: desde la cuarta época ya van por delante de la exponencial {{ claim: low_start_recovers }}.
# - La exponencial, con este ritmo, baja la tasa demasiado pronto: termina con la peor pérdida de validación, {{ value: final_exponential }} {{ claim: exponential_worst }}, porque pasa buena parte del entrenamiento con pasos pequeños.
# - En un problema tan pequeño y corto las diferencias entre las demás son modestas: sus pérdidas finales van de {{ value: rest_low }} a {{ value: rest_high }} {{ claim: others_modest }}. Y aquí la tasa constante no sale peor parada: termina en {{ value: final_constant }}, y la menor pérdida final, {{ value: final_best }}, no la mejora en más de un 5 % {{ claim: constant_not_beaten }}. Con solo 10 épocas, bajar la tasa le quita pasos útiles. Las programaciones cuentan más en entrenamientos largos y ruidosos, donde el suelo de ruido de una tasa fija se nota, y el calentamiento en modelos grandes, donde los primeros pasos grandes pueden desestabilizar todo.

# %% [markdown] lang="en"
# ## What to notice
#
# - The rate `LearningRateMonitor` logs is exactly each formula's shape: the two steps, the exponential fall to 1%, the cosine to almost zero and the warm-up ramp, step by step {{ claim: rates_follow_formulas }}. The cycle rises to the peak rate and falls far below where it started {{ claim: one_cycle_shape }}. Logging the rate is how to check that the scheduler does what we think: here it changes at every step {{ claim: changes_every_step }}, and a forgotten `"interval": "epoch"` would change it ten times instead of {{ value: total_steps }} (solution 3).
# - The schedules that start very low (one-cycle and warm-up) have a worse loss in the first epoch {{ claim: low_start_slow }}, and recover it right away: from the fourth epoch on they are already ahead of the exponential {{ claim: low_start_recovers }}.
# - The exponential, at this pace, lowers the rate too early: it ends with the worst validation loss, {{ value: final_exponential }} {{ claim: exponential_worst }}, because it spends much of training with small steps.
# - On such a small, short problem the differences among the others are modest: their final losses range from {{ value: rest_low }} to {{ value: rest_high }} {{ claim: others_modest }}. And here the constant rate does not come off worse: it ends at {{ value: final_constant }}, and the lowest final loss, {{ value: final_best }}, does not improve on it by more than 5% {{ claim: constant_not_beaten }}. With only 10 epochs, lowering the rate takes away useful steps. Schedules matter more in long, noisy training runs, where the noise floor of a fixed rate shows, and warm-up in large models, where large first steps can destabilize everything.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Qué tasa da el coseno a mitad del entrenamiento, $t = T/2$? ¿Y en $t = T/4$?
# 2. Construye con `make_schedule` el programador de calentamiento para 100 pasos y comprueba que la tasa crece linealmente durante los 10 primeros.
# 3. ¿Por qué en Lightning se devuelve `{"scheduler": ..., "interval": "step"}` y no solo el programador?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. What rate does the cosine give halfway through training, $t = T/2$? And at $t = T/4$?
# 2. Build the warm-up scheduler for 100 steps with `make_schedule` and check that the rate grows linearly over the first 10.
# 3. Why does Lightning get `{"scheduler": ..., "interval": "step"}` and not just the scheduler?

# %% [markdown] lang="es" solution="1"
# $\eta_{T/2} = \frac{\eta_0}{2}(1 + \cos\frac{\pi}{2}) = \eta_0/2$ y $\eta_{T/4} = \frac{\eta_0}{2}(1 + \cos\frac{\pi}{4}) \approx 0{,}854\,\eta_0$: el coseno baja despacio al principio y al final, y deprisa en el centro. La tasa que registró el entrenamiento lo confirma: en $t = T/2$ es {{ value: cos_half }} veces la máxima, y en $t = T/4$, {{ value: cos_quarter }} {{ claim: cosine_by_hand }}.

# %% [markdown] lang="en" solution="1"
# $\eta_{T/2} = \frac{\eta_0}{2}(1 + \cos\frac{\pi}{2}) = \eta_0/2$ and $\eta_{T/4} = \frac{\eta_0}{2}(1 + \cos\frac{\pi}{4}) \approx 0.854\,\eta_0$: the cosine falls slowly at the start and at the end, and fast in the middle. The rate logged in training confirms it: at $t = T/2$ it is {{ value: cos_half }} times the peak, and at $t = T/4$, {{ value: cos_quarter }} {{ claim: cosine_by_hand }}.

# %% solution="1"
half, quarter = total_steps // 2, total_steps // 4
cos_half = rates["cosine"][half] / PEAK
cos_quarter = rates["cosine"][quarter] / PEAK
for t, share in ((half, cos_half), (quarter, cos_quarter)):
    print(
        tr(es=f"paso {t}: tasa / máxima = ", en=f"step {t}: rate / peak = ")
        + number(share)
    )
publish("cos_half", cos_half)
publish("cos_quarter", cos_quarter)
claim(
    "cosine_by_hand",
    abs(cos_half - 0.5) < 1e-6
    and abs(cos_quarter - (1 + math.cos(math.pi / 4)) / 2) < 1e-6,
    es="la tasa registrada en T/2 y T/4 coincide con la cuenta a mano",
    en="the rate logged at T/2 and T/4 matches the hand computation",
)

# %% [markdown] lang="es" solution="2"
# Con `peak_lr=1.0`, la tasa empieza en {{ value: warm_first }} y sube {{ value: warm_increment }} en cada paso, la misma cantidad siempre, hasta llegar a {{ value: warm_top }} en el paso 10 {{ claim: warm_up_linear }}; desde ahí empieza el coseno.

# %% [markdown] lang="en" solution="2"
# With `peak_lr=1.0`, the rate starts at {{ value: warm_first }} and rises by {{ value: warm_increment }} at every step, always the same amount, until it reaches {{ value: warm_top }} at step 10 {{ claim: warm_up_linear }}; from there the cosine takes over.

# %% solution="2"
w = torch.nn.Parameter(torch.zeros(1))
opt = torch.optim.SGD([w], lr=1.0)
sched = make_schedule("warm-up + cosine", opt, 100, peak_lr=1.0)
seen = []
for _ in range(12):
    seen.append(opt.param_groups[0]["lr"])
    opt.step()
    sched.step()
print(" ".join(number(v) for v in seen))
increments = [b - a for a, b in zip(seen[:10], seen[1:11], strict=True)]
publish("warm_first", seen[0], ".2f")
publish("warm_increment", increments[0])
publish("warm_top", seen[10], ".1f")
claim(
    "warm_up_linear",
    max(increments) - min(increments) < 1e-9
    and increments[0] > 0
    and abs(seen[10] - 1.0) < 1e-9,
    es="la tasa sube lo mismo en cada uno de los 10 primeros pasos, llega a "
    "1 en el paso 10",
    en="the rate rises by the same amount at each of the first 10 steps, "
    "reaches 1 at step 10",
)

# %% [markdown] lang="es" solution="3"
# Por defecto Lightning llama a `scheduler.step()` una vez por **época**. Las programaciones de esta lección están definidas en pasos (`total_steps`), así que hay que pedirle `"interval": "step"`; si no, la tasa apenas cambiaría en 10 épocas. Lo simulamos con el mismo coseno de {{ value: total_steps }} pasos, avanzado una vez por época: solo toma {{ value: epoch_rates }} valores distintos, y tras las 10 épocas sigue en el {{ value: epoch_last_share }} de la tasa máxima {{ claim: epoch_interval_stalls }}, en vez de llegar casi a cero.

# %% [markdown] lang="en" solution="3"
# By default Lightning calls `scheduler.step()` once per **epoch**. This lesson's schedules are defined in steps (`total_steps`), so it must be asked for `"interval": "step"`; otherwise the rate would barely change over 10 epochs. We simulate it with the same cosine of {{ value: total_steps }} steps, advanced once per epoch: it only takes {{ value: epoch_rates }} different values, and after the 10 epochs it is still at {{ value: epoch_last_share }} of the peak rate {{ claim: epoch_interval_stalls }}, instead of getting close to zero.

# %% solution="3"
opt = torch.optim.SGD([w], lr=PEAK)
sched = make_schedule("cosine", opt, total_steps, peak_lr=PEAK)
per_step = []
for _epoch in range(EPOCHS):
    for _ in range(steps_per_epoch):
        per_step.append(opt.param_groups[0]["lr"])
        opt.step()
    sched.step()  # what Lightning does without "interval": "step"
last_share = per_step[-1] / PEAK
print(
    tr(
        es=f"valores distintos en {len(per_step)} pasos: {len(set(per_step))}",
        en=f"distinct values over {len(per_step)} steps: {len(set(per_step))}",
    )
)
print(
    tr(es="última tasa / máxima: ", en="last rate / peak: ")
    + percent(last_share, 1)
)
publish("epoch_rates", len(set(per_step)))
publish("epoch_last_share", percent(last_share, 1))
claim(
    "epoch_interval_stalls",
    len(set(per_step)) == EPOCHS and last_share > 0.95,
    es="con un paso del programador por época, la tasa toma 10 valores y acaba "
    "por encima del 95 % de la máxima",
    en="with one scheduler step per epoch, the rate takes 10 values and ends "
    "above 95% of the peak",
)
