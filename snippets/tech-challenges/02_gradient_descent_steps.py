# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy"]
#
# [tool.docs-snippet]
# title = { zh = "§4.1 批量梯度下降的前几步：手推公式与 tf.GradientTape 对照", en = "§4.1 The first steps of batch gradient descent: the hand-derived formula against tf.GradientTape" }
# timeout = 120
#
# [[tool.docs-snippet.check]]
# pattern = 'largest \|formula - GradientTape\| over all steps: gradient (?P<g>\S+), theta (?P<t>\S+)'
# expect = "g < 1e-6 and t < 1e-6"
# why = "the hand-derived gradient (2/m) X^T (X theta - y) must equal automatic differentiation"
#
# [[tool.docs-snippet.check]]
# pattern = 'step 1: gradient = .*-> theta = \[(?P<t0>[^,]+), (?P<t1>[^\]]+)\]'
# expect = "abs(t0 - 0.235) < 1e-6 and abs(t1 - 0.66) < 1e-6"
# why = "worked by hand on the page: theta_1 = 0 - 0.01 * (-23.5, -66)"
#
# [[tool.docs-snippet.check]]
# pattern = 'J\(theta\) by step: (?P<j0>\S+) (?P<j1>\S+) (?P<j2>\S+) (?P<j3>\S+)'
# expect = "j0 > j1 > j2 > j3"
# why = "with a small enough learning rate every step of gradient descent lowers the loss"
# ///
# --8<-- [start:program]
"""Three steps of batch gradient descent for h(x) = theta_0 + theta_1 x, by formula
and by tf.GradientTape."""

import keras
import numpy as np
import tensorflow as tf

# nothing here is random; kept for uniformity with the other snippets
keras.utils.set_random_seed(0)

x = np.array([1.0, 2.0, 3.0, 4.0])
y = np.array([7.0, 11.0, 13.0, 16.0])
m = len(x)
X = np.column_stack([np.ones(m), x])  # a column of ones for theta_0 (the intercept)
alpha, steps = 0.01, 3


def loss(theta):
    """J(theta) = 1/m * sum_i (h(x_i) - y_i)^2, the mean squared error
    (1/m, as in section 4.1.1)."""
    return np.mean((X @ theta - y) ** 2)


def gradient(theta):
    """Hand-derived: dJ/dtheta_j = 2/m * sum_i (h(x_i) - y_i) x_ij."""
    return 2 / m * X.T @ (X @ theta - y)


theta = np.zeros(2)  # the formula, in NumPy
theta_tf = tf.Variable(np.zeros(2))  # the same model, differentiated by TensorFlow
gap_grad = gap_theta = 0.0
losses = [loss(theta)]
for step in range(1, steps + 1):
    g = gradient(theta)
    with tf.GradientTape() as tape:
        J_tf = tf.reduce_mean(tf.square(tf.linalg.matvec(tf.constant(X), theta_tf) - y))
    g_tf = tape.gradient(J_tf, theta_tf)
    theta_tf.assign_sub(alpha * g_tf)  # what keras.optimizers.SGD does, kept in float64
    theta = theta - alpha * g
    gap_grad = max(gap_grad, np.max(np.abs(g - g_tf.numpy())))
    gap_theta = max(gap_theta, np.max(np.abs(theta - theta_tf.numpy())))
    losses.append(loss(theta))
    print(
        f"step {step}: gradient = [{g[0]:.4f}, {g[1]:.4f}] "
        f"-> theta = [{theta[0]:.6f}, {theta[1]:.6f}], J = {losses[-1]:.4f}"
    )

print("J(theta) by step: " + " ".join(f"{j:.4f}" for j in losses))
print(
    "largest |formula - GradientTape| over all steps: "
    f"gradient {gap_grad:.1e}, theta {gap_theta:.1e}"
)

# Section 4.1.2's loss is 1/2 * sum (no 1/m): its gradient sum_i (h - y) x_ij is m/2
# times larger.
half_sum_grad = X.T @ (X @ np.zeros(2) - y)
print(
    f"at theta = [0, 0]: gradient of the 1/m loss {gradient(np.zeros(2))}, "
    f"of the 1/2-sum loss {half_sum_grad}"
)
# --8<-- [end:program]
