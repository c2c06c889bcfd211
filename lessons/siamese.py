# ---
# jupyter:
#   lesson:
#     title:
#       es: Redes siamesas y aprendizaje con un solo ejemplo
#       en: Siamese networks and one-shot learning
#     summary:
#       es: Una red de incrustaciones entrenada con pérdida de tripletes en siete clases de dígitos reconoce las otras tres con un solo ejemplo de cada una.
#       en: An embedding network trained with a triplet loss on seven digit classes recognizes the other three from a single example of each.
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
# where $\mathbf{s}_c$ is the single labeled example of class $c$. Koch, Zemel and Salakhutdinov (2015) used siamese networks for this one-shot learning.
#
# To train $f$ we use **triplets**: an anchor $a$, a positive $p$ of the same class and a negative $n$ of another class. The triplet loss (Schroff, Kalenichenko and Philbin, 2015, [arXiv:1503.03832](https://arxiv.org/abs/1503.03832)) asks for the positive to be closer than the negative by a margin $m$:
#
# $$
# \mathcal{L}(a, p, n) = \max\Big(0,\; \lVert f(a) - f(p) \rVert^2 - \lVert f(a) - f(n) \rVert^2 + m \Big).
# $$
#
# Embeddings are normalized to length 1, so squared distances range from 0 to 4. A triplet that already meets the margin contributes no gradient: the fraction of "active" triplets tells how much the network still has to learn.

# %% [markdown] lang="es"
# ## Clases vistas y clases nuevas
#
# Entrenamos solo con los dígitos del 0 al 6; el 7, el 8 y el 9 quedan para la prueba de un solo ejemplo. Las imágenes de 8×8 de scikit-learn vienen bien centradas, algo poco realista: cualquier cámara o escáner mueve un poco el trazo. Por eso creamos también una versión de la prueba con cada imagen **desplazada** al azar hasta un píxel en cada eje, y entrenamos con copias desplazadas de las imágenes de entrenamiento.

# %% [markdown] lang="en"
# ## Seen classes and new classes
#
# We train only on the digits 0 to 6; 7, 8 and 9 are kept for the one-shot test. scikit-learn's 8×8 images come well centered, which is hardly realistic: any camera or scanner moves the stroke a little. So we also build a version of the test with each image **shifted** at random by up to one pixel along each axis, and we train on shifted copies of the training images.

# %%
import torch
from dlcourse.bilingual import align, claim, number, percent, publish, tr
from dlcourse.data.digits import digits_split
from dlcourse.lessons.siamese import (
    class_subset,
    one_shot_accuracy,
    shift_images,
    train_triplet,
)
from dlcourse.plotting import PALETTE, new_figure, set_alt
from dlcourse.runtime import seed_all, seeded_generator

seed_all(0)
SEEN, UNSEEN = range(7), (7, 8, 9)
COPIES = 4  # shifted copies of each training image
split = digits_split()
x_seen, y_seen = class_subset(split.x_train, split.y_train, SEEN)
x_new, y_new = class_subset(split.x_val, split.y_val, UNSEEN)
x_seen_val, y_seen_val = class_subset(split.x_val, split.y_val, SEEN)

generator = seeded_generator(0)
copies = [shift_images(x_seen, generator) for _ in range(COPIES)]
x_train = torch.cat([x_seen, *copies])  # (5 N, 64)
y_train = y_seen.repeat(COPIES + 1)
x_new_shifted = shift_images(x_new, generator)
x_seen_val_shifted = shift_images(x_seen_val, generator)
print(
    tr(
        es=f"imágenes de entrenamiento (clases 0-6, original + {COPIES} copias "
        "desplazadas)",
        en=f"training images (classes 0-6, original + {COPIES} shifted copies)",
    )
    + f": {len(x_train)}"
)
new_label = tr(
    es="imágenes de prueba de las clases nuevas 7, 8, 9",
    en="test images of the new classes 7, 8, 9",
)
seen_label = tr(es="de las clases vistas", en="of the seen classes")
print(f"{new_label}: {len(x_new)} · {seen_label}: {len(x_seen_val)}")

fig, axes = new_figure(ncols=6, nrows=1, width=1.2, height=1.5)
shifted_word = tr(es="despl.", en="shifted")
for ax, image, title in zip(
    axes,
    [x_new[0], x_new_shifted[0], x_new[1], x_new_shifted[1], x_new[2]]
    + [x_new_shifted[2]],
    ["orig.", shifted_word] * 3,
    strict=True,
):
    ax.imshow(image.view(8, 8), cmap="gray_r")
    ax.set_title(title, fontsize=9)
    ax.set_axis_off()
fig.suptitle(
    tr(es="Desplazar un píxel", en="Shifting by one pixel"), fontweight="bold"
)
labels = y_new[:3].tolist()
set_alt(
    fig,
    es=f"Tres dígitos de prueba (clases {labels[0]}, {labels[1]} y "
    f"{labels[2]}), cada uno junto a su versión desplazada hasta un píxel.",
    en=f"Three test digits (classes {labels[0]}, {labels[1]} and {labels[2]}), "
    "each next to its version shifted by up to one pixel.",
)

# %% [markdown] lang="es"
# ## Entrenar con tripletes
#
# El codificador es una red convolucional pequeña que termina en un *max-pooling* global, de modo que puede aprender a ignorar en qué posición exacta aparece un trazo. Cada época sortea 4096 tripletes nuevos.

# %% [markdown] lang="en"
# ## Training with triplets
#
# The encoder is a small convolutional network that ends in a global max-pooling, so it can learn to ignore the exact position where a stroke appears. Each epoch draws 4,096 fresh triplets.

# %%
EPOCHS, MARGIN = 8, 0.5
run = train_triplet(x_train, y_train, epochs=EPOCHS, margin=MARGIN, seed=0)
encoder = run.encoder.eval()
print(
    align(tr(es="época", en="epoch"), 5),
    align(tr(es="pérdida", en="triplet loss"), 14),
    "  ",
    tr(es="tripletes que violan el margen", en="triplets violating the margin"),
)
for epoch, (loss, active) in enumerate(
    zip(run.losses, run.active, strict=True), start=1
):
    print(
        f"{epoch:5d} {number(loss, '14.4f')}   {align(percent(active, 1), 10)}"
    )
publish("active_first", percent(run.active[0]))
publish("active_second", percent(run.active[1]))
publish("active_last", percent(run.active[-1], 1))
claim(
    "active_drops_fast",
    run.active[1] < 0.5 * run.active[0] and run.active[-1] < 0.1,
    es="tras la segunda época los tripletes activos son menos de la mitad que "
    "en la primera, y al final menos del 10 %",
    en="after the second epoch the active triplets are under half those of the "
    "first, and under 10% at the end",
)

fig, ax = new_figure(width=5.8, height=3.6)
epochs = range(1, EPOCHS + 1)
ax.plot(epochs, run.losses, color=PALETTE[0], label=tr(es="pérdida", en="loss"))
ax.plot(
    epochs,
    run.active,
    color=PALETTE[1],
    linestyle="--",
    label=tr(es="tripletes activos", en="active triplets"),
)
ax.set(
    title=tr(es="Entrenamiento con tripletes", en="Triplet training"),
    xlabel=tr(es="época", en="epoch"),
    ylabel=tr(es="valor", en="value"),
)
ax.legend()
losses = [number(run.losses[i]) for i in (0, -1)]
shares = [percent(run.active[i]) for i in (0, -1)]
set_alt(
    fig,
    es=f"La pérdida de tripletes baja de {losses[0]} a {losses[1]} en {EPOCHS} "
    "épocas y la fracción de tripletes que violan el margen, del "
    f"{shares[0]} al {shares[1]}.",
    en=f"The triplet loss falls from {losses[0]} to {losses[1]} over {EPOCHS} "
    "epochs and the share of triplets violating the margin from "
    f"{shares[0]} to {shares[1]}.",
)

# %% [markdown] lang="es"
# ## La prueba con un solo ejemplo
#
# En cada uno de {{ value: episodes }} episodios elegimos al azar **un** ejemplo de apoyo por clase y clasificamos todas las demás imágenes por el apoyo más cercano. Comparamos la incrustación aprendida con la distancia directa entre píxeles, en las clases nuevas (3 clases, azar = {{ value: chance_new }}) y, como referencia, en las vistas (7 clases, azar = {{ value: chance_seen }}).

# %% [markdown] lang="en"
# ## The one-shot test
#
# In each of {{ value: episodes }} episodes we pick **one** support example per class at random and classify every other image by its nearest support. We compare the learned embedding with the plain distance between pixels, on the new classes (3 classes, chance = {{ value: chance_new }}) and, for reference, on the seen ones (7 classes, chance = {{ value: chance_seen }}).


# %%
EPISODES = 200
VIEWS = ("centred", "shifted")


def pixels(x: torch.Tensor) -> torch.Tensor:
    return x  # the 64 raw pixel values as the "embedding"


sets = {
    ("new", "centred"): (x_new, y_new),
    ("new", "shifted"): (x_new_shifted, y_new),
    ("seen", "centred"): (x_seen_val, y_seen_val),
    ("seen", "shifted"): (x_seen_val_shifted, y_seen_val),
}
set_names = {
    "new": tr(es="clases nuevas 7-9", en="new classes 7-9"),
    "seen": tr(es="clases vistas 0-6", en="seen classes 0-6"),
    "centred": tr(es="centradas", en="centered"),
    "shifted": tr(es="desplazadas", en="shifted"),
}
results = {}
for key, (x, y) in sets.items():
    results[key] = (
        one_shot_accuracy(pixels, x, y, episodes=EPISODES),
        one_shot_accuracy(encoder, x, y, episodes=EPISODES),
    )
title_label = tr(
    es=f"exactitud con un ejemplo ({EPISODES} episodios)",
    en=f"one-shot accuracy ({EPISODES} episodes)",
)
print(title_label)
print(
    align("", 33),
    align(tr(es="píxeles", en="pixels"), 8),
    align(tr(es="incrustación siamesa", en="siamese embedding"), 20),
)
for (classes, view), (by_pixels, by_embedding) in results.items():
    name = f"{set_names[classes]}, {set_names[view]}"
    print(
        f"{align(name, 33, '<')} {number(by_pixels, '8.3f')} "
        f"{number(by_embedding, '20.3f')}"
    )
chance_new, chance_seen = 1 / len(UNSEEN), 1 / len(SEEN)
publish("episodes", EPISODES)
publish("chance_new", percent(chance_new))
publish("chance_seen", percent(chance_seen))
for (classes, view), (by_pixels, by_embedding) in results.items():
    publish(f"pixels_{classes}_{view}", by_pixels, ".2f")
    publish(f"embedding_{classes}_{view}", by_embedding, ".2f")
pix_new_c, emb_new_c = results["new", "centred"]
pix_new_s, emb_new_s = results["new", "shifted"]
claim(
    "pixels_good_centred",
    pix_new_c > 2 * chance_new and pix_new_c > emb_new_c,
    es="en las clases nuevas centradas, los píxeles superan el doble del azar "
    "y a la incrustación",
    en="on the centered new classes, pixels beat twice chance and the "
    "embedding",
)
claim(
    "pixels_fall_shifted",
    pix_new_s - chance_new < 0.5 * (pix_new_c - chance_new),
    es="al desplazar, la ventaja de los píxeles sobre el azar cae a menos "
    "de la mitad",
    en="with shifts, the pixels' lead over chance falls below half",
)
claim(
    "embedding_holds_up",
    emb_new_s > pix_new_s and emb_new_c - emb_new_s < pix_new_c - pix_new_s,
    es="al desplazar, la incrustación pierde menos que los píxeles y queda por "
    "encima",
    en="with shifts, the embedding loses less than pixels and ends above them",
)
claim(
    "embedding_wins_seen",
    all(results["seen", v][1] > results["seen", v][0] + 0.1 for v in VIEWS),
    es="en las clases vistas, la incrustación supera a los píxeles en más de "
    "0,1, centradas y desplazadas",
    en="on the seen classes the embedding beats pixels by over 0.1, centered "
    "and shifted",
)
claim(
    "new_classes_harder",
    all(results["new", v][1] < results["seen", v][1] for v in VIEWS),
    es="la incrustación acierta menos en las clases nuevas que en las vistas",
    en="the embedding does worse on the new classes than on the seen ones",
)

# %% [markdown] lang="es"
# Para ver qué ha aprendido la red, proyectamos a 2-D (con PCA) las imágenes desplazadas de las clases nuevas: a la izquierda sus píxeles, a la derecha sus incrustaciones.

# %% [markdown] lang="en"
# To see what the network has learned, we project to 2-D (with PCA) the shifted images of the new classes: their pixels on the left, their embeddings on the right.


# %%
def pca_2d(z: torch.Tensor) -> torch.Tensor:
    centred = z - z.mean(dim=0)
    _, _, v = torch.linalg.svd(centred, full_matrices=False)
    return centred @ v[:2].T  # (N, 2)


def separation(points: torch.Tensor, y: torch.Tensor) -> float:
    """Spread of the class centers over the spread within classes (Fisher)."""
    centres = torch.stack([points[y == c].mean(dim=0) for c in UNSEEN])
    within = torch.stack(
        [
            (points[y == c] - centres[k]).pow(2).sum(1).mean()
            for k, c in enumerate(UNSEEN)
        ]
    ).mean()
    between = (centres - points.mean(dim=0)).pow(2).sum(1).mean()
    return (between / within).item()


with torch.no_grad():
    views = {
        "pixels": pca_2d(x_new_shifted),
        "embedding": pca_2d(encoder(x_new_shifted)),
    }
view_titles = {
    "pixels": tr(es="píxeles", en="pixels"),
    "embedding": tr(es="incrustación", en="embedding"),
}
spread = {key: separation(points, y_new) for key, points in views.items()}
print(
    tr(es="separación de las clases en 2-D", en="class separation in 2-D"),
    "·",
    " · ".join(
        f"{view_titles[k]} {number(v, '.2f')}" for k, v in spread.items()
    ),
)
publish("separation_pixels", spread["pixels"], ".2f")
publish("separation_embedding", spread["embedding"], ".2f")
claim(
    "embedding_separates",
    spread["embedding"] > spread["pixels"],
    es="en la proyección, las clases nuevas están más separadas con la "
    "incrustación que con los píxeles",
    en="in the projection the new classes are more separate with the embedding "
    "than with pixels",
)
fig, axes = new_figure(ncols=2, width=4.8, height=4.0)
for ax, (key, points) in zip(axes, views.items(), strict=True):
    for k, digit in enumerate(UNSEEN):
        rows = y_new == digit
        ax.scatter(
            points[rows, 0],
            points[rows, 1],
            s=14,
            color=PALETTE[k],
            label=str(digit),
            alpha=0.8,
        )
    ax.set(
        title=view_titles[key],
        xlabel=tr(es="componente 1", en="component 1"),
        ylabel=tr(es="componente 2", en="component 2"),
    )
    ax.legend(title=tr(es="dígito", en="digit"))
accuracies = [percent(a) for a in results["new", "shifted"]]
set_alt(
    fig,
    es="Dos nubes de puntos de las imágenes desplazadas de los dígitos 7, 8 "
    "y 9, proyectadas con PCA. Con los píxeles las tres clases se mezclan "
    "más; con la incrustación siamesa forman grupos más separados. Exactitud "
    f"con un solo ejemplo: {accuracies[0]} con píxeles y {accuracies[1]} con "
    "la incrustación.",
    en="Two scatter plots of the shifted images of digits 7, 8 and 9, "
    "projected with PCA. With pixels the three classes mix more; with the "
    "siamese embedding they form more separate groups. One-shot accuracy: "
    f"{accuracies[0]} with pixels and {accuracies[1]} with the embedding.",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Con las imágenes centradas, la distancia entre píxeles ya es un buen clasificador con un solo ejemplo: los dígitos de scikit-learn están muy limpios y alineados. En las clases nuevas centradas, los píxeles aciertan {{ value: pixels_new_centred }} y superan a la incrustación, {{ value: embedding_new_centred }} {{ claim: pixels_good_centred }}.
# - Basta desplazar cada imagen un píxel para que la distancia entre píxeles se acerque al azar ({{ value: chance_new }}) en las clases nuevas: baja a {{ value: pixels_new_shifted }} {{ claim: pixels_fall_shifted }}. La incrustación siamesa, entrenada con copias desplazadas de **otras** clases, resiste mejor y queda por encima, con {{ value: embedding_new_shifted }} {{ claim: embedding_holds_up }}: lo que aprendió (ignorar la posición exacta del trazo) se transfiere a dígitos que nunca vio. En la proyección PCA, las clases nuevas desplazadas están más separadas con la incrustación (separación {{ value: separation_embedding }} frente a {{ value: separation_pixels }}) {{ claim: embedding_separates }}.
# - En las clases vistas la incrustación gana con claridad, centradas o no ({{ value: embedding_seen_centred }} y {{ value: embedding_seen_shifted }}, frente a {{ value: pixels_seen_centred }} y {{ value: pixels_seen_shifted }} con píxeles) {{ claim: embedding_wins_seen }}: allí sí aprendió las formas concretas. La distancia a clases nuevas es más difícil {{ claim: new_classes_harder }}, porque solo se entrenó con siete clases; los trabajos clásicos de aprendizaje con un solo ejemplo entrenan con cientos de clases.
# - La fracción de tripletes activos baja muy deprisa, del {{ value: active_first }} en la primera época al {{ value: active_second }} en la segunda y al {{ value: active_last }} en la última {{ claim: active_drops_fast }}: al sortear tripletes al azar, la mayoría se vuelven fáciles pronto. Por eso en la práctica se buscan tripletes **difíciles** (Schroff et al., 2015).

# %% [markdown] lang="en"
# ## What to notice
#
# - With centered images, the distance between pixels is already a good one-shot classifier: scikit-learn's digits are very clean and aligned. On the centered new classes, pixels score {{ value: pixels_new_centred }} and beat the embedding, {{ value: embedding_new_centred }} {{ claim: pixels_good_centred }}.
# - Shifting each image by one pixel is enough for the pixel distance to move toward chance ({{ value: chance_new }}) on the new classes: it falls to {{ value: pixels_new_shifted }} {{ claim: pixels_fall_shifted }}. The siamese embedding, trained on shifted copies of **other** classes, holds up better and ends above it, with {{ value: embedding_new_shifted }} {{ claim: embedding_holds_up }}: what it learned (to ignore the exact position of a stroke) transfers to digits it never saw. In the PCA projection the shifted new classes are more separate with the embedding (separation {{ value: separation_embedding }} against {{ value: separation_pixels }}) {{ claim: embedding_separates }}.
# - On the seen classes the embedding clearly wins, centered or not ({{ value: embedding_seen_centred }} and {{ value: embedding_seen_shifted }}, against {{ value: pixels_seen_centred }} and {{ value: pixels_seen_shifted }} with pixels) {{ claim: embedding_wins_seen }}: there it did learn the specific shapes. Distance to new classes is harder {{ claim: new_classes_harder }}, because it was trained on only seven classes; the classic one-shot learning work trains on hundreds of classes.
# - The fraction of active triplets drops very fast, from {{ value: active_first }} in the first epoch to {{ value: active_second }} in the second and {{ value: active_last }} in the last {{ claim: active_drops_fast }}: with triplets drawn at random, most become easy early on. That is why in practice one mines **hard** triplets (Schroff et al., 2015).

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Calcula a mano la pérdida de un triplete con incrustaciones unitarias $f(a) = (1, 0)$, $f(p) = (0, 1)$ y $f(n) = (-1, 0)$, con margen $0{,}5$. ¿Aporta gradiente?
# 2. Entrena sin copias desplazadas (`train_triplet(x_seen, y_seen, epochs=8, margin=0.5)`) y repite la prueba con las imágenes desplazadas de las clases nuevas. ¿Qué pasa?
# 3. ¿Cómo cambia la exactitud en las clases nuevas desplazadas si en cada episodio usas **cinco** ejemplos de apoyo por clase y clasificas por el centroide de sus incrustaciones? Escribe la función.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Compute by hand the loss of a triplet with unit embeddings $f(a) = (1, 0)$, $f(p) = (0, 1)$ and $f(n) = (-1, 0)$, with margin $0.5$. Does it contribute a gradient?
# 2. Train without shifted copies (`train_triplet(x_seen, y_seen, epochs=8, margin=0.5)`) and repeat the test on the shifted images of the new classes. What happens?
# 3. How does accuracy on the shifted new classes change if each episode uses **five** support examples per class and classifies by the centroid of their embeddings? Write the function.

# %% [markdown] lang="es" solution="1"
# $\lVert f(a)-f(p)\rVert^2$ vale {{ value: ex1_positive }} y $\lVert f(a)-f(n)\rVert^2$ vale {{ value: ex1_negative }}, así que $\mathcal{L} = \max(0,\ \lVert f(a)-f(p)\rVert^2 - \lVert f(a)-f(n)\rVert^2 + m)$ = {{ value: ex1_loss }}. El negativo ya está más lejos que el positivo por más del margen: el triplete no aporta gradiente, y `backward()` lo confirma, con gradientes nulos en las tres incrustaciones {{ claim: ex1_no_gradient }}.

# %% [markdown] lang="en" solution="1"
# $\lVert f(a)-f(p)\rVert^2$ is {{ value: ex1_positive }} and $\lVert f(a)-f(n)\rVert^2$ is {{ value: ex1_negative }}, so $\mathcal{L} = \max(0,\ \lVert f(a)-f(p)\rVert^2 - \lVert f(a)-f(n)\rVert^2 + m)$ = {{ value: ex1_loss }}. The negative is already farther than the positive by more than the margin: the triplet contributes no gradient, and `backward()` confirms it, with zero gradients on all three embeddings {{ claim: ex1_no_gradient }}.

# %% solution="1"
anchor = torch.tensor([1.0, 0.0], requires_grad=True)
positive = torch.tensor([0.0, 1.0], requires_grad=True)
negative = torch.tensor([-1.0, 0.0], requires_grad=True)
d_positive = (anchor - positive).pow(2).sum()
d_negative = (anchor - negative).pow(2).sum()
triplet_loss = torch.relu(d_positive - d_negative + MARGIN)
triplet_loss.backward()
gradients = [t.grad for t in (anchor, positive, negative)]
print(
    f"d(a, p)² = {number(d_positive.item(), '.1f')} · "
    f"d(a, n)² = {number(d_negative.item(), '.1f')} · "
    f"{tr(es='pérdida', en='loss')} = {number(triplet_loss.item(), '.1f')}"
)
largest_gradient = max(g.abs().max().item() for g in gradients)
print(f"{tr(es='mayor |gradiente|', en='largest |gradient|')}: ", end="")
print(number(largest_gradient, ".1f"))
publish("ex1_positive", d_positive.item(), ".0f")
publish("ex1_negative", d_negative.item(), ".0f")
publish("ex1_loss", triplet_loss.item(), ".0f")
claim(
    "ex1_no_gradient",
    triplet_loss.item() == 0 and all(bool((g == 0).all()) for g in gradients),
    es="la pérdida es 0 y los gradientes de ancla, positivo y negativo son "
    "nulos",
    en="the loss is 0 and the anchor, positive and negative gradients are zero",
)

# %% [markdown] lang="es" solution="2"
# Sin copias desplazadas, la exactitud en las clases nuevas desplazadas baja de {{ value: embedding_new_shifted }} a {{ value: plain_new_shifted }} {{ claim: plain_worse_new }}, y en las clases vistas desplazadas, que la red sí conoce, se hunde de {{ value: embedding_seen_shifted }} a {{ value: plain_seen_shifted }} {{ claim: plain_worse_seen }}: la invariancia a la posición no viene gratis con las convoluciones, hay que enseñarla con los datos.

# %% [markdown] lang="en" solution="2"
# Without shifted copies, accuracy on the shifted new classes drops from {{ value: embedding_new_shifted }} to {{ value: plain_new_shifted }} {{ claim: plain_worse_new }}, and on the shifted seen classes, which the network does know, it sinks from {{ value: embedding_seen_shifted }} to {{ value: plain_seen_shifted }} {{ claim: plain_worse_seen }}: position invariance does not come for free with convolutions, it has to be taught through the data.

# %% solution="2"
plain = train_triplet(x_seen, y_seen, epochs=EPOCHS, margin=MARGIN, seed=0)
plain_encoder = plain.encoder.eval()
plain_acc = {
    classes: one_shot_accuracy(plain_encoder, *sets[classes, "shifted"])
    for classes in ("new", "seen")
}
for classes, accuracy in plain_acc.items():
    print(
        f"{set_names[classes]}, {set_names['shifted']}: "
        f"{tr(es='sin copias', en='no copies')} {number(accuracy, '.3f')} · "
        f"{tr(es='con copias', en='with copies')} "
        f"{number(results[classes, 'shifted'][1], '.3f')}"
    )
publish("plain_new_shifted", plain_acc["new"], ".2f")
publish("plain_seen_shifted", plain_acc["seen"], ".2f")
claim(
    "plain_worse_new",
    plain_acc["new"] < results["new", "shifted"][1],
    es="sin copias desplazadas, la exactitud en las clases nuevas desplazadas "
    "es menor",
    en="without shifted copies, accuracy on the shifted new classes is lower",
)
claim(
    "plain_worse_seen",
    plain_acc["seen"] < results["seen", "shifted"][1] - 0.2,
    es="sin copias desplazadas, la exactitud en las clases vistas desplazadas "
    "cae más de 0,2",
    en="without shifted copies, accuracy on the shifted seen classes falls by "
    "over 0.2",
)

# %% [markdown] lang="es" solution="3"
# Con cinco ejemplos, la exactitud en las clases nuevas desplazadas sube de {{ value: embedding_new_shifted }} a {{ value: five_shot }} {{ claim: five_shot_better }}: el centroide es una referencia más estable que un único ejemplo, que puede ser atípico. Es la idea de las redes prototípicas.

# %% [markdown] lang="en" solution="3"
# With five examples, accuracy on the shifted new classes rises from {{ value: embedding_new_shifted }} to {{ value: five_shot }} {{ claim: five_shot_better }}: the centroid is a steadier reference than a single example, which may be atypical. This is the idea behind prototypical networks.


# %% solution="3"
def few_shot_accuracy(encode, x, y, shots=5, episodes=EPISODES, seed=0):
    """Mean accuracy when each class is represented by the centroid of
    ``shots`` random support embeddings."""
    g = seeded_generator(seed)
    classes = torch.unique(y)
    with torch.no_grad():
        z = encode(x)  # (N, d)
    total = 0.0
    for _ in range(episodes):
        support = []
        for c in classes:
            rows = torch.nonzero(y == c).squeeze(1)
            support.append(rows[torch.randperm(len(rows), generator=g)[:shots]])
        centroids = torch.stack([z[rows].mean(dim=0) for rows in support])
        query = torch.ones(len(y), dtype=torch.bool)
        query[torch.cat(support)] = False
        nearest = torch.cdist(z[query], centroids).argmin(1)  # (Q,)
        total += (classes[nearest] == y[query]).float().mean().item()
    return total / episodes


five_shot = few_shot_accuracy(encoder, x_new_shifted, y_new)
print(
    f"{set_names['new']}, {set_names['shifted']}: "
    f"{tr(es='1 ejemplo', en='1 shot')} "
    f"{number(results['new', 'shifted'][1], '.3f')} · "
    f"{tr(es='5 ejemplos', en='5 shots')} {number(five_shot, '.3f')}"
)
publish("five_shot", five_shot, ".2f")
claim(
    "five_shot_better",
    five_shot > results["new", "shifted"][1],
    es="con cinco ejemplos por clase la exactitud es mayor que con uno",
    en="with five examples per class accuracy is higher than with one",
)
