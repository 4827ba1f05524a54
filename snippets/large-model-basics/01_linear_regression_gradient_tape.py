# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy"]
#
# [tool.docs-snippet]
# title = { zh = "线性回归：tf.GradientTape + 梯度下降", en = "Linear regression: tf.GradientTape and gradient descent" }
# timeout = 120
#
# [[tool.docs-snippet.check]]
# pattern = 'step +0 +loss (?P<first>\S+)'
# expect = "first > 3"
# why = "starting from w ~ N(0,1), b = 0 the MSE is far above the noise floor 0.25"
#
# [[tool.docs-snippet.check]]
# pattern = 'step +1000 +loss (?P<last>\S+)'
# expect = "abs(last - 0.25) < 0.03"
# why = "at the optimum the MSE is the noise variance 0.5**2 = 0.25, up to sampling error of about 0.011 for N = 1000"
#
# [[tool.docs-snippet.check]]
# pattern = 'gradient descent: +w = (?P<w>\S+), b = (?P<b>\S+)\n.*least squares: +w = (?P<w_ls>\S+), b = (?P<b_ls>\S+)'
# expect = "abs(w - w_ls) < 1e-3 and abs(b - b_ls) < 1e-3"
# why = "1000 steps of gradient descent at rate 0.5 converge to the closed-form least-squares solution"
#
# [[tool.docs-snippet.check]]
# pattern = 'gradient descent: +w = (?P<w>\S+), b = (?P<b>\S+)'
# expect = "abs(w - 3) < 0.2 and abs(b - 2) < 0.1"
# why = "the standard errors are about 0.055 (w) and 0.032 (b) for N = 1000: this allows more than 3 of them"
#
# [[tool.docs-snippet.check]]
# pattern = 'off by +w (?P<dw>\S+) SE, b (?P<db>\S+) SE'
# expect = "abs(dw) < 3 and abs(db) < 3"
# why = "with noise only, an estimate more than 3 standard errors from the truth would point to a bug"
# ///
# --8<-- [start:program]
"""Fit y = w x + b to data from y = 3x + 2 + noise: tf.GradientTape + gradient
descent."""

import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(0)

# Data: x ~ U(0, 1), noise ~ N(0, 0.5^2).
# x and y both have shape (N, 1), so nothing broadcasts to (N, N).
N = 1000
x = np.random.rand(N, 1).astype("float32")
y = (3 * x + 2 + 0.5 * np.random.randn(N, 1)).astype("float32")

w = tf.Variable(tf.random.normal((1, 1)), name="w")
b = tf.Variable(tf.zeros((1,)), name="b")
learning_rate = 0.5

for step in range(1001):
    with tf.GradientTape() as tape:
        y_pred = x @ w + b
        loss = tf.reduce_mean(tf.square(y_pred - y))  # MSE: (1/N) sum (y_pred - y)^2
    dw, db = tape.gradient(loss, [w, b])
    if step in (0, 5, 10, 20, 50, 100, 1000):
        w_now, b_now = w.numpy()[0, 0], b.numpy()[0]
        print(f"step {step:4d}  loss {loss.numpy():.6f}  w {w_now:.4f}  b {b_now:.4f}")
    w.assign_sub(learning_rate * dw)
    b.assign_sub(learning_rate * db)

# The same problem has a closed-form answer: least squares on [x, 1].
design = np.hstack([x, np.ones_like(x)])
(w_ls, b_ls), *_ = np.linalg.lstsq(design, y[:, 0], rcond=None)
print(f"gradient descent: w = {w.numpy()[0, 0]:.4f}, b = {b.numpy()[0]:.4f}")
print(f"least squares:    w = {w_ls:.4f}, b = {b_ls:.4f}")

# Standard errors of the least-squares estimates, and how far w and b are
# from the true 3 and 2 in units of them.
residual = y[:, 0].astype("float64") - design.astype("float64") @ [w_ls, b_ls]
sigma = np.sqrt(residual @ residual / (N - 2))
sxx = np.sum((x[:, 0] - x.mean()) ** 2, dtype="float64")
se_w = sigma / np.sqrt(sxx)
se_b = sigma * np.sqrt(1 / N + x.mean(dtype="float64") ** 2 / sxx)
print(f"standard errors:  w {se_w:.4f}, b {se_b:.4f}")
print(f"off by w {(w_ls - 3) / se_w:+.2f} SE, b {(b_ls - 2) / se_b:+.2f} SE")
# --8<-- [end:program]
