"""Lesson 02: pretraining."""
from .checks import Exercise, Feedback, choice
from ..i18n import tr_exercise
from ..models.backbones import imagenet_classes

SEARCHED = "elephant"  # 02.elephant_classes: the ImageNet classes whose name contains it


def _elephants() -> list:
    return [c for c in imagenet_classes() if SEARCHED in c.lower()]


def _judge_elephants(answer):
    """02.elephant_classes: the list a one-line search of ImageNet's class names gives."""
    if isinstance(answer, str):
        return Feedback(False, tr_exercise("That is one name. The question asks for the list of every ImageNet "
                                           "class with 'elephant' in its name: [c for c in ... if ...]."))
    try:
        names = [str(n) for n in answer]
    except TypeError:
        return Feedback(False, tr_exercise("Give a list of class names, e.g. [c for c in "
                                           "tt.backbones.imagenet_classes() if 'elephant' in c]."))
    wanted = _elephants()
    if sorted(names) == sorted(wanted):
        return True
    if not names:
        return Feedback(False, tr_exercise("The list is empty: no name matched. Did you write 'Elephant' with a "
                                           "capital? The names are like 'African elephant'."))
    if set(names) < set(wanted):
        return Feedback(False, tr_exercise("Some are missing: search all 1000 names, tt.backbones.imagenet_classes()."))
    return Feedback(False, tr_exercise("Some of these names have no 'elephant' in them: keep only the names that "
                                       "contain the word."))

EXERCISES = {
    "02.not_in_imagenet": Exercise(
        question="Which of our animals has no class of its own among ImageNet's 1000 classes? "
                 "(a) leopard; (b) flamingo; (c) rhino",
        judge=choice("c"),
        right="ImageNet has 'leopard' and 'flamingo' but no rhinoceros (only 'rhinoceros beetle'). "
              "The network calls a rhino something it knows: its top guess is in the table above. Dolphin and emu "
              "are missing too.",
        hint="Search ImageNet's list for each animal, e.g. [c for c in tt.backbones.imagenet_classes() if 'flamingo' in c].",
        hints={
            "a": "Try [c for c in tt.backbones.imagenet_classes() if 'leopard' in c]: it is there.",
            "b": "Try [c for c in tt.backbones.imagenet_classes() if 'flamingo' in c]: it is there.",
        },
    ),
    "02.first_filters": Exercise(
        question="Filter 3 of the pretrained network's first layer is almost all blue. Where in a photo do you "
                 "expect it to respond most strongly? (a) on blue parts of the photo, such as sky or water; "
                 "(b) on the animal's eyes; (c) nowhere: a filter of one colour has no pattern to find",
        judge=choice("a"),
        right="A filter responds where the image looks like it: filter 3's response follows how blue each spot "
              "of the photo is. Check it in the FilterExplorer (layer stem.0, filter 3) on a photo with sky or water.",
        hint="A filter responds where the patch of the image under it looks like the filter.",
        hints={
            "b": "The filter sees 3 x 3 pixels at a time, and it is one colour. Does a whole eye fit in 3 x 3 "
                 "pixels, and is an eye blue?",
            "c": "A colour is a pattern too: where a 3 x 3 patch of the image is blue, it looks like this filter. "
                 "Try it in the FilterExplorer (layer stem.0, filter 3).",
        },
    ),
    "02.rare_tumour": Exercise(
        question="A hospital has only 40 scans of a rare tumour of the pancreas. Which starting point helps "
                 "most? (a) a network pretrained on ImageNet's 1.2 million photos; (b) a network pretrained on "
                 "thousands of scans of the liver; (c) a network pretrained on the 40 tumour scans themselves",
        judge=choice("b"),
        right="A similar source task (scans of a neighbouring organ, the same kind of images) gives the most "
              "useful features, even though it has far fewer images than ImageNet. ImageNet is a good second "
              "choice: edges and textures are general.",
        hint="Which source task looks most like the target task?",
        hints={
            "a": "ImageNet is large and its edges and textures are general, but it has no scans at all. Is there a "
                 "source task whose images look more like the target's?",
            "c": "Pretraining on the 40 scans is training from scratch on them: remember lesson 1. Pretraining "
                 "helps when the source task has much more data than the target.",
        },
    ),
    "02.real_difference": Exercise(
        question="Two ways to train, A and B, run with the same 4 seeds (each seed: the same photos for both). Seed "
                 "by seed, A minus B is +5, -1, +4 and +2 points: a mean of +2.5 points, 95 % interval -1.7 to +6.7, "
                 "A ahead on 3 of 4 seeds. What does the course's statistic say? (a) A is better; (b) cannot tell: "
                 "more seeds would be needed; (c) no difference larger than 2 points",
        judge=choice("b"),
        right="Cannot tell: the interval runs from -1.7 to +6.7 points, so it holds 0 (B as good as A) as well as "
              "gains of 6 points. With the spread of these 4 seeds, about 7 seeds would narrow it enough to decide.",
        hint="Look at the interval: does it hold 0? Does all of it lie between -2 and +2 points?",
        hints={
            "a": "A is ahead on 3 seeds and its mean gain is positive, yes. But the interval still holds 0: other "
                 "seeds could give no gain at all.",
            "c": "'No difference larger than 2 points' needs the whole interval inside -2 to +2 points. Does it fit?",
        },
    ),
    "02.elephant_classes": Exercise(
        question="Write one line that lists every ImageNet class whose name contains 'elephant' "
                 "(tt.backbones.imagenet_classes() gives the 1000 names).",
        judge=_judge_elephants,
        right="Those are ImageNet's elephants. Now find our elephant photo in the table of top guesses: when its top "
              "guess is none of these, the network missed an animal it was trained on. Pretraining gives good "
              "features, not perfect answers.",
        hint="A list comprehension: [c for c in tt.backbones.imagenet_classes() if 'elephant' in c].",
    ),
}
