# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy"]
#
# [tool.docs-snippet]
# title = { zh = "§5 线性回归：Keras 3 版本，数据 y = 3x + 4 + U(0, 1)", en = "§5 Linear regression in Keras 3 on data y = 3x + 4 + U(0, 1)" }
# timeout = 120
# backends = ["tensorflow", "jax"]
#
# [[tool.docs-snippet.check]]
# pattern = 'loss \(MSE\): first epoch (?P<first>\S+), last epoch (?P<last>\S+), least squares (?P<ls>\S+)'
# expect = "last < first / 10 and last < ls * 1.001"
# why = "full-batch gradient descent must fall to the least-squares minimum of the MSE (0.0850), within 0.1 %"
#
# [[tool.docs-snippet.check]]
# pattern = 'learned by Keras: +w = (?P<w>\S+), b = (?P<b>\S+)\nleast squares: +w = (?P<w_ls>\S+), b = (?P<b_ls>\S+)'
# expect = "abs(w - w_ls) < 2e-3 and abs(b - b_ls) < 2e-3"
# why = "the model must reach the least-squares solution; 2e-3 leaves room for float32 and the last few steps"
#
# [[tool.docs-snippet.check]]
# pattern = 'learned by Keras: +w = (?P<w>\S+), b = (?P<b>\S+)\n(?:.*\n)*?standard errors: +w (?P<se_w>\S+), b (?P<se_b>\S+)'
# expect = "abs(w - 3) < 3 * se_w and abs(b - 4.5) < 3 * se_b"
# why = "U(0, 1) noise has mean 0.5, so the true line of the data is y = 3x + 4.5; 3 standard errors (about 0.30 and 0.17)"
# ///
# --8<-- [start:program]
"""Linear regression with one Keras Dense unit, on the data of the original article:
y = 3x + 4 + U(0, 1)."""

import os

import keras
import numpy as np

EPOCHS = 150 if os.environ.get("SNIPPETS_QUICK") else 300  # quick mode: the tests

# also seeds NumPy: the data are those of the original (np.random.seed(42))
keras.utils.set_random_seed(42)
m = 100
X = np.random.random((m, 1))
y = 3 * X + 4 + np.random.random((m, 1))  # noise U(0, 1): mean 0.5, variance 1/12


def linear_model():
    # Keras 3: declare the input with keras.Input, not input_shape= on the layer.
    return keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(units=1)])


# The original's settings: SGD with its default learning rate 0.01, batches of 32, 100
# epochs.
original = linear_model()
original.compile(optimizer="sgd", loss="mean_squared_error")
original.fit(X, y, epochs=100, verbose=0)
w0, b0 = (v.ravel()[0] for v in original.layers[0].get_weights())
print(f"original settings (lr 0.01, batch 32, 100 epochs): w = {w0:.4f}, b = {b0:.4f}, "
      f"MSE = {original.evaluate(X, y, verbose=0):.4f}")

# Here: full-batch gradient descent (batch_size = m) with learning rate 0.5.
model = linear_model()
model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="mean_squared_error"
)
REPORTED = (1, 2, 3, 5, 10, 20, 50, 100, 150, 200, 300)  # epochs whose loss is printed
report = keras.callbacks.LambdaCallback(
    on_epoch_end=lambda epoch, logs: (
        print(f"epoch {epoch + 1:3d}: loss {logs['loss']:.6f}")
        if epoch + 1 in REPORTED
        else None
    )
)
history = model.fit(X, y, epochs=EPOCHS, batch_size=m, verbose=0, callbacks=[report])
mse = model.evaluate(X, y, verbose=0)

# Ordinary least squares, the exact minimizer of the MSE, and its standard errors.
A = np.hstack([X, np.ones_like(X)])
(w_ls, b_ls), rss = np.linalg.lstsq(A, y, rcond=None)[:2]
# unbiased estimate of the noise variance (true value 1/12 = 0.0833)
sigma2 = rss[0] / (m - 2)
sxx = np.sum((X - X.mean()) ** 2)
se_w, se_b = np.sqrt(sigma2 / sxx), np.sqrt(sigma2 * (1 / m + X.mean() ** 2 / sxx))

w, b = (v.ravel()[0] for v in model.layers[0].get_weights())
losses = history.history["loss"]
print(
    f"loss (MSE): first epoch {losses[0]:.4f}, last epoch {losses[-1]:.6f}, "
    f"least squares {rss[0] / m:.6f}"
)
print(f"evaluate: MSE = {mse:.6f}")
print(f"learned by Keras:  w = {w:.4f}, b = {b:.4f}")
print(f"least squares:     w = {w_ls[0]:.4f}, b = {b_ls[0]:.4f}")
print(f"noise variance estimate {sigma2:.4f} (true 1/12 = {1 / 12:.4f})")
print(f"standard errors:   w {se_w:.4f}, b {se_b:.4f}")
# --8<-- [end:program]
