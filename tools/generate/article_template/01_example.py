# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy"]
#
# [tool.docs-snippet]
# title = { zh = "§2 梯度的公式与自动微分对照", en = "§2 The gradient by formula and by automatic differentiation" }
# timeout = 120
#
# [[tool.docs-snippet.check]]
# pattern = 'largest \|GradientTape - 2x\|: (?P<err>\S+)'
# expect = "err < 1e-6"
# why = "d/dx sum(x^2) = 2x exactly; float32 represents these small values and their doubles exactly"
#
# [[tool.docs-snippet.check]]
# pattern = 'loss after (?P<n>\d+) steps: (?P<last>\S+) \(first (?P<first>\S+)\)'
# expect = "last < first / 5"
# why = "learning rate 0.1 on sum(x^2) multiplies x by 0.8, the loss by 0.64 per step: 0.64^5 = 0.107 (quick mode)"
# ///
# --8<-- [start:program]
"""{todo}: say what this program shows. The gradient of sum(x^2) by tf.GradientTape, checked against 2x."""

import os

import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(0)
STEPS = 5 if os.environ.get("SNIPPETS_QUICK") else 20  # quick mode (the tests) trains less

x = tf.Variable(np.linspace(-2.0, 2.0, 5, dtype=np.float32))
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(x**2)
grad = tape.gradient(loss, x)
print("x        =", np.round(x.numpy(), 3))
print("gradient =", np.round(grad.numpy(), 3))
print(f"largest |GradientTape - 2x|: {np.max(np.abs(grad.numpy() - 2 * x.numpy())):.1e}")

optimizer = keras.optimizers.SGD(learning_rate=0.1)
first = float(loss)
for _ in range(STEPS):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(x**2)
    optimizer.apply_gradients([(tape.gradient(loss, x), x)])
print(f"loss after {STEPS} steps: {float(tf.reduce_sum(x**2)):.6f} (first {first:.6f})")
# --8<-- [end:program]
