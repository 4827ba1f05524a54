# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy"]
#
# [tool.docs-snippet]
# title = { zh = "§4.2 前向传播、反向传播与一步梯度下降：NumPy 手算与 tf.GradientTape 对照", en = "§4.2 Forward pass, backpropagation and one gradient-descent step: NumPy by hand against tf.GradientTape" }
# timeout = 120
#
# [[tool.docs-snippet.check]]
# pattern = 'J = (?P<j>\S+) \(NumPy\), (?P<j_keras>\S+) \(0\.5 x Keras MSE\)'
# expect = "abs(j - j_keras) < 1e-6"
# why = "J = 1/(2N) sum (y_hat - y)^2 is half of Keras' mean squared error for one output"
#
# [[tool.docs-snippet.check]]
# pattern = 'largest \|NumPy - GradientTape\| over all gradients = (?P<gap>\S+)'
# expect = "gap < 1e-6"
# why = "the hand-derived backpropagation must give the same gradients as automatic differentiation"
#
# [[tool.docs-snippet.check]]
# pattern = 'loss before the step: (?P<before>\S+)\nloss after the step:  (?P<after>\S+)'
# expect = "after < before"
# why = "a small step against the gradient lowers the loss"
# ///
# --8<-- [start:program]
"""Forward and backward propagation of a small ReLU network by hand (NumPy),
checked against tf.GradientTape."""

import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)

# Column convention of the page: a^(0) = x has shape (n_0, N), one column per sample.
sizes = [3, 5, 4, 1]  # n_0 inputs, two hidden ReLU layers, one linear output
N = 8
x = rng.normal(size=(sizes[0], N))
y = rng.normal(size=(1, N))
W = [None] + [rng.normal(scale=0.7, size=(sizes[l], sizes[l - 1])) for l in range(1, 4)]
b = [None] + [rng.normal(scale=0.1, size=(sizes[l], 1)) for l in range(1, 4)]
L = len(sizes) - 1


def relu(z):
    return np.maximum(0.0, z)


def forward(W, b):
    """z^(l) = W^(l) a^(l-1) + b^(l); a^(l) = ReLU(z^(l)) for hidden layers;
    y_hat = z^(L)."""
    a, z = [x], [None]
    for l in range(1, L + 1):
        z.append(W[l] @ a[l - 1] + b[l])
        a.append(z[l] if l == L else relu(z[l]))
    return z, a


def loss(y_hat):
    """J = 1/(2N) * sum_i (y_hat_i - y_i)^2, i.e. half the mean squared error."""
    return 0.5 * np.mean((y_hat - y) ** 2)


z, a = forward(W, b)
J = loss(a[L])
J_keras = 0.5 * keras.losses.MeanSquaredError()(y.T, a[L].T).numpy()
print(f"J = {J:.8f} (NumPy), {J_keras:.8f} (0.5 x Keras MSE)")

# Backward pass: delta^(l) = dJ/dz^(l), from the output layer down.
delta = [None] * (L + 1)
grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
delta[L] = (a[L] - y) / N  # output layer is linear
for l in range(L, 0, -1):
    grad_W[l] = delta[l] @ a[l - 1].T  # sums over the N samples
    grad_b[l] = delta[l].sum(axis=1, keepdims=True)
    if l > 1:
        # ReLU'(z) = 1 if z > 0 else 0
        delta[l - 1] = (W[l].T @ delta[l]) * (z[l - 1] > 0)

# The same gradients by automatic differentiation (float64, so the comparison is exact
# to ~1e-15).
W_tf = [None] + [tf.Variable(W[l]) for l in range(1, L + 1)]
b_tf = [None] + [tf.Variable(b[l]) for l in range(1, L + 1)]
with tf.GradientTape() as tape:
    a_tf = tf.constant(x)
    for l in range(1, L + 1):
        z_tf = W_tf[l] @ a_tf + b_tf[l]
        a_tf = z_tf if l == L else tf.nn.relu(z_tf)
    J_tf = 0.5 * tf.reduce_mean(tf.square(a_tf - y))
tape_grads = tape.gradient(J_tf, W_tf[1:] + b_tf[1:])
gap = max(
    np.max(np.abs(g_np - g_tf.numpy()))
    for g_np, g_tf in zip(grad_W[1:] + grad_b[1:], tape_grads)
)
for l in range(1, L + 1):
    print(
        f"layer {l}: dJ/dW shape {grad_W[l].shape}, "
        f"|dJ/dW|_max = {np.max(np.abs(grad_W[l])):.6f}"
    )
print(f"largest |NumPy - GradientTape| over all gradients = {gap:.1e}")

# One step of gradient descent: W <- W - alpha dJ/dW, b <- b - alpha dJ/db.
alpha = 0.1
W_new = [None] + [W[l] - alpha * grad_W[l] for l in range(1, L + 1)]
b_new = [None] + [b[l] - alpha * grad_b[l] for l in range(1, L + 1)]
print(f"loss before the step: {J:.8f}")
print(f"loss after the step:  {loss(forward(W_new, b_new)[1][L]):.8f}")
# --8<-- [end:program]
