# ---
# jupyter:
#   lesson:
#     title:
#       es: Redes siamesas y aprendizaje con un solo ejemplo
#       en: Siamese networks and one-shot learning
#     summary:
#       es: Una red de incrustaciones entrenada con pérdida de tripletes en siete clases de dígitos reconoce las otras tres con un solo ejemplo de cada una.
#       en: An embedding network trained with a triplet loss on seven digit classes recognises the other three from a single example of each.
#     order: 26
#     budget_cpu_s: 90
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Entender qué hace «siamesa» a una red: el **mismo** codificador se aplica a todas las entradas y se entrena con relaciones entre ellas, no con etiquetas de clase.
#     - Escribir la pérdida de tripletes y seguir qué fracción de tripletes la sigue violando durante el entrenamiento.
#     - Clasificar con **un solo ejemplo** por clase dígitos de clases que la red nunca vio, y compararlo con la distancia entre píxeles.
#
# Nota de concepto: [incrustaciones](../concepts/embeddings.md). Explicaciones gráficas sobre redes siamesas en [Recursos](../resources.md). Los dígitos y su `DataModule` se presentaron en [Anatomía de PyTorch Lightning](lightning-anatomy.md). Referencia de la API: [`dlcourse.lessons.siamese`](../api/lessons/siamese.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Understand what makes a network "siamese": the **same** encoder is applied to every input and is trained on relations between them, not on class labels.
#     - Write the triplet loss and follow which fraction of triplets still violates it during training.
#     - Classify, with **a single example** per class, digits of classes the network never saw, and compare with the distance between pixels.
#
# Concept note: [embeddings](../concepts/embeddings.md). Graphical explanations of siamese networks in [Resources](../resources.md). The digits and their `DataModule` were introduced in [PyTorch Lightning anatomy](lightning-anatomy.md). API reference: [`dlcourse.lessons.siamese`](../api/lessons/siamese.md).

# %% [markdown] lang="es"
# ## La idea
#
# Un clasificador normal aprende una salida por clase y no sabe qué hacer con una clase nueva. Una red **siamesa** aprende en cambio una función $f$ que lleva cada entrada a un vector (su incrustación) de modo que la distancia entre vectores refleje el parecido. Para una clase nueva basta entonces con **un ejemplo de apoyo**: una entrada se clasifica según a qué ejemplo de apoyo queda más cerca,
#
# $$
# \hat y(\mathbf{x}) = \arg\min_{c}\; \big\lVert f(\mathbf{x}) - f(\mathbf{s}_c) \big\rVert ,
# $$
#
# donde $\mathbf{s}_c$ es el único ejemplo etiquetado de la clase $c$. Koch, Zemel y Salakhutdinov (2015) usaron redes siamesas para este aprendizaje con un solo ejemplo (*one-shot*).
#
# Para entrenar $f$ usamos **tripletes**: un ancla $a$, un positivo $p$ de su misma clase y un negativo $n$ de otra. La pérdida de tripletes (Schroff, Kalenichenko y Philbin, 2015, [arXiv:1503.03832](https://arxiv.org/abs/1503.03832)) pide que el positivo quede más cerca que el negativo por un margen $m$:
#
# $$
# \mathcal{L}(a, p, n) = \max\Big(0,\; \lVert f(a) - f(p) \rVert^2 - \lVert f(a) - f(n) \rVert^2 + m \Big).
# $$
#
# Las incrustaciones se normalizan a longitud 1, así que las distancias al cuadrado van de 0 a 4. Un triplete que ya cumple el margen no aporta gradiente: la fracción de tripletes «activos» dice cuánto le queda por aprender a la red.

# %% [markdown] lang="en"
# ## The idea
#
# An ordinary classifier learns one output per class and does not know what to do with a new class. A **siamese** network instead learns a function $f$ that maps each input to a vector (its embedding) so that distances between vectors reflect similarity. For a new class, **one support example** is then enough: an input is classified by which support example it lands closest to,
#
# $$
# \hat y(\mathbf{x}) = \arg\min_{c}\; \big\lVert f(\mathbf{x}) - f(\mathbf{s}_c) \big\rVert ,
# $$
#
# where $\mathbf{s}_c$ is the single labelled example of class $c$. Koch, Zemel and Salakhutdinov (2015) used siamese networks for this one-shot learning.
#
# To train $f$ we use **triplets**: an anchor $a$, a positive $p$ of the same class and a negative $n$ of another class. The triplet loss (Schroff, Kalenichenko and Philbin, 2015, [arXiv:1503.03832](https://arxiv.org/abs/1503.03832)) asks for the positive to be closer than the negative by a margin $m$:
#
# $$
# \mathcal{L}(a, p, n) = \max\Big(0,\; \lVert f(a) - f(p) \rVert^2 - \lVert f(a) - f(n) \rVert^2 + m \Big).
# $$
#
# Embeddings are normalised to length 1, so squared distances range from 0 to 4. A triplet that already meets the margin contributes no gradient: the fraction of "active" triplets tells how much the network still has to learn.

# %% [markdown] lang="es"
# ## Clases vistas y clases nuevas
#
# Entrenamos solo con los dígitos del 0 al 6; el 7, el 8 y el 9 quedan para la prueba de un solo ejemplo. Las imágenes de 8×8 de scikit-learn vienen bien centradas, algo poco realista: cualquier cámara o escáner mueve un poco el trazo. Por eso creamos también una versión de la prueba con cada imagen **desplazada** al azar hasta un píxel en cada eje, y entrenamos con copias desplazadas de las imágenes de entrenamiento.

# %% [markdown] lang="en"
# ## Seen classes and new classes
#
# We train only on the digits 0 to 6; 7, 8 and 9 are kept for the one-shot test. scikit-learn's 8×8 images come well centred, which is hardly realistic: any camera or scanner moves the stroke a little. So we also build a version of the test with each image **shifted** at random by up to one pixel along each axis, and we train on shifted copies of the training images.

# %%
import torch
from dlcourse.data.digits import digits_split
from dlcourse.lessons.siamese import class_subset, one_shot_accuracy, shift_images, train_triplet
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all, seeded_generator

seed_all(0)
SEEN, UNSEEN = range(7), (7, 8, 9)
split = digits_split()
x_seen, y_seen = class_subset(split.x_train, split.y_train, SEEN)
x_new, y_new = class_subset(split.x_val, split.y_val, UNSEEN)
x_seen_val, y_seen_val = class_subset(split.x_val, split.y_val, SEEN)

generator = seeded_generator(0)
x_train = torch.cat([x_seen] + [shift_images(x_seen, generator) for _ in range(4)])  # (5 N, 64)
y_train = y_seen.repeat(5)
x_new_shifted = shift_images(x_new, generator)
x_seen_val_shifted = shift_images(x_seen_val, generator)
print(f"training images (classes 0-6, original + 4 shifted copies): {len(x_train)}")
print(
    f"test images of the new classes 7, 8, 9: {len(x_new)} · of the seen classes: {len(x_seen_val)}"
)

fig, axes = new_figure(ncols=6, nrows=1, width=1.2, height=1.5)
for ax, image, title in zip(
    axes,
    [x_new[0], x_new_shifted[0], x_new[1], x_new_shifted[1], x_new[2], x_new_shifted[2]],
    ["orig.", "despl. / shift.", "orig.", "despl. / shift.", "orig.", "despl. / shift."],
    strict=True,
):
    ax.imshow(image.view(8, 8), cmap="gray_r")
    ax.set_title(title, fontsize=9)
    ax.set_axis_off()
fig.suptitle("Desplazar un píxel / Shifting by one pixel", fontweight="bold")
labels = y_new[:3].tolist()
set_alt(
    fig,
    es=f"Tres dígitos de prueba (clases {labels[0]}, {labels[1]} y {labels[2]}), cada uno junto a su versión desplazada hasta un píxel.",
    en=f"Three test digits (classes {labels[0]}, {labels[1]} and {labels[2]}), each next to its version shifted by up to one pixel.",
)

# %% [markdown] lang="es"
# ## Entrenar con tripletes
#
# El codificador es una red convolucional pequeña que termina en un *max-pooling* global, de modo que puede aprender a ignorar en qué posición exacta aparece un trazo. Cada época sortea 4.096 tripletes nuevos.

# %% [markdown] lang="en"
# ## Training with triplets
#
# The encoder is a small convolutional network that ends in a global max-pooling, so it can learn to ignore the exact position where a stroke appears. Each epoch draws 4,096 fresh triplets.

# %%
EPOCHS = 8
run = train_triplet(x_train, y_train, epochs=EPOCHS, margin=0.5, seed=0)
encoder = run.encoder.eval()
print("epoch   triplet loss   triplets violating the margin")
for epoch, (loss, active) in enumerate(zip(run.losses, run.active, strict=True), start=1):
    print(f"{epoch:5d}   {loss:12.4f}   {active:10.1%}")

fig, ax = new_figure(width=5.8, height=3.6)
epochs = range(1, EPOCHS + 1)
ax.plot(epochs, run.losses, color=PALETTE[0], label="pérdida / loss")
ax.plot(
    epochs,
    run.active,
    color=PALETTE[1],
    linestyle="--",
    label="tripletes activos / active triplets",
)
ax.set(
    title="Entrenamiento con tripletes / Triplet training",
    xlabel="época / epoch",
    ylabel="valor / value",
)
ax.legend()
set_alt(
    fig,
    es=f"La pérdida de tripletes baja de {run.losses[0]:.3f} a {run.losses[-1]:.3f} en {EPOCHS} épocas y la fracción de tripletes que violan el margen, de {run.active[0]:.0%} a {run.active[-1]:.0%}.",
    en=f"The triplet loss falls from {run.losses[0]:.3f} to {run.losses[-1]:.3f} over {EPOCHS} epochs and the share of triplets violating the margin from {run.active[0]:.0%} to {run.active[-1]:.0%}.",
)

# %% [markdown] lang="es"
# ## La prueba con un solo ejemplo
#
# En cada uno de 200 episodios elegimos al azar **un** ejemplo de apoyo por clase y clasificamos todas las demás imágenes por el apoyo más cercano. Comparamos la incrustación aprendida con la distancia directa entre píxeles, en las clases nuevas (3 clases, azar = 33 %) y, como referencia, en las vistas (7 clases, azar = 14 %).

# %% [markdown] lang="en"
# ## The one-shot test
#
# In each of 200 episodes we pick **one** support example per class at random and classify every other image by its nearest support. We compare the learned embedding with the plain distance between pixels, on the new classes (3 classes, chance = 33 %) and, for reference, on the seen ones (7 classes, chance = 14 %).


# %%
def pixels(x: torch.Tensor) -> torch.Tensor:
    return x  # the 64 raw pixel values as the "embedding"


results = {}
for name, x, y in (
    ("new classes 7-9, centred", x_new, y_new),
    ("new classes 7-9, shifted", x_new_shifted, y_new),
    ("seen classes 0-6, centred", x_seen_val, y_seen_val),
    ("seen classes 0-6, shifted", x_seen_val_shifted, y_seen_val),
):
    results[name] = (one_shot_accuracy(pixels, x, y), one_shot_accuracy(encoder, x, y))
print("one-shot accuracy (200 episodes)   pixels   siamese embedding")
for name, (by_pixels, by_embedding) in results.items():
    print(f"{name:<33} {by_pixels:7.3f}   {by_embedding:17.3f}")

# %% [markdown] lang="es"
# Para ver qué ha aprendido la red, proyectamos a 2-D (con PCA) las imágenes desplazadas de las clases nuevas: a la izquierda sus píxeles, a la derecha sus incrustaciones.

# %% [markdown] lang="en"
# To see what the network has learned, we project to 2-D (with PCA) the shifted images of the new classes: their pixels on the left, their embeddings on the right.


# %%
def pca_2d(z: torch.Tensor) -> torch.Tensor:
    centred = z - z.mean(dim=0)
    _, _, v = torch.linalg.svd(centred, full_matrices=False)
    return centred @ v[:2].T  # (N, 2)


with torch.no_grad():
    views = {
        "píxeles / pixels": pca_2d(x_new_shifted),
        "incrustación / embedding": pca_2d(encoder(x_new_shifted)),
    }
fig, axes = new_figure(ncols=2, width=4.8, height=4.0)
for ax, (title, points) in zip(axes, views.items(), strict=True):
    for k, digit in enumerate(UNSEEN):
        rows = y_new == digit
        ax.scatter(
            points[rows, 0], points[rows, 1], s=14, color=PALETTE[k], label=str(digit), alpha=0.8
        )
    ax.set(title=title, xlabel="componente 1 / component 1", ylabel="componente 2 / component 2")
    ax.legend(title="dígito / digit")
pixel_acc, embed_acc = results["new classes 7-9, shifted"]
set_alt(
    fig,
    es="Dos nubes de puntos de las imágenes desplazadas de los dígitos 7, 8 y 9, proyectadas con PCA. Con los píxeles las tres clases se mezclan; con la incrustación siamesa forman grupos más separados. "
    + f"Exactitud con un solo ejemplo: {pixel_acc:.0%} con píxeles y {embed_acc:.0%} con la incrustación.",
    en="Two scatter plots of the shifted images of digits 7, 8 and 9, projected with PCA. With pixels the three classes mix; with the siamese embedding they form more separate groups. "
    + f"One-shot accuracy: {pixel_acc:.0%} with pixels and {embed_acc:.0%} with the embedding.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Con las imágenes centradas, la distancia entre píxeles ya es un buen clasificador con un solo ejemplo: los dígitos de scikit-learn están muy limpios y alineados. En las clases nuevas centradas, los píxeles superan a la incrustación.
# - Basta desplazar cada imagen un píxel para que la distancia entre píxeles se acerque al azar (33 %) en las clases nuevas. La incrustación siamesa, entrenada con copias desplazadas de **otras** clases, resiste mejor y queda por encima: lo que aprendió (ignorar la posición exacta del trazo) se transfiere a dígitos que nunca vio.
# - En las clases vistas la incrustación gana con claridad, centradas o no: allí sí aprendió las formas concretas. La distancia a clases nuevas es más difícil, porque solo se entrenó con siete clases; los trabajos clásicos de aprendizaje con un solo ejemplo entrenan con cientos de clases.
# - La fracción de tripletes activos baja muy deprisa: al sortear tripletes al azar, la mayoría se vuelven fáciles pronto. Por eso en la práctica se buscan tripletes **difíciles** (Schroff et al., 2015).

# %% [markdown] lang="en"
# ## What to notice
#
# - With centred images, the distance between pixels is already a good one-shot classifier: scikit-learn's digits are very clean and aligned. On the centred new classes, pixels beat the embedding.
# - Shifting each image by one pixel is enough for the pixel distance to move towards chance (33 %) on the new classes. The siamese embedding, trained on shifted copies of **other** classes, holds up better and ends above it: what it learned (to ignore the exact position of a stroke) transfers to digits it never saw.
# - On the seen classes the embedding clearly wins, centred or not: there it did learn the specific shapes. Distance to new classes is harder, because it was trained on only seven classes; the classic one-shot learning work trains on hundreds of classes.
# - The fraction of active triplets drops very fast: with triplets drawn at random, most become easy early on. That is why in practice one mines **hard** triplets (Schroff et al., 2015).

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Calcula a mano la pérdida de un triplete con incrustaciones unitarias $f(a) = (1, 0)$, $f(p) = (0, 1)$ y $f(n) = (-1, 0)$, con margen $0{,}5$. ¿Aporta gradiente?
# 2. Entrena sin copias desplazadas (`train_triplet(x_seen, y_seen, epochs=8, margin=0.5)`) y repite la prueba con las imágenes desplazadas de las clases nuevas. ¿Qué pasa?
# 3. ¿Cómo cambia la exactitud en las clases nuevas desplazadas si en cada episodio usas **cinco** ejemplos de apoyo por clase y clasificas por el centroide de sus incrustaciones? Escribe la función.
#
# ??? success "Solución 1"
#     $\lVert f(a)-f(p)\rVert^2 = 2$ y $\lVert f(a)-f(n)\rVert^2 = 4$, así que $\mathcal{L} = \max(0,\ 2 - 4 + 0{,}5) = 0$. El negativo ya está más lejos que el positivo por más del margen: el triplete no aporta gradiente.
#
# ??? success "Solución 2"
#     ```python
#     plain = train_triplet(x_seen, y_seen, epochs=8, margin=0.5).encoder.eval()
#     print(one_shot_accuracy(plain, x_new_shifted, y_new))
#     ```
#     La exactitud baja respecto a la red entrenada con desplazamientos: la invariancia a la posición no viene gratis con las convoluciones, hay que enseñarla con los datos.
#
# ??? success "Solución 3"
#     ```python
#     def few_shot_accuracy(encode, x, y, shots=5, episodes=200, seed=0):
#         g = torch.Generator().manual_seed(seed)
#         classes = torch.unique(y)
#         with torch.no_grad():
#             z = encode(x)
#         total = 0.0
#         for _ in range(episodes):
#             support = [torch.nonzero(y == c).squeeze(1)[torch.randperm(int((y == c).sum()), generator=g)[:shots]] for c in classes]
#             centroids = torch.stack([z[rows].mean(dim=0) for rows in support])
#             query = torch.ones(len(y), dtype=torch.bool)
#             query[torch.cat(support)] = False
#             total += (classes[torch.cdist(z[query], centroids).argmin(1)] == y[query]).float().mean().item()
#         return total / episodes
#     print(few_shot_accuracy(encoder, x_new_shifted, y_new))
#     ```
#     Con cinco ejemplos el centroide es una referencia más estable que un único ejemplo, que puede ser atípico, y la exactitud sube. Es la idea de las redes prototípicas.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Compute by hand the loss of a triplet with unit embeddings $f(a) = (1, 0)$, $f(p) = (0, 1)$ and $f(n) = (-1, 0)$, with margin $0.5$. Does it contribute a gradient?
# 2. Train without shifted copies (`train_triplet(x_seen, y_seen, epochs=8, margin=0.5)`) and repeat the test on the shifted images of the new classes. What happens?
# 3. How does accuracy on the shifted new classes change if each episode uses **five** support examples per class and classifies by the centroid of their embeddings? Write the function.
#
# ??? success "Solution 1"
#     $\lVert f(a)-f(p)\rVert^2 = 2$ and $\lVert f(a)-f(n)\rVert^2 = 4$, so $\mathcal{L} = \max(0,\ 2 - 4 + 0.5) = 0$. The negative is already farther than the positive by more than the margin: the triplet contributes no gradient.
#
# ??? success "Solution 2"
#     ```python
#     plain = train_triplet(x_seen, y_seen, epochs=8, margin=0.5).encoder.eval()
#     print(one_shot_accuracy(plain, x_new_shifted, y_new))
#     ```
#     Accuracy drops compared with the network trained with shifts: position invariance does not come for free with convolutions, it has to be taught through the data.
#
# ??? success "Solution 3"
#     ```python
#     def few_shot_accuracy(encode, x, y, shots=5, episodes=200, seed=0):
#         g = torch.Generator().manual_seed(seed)
#         classes = torch.unique(y)
#         with torch.no_grad():
#             z = encode(x)
#         total = 0.0
#         for _ in range(episodes):
#             support = [torch.nonzero(y == c).squeeze(1)[torch.randperm(int((y == c).sum()), generator=g)[:shots]] for c in classes]
#             centroids = torch.stack([z[rows].mean(dim=0) for rows in support])
#             query = torch.ones(len(y), dtype=torch.bool)
#             query[torch.cat(support)] = False
#             total += (classes[torch.cdist(z[query], centroids).argmin(1)] == y[query]).float().mean().item()
#         return total / episodes
#     print(few_shot_accuracy(encoder, x_new_shifted, y_new))
#     ```
#     With five examples the centroid is a steadier reference than a single example, which may be atypical, and accuracy rises. This is the idea behind prototypical networks.
