# ---
# jupyter:
#   lesson:
#     title:
#       es: Secuencias largas y LSH
#       en: Long sequences and LSH
#     summary:
#       es: Hashing sensible a la localidad con hiperplanos aleatorios para buscar vecinos, y atención restringida a cubetas como en Reformer, medida frente a la atención completa.
#       en: Locality-sensitive hashing with random hyperplanes for neighbour search, and bucket-restricted attention as in Reformer, measured against full attention.
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
#     - Search for nearest neighbours with hash tables and measure the trade-off between **recall** and the fraction of the data compared.
#     - Build Reformer's bucketed attention and measure its error, time and memory against full attention as the sequence grows.
#
# Related paper: [note on *Reformer*](../papers/reformer.md), and the one on the [Transformer](../papers/transformer.md) for full attention. Graphical explanations of LSH in [Resources](../resources.md). API reference: [`dlcourse.lessons.lsh`](../api/lessons/lsh.md).

# %% [markdown] lang="es"
# ## La idea
#
# La atención de un Transformer compara cada posición con todas las demás: con $T$ posiciones calcula una matriz de $T \times T$ puntuaciones, y tiempo y memoria crecen con $T^2$. Pero tras el softmax casi todo el peso suele recaer en unas pocas claves, las más parecidas a la consulta. Si pudiéramos encontrar esas claves **sin compararlas todas**, bastaría con atender a ellas. Eso es un problema de búsqueda de vecinos cercanos, y el *hashing* sensible a la localidad (LSH) lo resuelve de forma aproximada.
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
# A Transformer's attention compares every position with every other: with $T$ positions it computes a $T \times T$ matrix of scores, and time and memory grow with $T^2$. Yet after the softmax almost all the weight usually lands on a few keys, those most similar to the query. If we could find those keys **without comparing them all**, attending to them would be enough. That is a nearest-neighbour search problem, and locality-sensitive hashing (LSH) solves it approximately.
#
# Take a random vector $\mathbf{r}$ (the normal of a hyperplane through the origin) and give each vector the bit $\operatorname{sign}(\mathbf{r}^\top\mathbf{x})$. Two vectors at angle $\theta$ get the same bit with probability
#
# $$
# \Pr\big[\operatorname{sign}(\mathbf{r}^\top\mathbf{x}) = \operatorname{sign}(\mathbf{r}^\top\mathbf{y})\big] = 1 - \frac{\theta}{\pi},
# $$
#
# because the hyperplane separates them only if it falls inside the angle between them (Charikar, 2002). With $k$ independent hyperplanes the $k$-bit code matches with probability $(1-\theta/\pi)^k$: long codes separate distant vectors better but also lose neighbours. With $L$ independent tables a neighbour shows up in at least one of them with probability
#
# $$
# 1 - \Big(1 - \big(1 - \tfrac{\theta}{\pi}\big)^k\Big)^L .
# $$
#
# Reformer (Kitaev, Kaiser and Levskaya, 2020) uses a variant, $h(\mathbf{x}) = \arg\max\,[\mathbf{x}^\top R;\, -\mathbf{x}^\top R]$ with a random $R$, to spread queries and keys over buckets, and computes attention only within each bucket.

# %% [markdown] lang="es"
# ## La probabilidad de colisión, comprobada
#
# Construimos pares de vectores de 64 dimensiones con ángulos conocidos y contamos en cuántos de 4.000 hiperplanos aleatorios caen del mismo lado.
#
# Los hiperplanos y los códigos vienen de `dlcourse.lessons.lsh`:
#
# {{ source: dlcourse.lessons.lsh.random_planes }}
#
# {{ source: dlcourse.lessons.lsh.hyperplane_codes }}

# %% [markdown] lang="en"
# ## The collision probability, checked
#
# We build pairs of 64-dimensional vectors at known angles and count on how many of 4,000 random hyperplanes they fall on the same side.
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
ortho = F.normalize(ortho - (ortho @ x) * x, dim=0)  # unit vector perpendicular to x
planes = random_planes(DIM, PLANES, seed=1)  # (64, 4000)
angles = np.linspace(0, math.pi, 13)
measured = []
for theta in angles:
    y = math.cos(theta) * x + math.sin(theta) * ortho  # at angle theta from x
    same_side = (torch.sign(x @ planes) == torch.sign(y @ planes)).float().mean().item()
    measured.append(same_side)
print("angle (degrees)   measured   1 - θ/π")
for theta, value in zip(angles, measured, strict=True):
    print(f"{math.degrees(theta):15.0f}   {value:8.3f}   {1 - theta / math.pi:7.3f}")
worst = max(abs(m - (1 - t / math.pi)) for m, t in zip(measured, angles, strict=True))
print(f"largest gap between measurement and formula: {worst:.3f}")

fig, ax = new_figure(width=5.8, height=3.8)
fine = np.linspace(0, math.pi, 100)
ax.plot(np.degrees(fine), 1 - fine / math.pi, color=PALETTE[0], label="1 − θ/π")
ax.plot(np.degrees(angles), measured, "o", color=PALETTE[3], label="medido / measured")
for k, colour in ((4, PALETTE[2]), (8, PALETTE[1])):
    ax.plot(
        np.degrees(fine),
        (1 - fine / math.pi) ** k,
        "--",
        color=colour,
        label=f"{k} bits: (1 − θ/π)^{k}",
    )
ax.set(
    title="Colisión por ángulo / Collision by angle",
    xlabel="ángulo entre vectores (grados) / angle between vectors (degrees)",
    ylabel="probabilidad de colisión / collision probability",
)
ax.legend()
set_alt(
    fig,
    es=f"La fracción medida de hiperplanos que dejan dos vectores del mismo lado sigue la recta 1 − θ/π desde 1 a 0° hasta 0 a 180°, con una diferencia máxima de {worst:.3f}. Las curvas discontinuas para códigos de 4 y 8 bits caen mucho más deprisa con el ángulo.",
    en=f"The measured fraction of hyperplanes that leave two vectors on the same side follows the line 1 − θ/π from 1 at 0° to 0 at 180°, with a largest gap of {worst:.3f}. The dashed curves for 4- and 8-bit codes fall much faster with the angle.",
)

# %% [markdown] lang="es"
# ## Buscar vecinos con tablas de *hash*
#
# Indexamos las 1.347 imágenes de entrenamiento de los dígitos (vectores de 64 píxeles, centrados) y, para 200 imágenes de validación, buscamos sus 10 vecinos más parecidos por coseno. La respuesta exacta compara cada consulta con todo el conjunto. El índice LSH compara solo con las imágenes que comparten cubeta en alguna tabla. Medimos la **exhaustividad@10** (qué fracción de los 10 vecinos verdaderos encuentra) y qué fracción del conjunto tuvo que comparar.

# %% [markdown] lang="en"
# ## Searching neighbours with hash tables
#
# We index the 1,347 training images of the digits (64-pixel vectors, centred) and, for 200 validation images, look for their 10 most cosine-similar neighbours. The exact answer compares each query with the whole set. The LSH index compares only with the images that share a bucket in some table. We measure **recall@10** (which fraction of the 10 true neighbours it finds) and which fraction of the set it had to compare.

# %%
split = digits_split()
mean = split.x_train.mean(dim=0)
data, queries = split.x_train - mean, split.x_val[:200] - mean  # (1347, 64), (200, 64)
truth = exact_neighbours(data, queries, k=10)  # (200, 10)
results = {}
print("bits  tables   recall@10   share of the data compared")
for bits in (4, 8, 12):
    for tables in (1, 2, 4, 8, 16):
        index = HyperplaneIndex.build(data, bits=bits, tables=tables, seed=0)
        results[bits, tables] = recall_and_cost(index, queries, truth)
        recall, scanned = results[bits, tables]
        print(f"{bits:4d}  {tables:6d}   {recall:9.3f}   {scanned:10.1%}")

fig, ax = new_figure(width=5.8, height=3.8)
for k, bits in enumerate((4, 8, 12)):
    points = [results[bits, tables] for tables in (1, 2, 4, 8, 16)]
    ax.plot(
        [s for _, s in points], [r for r, _ in points], "o-", color=PALETTE[k], label=f"{bits} bits"
    )
ax.set_xscale("log")
ax.set(
    title="Exhaustividad frente a coste / Recall versus cost",
    xlabel="fracción comparada (log) / share compared (log)",
    ylabel="exhaustividad@10 / recall@10",
)
ax.legend(title="1, 2, 4, 8, 16 tablas / tables")
best = max((r, b, t) for (b, t), (r, _) in results.items() if results[b, t][1] < 0.15)
set_alt(
    fig,
    es="Curvas de exhaustividad@10 frente a la fracción del conjunto comparada, en escala logarítmica, para códigos de 4, 8 y 12 bits con 1 a 16 tablas. Cada curva sube al añadir tablas. "
    + f"Comparando menos del 15 % de los datos, la mejor exhaustividad es {best[0]:.2f} ({best[1]} bits, {best[2]} tablas).",
    en="Curves of recall@10 against the share of the set compared, on a log scale, for 4-, 8- and 12-bit codes with 1 to 16 tables. Each curve rises as tables are added. "
    + f"Comparing less than 15 % of the data, the best recall is {best[0]:.2f} ({best[1]} bits, {best[2]} tables).",
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
# La aproximación solo es buena si la atención completa está concentrada en claves parecidas. La probamos con dos secuencias de 2.048 vectores: una formada por 16 grupos de vectores casi paralelos (cada posición atiende sobre todo a su grupo) y otra de vectores al azar, sin estructura. Como valores usamos los propios vectores.

# %% [markdown] lang="en"
# ## Bucketed attention
#
# Reformer shares queries and keys ($Q = K$, with normalised keys) so that a query and its similar keys fall in the same bucket. Then it:
#
# 1. gives each position a bucket with the angular hash;
# 2. sorts the positions by bucket (and, within one, by position);
# 3. cuts the sorted sequence into chunks of $m$ positions;
# 4. lets each chunk attend to itself and to the previous chunk, only to keys of its own bucket.
#
# The largest score tensor goes from $T \times T$ to $(T/m) \times m \times 2m$, linear in $T$. Our version uses a single hash round and lets a position attend to itself (Reformer avoids that unless no other key is available); both simplifications are documented in [`lsh_attention`](../api/lessons/lsh.md).
#
# The approximation is only good if full attention is concentrated on similar keys. We test it on two sequences of 2,048 vectors: one made of 16 groups of nearly parallel vectors (each position attends mostly to its group) and one of random vectors with no structure. The vectors themselves serve as values.

# %%
LENGTH, BUCKETS, CHUNK = 2048, 16, 64


def relative_error(approx: torch.Tensor, exact: torch.Tensor) -> float:
    return ((approx - exact).norm() / exact.norm()).item()


clustered = clustered_sequence(LENGTH, DIM, clusters=16, seed=0)  # (2048, 64)
unstructured = DIM * F.normalize(torch.randn(LENGTH, DIM, generator=generator), dim=1)
errors = {}
for name, seq in (("16 clusters", clustered), ("random", unstructured)):
    exact = full_attention(seq, seq)
    errors[name] = relative_error(lsh_attention(seq, seq, buckets=BUCKETS, chunk=CHUNK), exact)
    print(f"{name:>12}: relative error of LSH attention vs full attention {errors[name]:.3f}")

# %% [markdown] lang="es"
# ## Tiempo y memoria al crecer la secuencia
#
# Medimos, para longitudes de 512 a 8.192 posiciones, el tiempo de la atención completa y el de la atención por cubetas (el mejor de tres intentos, en la CPU), y el tamaño del mayor tensor de puntuaciones que cada una crea. Los tiempos dependen de la máquina y varían entre ejecuciones; los tamaños no.

# %% [markdown] lang="en"
# ## Time and memory as the sequence grows
#
# For lengths from 512 to 8,192 positions we measure the time of full attention and of bucketed attention (best of three tries, on the CPU), and the size of the largest score tensor each creates. Times depend on the machine and vary between runs; sizes do not.


# %%
def best_time(function, *args, repeats: int = 3, **kwargs) -> float:
    """Fastest of ``repeats`` calls, in seconds: the least disturbed by other work."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


lengths = [512, 1024, 2048, 4096, 8192]
timing = {"full": [], "lsh": []}
score_mb = {"full": [], "lsh": []}
print("length   full attention   LSH attention   largest score tensor (full / LSH)   error")
for length in lengths:
    seq = clustered_sequence(length, DIM, clusters=16, seed=0)
    timing["full"].append(best_time(full_attention, seq, seq))
    timing["lsh"].append(best_time(lsh_attention, seq, seq, buckets=BUCKETS, chunk=CHUNK))
    score_mb["full"].append(length * length * 4 / 2**20)  # float32 (T, T)
    score_mb["lsh"].append(length * 2 * CHUNK * 4 / 2**20)  # (T/m, m, 2m)
    error = relative_error(
        lsh_attention(seq, seq, buckets=BUCKETS, chunk=CHUNK), full_attention(seq, seq)
    )
    print(
        f"{length:6d}   {timing['full'][-1] * 1e3:11.1f} ms   {timing['lsh'][-1] * 1e3:10.1f} ms"
        f"   {score_mb['full'][-1]:12.1f} MB / {score_mb['lsh'][-1]:5.2f} MB   {error:10.3f}"
    )

fig, (ax_time, ax_mem) = new_figure(ncols=2, width=5.2, height=3.8)
for key, colour, label in (("full", PALETTE[3], "completa / full"), ("lsh", PALETTE[0], "LSH")):
    ax_time.plot(lengths, [t * 1e3 for t in timing[key]], "o-", color=colour, label=label)
    ax_mem.plot(lengths, score_mb[key], "o-", color=colour, label=label)
for ax, title, ylabel in (
    (ax_time, "Tiempo / Time", "milisegundos (log) / milliseconds (log)"),
    (ax_mem, "Memoria de puntuaciones / Score memory", "MB (log)"),
):
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set(title=title, xlabel="longitud T (log) / length T (log)", ylabel=ylabel)
    ax.legend()
ratio = timing["full"][-1] / timing["lsh"][-1]
set_alt(
    fig,
    es=f"Dos gráficos log-log frente a la longitud, de 512 a 8.192. Izquierda: tiempo de la atención completa y de la atención LSH; en 8.192 posiciones la completa tardó {ratio:.0f} veces más en esta ejecución. "
    + f"Derecha: memoria del mayor tensor de puntuaciones, de {score_mb['full'][0]:.0f} a {score_mb['full'][-1]:.0f} MB para la completa (crece con T²) y de {score_mb['lsh'][0]:.2f} a {score_mb['lsh'][-1]:.0f} MB para LSH (crece con T).",
    en=f"Two log-log plots against length, from 512 to 8,192. Left: time of full attention and of LSH attention; at 8,192 positions full attention took {ratio:.0f} times longer in this run. "
    + f"Right: memory of the largest score tensor, from {score_mb['full'][0]:.0f} to {score_mb['full'][-1]:.0f} MB for full attention (grows with T²) and from {score_mb['lsh'][0]:.2f} to {score_mb['lsh'][-1]:.0f} MB for LSH (grows with T).",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - La fracción medida de hiperplanos que no separan dos vectores sigue la recta $1 - \theta/\pi$ en todo el rango de ángulos: la propiedad en que se apoya todo lo demás.
# - En la búsqueda de vecinos, más bits por código hacen las cubetas más pequeñas (se compara menos, pero se pierden vecinos) y más tablas devuelven la exhaustividad a cambio de comparar más. Ninguna configuración es gratis: se elige un punto de la curva.
# - En la secuencia agrupada, la atención por cubetas queda cerca de la completa; en la aleatoria el error es mucho mayor. LSH solo ahorra trabajo sin perder calidad cuando la atención de verdad está concentrada en pocas claves parecidas.
# - La memoria de puntuaciones de la atención completa se multiplica por 4 cada vez que se dobla $T$; la de LSH, por 2. El tiempo sigue la misma tendencia en cuanto $T$ es grande, y el error apenas cambia con la longitud.

# %% [markdown] lang="en"
# ## What to notice
#
# - The measured fraction of hyperplanes that do not separate two vectors follows the line $1 - \theta/\pi$ over the whole range of angles: the property everything else rests on.
# - In neighbour search, more bits per code make buckets smaller (less is compared, but neighbours are lost) and more tables bring recall back at the price of comparing more. No setting is free: one picks a point on the curve.
# - On the clustered sequence, bucketed attention stays close to full attention; on the random one the error is much larger. LSH only saves work without losing quality when attention really is concentrated on a few similar keys.
# - The score memory of full attention is multiplied by 4 each time $T$ doubles; that of LSH, by 2. Time follows the same trend once $T$ is large, and the error barely changes with the length.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Con la fórmula de la idea, ¿qué probabilidad tiene un vecino a 30° de aparecer en alguna de 8 tablas de 8 bits? ¿Y uno a 90°?
# 2. Calcula cuántas posiciones caen en cada cubeta de la secuencia agrupada de 2.048 posiciones (usa `angular_buckets`). ¿Hay cubetas vacías? ¿Por qué puede pasar con 16 grupos y 16 cubetas?
# 3. Repite la comparación de error con `chunk=16` y con `chunk=256` en la secuencia agrupada. ¿Qué cambia y por qué?
#
# ??? success "Solución 1"
#     ```python
#     for degrees in (30, 90):
#         p = 1 - math.radians(degrees) / math.pi
#         print(degrees, 1 - (1 - p**8) ** 8)
#     ```
#     A 30° la probabilidad por bit es $5/6$, el código de 8 bits coincide con probabilidad $0{,}233$ y con 8 tablas aparece con probabilidad $0{,}88$. A 90° el bit coincide la mitad de las veces, el código con probabilidad $1/256$ y con 8 tablas solo $0{,}031$: las tablas recuperan los vecinos cercanos sin traer a los lejanos.
#
# ??? success "Solución 2"
#     ```python
#     from dlcourse.lessons.lsh import angular_buckets
#     print(torch.bincount(angular_buckets(clustered, 16, seed=0), minlength=16).tolist())
#     ```
#     Los vectores de un grupo tienden a caer en la misma cubeta, pero el *hash* no sabe cuántos grupos hay: dos grupos pueden compartir cubeta y otras quedar vacías. No es grave para la calidad, porque dentro de una cubeta el softmax sigue favoreciendo las claves del propio grupo; sí lo es para el coste, porque una cubeta llena se reparte entre varios trozos.
#
# ??? success "Solución 3"
#     ```python
#     for chunk in (16, 256):
#         approx = lsh_attention(clustered, clustered, buckets=16, chunk=chunk)
#         print(chunk, relative_error(approx, full_attention(clustered, clustered)))
#     ```
#     Con trozos de 16 cada consulta ve como mucho 32 claves de su cubeta, y el error sube; con 256 ve hasta 512 y baja, pero el tensor de puntuaciones es 4 veces mayor que con 64. El tamaño del trozo es el compromiso entre calidad y memoria.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. With the formula from the idea, what is the probability that a neighbour at 30° shows up in at least one of 8 tables of 8 bits? And one at 90°?
# 2. Count how many positions fall in each bucket of the clustered sequence of 2,048 positions (use `angular_buckets`). Are there empty buckets? Why can that happen with 16 groups and 16 buckets?
# 3. Repeat the error comparison with `chunk=16` and with `chunk=256` on the clustered sequence. What changes, and why?
#
# ??? success "Solution 1"
#     ```python
#     for degrees in (30, 90):
#         p = 1 - math.radians(degrees) / math.pi
#         print(degrees, 1 - (1 - p**8) ** 8)
#     ```
#     At 30° the probability per bit is $5/6$, the 8-bit code matches with probability $0.233$ and with 8 tables the neighbour shows up with probability $0.88$. At 90° the bit matches half of the time, the code with probability $1/256$, and with 8 tables only $0.031$: the tables recover close neighbours without bringing in distant ones.
#
# ??? success "Solution 2"
#     ```python
#     from dlcourse.lessons.lsh import angular_buckets
#     print(torch.bincount(angular_buckets(clustered, 16, seed=0), minlength=16).tolist())
#     ```
#     The vectors of one group tend to fall in the same bucket, but the hash does not know how many groups there are: two groups can share a bucket while others stay empty. That is harmless for quality, because within a bucket the softmax still favours the keys of the query's own group; it matters for cost, because a full bucket spreads over several chunks.
#
# ??? success "Solution 3"
#     ```python
#     for chunk in (16, 256):
#         approx = lsh_attention(clustered, clustered, buckets=16, chunk=chunk)
#         print(chunk, relative_error(approx, full_attention(clustered, clustered)))
#     ```
#     With chunks of 16 each query sees at most 32 keys of its bucket, and the error rises; with 256 it sees up to 512 and the error falls, but the score tensor is 4 times larger than with 64. The chunk size is the trade-off between quality and memory.
