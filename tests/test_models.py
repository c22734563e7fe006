"""Layer groups, head replacement and freezing work the same on every architecture."""
import pytest
import torch
from torch import nn

import tlteach as tt

ARCHITECTURES = {
    "efficientnet_lite0": lambda: tt.load_backbone(pretrained=False),
    "resnet18": lambda: tt.load_backbone("resnet18", pretrained=False),
    "mobilenet_v3_small": lambda: tt.load_backbone("mobilenet_v3_small", pretrained=False),
    "smallcnn": lambda: tt.SmallCNN(10),
}


@pytest.fixture(params=list(ARCHITECTURES))
def model(request):
    return ARCHITECTURES[request.param]()


def test_groups_compose_to_forward(model):
    model.eval()
    x = torch.rand(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.allclose(model(x), tt.models.forward_groups(model, x), atol=1e-5)
        middle = tt.models.forward_groups(model, x, 0, 3)
        assert torch.allclose(tt.models.forward_groups(model, middle, 3), model(x), atol=1e-5)


def test_groups_cover_every_parameter(model):
    in_groups = {id(p) for g in tt.models.layer_groups(model).values() for p in g.parameters()}
    assert in_groups == {id(p) for p in model.parameters()}
    assert tt.models.group_names(model)[-1] == "head"


def test_replace_head(model):
    tt.replace_head(model, 7)
    assert tt.models.num_outputs(model) == 7
    assert model(torch.rand(2, 3, 64, 64)).shape == (2, 7)
    head_before = tt.count_parameters(model)
    tt.replace_head(model, 7)  # twice: still one head, same size
    assert tt.count_parameters(model) == head_before
    assert isinstance(tt.models.get_head(model), nn.Linear)


def test_replace_head_is_seeded_and_takes_class_names(model):
    tt.replace_head(model, ["cat", "dog"])
    first = tt.models.get_head(model).weight.clone()
    tt.replace_head(model, ["cat", "dog"])
    assert torch.equal(first, tt.models.get_head(model).weight)
    assert model.classes == ["cat", "dog"]


@pytest.mark.parametrize("bad", [1, 0, -3, 2.5, "10", True, None])
def test_replace_head_rejects_bad_class_counts(bad):
    with pytest.raises(tt.errors.TLTeachError, match="num_classes"):
        tt.replace_head(tt.SmallCNN(10), bad)


def test_replace_head_on_unsupported_model():
    with pytest.raises(tt.errors.TLTeachError, match="by hand"):
        tt.replace_head(nn.Sequential(nn.Flatten(), nn.Linear(12, 3)), 5)


def test_freeze_up_to_name(model):
    names = tt.models.group_names(model)
    tt.freeze(model, up_to=names[2])
    summary = tt.trainable_summary(model)
    status = dict(zip(summary["group"], summary["status"]))
    assert [status[n] for n in names[:3]] == ["frozen"] * 3
    assert all(status[n] == "trainable" for n in names[3:])
    assert tt.freezing.frozen_prefix(model) == 3


def test_freeze_default_is_feature_extraction(model):
    tt.freeze(model)
    head_group = tt.models.layer_groups(model)["head"]
    assert tt.count_parameters(model, trainable_only=True) == tt.count_parameters(head_group)


def test_freeze_then_unfreeze_round_trip(model):
    total = tt.count_parameters(model)
    tt.freeze(model, up_to=3)
    assert tt.freezing.frozen_prefix(model) == 3
    tt.unfreeze(model)
    assert tt.count_parameters(model, trainable_only=True) == total
    tt.freeze(model)
    tt.unfreeze(model, from_=tt.models.group_names(model)[-2])
    assert tt.freezing.frozen_prefix(model) == len(tt.models.group_names(model)) - 2


def test_freeze_sets_exact_state_when_moved_back(model):
    tt.freeze(model, up_to=4)
    tt.freeze(model, up_to=1)
    assert tt.freezing.frozen_prefix(model) == 1
    tt.freeze(model, up_to=0)
    assert tt.count_parameters(model, trainable_only=True) == tt.count_parameters(model)


def test_unknown_group_lists_valid_names(model):
    with pytest.raises(tt.errors.TLTeachError, match="Valid names: " + tt.models.group_names(model)[0]):
        tt.freeze(model, up_to="layer99")
    with pytest.raises(tt.errors.TLTeachError, match="Valid names"):
        tt.unfreeze(model, from_="nope")
    with pytest.raises(tt.errors.TLTeachError, match="groups"):
        tt.freeze(model, up_to=99)


def _batchnorms(module):
    return [m for m in module.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]


def test_frozen_batchnorm_stays_in_eval_mode(model):
    tt.freeze(model, up_to=2)
    tt.freezing.set_mode(model)
    groups = list(tt.models.layer_groups(model).values())
    assert _batchnorms(groups[0]) and all(not bn.training for bn in _batchnorms(groups[0]))
    trainable_bns = [bn for g in groups[2:] for bn in _batchnorms(g)]
    assert all(bn.training for bn in trainable_bns)
    # statistics of frozen BatchNorm do not move in a training forward pass
    frozen_bn = _batchnorms(groups[0])[0]
    before = frozen_bn.running_mean.clone()
    model(torch.rand(4, 3, 64, 64) * 3)
    assert torch.equal(before, frozen_bn.running_mean)


def test_trainable_summary_table(model):
    tt.freeze(model)
    table = tt.trainable_summary(model)
    assert table.rows[-1]["group"] == "total"
    assert table.rows[-1]["parameters"] == tt.count_parameters(model)
    assert "<table>" in table._repr_html_() and "frozen" in str(table)


def test_smallcnn_shapes_and_size():
    net = tt.SmallCNN(10)
    assert tt.count_parameters(net) == 98_970
    assert net(torch.rand(3, 3, 64, 64)).shape == (3, 10)
    assert net(torch.rand(3, 3, 128, 128)).shape == (3, 10)
