"""Models: our networks (`architectures`), the pretrained registry and the family table (`backbones`,
`families`), layer groups and heads (`groups`), freezing (`freezing`), looking inside (`inspection`)
and adapting a body to another domain (`adaptation`, lesson 06).

`tt.models.<name>` is `tt.models.groups.<name>`: layer_groups, group_names, get_head, replace_head ...
"""
from . import adaptation, architectures, backbones, families, freezing, groups, inspection  # noqa: F401
from .groups import (count_parameters, forward_groups, get_head, group_index, group_names, layer_groups,  # noqa: F401
                     num_outputs, replace_head)
