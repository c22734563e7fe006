"""Lesson 06: zero-shot, domain shift and adaptation, when transfer hurts."""
from .checks import Exercise, choice

EXERCISES = {
    "06.zeroshot": Exercise(
        question="For which task can zero-shot with an ImageNet head not work? (a) telling cats from dogs; "
                 "(b) telling a normal chest X-ray from one with pneumonia; (c) telling sports cars from fire engines",
        judge=choice("b"),
        right="ImageNet's 1000 classes include cats, dogs, sports cars and fire engines, but nothing like a chest "
              "X-ray, let alone pneumonia. With nothing to map to, a new head must be trained on labelled X-rays.",
        hint="Zero-shot scores each class by ImageNet classes that mean it. Which of the three tasks has no such "
             "ImageNet classes?",
        hints={
            "a": "ImageNet has many cat and dog classes (tabby, Egyptian cat, beagle, ...): a mapping is easy here.",
            "c": "ImageNet has both 'sports car' and 'fire engine' among its classes.",
        },
    ),
    "06.adabn": Exercise(
        question="What does re-estimating BatchNorm statistics need from the new camera? (a) labelled images, to "
                 "compute the gradient; (b) only images, without labels: they pass forwards through the network; "
                 "(c) nothing: it uses the ImageNet photos again",
        judge=choice("b"),
        right="Only images. Each BatchNorm layer measures the mean and variance of its inputs while the new "
              "camera's images pass forwards; no label, no loss, no gradient, and no weight changes.",
        hint="A BatchNorm layer's statistics are a mean and a variance of what flows into it. What is needed to "
             "measure them?",
        hints={
            "a": "No loss is computed, so there is no gradient and no need for labels.",
            "c": "The ImageNet statistics are what the layers already have; the point is to measure the new camera.",
        },
    ),
    "06.which_fix": Exercise(
        question="A school's bird camera switches to night mode: grey, noisy images. The classifier was trained on "
                 "daylight photos. Nobody has time to label many night images, but the camera has recorded "
                 "thousands. What do you do first? (a) re-estimate BatchNorm statistics on the unlabelled night "
                 "images and use the result: it needs no labels; (b) label a few night images per class, measure "
                 "the daylight model on them, then try the cheap fixes (BatchNorm re-estimation, a head or a few "
                 "groups trained on the labelled ones) and keep what the labelled images say helps; (c) nothing: a "
                 "pretrained network is robust to any camera",
        judge=choice("b"),
        right="Without a few labelled night images you cannot know whether a fix helped or hurt. This lesson "
              "measured it: whether re-estimating BatchNorm helps depends on the shift, while a few labelled "
              "images of the new camera are both the measurement and the training data for adaptation.",
        hint="Which of the three lets you find out whether the fix worked?",
        hints={
            "a": "It is cheap and worth trying, but look at this lesson's measurements: for one of its shifts the "
                 "re-estimated statistics showed no gain. Without labelled night images, how would you notice?",
            "c": "Section 2 measured the opposite: another camera costs the clean model many points.",
        },
    ),
}
