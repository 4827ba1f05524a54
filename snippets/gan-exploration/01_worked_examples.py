# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy"]
#
# [tool.docs-snippet]
# title = { zh = "§4 的例题：用 TensorFlow 和 Keras 重新计算", en = "The worked examples of §4, recomputed with TensorFlow and Keras" }
# timeout = 120
#
# [[tool.docs-snippet.check]]
# pattern = 'MSE = (?P<v>\S+)'
# expect = "abs(v - ((2 - 2.5)**2 + (3 - 3.2)**2 + (4 - 4.1)**2) / 3) < 1e-6"
# why = "errors -0.5, -0.2, -0.1 over n = 3: (0.25 + 0.04 + 0.01) / 3 = 0.1"
#
# [[tool.docs-snippet.check]]
# pattern = 'cross-entropy, formula as written: (?P<v>\S+)'
# expect = "abs(v + log(0.7)) < 1e-6"
# why = "only the true class (p = 0.7) contributes: -log 0.7"
#
# [[tool.docs-snippet.check]]
# pattern = 'Keras CategoricalCrossentropy: (?P<v>\S+)'
# expect = "abs(v + log(0.7 / (0.3 + 0.7 + 0.1))) < 1e-6"
# why = "Keras rescales the predictions to sum to 1 before taking the log"
#
# [[tool.docs-snippet.check]]
# pattern = 'Keras BinaryCrossentropy, 3 samples: (?P<v>\S+)'
# expect = "abs(v + (log(1 - 0.3) + log(0.7) + log(1 - 0.1)) / 3) < 1e-6"
# why = "three binary samples, labels 0, 1, 0: the probabilities of the true labels are 0.7, 0.7, 0.9"
#
# [[tool.docs-snippet.check]]
# pattern = 'generator loss -log D\(G\(z\)\) = (?P<ns>\S+)\nminimax term log\(1 - D\(G\(z\)\)\) = (?P<mm>\S+)'
# expect = "abs(ns + log(0.8)) < 1e-6 and abs(mm - log(1 - 0.8)) < 1e-6"
# why = "D(G(z)) = 0.8"
#
# [[tool.docs-snippet.check]]
# pattern = 'SGD from \[1, 2\]: gradient \[(?P<g0>\S+) (?P<g1>\S+)\], theta -> \[(?P<t0>\S+) (?P<t1>\S+)\]'
# expect = "abs(g0) < 1e-6 and abs(g1) < 1e-6 and abs(t0 - 1) < 1e-6 and abs(t1 - 2) < 1e-6"
# why = "(1, 2) is the minimum of J, so the gradient is zero and SGD does not move"
#
# [[tool.docs-snippet.check]]
# pattern = 'SGD from \[0, 0\]: gradient \[(?P<g0>\S+) (?P<g1>\S+)\], theta -> \[(?P<t0>\S+) (?P<t1>\S+)\]'
# expect = "abs(g0 - 2 * (0 - 1)) < 1e-6 and abs(g1 - 2 * (0 - 2)) < 1e-6 and abs(t0 - (0 - 0.1 * 2 * (0 - 1))) < 1e-6 and abs(t1 - (0 - 0.1 * 2 * (0 - 2))) < 1e-6"
# why = "gradient 2 (theta - (1, 2)) = (-2, -4); theta - 0.1 * gradient = (0.2, 0.4)"
#
# [[tool.docs-snippet.check]]
# pattern = 'Adam m_1 = \[(?P<m0>\S+) (?P<m1>\S+)\], v_1 = \[(?P<v0>\S+) (?P<v1>\S+)\]'
# expect = "abs(m0 - 0.1 * 0.1) < 1e-9 and abs(m1 - 0.1 * 0.3) < 1e-9 and abs(v0 - 0.01 * 0.1**2) < 1e-9 and abs(v1 - 0.01 * 0.3**2) < 1e-9"
# why = "m_1 = (1 - beta_1) g, v_1 = (1 - beta_2) g^2 elementwise, from m_0 = v_0 = 0"
#
# [[tool.docs-snippet.check]]
# pattern = 'Adam step 1 \(Keras\): theta = \[(?P<t0>\S+) (?P<t1>\S+)\]'
# expect = "abs(t0 - (1 - 0.001 * (0.1 * 0.1 / 0.1) / sqrt(0.01 * 0.1**2 / 0.01))) < 1e-6 and abs(t1 - (1 - 0.001 * (0.1 * 0.3 / 0.1) / sqrt(0.01 * 0.3**2 / 0.01))) < 1e-6"
# why = "bias-corrected m_hat = g, sqrt(v_hat) = |g|: each parameter moves by the learning rate 0.001"
#
# [[tool.docs-snippet.check]]
# pattern = 'Adam: \|Keras - closed form\| = (?P<d>\S+)'
# expect = "d < 1e-8"
# why = "float64 variables; Keras casts lr and the betas to float32, which moves this step by about 7e-10"
#
# [[tool.docs-snippet.check]]
# pattern = 'L1 penalty = (?P<l1>\S+)\nL2 penalty = (?P<l2>\S+)'
# expect = "abs(l1 - 0.1 * (1 + 2 + 3)) < 1e-6 and abs(l2 - 0.1 * (1 + 4 + 9)) < 1e-6"
# why = "lambda = 0.1, theta = (1, 2, 3); Keras L2 has no 1/2"
# ///
# --8<-- [start:program]
"""The worked examples of §4, computed with TensorFlow/Keras instead of by hand."""

import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(0)


def show(vector):
    return "[" + " ".join(f"{x:.6f}" for x in np.asarray(vector)) + "]"


# 1. Mean squared error: 3 samples.
y_true = tf.constant([2.0, 3.0, 4.0])
y_pred = tf.constant([2.5, 3.2, 4.1])
print(f"MSE = {keras.losses.MeanSquaredError()(y_true, y_pred).numpy():.6f}")

# 2. Cross-entropy: label [0, 1, 0], predicted [0.3, 0.7, 0.1] (which sums to 1.1, not
# 1).
label = tf.constant([[0.0, 1.0, 0.0]])
predicted = tf.constant([[0.3, 0.7, 0.1]])
as_written = -tf.reduce_sum(label * tf.math.log(predicted)).numpy()
print(f"cross-entropy, formula as written: {as_written:.6f}")
cce = keras.losses.CategoricalCrossentropy()(label, predicted).numpy()
print(f"Keras CategoricalCrossentropy: {cce:.6f}  (rescales the row to sum to 1)")
bce = keras.losses.BinaryCrossentropy()(
    tf.reshape(label, (3, 1)), tf.reshape(predicted, (3, 1))
).numpy()
print(f"Keras BinaryCrossentropy, 3 samples: {bce:.6f}")

# 3. Adversarial loss of the generator, with D(G(z)) = 0.8.
d_of_fake = tf.constant([[0.8]])
non_saturating = keras.losses.BinaryCrossentropy()(
    tf.ones_like(d_of_fake), d_of_fake
).numpy()
print(f"generator loss -log D(G(z)) = {non_saturating:.6f}")
minimax = tf.math.log(1.0 - d_of_fake)[0, 0].numpy()
print(f"minimax term log(1 - D(G(z))) = {minimax:.6f}")

# 4. One SGD step, learning rate 0.1, on J(theta) = (theta_1 - 1)^2 + (theta_2 - 2)^2.
target = tf.constant([1.0, 2.0])
for start in ([1.0, 2.0], [0.0, 0.0]):
    theta = tf.Variable(start)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum((theta - target) ** 2)
    grad = tape.gradient(loss, theta)
    keras.optimizers.SGD(learning_rate=0.1).apply_gradients([(grad, theta)])
    print(
        f"SGD from [{start[0]:g}, {start[1]:g}]: "
        f"gradient {show(grad)}, theta -> {show(theta)}"
    )

# 5. One Adam step: g = [0.1, 0.3], beta_1 = 0.9, beta_2 = 0.99, lr = 0.001, from theta
# = [1, 1].
g = np.array([0.1, 0.3])
lr, beta_1, beta_2, eps = 0.001, 0.9, 0.99, 1e-7
m = (1 - beta_1) * g  # m_0 = 0
v = (1 - beta_2) * g**2  # v_0 = 0; squared elementwise
m_hat, v_hat = m / (1 - beta_1), v / (1 - beta_2)  # bias correction, t = 1
# eps placed as Keras does
closed_form = 1.0 - lr * m_hat / (np.sqrt(v_hat) + eps / np.sqrt(1 - beta_2))
print(f"Adam m_1 = [{m[0]:.6g} {m[1]:.6g}], v_1 = [{v[0]:.6g} {v[1]:.6g}]")
theta = tf.Variable([1.0, 1.0], dtype=tf.float64)
adam = keras.optimizers.Adam(
    learning_rate=lr, beta_1=beta_1, beta_2=beta_2, epsilon=eps
)
adam.apply_gradients([(tf.constant(g), theta)])
print(f"Adam step 1 (Keras): theta = {show(theta)}")
adam_gap = np.max(np.abs(theta.numpy() - closed_form))
print(f"Adam: |Keras - closed form| = {adam_gap:.1e}")

# 6. L1 and L2 penalties, lambda = 0.1, theta = [1, 2, 3].
theta = tf.constant([1.0, 2.0, 3.0])
print(f"L1 penalty = {keras.regularizers.L1(0.1)(theta).numpy():.6f}")
print(f"L2 penalty = {keras.regularizers.L2(0.1)(theta).numpy():.6f}")
# --8<-- [end:program]
