"""Lesson 03: head replacement."""
from .checks import Exercise, choice, number

# EfficientNet-Lite0 gives 1280 features; a new head for 10 classes is nn.Linear(1280, 10).
FEATURES, CLASSES = 1280, 10
HEAD_PARAMETERS = FEATURES * CLASSES + CLASSES  # 12,810: one weight per (feature, class) and one bias per class

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
                 "100 photos. Why does the new head do so much better? (a) a smaller model is always better; "
                 "(b) the pretrained body already turns every photo into 1280 useful numbers (shapes, textures, "
                 "animal parts), so the head only has to learn how to combine them; (c) the head saw more photos",
        judge=choice("b"),
        right="The hard part, seeing, was learned from 1.2 million ImageNet photos. Our 100 photos only have to "
              "teach 12,810 numbers how to read the body's features, and that is too little to memorise much.",
        hint="Think about what the frozen body contributes: what did it learn, and from how many photos?",
        hints={
            "a": "A tiny network trained from scratch would do badly too. What is special about the 1280 numbers "
                 "the head reads?",
            "c": "Both trained on exactly the same 100 photos. What else did the head get for free?",
        },
    ),
}
