# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] id="title"
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/tlteach/tlteach/blob/main/notebooks/05_feature_extraction_vs_finetuning.ipynb)
# # Lesson 5 · Feature extraction vs fine-tuning
#
# **The question:** which way of reusing a pretrained network wins on our task, and what does each one cost?
#
# In this lesson you will
# 1. run three strategies on the same photos with the same seed: from scratch, feature extraction, fine-tuning;
# 2. compare their validation accuracy, training time and number of trainable parameters;
# 3. read their learning curves and the mistakes of the best model;
# 4. see why feature extraction works so well: the pretrained features already separate the classes;
# 5. decide which strategy to use when: data size, similarity to ImageNet, compute.

# %% id="setup" tags=["nbval-ignore-output"]
# Setup: run this cell first. It works on your computer and in Google Colab.
import os, subprocess, sys

REPO_URL = "https://github.com/tlteach/tlteach"
if "google.colab" in sys.modules:  # in Colab: fetch the course and install tlteach (PyTorch is there)
    course = os.environ.get("TLTEACH_HOME", "/content/tlteach-course")
    if not os.path.isdir(course):
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", os.environ.get("TLTEACH_REPO", REPO_URL), course], check=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-e", course], check=True)
    sys.path.insert(0, course)
    os.chdir(os.path.join(course, "notebooks"))

import tlteach as tt
tt.notebook_setup(seed=0)

# %% [markdown] id="three-strategies"
# ## Three strategies
#
# | strategy | what learns | what it costs |
# |---|---|---|
# | **from scratch** | every weight of a small network, starting from random | many epochs through the whole network; needs lots of data |
# | **feature extraction** | only a new head, on top of a frozen pretrained body | the body runs once per photo; the head trains in a second |
# | **fine-tuning** | first the new head, then also the top stages of the body, with a smaller learning rate | the unfrozen stages run forwards and backwards in every epoch |
#
# All three learn from the same 300 training photos (30 per class, all we have) and are measured on the same
# 276 validation photos.

# %% id="load-data"
train = tt.load_dataset("animals", "train")             # 128 x 128 px for the pretrained network
val = tt.load_dataset("animals", "val")
train64 = tt.load_dataset("animals", "train", size=64)  # the same photos at 64 x 64 px for SmallCNN
val64 = tt.load_dataset("animals", "val", size=64)
print(train)
print(val)


# %% [markdown] id="strategy-scratch"
# ### (a) From scratch
#
# Lesson 1's recipe: SmallCNN with random weights, 20 epochs, at 64 × 64 px (at 128 px it would take 4 times
# longer). Each strategy is a small function: it builds a model, trains it and returns `(model, history)`.

# %% id="define-scratch"
def from_scratch(train, val):
    model = tt.SmallCNN(num_classes=len(train.classes))
    history = tt.fit(model, train, val, epochs=20, lr=1e-3, batch_size=16, live=False)
    return model, history


# %% [markdown] id="strategy-feature-extraction"
# ### (b) Feature extraction
#
# A new head on a frozen body, as in lesson 3, in its fastest form: `tt.extract_features` runs the body once for
# every photo and keeps its 1280 features; `tt.fit_head` then trains the head on those numbers alone. An epoch
# costs one small matrix multiplication instead of a pass through the whole network.

# %% id="define-feature-extraction"
def feature_extraction(train, val):
    model = tt.replace_head(tt.load_backbone(), train.classes)  # pretrained body, new random head
    tt.freeze(model)                                             # the body stays as it is
    train_features = tt.extract_features(model, train)           # 1280 numbers per photo
    val_features = tt.extract_features(model, val)
    head, history = tt.fit_head(train_features, val_features, epochs=40, lr=3e-3, model=model)
    return model, history


# %% [markdown] id="strategy-fine-tuning"
# ### (c) Fine-tuning
#
# Fine-tuning starts exactly like feature extraction: **the head first**. A random head would send large, random
# error signals into the body and damage what it has learned. Once the head is trained, we also unfreeze the top
# two stages of the body (stage6 and stage7) and train on for 5 epochs with a **10× smaller learning rate**. And we
# keep every BatchNorm layer frozen with `tt.experiments.freeze_batchnorm` (Exercise 2 asks why).
#
# Spot the difference: fine-tuning is feature extraction plus three lines.

# %% id="define-fine-tuning"
def fine_tuning(train, val):
    model, head_history = feature_extraction(train, val)  # 1. the head first, on the frozen body
    tt.unfreeze(model, from_="stage6")                    # 2. stage6, stage7 and the head learn...
    tt.experiments.freeze_batchnorm(model)                            #    ...but BatchNorm keeps its ImageNet statistics
    history = tt.fit(model, train, val, epochs=5, lr=3e-4, live=False)  # 10x smaller than the head's 3e-3
    return model, tt.experiments.join_histories(head_history, history)  # 40 head epochs, then 5 fine-tuning epochs


# %% [markdown] id="exercise-small-lr-intro"
# ### ✏️ Exercise 1
# The unfrozen stages learn with a 10× smaller learning rate than the head did. Why?
#
# - **a** to make training faster
# - **b** so the pretrained weights are adjusted gently instead of being overwritten by large steps driven by a
#   few hundred photos
# - **c** because those stages have more parameters, and the learning rate must shrink with the number of parameters

# %% id="exercise-small-lr"
answer = ...  # your answer: "a", "b" or "c"
tt.check("05.small_lr", answer)

# %% [markdown] id="exercise-batchnorm-intro"
# ### ✏️ Exercise 2
# `tt.experiments.freeze_batchnorm(model)` keeps the mean and variance that each BatchNorm layer measured on ImageNet, also in
# the stages that fine-tune. Why not let them update on our photos?
#
# - **a** the mean and variance of a batch of 32 photos are noisy, and replacing ImageNet's statistics with them
#   shifts the features the head was trained on
# - **b** BatchNorm layers have no parameters
# - **c** updating them would make each epoch much slower

# %% id="exercise-batchnorm"
answer = ...  # your answer: "a", "b" or "c"
tt.check("05.batchnorm", answer)

# %% [markdown] id="run-intro"
# ## Run all three
#
# `tt.experiments.compare_strategies` runs each function from the same seed, times it and measures it the same way: the
# validation accuracy after the last epoch.
#
# ⏱ About 35 s on a 2-core CPU, most of it for the network from scratch.

# %% id="compare" tags=["nbval-ignore-output"]
results = tt.experiments.compare_strategies({
    "from scratch": lambda: from_scratch(train64, val64),
    "feature extraction": lambda: feature_extraction(train, val),
    "fine-tuning": lambda: fine_tuning(train, val),
})
results

# %% id="compare-facts"
acc = dict(zip(results["strategy"], results["val_acc"]))
assert acc["feature extraction"] >= 0.90
print("✓ Feature extraction gets at least 90 % of the new photos right.")
assert acc["feature extraction"] >= acc["from scratch"] + 0.30
print("✓ It beats training from scratch by more than 30 percentage points.")
assert acc["fine-tuning"] >= acc["feature extraction"] - 0.03
print("✓ Fine-tuning is at least about as good as feature extraction (within 3 points).")

# %% id="strategy-bars"
tt.viz.plot_strategies(results)

# %% [markdown] id="reading-bars"
# Read the three panels together:
#
# - **From scratch** trains all of SmallCNN's 391,466 parameters for 20 epochs and still gets fewer than half of
#   the new photos right.
# - **Feature extraction** trains 12,810 parameters in a few seconds, most of them spent running the body once
#   over the photos, and gets about 19 of 20 new photos right.
# - **Fine-tuning** trains 200 times more parameters than feature extraction and takes several times longer. It
#   gained a little here: a few more photos right, out of 276. (The exact numbers are in the table above.)

# %% id="curves"
results.plot()

# %% [markdown] id="reading-curves"
# The learning curves (dashed: training photos, solid: validation photos):
#
# - **from scratch** learns its training photos, but validation accuracy creeps up slowly and jumps around;
# - **feature extraction** is above 90 % after a handful of epochs; each of its epochs takes milliseconds;
# - **fine-tuning**'s first 40 epochs *are* feature extraction (its line hides under that one); then come the
#   5 fine-tuning epochs. Validation accuracy first dips, while the body's top stages start to move, then climbs.

# %% [markdown] id="try-it"
# > 🔧 **Try it** (after the lesson: each change means running the comparison again)
# > - Delete the line `tt.experiments.freeze_batchnorm(model)` in `fine_tuning`. In our run, fine-tuning then fell to 93.5 %,
# >   *below* feature extraction: this is what Exercise 2 is about.
# > - Give stage6 an even smaller learning rate than stage7 (*discriminative learning rates*): in `fine_tuning`, use
# >   `tt.fit(model, train, val, epochs=5, lr=3e-4, lr_groups={"stage6": 3e-5}, live=False)`. In our run: 94.2 %,
# >   no gain here, with only 300 photos.
# > - Unfreeze only `"stage7"`, or also `"stage5"`: what happens to accuracy, time and trainable parameters?

# %% [markdown] id="confusion-intro"
# ## The best model's mistakes
#
# A confusion matrix: each row is a true class, each column what the model answered. The diagonal counts the
# right answers, everything else is a mistake.

# %% id="confusion" tags=["nbval-ignore-output"]
best = results.best
print("The best strategy here:", best)
tt.plot_confusion(results.models[best], val)

# %% [markdown] id="confusion-reading"
# Almost everything is on the diagonal. Look at the few mistakes off it: which animals get mixed up, and can you
# guess why (similar shapes, colours, backgrounds)?

# %% [markdown] id="why-it-works"
# ## Why does feature extraction work so well?
#
# Every photo becomes 1280 numbers in the pretrained body. We cannot draw 1280 dimensions, but **PCA** can squeeze
# them into the 2 directions along which the photos differ most. Each dot is one validation photo, coloured by its
# true class. The body has never been trained on our photos:

# %% id="embedding-pretrained"
features, labels = tt.extract_features(tt.load_backbone(), val)  # ImageNet weights only
tt.viz.plot_embedding(features, labels, val.classes, title="Pretrained features (ImageNet), PCA")

# %% [markdown] id="embedding-scratch-intro"
# Even squeezed into 2 of 1280 dimensions, many classes form their own clouds: the features already sort the
# animals, and a linear head only has to draw lines between the clouds. Some classes share a cloud here (elephants
# and rhinos: big, grey, in the savannah); the other 1278 dimensions tell them apart, as the confusion matrix shows. Compare the 256 features of the network
# trained from scratch, which did see our 300 training photos:

# %% id="embedding-scratch"
features, labels = tt.extract_features(results.models["from scratch"], val64)
tt.viz.plot_embedding(features, labels, val.classes, title="SmallCNN from scratch, PCA")

# %% [markdown] id="embedding-reading"
# Most classes overlap in one jumble; only a few with striking colours or backgrounds (dolphins in blue water,
# spotted leopards) stand apart. 300 photos were not enough to learn features that sort new photos well.

# %% [markdown] id="exercise-which-intro"
# ### ✏️ Exercise 3
# A vet wants to sort photos of 5 dog breeds. She has 40 photos per breed, a laptop without a GPU, and wants an
# answer in a minute. Dogs are well covered by ImageNet. Which strategy would you start with?
#
# - **a** train a network from scratch
# - **b** feature extraction
# - **c** fine-tune every layer of the pretrained network

# %% id="exercise-which"
answer = ...  # your answer: "a", "b" or "c"
tt.check("05.which_strategy", answer)

# %% [markdown] id="xray-intro"
# ## Does the answer change for X-rays?
#
# Chest X-rays (normal or pneumonia) look nothing like ImageNet's photos, and they are tiny: 28 × 28 pixels,
# enlarged to 128. The rule of thumb says: the less similar the task, the more fine-tuning should pay off. We run
# the same two recipes on the X-ray task: 200 training images, 100 validation images.
#
# ⏱ About 10 s on a 2-core CPU.

# %% id="xray" tags=["nbval-ignore-output"]
xray_train = tt.load_dataset("xray", "train")
xray_val = tt.load_dataset("xray", "val")
xray = tt.experiments.compare_strategies({
    "feature extraction": lambda: feature_extraction(xray_train, xray_val),
    "fine-tuning": lambda: fine_tuning(xray_train, xray_val),
})
xray

# %% id="xray-facts"
xray_acc = dict(zip(xray["strategy"], xray["val_acc"]))
assert min(xray_acc.values()) >= 0.75
print("✓ Both transfer strategies get at least 3 of 4 X-rays right, with 200 training images.")

# %% [markdown] id="xray-reading"
# In our run fine-tuning did **not** beat feature extraction on X-rays: both got about 9 of 10 X-rays right, and
# fine-tuning slightly fewer. Be careful with small differences here: with 100 validation images, one image is one
# percentage point, and a different seed moves each number by several points. Two things are going on:
#
# - the ImageNet features (edges, textures, brightness patterns) already separate these small X-rays well;
# - 200 images are few for adjusting 2.6 million weights. With thousands of X-rays, fine-tuning usually pulls ahead.
#
# The rule of thumb is a starting point, not a law: **measure** on your own validation set.

# %% [markdown] id="when-to-use-which"
# ## When to use which
#
# | your situation | start with |
# |---|---|
# | few images (tens per class), task similar to the pretraining data | **feature extraction** |
# | few images, task unlike the pretraining data | feature extraction; then fine-tune the top stages and check on a validation set whether it helps |
# | many images (thousands per class), similar task | **fine-tuning**: the top stages first, then deeper ones |
# | many images, task unlike the pretraining data | fine-tune more stages, or all of them |
# | little compute (a phone, an old laptop, one minute) | **feature extraction**: the body runs once per image |
# | huge data and compute, and no similar pretrained network | training **from scratch** becomes an option |

# %% [markdown] id="where-next"
# ## Where next
#
# - **Domain adaptation.** A model is trained on images from one *domain* (scans from hospital A's machine) and used
#   on another (hospital B's machine, other settings). Domain adaptation adjusts it to the new domain with few or no
#   labels there, for example by making the features of the two domains look alike.
# - **Cross-lingual transfer.** The same idea in language: a model pretrained on text in a hundred languages is
#   fine-tuned on labelled examples in one language and then works, often surprisingly well, in languages it got no
#   labels for. That is how the low-resource language pair of lesson 1 gets a translator or a classifier.
# - **Bigger pretrained models.** The recipe stays the same: pick a pretrained body, replace the head, decide what
#   to freeze, measure.

# %% [markdown] id="discuss"
# > 💬 **Discuss**
# > - Fine-tuning trained 200 times more parameters than feature extraction and took several times longer, for a
# >   few more photos right. Was it worth it here? When would it be?
# > - On X-rays, how would you find out which strategy is really better: more validation images, more training
# >   images, other seeds? What would each cost?
# > - A school app should recognise 20 local bird species from 15 photos each, on a phone. Which strategy, and why?

# %% [markdown] id="summary"
# ## Summary
# - On the same photos and seed, feature extraction beats training from scratch by about 50 percentage points, in
#   seconds; fine-tuning the top stages added little on a task this close to ImageNet, at several times the cost.
# - Feature extraction is cheap because the body runs once per photo, and it works because the pretrained
#   features already separate the classes.
# - Choose by data size, similarity to the pretraining data and compute, and measure on a validation set.
