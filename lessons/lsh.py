# ---
# jupyter:
#   lesson:
#     title:
#       es: Secuencias largas y LSH
#       en: Long sequences and LSH
#     summary:
#       es: Hashing sensible a la localidad con hiperplanos aleatorios para buscar vecinos, y atención restringida a cubetas como en Reformer, medida frente a la atención completa.
#       en: Locality-sensitive hashing with random hyperplanes for neighbor search, and bucket-restricted attention as in Reformer, measured against full attention.
#     order: 32
#     budget_cpu_s: 90
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Entender por qué dos vectores parecidos caen a menudo del mismo lado de un hiperplano aleatorio, y comprobar la probabilidad $1 - \theta/\pi$ con datos.
#     - Buscar vecinos cercanos con tablas de *hash* y medir el compromiso entre **exhaustividad** (*recall*) y fracción de datos comparada.
#     - Construir la atención por cubetas de Reformer y medir su error, su tiempo y su memoria frente a la atención completa a medida que crece la secuencia.
#
# Artículo asociado: [nota sobre *Reformer*](../papers/reformer.md), y la del [Transformer](../papers/transformer.md) para la atención completa. Explicaciones gráficas sobre LSH en [Recursos](../resources.md). Referencia de la API: [`dlcourse.lessons.lsh`](../api/lessons/lsh.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Understand why two similar vectors often fall on the same side of a random hyperplane, and check the probability $1 - \theta/\pi$ with data.
#     - Search for nearest neighbors with hash tables and measure the trade-off between **recall** and the fraction of the data compared.
#     - Build Reformer's bucketed attention and measure its error, time and memory against full attention as the sequence grows.
#
# Related paper: [note on *Reformer*](../papers/reformer.md), and the one on the [Transformer](../papers/transformer.md) for full attention. Graphical explanations of LSH in [Resources](../resources.md). API reference: [`dlcourse.lessons.lsh`](../api/lessons/lsh.md).

# %% [markdown] lang="es"
# ## La idea
#
# La atención de un Transformer compara cada posición con todas las demás: con $T$ posiciones calcula una matriz de $T \times T$ puntuaciones, y tiempo y memoria crecen con $T^2$. Pero tras la softmax casi todo el peso suele recaer en unas pocas claves, las más parecidas a la consulta. Si pudiéramos encontrar esas claves **sin compararlas todas**, bastaría con atender a ellas. Eso es un problema de búsqueda de vecinos cercanos, y el *hashing* sensible a la localidad (LSH) lo resuelve de forma aproximada.
#
# Toma un vector aleatorio $\mathbf{r}$ (la normal de un hiperplano que pasa por el origen) y asigna a cada vector el bit $\operatorname{signo}(\mathbf{r}^\top\mathbf{x})$. Dos vectores que forman un ángulo $\theta$ reciben el mismo bit con probabilidad
#
# $$
# \Pr\big[\operatorname{signo}(\mathbf{r}^\top\mathbf{x}) = \operatorname{signo}(\mathbf{r}^\top\mathbf{y})\big] = 1 - \frac{\theta}{\pi},
# $$
#
# porque el hiperplano los separa solo si cae dentro del ángulo que forman (Charikar, 2002). Con $k$ hiperplanos independientes, el código de $k$ bits coincide con probabilidad $(1-\theta/\pi)^k$: los códigos largos separan mejor los vectores lejanos, pero también pierden vecinos. Con $L$ tablas independientes, un vecino aparece en alguna de ellas con probabilidad
#
# $$
# 1 - \Big(1 - \big(1 - \tfrac{\theta}{\pi}\big)^k\Big)^L .
# $$
#
# Reformer (Kitaev, Kaiser y Levskaya, 2020) aplica una variante, $h(\mathbf{x}) = \arg\max\,[\mathbf{x}^\top R;\, -\mathbf{x}^\top R]$ con $R$ aleatoria, para repartir consultas y claves en cubetas, y solo calcula la atención dentro de cada cubeta.

# %% [markdown] lang="en"
# ## The idea
#
# A Transformer's attention compares every position with every other: with $T$ positions it computes a $T \times T$ matrix of scores, and time and memory grow with $T^2$. Yet after the softmax almost all the weight usually lands on a few keys, those most similar to the query. If we could find those keys **without comparing them all**, attending to them would be enough. That is a nearest-neighbor search problem, and locality-sensitive hashing (LSH) solves it approximately.
#
# Take a random vector $\mathbf{r}$ (the normal of a hyperplane through the origin) and give each vector the bit $\operatorname{sign}(\mathbf{r}^\top\mathbf{x})$. Two vectors at angle $\theta$ get the same bit with probability
#
# $$
# \Pr\big[\operatorname{sign}(\mathbf{r}^\top\mathbf{x}) = \operatorname{sign}(\mathbf{r}^\top\mathbf{y})\big] = 1 - \frac{\theta}{\pi},
# $$
#
# because the hyperplane separates them only if it falls inside the angle between them (Charikar, 2002). With $k$ independent hyperplanes the $k$-bit code matches with probability $(1-\theta/\pi)^k$: long codes separate distant vectors better but also lose neighbors. With $L$ independent tables a neighbor shows up in at least one of them with probability
#
# $$
# 1 - \Big(1 - \big(1 - \tfrac{\theta}{\pi}\big)^k\Big)^L .
# $$
#
# Reformer (Kitaev, Kaiser and Levskaya, 2020) uses a variant, $h(\mathbf{x}) = \arg\max\,[\mathbf{x}^\top R;\, -\mathbf{x}^\top R]$ with a random $R$, to spread queries and keys over buckets, and computes attention only within each bucket.

# %% [markdown] lang="es"
# ## La probabilidad de colisión, comprobada
#
# Construimos pares de vectores de {{ value: dim }} dimensiones con ángulos conocidos y contamos en cuántos de {{ value: planes }} hiperplanos aleatorios caen del mismo lado.
#
# Los hiperplanos y los códigos vienen de `dlcourse.lessons.lsh`:
#
# {{ source: dlcourse.lessons.lsh.random_planes }}
#
# {{ source: dlcourse.lessons.lsh.hyperplane_codes }}

# %% [markdown] lang="en"
# ## The collision probability, checked
#
# We build pairs of {{ value: dim }}-dimensional vectors at known angles and count on how many of {{ value: planes }} random hyperplanes they fall on the same side.
#
# The hyperplanes and the codes come from `dlcourse.lessons.lsh`:
#
# {{ source: dlcourse.lessons.lsh.random_planes }}
#
# {{ source: dlcourse.lessons.lsh.hyperplane_codes }}

# %%
import math
import time

import numpy as np
import torch
import torch.nn.functional as F
from dlcourse.bilingual import align, claim, number, percent, publish, tr
from dlcourse.data.digits import digits_split
from dlcourse.lessons.lsh import (
    HyperplaneIndex,
    clustered_sequence,
    exact_neighbours,
    full_attention,
    lsh_attention,
    random_planes,
    recall_and_cost,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all, seeded_generator

seed_all(0)
DIM, PLANES = 64, 4000
generator = seeded_generator(0)
x = F.normalize(torch.randn(DIM, generator=generator), dim=0)
ortho = torch.randn(DIM, generator=generator)
ortho = F.normalize(ortho - (ortho @ x) * x, dim=0)  # unit, perpendicular to x
planes = random_planes(DIM, PLANES, seed=1)  # (64, 4000)
angles = np.linspace(0, math.pi, 13)
measured = []
for theta in angles:
    y = math.cos(theta) * x + math.sin(theta) * ortho  # at angle theta from x
    same = torch.sign(x @ planes) == torch.sign(y @ planes)  # (4000,)
    measured.append(same.float().mean().item())
angle_word = align(tr(es="ángulo (grados)", en="angle (degrees)"), 15, "<")
measured_word = align(tr(es="medido", en="measured"), 8)
print(f"{angle_word}   {measured_word}   1 - θ/π")
for theta, value in zip(angles, measured, strict=True):
    degrees = math.degrees(theta)
    formula = 1 - theta / math.pi
    cells = number(value, "8.3f"), number(formula, "7.3f")
    print(f"{degrees:15.0f}   {cells[0]}   {cells[1]}")
worst = float(np.abs(np.array(measured) - (1 - angles / math.pi)).max())
gap_label = tr(
    es="mayor diferencia entre medida y fórmula",
    en="largest gap between measurement and formula",
)
print(f"{gap_label}: {number(worst)}")
publish("planes", PLANES, ",d")
publish("dim", DIM)
publish("worst_gap", worst)
claim(
    "formula_holds",
    worst < 0.03,
    es="en los 13 ángulos, la fracción medida está a menos de 0,03 de 1 − θ/π",
    en="at all 13 angles the measured fraction is within 0.03 of 1 − θ/π",
)

fig, ax = new_figure(width=5.8, height=3.8)
fine = np.linspace(0, math.pi, 100)
ax.plot(np.degrees(fine), 1 - fine / math.pi, color=PALETTE[0], label="1 − θ/π")
ax.plot(
    np.degrees(angles),
    measured,
    "o",
    color=PALETTE[3],
    label=tr(es="medido", en="measured"),
)
for k, colour in ((4, PALETTE[2]), (8, PALETTE[1])):
    ax.plot(
        np.degrees(fine),
        (1 - fine / math.pi) ** k,
        "--",
        color=colour,
        label=f"{k} bits: (1 − θ/π)^{k}",
    )
ax.set(
    title=tr(es="Colisión por ángulo", en="Collision by angle"),
    xlabel=tr(es="ángulo entre vectores (°)", en="angle between vectors (°)"),
    ylabel=tr(es="probabilidad de colisión", en="collision probability"),
)
ax.legend()
set_alt(
    fig,
    es="La fracción medida de hiperplanos que dejan dos vectores del mismo "
    "lado sigue la recta 1 − θ/π desde 1 a 0° hasta 0 a 180°, con una "
    f"diferencia máxima de {number(worst)}. Las curvas discontinuas para "
    "códigos de 4 y 8 bits caen mucho más deprisa con el ángulo.",
    en="The measured fraction of hyperplanes that leave two vectors on the "
    "same side follows the line 1 − θ/π from 1 at 0° to 0 at 180°, with a "
    f"largest gap of {number(worst)}. The dashed curves for 4- and 8-bit "
    "codes fall much faster with the angle.",
)

# %% [markdown] lang="es"
# ## Buscar vecinos con tablas de *hash*
#
# Indexamos las {{ value: n_data }} imágenes de entrenamiento de los dígitos (vectores de {{ value: dim }} píxeles, centrados) y, para 200 imágenes de validación, buscamos sus {{ value: k_neighbours }} vecinos más parecidos por coseno. La respuesta exacta compara cada consulta con todo el conjunto. El índice LSH compara solo con las imágenes que comparten cubeta en alguna tabla. Medimos la **exhaustividad@{{ value: k_neighbours }}** (qué fracción de los {{ value: k_neighbours }} vecinos verdaderos encuentra) y qué fracción del conjunto tuvo que comparar.

# %% [markdown] lang="en"
# ## Searching neighbors with hash tables
#
# We index the {{ value: n_data }} training images of the digits ({{ value: dim }}-pixel vectors, centered) and, for 200 validation images, look for their {{ value: k_neighbours }} most cosine-similar neighbors. The exact answer compares each query with the whole set. The LSH index compares only with the images that share a bucket in some table. We measure **recall@{{ value: k_neighbours }}** (which fraction of the {{ value: k_neighbours }} true neighbors it finds) and which fraction of the set it had to compare.

# %%
K = 10
BITS, TABLES = (4, 8, 12), (1, 2, 4, 8, 16)
split = digits_split()
mean = split.x_train.mean(dim=0)
data = split.x_train - mean  # (1347, 64)
queries = split.x_val[:200] - mean  # (200, 64)
truth = exact_neighbours(data, queries, k=K)  # (200, 10)
results = {}
recall_word = tr(es="exhaust.", en="recall")
print(
    align(tr(es="bits", en="bits"), 4),
    align(tr(es="tablas", en="tables"), 7),
    align(f"{recall_word}@{K}", 11),
    "  ",
    tr(es="fracción del conjunto comparada", en="share of the data compared"),
)
for bits in BITS:
    for tables in TABLES:
        index = HyperplaneIndex.build(data, bits=bits, tables=tables, seed=0)
        results[bits, tables] = recall_and_cost(index, queries, truth)
        recall, scanned = results[bits, tables]
        cells = number(recall, "11.3f"), align(percent(scanned, 1), 10)
        print(f"{bits:4d} {tables:7d} {cells[0]}   {cells[1]}")
publish("n_data", len(data), ",d")
publish("k_neighbours", K)
recalls = {b: [results[b, t][0] for t in TABLES] for b in BITS}
shares = {b: [results[b, t][1] for t in TABLES] for b in BITS}
fewer = [
    all(a > b for a, b in zip(results[b1, t], results[b2, t], strict=True))
    for t in TABLES
    for b1, b2 in ((4, 8), (8, 12))
]
claim(
    "more_bits_fewer",
    all(fewer),
    es="con las mismas tablas, más bits comparan menos y encuentran menos",
    en="with the same tables, more bits compare less and find less",
)


def rises(values: list[float]) -> bool:
    """Never lower from one entry to the next, and higher at the end."""
    steps = zip(values[:-1], values[1:], strict=True)
    return all(a <= b for a, b in steps) and values[-1] > values[0]


claim(
    "more_tables_more",
    all(rises(recalls[b]) and rises(shares[b]) for b in BITS),
    es="con los mismos bits, cada tabla añadida sube (o mantiene) la "
    "exhaustividad y la fracción comparada, y 16 tablas superan a 1 en ambas",
    en="with the same bits, each added table raises (or keeps) recall and "
    "the share compared, and 16 tables beat 1 on both",
)
SHARE_LIMIT = 0.15  # the most of the data a search may compare
best = max((r, b, t) for (b, t), (r, s) in results.items() if s < SHARE_LIMIT)
publish("share_limit", percent(SHARE_LIMIT))
publish("best_recall", best[0], ".2f")
publish("best_bits", best[1])
publish("best_tables", best[2])
publish("best_share", percent(results[best[1], best[2]][1], 1))

fig, ax = new_figure(width=5.8, height=3.8)
for k, bits in enumerate(BITS):
    points = [results[bits, tables] for tables in TABLES]
    ax.plot(
        [s for _, s in points],
        [r for r, _ in points],
        "o-",
        color=PALETTE[k],
        label=f"{bits} bits",
    )
ax.set_xscale("log")
ax.set(
    title=tr(es="Exhaustividad frente a coste", en="Recall versus cost"),
    xlabel=tr(es="fracción comparada (log)", en="share compared (log)"),
    ylabel=tr(es=f"exhaustividad@{K}", en=f"recall@{K}"),
)
ax.legend(title=tr(es="1, 2, 4, 8, 16 tablas", en="1, 2, 4, 8, 16 tables"))
set_alt(
    fig,
    es=f"Curvas de exhaustividad@{K} frente a la fracción comparada, en "
    "escala logarítmica, para códigos de 4, 8 y 12 bits con 1 a 16 tablas. "
    "Cada curva sube al añadir tablas. Comparando menos del "
    f"{percent(SHARE_LIMIT)} de los datos, la mejor exhaustividad es "
    f"{number(best[0], '.2f')} ({best[1]} bits, {best[2]} tablas).",
    en=f"Curves of recall@{K} against the share of the set compared, on a log "
    "scale, for 4-, 8- and 12-bit codes with 1 to 16 tables. Each curve rises "
    f"as tables are added. Comparing less than {percent(SHARE_LIMIT)} of the "
    f"data, the best recall is {number(best[0], '.2f')} ({best[1]} bits, "
    f"{best[2]} tables).",
)

# %% [markdown] lang="es"
# ## Atención por cubetas
#
# Reformer comparte consultas y claves ($Q = K$, con las claves normalizadas) para que una consulta y sus claves parecidas caigan en la misma cubeta. Después:
#
# 1. asigna una cubeta a cada posición con el *hash* angular;
# 2. ordena las posiciones por cubeta (y, dentro de ella, por posición);
# 3. corta la secuencia ordenada en trozos de $m$ posiciones;
# 4. cada trozo atiende a sí mismo y al trozo anterior, solo a claves de su misma cubeta.
#
# El mayor tensor de puntuaciones pasa de $T \times T$ a $(T/m) \times m \times 2m$, lineal en $T$. Nuestra versión usa una sola ronda de *hash* y deja que una posición se atienda a sí misma (Reformer lo evita salvo si no hay otra clave); ambas simplificaciones están documentadas en [`lsh_attention`](../api/lessons/lsh.md).
#
# La aproximación solo es buena si la atención completa está concentrada en claves parecidas. La probamos con dos secuencias de {{ value: length }} vectores: una formada por {{ value: n_clusters }} grupos de vectores casi paralelos (cada posición atiende sobre todo a su grupo) y otra de vectores al azar, sin estructura. Como valores usamos los propios vectores.

# %% [markdown] lang="en"
# ## Bucketed attention
#
# Reformer shares queries and keys ($Q = K$, with normalized keys) so that a query and its similar keys fall in the same bucket. Then it:
#
# 1. gives each position a bucket with the angular hash;
# 2. sorts the positions by bucket (and, within one, by position);
# 3. cuts the sorted sequence into chunks of $m$ positions;
# 4. lets each chunk attend to itself and to the previous chunk, only to keys of its own bucket.
#
# The largest score tensor goes from $T \times T$ to $(T/m) \times m \times 2m$, linear in $T$. Our version uses a single hash round and lets a position attend to itself (Reformer avoids that unless no other key is available); both simplifications are documented in [`lsh_attention`](../api/lessons/lsh.md).
#
# The approximation is only good if full attention is concentrated on similar keys. We test it on two sequences of {{ value: length }} vectors: one made of {{ value: n_clusters }} groups of nearly parallel vectors (each position attends mostly to its group) and one of random vectors with no structure. The vectors themselves serve as values.

# %%
LENGTH, BUCKETS, CHUNK, CLUSTERS = 2048, 16, 64, 16


def relative_error(approx: torch.Tensor, exact: torch.Tensor) -> float:
    return ((approx - exact).norm() / exact.norm()).item()


clustered = clustered_sequence(LENGTH, DIM, clusters=CLUSTERS, seed=0)  # (T, D)
noise = torch.randn(LENGTH, DIM, generator=generator)
unstructured = DIM * F.normalize(noise, dim=1)  # (2048, 64)
errors = {}
names = {
    "clustered": tr(es=f"{CLUSTERS} grupos", en=f"{CLUSTERS} clusters"),
    "random": tr(es="al azar", en="random"),
}
error_label = tr(
    es="error relativo de la atención LSH frente a la completa",
    en="relative error of LSH attention vs full attention",
)
for key, seq in (("clustered", clustered), ("random", unstructured)):
    exact = full_attention(seq, seq)
    approx = lsh_attention(seq, seq, buckets=BUCKETS, chunk=CHUNK)
    errors[key] = relative_error(approx, exact)
    print(f"{align(names[key], 12)}: {error_label} {number(errors[key])}")
publish("length", LENGTH, ",d")
publish("n_clusters", CLUSTERS)
publish("error_clustered", errors["clustered"])
publish("error_random", errors["random"])
publish("error_ratio", errors["random"] / errors["clustered"], ".0f")
claim(
    "lsh_close_on_clusters",
    errors["clustered"] < 0.1,
    es="en la secuencia agrupada el error relativo queda por debajo de 0,1",
    en="on the clustered sequence the relative error stays below 0.1",
)
claim(
    "lsh_poor_on_random",
    errors["random"] > 5 * errors["clustered"],
    es="en la secuencia al azar el error es más de 5 veces el de la agrupada",
    en="on the random sequence the error is over 5 times the clustered one's",
)

# %% [markdown] lang="es"
# ## Tiempo y memoria al crecer la secuencia
#
# Medimos, para longitudes de {{ value: shortest }} a {{ value: longest }} posiciones, el tiempo de la atención completa y el de la atención por cubetas (el mejor de tres intentos, en la CPU), y el tamaño del mayor tensor de puntuaciones que cada una crea. Los tiempos dependen de la máquina y varían entre ejecuciones; los tamaños no.

# %% [markdown] lang="en"
# ## Time and memory as the sequence grows
#
# For lengths from {{ value: shortest }} to {{ value: longest }} positions we measure the time of full attention and of bucketed attention (best of three tries, on the CPU), and the size of the largest score tensor each creates. Times depend on the machine and vary between runs; sizes do not.


# %%
def best_time(function, *args, repeats: int = 3, **kwargs) -> float:
    """Fastest of ``repeats`` calls, in seconds: the least disturbed one."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


lengths = [512, 1024, 2048, 4096, 8192]
timing = {"full": [], "lsh": []}
score_mb = {"full": [], "lsh": []}
length_errors = []
print(
    align(tr(es="longitud", en="length"), 8),
    align(tr(es="completa", en="full"), 11),
    align("LSH", 10),
    align(tr(es="puntuaciones, completa / LSH", en="scores, full / LSH"), 28),
    align("error", 8),
)
for length in lengths:
    seq = clustered_sequence(length, DIM, clusters=CLUSTERS, seed=0)
    timing["full"].append(best_time(full_attention, seq, seq))
    lsh_time = best_time(lsh_attention, seq, seq, buckets=BUCKETS, chunk=CHUNK)
    timing["lsh"].append(lsh_time)
    score_mb["full"].append(length * length * 4 / 2**20)  # float32 (T, T)
    score_mb["lsh"].append(length * 2 * CHUNK * 4 / 2**20)  # (T/m, m, 2m)
    approx = lsh_attention(seq, seq, buckets=BUCKETS, chunk=CHUNK)
    length_errors.append(relative_error(approx, full_attention(seq, seq)))
    print(
        f"{length:8d} {number(timing['full'][-1] * 1e3, '8.1f')} ms "
        f"{number(timing['lsh'][-1] * 1e3, '7.1f')} ms "
        f"{number(score_mb['full'][-1], '14.1f')} MB / "
        f"{number(score_mb['lsh'][-1], '5.2f')} MB "
        f"{number(length_errors[-1], '8.3f')}"
    )
ratio = timing["full"][-1] / timing["lsh"][-1]
growth_full = timing["full"][-1] / timing["full"][-2]
growth_lsh = timing["lsh"][-1] / timing["lsh"][-2]
publish("shortest", lengths[0])
publish("longest", lengths[-1], ",d")
publish("speedup_longest", ratio, ".0f")
publish("growth_full", growth_full, ".1f")
publish("growth_lsh", growth_lsh, ".1f")
publish("error_min", min(length_errors))
publish("error_max", max(length_errors))
claim(
    "lsh_faster_longest",
    ratio > 2,
    es="en la secuencia más larga, la atención LSH es más del doble de rápida",
    en="on the longest sequence LSH attention is more than twice as fast",
)
claim(
    "full_time_grows_faster",
    growth_full > growth_lsh,
    es="entre las dos mayores longitudes, la completa se ralentiza más que LSH",
    en="between the two longest lengths, full attention slows more than LSH",
)
claim(
    "error_steady",
    max(length_errors) < 1.5 * min(length_errors),
    es="el mayor error en las cinco longitudes es menos de 1,5 veces el menor",
    en="over the five lengths the largest error is under 1.5 times the least",
)

fig, (ax_time, ax_mem) = new_figure(ncols=2, width=5.2, height=3.8)
curves = (
    ("full", PALETTE[3], tr(es="completa", en="full")),
    ("lsh", PALETTE[0], "LSH"),
)
for key, colour, label in curves:
    milliseconds = [t * 1e3 for t in timing[key]]
    ax_time.plot(lengths, milliseconds, "o-", color=colour, label=label)
    ax_mem.plot(lengths, score_mb[key], "o-", color=colour, label=label)
panels = (
    (
        ax_time,
        tr(es="Tiempo", en="Time"),
        tr(es="milisegundos (log)", en="milliseconds (log)"),
    ),
    (ax_mem, tr(es="Memoria de puntuaciones", en="Score memory"), "MB (log)"),
)
for ax, title, ylabel in panels:
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set(
        title=title,
        xlabel=tr(es="longitud T (log)", en="length T (log)"),
        ylabel=ylabel,
    )
    ax.legend()
longest = number(lengths[-1], ",d")
full_mb = [number(score_mb["full"][i], ".0f") for i in (0, -1)]
lsh_mb = [number(score_mb["lsh"][0], ".2f"), number(score_mb["lsh"][-1], ".0f")]
set_alt(
    fig,
    es=f"Dos gráficos log-log frente a la longitud, de {lengths[0]} a "
    f"{longest}."
    " "
    "Izquierda: tiempo de la atención completa y de la atención LSH; en "
    f"{longest} posiciones la completa tardó {number(ratio, '.0f')} veces más "
    "en esta ejecución. Derecha: memoria del mayor tensor de puntuaciones, de "
    f"{full_mb[0]} a {full_mb[1]} MB para la completa (crece con T²) y de "
    f"{lsh_mb[0]} a {lsh_mb[1]} MB para LSH (crece con T).",
    en=f"Two log-log plots against length, from {lengths[0]} to {longest}. "
    "Left: time of full attention and of LSH attention; at "
    f"{longest} positions full attention took {number(ratio, '.0f')} times "
    "longer in this run. Right: memory of the largest score tensor, from "
    f"{full_mb[0]} to {full_mb[1]} MB for full attention (grows with T²) and "
    f"from {lsh_mb[0]} to {lsh_mb[1]} MB for LSH (grows with T).",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - La fracción medida de hiperplanos que no separan dos vectores sigue la recta $1 - \theta/\pi$ en todo el rango de ángulos (la mayor diferencia es {{ value: worst_gap }}) {{ claim: formula_holds }}: la propiedad en que se apoya todo lo demás.
# - En la búsqueda de vecinos, más bits por código hacen las cubetas más pequeñas (se compara menos, pero se pierden vecinos) {{ claim: more_bits_fewer }} y más tablas devuelven la exhaustividad a cambio de comparar más {{ claim: more_tables_more }}. Ninguna configuración es gratis: se elige un punto de la curva. Comparando menos del {{ value: share_limit }} del conjunto, la mejor aquí es la de {{ value: best_bits }} bits y {{ value: best_tables }} tablas: exhaustividad {{ value: best_recall }} comparando el {{ value: best_share }}.
# - En la secuencia agrupada, la atención por cubetas queda cerca de la completa (error relativo {{ value: error_clustered }}) {{ claim: lsh_close_on_clusters }}; en la aleatoria el error es mucho mayor, {{ value: error_random }}, unas {{ value: error_ratio }} veces más {{ claim: lsh_poor_on_random }}. LSH solo ahorra trabajo sin perder calidad cuando la atención de verdad está concentrada en pocas claves parecidas.
# - La memoria de puntuaciones de la atención completa se multiplica por 4 cada vez que se dobla $T$; la de LSH, por 2. El tiempo medido va en la misma dirección: con {{ value: longest }} posiciones la atención LSH fue {{ value: speedup_longest }} veces más rápida {{ claim: lsh_faster_longest }}, y al pasar de la penúltima a la última longitud el tiempo de la completa se multiplicó por {{ value: growth_full }} y el de LSH por {{ value: growth_lsh }} {{ claim: full_time_grows_faster }}. El error apenas cambia con la longitud: va de {{ value: error_min }} a {{ value: error_max }} {{ claim: error_steady }}.

# %% [markdown] lang="en"
# ## What to notice
#
# - The measured fraction of hyperplanes that do not separate two vectors follows the line $1 - \theta/\pi$ over the whole range of angles (the largest gap is {{ value: worst_gap }}) {{ claim: formula_holds }}: the property everything else rests on.
# - In neighbor search, more bits per code make buckets smaller (less is compared, but neighbors are lost) {{ claim: more_bits_fewer }} and more tables bring recall back at the price of comparing more {{ claim: more_tables_more }}. No setting is free: one picks a point on the curve. Comparing less than {{ value: share_limit }} of the set, the best one here has {{ value: best_bits }} bits and {{ value: best_tables }} tables: a recall of {{ value: best_recall }} comparing {{ value: best_share }} of it.
# - On the clustered sequence, bucketed attention stays close to full attention (relative error {{ value: error_clustered }}) {{ claim: lsh_close_on_clusters }}; on the random one the error is much larger, {{ value: error_random }}, some {{ value: error_ratio }} times more {{ claim: lsh_poor_on_random }}. LSH only saves work without losing quality when attention really is concentrated on a few similar keys.
# - The score memory of full attention is multiplied by 4 each time $T$ doubles; that of LSH, by 2. The measured time goes the same way: with {{ value: longest }} positions LSH attention was {{ value: speedup_longest }} times faster {{ claim: lsh_faster_longest }}, and from the second-longest to the longest length the time of full attention was multiplied by {{ value: growth_full }} and that of LSH by {{ value: growth_lsh }} {{ claim: full_time_grows_faster }}. The error barely changes with the length: it goes from {{ value: error_min }} to {{ value: error_max }} {{ claim: error_steady }}.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Con la fórmula de la idea, ¿qué probabilidad tiene un vecino a 30° de aparecer en alguna de 8 tablas de 8 bits? ¿Y uno a 90°?
# 2. Calcula cuántas posiciones caen en cada cubeta de la secuencia agrupada de {{ value: length }} posiciones (usa `angular_buckets`). ¿Hay cubetas vacías? ¿Por qué puede pasar con {{ value: n_clusters }} grupos y {{ value: n_buckets }} cubetas?
# 3. Repite la comparación de error con `chunk=16` y con `chunk=256` en la secuencia agrupada. ¿Qué cambia y por qué?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. With the formula from the idea, what is the probability that a neighbor at 30° shows up in at least one of 8 tables of 8 bits? And one at 90°?
# 2. Count how many positions fall in each bucket of the clustered sequence of {{ value: length }} positions (use `angular_buckets`). Are there empty buckets? Why can that happen with {{ value: n_clusters }} groups and {{ value: n_buckets }} buckets?
# 3. Repeat the error comparison with `chunk=16` and with `chunk=256` on the clustered sequence. What changes, and why?

# %% [markdown] lang="es" solution="1"
# A 30° la probabilidad por bit es $5/6$, el código de 8 bits coincide con probabilidad {{ value: p30_code }} y con 8 tablas aparece con probabilidad {{ value: p30_tables }}. A 90° el bit coincide la mitad de las veces, el código con probabilidad $1/256$ y con 8 tablas solo {{ value: p90_tables }}: las tablas recuperan los vecinos cercanos sin traer a los lejanos {{ claim: tables_near_not_far }}. Un experimento con {{ value: trials }} juegos de 8 tablas de hiperplanos aleatorios da {{ value: p30_sim }} y {{ value: p90_sim }}, como predice la fórmula {{ claim: tables_simulated }}.

# %% [markdown] lang="en" solution="1"
# At 30° the probability per bit is $5/6$, the 8-bit code matches with probability {{ value: p30_code }} and with 8 tables the neighbor shows up with probability {{ value: p30_tables }}. At 90° the bit matches half of the time, the code with probability $1/256$, and with 8 tables only {{ value: p90_tables }}: the tables recover close neighbors without bringing in distant ones {{ claim: tables_near_not_far }}. An experiment with {{ value: trials }} sets of 8 tables of random hyperplanes gives {{ value: p30_sim }} and {{ value: p90_sim }}, as the formula predicts {{ claim: tables_simulated }}.

# %% solution="1"
TRIALS = 2000
formula_p, simulated_p = {}, {}
for degrees in (30, 90):
    p = 1 - math.radians(degrees) / math.pi  # one bit matches
    formula_p[degrees] = (p**8, 1 - (1 - p**8) ** 8)  # a code, any of 8 tables
    theta = math.radians(degrees)
    y = math.cos(theta) * x + math.sin(theta) * ortho
    trial_planes = random_planes(DIM, TRIALS * 8 * 8, seed=2 + degrees)
    same = torch.sign(x @ trial_planes) == torch.sign(y @ trial_planes)
    code_match = same.reshape(TRIALS, 8, 8).all(dim=2)  # (trials, tables)
    simulated_p[degrees] = code_match.any(dim=1).float().mean().item()
    print(
        f"{degrees}°: {tr(es='código', en='code')} {number(p**8, '.4f')} · "
        f"{tr(es='8 tablas', en='8 tables')} {number(formula_p[degrees][1])} · "
        f"{tr(es='simulado', en='simulated')} {number(simulated_p[degrees])}"
    )
publish("p30_code", formula_p[30][0])
publish("p30_tables", formula_p[30][1], ".2f")
publish("p90_tables", formula_p[90][1])
publish("trials", TRIALS, ",d")
publish("p30_sim", simulated_p[30], ".2f")
publish("p90_sim", simulated_p[90])
claim(
    "tables_near_not_far",
    formula_p[30][1] > 0.8 and formula_p[90][1] < 0.05,
    es="con 8 tablas de 8 bits, un vecino a 30° aparece con probabilidad mayor "
    "que 0,8 y uno a 90°, menor que 0,05",
    en="with 8 tables of 8 bits a neighbor at 30° shows up with probability "
    "above 0.8, and one at 90° below 0.05",
)
claim(
    "tables_simulated",
    all(abs(simulated_p[d] - formula_p[d][1]) < 0.03 for d in (30, 90)),
    es="las frecuencias simuladas están a menos de 0,03 de la fórmula",
    en="the simulated frequencies are within 0.03 of the formula",
)

# %% [markdown] lang="es" solution="2"
# Los vectores de un grupo tienden a caer en la misma cubeta: de media, el {{ value: mean_together }} de las posiciones de un grupo comparten su cubeta mayoritaria, cuando un *hash* al azar daría un {{ value: chance_share }} {{ claim: groups_mostly_together }}. Pero un grupo cuya dirección cae cerca de la frontera entre dos cubetas se parte: el peor conserva solo el {{ value: min_together }} en la suya {{ claim: some_group_split }}. Y el *hash* no sabe cuántos grupos hay: la cubeta más llena reúne {{ value: fullest_bucket }} posiciones, más que cualquier grupo (el mayor tiene {{ value: largest_group }}), así que mezcla varios, mientras que la más vacía tiene {{ value: emptiest_bucket }} (cubetas vacías: {{ value: empty_buckets }}) {{ claim: buckets_uneven }}. No es grave para la calidad, porque dentro de una cubeta la softmax sigue favoreciendo las claves del propio grupo (el error relativo de la secuencia agrupada era {{ value: error_clustered }}); sí lo es para el coste, porque una cubeta llena se reparte entre varios trozos: la más llena ocupa {{ value: fullest_chunks }} trozos de {{ value: chunk }} {{ claim: fullest_spans_chunks }}.

# %% [markdown] lang="en" solution="2"
# The vectors of one group tend to fall in the same bucket: on average {{ value: mean_together }} of a group's positions share its majority bucket, where a random hash would give {{ value: chance_share }} {{ claim: groups_mostly_together }}. But a group whose direction lies near the border between two buckets is split: the worst keeps only {{ value: min_together }} in its own {{ claim: some_group_split }}. And the hash does not know how many groups there are: the fullest bucket gathers {{ value: fullest_bucket }} positions, more than any group (the largest has {{ value: largest_group }}), so it mixes several, while the emptiest holds {{ value: emptiest_bucket }} (empty buckets: {{ value: empty_buckets }}) {{ claim: buckets_uneven }}. That is harmless for quality, because within a bucket the softmax still favors the keys of the query's own group (the clustered sequence's relative error was {{ value: error_clustered }}); it matters for cost, because a full bucket spreads over several chunks: the fullest takes up {{ value: fullest_chunks }} chunks of {{ value: chunk }} {{ claim: fullest_spans_chunks }}.

# %% solution="2"
from dlcourse.lessons.lsh import angular_buckets

bucket_of = angular_buckets(clustered, BUCKETS, seed=0)  # (2048,)
counts = torch.bincount(bucket_of, minlength=BUCKETS)  # (16,)
per_bucket = tr(es="posiciones por cubeta", en="positions per bucket")
print(per_bucket, counts.tolist())
# Groups, recovered from the vectors: nearly parallel means the same group.
unit = F.normalize(clustered, dim=1)
group_of = (unit @ unit.T > 0.8).float().argmax(dim=1)  # first similar row
together, sizes = [], []
for group in group_of.unique():
    buckets_here = bucket_of[group_of == group]
    majority = buckets_here.mode().values
    together.append((buckets_here == majority).float().mean().item())
    sizes.append(len(buckets_here))
mean_together = sum(together) / len(together)
fullest, emptiest = int(counts.max()), int(counts.min())
print(
    tr(es="grupos encontrados", en="groups found"),
    len(together),
    "·",
    tr(es="en la cubeta mayoritaria", en="in the majority bucket"),
    f"{percent(min(together))} … {percent(max(together))}",
)
publish("mean_together", percent(mean_together))
publish("chance_share", percent(1 / BUCKETS, 1))
publish("min_together", percent(min(together)))
publish("n_buckets", BUCKETS)
publish("fullest_bucket", fullest)
publish("largest_group", max(sizes))
publish("emptiest_bucket", emptiest)
publish("empty_buckets", int((counts == 0).sum()))
publish("fullest_chunks", fullest / CHUNK, ".1f")
publish("chunk", CHUNK)
claim(
    "groups_mostly_together",
    len(together) == CLUSTERS and mean_together > 0.6,
    es=f"se recuperan los {CLUSTERS} grupos y, de media, más del 60 % de "
    "cada uno cae en una sola cubeta",
    en=f"the {CLUSTERS} groups are recovered and on average over 60% of each "
    "falls in a single bucket",
)
claim(
    "some_group_split",
    min(together) < 0.9,
    es="algún grupo deja más del 10 % de sus posiciones fuera de su cubeta",
    en="some group has less than 90% of its positions in its majority bucket",
)
claim(
    "buckets_uneven",
    fullest > max(sizes) and emptiest < 0.1 * LENGTH / BUCKETS,
    es="la cubeta más llena supera al mayor grupo y la más vacía no llega a "
    "una décima parte de la media",
    en="the fullest bucket exceeds the largest group and the emptiest holds "
    "under a tenth of the average",
)
claim(
    "fullest_spans_chunks",
    fullest > CHUNK,
    es="la cubeta más llena tiene más posiciones que un trozo",
    en="the fullest bucket holds more positions than one chunk",
)

# %% [markdown] lang="es" solution="3"
# Con trozos de 16 cada consulta ve como mucho {{ value: keys_16 }} claves de su cubeta, y el error sube a {{ value: error_chunk_16 }}; con 256 ve hasta {{ value: keys_256 }} y baja a {{ value: error_chunk_256 }}, frente a {{ value: error_clustered }} con {{ value: chunk }} {{ claim: chunk_tradeoff }}, pero el tensor de puntuaciones es {{ value: memory_256 }} veces mayor que con {{ value: chunk }}. El tamaño del trozo es el compromiso entre calidad y memoria.

# %% [markdown] lang="en" solution="3"
# With chunks of 16 each query sees at most {{ value: keys_16 }} keys of its bucket, and the error rises to {{ value: error_chunk_16 }}; with 256 it sees up to {{ value: keys_256 }} and the error falls to {{ value: error_chunk_256 }}, against {{ value: error_clustered }} with {{ value: chunk }} {{ claim: chunk_tradeoff }}, but the score tensor is {{ value: memory_256 }} times larger than with {{ value: chunk }}. The chunk size is the trade-off between quality and memory.

# %% solution="3"
reference = full_attention(clustered, clustered)
chunk_errors = {CHUNK: errors["clustered"]}
for chunk in (16, 256):
    approx = lsh_attention(clustered, clustered, buckets=BUCKETS, chunk=chunk)
    chunk_errors[chunk] = relative_error(approx, reference)
for chunk in sorted(chunk_errors):
    scores_mb = LENGTH * 2 * chunk * 4 / 2**20  # (T/m, m, 2m) float32
    print(
        f"chunk={chunk:<4} {tr(es='claves', en='keys')} ≤ {2 * chunk:<4} "
        f"error {number(chunk_errors[chunk])} · "
        f"{tr(es='puntuaciones', en='scores')} {number(scores_mb, '.2f')} MB"
    )
publish("keys_16", 2 * 16)
publish("keys_256", 2 * 256)
publish("error_chunk_16", chunk_errors[16])
publish("error_chunk_256", chunk_errors[256])
publish("memory_256", (LENGTH * 2 * 256) // (LENGTH * 2 * CHUNK))
claim(
    "chunk_tradeoff",
    chunk_errors[16] > chunk_errors[CHUNK] > chunk_errors[256],
    es="el error con chunk=16 es mayor que con 64, y con 256 es menor",
    en="the error with chunk=16 is larger than with 64, and with 256 smaller",
)
