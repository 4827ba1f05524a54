# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy"]
#
# [tool.docs-snippet]
# title = { zh = "线性回归：Keras Dense 层 + model.fit", en = "Linear regression: a Keras Dense layer and model.fit" }
# timeout = 120
# backends = ["tensorflow", "jax"]
#
# [[tool.docs-snippet.check]]
# pattern = 'loss: first epoch (?P<first>\S+), last epoch (?P<last>\S+)'
# expect = "last < 0.3 and last < first / 4"
# why = "the loss must fall to near the noise variance 0.25"
#
# [[tool.docs-snippet.check]]
# pattern = 'learned: +w = (?P<w>\S+), b = (?P<b>\S+)'
# expect = "abs(w - 3) < 0.2 and abs(b - 2) < 0.1"
# why = "standard errors are about 0.055 (w) and 0.032 (b) for N = 1000; the tolerance also absorbs SGD noise"
# ///
# --8<-- [start:program]
"""Fit y = w x + b to data from y = 3x + 2 + noise: one Keras Dense unit and
model.fit."""

import os

import keras
import numpy as np

EPOCHS = 25 if os.environ.get("SNIPPETS_QUICK") else 50  # quick mode: the tests

keras.utils.set_random_seed(0)
N = 1000
x = np.random.rand(N, 1).astype("float32")
y = (3 * x + 2 + 0.5 * np.random.randn(N, 1)).astype("float32")

# Keras 3: declare the input with keras.Input, not input_shape= on the layer.
model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
history = model.fit(x, y, epochs=EPOCHS, batch_size=32, verbose=2)

kernel, bias = model.layers[0].get_weights()
losses = history.history["loss"]
print(f"loss: first epoch {losses[0]:.4f}, last epoch {losses[-1]:.4f}")
print(f"learned: w = {kernel[0, 0]:.4f}, b = {bias[0]:.4f}")
# --8<-- [end:program]
