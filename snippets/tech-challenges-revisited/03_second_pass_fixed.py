# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy", "scikit-learn", "matplotlib"]
#
# [tool.docs-snippet]
# title = { zh = "§5.3 第二稿的示例（修正后）：标准化、Dropout、softmax 输出与训练曲线", en = "§5.3 The second pass's example, fixed: standardization, dropout, a softmax output and training curves" }
# timeout = 90
# backends = ["tensorflow", "jax"]
# outputs = ["training_curves.png", "training_curves-dark.png"]
#
# [[tool.docs-snippet.check]]
# pattern = 'Test accuracy: (?P<acc>\S+)'
# expect = "acc > 0.78"
# why = "training seeds 0-4 and 42 gave 0.825-0.855 in quick mode (5 epochs) and 0.825-0.850 in full mode (10 epochs) on the fixed 200 held-out samples; on JAX, seeds 0-3 and 42 gave 0.810-0.840 in quick mode; one sample is 0.005, the binomial standard error near 0.83 is 0.027; chance is 0.5"
#
# [[tool.docs-snippet.check]]
# pattern = 'largest \|row sum - 1\| of the softmax outputs: (?P<gap>\S+)'
# expect = "gap < 1e-5"
# why = "a softmax output gives one probability distribution over the two classes per sample"
# ///
# --8<-- [start:program]
"""The second pass's example, made runnable: same data as §5.2, one-hot labels,
Dense(2, softmax), curves saved to a PNG."""

import os

import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

SEED = int(os.environ.get("SEED", 42))  # training seed; the data is always the same
EPOCHS = 5 if os.environ.get("SNIPPETS_QUICK") else 10  # quick mode for the test suite
keras.utils.set_random_seed(SEED)

# Data: the same 1,000 samples as §5.2 (the original never defined X and y).
X, y = make_classification(n_samples=1000, n_features=10, n_classes=2, random_state=42)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42
)

# Standardize with the mean and standard deviation of the training set only.
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

# One-hot labels: class 0 -> [1, 0], class 1 -> [0, 1].
y_train_encoded = keras.utils.to_categorical(y_train, 2)
y_test_encoded = keras.utils.to_categorical(y_test, 2)

# Model: two hidden layers of 64 ReLU units with dropout; softmax over the two
# classes.
model = keras.Sequential([
    keras.Input(shape=(X_train.shape[1],)),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dropout(0.5),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dropout(0.5),
    keras.layers.Dense(2, activation="softmax"),
])
print(f"parameters: {model.count_params()}")

# Compile: one-hot labels and a softmax output go with categorical cross-entropy.
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

# Train for 10 epochs (5 in quick mode) in batches of 32.
history = model.fit(X_train, y_train_encoded, epochs=EPOCHS, batch_size=32,
                    validation_data=(X_test, y_test_encoded), verbose=2)

# Evaluate.
test_loss, test_accuracy = model.evaluate(X_test, y_test_encoded, verbose=0)
print(f"Test loss: {test_loss:.4f}")
print(f"Test accuracy: {test_accuracy:.4f}")
probabilities = model.predict(X_test, verbose=0)
for row in probabilities[:3]:
    print(f"P(class 0) = {row[0]:.4f}, P(class 1) = {row[1]:.4f}")
row_sum_gap = np.max(np.abs(probabilities.sum(axis=1) - 1))
print(f"largest |row sum - 1| of the softmax outputs: {row_sum_gap:.1e}")

# Loss and accuracy curves, saved to the current directory.
def save_curves(path):
    epochs = range(1, EPOCHS + 1)
    plt.figure(figsize=(10, 4))
    plt.subplot(1, 2, 1)
    plt.plot(epochs, history.history["loss"], "o-", label="Training loss")
    plt.plot(epochs, history.history["val_loss"], "s-", label="Validation loss")
    plt.xlabel("Epoch")
    plt.legend()
    plt.title("Loss over epochs")
    plt.subplot(1, 2, 2)
    plt.plot(epochs, history.history["accuracy"], "o-", label="Training accuracy")
    plt.plot(epochs, history.history["val_accuracy"], "s-", label="Validation accuracy")
    plt.xlabel("Epoch")
    plt.legend()
    plt.title("Accuracy over epochs")
    plt.tight_layout()
    plt.savefig(path, dpi=100)


# Twice: in matplotlib's default colours, and in light colours on the background of
# the site's dark palette (#1e2129). The page shows the one that matches the reader's.
save_curves("training_curves.png")
with plt.style.context(["dark_background", {"figure.facecolor": "#1e2129",
                                            "axes.facecolor": "#1e2129"}]):
    save_curves("training_curves-dark.png")
print("saved training_curves.png and training_curves-dark.png")
# --8<-- [end:program]
