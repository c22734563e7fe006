"""The offline backbone is really pretrained on ImageNet; the registry explains its errors."""
import pytest
import torch
import torch.nn.functional as F

import tlteach as tt
from tlteach.models.backbones import lite0_key, lite0_state_dict

skimage_data = pytest.importorskip("skimage.data")


def photo(array, size=224):
    x = torch.from_numpy(array).permute(2, 0, 1).float()[None] / 255
    h, w = x.shape[2:]
    s = size / min(h, w)
    x = F.interpolate(x, size=(round(h * s), round(w * s)), mode="bilinear", antialias=True)
    top, left = (x.shape[2] - size) // 2, (x.shape[3] - size) // 2
    return x[:, :, top:top + size, left:left + size]


def top_k(model, x, k=5):
    with torch.no_grad():
        probs = model(x).softmax(1)[0]
    values, index = probs.topk(k)
    return [(model.classes[i], float(v)) for v, i in zip(values, index)]


@pytest.mark.parametrize("size", [224, 128])
def test_chelsea_is_a_cat(pretrained, size):
    top3 = [name for name, _ in top_k(pretrained, photo(skimage_data.chelsea(), size), 3)]
    assert {"Egyptian cat", "tabby", "tiger cat"} & set(top3), top3


@pytest.mark.parametrize("size", [224, 128])
def test_coffee_is_espresso(pretrained, size):
    name, prob = top_k(pretrained, photo(skimage_data.coffee(), size), 1)[0]
    assert name in ("espresso", "cup") and prob > 0.5


def test_parameter_count_and_features(pretrained):
    assert tt.count_parameters(pretrained) == 4_652_008
    assert tt.models.group_names(pretrained) == ["stem"] + [f"stage{i}" for i in range(1, 8)] + ["head"]
    assert pretrained.head.fc.in_features == 1280


def test_block_output_channels_match_design():
    model = tt.architectures.EfficientNetLite0()
    x = torch.rand(1, 3, 64, 64)
    channels = []
    h = model.normalize(x)
    for name, group in tt.models.layer_groups(model).items():
        if name.startswith("stage"):
            for block in group:
                h = block(h)
                channels.append(h.shape[1])
        else:
            h = group(h)
    assert channels == [16, 24, 24, 40, 40, 80, 80, 80, 112, 112, 112, 192, 192, 192, 192, 320, 1280]


def test_key_map_covers_every_weight():
    state = lite0_state_dict()
    assert set(state) == set(tt.architectures.EfficientNetLite0().state_dict())
    assert lite0_key("_conv_head.weight") == "stage7.1.0.weight"
    assert lite0_key("_blocks.15._project_conv.weight") == "stage7.0.project.0.weight"


def test_imagenet_classes_offline():
    classes = tt.backbones.imagenet_classes()
    assert len(classes) == 1000 and classes[285] == "Egyptian cat"


def test_random_init_differs_from_pretrained(pretrained):
    random = tt.load_backbone(pretrained=False)
    assert not torch.equal(random.stem[0].weight, pretrained.stem[0].weight)


@pytest.mark.parametrize("name", ["resnet18", "mobilenet_v3_small"])
def test_torchvision_backbones_random_weights(name):
    model = tt.load_backbone(name, pretrained=False)
    assert len(model.classes) == 1000
    x = torch.rand(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.allclose(model(x), tt.models.forward_groups(model, x), atol=1e-5)


def test_torchvision_offline_names_the_offline_default(monkeypatch):
    import torchvision

    def no_internet(*args, **kwargs):
        raise OSError("Temporary failure in name resolution")

    monkeypatch.setattr(torchvision.models, "get_model", no_internet)
    with pytest.raises(tt.errors.TLTeachError, match="efficientnet_lite0"):
        tt.load_backbone("resnet18", pretrained=True)


def test_unknown_backbone_lists_names():
    with pytest.raises(tt.errors.TLTeachError, match="resnet18"):
        tt.load_backbone("vgg99")


def test_weights_files_that_are_broken(tmp_path):
    with pytest.raises(tt.errors.TLTeachError, match="missing"):
        lite0_state_dict(tmp_path / "nothing.pth")
    truncated = tmp_path / "truncated.pth"
    truncated.write_bytes(open(tt.backbones.lite0_weights_file(), "rb").read()[:1000])
    with pytest.raises(tt.errors.TLTeachError, match="damaged"):
        lite0_state_dict(truncated)
    not_a_state_dict = tmp_path / "list.pth"
    torch.save([1, 2, 3], not_a_state_dict)
    with pytest.raises(tt.errors.TLTeachError, match="not an EfficientNet-Lite0 state dict"):
        lite0_state_dict(not_a_state_dict)


@pytest.mark.parametrize("name", tt.backbones.BACKBONES)
def test_each_registry_entry_describes_the_model_it_builds(name):
    """The facts the sweep, the rules, the recipes and the exercises read agree with the network itself."""
    entry = tt.backbones.REGISTRY[name]
    model = tt.load_backbone(name, pretrained=False)
    assert tuple(tt.models.group_names(model)) == entry.groups
    assert tt.backbones.backbone_of(model) is entry and entry.fine_tuning_frozen in entry.body
    parts = tt.freezing.surgical_parts(model)
    assert set(parts) == {"first", "middle", "last"}
    assert [g for part in parts.values() for g in part] == list(entry.body)  # the parts split the body, in order
    tt.freezing.learn_only(model, "middle")
    learning = [name for name, group in tt.models.layer_groups(model).items()
                if tt.freezing.group_status(group) == "trainable"]
    assert learning == [*parts["middle"], "head"]
