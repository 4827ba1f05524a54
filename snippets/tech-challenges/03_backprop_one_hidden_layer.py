# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy"]
#
# [tool.docs-snippet]
# title = { zh = "§4.2 单隐藏层 ReLU 网络 + softmax 交叉熵：逐样本的 δ、手算梯度与 tf.GradientTape 对照", en = "§4.2 A one-hidden-layer ReLU network with softmax cross-entropy: per-sample deltas, gradients by hand against tf.GradientTape" }
# timeout = 120
#
# [[tool.docs-snippet.check]]
# pattern = 'J = (?P<j>\S+) \(NumPy\), (?P<j_keras>\S+) \(Keras CategoricalCrossentropy\)'
# expect = "abs(j - j_keras) < 1e-5"
# why = "the same mean cross-entropy; Keras computes it in float32, hence 1e-5 rather than 1e-6"
#
# [[tool.docs-snippet.check]]
# pattern = 'largest \|by hand - GradientTape\| over all gradients = (?P<gap>\S+)'
# expect = "gap < 1e-6"
# why = "the hand-derived backpropagation must give the gradients of automatic differentiation (float64)"
#
# [[tool.docs-snippet.check]]
# pattern = 'loss before the step: (?P<before>\S+)\nloss after the step:  (?P<after>\S+)'
# expect = "after < before"
# why = "a small step against the gradient lowers the loss"
# ///
# --8<-- [start:program]
"""Backpropagation by hand for x -> ReLU hidden layer -> softmax, with cross-entropy
loss."""

import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(1)
rng = np.random.default_rng(1)
np.set_printoptions(precision=4, suppress=True)

n0, n1, n2, N = 3, 4, 3, 5  # inputs, hidden ReLU units, classes, samples
x = rng.normal(size=(n0, N))  # one column per sample, as in z = W a + b
labels = np.array([0, 2, 1, 2, 0])
Y = np.eye(n2)[labels].T  # one-hot, shape (n2, N)
W1, b1 = rng.normal(scale=0.8, size=(n1, n0)), rng.normal(scale=0.1, size=(n1, 1))
W2, b2 = rng.normal(scale=0.8, size=(n2, n1)), rng.normal(scale=0.1, size=(n2, 1))


def softmax(z):
    e = np.exp(z - z.max(axis=0))
    return e / e.sum(axis=0)


def forward(W1, b1, W2, b2):
    z1 = W1 @ x + b1          # z^(1) = W^(1) a^(0) + b^(1)
    a1 = np.maximum(0.0, z1)  # a^(1) = ReLU(z^(1))
    z2 = W2 @ a1 + b2         # z^(2): logits
    a2 = softmax(z2)          # a^(2) = y_hat, class probabilities
    return z1, a1, z2, a2


def loss(a2):
    """J = -1/N sum_i sum_k y_ik log y_hat_ik: mean cross-entropy."""
    return -np.mean(np.sum(Y * np.log(a2), axis=0))


z1, a1, z2, a2 = forward(W1, b1, W2, b2)
J = loss(a2)
J_keras = keras.losses.CategoricalCrossentropy()(Y.T, a2.T).numpy()
print(f"J = {J:.8f} (NumPy), {J_keras:.8f} (Keras CategoricalCrossentropy)")

# Backward pass. delta^(l) = dJ/dz^(l), one column per sample.
# softmax + cross-entropy: dJ/dz^(2) = (y_hat - y) / N
delta2 = (a2 - Y) / N
delta1 = (W2.T @ delta2) * (z1 > 0)    # (W^(2)T delta^(2)) * ReLU'(z^(1))
grads = {
    # sums of the per-sample terms
    "W2": delta2 @ a1.T, "b2": delta2.sum(axis=1, keepdims=True),
    "W1": delta1 @ x.T, "b1": delta1.sum(axis=1, keepdims=True),
}
print(f"sample 0 (class {labels[0]}): y_hat = {a2[:, 0]}")
print(f"  delta2 = (y_hat - y)/N = {delta2[:, 0]}")
print(f"  z1 = {z1[:, 0]}")
print(f"  delta1 = {delta1[:, 0] + 0.0}  (zero where z1 <= 0)")

# The same gradients by automatic differentiation, in float64.
initial = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
params = {name: tf.Variable(value) for name, value in initial.items()}
with tf.GradientTape() as tape:
    logits = params["W2"] @ tf.nn.relu(params["W1"] @ x + params["b1"]) + params["b2"]
    J_tf = tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits(labels=Y.T, logits=tf.transpose(logits))
    )
tape_grads = tape.gradient(J_tf, params)
gap = max(np.max(np.abs(grads[name] - tape_grads[name].numpy())) for name in grads)
for name in ("W1", "b1", "W2", "b2"):
    print(
        f"dJ/d{name}: shape {grads[name].shape}, "
        f"largest |entry| {np.max(np.abs(grads[name])):.6f}"
    )
print(f"largest |by hand - GradientTape| over all gradients = {gap:.1e}")

# One step of gradient descent with learning rate alpha.
alpha = 0.5
new = {name: value - alpha * grads[name] for name, value in initial.items()}
print(f"loss before the step: {J:.8f}")
loss_after = loss(forward(new["W1"], new["b1"], new["W2"], new["b2"])[3])
print(f"loss after the step:  {loss_after:.8f}")
# --8<-- [end:program]
