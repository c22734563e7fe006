"""Lesson 03: head replacement."""
from .checks import Exercise, Feedback, choice, number
from ..i18n import tr_exercise
from ..models.backbones import LITE0
from ..models.freezing import group_status
from ..models.groups import layer_groups

# EfficientNet-Lite0 gives 1280 features; a new head for 10 classes is nn.Linear(1280, 10).
FEATURES, CLASSES = 1280, 10
HEAD_PARAMETERS = FEATURES * CLASSES + CLASSES  # 12,810: one weight per (feature, class) and one bias per class
LAST_FROZEN = LITE0.fine_tuning_frozen  # 03.freeze_up_to: stem ... stage5 frozen


def _judge_frozen(model):
    """03.freeze_up_to: read which groups of the student's model are frozen and say what is off."""
    from torch import nn


    if not isinstance(model, nn.Module):
        return Feedback(False, tr_exercise("Pass the model itself: tt.check(\"03.freeze_up_to\", exercise_model)."))
    status = {name: group_status(group) for name, group in layer_groups(model).items()}
    names = list(status)
    wanted = {name: "frozen" if i <= names.index(LAST_FROZEN) else "trainable" for i, name in enumerate(names)}
    if status == wanted:
        return True
    frozen = [name for name in names if status[name] == "frozen"]
    if not frozen:
        return Feedback(False, tr_exercise("Nothing is frozen yet: every group still trains. Which call freezes "
                                           "the groups from the input up to a named one?"))
    if status["head"] != "trainable":
        return Feedback(False, tr_exercise("The head is frozen too: then nothing can learn our 10 animals. "
                                           "tt.freeze(model, up_to=...) stops before the head."))
    last = max(names.index(name) for name in frozen)
    if frozen == names[:-1]:
        return Feedback(False, tr_exercise("That freezes the whole body: feature extraction, only the head learns. "
                                           "Here stage6 and stage7 should learn too: name the last group to freeze."))
    if frozen == names[:last + 1] and last > names.index(LAST_FROZEN):
        return Feedback(False, tr_exercise("{last} is frozen too: too many groups. The last frozen group should be "
                                           "stage5.", last=names[last]))
    if frozen == names[:last + 1]:
        return Feedback(False, tr_exercise("{group} still trains: too few groups frozen. The last frozen group "
                                           "should be stage5.", group=names[last + 1]))
    return Feedback(False, tr_exercise("The frozen groups should be the first ones, from the stem up to stage5, with "
                                       "nothing trainable in between: start again from the first line of the cell."))

EXERCISES = {
    "03.chance": Exercise(
        question="The new head's weights are random. Before any training, what validation accuracy do you expect "
                 "on our 10 classes? (a) about 0 %; (b) about 10 %; (c) about 50 %; (d) about 90 %, because the "
                 "body is pretrained",
        judge=choice("b"),
        right="About 10 %: one guess in ten. The body still describes every photo well, but the random head "
              "has not learned which of its 1280 numbers point to which animal, so its answer is a lottery.",
        hint="A random head picks one of the 10 classes more or less at random. How often is a random pick right?",
        hints={
            "a": "Even a random guess is sometimes right. With 10 classes, how often?",
            "c": "50 % would be guessing between two classes. How many classes do we have?",
            "d": "The body is pretrained, but the head that turns its 1280 numbers into our 10 classes is brand new "
                 "and random. Can it know which number means 'leopard'?",
        },
    ),
    "03.head_parameters": Exercise(
        question="The new head is a linear layer from 1280 features to 10 classes. How many parameters does it have?",
        judge=number(HEAD_PARAMETERS, tolerance=0),
        right="1280 × 10 weights (one for every feature and class) + 10 biases (one per class) = 12,810.",
        hint="A linear layer has one weight for every (input, output) pair, and one bias for every output.",
        hints={
            FEATURES * CLASSES: "Close: that counts the weights. Each of the 10 outputs also has a bias.",
            FEATURES * 1000 + 1000: "That is the old ImageNet head with 1000 outputs. The new one has 10.",
            FEATURES + CLASSES: "Not quite: every one of the 1280 inputs is connected to every one of the 10 outputs.",
        },
    ),
    "03.why_it_works": Exercise(
        question="The trained head has 12,810 parameters, SmallCNN has 98,970, and both learned from the same "
                 "100 photos. Why does the new head do so much better? (a) with fewer parameters to learn, a model "
                 "cannot memorise its training photos; (b) the pretrained body already turns every photo into 1280 "
                 "useful numbers, learned from other photos, so the head only has to learn how to combine them; "
                 "(c) the head sees the photos at 128 px and SmallCNN at 64 px: the extra detail does it",
        judge=choice("b"),
        right="The hard part, seeing, was learned from 1.2 million ImageNet photos. Our 100 photos only have to "
              "teach 12,810 numbers how to read the body's features, and that is too little to memorise much.",
        hint="Think about what the frozen body contributes: what did it learn, and from how many photos?",
        hints={
            "a": "Fewer parameters memorise less, yes, but a tiny network trained from scratch would still see "
                 "badly. What is special about the 1280 numbers the head reads?",
            "c": "The sizes do differ, and detail helps a pretrained body. But SmallCNN learns its 100 photos by "
                 "heart at 64 px already: would more pixels teach it what a leopard looks like? What did the head "
                 "get for free?",
        },
    ),
    "03.freeze_up_to": Exercise(
        question="Change the model in the cell so that the groups stem ... stage5 are frozen and stage6, stage7 "
                 "and the head learn (one line).",
        judge=_judge_frozen,
        right="stem ... stage5 frozen, stage6, stage7 and the head learn: the set-up of the picture in lesson 1 "
              "and of the algorithm in lesson 2. tt.trainable_summary(exercise_model) shows how many parameters that "
              "leaves to train.",
        hint="tt.freeze(model, up_to=name) freezes every group from the stem up to and including the one named.",
    ),
}
