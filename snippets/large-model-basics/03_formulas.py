# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy"]
#
# [tool.docs-snippet]
# title = { zh = "§1.4.3 的公式：TensorFlow、Keras 与闭式解逐一对照", en = "The formulas of §1.4.3, computed by TensorFlow, Keras and by hand" }
# timeout = 120
#
# [[tool.docs-snippet.check]]
# pattern = 'sigmoid\(\[-2, 0, 3\]\) = \[(?P<a>\S+) (?P<b>\S+) (?P<c>\S+)\]'
# expect = "abs(a - 1/(1+exp(2))) < 1e-6 and abs(b - 0.5) < 1e-6 and abs(c - 1/(1+exp(-3))) < 1e-6"
# why = "sigma(z) = 1 / (1 + e^-z)"
#
# [[tool.docs-snippet.check]]
# pattern = 'MSE = (?P<v>\S+)'
# expect = "abs(v - (0.5**2 + 0.5**2 + 0.5**2 + 1.0**2) / 4) < 1e-6"
# why = "errors 0.5, -0.5, 0.5, -1.0 over N = 4"
#
# [[tool.docs-snippet.check]]
# pattern = 'binary cross-entropy = (?P<v>\S+)'
# expect = "abs(v + (log(0.9) + log(0.8) + log(0.6) + log(0.7)) / 4) < 1e-6"
# why = "the probability given to the true class is 0.9, 0.8, 0.6, 0.7"
#
# [[tool.docs-snippet.check]]
# pattern = 'L1 penalty = (?P<l1>\S+)\nL2 penalty = (?P<l2>\S+)'
# expect = "abs(l1 - 0.01 * (0.5 + 1.0 + 2.0)) < 1e-6 and abs(l2 - 0.01 * (0.25 + 1.0 + 4.0)) < 1e-6"
# why = "lambda = 0.01, w = (0.5, -1, 2)"
#
# [[tool.docs-snippet.check]]
# pattern = 'Adam step 1: w = \[(?P<w0>\S+) (?P<w1>\S+)\]'
# expect = "abs(w0 - (1.0 - 0.01)) < 1e-6 and abs(w1 - (-2.0 + 0.01)) < 1e-6"
# why = "bias-corrected m/sqrt(v) is g/|g| = sign(g) at step 1, so each weight moves by the learning rate 0.01"
#
# [[tool.docs-snippet.check]]
# pattern = 'Adam: largest \|Keras - closed form\| over 3 steps = (?P<d>\S+)'
# expect = "d < 1e-6"
# why = "keras.optimizers.Adam must follow the corrected update rule"
#
# [[tool.docs-snippet.check]]
# pattern = '''original article's rule, step 1: w = \[(?P<w0>\S+) (?P<w1>\S+)\]'''
# expect = "abs(w0 - (1.0 - 0.01 * 1.0**2)) < 1e-6 and abs(w1 - (-2.0 - 0.01 * 2.0**2)) < 1e-6"
# why = "the seed's rule steps by eta * g^2, always downwards, whatever the sign of g"
# ///
# --8<-- [start:program]
"""The formulas of §1.4.3, computed with TensorFlow/Keras and checked by hand."""

import keras
import numpy as np
import tensorflow as tf

np.set_printoptions(precision=6, suppress=True)


def assert_close(name, computed, closed_form, tol=1e-6):
    """Fail loudly if TensorFlow and the formula disagree."""
    diff = np.asarray(computed, np.float64) - np.asarray(closed_form, np.float64)
    gap = np.max(np.abs(diff))
    assert gap < tol, f"{name}: TensorFlow and the closed form differ by {gap:.3g}"


z = tf.constant([-2.0, 0.0, 3.0])
sigmoid = tf.sigmoid(z).numpy()
assert_close("sigmoid", sigmoid, 1 / (1 + np.exp(-z.numpy())))
print("sigmoid([-2, 0, 3]) = [" + " ".join(f"{s:.6f}" for s in sigmoid) + "]")

y_true = np.array([1.0, 2.0, 3.0, 4.0], dtype="float32")
y_pred = np.array([1.5, 1.5, 3.5, 3.0], dtype="float32")
mse = keras.losses.MeanSquaredError()(y_true, y_pred).numpy()
assert_close("MSE", mse, np.mean((y_pred - y_true) ** 2))
print(f"MSE = {mse:.6f}")

labels = np.array([1.0, 0.0, 1.0, 0.0], dtype="float32")
probs = np.array([0.9, 0.2, 0.6, 0.3], dtype="float32")
bce = keras.losses.BinaryCrossentropy()(labels, probs).numpy()
log_likelihood = labels * np.log(probs) + (1 - labels) * np.log(1 - probs)
assert_close("BCE", bce, -np.mean(log_likelihood))
print(f"binary cross-entropy = {bce:.6f}")

weights = tf.constant([0.5, -1.0, 2.0])
lam = 0.01
l1 = keras.regularizers.L1(lam)(weights).numpy()  # lambda * sum |w_i|
l2 = keras.regularizers.L2(lam)(weights).numpy()  # lambda * sum w_i^2 (no 1/2)
assert_close("L1", l1, lam * np.sum(np.abs(weights)))
assert_close("L2", l2, lam * np.sum(np.square(weights)))
print(f"L1 penalty = {l1:.6f}\nL2 penalty = {l2:.6f}")

# Minimise f(w) = 0.5 * ||w||^2, whose gradient is g = w, for three steps.
lr, beta_1, beta_2, eps = 0.01, 0.9, 0.999, 1e-7  # Keras defaults, but 10x the rate
w0 = np.array([1.0, -2.0])

# The update rule written out (Kingma & Ba, 2015, Algorithm 1),
# with epsilon where Keras puts it.
w, m, v = w0.copy(), np.zeros(2), np.zeros(2)
closed_form = []
for t in range(1, 4):
    g = w
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g**2
    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
    w = w - lr * m_hat / (np.sqrt(v_hat) + eps / np.sqrt(1 - beta_2**t))
    closed_form.append(w)

# The same three steps with keras.optimizers.Adam.
var = tf.Variable(w0, dtype=tf.float64)
adam = keras.optimizers.Adam(
    learning_rate=lr, beta_1=beta_1, beta_2=beta_2, epsilon=eps
)
for t in range(3):
    with tf.GradientTape() as tape:
        f = 0.5 * tf.reduce_sum(var**2)
    adam.apply_gradients([(tape.gradient(f, var), var)])
    assert_close(f"Adam step {t + 1}", var.numpy(), closed_form[t])
    print(f"Adam step {t + 1}: w = [{var.numpy()[0]:.6f} {var.numpy()[1]:.6f}]")
gap = np.max(np.abs(var.numpy() - closed_form[-1]))
print(f"Adam: largest |Keras - closed form| over 3 steps = {gap:.1e}")

# The original article's rule: m_t is overwritten with v_t / (1 - beta_2^t),
# then w -= eta * m_t.
g = w0
v = (1 - beta_2) * g**2
seed_w = w0 - lr * v / (1 - beta_2)
print(f"original article's rule, step 1: w = [{seed_w[0]:.6f} {seed_w[1]:.6f}]")
# --8<-- [end:program]
