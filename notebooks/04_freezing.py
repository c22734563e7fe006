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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/tlteach/tlteach/blob/main/notebooks/04_freezing.ipynb)
# # Lesson 4 · Freezing: which layers should learn?
#
# **The question:** which layers of a pretrained network should we freeze, and why does the answer depend on the
# task and on how much data we have?
#
# In this lesson you will
# 1. see what freezing does to a layer (three switches) and *prove* that frozen weights do not move;
# 2. freeze and unfreeze the layer groups of a real network with `tt.freeze`, `tt.unfreeze` and `tt.trainable_summary`;
# 3. measure what goes wrong when BatchNorm statistics are not frozen and the data set is tiny;
# 4. run an experiment: accuracy and time against the number of frozen groups, for a task like ImageNet and a task
#    unlike it, with little and with more data;
# 5. read a rule of thumb off your own heatmap: *less data → freeze more; less similar → freeze fewer*.

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

# %% [markdown] id="what-freezing-means"
# ## What does "freezing" mean?
#
# Training changes a network's weights a little after every batch. **Freezing** a layer means: keep its weights as
# they are. In PyTorch that takes three switches, and `tt.freeze` flips all three:
#
# 1. `requires_grad = False` on the layer's weights: no gradient is computed for them;
# 2. the optimiser only gets the weights that still train (so it cannot nudge the frozen ones);
# 3. BatchNorm layers stay in **eval mode**: they keep the mean and variance they measured during pretraining,
#    instead of re-measuring them on every batch.
#
# We start on a tiny network, small enough to watch every weight.

# %% id="tiny-model"
tiny_train = tt.small_subset(tt.load_dataset("animals", "train", size=64), per_class=5)  # 50 photos, 64 x 64 px
tiny = tt.SmallCNN(num_classes=10, width=8)
print(f"{tt.count_parameters(tiny):,} parameters, {tt.count_parameters(tiny, trainable_only=True):,} of them trainable")

# %% id="tiny-freeze"
tt.freeze(tiny, up_to="block2")   # block1 and block2 frozen; block3, block4 and the head train
tt.trainable_summary(tiny)

# %% [markdown] id="three-switches"
# Look at the three switches on the first block: its convolution and its BatchNorm layer.

# %% id="tiny-switches"
import torch

block1 = tt.models.layer_groups(tiny)["block1"]
conv = next(m for m in block1.modules() if isinstance(m, torch.nn.Conv2d))
bn = next(m for m in block1.modules() if isinstance(m, torch.nn.BatchNorm2d))
print("1. convolution weights get gradients:", conv.weight.requires_grad)
print("2. BatchNorm weights get gradients:  ", bn.weight.requires_grad)
print("3. BatchNorm re-measures statistics: ", bn.training)

# %% [markdown] id="prove-it"
# ### Prove it: train, then check that the frozen weights did not move
#
# We copy every weight and every BatchNorm statistic, train for 3 epochs, and compare.

# %% id="tiny-train"
before = {name: value.clone() for name, value in tiny.state_dict().items()}   # a copy of everything
history = tt.fit(tiny, tiny_train, epochs=3, lr=1e-2, live=False)
after = tiny.state_dict()


# %% id="tiny-what-changed" tags=["nbval-ignore-output"]
def largest_change(group):   # over its weights and BatchNorm statistics (not the batch counter)
    return max((after[n] - before[n]).abs().max().item()
               for n in before if n.startswith(group + ".") and before[n].is_floating_point())

tt.table.Table([{"group": g, "frozen": g in ("block1", "block2"), "largest change": largest_change(g)}
          for g in tt.models.group_names(tiny)], title="How far did each group's numbers move in training?")

# %% id="tiny-assert"
for name in before:
    if name.startswith(("block1.", "block2.")):
        assert torch.equal(before[name], after[name]), f"{name} moved although it is frozen"
    if name.endswith(".weight") and name.startswith(("block3.", "block4.", "head.")):
        assert not torch.equal(before[name], after[name]), f"{name} did not learn"
print("✓ Frozen block1 and block2: every weight and every BatchNorm statistic is exactly as before.")
print("✓ block3, block4 and the head: their weights changed.")

# %% [markdown] id="train-undoes-eval"
# ### A trap: `model.train()` wakes up frozen BatchNorm
#
# Every PyTorch training loop calls `model.train()` at the start of an epoch. It switches *every* BatchNorm layer to
# training mode, frozen or not: switch 3 flips back, silently. `tt.fit` calls `tt.freezing.set_mode(model, True)` instead,
# which keeps frozen BatchNorm layers in eval mode.

# %% id="train-mode"
tiny.train()
print("after model.train():                block1's BatchNorm re-measures statistics:", bn.training)
tt.freezing.set_mode(tiny, training=True)
print("after tt.freezing.set_mode(model, True): block1's BatchNorm re-measures statistics:", bn.training)

# %% [markdown] id="exercise-train-mode"
# ### Exercise 1
# You froze a model with `tt.freeze(model)` and then called `model.train()` in your own training loop. What happens
# to the frozen BatchNorm layers?
# (a) nothing: frozen means frozen;
# (b) their weights stay frozen, but they go back to training mode and update their running statistics from every batch;
# (c) `model.train()` unfreezes their weights.

# %% id="check-train-mode"
answer = ...  # your answer: "a", "b" or "c"
tt.check("04.train_mode", answer)

# %% [markdown] id="real-network"
# ## Freezing a real network
#
# EfficientNet-Lite0, pretrained on ImageNet, comes in 9 layer groups, from the input to the output:
# `stem`, `stage1` … `stage7` and the `head`. Early groups find edges and colours, late groups find parts of
# objects (lesson 2). We give it a new head for our 10 animals (lesson 3) and freeze everything up to `stage5`.

# %% id="load-data"
train = tt.load_dataset("animals", "train")   # 300 photos, 128 x 128 px
val = tt.load_dataset("animals", "val")       # 276 photos
model = tt.replace_head(tt.load_backbone(), train.classes)
tt.freeze(model, up_to="stage5")
tt.trainable_summary(model)

# %% [markdown] id="freeze-unfreeze"
# `tt.freeze(model)` with no group freezes everything but the head (feature extraction, lesson 5);
# `tt.unfreeze(model, from_="stage7")` lets `stage7` and everything after it learn again.

# %% id="freeze-unfreeze-code"
tt.freeze(model)
print(f"everything but the head frozen: {tt.count_parameters(model, trainable_only=True):>9,} parameters train")
tt.unfreeze(model, from_="stage7")
print(f"stage7 unfrozen too:            {tt.count_parameters(model, trainable_only=True):>9,} parameters train")
tt.unfreeze(model)
print(f"everything unfrozen:            {tt.count_parameters(model, trainable_only=True):>9,} parameters train")

# %% [markdown] id="freeze-panel-intro"
# Try it with the slider: the panel freezes the model itself, group by group, and counts what still trains
# (blue = frozen, orange = trainable). The button trains one epoch on 5 photos per class as the model is frozen now,
# so you can feel the cost: more frozen groups, faster epochs.

# %% id="freeze-panel" tags=["nbval-ignore-output"]
panel = tt.FreezePanel(model, tt.small_subset(train, per_class=5), val)
panel

# %% [markdown] id="exercise-count"
# ### Exercise 2
# Freeze the model with `tt.freeze(model, up_to="stage6")` (or move the slider to `stage6`). How many parameters
# still train? Read it off the table or the panel.

# %% id="check-count"
answer = ...  # your answer: a number
tt.check("04.trainable_count", answer)

# %% [markdown] id="batchnorm-why"
# ## Why BatchNorm statistics must stay frozen
#
# A BatchNorm layer scales every channel with a mean and a variance. During pretraining it averaged them over
# 1.2 million ImageNet photos. In training mode it uses the mean and variance of the *current batch* instead, and
# moves its stored averages towards them. With 5 photos per class a batch holds 16 photos: the averages drift
# towards 16 photos' statistics, and the features the head learned on no longer match those at test time.
#
# The experiment: the same pretrained body, frozen, a new head trained for 5 epochs on 5 photos per class;
# once with frozen BatchNorm (the default) and once with `freeze_bn=False`, which lets the statistics drift.

# %% id="batchnorm-experiment" tags=["nbval-ignore-output"]
print("Two runs of 5 epochs: about 10 s on a 2-core CPU.")
train5 = tt.small_subset(train, per_class=5)
bn_models, bn_accuracy = {}, {}
for freeze_bn in (True, False):
    net = tt.replace_head(tt.load_backbone(), train.classes)
    tt.freeze(net)
    tt.fit(net, train5, epochs=5, lr=1e-3, batch_size=16, freeze_bn=freeze_bn, live=False)
    bn_models[freeze_bn], bn_accuracy[freeze_bn] = net, tt.evaluate(net, val)["accuracy"]
print(f"BatchNorm statistics frozen (default): {bn_accuracy[True]:.1%} validation accuracy")
print(f"BatchNorm statistics drifting:         {bn_accuracy[False]:.1%} validation accuracy")

# %% id="batchnorm-what-changed"
pretrained = tt.load_backbone()

def batchnorms(net):
    return [m for m in net.modules() if isinstance(m, torch.nn.BatchNorm2d)]

for freeze_bn, net in bn_models.items():
    pairs = list(zip(batchnorms(pretrained), batchnorms(net)))
    weights_moved = sum(not torch.equal(a.weight, b.weight) for a, b in pairs)
    stats_moved = sum(not torch.equal(a.running_mean, b.running_mean) for a, b in pairs)
    print(f"freeze_bn={freeze_bn!s:5}: of {len(pairs)} BatchNorm layers, {weights_moved} changed their weights "
          f"and {stats_moved} changed their statistics")
drop = bn_accuracy[True] - bn_accuracy[False]
assert drop > 0.15, "expected drifting statistics to cost more than 15 points"
print("✓ Not a single frozen weight moved, yet drifting statistics cost more than 15 percentage points.")

# %% [markdown] id="three-libraries"
# Libraries choose differently, and now you can tell why it matters:
# - **Keras**: a BatchNorm layer with `trainable = False` runs in inference mode, statistics frozen (like our default).
# - **timm**: `freeze` swaps BatchNorm for `FrozenBatchNorm2d`, a layer with fixed constants that even
#   `model.train()` cannot wake up.
# - **fastai**: `freeze()` keeps BatchNorm layers *training* by default (`train_bn=True`), weights and statistics.
#   With enough data that helps the body adapt to a new kind of image; with a tiny data set it can hurt, as above.

# %% [markdown] id="experiment-plan"
# ## The experiment: how many groups should we freeze?
#
# Two tasks and two data sizes for each:
# - **animals** (our 10 wild animals): photos much like ImageNet's; 5 or 20 photos per class;
# - **X-rays** (chest X-rays, normal or pneumonia): grey, blurry, nothing like ImageNet; 10 or 100 images per class.
#   They are 28 × 28 px originally; we use them at 64 px (larger adds computation, not detail).
#
# For every task and size we train 5 models that freeze 0, 3, 5, 7 or 8 groups (0 = fine-tune everything,
# 8 = everything but the head): 20 runs with the same recipe (3 epochs, learning rate 0.001, batches of 16, seed 0),
# each from the same pretrained weights with a new head, each measured on its task's validation images.

# %% id="xray-data"
xray_train = tt.load_dataset("xray", "train", size=64)
xray_val = tt.load_dataset("xray", "val", size=64)
print(xray_train)
tt.show_images(tt.small_subset(xray_train, per_class=5), n=10)   # 5 normal, 5 pneumonia

# %% id="sweep-tasks"
tasks = [
    (tt.small_subset(train, per_class=5), val),             # like ImageNet, little data
    (tt.small_subset(train, per_class=20), val),            # like ImageNet, more data
    (tt.small_subset(xray_train, per_class=10), xray_val),  # unlike ImageNet, little data
    (xray_train, xray_val),                                 # unlike ImageNet, more data (100 per class)
]
for task_train, task_val in tasks:
    per_class = min(task_train.counts().values())
    print(f"{task_train.name.split(',')[0]:>7}: {per_class:>3} per class, {len(task_train):>3} training images, "
          f"{len(task_val)} validation images")

# %% [markdown] id="sweep-speed"
# 20 runs sound slow, but freezing makes training cheap: a frozen group never changes, so `tt.fit` runs it only
# once per image and caches its output; every epoch then runs only the groups that learn. The more you freeze,
# the faster a run is.

# %% id="sweep-run" tags=["nbval-ignore-output"]
print("20 training runs: about 45 s on a 2-core CPU (most of it in the runs that freeze little).")
table = tt.sweep.freeze_sweep(tasks, depths=(0, 3, 5, 7, 8), epochs=3, lr=1e-3, batch_size=16, seed=0)
table

# %% [markdown] id="heatmap-intro"
# ### Read the heatmap
# One row per task and data size, one column per number of frozen groups; the best cell of each row is outlined.

# %% id="heatmap"
tt.viz.plot_sweep(table)

# %% id="heatmap-time"
tt.viz.plot_sweep(table, "seconds")

# %% id="best-depths" tags=["nbval-ignore-output"]
for (task, per_class), k in tt.sweep.best_depths(table).items():
    print(f"{task:>7}, {per_class:>3} per class: best with {k} frozen groups")

# %% id="sweep-asserts"
acc = {(row["task"], row["per_class"], row["frozen_groups"]): row["val_acc"] for row in table}
seconds = {(row["task"], row["per_class"], row["frozen_groups"]): row["seconds"] for row in table}

def cost_of_unfreezing(task, per_class):   # best accuracy in the row minus accuracy with nothing frozen
    return max(acc[task, per_class, k] for k in (0, 3, 5, 7, 8)) - acc[task, per_class, 0]

assert cost_of_unfreezing("animals", 5) > 0.05 and cost_of_unfreezing("xray", 10) > 0.05
print("✓ Little data: fine-tuning everything is more than 5 points worse than the best freezing, for both tasks.")
assert cost_of_unfreezing("animals", 5) > cost_of_unfreezing("animals", 20)
assert cost_of_unfreezing("xray", 10) > cost_of_unfreezing("xray", 100)
print("✓ More data: fine-tuning everything costs less, for both tasks.")
assert seconds["animals", 20, 8] * 3 < seconds["animals", 20, 0]
print("✓ Freezing everything but the head trains more than 3 times faster than fine-tuning everything.")

# %% [markdown] id="what-we-see"
# ### What the heatmap says, and what it does not
#
# - **Less data → freeze more.** With 5 animal photos per class, fine-tuning all 3.4 million weights on 50 photos
#   is clearly worse than freezing up to `stage6`; with 10 X-rays per class, fine-tuning everything is the worst cell
#   of the whole map. With more data, unfreezing costs much less: there are enough examples to adjust millions of
#   weights without memorising them.
# - **Less similar → freeze fewer.** For animals, freezing up to `stage6` wins at both sizes: ImageNet's late
#   features (fur, eyes, legs) are just what the task needs. For X-rays with 100 per class, unfreezing everything
#   costs only a few points, and in our run the best cell lies further left than for the animals.
#   That is the rule, but our evidence for this half is **weak**: the X-ray validation set has only 100 images
#   (one image = one point, so a difference of 2–3 points is noise, and a re-run on another computer can move the
#   best cell), the X-rays are tiny (28 × 28 px), and 200 images for 3 epochs is little for fine-tuning to pay off.
#   Larger studies show it clearly: the later a layer, the worse it transfers to a task unlike the one it was
#   trained on (Yosinski et al. 2014, *How transferable are features in deep neural networks?*).
# - **Freezing everything but the head (8)** does worse than 7 here, and the reason is our recipe, not transfer:
#   in 3 epochs the new head gets only a dozen small steps. Lesson 5 trains a head for 100 steps on cached
#   features, in about a second.
# - **Time:** the cost sits in the left columns. A frozen group does not learn, and thanks to caching it runs once
#   instead of every epoch. (Your seconds depend on your computer and on what else runs on it.)

# %% [markdown] id="exercise-rule"
# ### Exercise 3
# A hospital has 3,000 labelled lung CT scans per class: grey, textured images, very unlike ImageNet's photos.
# Which freezing would you try first?
# (a) freeze everything but the head;
# (b) freeze only the first few groups (`stem` … `stage2`) and fine-tune the rest;
# (c) freeze up to `stage6`, because freezing more is always safer.

# %% id="check-rule"
answer = ...  # your answer: "a", "b" or "c"
tt.check("04.rule", answer)

# %% [markdown] id="discuss"
# > 💬 **Discuss:**
# > - Our X-ray row is noisy. How would you make the experiment more trustworthy: more validation images, several
# >   seeds, more epochs? What would each cost in time?
# > - Why might fine-tuning everything *forget* what the pretrained network knew when the data set is tiny?
# > - You want to recognise 5 kinds of rare tumour from 30 scans each, and a network pretrained on scans of
# >   another organ exists. What would you freeze, and why?

# %% [markdown] id="summary"
# ## Summary
# - Freezing = no gradients, no optimiser updates, BatchNorm in eval mode; we proved the frozen weights did not move,
#   and saw that drifting BatchNorm statistics alone cost over 15 points on a tiny data set.
# - Little data → freeze more (unfreezing everything was the worst choice at 5–10 images per class); a task unlike
#   ImageNet → freeze fewer (weak but visible in our X-ray row).
# - Frozen groups cost almost nothing: computed once and cached, so deep freezing is also the fast choice.
