"""Lesson 02: pretraining."""
from .checks import Exercise, choice

EXERCISES = {
    "02.not_in_imagenet": Exercise(
        question="Which of our animals has no class of its own among ImageNet's 1000 classes? "
                 "(a) leopard; (b) flamingo; (c) rhino",
        judge=choice("c"),
        right="ImageNet has 'leopard' and 'flamingo' but no rhinoceros (only 'rhinoceros beetle'). "
              "The network calls a rhino something it knows, such as a warthog. Dolphin and emu are missing too.",
        hint="Search ImageNet's list for each animal, e.g. [c for c in tt.backbones.imagenet_classes() if 'flamingo' in c].",
        hints={
            "a": "Try [c for c in tt.backbones.imagenet_classes() if 'leopard' in c]: it is there.",
            "b": "Try [c for c in tt.backbones.imagenet_classes() if 'flamingo' in c]: it is there.",
        },
    ),
    "02.first_filters": Exercise(
        question="What do the first-layer filters of the pretrained network look like? "
                 "(a) random noise, like the untrained network's; (b) edges, stripes and colour blobs in "
                 "different directions; (c) tiny pictures of animals",
        judge=choice("b"),
        right="The first layer detects edges, stripes and colours: simple patterns found in every photo, "
              "which is why they are useful for any image task.",
        hint="Look again at the left figure, and compare it with the random one.",
        hints={
            "a": "That describes the random network. Compare the two figures: which one shows structure?",
            "c": "Each filter is only 3x3 pixels: too small for an animal. What can a 3x3 patch detect?",
        },
    ),
    "02.rare_tumour": Exercise(
        question="A hospital has only 40 scans of a rare tumour of the pancreas. Which starting point helps "
                 "most? (a) random weights; (b) a network pretrained on thousands of scans of the liver; "
                 "(c) a network pretrained on car photos",
        judge=choice("b"),
        right="A similar source task (scans of a neighbouring organ, same kind of images) gives the most "
              "useful features. Car photos still beat random weights: edges and textures are general.",
        hint="Which source task looks most like the target task?",
        hints={
            "a": "Random weights must learn everything from 40 scans: remember lesson 1.",
            "c": "Better than random (edges and textures are general), but is there a more similar source?",
        },
    ),
    "02.real_difference": Exercise(
        question="Two ways to train, 3 seeds each: A gives 52 ± 4 % and B gives 47 ± 1 % of new photos right "
                 "(mean ± sd, n=3). What does the course's rule say? (a) A is better; (b) within noise; "
                 "(c) B is better",
        judge=choice("b"),
        right="Within noise: the gap between the means is 5 points, less than twice the larger sd (2 × 4 = 8 "
              "points). Other seeds could easily swap the order: run more seeds before you name a winner.",
        hint="Work out the gap between the two means and compare it with twice the larger of the two sds.",
        hints={
            "a": "A's mean is higher, yes. But is the gap (52 - 47 = 5 points) larger than twice the larger sd?",
            "c": "B's mean is the lower one. Look at the gap between the means and at the spread.",
        },
    ),
}
