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
# Cada línea muestra dos formas, la del resultado de sumarlas y por qué. La última combinación no es válida y PyTorch lo dice.

# %% [markdown] lang="en"
# ## Shapes and broadcasting
#
# Each line shows two shapes, the shape of their sum and why. The last combination is not valid and PyTorch says so.

# %%
import torch
from dlcourse.lessons.tensors import time_matmul
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import pick_device, seed_all
from torch import nn

seed_all(0)
cases = [
    ((2, 3), (3,), "the vector is repeated for each of the 2 rows"),
    ((3, 1), (1, 4), "a column and a row make a 3 x 4 table"),
    (
        (8, 5, 3),
        (5, 1),
        "aligned from the right: 1 stretches to 3, 5 = 5, the 8 exists only on the left",
    ),
    ((2, 3), (2,), "aligned from the right: 3 and 2 differ and neither is 1"),
]
for left, right, why in cases:
    a, b = torch.ones(left), torch.ones(right)
    try:
        shape = tuple((a + b).shape)
        print(f"{str(left):>10} + {str(right):<7} -> {str(shape):<10} {why}")
    except RuntimeError as error:
        first_line = str(error).splitlines()[0]
        print(
            f"{str(left):>10} + {str(right):<7} -> error:     {why}\n{'':24}PyTorch: {first_line}"
        )

x = torch.arange(6.0).reshape(2, 3)  # (2, 3)
print(
    "x =",
    x.tolist(),
    "· x.T has shape",
    tuple(x.T.shape),
    "· x.reshape(3, 2) =",
    x.reshape(3, 2).tolist(),
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
print("weight", tuple(layer.weight.shape), "· bias", tuple(layer.bias.shape))
batch = torch.randn(5, 4)  # (B=5, in=4)
by_layer = layer(batch)  # (5, 3)
by_hand = batch @ layer.weight.T + layer.bias  # (5, 4) @ (4, 3) + (3,) -> (5, 3)
one_by_one = torch.stack([layer(row) for row in batch])  # five (3,) results stacked
print(
    "output",
    tuple(by_layer.shape),
    f"· |layer - (x W^T + b)| max {(by_layer - by_hand).abs().max():.1e}",
)
print(
    f"batch at once vs one example at a time: max difference {(by_layer - one_by_one).abs().max():.1e}"
)
sequences = torch.randn(2, 7, 4)  # (B=2, T=7, in=4)
print("(2, 7, 4) through the layer ->", tuple(layer(sequences).shape))
print(
    "batched product (10, 3, 4) @ (10, 4, 2) ->",
    tuple((torch.randn(10, 3, 4) @ torch.randn(10, 4, 2)).shape),
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
    print(f"GPU present at build time: {torch.cuda.get_device_name(device)}")
else:
    print("no GPU was present when this page was built: CPU timings only")
print(f"CPU threads used by torch: {torch.get_num_threads()}")
print("device   size   time        speed")
for name, rows in timings.items():
    for t in rows:
        print(f"{name:<6} {t.size:6d}   {t.seconds * 1e3:8.2f} ms   {t.gflops:8.1f} GFLOP/s")
if "cuda" in timings:
    common = timings["cpu"][-1].size
    gpu_same = next(t for t in timings["cuda"] if t.size == common)
    print(
        f"speed-up of the GPU at n = {common}: {timings['cpu'][-1].seconds / gpu_same.seconds:.1f} ×"
    )

# %%
fig, ax = new_figure(width=6.0, height=3.8)
for k, (name, rows) in enumerate(timings.items()):
    ax.plot(
        [t.size for t in rows], [t.gflops for t in rows], "o-", color=PALETTE[k], label=name.upper()
    )
ax.set_xscale("log", base=2)
ax.set_yscale("log")
ax.set(
    title="Rendimiento del producto / Product throughput",
    xlabel="tamaño n (log) / size n (log)",
    ylabel="GFLOP/s (log)",
)
ax.legend()
peak = {name: max(t.gflops for t in rows) for name, rows in timings.items()}
devices_es = " y ".join(f"{n.upper()} ({v:.0f} GFLOP/s como máximo)" for n, v in peak.items())
devices_en = " and ".join(f"{n.upper()} ({v:.0f} GFLOP/s at most)" for n, v in peak.items())
set_alt(
    fig,
    es=f"Miles de millones de operaciones por segundo del producto de matrices n × n frente a n, en escala logarítmica, para {devices_es}. El rendimiento sube con el tamaño porque las matrices pequeñas no llegan a ocupar el hardware.",
    en=f"Billions of operations per second of the n × n matrix product against n, on a log scale, for {devices_en}. Throughput rises with size because small matrices do not keep the hardware busy.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - La difusión alinea las formas **por la derecha**. `(2, 3) + (3,)` funciona; `(2, 3) + (2,)` no, aunque el 2 «coincida» con las filas: para sumar un valor por fila hay que darle forma de columna, `(2, 1)`.
# - `nn.Linear` no es más que `x @ W.T + b`: la diferencia es cero o del orden del redondeo. Procesar el lote de una vez da el mismo resultado que ejemplo a ejemplo, pero con una sola operación grande, que es lo que el hardware hace bien. Y la capa acepta cualquier número de dimensiones delante de la última.
# - Con matrices pequeñas el rendimiento (GFLOP/s) es bajo: el tiempo se va en arrancar la operación. Al crecer $n$ el trabajo, $2n^3$, crece más deprisa que esos costes fijos y el rendimiento sube hasta estabilizarse.
# - En una GPU la diferencia aparece sobre todo con matrices grandes; con las pequeñas, la CPU puede ser igual de rápida. La cabecera de la página dice en qué dispositivo se ejecutó esta lección.

# %% [markdown] lang="en"
# ## What to notice
#
# - Broadcasting aligns shapes **from the right**. `(2, 3) + (3,)` works; `(2, 3) + (2,)` does not, even though the 2 "matches" the rows: to add one value per row it must be shaped as a column, `(2, 1)`.
# - `nn.Linear` is nothing more than `x @ W.T + b`: the difference is zero or at rounding level. Processing the batch at once gives the same result as example by example, but as one large operation, which is what the hardware does well. And the layer accepts any number of dimensions in front of the last one.
# - With small matrices throughput (GFLOP/s) is low: the time goes into starting the operation. As $n$ grows the work, $2n^3$, grows faster than those fixed costs and throughput rises until it levels off.
# - On a GPU the difference shows mostly with large matrices; with small ones the CPU can be just as fast. The page header says which device ran this lesson.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. ¿Qué forma tiene `torch.ones(4, 1, 3) * torch.ones(5, 1)`? Razónalo antes de ejecutarlo.
# 2. Suma a cada fila de `x` (forma `(2, 3)`) un valor distinto, `torch.tensor([10.0, 20.0])`, usando la difusión.
# 3. Un MLP con capas 64 → 128 → 10 procesa un lote de 256 ejemplos. ¿Cuántas operaciones (multiplicaciones y sumas) hacen sus dos productos de matrices?
#
# ??? success "Solución 1"
#     Alineadas por la derecha: `(4, 1, 3)` y `(_, 5, 1)`. La última dimensión, 3 y 1, da 3; la del medio, 1 y 5, da 5; la primera solo existe en el primero, 4. Resultado `(4, 5, 3)`.
#     ```python
#     print((torch.ones(4, 1, 3) * torch.ones(5, 1)).shape)  # torch.Size([4, 5, 3])
#     ```
#
# ??? success "Solución 2"
#     ```python
#     print(x + torch.tensor([10.0, 20.0])[:, None])  # the (2,) becomes a (2, 1) column
#     ```
#
# ??? success "Solución 3"
#     El primer producto es `(256, 64) @ (64, 128)`: $2 \cdot 256 \cdot 64 \cdot 128 \approx 4{,}2$ millones de operaciones; el segundo, `(256, 128) @ (128, 10)`: $2 \cdot 256 \cdot 128 \cdot 10 \approx 0{,}66$ millones. En total unos 4,8 millones, sin contar sesgos ni activaciones, que son mucho más baratos.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. What shape does `torch.ones(4, 1, 3) * torch.ones(5, 1)` have? Reason it out before running it.
# 2. Add a different value to each row of `x` (shape `(2, 3)`), `torch.tensor([10.0, 20.0])`, using broadcasting.
# 3. An MLP with layers 64 → 128 → 10 processes a batch of 256 examples. How many operations (multiplications and additions) do its two matrix products take?
#
# ??? success "Solution 1"
#     Aligned from the right: `(4, 1, 3)` and `(_, 5, 1)`. The last dimension, 3 and 1, gives 3; the middle one, 1 and 5, gives 5; the first exists only in the first tensor, 4. Result `(4, 5, 3)`.
#     ```python
#     print((torch.ones(4, 1, 3) * torch.ones(5, 1)).shape)  # torch.Size([4, 5, 3])
#     ```
#
# ??? success "Solution 2"
#     ```python
#     print(x + torch.tensor([10.0, 20.0])[:, None])  # the (2,) becomes a (2, 1) column
#     ```
#
# ??? success "Solution 3"
#     The first product is `(256, 64) @ (64, 128)`: $2 \cdot 256 \cdot 64 \cdot 128 \approx 4.2$ million operations; the second, `(256, 128) @ (128, 10)`: $2 \cdot 256 \cdot 128 \cdot 10 \approx 0.66$ million. About 4.8 million in total, not counting biases and activations, which are much cheaper.
