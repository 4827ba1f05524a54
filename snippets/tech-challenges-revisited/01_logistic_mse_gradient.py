# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy"]
#
# [tool.docs-snippet]
# title = { zh = "§4.3 用均方误差训练逻辑模型：正确的梯度，与交叉熵的梯度对照", en = "§4.3 A logistic model trained with mean squared error: the correct gradient, next to the cross-entropy gradient" }
# timeout = 60
#
# [[tool.docs-snippet.check]]
# pattern = 'MSE: +J = (?P<j>\S+) \(formula\), (?P<jk>\S+) \(Keras\)'
# expect = "abs(j - jk) < 1e-6"
# why = "J_MSE = 1/n sum (y - sigma(theta^T x))^2 is Keras' MeanSquaredError"
#
# [[tool.docs-snippet.check]]
# pattern = 'CE: +J = (?P<j>\S+) \(formula\), (?P<jk>\S+) \(Keras\)'
# expect = "abs(j - jk) < 1e-6"
# why = "J_CE = -1/n sum [y log p + (1 - y) log(1 - p)] is Keras' BinaryCrossentropy"
#
# [[tool.docs-snippet.check]]
# pattern = 'MSE gradient: largest \|formula - GradientTape\| = (?P<gap>\S+)'
# expect = "gap < 1e-6"
# why = "the corrected MSE gradient -2/n sum (y - p) p (1 - p) x must equal automatic differentiation"
#
# [[tool.docs-snippet.check]]
# pattern = 'CE gradient: +largest \|formula - GradientTape\| = (?P<gap>\S+)'
# expect = "gap < 1e-6"
# why = "-1/n sum (y - p) x, the original's formula, is the gradient of the cross-entropy"
#
# [[tool.docs-snippet.check]]
# pattern = 'original formula vs true MSE gradient: largest difference = (?P<gap>\S+)'
# expect = "gap > 1e-2"
# why = "the original's formula is not the gradient of the MSE loss"
#
# [[tool.docs-snippet.check]]
# pattern = 'MSE loss: (?P<first>\S+) -> (?P<last>\S+)'
# expect = "last < first"
# why = "gradient descent with the correct gradient lowers the MSE loss"
# ///
# --8<-- [start:program]
"""Logistic model p = sigmoid(theta^T x): gradients of the MSE and cross-entropy losses,
by formula and by tf.GradientTape."""

import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(0)

# A small, fixed dataset: n = 6 samples; the first column of X is a constant 1 (the
# bias).
X = np.array([
    [1.0, 0.5, 1.2],
    [1.0, -1.0, 0.3],
    [1.0, 2.0, -0.5],
    [1.0, -0.3, -1.5],
    [1.0, 1.5, 2.0],
    [1.0, -4.0, 0.8],
])
# the last sample is confidently misclassified at theta below
y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 1.0])
theta = np.array([0.1, 1.0, -0.5])
n = len(y)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


p = sigmoid(X @ theta)
J_mse = np.mean((y - p) ** 2)
J_ce = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
keras_mse = keras.losses.MeanSquaredError()(y, p).numpy()
keras_ce = keras.losses.BinaryCrossentropy()(y, p).numpy()
print(f"MSE: J = {J_mse:.8f} (formula), {keras_mse:.8f} (Keras)")
print(f"CE:  J = {J_ce:.8f} (formula), {keras_ce:.8f} (Keras)")

# Gradients by formula. For MSE the chain rule brings in the factor 2 and sigma'(z) = p
# (1 - p).
grad_mse = -2.0 / n * X.T @ ((y - p) * p * (1 - p))
grad_ce = -1.0 / n * X.T @ (y - p)  # the formula the original gave for the MSE loss

# The same gradients by automatic differentiation (float64).
theta_tf = tf.Variable(theta)
with tf.GradientTape(persistent=True) as tape:
    p_tf = tf.sigmoid(tf.linalg.matvec(tf.constant(X), theta_tf))
    mse_tf = tf.reduce_mean(tf.square(y - p_tf))
    ce_tf = -tf.reduce_mean(y * tf.math.log(p_tf) + (1 - y) * tf.math.log(1 - p_tf))
tape_mse = tape.gradient(mse_tf, theta_tf).numpy()
tape_ce = tape.gradient(ce_tf, theta_tf).numpy()

np.set_printoptions(precision=6, suppress=True)
print("dJ_MSE/dtheta:", grad_mse, "(formula)", tape_mse, "(GradientTape)")
print("dJ_CE/dtheta: ", grad_ce, "(formula)", tape_ce, "(GradientTape)")
gap_mse = np.max(np.abs(grad_mse - tape_mse))
gap_ce = np.max(np.abs(grad_ce - tape_ce))
gap_original = np.max(np.abs(grad_ce - tape_mse))
print(f"MSE gradient: largest |formula - GradientTape| = {gap_mse:.1e}")
print(f"CE gradient:  largest |formula - GradientTape| = {gap_ce:.1e}")
print(f"original formula vs true MSE gradient: largest difference = {gap_original:.4f}")

# Why cross-entropy: the per-sample factor that multiplies x_i in each gradient.
z_last = X[-1] @ theta
print(f"\nlast sample: y = 1, z = {z_last:.2f}, p = {p[-1]:.4f}")
print(f"  MSE factor 2 (y - p) p (1 - p) = {2 * (1 - p[-1]) * p[-1] * (1 - p[-1]):.4f}")
print(f"  CE factor    (y - p)           = {1 - p[-1]:.4f}")

# A few steps of gradient descent, theta_j <- theta_j - alpha dJ/dtheta_j, with each
# loss and its own gradient.
alpha, steps = 0.5, 200
for name in ("MSE", "CE"):
    t = theta.copy()
    losses = []
    for _ in range(steps):
        q = sigmoid(X @ t)
        if name == "MSE":
            losses.append(np.mean((y - q) ** 2))
            g = -2.0 / n * X.T @ ((y - q) * q * (1 - q))
        else:
            losses.append(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))
            g = -1.0 / n * X.T @ (y - q)
        t -= alpha * g
    accuracy = np.mean((sigmoid(X @ t) > 0.5) == (y == 1))
    print(
        f"{name} loss: {losses[0]:.4f} -> {losses[-1]:.4f} after {steps} steps, "
        f"training accuracy {accuracy:.2f}"
    )
# --8<-- [end:program]
