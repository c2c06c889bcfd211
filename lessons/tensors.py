# ---
# jupyter:
#   lesson:
#     title:
#       es: Tensores y multiplicación de matrices
#       en: Tensors and matrix multiplication
#     summary:
#       es: Formas y reglas de difusión, una capa lineal como producto de matrices, lotes, y el tiempo de un producto grande en CPU y en GPU.
#       en: Shapes and broadcasting rules, a linear layer as a matrix product, batching, and the time of a large product on CPU and GPU.
#     order: 4
#     budget_cpu_s: 60
#     gpu_helps: true
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Leer la forma de un tensor y predecir la del resultado de una operación, incluidas las reglas de **difusión** (*broadcasting*).
#     - Comprobar que una capa `nn.Linear` es exactamente $XW^\top + \mathbf{b}$ y que procesar un lote es una sola multiplicación de matrices.
#     - Medir bien el tiempo de un producto de matrices grande en la CPU y, si la hay, en la GPU.
#
# Nota de concepto: [multiplicación de matrices](../concepts/matrix-multiplication.md). Lectura asociada: [resumen de *Deep Neural Networks*](../readings/deep-neural-networks.md). Referencia de la API: [`dlcourse.lessons.tensors`](../api/lessons/tensors.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Read a tensor's shape and predict the shape of an operation's result, including the **broadcasting** rules.
#     - Check that an `nn.Linear` layer is exactly $XW^\top + \mathbf{b}$ and that processing a batch is a single matrix product.
#     - Time a large matrix product properly on the CPU and, when there is one, on the GPU.
#
# Concept note: [matrix multiplication](../concepts/matrix-multiplication.md). Related reading: [summary of *Deep Neural Networks*](../readings/deep-neural-networks.md). API reference: [`dlcourse.lessons.tensors`](../api/lessons/tensors.md).

# %% [markdown] lang="es"
# ## La idea
#
# Un tensor es una tabla de números con una **forma**: `(3,)` es un vector, `(B, F)` un lote de $B$ ejemplos con $F$ características, `(B, C, H, W)` un lote de imágenes. El producto de matrices combina dos tensores por su dimensión compartida:
#
# $$
# (AB)_{ij} = \sum_{k=1}^{m} A_{ik} B_{kj}, \qquad A \in \mathbb{R}^{n \times m},\ B \in \mathbb{R}^{m \times p} \ \Rightarrow\ AB \in \mathbb{R}^{n \times p}.
# $$
#
# Una capa lineal con pesos $W \in \mathbb{R}^{\text{out} \times \text{in}}$ y sesgo $\mathbf{b}$ transforma **todo un lote** $X \in \mathbb{R}^{B \times \text{in}}$ de una vez: $Y = XW^\top + \mathbf{b}$, con $Y \in \mathbb{R}^{B \times \text{out}}$. Sumar $\mathbf{b}$ (forma `(out,)`) a una matriz `(B, out)` funciona gracias a la **difusión**: se alinean las formas por la derecha, y cada dimensión debe coincidir o valer 1 (o faltar); las de tamaño 1 se repiten sin copiar memoria.
#
# Un producto de $n \times n$ por $n \times n$ cuesta $2n^3$ operaciones (una multiplicación y una suma por término). Es la operación en la que se va casi todo el cómputo de una red, y la que las GPU ejecutan en paralelo masivo.

# %% [markdown] lang="en"
# ## The idea
#
# A tensor is a table of numbers with a **shape**: `(3,)` is a vector, `(B, F)` a batch of $B$ examples with $F$ features, `(B, C, H, W)` a batch of images. The matrix product combines two tensors along their shared dimension:
#
# $$
# (AB)_{ij} = \sum_{k=1}^{m} A_{ik} B_{kj}, \qquad A \in \mathbb{R}^{n \times m},\ B \in \mathbb{R}^{m \times p} \ \Rightarrow\ AB \in \mathbb{R}^{n \times p}.
# $$
#
# A linear layer with weights $W \in \mathbb{R}^{\text{out} \times \text{in}}$ and bias $\mathbf{b}$ transforms **a whole batch** $X \in \mathbb{R}^{B \times \text{in}}$ at once: $Y = XW^\top + \mathbf{b}$, with $Y \in \mathbb{R}^{B \times \text{out}}$. Adding $\mathbf{b}$ (shape `(out,)`) to a `(B, out)` matrix works thanks to **broadcasting**: shapes are aligned from the right, and each dimension must match or be 1 (or be missing); size-1 dimensions are repeated without copying memory.
#
# A product of $n \times n$ by $n \times n$ costs $2n^3$ operations (one multiplication and one addition per term). It is where almost all of a network's computation goes, and what GPUs run in massive parallel.

# %% [markdown] lang="es"
# ## Formas y difusión
#
# Cada línea muestra dos formas, la del resultado de sumarlas y por qué. La última combinación no es válida y PyTorch lo dice {{ claim: only_last_fails }}.

# %% [markdown] lang="en"
# ## Shapes and broadcasting
#
# Each line shows two shapes, the shape of their sum and why. The last combination is not valid and PyTorch says so {{ claim: only_last_fails }}.

# %%
import torch
from dlcourse.bilingual import align, claim, number, percent, publish, quote, tr
from dlcourse.lessons.tensors import time_matmul
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import pick_device, seed_all
from torch import nn

seed_all(0)
cases = [
    (
        (2, 3),
        (3,),
        tr(
            es="el vector se repite en cada una de las 2 filas",
            en="the vector is repeated for each of the 2 rows",
        ),
    ),
    (
        (3, 1),
        (1, 4),
        tr(
            es="una columna y una fila forman una tabla de 3 x 4",
            en="a column and a row make a 3 x 4 table",
        ),
    ),
    (
        (8, 5, 3),
        (5, 1),
        tr(
            es="por la derecha: 1 pasa a 3, 5 = 5, el 8 solo está a la izq.",
            en="from the right: 1 stretches to 3, 5 = 5, 8 only on the left",
        ),
    ),
    (
        (2, 3),
        (2,),
        tr(
            es="por la derecha: 3 y 2 difieren y ninguno es 1",
            en="from the right: 3 and 2 differ and neither is 1",
        ),
    ),
]
works = []  # whether each sum is valid
for left, right, why in cases:
    a, b = torch.ones(left), torch.ones(right)
    try:
        shape = tuple((a + b).shape)
        works.append(True)
        print(f"{str(left):>10} + {str(right):<7} -> {str(shape):<10} {why}")
    except RuntimeError as error:
        works.append(False)
        first_line = str(error).splitlines()[0]
        error_word = align("error:", 10, "<")
        print(f"{str(left):>10} + {str(right):<7} -> {error_word} {why}")
        print(f"{'':24}PyTorch: {quote(first_line)}")

x = torch.arange(6.0).reshape(2, 3)  # (2, 3)
print("x =", x.tolist())
print(tr(es="x.T tiene forma", en="x.T has shape"), tuple(x.T.shape))
print("x.reshape(3, 2) =", x.reshape(3, 2).tolist())
as_column = torch.ones(2, 3) + torch.ones(2, 1)  # (2, 3) + (2, 1) -> (2, 3)
print("(2, 3) + (2, 1) ->", tuple(as_column.shape))
claim(
    "only_last_fails",
    works == [True, True, True, False],
    es="las tres primeras sumas son válidas y la última da un error",
    en="the first three sums are valid and the last one raises an error",
)
claim(
    "column_works",
    tuple(as_column.shape) == (2, 3),
    es="con forma de columna, (2, 1), la suma con (2, 3) sí funciona",
    en="shaped as a column, (2, 1), the sum with (2, 3) does work",
)

# %% [markdown] lang="es"
# ## Una capa lineal es un producto de matrices
#
# Creamos `nn.Linear(4, 3)` y un lote de 5 ejemplos. Lo que calcula la capa coincide con `x @ W.T + b`, y pasar el lote entero da lo mismo que pasar los ejemplos uno a uno. Si el lote tiene más dimensiones (por ejemplo, `(B, T, 4)`: $B$ secuencias de $T$ pasos), la capa actúa sobre la última y respeta las demás.

# %% [markdown] lang="en"
# ## A linear layer is a matrix product
#
# We create `nn.Linear(4, 3)` and a batch of 5 examples. What the layer computes matches `x @ W.T + b`, and passing the whole batch gives the same as passing the examples one by one. If the batch has more dimensions (for instance `(B, T, 4)`: $B$ sequences of $T$ steps), the layer acts on the last one and keeps the others.

# %%
layer = nn.Linear(4, 3)
print(
    tr(es="pesos", en="weight"),
    tuple(layer.weight.shape),
    "·",
    tr(es="sesgo", en="bias"),
    tuple(layer.bias.shape),
)
batch = torch.randn(5, 4)  # (B=5, in=4)
by_layer = layer(batch)  # (5, 3)
by_hand = batch @ layer.weight.T + layer.bias  # (5, 4) @ (4, 3) + (3,)
one_by_one = torch.stack([layer(row) for row in batch])  # five (3,) stacked
linear_gap = (by_layer - by_hand).abs().max().item()
loop_gap = (by_layer - one_by_one).abs().max().item()
print(
    tr(es="salida", en="output"),
    tuple(by_layer.shape),
    f"· |layer - (x W^T + b)| max {number(linear_gap, '.1e')}",
)
print(
    tr(
        es="lote de una vez frente a ejemplo a ejemplo: diferencia máxima",
        en="batch at once vs one example at a time: max difference",
    ),
    number(loop_gap, ".1e"),
)
sequences = torch.randn(2, 7, 4)  # (B=2, T=7, in=4)
sequence_shape = tuple(layer(sequences).shape)
through = tr(es="por la capa", en="through the layer")
print(f"(2, 7, 4) {through} -> {sequence_shape}")
batched = torch.randn(10, 3, 4) @ torch.randn(10, 4, 2)  # (10, 3, 2)
print(
    tr(es="producto por lotes", en="batched product"),
    "(10, 3, 4) @ (10, 4, 2) ->",
    tuple(batched.shape),
)
publish("linear_gap", linear_gap, ".1e")
publish("loop_gap", loop_gap, ".1e")
claim(
    "linear_is_matmul",
    linear_gap < 1e-6,
    es="nn.Linear y x @ W.T + b difieren en menos de 1e-6",
    en="nn.Linear and x @ W.T + b differ by less than 1e-6",
)
claim(
    "batch_equals_loop",
    loop_gap < 1e-6,
    es="el lote de una vez y ejemplo a ejemplo difieren en menos de 1e-6",
    en="the batch at once and example by example differ by less than 1e-6",
)
claim(
    "leading_dims_kept",
    sequence_shape == (2, 7, 3),
    es="la capa convierte (2, 7, 4) en (2, 7, 3): solo cambia la última",
    en="the layer turns (2, 7, 4) into (2, 7, 3): only the last one changes",
)

# %% [markdown] lang="es"
# ## El tiempo de un producto grande
#
# Medimos productos de matrices cuadradas de tamaño creciente en la CPU y, si la máquina que compila el sitio tiene una GPU con CUDA, también allí (con tamaños mayores). Para que la medida sea justa, [`time_matmul`](../api/lessons/tensors.md) hace un producto de calentamiento sin medir, espera a que la GPU termine antes de parar el reloj (sus operaciones son asíncronas) y se queda con el mejor de tres intentos. Los tiempos dependen de la máquina y cambian entre ejecuciones.

# %% [markdown] lang="en"
# ## The time of a large product
#
# We time products of square matrices of growing size on the CPU and, if the machine building the site has a CUDA GPU, there too (with larger sizes). For a fair measurement, [`time_matmul`](../api/lessons/tensors.md) runs an untimed warm-up product, waits for the GPU to finish before stopping the clock (its operations are asynchronous) and keeps the best of three tries. Times depend on the machine and change between runs.

# %%
device = pick_device()
cpu = torch.device("cpu")
cpu_sizes = [128, 256, 512, 1024, 2048]
timings = {"cpu": [time_matmul(n, cpu) for n in cpu_sizes]}
if device.type == "cuda":
    gpu_sizes = cpu_sizes + [4096, 8192]
    timings["cuda"] = [time_matmul(n, device) for n in gpu_sizes]
    gpu_name = torch.cuda.get_device_name(device)
    present = tr(es="GPU presente al compilar", en="GPU present at build time")
    print(f"{present}: {gpu_name}")
else:
    print(
        tr(
            es="no había GPU al compilar esta página: solo tiempos de CPU",
            en="no GPU was present when this page was built: CPU timings only",
        )
    )
threads_label = tr(es="hilos de CPU de torch", en="CPU threads used by torch")
print(f"{threads_label}: {torch.get_num_threads()}")
print(
    align(tr(es="disp.", en="device"), 6, "<"),
    align(tr(es="tamaño", en="size"), 6),
    align(tr(es="tiempo", en="time"), 11),
    align(tr(es="velocidad", en="speed"), 16),
)
for name, rows in timings.items():
    for t in rows:
        print(
            f"{name:<6} {t.size:6d} {number(t.seconds * 1e3, '8.2f')} ms "
            f"{number(t.gflops, '8.1f')} GFLOP/s"
        )

cpu_rows = timings["cpu"]
small, large = cpu_rows[0], cpu_rows[-1]
best = max(cpu_rows, key=lambda t: t.gflops)
time_ratio = large.seconds / small.seconds
publish("cpu_small_size", small.size)
publish("cpu_large_size", large.size)
publish("size_ratio", large.size // small.size)
publish("work_ratio", (large.size // small.size) ** 3)
publish("time_ratio", time_ratio, ".0f")
publish("cpu_gflops_small", small.gflops, ".0f")
publish("cpu_gflops_best", best.gflops, ".0f")
publish("cpu_best_size", best.size)
publish("small_share", percent(small.gflops / best.gflops))
claim(
    "time_outgrows_size",
    time_ratio > large.size / small.size,
    es="el tiempo del producto crece más deprisa que el tamaño n",
    en="the product's time grows faster than the size n",
)
if "cuda" in timings:
    gpu_rows = {t.size: t for t in timings["cuda"]}
    speedup_small = small.seconds / gpu_rows[small.size].seconds
    speedup_large = large.seconds / gpu_rows[large.size].seconds
    print(
        tr(es="aceleración de la GPU", en="speed-up of the GPU"),
        f"n = {small.size}: {number(speedup_small, '.1f')} ×",
        f"· n = {large.size}: {number(speedup_large, '.1f')} ×",
    )
    gpu_summary = tr(
        es=f"En esta compilación hubo una GPU ({gpu_name}): con "
        f"n = {small.size} fue {number(speedup_small, '.1f')} veces más "
        f"rápida que la CPU, y con n = {large.size}, "
        f"{number(speedup_large, '.1f')} veces.",
        en=f"This build had a GPU ({gpu_name}): at n = {small.size} it was "
        f"{number(speedup_small, '.1f')} times faster than the CPU, and at "
        f"n = {large.size}, {number(speedup_large, '.1f')} times.",
    )
else:
    gpu_summary = tr(
        es="En esta compilación no había GPU: la tabla solo tiene la CPU.",
        en="This build had no GPU, so the table shows the CPU only.",
    )
publish("gpu_summary", gpu_summary)

# %%
fig, ax = new_figure(width=6.0, height=3.8)
for k, (name, rows) in enumerate(timings.items()):
    ax.plot(
        [t.size for t in rows],
        [t.gflops for t in rows],
        "o-",
        color=PALETTE[k],
        label=name.upper(),
    )
ax.set_xscale("log", base=2)
ax.set_yscale("log")
ax.set(
    title=tr(es="Rendimiento del producto", en="Product throughput"),
    xlabel=tr(es="tamaño n (log)", en="size n (log)"),
    ylabel="GFLOP/s (log)",
)
ax.legend()
peaks = [(name, max(t.gflops for t in rows)) for name, rows in timings.items()]
best_of = [(n.upper(), number(v, ".0f")) for n, v in peaks]
devices_es = " y ".join(f"{n} ({v} GFLOP/s como máximo)" for n, v in best_of)
devices_en = " and ".join(f"{n} ({v} GFLOP/s at most)" for n, v in best_of)
set_alt(
    fig,
    es="Miles de millones de operaciones por segundo del producto de matrices "
    f"n × n frente a n, en escala logarítmica, para {devices_es}. En la CPU, "
    f"n = {small.size} alcanza {number(small.gflops, '.0f')} GFLOP/s.",
    en="Billions of operations per second of the n × n matrix product against "
    f"n, on a log scale, for {devices_en}. On the CPU, n = {small.size} "
    f"reaches {number(small.gflops, '.0f')} GFLOP/s.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - La difusión alinea las formas **por la derecha**. `(2, 3) + (3,)` funciona; `(2, 3) + (2,)` no, aunque el 2 «coincida» con las filas {{ claim: only_last_fails }}: para sumar un valor por fila hay que darle forma de columna, `(2, 1)` {{ claim: column_works }}.
# - `nn.Linear` no es más que `x @ W.T + b`: la diferencia es cero o del orden del redondeo (aquí, {{ value: linear_gap }}) {{ claim: linear_is_matmul }}. Procesar el lote de una vez da el mismo resultado que ejemplo a ejemplo (diferencia {{ value: loop_gap }}) {{ claim: batch_equals_loop }}, pero con una sola operación grande, que es lo que el hardware hace bien. Y la capa acepta cualquier número de dimensiones delante de la última {{ claim: leading_dims_kept }}.
# - El trabajo, $2n^3$, crece mucho más deprisa que $n$: de $n$ = {{ value: cpu_small_size }} a $n$ = {{ value: cpu_large_size }} el tamaño se multiplica por {{ value: size_ratio }}, el trabajo por {{ value: work_ratio }} y el tiempo medido en la CPU por {{ value: time_ratio }} {{ claim: time_outgrows_size }}.
# - Con matrices pequeñas, los costes fijos de arrancar la operación pesan más, y el rendimiento (GFLOP/s) suele ser menor hasta que $n$ crece lo bastante; cuánto, depende de la máquina. En esta CPU, $n$ = {{ value: cpu_small_size }} alcanza {{ value: cpu_gflops_small }} GFLOP/s, {{ value: small_share }} del mejor rendimiento medido ({{ value: cpu_gflops_best }} GFLOP/s con $n$ = {{ value: cpu_best_size }}).
# - Una GPU tiene miles de unidades de cálculo y un producto pequeño no llega a ocuparlas: su ventaja sobre la CPU necesita matrices grandes. {{ value: gpu_summary }} La cabecera de la página dice en qué dispositivo se ejecutó esta lección.

# %% [markdown] lang="en"
# ## What to notice
#
# - Broadcasting aligns shapes **from the right**. `(2, 3) + (3,)` works; `(2, 3) + (2,)` does not, even though the 2 "matches" the rows {{ claim: only_last_fails }}: to add one value per row it must be shaped as a column, `(2, 1)` {{ claim: column_works }}.
# - `nn.Linear` is nothing more than `x @ W.T + b`: the difference is zero or at rounding level (here, {{ value: linear_gap }}) {{ claim: linear_is_matmul }}. Processing the batch at once gives the same result as example by example (difference {{ value: loop_gap }}) {{ claim: batch_equals_loop }}, but as one large operation, which is what the hardware does well. And the layer accepts any number of dimensions in front of the last one {{ claim: leading_dims_kept }}.
# - The work, $2n^3$, grows much faster than $n$: from $n$ = {{ value: cpu_small_size }} to $n$ = {{ value: cpu_large_size }} the size is multiplied by {{ value: size_ratio }}, the work by {{ value: work_ratio }} and the time measured on the CPU by {{ value: time_ratio }} {{ claim: time_outgrows_size }}.
# - With small matrices the fixed costs of starting the operation weigh more, and throughput (GFLOP/s) tends to be lower until $n$ is large enough; by how much depends on the machine. On this CPU, $n$ = {{ value: cpu_small_size }} reaches {{ value: cpu_gflops_small }} GFLOP/s, {{ value: small_share }} of the best measured throughput ({{ value: cpu_gflops_best }} GFLOP/s at $n$ = {{ value: cpu_best_size }}).
# - A GPU has thousands of arithmetic units and a small product cannot keep them busy: its advantage over the CPU needs large matrices. {{ value: gpu_summary }} The page header says which device ran this lesson.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Qué forma tiene `torch.ones(4, 1, 3) * torch.ones(5, 1)`? Razónalo antes de ejecutarlo.
# 2. Suma a cada fila de `x` (forma `(2, 3)`) un valor distinto, `torch.tensor([10.0, 20.0])`, usando la difusión.
# 3. Un MLP con capas 64 → 128 → 10 procesa un lote de 256 ejemplos. ¿Cuántas operaciones (multiplicaciones y sumas) hacen sus dos productos de matrices?

# %% [markdown] lang="en"
# ## Exercises
#
# 1. What shape does `torch.ones(4, 1, 3) * torch.ones(5, 1)` have? Reason it out before running it.
# 2. Add a different value to each row of `x` (shape `(2, 3)`), `torch.tensor([10.0, 20.0])`, using broadcasting.
# 3. An MLP with layers 64 → 128 → 10 processes a batch of 256 examples. How many operations (multiplications and additions) do its two matrix products take?

# %% [markdown] lang="es" solution="1"
# Alineadas por la derecha: `(4, 1, 3)` y `(_, 5, 1)`. La última dimensión, 3 y 1, da 3; la del medio, 1 y 5, da 5; la primera solo existe en el primero, 4. Resultado: {{ value: ex1_shape }}, lo que PyTorch también obtiene {{ claim: ex1_reasoned }}.

# %% [markdown] lang="en" solution="1"
# Aligned from the right: `(4, 1, 3)` and `(_, 5, 1)`. The last dimension, 3 and 1, gives 3; the middle one, 1 and 5, gives 5; the first exists only in the first tensor, 4. Result: {{ value: ex1_shape }}, which is what PyTorch gets too {{ claim: ex1_reasoned }}.

# %% solution="1"
reasoned = (4, 5, 3)  # right to left: max(3, 1), max(1, 5), 4
product_shape = tuple((torch.ones(4, 1, 3) * torch.ones(5, 1)).shape)
print(product_shape)
publish("ex1_shape", str(product_shape))
claim(
    "ex1_reasoned",
    product_shape == reasoned,
    es="PyTorch da la forma razonada, (4, 5, 3)",
    en="PyTorch gives the reasoned shape, (4, 5, 3)",
)

# %% [markdown] lang="es" solution="2"
# El vector `(2,)` se alinearía con la última dimensión, la de 3 columnas, y la suma fallaría, como en la última línea de la tabla de difusión {{ claim: ex2_plain_fails }}. Con `[:, None]` pasa a ser una columna `(2, 1)`, que se repite a lo largo de las columnas: cada fila recibe su propio valor {{ claim: ex2_each_row }}.

# %% [markdown] lang="en" solution="2"
# The `(2,)` vector would be aligned with the last dimension, the one with 3 columns, and the sum would fail, as in the last line of the broadcasting table {{ claim: ex2_plain_fails }}. With `[:, None]` it becomes a `(2, 1)` column, repeated along the columns: each row gets its own value {{ claim: ex2_each_row }}.

# %% solution="2"
offsets = torch.tensor([10.0, 20.0])  # (2,)
shifted_rows = x + offsets[:, None]  # (2, 3) + (2, 1) -> (2, 3)
print(shifted_rows)
try:
    x + offsets
    plain_fails = False
except RuntimeError:
    plain_fails = True
claim(
    "ex2_plain_fails",
    plain_fails,
    es="x + offsets, sin [:, None], da un error",
    en="x + offsets, without [:, None], raises an error",
)
claim(
    "ex2_each_row",
    torch.equal(shifted_rows - x, offsets[:, None].expand(2, 3)),
    es="cada fila de x aumenta exactamente en su valor, en todas sus columnas",
    en="each row of x grows by exactly its value, in every column",
)

# %% [markdown] lang="es" solution="3"
# El primer producto es `(256, 64) @ (64, 128)`: $2 \cdot 256 \cdot 64 \cdot 128$, unos {{ value: ex3_first }} millones de operaciones; el segundo, `(256, 128) @ (128, 10)`: $2 \cdot 256 \cdot 128 \cdot 10$, unos {{ value: ex3_second }} millones. En total, {{ value: ex3_total }} operaciones, lo mismo que cuenta el contador de operaciones de PyTorch al ejecutar el MLP {{ claim: ex3_counter_agrees }}. Los sesgos y las activaciones no cuentan: son {{ value: ex3_cheap }} operaciones más, {{ value: ex3_cheap_share }} del total {{ claim: ex3_rest_cheap }}.

# %% [markdown] lang="en" solution="3"
# The first product is `(256, 64) @ (64, 128)`: $2 \cdot 256 \cdot 64 \cdot 128$, about {{ value: ex3_first }} million operations; the second, `(256, 128) @ (128, 10)`: $2 \cdot 256 \cdot 128 \cdot 10$, about {{ value: ex3_second }} million. In total, {{ value: ex3_total }} operations, the same as PyTorch's operation counter counts when running the MLP {{ claim: ex3_counter_agrees }}. Biases and activations are not counted: they are {{ value: ex3_cheap }} more operations, {{ value: ex3_cheap_share }} of the total {{ claim: ex3_rest_cheap }}.

# %% solution="3"
from torch.utils.flop_counter import FlopCounterMode

mlp = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
inputs = torch.randn(256, 64)  # (B=256, in=64)
first_ops = 2 * 256 * 64 * 128
second_ops = 2 * 256 * 128 * 10
with FlopCounterMode(display=False) as counter:
    mlp(inputs)
counted = counter.get_total_flops()
cheap_ops = 256 * (128 + 10) + 256 * 128  # bias additions, then ReLU
ops_word = tr(es="operaciones", en="operations")
print(f"{tr(es='primer producto', en='first product')}: ", end="")
print(number(first_ops, ",d"), ops_word)
print(f"{tr(es='segundo producto', en='second product')}: ", end="")
print(number(second_ops, ",d"), ops_word)
print(tr(es="contadas por PyTorch", en="counted by PyTorch"), end=": ")
print(number(counted, ",d"))
print(tr(es="sesgos y ReLU", en="biases and ReLU"), end=": ")
print(number(cheap_ops, ",d"))
total_ops = first_ops + second_ops
publish("ex3_first", first_ops / 1e6, ".1f")
publish("ex3_second", second_ops / 1e6, ".2f")
publish("ex3_total", total_ops, ",d")
publish("ex3_cheap", cheap_ops, ",d")
publish("ex3_cheap_share", percent(cheap_ops / total_ops, 1))
claim(
    "ex3_counter_agrees",
    counted == total_ops,
    es="FlopCounterMode cuenta exactamente 2·B·in·out en cada producto",
    en="FlopCounterMode counts exactly 2·B·in·out for each product",
)
claim(
    "ex3_rest_cheap",
    cheap_ops < 0.05 * total_ops,
    es="sesgos y ReLU suman menos del 5 % de las operaciones de los productos",
    en="biases and ReLU add up to less than 5% of the products' operations",
)
