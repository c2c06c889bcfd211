# ---
# jupyter:
#   lesson:
#     title:
#       es: Clasificación binaria
#       en: Binary classification
#     summary:
#       es: Un MLP con salida sigmoide y entropía cruzada binaria, entrenado con Lightning sobre datos de cáncer de mama; matriz de confusión y umbral de decisión.
#       en: An MLP with a sigmoid output and binary cross-entropy, trained with Lightning on breast-cancer data; confusion matrix and decision threshold.
#     order: 2
#     budget_cpu_s: 60
#     gpu_helps: false
# ---

# %% [markdown] lang="es"
# !!! abstract "Objetivos"
#     - Convertir la salida de una red en una probabilidad con la sigmoide y entrenarla con entropía cruzada binaria.
#     - Organizar el entrenamiento con las tres piezas de PyTorch Lightning: `LightningDataModule`, `LightningModule` y `Trainer`.
#     - Leer las curvas de aprendizaje que registra el *logger* de Lightning.
#     - Evaluar con exactitud, matriz de confusión, precisión y exhaustividad, y elegir un umbral de decisión según el coste de cada error.
#
# Lectura asociada: [resumen de *Binary Classification*](../readings/binary-classification.md). Referencia de la API: [`dlcourse.training.lightning`](../api/training/lightning.md) y [`dlcourse.models`](../api/models.md). Lección anterior: [Una neurona](single-neuron.md).

# %% [markdown] lang="en"
# !!! abstract "Objectives"
#     - Turn a network's output into a probability with the sigmoid and train it with binary cross-entropy.
#     - Organize training with PyTorch Lightning's three pieces: `LightningDataModule`, `LightningModule` and `Trainer`.
#     - Read the learning curves recorded by Lightning's logger.
#     - Evaluate with accuracy, confusion matrix, precision and recall, and choose a decision threshold according to the cost of each error.
#
# Related reading: [summary of *Binary Classification*](../readings/binary-classification.md). API reference: [`dlcourse.training.lightning`](../api/training/lightning.md) and [`dlcourse.models`](../api/models.md). Previous lesson: [A single neuron](single-neuron.md).

# %% [markdown] lang="es"
# ## La idea
#
# En clasificación binaria la red produce un número real $z$ (el *logit*) y la sigmoide lo convierte en la probabilidad de la clase positiva:
#
# $$
# p = \sigma(z) = \frac{1}{1 + e^{-z}} \in (0, 1).
# $$
#
# La pérdida natural es la entropía cruzada binaria, que castiga con fuerza asignar poca probabilidad a la clase verdadera:
#
# $$
# L = -\frac{1}{N} \sum_{n=1}^{N} \Big[\, y_n \log p_n + (1 - y_n) \log (1 - p_n) \Big].
# $$
#
# En PyTorch conviene no aplicar la sigmoide dentro del modelo: `nn.BCEWithLogitsLoss` recibe el logit y combina sigmoide y logaritmo de forma numéricamente estable. Para decidir, comparamos $p$ con un umbral $t$ (por defecto $0{,}5$): predecimos la clase positiva cuando $p \ge t$.

# %% [markdown] lang="en"
# ## The idea
#
# In binary classification the network produces a real number $z$ (the *logit*) and the sigmoid turns it into the probability of the positive class:
#
# $$
# p = \sigma(z) = \frac{1}{1 + e^{-z}} \in (0, 1).
# $$
#
# The natural loss is binary cross-entropy, which punishes hard any low probability given to the true class:
#
# $$
# L = -\frac{1}{N} \sum_{n=1}^{N} \Big[\, y_n \log p_n + (1 - y_n) \log (1 - p_n) \Big].
# $$
#
# In PyTorch it is better not to apply the sigmoid inside the model: `nn.BCEWithLogitsLoss` takes the logit and combines sigmoid and logarithm in a numerically stable way. To decide, we compare $p$ with a threshold $t$ (by default $0.5$): we predict the positive class when $p \ge t$.

# %% [markdown] lang="es"
# ## Los datos: tumores de mama
#
# El conjunto *breast cancer* de scikit-learn describe {{ value: n_tumours }} tumores con {{ value: n_features }} medidas de los núcleos celulares (radio, textura, concavidad…), etiquetados como malignos o benignos. Tomamos **maligno** como clase positiva, porque es la que un cribado no debe pasar por alto. El `LightningDataModule` carga la tabla, la divide de forma estratificada (75 % entrenamiento, 25 % validación, con un {{ value: malignant_share }} de malignos en cada parte {{ claim: stratified }}), la estandariza y sirve minilotes de 64 ejemplos.

# %% [markdown] lang="en"
# ## The data: breast tumors
#
# scikit-learn's *breast cancer* set describes {{ value: n_tumours }} tumors with {{ value: n_features }} measurements of the cell nuclei (radius, texture, concavity…), labeled malignant or benign. We take **malignant** as the positive class, because it is the one a screening test must not miss. The `LightningDataModule` loads the table, splits it with stratification (75% training, 25% validation, with {{ value: malignant_share }} malignant in each part {{ claim: stratified }}), standardizes it and serves mini-batches of 64 examples.

# %%
import torch
from dlcourse.bilingual import claim, number, percent, publish, tr
from dlcourse.models import count_parameters
from dlcourse.plotting import new_figure, plot_confusion_matrix, set_alt
from dlcourse.runtime import seed_all
from dlcourse.training import best_epoch
from dlcourse.training.lightning import (
    BinaryClassifier,
    TableDataModule,
    logged_metrics,
    make_trainer,
)
from torchmetrics.functional.classification import binary_confusion_matrix

data = TableDataModule("breast_cancer", batch_size=64, positive="malignant")
data.setup()
split = data.split
train_word = tr(es="entrenamiento", en="train")
val_word = tr(es="validación", en="validation")
class_words = {
    "benign": tr(es="benigno", en="benign"),
    "malignant": tr(es="maligno", en="malignant"),
}
shapes = tuple(split.x_train.shape), tuple(split.x_val.shape)
print(f"{train_word} {shapes[0]} · {val_word} {shapes[1]}")
names = split.target_names  # (0, 1): the positive class is coded as 1
classes = ", ".join(
    f"{i} = {class_words[name]}" for i, name in enumerate(names)
)
print(f"{tr(es='clases', en='classes')}: {classes}")
share_train, share_val = split.y_train.mean().item(), split.y_val.mean().item()
print(
    tr(es="proporción de malignos", en="share of malignant")
    + f": {train_word} {percent(share_train, 1)} · "
    f"{val_word} {percent(share_val, 1)}"
)
n_train, n_val = len(split.x_train), len(split.x_val)
publish("n_tumours", n_train + n_val)
publish("n_features", split.n_features)
publish("n_train", n_train)
publish("n_val", n_val)
publish("malignant_share", percent(share_train))
claim(
    "stratified",
    abs(share_train - share_val) < 0.01,
    es="entrenamiento y validación tienen la misma proporción de malignos, "
    "a menos de un punto porcentual",
    en="training and validation have the same share of malignant tumors, "
    "within one percentage point",
)

# %% [markdown] lang="es"
# ## El modelo y el entrenamiento
#
# `BinaryClassifier` es un `LightningModule`: guarda la red (un MLP $F \to 16 \to 8 \to 1$ con ReLU, donde $F$ es el número de medidas), define `training_step` y `validation_step` (calculan la pérdida y la exactitud y las registran con `self.log`) y `configure_optimizers` (AdamW). El `Trainer` hace el resto: recorre las épocas, llama a `backward()` y al optimizador, y evalúa en validación al final de cada época. `make_trainer` lo configura para que sea reproducible y silencioso, y usa la GPU si la hay.

# %% [markdown] lang="en"
# ## The model and the training
#
# `BinaryClassifier` is a `LightningModule`: it holds the network (an MLP $F \to 16 \to 8 \to 1$ with ReLU, where $F$ is the number of measurements), defines `training_step` and `validation_step` (they compute loss and accuracy and record them with `self.log`) and `configure_optimizers` (AdamW). The `Trainer` does the rest: it loops over epochs, calls `backward()` and the optimizer, and evaluates on validation at the end of every epoch. `make_trainer` sets it up to be reproducible and quiet, and uses the GPU when there is one.

# %%
seed_all(0)  # the initial weights depend on the seed
model = BinaryClassifier(n_features=split.n_features, hidden=(16, 8), lr=3e-3)
print(model.net)
n_params = count_parameters(model)
params_word = tr(es="parámetros entrenables", en="trainable parameters")
print(f"{params_word}: {n_params}")
trainer = make_trainer("binary-classification", max_epochs=40)
trainer.fit(model, datamodule=data)
history = logged_metrics(trainer)
n_epochs = len(history["train_loss"])
best = best_epoch(history["val_loss"]) + 1  # 1-based, as the epochs are printed
train_loss_word = tr(es="pérdida de entrenamiento", en="train loss")
val_loss_word = tr(es="pérdida de validación", en="validation loss")
val_acc_word = tr(es="exactitud de validación", en="validation accuracy")
train_loss, val_loss = history["train_loss"], history["val_loss"]
val_acc = history["val_acc"]
print(
    tr(es=f"tras {n_epochs} épocas", en=f"after {n_epochs} epochs")
    + f": {train_loss_word} {number(train_loss[-1])} · "
    f"{val_loss_word} {number(val_loss[-1])} · "
    f"{val_acc_word} {number(val_acc[-1])}"
)
lowest = number(min(val_loss))
print(
    tr(
        es=f"mínima pérdida de validación {lowest} en la época {best}",
        en=f"lowest validation loss {lowest} at epoch {best}",
    )
)
# validation accuracy from the loss minimum to the end
since_best = val_acc[best - 1 :]
publish("n_params", n_params)
publish("n_epochs", n_epochs)
publish("val_acc", percent(val_acc[-1], 1))
publish("best_epoch", best)
publish("val_loss_min", min(val_loss))
publish("val_loss_final", val_loss[-1])
publish("train_loss_first", train_loss[0])
publish("train_loss_final", train_loss[-1])
publish("val_acc_at_best", val_acc[best - 1])
publish("val_acc_final", val_acc[-1])
claim(
    "high_accuracy",
    val_acc[-1] > 0.9,
    es="la exactitud final de validación supera el 90 %",
    en="the final validation accuracy is above 90%",
)
claim(
    "val_loss_bottoms",
    best <= n_epochs - 5 and val_loss[-1] > min(val_loss),
    es="la pérdida de validación tiene su mínimo al menos cinco épocas antes "
    "del final y termina por encima de él",
    en="the validation loss reaches its minimum at least five epochs before "
    "the end and ends above it",
)
claim(
    "train_keeps_falling",
    train_loss[-1] < train_loss[best - 1]
    and train_loss[-1] < train_loss[0] / 10,
    es="la pérdida de entrenamiento sigue bajando después de ese mínimo y "
    "termina por debajo de una décima parte de la inicial",
    en="the training loss keeps falling after that minimum and ends below a "
    "tenth of its initial value",
)
claim(
    "accuracy_steady",
    (max(since_best) - min(since_best)) * n_val <= 3.5,
    es="desde el mínimo de la pérdida de validación hasta el final, la "
    "exactitud de validación varía en tres aciertos o menos",
    en="from the validation-loss minimum to the end, validation accuracy "
    "varies by three hits or fewer",
)

# %% [markdown] lang="es"
# ## Curvas de aprendizaje
#
# Las curvas salen del registro CSV que escribe el *logger* de Lightning durante `fit` (en una carpeta temporal, fuera del repositorio).

# %% [markdown] lang="en"
# ## Learning curves
#
# The curves come from the CSV log that Lightning's logger writes during `fit` (in a temporary folder, outside the repository).

# %%
fig, (ax_loss, ax_acc) = new_figure(ncols=2, width=5.2)
epochs = range(1, n_epochs + 1)
ax_loss.plot(epochs, train_loss, label=train_word)
ax_loss.plot(epochs, val_loss, label=val_word)
ax_loss.axvline(best, color="#555555", linestyle="--", linewidth=1)
epoch_word = tr(es="época", en="epoch")
ax_loss.set(
    title=tr(es="Entropía cruzada", en="Cross-entropy"),
    xlabel=epoch_word,
    ylabel=tr(es="pérdida", en="loss"),
)
ax_loss.legend()
ax_acc.plot(epochs, history["train_acc"], label=train_word)
ax_acc.plot(epochs, val_acc, label=val_word)
ax_acc.set(
    title=tr(es="Exactitud", en="Accuracy"),
    xlabel=epoch_word,
    ylabel=tr(es="exactitud", en="accuracy"),
    ylim=(0.8, 1.0),
)
ax_acc.legend()
set_alt(
    fig,
    es=f"Curvas de pérdida y exactitud durante {n_epochs} épocas: la pérdida "
    "de entrenamiento baja sin parar; la de validación alcanza su mínimo en la "
    f"época {best} (línea discontinua). La exactitud de validación termina en "
    f"{number(val_acc[-1], '.2f')}.",
    en=f"Loss and accuracy curves over {n_epochs} epochs: training loss "
    "keeps falling; validation loss reaches its minimum at epoch "
    f"{best} (dashed line). Validation accuracy ends at "
    f"{number(val_acc[-1], '.2f')}.",
)

# %% [markdown] lang="es"
# ## Matriz de confusión con el umbral 0,5
#
# La exactitud resume todo en un número; la matriz de confusión separa los dos errores posibles. Un **falso negativo** (un tumor maligno clasificado como benigno) es mucho más grave que un **falso positivo**, que solo lleva a más pruebas. Dos métricas los miden: la **precisión** $\frac{TP}{TP + FP}$ (de los que marcamos como malignos, cuántos lo son) y la **exhaustividad** $\frac{TP}{TP + FN}$ (de los malignos, cuántos encontramos).

# %% [markdown] lang="en"
# ## Confusion matrix at threshold 0.5
#
# Accuracy sums everything up in one number; the confusion matrix separates the two possible errors. A **false negative** (a malignant tumor classified as benign) is far more serious than a **false positive**, which only leads to more tests. Two metrics measure them: **precision** $\frac{TP}{TP + FP}$ (of those we flag as malignant, how many are) and **recall** $\frac{TP}{TP + FN}$ (of the malignant ones, how many we find).

# %%
probabilities = model.predict_proba(split.x_val)  # (N_val,)
truth = split.y_val.int()  # (N_val,)
precision_word = tr(es="precisión", en="precision")
recall_word = tr(es="exhaustividad", en="recall")
threshold_word = tr(es="umbral", en="threshold")
accuracy_word = tr(es="exactitud", en="accuracy")


def summarize(threshold: float) -> torch.Tensor:
    """Print metrics and errors at a threshold; return the confusion matrix."""
    matrix = binary_confusion_matrix(
        probabilities, truth, threshold=threshold
    )  # [[TN, FP], [FN, TP]]
    (tn, fp), (fn, tp) = matrix.tolist()
    print(
        f"{threshold_word} {number(threshold, '.2f')}: "
        f"{accuracy_word} {number((tp + tn) / len(truth))} · "
        f"{precision_word} {number(tp / max(tp + fp, 1))} · "
        f"{recall_word} {number(tp / (tp + fn))} · "
        f"{tr(es='falsos negativos', en='false negatives')} {fn} · "
        f"{tr(es='falsos positivos', en='false positives')} {fp}"
    )
    return matrix


matrix_default = summarize(0.5)
fn_default = matrix_default[1, 0].item()
fp_default = matrix_default[0, 1].item()
plot_confusion_matrix(
    matrix_default.numpy(),
    [class_words[name] for name in split.target_names],
    title=tr(es="Umbral 0,5", en="Threshold 0.5"),
    alt_es=f"Matriz de confusión con umbral 0,5: {fn_default} tumores malignos "
    f"clasificados como benignos y {fp_default} benignos clasificados como "
    "malignos.",
    alt_en=f"Confusion matrix at threshold 0.5: {fn_default} malignant tumors "
    f"classified as benign and {fp_default} benign ones classified as "
    "malignant.",
)
publish("fn_default", fn_default)
publish("fp_default", fp_default)
claim(
    "false_negatives_left",
    fn_default > 0,
    es="con el umbral 0,5 quedan tumores malignos clasificados como benignos",
    en="at threshold 0.5 some malignant tumors are classified as benign",
)

# %% [markdown] lang="es"
# ## Elegir el umbral
#
# El umbral no es parte del modelo: es una decisión sobre qué error preferimos. Barremos $t$ de 0,02 a 0,98 y dibujamos precisión y exhaustividad. Después elegimos el umbral más alto que todavía encuentra al menos el {{ value: target_recall }} de los tumores malignos de validación (si ninguno lo consigue, el de mayor exhaustividad).
#
# !!! warning "Un matiz metodológico"
#     Elegir el umbral con el conjunto de validación y medir ahí mismo el resultado es optimista. En un estudio real, el umbral se fija con validación y el rendimiento final se mide en un conjunto de prueba que no se ha tocado.

# %% [markdown] lang="en"
# ## Choosing the threshold
#
# The threshold is not part of the model: it is a decision about which error we prefer. We sweep $t$ from 0.02 to 0.98 and draw precision and recall. Then we pick the highest threshold that still finds at least {{ value: target_recall }} of the malignant tumors in validation (if none does, the one with the best recall).
#
# !!! warning "A methodological caveat"
#     Choosing the threshold on the validation set and measuring the result on that same set is optimistic. In a real study, the threshold is fixed on validation and final performance is measured on an untouched test set.

# %%
thresholds = torch.linspace(0.02, 0.98, 49)  # (49,)
precision, recall = [], []
for t in thresholds:
    swept = binary_confusion_matrix(probabilities, truth, threshold=t.item())
    (tn, fp), (fn, tp) = swept.tolist()
    precision.append(tp / max(tp + fp, 1))
    recall.append(tp / (tp + fn))
target_recall = 0.96
pairs = zip(thresholds.tolist(), recall, strict=True)
reaching = [t for t, r in pairs if r >= target_recall]
# If no threshold reaches the target, fall back to the one with the best recall.
fallback = thresholds[torch.tensor(recall).argmax()].item()
chosen = max(reaching) if reaching else fallback
print(
    tr(
        es=f"umbrales con exhaustividad ≥ {percent(target_recall)}: "
        f"{len(reaching)} de {len(thresholds)} · "
        f"elegido {number(chosen, '.2f')}",
        en=f"thresholds with recall ≥ {percent(target_recall)}: "
        f"{len(reaching)} of {len(thresholds)} · "
        f"chosen {number(chosen, '.2f')}",
    )
)

fig, ax = new_figure()
ax.plot(thresholds, precision, marker="o", markersize=3, label=precision_word)
ax.plot(thresholds, recall, marker="s", markersize=3, label=recall_word)
ax.axvline(chosen, color="#555555", linestyle="--", linewidth=1)
ax.set(
    title=tr(es="Precisión y exhaustividad", en="Precision and recall"),
    xlabel=threshold_word,
    ylabel=tr(es="valor", en="value"),
    ylim=(0.5, 1.02),
)
ax.legend(loc="lower left")
set_alt(
    fig,
    es="Precisión y exhaustividad frente al umbral: al subir el umbral la "
    "precisión crece y la exhaustividad baja; una línea discontinua marca el "
    f"umbral elegido, {number(chosen, '.2f')}.",
    en="Precision and recall against the threshold: as the threshold rises, "
    "precision grows and recall falls; a dashed line marks the chosen "
    f"threshold, {number(chosen, '.2f')}.",
)
matrix_chosen = summarize(chosen)
fn_chosen, fp_chosen = matrix_chosen[1, 0].item(), matrix_chosen[0, 1].item()
(_, _), (_, tp_default) = matrix_default.tolist()
precision_default = tp_default / max(tp_default + fp_default, 1)
recall_default = tp_default / (tp_default + fn_default)
publish("target_recall", percent(target_recall))
publish("chosen", chosen, ".2f")
publish("fn_chosen", fn_chosen)
publish("fp_chosen", fp_chosen)
claim(
    "trade_off",
    recall[0] > recall_default and precision[0] < precision_default,
    es="con el umbral más bajo del barrido, la exhaustividad es mayor y la "
    "precisión menor que con 0,5",
    en="at the lowest threshold swept, recall is higher, precision lower than "
    "at 0.5",
)
claim(
    "fewer_false_negatives",
    chosen < 0.5 and fn_chosen < fn_default,
    es="el umbral elegido es menor que 0,5 y deja menos falsos negativos",
    en="the chosen threshold is below 0.5 and leaves fewer false negatives",
)

# %% [markdown] lang="es"
# ## Qué observar
#
# - Con solo {{ value: n_features }} entradas y {{ value: n_train }} ejemplos de entrenamiento, un MLP pequeño de {{ value: n_params }} parámetros llega a un {{ value: val_acc }} de exactitud en validación tras {{ value: n_epochs }} épocas {{ claim: high_accuracy }}.
# - La pérdida de validación toca fondo en la época {{ value: best_epoch }} (la línea discontinua), con {{ value: val_loss_min }}, y termina algo más arriba, en {{ value: val_loss_final }} {{ claim: val_loss_bottoms }}, mientras la de entrenamiento sigue bajando hacia cero, de {{ value: train_loss_first }} a {{ value: train_loss_final }} {{ claim: train_keeps_falling }}: es el primer síntoma de sobreajuste. La exactitud apenas se mueve (de {{ value: val_acc_at_best }} en ese mínimo a {{ value: val_acc_final }} al final) {{ claim: accuracy_steady }}, porque solo cuenta aciertos, mientras que la entropía cruzada también castiga la confianza excesiva en los errores.
# - Con el umbral 0,5 la exactitud es alta, pero los errores que quedan no valen lo mismo: la matriz separa los falsos negativos ({{ value: fn_default }}) de los falsos positivos ({{ value: fp_default }}) {{ claim: false_negatives_left }}.
# - Bajar el umbral cambia falsos negativos por falsos positivos: a lo largo de la curva, la exhaustividad sube y la precisión tiende a bajar {{ claim: trade_off }}. Compara las dos líneas impresas con umbral 0,5 y con el umbral elegido, {{ value: chosen }}: los falsos negativos pasan de {{ value: fn_default }} a {{ value: fn_chosen }} y los falsos positivos, de {{ value: fp_default }} a {{ value: fp_chosen }} {{ claim: fewer_false_negatives }}. El modelo es el mismo; solo cambia la decisión.
# - Todo lo que escribimos fue el modelo y sus pasos; el bucle de épocas, `backward()`, el optimizador, la validación y el registro los puso el `Trainer`.

# %% [markdown] lang="en"
# ## What to notice
#
# - With only {{ value: n_features }} inputs and {{ value: n_train }} training examples, a small {{ value: n_params }}-parameter MLP reaches {{ value: val_acc }} validation accuracy after {{ value: n_epochs }} epochs {{ claim: high_accuracy }}.
# - The validation loss bottoms out at epoch {{ value: best_epoch }} (the dashed line), at {{ value: val_loss_min }}, and ends a little higher, at {{ value: val_loss_final }} {{ claim: val_loss_bottoms }}, while the training loss keeps falling toward zero, from {{ value: train_loss_first }} to {{ value: train_loss_final }} {{ claim: train_keeps_falling }}: the first symptom of overfitting. Accuracy barely moves (from {{ value: val_acc_at_best }} at that minimum to {{ value: val_acc_final }} at the end) {{ claim: accuracy_steady }}, because it only counts hits, whereas cross-entropy also punishes overconfident mistakes.
# - At threshold 0.5 accuracy is high, but the remaining errors are not worth the same: the matrix separates the false negatives ({{ value: fn_default }}) from the false positives ({{ value: fp_default }}) {{ claim: false_negatives_left }}.
# - Lowering the threshold trades false negatives for false positives: along the curve, recall goes up and precision tends to go down {{ claim: trade_off }}. Compare the two printed lines at threshold 0.5 and at the chosen threshold, {{ value: chosen }}: false negatives go from {{ value: fn_default }} to {{ value: fn_chosen }} and false positives from {{ value: fp_default }} to {{ value: fp_chosen }} {{ claim: fewer_false_negatives }}. The model is the same; only the decision changes.
# - All we wrote was the model and its steps; the epoch loop, `backward()`, the optimizer, validation and logging came from the `Trainer`.

# %% [markdown] lang="es"
# ## Ejercicios
#
# 1. Entrena el mismo modelo sin capas ocultas (`hidden=()`): eso es una regresión logística, una sola neurona con sigmoide. ¿Cuánto pierdes en exactitud de validación?
# 2. Sube la tasa de aprendizaje a `lr=0.1` y vuelve a dibujar las curvas. ¿Qué cambia?
# 3. Escribe una función que devuelva el umbral que minimiza el coste total si un falso negativo cuesta 10 veces más que un falso positivo.

# %% [markdown] lang="en"
# ## Exercises
#
# 1. Train the same model without hidden layers (`hidden=()`): that is logistic regression, a single neuron with a sigmoid. How much validation accuracy do you lose?
# 2. Raise the learning rate to `lr=0.1` and draw the curves again. What changes?
# 3. Write a function that returns the threshold minimizing total cost if a false negative costs 10 times as much as a false positive.

# %% [markdown] lang="es" solution="1"
# Pierdes poco o nada: la regresión logística acierta el {{ value: logistic_val_acc }} de los tumores de validación, frente al {{ value: val_acc }} del MLP, una diferencia de {{ value: logistic_hits_lost }} de {{ value: n_val }} tumores {{ claim: logistic_close }}. Las clases son casi separables linealmente en las {{ value: n_features }} medidas estandarizadas: una sola neurona clasifica bien el {{ value: logistic_train_acc }} de los tumores de entrenamiento {{ claim: nearly_separable }}. Además sobreajusta menos: al final su pérdida de validación supera a la de entrenamiento en {{ value: logistic_gap }}, frente a {{ value: mlp_gap }} en el MLP {{ claim: logistic_overfits_less }}. Es la línea base obligada: una red más compleja tiene que superarla para justificar su coste.

# %% [markdown] lang="en" solution="1"
# You lose little or nothing: logistic regression gets {{ value: logistic_val_acc }} of the validation tumors right, against the MLP's {{ value: val_acc }}, a difference of {{ value: logistic_hits_lost }} out of {{ value: n_val }} tumors {{ claim: logistic_close }}. The classes are almost linearly separable in the {{ value: n_features }} standardized measurements: a single neuron classifies {{ value: logistic_train_acc }} of the training tumors correctly {{ claim: nearly_separable }}. It also overfits less: at the end its validation loss exceeds its training loss by {{ value: logistic_gap }}, against {{ value: mlp_gap }} for the MLP {{ claim: logistic_overfits_less }}. It is the baseline to beat: a more complex network has to outperform it to justify its cost.

# %% solution="1"
seed_all(0)
logistic = BinaryClassifier(n_features=split.n_features, hidden=(), lr=3e-3)
logistic_trainer = make_trainer("binary-classification-logistic", max_epochs=40)
logistic_trainer.fit(logistic, datamodule=data)
logistic_history = logged_metrics(logistic_trainer)
train_acc_word = tr(es="exactitud de entrenamiento", en="train accuracy")
gaps = {}
for name, run in (
    (tr(es="regresión logística", en="logistic regression"), logistic_history),
    ("MLP", history),
):
    gaps[name] = run["val_loss"][-1] - run["train_loss"][-1]
    print(
        f"{name}: {train_acc_word} {number(run['train_acc'][-1])} · "
        f"{val_acc_word} {number(run['val_acc'][-1])} · "
        f"{val_loss_word} − {train_loss_word} {number(gaps[name])}"
    )
logistic_gap, mlp_gap = gaps.values()
hits_lost = round((val_acc[-1] - logistic_history["val_acc"][-1]) * n_val)
publish("logistic_val_acc", percent(logistic_history["val_acc"][-1], 1))
publish("logistic_train_acc", percent(logistic_history["train_acc"][-1], 1))
publish("logistic_hits_lost", abs(hits_lost))
publish("logistic_gap", logistic_gap)
publish("mlp_gap", mlp_gap)
claim(
    "logistic_close",
    hits_lost <= 3,
    es="la regresión logística acierta como mucho tres tumores menos que el "
    "MLP",
    en="logistic regression gets at most three fewer tumors right than the MLP",
)
claim(
    "nearly_separable",
    logistic_history["train_acc"][-1] > 0.97,
    es="una sola neurona clasifica bien más del 97 % de los tumores de "
    "entrenamiento",
    en="a single neuron classifies more than 97% of the training tumors "
    "correctly",
)
claim(
    "logistic_overfits_less",
    logistic_gap < mlp_gap,
    es="la distancia entre la pérdida de validación y la de entrenamiento es "
    "menor en la regresión logística que en el MLP",
    en="the gap between validation and training loss is smaller for logistic "
    "regression than for the MLP",
)

# %% [markdown] lang="es" solution="2"
# Con `lr=0.1` la pérdida de entrenamiento se desploma: baja de {{ value: low_loss }} ya en la época {{ value: fast_low_epoch }}, frente a la {{ value: slow_low_epoch }} con `lr=3e-3` {{ claim: fast_collapses }}. La pérdida de validación, en cambio, toca fondo antes (en la época {{ value: fast_best_epoch }}, frente a la {{ value: best_epoch }}) {{ claim: fast_memorises_sooner }}, salta de un valor a otro (la suma de sus saltos entre épocas es {{ value: fast_jumps }}, frente a {{ value: slow_jumps }}) {{ claim: fast_unstable }} y acaba bastante más alta: {{ value: fast_val_loss }} frente a {{ value: val_loss_final }} {{ claim: fast_val_worse }}. Pasos grandes sobre un conjunto pequeño llevan a memorizar antes y hacen el entrenamiento inestable. La exactitud de validación, {{ value: fast_val_acc }} frente al {{ value: val_acc }} con `lr=3e-3`, no lo refleja {{ claim: fast_accuracy_holds }}: la pérdida sube por errores cometidos con demasiada confianza, no por más errores.

# %% [markdown] lang="en" solution="2"
# With `lr=0.1` the training loss collapses: it drops below {{ value: low_loss }} as early as epoch {{ value: fast_low_epoch }}, against epoch {{ value: slow_low_epoch }} with `lr=3e-3` {{ claim: fast_collapses }}. The validation loss, on the other hand, bottoms out sooner (at epoch {{ value: fast_best_epoch }}, against {{ value: best_epoch }}) {{ claim: fast_memorises_sooner }}, jumps from one value to another (the sum of its jumps between epochs is {{ value: fast_jumps }}, against {{ value: slow_jumps }}) {{ claim: fast_unstable }} and ends well above: {{ value: fast_val_loss }} against {{ value: val_loss_final }} {{ claim: fast_val_worse }}. Large steps on a small set lead to memorizing sooner and make training unstable. Validation accuracy, {{ value: fast_val_acc }} against {{ value: val_acc }} with `lr=3e-3`, does not show it {{ claim: fast_accuracy_holds }}: the loss rises because of overconfident mistakes, not because of more mistakes.

# %% solution="2"
seed_all(0)
fast = BinaryClassifier(n_features=split.n_features, hidden=(16, 8), lr=0.1)
fast_trainer = make_trainer("binary-classification-fast", max_epochs=40)
fast_trainer.fit(fast, datamodule=data)
fast_history = logged_metrics(fast_trainer)
low_loss = 0.05  # "almost zero" for the training loss


def first_epoch_below(losses: list[float], level: float) -> int:
    """First epoch (1-based) whose loss is below ``level``.

    One past the end if there is none.
    """
    below = (i + 1 for i, value in enumerate(losses) if value < level)
    return next(below, len(losses) + 1)


def total_jumps(losses: list[float]) -> float:
    """Sum of the absolute changes from one epoch to the next."""
    return sum(abs(b - a) for a, b in zip(losses, losses[1:], strict=False))


runs = {3e-3: history, 0.1: fast_history}
low_loss_text = number(low_loss, ".2f")
summary = {}
for lr, run in runs.items():
    summary[lr] = (
        first_epoch_below(run["train_loss"], low_loss),
        best_epoch(run["val_loss"]) + 1,
        total_jumps(run["val_loss"]),
    )
    low, lowest, jumps = summary[lr]
    print(
        f"lr={number(lr, 'g')}: "
        + tr(
            es=f"{train_loss_word} < {low_loss_text} en la época {low}",
            en=f"{train_loss_word} < {low_loss_text} at epoch {low}",
        )
        + " · "
        + tr(
            es=f"mínima {val_loss_word} en la época {lowest}",
            en=f"lowest {val_loss_word} at epoch {lowest}",
        )
        + f" · {tr(es='suma de saltos', en='sum of jumps')} {number(jumps)}"
        + f" · {val_loss_word} {number(run['val_loss'][-1])}"
        + f" · {val_acc_word} {number(run['val_acc'][-1])}"
    )

fig, (ax_train, ax_val) = new_figure(ncols=2, width=5.2)
for lr, run in runs.items():
    ax_train.plot(epochs, run["train_loss"], label=f"lr = {number(lr, 'g')}")
    ax_val.plot(epochs, run["val_loss"], label=f"lr = {number(lr, 'g')}")
train_title = tr(es="Entrenamiento", en="Training")
ax_train.set(title=train_title, xlabel=epoch_word, ylabel=train_loss_word)
val_title = tr(es="Validación", en="Validation")
ax_val.set(title=val_title, xlabel=epoch_word, ylabel=val_loss_word)
ax_train.legend()
ax_val.legend()
set_alt(
    fig,
    es="Pérdida de entrenamiento (izquierda) y de validación (derecha) con dos "
    "tasas de aprendizaje: con lr = 0,1 la de entrenamiento cae casi a cero en "
    "pocas épocas y la de validación sube a saltos; con lr = 0,003 ambas bajan "
    "de forma suave.",
    en="Training loss (left) and validation loss (right) with two learning "
    "rates: with lr = 0.1 training loss drops to almost zero within a few "
    "epochs and validation loss climbs in jumps; with lr = 0.003 both fall "
    "smoothly.",
)
slow_low, slow_best, slow_jumps = summary[3e-3]
fast_low, fast_best, fast_jumps = summary[0.1]
fast_val_loss = fast_history["val_loss"][-1]
fast_hits = round(fast_history["val_acc"][-1] * n_val)
slow_hits = round(val_acc[-1] * n_val)
publish("low_loss", low_loss, ".2f")
publish("fast_low_epoch", fast_low)
publish("slow_low_epoch", slow_low)
publish("fast_best_epoch", fast_best)
publish("fast_jumps", fast_jumps, ".2f")
publish("slow_jumps", slow_jumps, ".2f")
publish("fast_val_loss", fast_val_loss)
publish("fast_val_acc", percent(fast_history["val_acc"][-1], 1))
claim(
    "fast_collapses",
    2 * fast_low < slow_low,
    es="con lr=0,1 la pérdida de entrenamiento baja del umbral en menos de la "
    "mitad de épocas que con lr=0,003",
    en="with lr=0.1 the training loss drops below the level in less than "
    "half the epochs it takes with lr=0.003",
)
claim(
    "fast_memorises_sooner",
    fast_best < slow_best,
    es="con lr=0,1 la pérdida de validación toca fondo antes",
    en="with lr=0.1 the validation loss bottoms out sooner",
)
claim(
    "fast_unstable",
    fast_jumps > slow_jumps,
    es="con lr=0,1 la pérdida de validación cambia más de una época a otra",
    en="with lr=0.1 the validation loss changes more from one epoch to the "
    "next",
)
claim(
    "fast_val_worse",
    fast_val_loss > 2 * val_loss[-1],
    es="con lr=0,1 la pérdida final de validación es más del doble que con "
    "lr=0,003",
    en="with lr=0.1 the final validation loss is more than twice that with "
    "lr=0.003",
)
claim(
    "fast_accuracy_holds",
    fast_hits >= slow_hits - 2,
    es="con lr=0,1 la exactitud de validación no baja en más de dos aciertos",
    en="with lr=0.1 validation accuracy drops by no more than two hits",
)

# %% [markdown] lang="es" solution="3"
# Con costes asimétricos el umbral óptimo baja: con un falso negativo 10 veces más caro, el coste total mínimo, {{ value: cost_min }}, se alcanza con {{ value: cheapest_range }} {{ claim: cheaper_below_half }}, mientras que con el umbral 0,5 el coste sería {{ value: cost_default }}. Si las probabilidades estuvieran bien calibradas y un falso negativo costara $c$ veces un falso positivo, el umbral teórico sería $1 / (1 + c)$, {{ value: theory_threshold }} para $c = 10$. Con solo {{ value: n_val }} tumores de validación el coste cambia a saltos, de modo que la posición exacta del mínimo depende de unos pocos ejemplos.

# %% [markdown] lang="en" solution="3"
# With asymmetric costs the optimal threshold moves down: with a false negative 10 times as expensive, the lowest total cost, {{ value: cost_min }}, is reached with {{ value: cheapest_range }} {{ claim: cheaper_below_half }}, while threshold 0.5 would cost {{ value: cost_default }}. If the probabilities were well calibrated and a false negative cost $c$ times a false positive, the theoretical threshold would be $1 / (1 + c)$, {{ value: theory_threshold }} for $c = 10$. With only {{ value: n_val }} validation tumors the cost changes in steps, so the exact position of the minimum depends on a few examples.


# %% solution="3"
def threshold_costs(
    probabilities: torch.Tensor,
    truth: torch.Tensor,
    fn_cost: float,
    fp_cost: float,
) -> dict[float, float]:
    """Total cost of the errors at each threshold from 0.01 to 0.99."""
    costs = {}
    for t in torch.linspace(0.01, 0.99, 99).tolist():
        matrix = binary_confusion_matrix(probabilities, truth, threshold=t)
        (tn, fp), (fn, tp) = matrix.tolist()
        costs[t] = fn_cost * fn + fp_cost * fp
    return costs


def cheapest_threshold(
    probabilities: torch.Tensor,
    truth: torch.Tensor,
    fn_cost: float = 10.0,
    fp_cost: float = 1.0,
) -> float:
    """The threshold with the lowest total cost (the lowest, if several tie)."""
    costs = threshold_costs(probabilities, truth, fn_cost, fp_cost)
    return min(costs, key=costs.__getitem__)


fn_cost = 10.0
costs = threshold_costs(probabilities, truth, fn_cost=fn_cost, fp_cost=1.0)
cheapest = cheapest_threshold(probabilities, truth, fn_cost=fn_cost)
tied = [t for t, cost in costs.items() if cost == costs[cheapest]]
cost_default = costs[min(costs, key=lambda t: abs(t - 0.5))]
theory = 1 / (1 + fn_cost)
low_t, high_t = number(min(tied), ".2f"), number(max(tied), ".2f")
if len(tied) == 1:
    cheapest_range = tr(es=f"el umbral {low_t}", en=f"threshold {low_t}")
else:
    cheapest_range = tr(
        es=f"cualquier umbral entre {low_t} y {high_t}",
        en=f"any threshold from {low_t} to {high_t}",
    )
print(
    tr(es="coste mínimo", en="lowest cost")
    + f" {number(costs[cheapest], '.0f')} ({cheapest_range}) · "
    + tr(es="coste con umbral", en="cost at threshold")
    + f" {number(0.5, '.2f')}: {number(cost_default, '.0f')}"
)
print(f"1 / (1 + c) = {number(theory, '.2f')}")
matrix_cheapest = summarize(cheapest)
publish("cost_min", costs[cheapest], ".0f")
publish("cost_default", cost_default, ".0f")
publish("cheapest_range", cheapest_range)
publish("theory_threshold", theory, ".2f")
claim(
    "cheaper_below_half",
    max(tied) < 0.5,
    es="todos los umbrales de coste mínimo están por debajo de 0,5",
    en="every threshold with the lowest cost is below 0.5",
)
