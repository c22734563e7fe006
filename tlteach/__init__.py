"""tlteach: transfer learning you can see and touch.

    import tlteach as tt
    train = tt.load_dataset("animals", "train")
    model = tt.replace_head(tt.load_backbone(), train.classes)
    tt.freeze(model)
    history = tt.fit(model, train, epochs=3)

`tt.<name>` holds the verbs a student uses (listed in `__all__`, each docstring names the lesson
that introduces it). Everything else lives in folders by concern, named in the course's words:

    data/         datasets (the bundled sets, your own photos), preprocess, domains (lesson 06's shifts)
    models/       architectures, backbones + families (the pretrained registry), groups (layer groups,
                  heads), freezing, inspection (filters, activations), adaptation (lesson 06)
    training/     train (fit, History), optimizer, progress, features (feature extraction), inference
    experiments/  recipes, repeats (runs over seeds), runner, strategies, datasize, sweep, rules, zeroshot
    figures/      every figure (`tt.viz` in the lessons), one module per kind, one style
    panels/       widgets (FreezePanel, FilterExplorer), own_photos (lesson 03's panel)
    text/         lesson 07: sentence encoders (embed, show_tokens), zero-shot from class descriptions,
                  heads on frozen vectors, fine-tuning MiniLM, the lesson's runs over seeds
    exercises/    the exercises of every lesson and `tt.check`

The lessons call the modules by their short names, kept here: `tt.viz`, `tt.sweep`, `tt.recipes`,
`tt.repeats`, `tt.datasize`, `tt.experiments`, `tt.models`, `tt.freezing`, `tt.data` ...
Lower folders never import higher ones: data and models, then training, then experiments, then
figures and panels (`tests/test_structure.py` checks it).
"""
from . import errors, i18n, notebook, seeds, table, validate, verdicts  # noqa: F401
from . import data, exercises, experiments, models, training  # noqa: F401
from . import text  # noqa: F401
from . import figures, panels  # noqa: F401
from .data import datasets as _datasets  # noqa: F401
from .data import domains, preprocess  # noqa: F401
from .experiments import datasize, recipes, repeats, rules, runner, step_size, sweep, zeroshot  # noqa: F401
from .figures import plot_confusion, plot_history, show_feature_maps, show_filters, show_images, show_predictions
from .models import adaptation, architectures, backbones, families, freezing, inspection  # noqa: F401
from .models.architectures import SmallCNN
from .models.backbones import load_backbone
from .models.freezing import freeze, trainable_summary, unfreeze
from .models.groups import count_parameters, replace_head
from .exercises.checks import check
from .data.datasets import load_dataset, load_image, load_image_folder, small_subset
from .data.texts import load_texts
from .training import features, inference, optimizer, progress, train  # noqa: F401
from .training.features import extract_features, fit_head
from .training.inference import evaluate, predict
from .training.train import fit
from .notebook import notebook_setup
from .panels import own_photos, widgets  # noqa: F401
from .panels.widgets import FilterExplorer, FreezePanel

viz = figures  # the lessons' name for the figures

__all__ = [
    # every lesson
    "notebook_setup", "check",
    # data (lesson 01)
    "load_dataset", "small_subset", "load_image", "load_image_folder", "load_texts",
    # models (lessons 01-04)
    "SmallCNN", "load_backbone", "replace_head", "freeze", "unfreeze", "trainable_summary", "count_parameters",
    # training and using a model (lessons 01-05)
    "fit", "evaluate", "predict", "extract_features", "fit_head",
    # figures
    "show_images", "plot_history", "show_filters", "show_feature_maps", "show_predictions", "plot_confusion",
    # widgets (lessons 02, 04)
    "FreezePanel", "FilterExplorer",
]
from ._version import __version__  # noqa: E402 (one place: pyproject.toml reads it too)

errors.show_short_errors(translate=i18n.tr)  # in Jupyter: a student's mistake is one red line, not a traceback
