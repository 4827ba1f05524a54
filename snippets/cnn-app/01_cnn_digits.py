# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy", "scikit-learn"]
#
# [tool.docs-snippet]
# title = { zh = "§5 卷积神经网络：识别 8×8 手写数字", en = "§5 A convolutional neural network that reads 8×8 handwritten digits" }
# timeout = 120
# backends = ["tensorflow", "jax"]
#
# [[tool.docs-snippet.check]]
# pattern = 'held-out accuracy: (?P<acc>\S+)'
# expect = "acc > 0.93"
# why = "8 seeds in quick mode (8 epochs) gave 0.962-0.976, 5 seeds in full mode (40 epochs) 0.982-0.987; on JAX, seeds 0-3 and 42 gave 0.958-0.976 in quick mode; one sample of the 450 held out is 0.0022, the standard error near 0.97 is about 0.008"
#
# [[tool.docs-snippet.check]]
# pattern = 'training loss: first epoch (?P<first>\S+), last epoch (?P<last>\S+)'
# expect = "last < first / 4"
# why = "the cross-entropy starts near log(10) = 2.30 and must fall well below it"
# ///
# --8<-- [start:program]
"""A small CNN (Conv2D, MaxPooling2D, Dense) trained on scikit-learn's 8x8 handwritten
digits."""

import os

import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = int(os.environ.get("SEED", 0))
EPOCHS = 8 if os.environ.get("SNIPPETS_QUICK") else 40  # quick mode for the test suite
keras.utils.set_random_seed(SEED)

# 1,797 real handwritten digits, 8x8 pixels with values 0..16, shipped with scikit-learn
# (no download).
digits = load_digits()
# scale to [0, 1], add the channel axis: (N, 8, 8, 1)
x = (digits.images / 16.0).astype("float32")[..., np.newaxis]
# one-hot labels, as categorical_crossentropy expects
y = keras.utils.to_categorical(digits.target, 10)
x_train, x_test, y_train, y_test = train_test_split(
    # a fixed, class-balanced held-out set
    x, y, test_size=0.25, random_state=0, stratify=digits.target
)
print(f"train: {x_train.shape}, held-out: {x_test.shape}")

# Same design as the classic 28x28 MNIST CNN, sized for 8x8 inputs: "same" padding keeps
# 8x8 -> 4x4 -> 2x2.
model = keras.Sequential([
    keras.Input(shape=(8, 8, 1)),
    keras.layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
    keras.layers.MaxPooling2D((2, 2)),
    keras.layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    keras.layers.MaxPooling2D((2, 2)),
    keras.layers.Flatten(),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.summary()

# validation_split takes the last 10% of the training set; the held-out set stays unseen
# until the end.
history = model.fit(
    x_train, y_train, batch_size=32, epochs=EPOCHS, validation_split=0.1, verbose=2
)

losses = history.history["loss"]
print(f"training loss: first epoch {losses[0]:.4f}, last epoch {losses[-1]:.4f}")
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
print(f"held-out loss: {test_loss:.4f}")
print(f"held-out accuracy: {test_acc:.4f}")

predicted = np.argmax(model.predict(x_test[:10], verbose=0), axis=1)
print("predicted:", predicted)
print("true:     ", np.argmax(y_test[:10], axis=1))
# --8<-- [end:program]
