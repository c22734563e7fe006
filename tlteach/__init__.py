"""tlteach: transfer learning you can see and touch.

    import tlteach as tt
    train = tt.load_dataset("animals", "train")
    model = tt.replace_head(tt.load_backbone(), train.classes)
    tt.freeze(model)
"""
from .architectures import IMAGENET_MEAN, IMAGENET_STD, EfficientNetLite0, SmallCNN
from .checks import check
from .backbones import BACKBONES, imagenet_classes, load_backbone
from .data import (DATASETS, ImageDataset, load_dataset, load_image, load_image_folder, small_subset,
                   train_val_split)
from .datasize import data_size_experiment, fit_settled, plot_data_curve
from .errors import TLTeachError, show_short_errors
from .experiments import compare_strategies, freeze_batchnorm, join_histories, plot_strategies
from .features import extract_features, fit_head, install_head
from .i18n import get_language, set_language
from .inference import evaluate, predict, probabilities
from .models import (count_parameters, forward_groups, freeze, frozen_prefix, get_head, group_names,
                     layer_groups, num_outputs, replace_head, set_train_mode, trainable_summary, unfreeze)
from .notebook import notebook_setup, seed_everything
from .sweep import best_depths, freeze_sweep, plot_sweep
from .table import Table
from .train import History, fit
from .viz import (conv_layers, plot_confusion, plot_embedding, plot_history, show_feature_maps, show_filter_response,
                  show_filters, show_images, show_predictions)
from .widgets import FilterExplorer, FreezePanel

__version__ = "0.1.0"

show_short_errors()  # in Jupyter: a student's mistake is one red line, not a traceback
