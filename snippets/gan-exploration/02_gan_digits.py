# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy", "scikit-learn", "matplotlib"]
#
# [tool.docs-snippet]
# title = { zh = "§5.2 生成对抗网络：生成 8×8 手写数字", en = "§5.2 A generative adversarial network that draws 8×8 handwritten digits" }
# timeout = 150
# outputs = ["generated_digits.png", "generated_digits-dark.png"]
#
# [[tool.docs-snippet.check]]
# pattern = 'untrained generator: confidence (?P<cu>\S+), distance (?P<du>\S+), classes (?P<ku>\d+)/10\ntrained generator: confidence (?P<ct>\S+), distance (?P<dt>\S+), classes (?P<kt>\d+)/10'
# expect = "ct > 0.7 and ct > cu + 0.2 and dt < 0.15 and du > 3 * dt and kt >= 8"
# why = "seeds 0-5, quick mode (60 epochs): trained confidence 0.768-0.791, distance 0.061-0.074, 10/10 classes; the same generator untrained: confidence 0.375-0.514, distance 0.532-0.583"
# ///
# --8<-- [start:program]
"""A GAN (two small MLPs) trained on scikit-learn's 8x8 handwritten digits with a
tf.GradientTape loop."""

import os
import time

import keras
import matplotlib

matplotlib.use("Agg")  # draw to a file, no window
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

SEED = int(os.environ.get("SEED", 0))
# quick mode for the test suite
EPOCHS = 60 if os.environ.get("SNIPPETS_QUICK") else 500
BATCH_SIZE, Z_DIM, LEARNING_RATE = 64, 32, 2e-4
keras.utils.set_random_seed(SEED)

# 1,797 real digits, 8x8 pixels 0..16, shipped with scikit-learn; scaled to [-1, 1] to
# match tanh.
digits = load_digits()
x_real = (digits.data / 8.0 - 1.0).astype("float32")  # (1797, 64)
dataset = (
    tf.data.Dataset.from_tensor_slices(x_real)
    .shuffle(len(x_real), seed=SEED)
    .batch(BATCH_SIZE, drop_remainder=True)
)


def build_generator():
    return keras.Sequential([
        keras.Input(shape=(Z_DIM,)),
        keras.layers.Dense(128),
        keras.layers.LeakyReLU(0.2),
        keras.layers.Dense(256),
        keras.layers.LeakyReLU(0.2),
        keras.layers.Dense(64, activation="tanh"),  # 64 pixels in [-1, 1]
    ], name="generator")


def build_discriminator():
    return keras.Sequential([
        keras.Input(shape=(64,)),
        keras.layers.Dense(256),
        keras.layers.LeakyReLU(0.2),
        keras.layers.Dense(128),
        keras.layers.LeakyReLU(0.2),
        keras.layers.Dense(1),  # a logit: D(x) = sigmoid(logit)
    ], name="discriminator")


generator, discriminator = build_generator(), build_discriminator()
# same architecture, random weights: the baseline
untrained_generator = build_generator()
untrained_generator.set_weights(generator.get_weights())
bce = keras.losses.BinaryCrossentropy(from_logits=True)
g_optimizer = keras.optimizers.Adam(LEARNING_RATE, beta_1=0.5)
d_optimizer = keras.optimizers.Adam(LEARNING_RATE, beta_1=0.5)


@tf.function
def train_step(real):
    n = tf.shape(real)[0]
    # 1) Discriminator: real -> 1, fake -> 0. Only its variables are updated.
    z = tf.random.normal((n, Z_DIM))
    with tf.GradientTape() as tape:
        real_logits = discriminator(real, training=True)
        fake_logits = discriminator(generator(z, training=True), training=True)
        d_loss = bce(tf.ones_like(real_logits), real_logits) + bce(
            tf.zeros_like(fake_logits), fake_logits
        )
    grads = tape.gradient(d_loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
    # 2) Generator: make D call fakes real, i.e. minimise -log D(G(z)). Only G's
    # variables are updated.
    z = tf.random.normal((n, Z_DIM))
    with tf.GradientTape() as tape:
        fake_logits = discriminator(generator(z, training=True), training=True)
        g_loss = bce(tf.ones_like(fake_logits), fake_logits)
    grads = tape.gradient(g_loss, generator.trainable_variables)
    g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))
    return d_loss, g_loss


start = time.perf_counter()
for epoch in range(1, EPOCHS + 1):
    for real in dataset:
        d_loss, g_loss = train_step(real)
    if epoch % max(1, EPOCHS // 10) == 0 or epoch == 1:
        print(
            f"epoch {epoch:4d}  d_loss {float(d_loss):.4f}  g_loss {float(g_loss):.4f}"
        )
print(f"trained {EPOCHS} epochs in {time.perf_counter() - start:.1f} s")
# Keras 3 requires the .weights.h5 suffix
generator.save_weights("generator.weights.h5")

# Did G learn digits? A classifier trained on real digits judges 1,000 samples of each
# generator.
classifier = LogisticRegression(max_iter=2000).fit(x_real, digits.target)
z_eval = np.random.default_rng(SEED).normal(size=(1000, Z_DIM)).astype("float32")


def judge(name, g):
    fake = g.predict(z_eval, verbose=0)
    proba = classifier.predict_proba(fake)
    confidence = proba.max(axis=1).mean()  # how sure: high for clear digits
    # a class counts from 20 of 1,000 samples
    classes = np.bincount(proba.argmax(axis=1), minlength=10)
    # |mean fake image - mean real image|
    distance = np.abs(fake.mean(axis=0) - x_real.mean(axis=0)).mean()
    print(
        f"{name}: confidence {confidence:.3f}, distance {distance:.3f}, "
        f"classes {int((classes >= 20).sum())}/10"
    )
    return fake


untrained_generator_fake = judge("untrained generator", untrained_generator)
fake = judge("trained generator", generator)
real_proba = classifier.predict_proba(x_real).max(axis=1).mean()
print(f"(real digits: confidence {real_proba:.3f})")


def save_digits(path, cmap):
    fig, axes = plt.subplots(6, 10, figsize=(8, 5))
    for ax, image in zip(axes.flat, fake):
        ax.imshow(image.reshape(8, 8), cmap=cmap, vmin=-1, vmax=1)
        ax.axis("off")
    fig.suptitle(f"60 digits drawn by the generator after {EPOCHS} epochs")
    fig.savefig(path, dpi=100, bbox_inches="tight")


# The same 60 digits twice: dark on white, and light on the background of the site's
# dark palette (#1e2129). The page shows the one that matches the reader's palette.
save_digits("generated_digits.png", "gray_r")
with plt.style.context(["dark_background", {"figure.facecolor": "#1e2129"}]):
    save_digits("generated_digits-dark.png", "gray")
# --8<-- [end:program]
