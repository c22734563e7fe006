"""tlteach: transfer learning you can see and touch.

    import tlteach as tt
    train = tt.load_dataset("animals", "train")
    model = tt.replace_head(tt.load_backbone(), train.classes)
    tt.freeze(model)
    history = tt.fit(model, train, epochs=3)

`tt.<name>` holds the verbs a student uses (listed in `__all__`, each docstring names the lesson
that introduces it). Everything else lives in named modules, importable as they are:
`tt.models`, `tt.freezing`, `tt.families`, `tt.inspection`, `tt.viz`, `tt.experiments`,
`tt.sweep`, `tt.datasize`, `tt.recipes`, `tt.repeats`, `tt.backbones`, `tt.data`, `tt.preprocess`,
`tt.table`, `tt.i18n`, `tt.own_photos` (lesson 03's panel for a student's own photos),
`tt.zeroshot`, `tt.domains`, `tt.adaptation` (lesson 06).
"""
from . import (backbones, data, datasize, errors, experiments, families, features, freezing, i18n, inference,
               inspection, models, own_photos, preprocess, recipes, repeats, sweep, table, train, viz)
from . import adaptation, domains, zeroshot  # lesson 06
from .architectures import SmallCNN
from .backbones import load_backbone
from .checks import check
from .data import load_dataset, load_image, load_image_folder, small_subset
from .features import extract_features, fit_head
from .freezing import freeze, trainable_summary, unfreeze
from .inference import evaluate, predict
from .models import count_parameters, replace_head
from .notebook import notebook_setup
from .train import fit
from .viz import plot_confusion, plot_history, show_feature_maps, show_filters, show_images, show_predictions
from .widgets import FilterExplorer, FreezePanel

__all__ = [
    # every lesson
    "notebook_setup", "check",
    # data (lesson 01)
    "load_dataset", "small_subset", "load_image", "load_image_folder",
    # models (lessons 01-04)
    "SmallCNN", "load_backbone", "replace_head", "freeze", "unfreeze", "trainable_summary", "count_parameters",
    # training and using a model (lessons 01-05)
    "fit", "evaluate", "predict", "extract_features", "fit_head",
    # figures
    "show_images", "plot_history", "show_filters", "show_feature_maps", "show_predictions", "plot_confusion",
    # widgets (lessons 02, 04)
    "FreezePanel", "FilterExplorer",
]
__version__ = "0.1.0"

errors.show_short_errors()  # in Jupyter: a student's mistake is one red line, not a traceback
